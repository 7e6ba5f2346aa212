/**
 * Host-side checks of decompositions (float64 on the host): matrix products, Frobenius norms,
 * the reconstruction and orthogonality residuals the qr/eigh/svd tests bound by c·n·ε, and the
 * fixtures of test/fixtures/decomp.json.
 */
import { readFileSync } from "node:fs";
import { type Array, numpy as jnp } from "../../../src/index.js";

export type Dt = "float32" | "float64";
export const EPS: Record<Dt, number> = { float32: 2 ** -23, float64: 2 ** -52 };

export interface GeneralCase {
  name: string;
  a: number[][];
  s: number[];
  pinv: number[][];
  matrix_rank: number;
  abs_r?: number[][];
  norm_2?: number;
  norm_m2?: number;
  norm_nuc?: number;
  cond?: number;
  b?: number[];
  lstsq_x?: number[];
}
export interface SymCase {
  name: string;
  a: number[][];
  w: number[];
  w_upper?: number[];
}
export interface Fixtures {
  general: GeneralCase[];
  symmetric: SymCase[];
  batched: { a: number[][][][]; s: number[][][]; w: number[][][] };
  scipy: {
    expm: { a: number[][]; l1: number; expm: number[][] }[];
    expm_upper: { a: number[][]; expm: number[][] };
    polar: { a: number[][]; u: number[][]; p: number[][] };
    polar_left: { a: number[][]; u: number[][]; p: number[][] };
  };
}

export const fixtures = JSON.parse(
  readFileSync(new URL("../../fixtures/decomp.json", import.meta.url), "utf8"),
) as Fixtures;

/** A host matrix: rows × cols, row-major float64. */
export interface Mat {
  rows: number;
  cols: number;
  d: Float64Array;
}

export function toArray(a: number[][] | number[][][][], dt: Dt): Array {
  return jnp.array(a as number[][], dt);
}

/** The trailing matrix of `x` at flat batch index `b`. */
export function mat(x: Array, b = 0): Mat {
  const rows = x.shape[x.ndim - 2]!;
  const cols = x.shape[x.ndim - 1]!;
  const all = Float64Array.from(x.toTypedArray() as ArrayLike<number>, Number);
  return { rows, cols, d: all.slice(b * rows * cols, (b + 1) * rows * cols) };
}

export function fromRows(a: number[][]): Mat {
  const rows = a.length;
  const cols = rows ? a[0]!.length : 0;
  return { rows, cols, d: Float64Array.from(a.flat()) };
}

export function mm(a: Mat, b: Mat): Mat {
  const d = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const x = a.d[i * a.cols + k]!;
      for (let j = 0; j < b.cols; j++) d[i * b.cols + j] += x * b.d[k * b.cols + j]!;
    }
  return { rows: a.rows, cols: b.cols, d };
}

export function tr(a: Mat): Mat {
  const d = new Float64Array(a.d.length);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) d[j * a.rows + i] = a.d[i * a.cols + j]!;
  return { rows: a.cols, cols: a.rows, d };
}

export function scaleCols(a: Mat, s: ArrayLike<number>): Mat {
  const d = a.d.map((x, idx) => x * s[idx % a.cols]!);
  return { ...a, d };
}

export const fro = (a: Mat): number => Math.sqrt(a.d.reduce((s, x) => s + x * x, 0));

export function diff(a: Mat, b: Mat): Mat {
  return { ...a, d: a.d.map((x, i) => x - b.d[i]!) };
}

/** ‖QᵀQ − I‖_F for a matrix with orthonormal columns. */
export function orthoResidual(q: Mat): number {
  const g = mm(tr(q), q);
  for (let i = 0; i < g.rows; i++) g.d[i * g.cols + i] -= 1;
  return fro(g);
}

/** Flat values as numbers. */
export const flat = (x: Array): number[] =>
  globalThis.Array.from(x.toTypedArray() as ArrayLike<number>, Number);
