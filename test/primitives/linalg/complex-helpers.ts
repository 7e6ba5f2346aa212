/**
 * Host-side complex matrices (float64 re/im, row-major) for the nonsymmetric decomposition
 * tests: reading jaxts arrays (real or interleaved complex) and the fixtures of
 * test/fixtures/nonsymmetric.json, products, conjugate transposes, Frobenius norms, and
 * matching eigenvalues up to ordering.
 */
import { readFileSync } from "node:fs";
import { type Array, lax, numpy as jnp } from "../../../src/index.js";

export interface CMat {
  rows: number;
  cols: number;
  re: Float64Array;
  im: Float64Array;
}

/** A fixture value: nested lists of real and imaginary parts. */
export interface CJson {
  re: number[] | number[][];
  im: number[] | number[][];
}

export interface NonsymCase {
  name: string;
  complex: boolean;
  a: CJson;
  w: CJson;
  vr: CJson;
  w_left: CJson;
  vl: CJson;
  h: CJson;
  q: CJson;
  sqrtm?: CJson;
}

export const nonsym = JSON.parse(
  readFileSync(new URL("../../fixtures/nonsymmetric.json", import.meta.url), "utf8"),
) as {
  cases: NonsymCase[];
  batch: { a: number[][][][]; w: { re: number[][][]; im: number[][][] } };
};

/** The trailing matrix (or vector, as one row) of `x` at flat batch index `b`. */
export function cmat(x: Array, b = 0): CMat {
  const rows = x.ndim >= 2 ? x.shape[x.ndim - 2]! : 1;
  const cols = x.shape[x.ndim - 1]!;
  const size = rows * cols;
  const t = x.toTypedArray() as ArrayLike<number>;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    if (x.dtype.isComplex) {
      re[i] = Number(t[2 * (b * size + i)]!);
      im[i] = Number(t[2 * (b * size + i) + 1]!);
    } else re[i] = Number(t[b * size + i]!);
  }
  return { rows, cols, re, im };
}

export function fromJson(c: CJson): CMat {
  const nested = globalThis.Array.isArray(c.re[0]);
  const rows = nested ? c.re.length : 1;
  const re = Float64Array.from((c.re as number[][]).flat());
  const im = Float64Array.from((c.im as number[][]).flat());
  return { rows, cols: re.length / rows, re, im };
}

/** The fixture matrix as a jaxts array: complex64/128 for complex cases, else float32/64. */
export function toJax(c: CJson, complex: boolean, dt: "float32" | "float64"): Array {
  const re = jnp.array(c.re as number[][], dt);
  return complex ? lax.complex(re, jnp.array(c.im as number[][], dt)) : re;
}

export function cmm(a: CMat, b: CMat): CMat {
  const re = new Float64Array(a.rows * b.cols);
  const im = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const xr = a.re[i * a.cols + k]!;
      const xi = a.im[i * a.cols + k]!;
      for (let j = 0; j < b.cols; j++) {
        const yr = b.re[k * b.cols + j]!;
        const yi = b.im[k * b.cols + j]!;
        re[i * b.cols + j] += xr * yr - xi * yi;
        im[i * b.cols + j] += xr * yi + xi * yr;
      }
    }
  return { rows: a.rows, cols: b.cols, re, im };
}

/** Conjugate transpose. */
export function cH(a: CMat): CMat {
  const re = new Float64Array(a.re.length);
  const im = new Float64Array(a.re.length);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) {
      re[j * a.rows + i] = a.re[i * a.cols + j]!;
      im[j * a.rows + i] = -a.im[i * a.cols + j]!;
    }
  return { rows: a.cols, cols: a.rows, re, im };
}

export const cdiff = (a: CMat, b: CMat): CMat => ({
  ...a,
  re: a.re.map((x, i) => x - b.re[i]!),
  im: a.im.map((x, i) => x - b.im[i]!),
});

export const cfro = (a: CMat): number =>
  Math.sqrt(a.re.reduce((s, x, i) => s + x * x + a.im[i]! ** 2, 0));

/** a with column j scaled by the complex s_j. */
export function scaleColsC(a: CMat, s: CMat): CMat {
  const re = new Float64Array(a.re.length);
  const im = new Float64Array(a.re.length);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) {
      const [xr, xi, sr, si] = [a.re[i * a.cols + j]!, a.im[i * a.cols + j]!, s.re[j]!, s.im[j]!];
      re[i * a.cols + j] = xr * sr - xi * si;
      im[i * a.cols + j] = xr * si + xi * sr;
    }
  return { ...a, re, im };
}

/** ‖ZᴴZ − I‖_F. */
export function unitaryResidual(z: CMat): number {
  const g = cmm(cH(z), z);
  for (let i = 0; i < g.rows; i++) g.re[i * g.cols + i] -= 1;
  return cfro(g);
}

/**
 * The largest distance between each reference eigenvalue and the nearest not yet matched one
 * of `got` (greedy matching, references in order).
 */
export function eigenvalueDistance(got: CMat, want: CMat): number {
  const used = new Set<number>();
  let worst = 0;
  for (let i = 0; i < want.re.length; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < got.re.length; j++) {
      if (used.has(j)) continue;
      const d = Math.hypot(got.re[j]! - want.re[i]!, got.im[j]! - want.im[i]!);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    used.add(best);
    worst = Math.max(worst, bestD);
  }
  return worst;
}
