/* eslint-disable no-loss-of-precision -- published coefficients keep their printed digits */
/**
 * Scalar helpers that generated JavaScript kernels call as `rt.*`: math functions missing
 * from `Math` (erf, erf_inv, lgamma, digamma), float16 rounding, XLA-style conversions,
 * bitcasts, and float semantics (NaN-propagating min/max, nextafter).
 */
import { float16Bits, float16FromBits, roundToFloat16 } from "../../../core/float16.js";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const i64 = new BigInt64Array(f64.buffer);
const u16 = new Uint16Array(1);
const i16 = new Int16Array(u16.buffer);

/** Decoding table for float16 bit patterns. */
export const h2f = (() => {
  const t = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = float16FromBits(i);
  return t;
})();

export function erf(x: number): number {
  // W. J. Cody's rational approximations (as in many libms), double precision.
  const ax = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  if (ax < 0.5) {
    const t = x * x;
    const p = [
      3.1611237438705656, 113.86415415105016, 377.485237685302, 3209.3775891384694,
      0.18577770618460315,
    ];
    const q = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
    const num = (((p[4]! * t + p[0]!) * t + p[1]!) * t + p[2]!) * t + p[3]!;
    const den = (((t + q[0]!) * t + q[1]!) * t + q[2]!) * t + q[3]!;
    return (x * num) / den;
  }
  const r = 1 - erfcPos(ax);
  return x < 0 ? -r : r;
}

/** erfc for x ≥ 0.5 (Cody). */
function erfcPos(x: number): number {
  if (x >= 27) return 0;
  let r: number;
  if (x < 4) {
    const p = [
      0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974, 881.952221241769,
      1712.04761263407, 2051.07837782607, 1230.339354797997, 2.15311535474403846e-8,
    ];
    const q = [
      15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903,
      3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495,
    ];
    let num = p[8]! * x;
    let den = x;
    for (let i = 0; i < 7; i++) {
      num = (num + p[i]!) * x;
      den = (den + q[i]!) * x;
    }
    r = (num + p[7]!) / (den + q[7]!);
  } else {
    const p = [
      0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
      6.587491615298378e-4, 0.016315387137302097,
    ];
    const q = [
      2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132,
      0.0023352049762686918,
    ];
    const z = 1 / (x * x);
    let num = p[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + p[i]!) * z;
      den = (den + q[i]!) * z;
    }
    r = (z * (num + p[4]!)) / (den + q[4]!);
    r = (0.5641895835477563 - r) / x;
  }
  const xs = Math.trunc(x * 16) / 16;
  const del = (x - xs) * (x + xs);
  return Math.exp(-xs * xs) * Math.exp(-del) * r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 0.5) return 1 - erf(x);
  return x > 0 ? erfcPos(x) : 2 - erfcPos(-x);
}

/** Inverse error function (Giles' single-precision-friendly approximation, refined by Newton). */
export function erfInv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return y;
  let w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 6.25) {
    w -= 3.125;
    let p = -3.6444120640178196996e-21;
    for (const c of [
      -1.685059138182016589e-19, 1.2858480715256400167e-18, 1.115787767802518096e-17,
      -1.333171662854620906e-16, 2.0972767875968561637e-17, 6.6376381343583238325e-15,
      -4.0545662729752068639e-14, -8.1519341976054721522e-14, 2.6335093153082322977e-12,
      -1.2975133253453532498e-11, -5.4154120542946279317e-11, 1.051212273321532285e-9,
      -4.1126339803469836976e-9, -2.9070369957882005086e-8, 4.2347877827932403518e-7,
      -1.3654692000834678645e-6, -1.3882523362786468719e-5, 0.0001867342080340571352,
      -0.00074070253416626697512, -0.0060336708714301490533, 0.24015818242558961693,
      1.6536545626831027356,
    ])
      p = c + p * w;
    x = p * y;
  } else if (w < 16) {
    w = Math.sqrt(w) - 3.25;
    let p = 2.2137376921775787049e-9;
    for (const c of [
      9.0756561938885390979e-8, -2.7517406297064545428e-7, 1.8239629214389227755e-8,
      1.5027403968909827627e-6, -4.013867526981545969e-6, 2.9234449089955446044e-6,
      1.2475304481671778723e-5, -4.7318229009055733981e-5, 6.8284851459573175448e-5,
      2.4031110387097893999e-5, -0.0003550375203628474796, 0.00095328937973738049703,
      -0.0016882755560235047313, 0.0024914420961078508066, -0.0037512085075692412107,
      0.005370914553590063617, 1.0052589676941592334, 3.0838856104922207635,
    ])
      p = c + p * w;
    x = p * y;
  } else {
    w = Math.sqrt(w) - 5;
    let p = -2.7109920616438573243e-11;
    for (const c of [
      -2.5556418169965252055e-10, 1.5076572693500548083e-9, -3.7894654401267369937e-9,
      7.6157012080783393804e-9, -1.4960026627149240478e-8, 2.9147953450901080826e-8,
      -6.7711997758452339498e-8, 2.2900482228026654717e-7, -9.9298272942317002539e-7,
      4.5260625972231537039e-6, -1.9681778105531670567e-5, 7.5995277030017761139e-5,
      -0.00021503011930044477347, -0.00013871931833623122026, 1.0103004648645343977,
      4.8499064014085844221,
    ])
      p = c + p * w;
    x = p * y;
  }
  // Two Newton steps on erf(x) = y bring the result to double accuracy.
  for (let i = 0; i < 2; i++) {
    const err = erf(x) - y;
    x -= err / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  }
  return x;
}

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** log|Γ(x)|. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1-x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  x -= 1;
  let a = lanczos[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += lanczos[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ(x) = d/dx log Γ(x). */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return NaN;
  let r = 0;
  if (x < 0) {
    // ψ(1-x) - ψ(x) = π cot(πx)
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  while (x < 6) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const t =
    f *
    (-1 / 12 +
      f *
        (1 / 120 +
          f * (-1 / 252 + f * (1 / 240 + f * (-1 / 132 + f * (691 / 32760 + f * (-1 / 12)))))));
  return r + Math.log(x) - 0.5 / x + t;
}

export function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function roundAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function roundEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) return 2 * Math.round(x / 2);
  return Object.is(x, -0) || (r === 0 && x < 0) ? -0 : r;
}

