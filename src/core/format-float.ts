/**
 * Exact decimal formatting of IEEE binary16/32/64 values, reproducing the
 * digit generation numpy uses for printing (a Dragon4 / Burger–Dybvig style
 * shortest-unique generator with optional digit cutoffs), implemented with
 * exact BigInt arithmetic.
 *
 * The two entry points mirror numpy's `format_float_positional` and
 * `format_float_scientific` in "unique" mode; `formatFloatScalar` applies
 * numpy's rule for `str()` of a floating scalar.
 */

export type FloatDType = "float16" | "float32" | "float64";

/**
 * How trailing zeros / the decimal point are treated after digit generation:
 *  - "k": keep everything (pad with zeros up to the requested digit count)
 *  - ".": trim trailing zeros, keep the decimal point (`1.`)
 *  - "0": trim trailing zeros but leave one zero after the point (`1.0`)
 *  - "-": trim trailing zeros and a bare trailing decimal point (`1`)
 */
export type TrimMode = "k" | "." | "0" | "-";

export interface PositionalOptions {
  /** Maximum number of fractional digits; -1 for no limit. */
  precision: number;
  /** Minimum number of fractional digits to generate; -1 for none. */
  minDigits: number;
  trim: TrimMode;
  /** Pad with spaces until this many characters precede the point; -1 for none. */
  padLeft: number;
  /** Pad with spaces until this many characters follow the point; -1 for none. */
  padRight: number;
}

export interface ScientificOptions {
  /** Maximum number of digits after the leading digit; -1 for no limit. */
  precision: number;
  /** Minimum number of digits after the leading digit; -1 for none. */
  minDigits: number;
  trim: TrimMode;
  /** Pad with spaces until this many characters precede the point; -1 for none. */
  padLeft: number;
  /** Minimum number of exponent digits (default 2 when -1). */
  expDigits: number;
}

// ---------------------------------------------------------------------------
// float16 conversion (round to nearest, ties to even)
// ---------------------------------------------------------------------------

function roundHalfEven(n: number): number {
  const f = Math.floor(n);
  const d = n - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Exact floor(log2(a)) for a finite positive double. */
function floorLog2(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  return e;
}

/** The IEEE binary16 bit pattern nearest to `x` (round half to even). */
export function float16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === 0) return sign;
  if (a === Infinity) return sign | 0x7c00;
  let e = floorLog2(a);
  if (e < -14) {
    // Subnormal: multiples of 2^-24. Rounding up to 1024 yields the smallest
    // normal number, whose bit pattern is exactly 0x0400.
    return sign | roundHalfEven(a * 2 ** 24);
  }
  let n = roundHalfEven(a * 2 ** (10 - e)); // in [1024, 2048]
  if (n === 2048) {
    n = 1024;
    e += 1;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | (n - 1024);
}

/** Decodes an IEEE binary16 bit pattern. */
export function float16FromBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/** Rounds a double to the nearest float16 value (ties to even). */
export function roundToFloat16(x: number): number {
  return float16FromBits(float16Bits(x));
}

/** Rounds a double to the nearest value representable in `dtype`. */
export function roundToFloatDType(x: number, dtype: FloatDType): number {
  if (dtype === "float32") return Math.fround(x);
  if (dtype === "float16") return roundToFloat16(x);
  return x;
}

// ---------------------------------------------------------------------------
// Decomposition into mantissa * 2^exponent
// ---------------------------------------------------------------------------

