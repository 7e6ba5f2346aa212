/**
 * Constants of the SIMD math emitters (a data file): splitting constants for range reduction
 * and the minimax polynomial coefficients of each function family.
 */

export const INF = Infinity;
export const LOG2E = 1.4426950408889634;
/** ln 2 split for Cody-Waite: HI has 16 significant bits, so k*HI is exact for |k| < 256. */
export const LN2_HI = 0.693145751953125;
export const LN2_LO = 1.428606765330187e-6;
export const LN2 = 0.6931471805599453;
export const SQRT_HALF_BITS = 0x3f3504f3;
export const MIN_NORMAL = 1.1754943508222875e-38;
/** pi/4, pi/2, pi split as HI (21 significant bits, so k*HI is exact for k <= 7) + LO. */
export const PIO4_HI = 0.785398006439209;
export const PIO4_LO = 1.5695823663008923e-7;
export const PIO2_HI = 1.5707963705062866; // float32(pi/2)
export const PIO2_LO = -4.371138828673793e-8;
export const PI_HI = 3.1415927410125732; // float32(pi)
export const PI_LO = -8.742277657347586e-8;

// expm1(r) = r + r^2/2 + r^3 * P(r), |r| <= ln2/2 (rel. error 2^-31)
export const EXPM1_P = [0.16666666, 0.04166648, 0.008333419, 0.0013933253, 0.00019824127];
// 2^r = 1 + r * Q(r), |r| <= 1/2 (rel. error 2^-28)
export const EXP2_Q = [
  0.69314724, 0.2402265, 0.055502973, 0.009618031, 0.0013410031, 0.00015469758,
];
// log1p(f) = f - f^2/2 + f^3 * P(f), f in [sqrt(1/2)-1, sqrt(2)-1] (rel. error 2^-30)
export const LOG1P_P = [
  0.33333313, -0.2500001, 0.2000212, -0.16667996, 0.1421952, -0.12405544, 0.11888378, -0.11676052,
  0.06746638,
];
// tanh(x) = x + x^3 * T(x^2), |x| <= 0.55 (rel. error 2^-27)
export const TANH_T = [-0.33333334, 0.13333227, -0.0539258, 0.02138266, -0.0067116832];
export const TANH_SMALL = 0.55;
// sin(r) = r + r^3 S(r^2), cos(r) = 1 - r^2/2 + r^4 C(r^2), |r| <= 0.7875 (rel. 2^-35, 2^-39)
export const SIN_S = [-0.16666667, 0.008333332, -0.00019840119, 2.7248316e-6];
export const COS_C = [0.041666668, -0.0013888888, 2.4800627e-5, -2.7299615e-7];
// atan(t) = t + t^3 A(t^2), |t| <= 1/2 (rel. error 2^-28.7)
export const ATAN_A = [-0.33333334, 0.19999969, -0.14282878, 0.110405415, -0.08382063, 0.044464715];
export const TAN_3PI_8 = 2.414213562373095;
// asin(x) = x + x^3 B(x^2), |x| <= 1/2 (rel. error 2^-29)
export const ASIN_B = [0.16666667, 0.07500022, 0.044623792, 0.030832557, 0.018315686, 0.031941596];
// sinh(x) = x + x^3 H(x^2), |x| <= 1 (rel. error 2^-32)
export const SINH_H = [0.16666667, 0.008333338, 0.00019838219, 2.8062982e-6];
// erf(x) = x + x E(x^2), |x| <= 1 (rel. error 2^-29.6)
export const ERF_E = [
  0.12837917, -0.37612626, 0.112835854, -0.026853813, 0.0051883277, -0.00080101937, 7.8538615e-5,
];
// erfc(x) = exp(-x^2) G(x), 1 <= x <= 3.95 (absolute error of erf 2^-28.6)
export const ERFC_G = [
  0.99225885, -1.0798448, 0.8627212, -0.5188609, 0.2305712, -0.07275935, 0.015302316, -0.0019118068,
  0.000106843574,
];
export const ERF_ONE = 3.95; // erf(x) rounds to 1 in float32 for x >= 3.8325
// erf_inv(x) = x + x (Y(w) - 1), w = -log((1-x)(1+x)) with Y = YA(w) for w < 2, YB(w - 3.5) for
// w < 5, YC(sqrt(w) - 3) otherwise (rel. error 2^-26.9, 2^-28, 2^-27.3). Constant terms have
// the 1 already subtracted.
export const ERFINV_YA = [
  0.8862269 - 1,
  0.23201406,
  0.011545942,
  -0.002323937,
  -0.00014556713,
  6.0930288e-5,
  -3.949522e-6,
];
export const ERFINV_YB = [
  1.7428299 - 1,
  0.2353584,
  -0.006717161,
  -0.0004812704,
  0.00015877516,
  -1.5806216e-5,
  -5.3754906e-7,
  3.2100584e-7,
];
export const ERFINV_YC = [
  2.8329768 - 1,
  1.0016751,
  0.009445681,
  -0.0076393406,
  0.0056832107,
  -0.0035873216,
  0.0014957441,
  -7.60351e-5,
  -0.00031863255,
  0.00012862877,
];
// cbrt(m), m in [1, 2] (rel. error 2^-13.7; refined by one Newton step)
export const CBRT_P = [0.5528234, 0.5871143, -0.16296968, 0.023104964];
export const CBRT2 = 1.2599210498948732;
export const CBRT4 = 1.5874010519681994;
// float64 polynomials for pow: log2(m) = s L(s^2), s = (m-1)/(m+1) (rel. 2^-45);
// 2^r = 1 + r Q(r), |r| <= 1/2 (rel. 2^-39)
export const POW_LOG2_L = [
  2.8853900817778495, 0.9617966941142602, 0.5770779420745977, 0.41220928388576755,
  0.3199043219674005, 0.2829209060778464,
];
export const POW_EXP2_Q = [
  0.6931471805349886, 0.24022650695737163, 0.05550410976236751, 0.009618129183671114,
  0.0013333422538534746, 0.0001540343643445961, 1.531648711186218e-5, 1.3259663924335724e-6,
];

// Trigonometric reduction.
export const TWO_OVER_PI_F64 = 0.6366197723675814;
/** pi/2 = P1 + P2 with P1 having 33 significant bits (j*P1 exact for j < 2^20). */
export const PIO2_P1 = 1.5707963267341256;
export const PIO2_P2 = 6.077100506506192e-11;
/** Cody-Waite limit: |x| <= 1e6 keeps j < 2^20; beyond, the chunked reduction is used. */
export const TRIG_FAST_MAX = 1e6;
/** 2/pi in hex (the first 56 digits = 224 bits are used). */
export const TWO_OVER_PI_HEX = "A2F9836E4E441529FC2757D1F534DDC0DB6295993C439041FE5163ABDEBB";
/** 2/pi as 8 chunks of 28 bits each: chunk i = digits(7i..7i+7) * 2^-(28(i+1)), exact doubles. */
export const TWO_OVER_PI_CHUNKS = Array.from(
  { length: 8 },
  (_, i) => parseInt(TWO_OVER_PI_HEX.slice(7 * i, 7 * i + 7), 16) * 2 ** (-28 * (i + 1)),
);
export const PIO2_F64 = 1.5707963267948966;
