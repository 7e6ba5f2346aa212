/**
 * Exact decimal digit generation for IEEE binary16/32/64 values, as numpy prints them: a
 * Dragon4 / Burger–Dybvig style shortest-unique generator with optional digit cutoffs,
 * implemented with exact BigInt arithmetic. `decompose` splits a value into mantissa·2^exponent;
 * `generateDigits` turns that into a digit string and a decimal exponent.
 */

import { float16Bits, type FloatDType } from "./float16.js";

export interface FloatParts {
  negative: boolean;
  kind: "finite" | "inf" | "nan";
  /** Integer significand (hidden bit included for normal numbers). */
  mantissa: bigint;
  exponent: number;
  /** True when the gap to the next lower value is half the gap above. */
  unequalMargins: boolean;
}

interface Layout {
  mantBits: number;
  expBits: number;
  bias: number;
}

const LAYOUTS: Record<FloatDType, Layout> = {
  float16: { mantBits: 10, expBits: 5, bias: 15 },
  float32: { mantBits: 23, expBits: 8, bias: 127 },
  float64: { mantBits: 52, expBits: 11, bias: 1023 },
};

const scratch = new DataView(new ArrayBuffer(8));

/** Raw bits of `x` in `dtype`, as [sign, biased exponent, fraction]. */
function rawBits(x: number, dtype: FloatDType): [boolean, number, bigint] {
  if (dtype === "float64") {
    scratch.setFloat64(0, x);
    const hi = scratch.getUint32(0);
    const lo = scratch.getUint32(4);
    const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    return [hi >>> 31 === 1, (hi >>> 20) & 0x7ff, frac];
  }
  if (dtype === "float32") {
    scratch.setFloat32(0, x);
    const bits = scratch.getUint32(0);
    return [bits >>> 31 === 1, (bits >>> 23) & 0xff, BigInt(bits & 0x7fffff)];
  }
  const bits = float16Bits(x);
  return [bits >>> 15 === 1, (bits >>> 10) & 0x1f, BigInt(bits & 0x3ff)];
}

/** `x` (as a value of `dtype`) as sign, kind and, when finite, mantissa·2^exponent. */
export function decompose(x: number, dtype: FloatDType): FloatParts {
  const { mantBits, expBits, bias } = LAYOUTS[dtype];
  const [negative, biasedExp, frac] = rawBits(x, dtype);
  const maxExp = (1 << expBits) - 1;
  if (biasedExp === maxExp) {
    return {
      negative,
      kind: frac === 0n ? "inf" : "nan",
      mantissa: 0n,
      exponent: 0,
      unequalMargins: false,
    };
  }
  if (biasedExp === 0) {
    return {
      negative,
      kind: "finite",
      mantissa: frac,
      exponent: 1 - bias - mantBits,
      unequalMargins: false,
    };
  }
  return {
    negative,
    kind: "finite",
    mantissa: frac | (1n << BigInt(mantBits)),
    exponent: biasedExp - bias - mantBits,
    unequalMargins: biasedExp !== 1 && frac === 0n,
  };
}

const pow10Cache: bigint[] = [1n];

function pow10(n: number): bigint {
  for (let i = pow10Cache.length; i <= n; i++) pow10Cache.push(pow10Cache[i - 1]! * 10n);
  return pow10Cache[n]!;
}

/** Sign of (num/den - 10^k). */
function compareWithPow10(num: bigint, den: bigint, k: number): number {
  const lhs = k >= 0 ? num : num * pow10(-k);
  const rhs = k >= 0 ? den * pow10(k) : den;
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

export interface CutoffOptions {
  /** Whether cutoffs count digits after the point or total digits. */
  mode: "fraction" | "total";
  /** Stop after this many digits (-1: shortest unique only). */
  max: number;
  /** Generate at least this many digits (-1: no minimum). */
  min: number;
}

export interface Digits {
  /** Decimal digits, first digit non-zero unless the value rounds to zero. */
  digits: string;
  /** Decimal exponent of the first digit. */
  exponent: number;
}

/**
 * Shortest digit string that uniquely identifies the value among its
 * neighbours (boundaries accepted when the significand is even), optionally
 * cut off at a fixed position with round-half-even on the exact remainder.
 */
export function generateDigits(parts: FloatParts, x: number, cutoff: CutoffOptions): Digits {
  const m = parts.mantissa;
  if (m === 0n) return { digits: "0", exponent: 0 };
  const isEven = (m & 1n) === 0n;
  const extra = parts.unequalMargins ? 1n : 0n;
  const e = parts.exponent;

  // value = r / s; the half-gaps to the neighbours are mLow / s and mHigh / s.
  let r: bigint, s: bigint, mLow: bigint;
  if (e >= 0) {
    r = (m << BigInt(e + 1)) << extra;
    s = 2n << extra;
    mLow = 1n << BigInt(e);
  } else {
    r = (m << 1n) << extra;
    s = (1n << BigInt(1 - e)) << extra;
    mLow = 1n;
  }
  let mHigh = mLow << extra;

  // k such that 10^(k-1) <= value < 10^k.
  let k = Math.floor(Math.log10(Math.abs(x))) + 1;
  while (compareWithPow10(r, s, k) >= 0) k += 1;
  while (compareWithPow10(r, s, k - 1) < 0) k -= 1;

  let digitExp = k;
  if (cutoff.max >= 0 && cutoff.mode === "fraction") digitExp = Math.max(k, 1 - cutoff.max);

  if (digitExp >= 0) {
    s *= pow10(digitExp);
  } else {
    const p = pow10(-digitExp);
    r *= p;
    mLow *= p;
    mHigh *= p;
  }
  r *= 10n;
  mLow *= 10n;
  mHigh *= 10n;

  let cutoffMaxExp = -Infinity;
  if (cutoff.max >= 0) cutoffMaxExp = cutoff.mode === "total" ? digitExp - cutoff.max : -cutoff.max;
  let cutoffMinExp = digitExp;
  if (cutoff.min >= 0) {
    const desired = cutoff.mode === "total" ? digitExp - cutoff.min : -cutoff.min;
    cutoffMinExp = Math.min(cutoffMinExp, desired);
  }

  const out: number[] = [];
  const exponent = digitExp - 1;
  let digit: number;
  let low: boolean;
  let high: boolean;
  for (;;) {
    digitExp -= 1;
    digit = Number(r / s);
    r %= s;
    low = isEven ? r <= mLow : r < mLow;
    high = isEven ? r + mHigh >= s : r + mHigh > s;
    if (((low || high) && digitExp <= cutoffMinExp) || digitExp === cutoffMaxExp) break;
    out.push(digit);
    r *= 10n;
    mLow *= 10n;
    mHigh *= 10n;
  }

  let roundDown = low;
  if (low === high) {
    const twice = r * 2n;
    roundDown = twice < s || (twice === s && digit % 2 === 0);
  }
  return roundDown ? { digits: joinDigits(out, digit), exponent } : roundUp(out, digit, exponent);
}

function joinDigits(prefix: number[], last: number): string {
  return prefix.join("") + String(last);
}

/** Appends `last + 1`, propagating carries through trailing nines. */
function roundUp(prefix: number[], last: number, exponent: number): Digits {
  if (last < 9) return { digits: joinDigits(prefix, last + 1), exponent };
  let i = prefix.length - 1;
  while (i >= 0 && prefix[i] === 9) i -= 1;
  if (i < 0) return { digits: "1", exponent: exponent + 1 };
  const kept = prefix.slice(0, i);
  return { digits: joinDigits(kept, prefix[i]! + 1), exponent };
}