interface FloatParts {
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

function decompose(x: number, dtype: FloatDType): FloatParts {
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

// ---------------------------------------------------------------------------
// Digit generation
// ---------------------------------------------------------------------------

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

interface CutoffOptions {
  /** Whether cutoffs count digits after the point or total digits. */
  mode: "fraction" | "total";
  /** Stop after this many digits (-1: shortest unique only). */
  max: number;
  /** Generate at least this many digits (-1: no minimum). */
  min: number;
}

interface Digits {
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
function generateDigits(parts: FloatParts, x: number, cutoff: CutoffOptions): Digits {
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

// ---------------------------------------------------------------------------
// Positional / scientific layout
// ---------------------------------------------------------------------------

function nonFinite(parts: FloatParts): string {
  if (parts.kind === "nan") return "nan";
  return parts.negative ? "-inf" : "inf";
}

/** Trims a fraction per `trim`; returns the new fraction and whether the point stays. */
function applyTrim(frac: string, trim: TrimMode, minFrac: number): [string, boolean] {
  let hasPoint = frac.length > 0 || trim !== "-";
  if (trim === "0" && frac.length === 0) frac = "0";
  else if (trim === "k" && minFrac > frac.length) frac += "0".repeat(minFrac - frac.length);
  if (trim !== "k" && frac.length > 0) {
    frac = frac.replace(/0+$/, "");
    if (frac.length === 0) {
      if (trim === "0") frac = "0";
      else if (trim === "-") hasPoint = false;
    }
  }
  return [frac, hasPoint];
}

/** numpy `format_float_positional(x, unique=True, fractional=True, ...)`. */
export function formatPositional(x: number, dtype: FloatDType, opts: PositionalOptions): string {
  const parts = decompose(x, dtype);
  if (parts.kind !== "finite") return nonFinite(parts);
  const sign = parts.negative ? "-" : "";
  const { digits, exponent } = generateDigits(parts, x, {
    mode: "fraction",
    max: opts.precision,
    min: opts.minDigits,
  });

  let whole: string;
  let frac: string;
  if (exponent >= 0) {
    whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    frac = digits.slice(exponent + 1);
  } else {
    whole = "0";
    frac = "0".repeat(-exponent - 1) + digits;
  }
  const [trimmed, hasPoint] = applyTrim(frac, opts.trim, Math.max(opts.minDigits, 0));

  let text = sign + whole + (hasPoint ? "." : "") + trimmed;
  if (opts.padRight >= trimmed.length) {
    if (opts.trim === "-" && trimmed.length === 0) text += " ";
    text += " ".repeat(opts.padRight - trimmed.length);
  }
  const leftChars = whole.length + sign.length;
  if (opts.padLeft > leftChars) text = " ".repeat(opts.padLeft - leftChars) + text;
  return text;
}

/** numpy `format_float_scientific(x, unique=True, ...)`. */
export function formatScientific(x: number, dtype: FloatDType, opts: ScientificOptions): string {
  const parts = decompose(x, dtype);
  if (parts.kind !== "finite") return nonFinite(parts);
  const sign = parts.negative ? "-" : "";
  const { digits, exponent } = generateDigits(parts, x, {
    mode: "total",
    max: opts.precision < 0 ? -1 : opts.precision + 1,
    min: opts.minDigits < 0 ? -1 : opts.minDigits + 1,
  });

  const leftChars = 1 + sign.length;
  const pad = opts.padLeft > leftChars ? " ".repeat(opts.padLeft - leftChars) : "";
  const [frac, hasPoint] = applyTrim(digits.slice(1), opts.trim, Math.max(opts.minDigits, 0));
  const expDigits = opts.expDigits < 0 ? 2 : Math.min(opts.expDigits, 5);
  const expText = String(Math.abs(exponent)).padStart(expDigits, "0");
  const mantissa = digits[0]! + (hasPoint ? "." : "") + frac;
  return `${pad}${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${expText}`;
}

/**
 * numpy's `str()` of a floating scalar: the shortest round-tripping digits,
 * positional (`1.0`, `0.0001`) when 1e-4 <= |x| < 1e16 or x is zero/nan,
 * otherwise scientific (`1e-05`, `1.5e+20`).
 */
export function formatFloatScalar(x: number, dtype: FloatDType): string {
  const v = roundToFloatDType(x, dtype);
  const a = Math.abs(v);
  if (Number.isNaN(v) || v === 0 || (a >= 1e-4 && a < 1e16)) {
    return formatPositional(v, dtype, {
      precision: -1,
      minDigits: -1,
      trim: "0",
      padLeft: -1,
      padRight: -1,
    });
  }
  return formatScientific(v, dtype, {
    precision: -1,
    minDigits: -1,
    trim: "-",
    padLeft: -1,
    expDigits: -1,
  });
}

/** Shortest round-tripping float32 representation, as numpy's `str(np.float32(x))`. */
export function shortestFloat32(x: number): string {
  return formatFloatScalar(x, "float32");
}

/** Shortest round-tripping float16 representation, as numpy's `str(np.float16(x))`. */
export function shortestFloat16(x: number): string {
  return formatFloatScalar(x, "float16");
}