/** NaN-propagating max/min (XLA semantics); +0 beats -0. */
export function fmax(a: number, b: number): number {
  return Math.max(a, b);
}
export function fmin(a: number, b: number): number {
  return Math.min(a, b);
}

/** C/XLA pow: unlike Math.pow, pow(±1, ±inf) = 1 and pow(1, NaN) = 1. */
export function powf(a: number, b: number): number {
  if (a === 1 || (a === -1 && !Number.isFinite(b) && !Number.isNaN(b))) return 1;
  return Math.pow(a, b);
}

/** Integer power with wrapping (exponent < 0 gives 0 unless base is ±1, as XLA). */
export function ipow(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
  let r = 1;
  let base = a | 0;
  while (b > 0) {
    if (b & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    b >>>= 1;
  }
  return r;
}

export function ipowBig(a: bigint, b: bigint): bigint {
  if (b < 0n) return a === 1n ? 1n : a === -1n ? (b & 1n ? -1n : 1n) : 0n;
  let r = 1n;
  while (b > 0n) {
    if (b & 1n) r = BigInt.asIntN(64, r * a);
    a = BigInt.asIntN(64, a * a);
    b >>= 1n;
  }
  return r;
}

/** float → integer: truncate toward zero, NaN → 0, saturate at the type's range. */
export function f2i(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return 0;
  const t = Math.trunc(x);
  return t < lo ? lo : t > hi ? hi : t + 0; // + 0: no -0 in integer results
}

export function f2big(x: number, signed: boolean): bigint {
  if (Number.isNaN(x)) return 0n;
  const lo = signed ? -(2 ** 63) : 0;
  const hi = signed ? 2 ** 63 - 1 : 2 ** 64 - 1;
  const t = Math.trunc(Math.min(Math.max(x, lo), hi));
  return signed ? BigInt.asIntN(64, BigInt(t)) : BigInt.asUintN(64, BigInt(t));
}

export function f16round(x: number): number {
  return roundToFloat16(x);
}
export { float16Bits as f2h };

export function popcnt32(x: number): number {
  x = x >>> 0;
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}

export function popcnt64(x: bigint): bigint {
  let n = 0n;
  x = BigInt.asUintN(64, x);
  while (x) {
    n += x & 1n;
    x >>= 1n;
  }
  return n;
}

export function nextafter32(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === b) return b;
  if (a === 0) return b > 0 ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32[0] = a;
  if (a < b === a > 0) u32[0]! += 1;
  else u32[0]! -= 1;
  return f32[0]!;
}

export function nextafter64(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === b) return b;
  if (a === 0) return b > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64[0] = a;
  if (a < b === a > 0) u64[0]! += 1n;
  else u64[0]! -= 1n;
  return f64[0]!;
}

// Bitcasts between same-width types: rt.bitcast_<from>_<to>.
export const bitcast_float32_int32 = (x: number): number => ((f32[0] = x), i32[0]!);
export const bitcast_float32_uint32 = (x: number): number => ((f32[0] = x), u32[0]!);
export const bitcast_int32_float32 = (x: number): number => ((i32[0] = x), f32[0]!);
export const bitcast_uint32_float32 = (x: number): number => ((u32[0] = x), f32[0]!);
export const bitcast_int32_uint32 = (x: number): number => x >>> 0;
export const bitcast_uint32_int32 = (x: number): number => x | 0;
export const bitcast_float64_int64 = (x: number): bigint => ((f64[0] = x), i64[0]!);
export const bitcast_float64_uint64 = (x: number): bigint => ((f64[0] = x), u64[0]!);
export const bitcast_int64_float64 = (x: bigint): number => ((i64[0] = x), f64[0]!);
export const bitcast_uint64_float64 = (x: bigint): number => ((u64[0] = x), f64[0]!);
export const bitcast_int64_uint64 = (x: bigint): bigint => BigInt.asUintN(64, x);
export const bitcast_uint64_int64 = (x: bigint): bigint => BigInt.asIntN(64, x);
export const bitcast_float16_int16 = (x: number): number => ((u16[0] = float16Bits(x)), i16[0]!);
export const bitcast_float16_uint16 = (x: number): number => float16Bits(x);
export const bitcast_int16_float16 = (x: number): number => ((i16[0] = x), h2f[u16[0]!]!);
export const bitcast_uint16_float16 = (x: number): number => h2f[x & 0xffff]!;
export const bitcast_int16_uint16 = (x: number): number => x & 0xffff;
export const bitcast_uint16_int16 = (x: number): number => (x << 16) >> 16;
export const bitcast_int8_uint8 = (x: number): number => x & 0xff;
export const bitcast_uint8_int8 = (x: number): number => (x << 24) >> 24;
