/**
 * IEEE binary16 (float16) conversion — bit patterns to and from doubles, round to nearest, ties
 * to even — and rounding a double to the precision of any float dtype.
 */

export type FloatDType = "float16" | "float32" | "float64";

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
