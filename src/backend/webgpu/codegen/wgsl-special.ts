/**
 * WGSL helpers for the error function family, in float32 arithmetic: erf and erfc by W. J.
 * Cody's rational approximations (the js device's algorithm, evaluated in f32: |x| < 0.5 a
 * rational in x², else erfc through the [0.5, 4) and [4, ∞) rationals with the split
 * exp(−xs²)·exp(−(x−xs)(x+xs)) that keeps the exponent exact), and erf_inv by M. Giles'
 * single-precision polynomials in w = −log((1−x)(1+x)) (±1 → ±inf, |x| > 1 → NaN) refined by
 * one Newton step on erf. These make `random.normal` (which is erf_inv of uniform bits) run
 * on the GPU. Accuracy against the js device (float64 then rounded): see the tests' stated
 * tolerances.
 */

const horner = (v: string, cs: readonly number[]): string =>
  cs.slice(1).reduce((acc, c) => `(${acc}) * ${v} + ${c}`, `${cs[0]}`);

const P_SMALL = [0.18577770618460315, 3.1611237438705655, 113.86415415105016, 377.485237685302];
const Q_SMALL = [1, 23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const P_MID = [
  2.1531153547440383e-8, 0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974,
  881.952221241769, 1712.04761263407, 2051.07837782607, 1230.339354797997,
];
const Q_MID = [
  1, 15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903,
  3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const P_BIG = [
  0.016315387137302097, 0.30532663496123236, 0.36034489994980445, 0.12578172611122926,
  0.016083785148742275, 6.587491615298378e-4,
];
const Q_BIG = [
  1, 2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132,
  0.0023352049762686918,
];
const GILES_CENTRAL = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503,
  -0.00417768164, 0.246640727, 1.50140941,
];
const GILES_TAIL = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
  0.00943887047, 1.00167406, 2.83297682,
];

const f = (cs: readonly number[]): number[] => cs.map((c) => Math.fround(c));
const lit = (v: string, cs: readonly number[]): string =>
  horner(
    v,
    f(cs).map((c) => c),
  ).replace(/(-?\d[\d.e+-]*)/g, (m) => (m.includes(".") || m.includes("e") ? m : `${m}.0`));

/** Helper functions (prelude format: one `fn` per paragraph). */
export const SPECIAL_PRELUDE = `fn erf_small(x: f32) -> f32 {
  let t = x * x;
  let num = ${lit("t", [P_SMALL[0]!, ...P_SMALL.slice(1)])};
  return x * (num * t + 3209.3775891384694) / (${lit("t", Q_SMALL)});
}
fn erfc_pos(x: f32) -> f32 {
  if (x >= 10.1) { return 0.0; }
  var r: f32;
  if (x < 4.0) {
    r = (${lit("x", P_MID)}) / (${lit("x", Q_MID)});
  } else {
    let z = 1.0 / (x * x);
    r = z * (${lit("z", P_BIG)}) / (${lit("z", Q_BIG)});
    r = (0.5641895835477563 - r) / x;
  }
  let xs = trunc(x * 16.0) / 16.0;
  let del = (x - xs) * (x + xs);
  return exp(-xs * xs) * exp(-del) * r;
}
fn erf_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs(x);
  if (ax < 0.5) { return erf_small(x); }
  let r = 1.0 - erfc_pos(ax);
  return select(r, -r, x < 0.0);
}
fn erfc_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (abs(x) < 0.5) { return 1.0 - erf_small(x); }
  return select(2.0 - erfc_pos(-x), erfc_pos(x), x > 0.0);
}
fn erf_inv_(y: f32) -> f32 {
  if (is_nan(y) || abs(y) > 1.0) { return f32_bits(0x7fc00000u); }
  if (abs(y) == 1.0) { return y * f32_bits(0x7f800000u); }
  if (y == 0.0) { return y; }
  var w = -log((1.0 - y) * (1.0 + y));
  var x: f32;
  if (w < 5.0) {
    w = w - 2.5;
    x = (${lit("w", GILES_CENTRAL)}) * y;
  } else {
    w = sqrt(w) - 3.0;
    x = (${lit("w", GILES_TAIL)}) * y;
  }
  let step = (erf_(x) - y) / (1.1283791670955126 * exp(-x * x));
  return select(x - step, x, is_inf(step) || is_nan(step));
}
`;
