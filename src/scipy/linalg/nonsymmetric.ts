/**
 * jax.scipy.linalg's nonsymmetric decompositions, written as JAX writes them over
 * lax.linalg's schur / hessenberg / householder_product / eig:
 * - schur(a, output='real'|'complex'): 'complex' casts to the complex dtype first;
 * - hessenberg(a, calcQ): H = triu(a_out, −1), Q = [1 0; 0 householder_product(reflectors)];
 * - rsf2csf(T, Z): real → complex Schur form by Givens rotations from the bottom up (one per
 *   2×2 block), a fori_loop of conds as JAX's `_rsf2csf_2d`, vmapped over batch dims;
 * - sqrtm(A): Z·√T·Zᴴ from the complex Schur form, √T by Björck & Hammarling's column
 *   recurrence (fori_loops over columns and rows as JAX's `_sqrtm_triu`; its innermost sum
 *   is one dot product here); complex result.
 */
import { complexOfFloat, realPartDType } from "../../core/dtype.js";
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { cond, foriLoop } from "../../lax/control-flow.js";
import { dynamicSlice, dynamicUpdateSlice } from "../../lax/shape.js";
import { asarray, promoteArgs, promoteArgsInexact } from "../../numpy/coerce.js";
import { conj } from "../../numpy/complex.js";
import { complex, imag, real } from "../../primitives/complex/parts.js";
import { arange, zeros } from "../../numpy/creation.js";
import { diagonal } from "../../numpy/diagonal.js";
import { eigvals } from "../../numpy/linalg/spectral.js";
import { norm } from "../../numpy/linalg/norms.js";
import { dot, matmul } from "../../numpy/products.js";
import { concatenate, stack } from "../../numpy/shape.js";
import { abs, sqrt, where } from "../../numpy/ufuncs.js";
import * as L from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import { jit } from "../../transforms/jit/jit.js";
import { vmap } from "../../transforms/vmap.js";

const epsOfDtype = (name: string): number =>
  name === "float32" || name === "complex64" ? 2 ** -23 : 2 ** -52;

const toComplex = (x: Array): Array =>
  x.dtype.isComplex ? x : x.astype(complexOfFloat(realPartDType(x.dtype)));

/**
 * `jax.scipy.linalg.schur(a, output='real')` → [T, Z] with A = Z·T·Zᴴ: T quasi-upper-triangular
 * (2×2 blocks for complex pairs) for 'real' on real input, upper triangular for 'complex'.
 */
export function schur(a: ArrayLike, output: "real" | "complex" = "real"): [Array, Array] {
  if (output !== "real" && output !== "complex")
    throw new ValueError(
      `Expected 'output' to be either 'real' or 'complex', got output=${String(output)}.`,
    );
  let x = asarray(a);
  if (output === "complex") x = toComplex(x);
  return L.schur(x) as [Array, Array];
}

/** Keyword arguments of `scipy.linalg.hessenberg`. */
export interface HessenbergOptions {
  calcQ?: boolean;
  overwriteA?: boolean;
  checkFinite?: boolean;
}

/**
 * `jax.scipy.linalg.hessenberg(a, calc_q=False)` → H, or [H, Q] with `calcQ` (A = Q·H·Qᴴ, H zero
 * below the first subdiagonal).
 */
export function hessenberg(a: ArrayLike, opts: HessenbergOptions = {}): Array | [Array, Array] {
  const x = asarray(a);
  const n = x.shape[x.ndim - 1]!;
  if (n === 0) {
    const z = zeros(x.shape, x.dtype);
    return opts.calcQ ? [z, z] : z;
  }
  const [aOut, taus] = L.hessenberg(x);
  const h = L.triu(aOut, -1);
  if (!opts.calcQ) return h;
  const batch = aOut.shape.slice(0, -2);
  const nb = batch.length;
  const sub = aOut.get("...", "1:", ":-1");
  const q = L.householderProduct(sub, taus);
  const top = concatenate(
    [zeros([...batch, 1, 1], aOut.dtype).add(1), zeros([...batch, 1, n - 1], aOut.dtype)],
    nb + 1,
  );
  const bottom = concatenate([zeros([...batch, n - 1, 1], aOut.dtype), q], nb + 1);
  return [h, concatenate([top, bottom], nb)];
}

/** One Givens step of rsf2csf at row m: zero T[m, m−1] by rotating rows/columns m−1, m. */
function rsf2csfStep(m: Array, t: Array, z: Array): [Array, Array] {
  const n = t.shape[0]!;
  const m1 = m.sub(1);
  const mu = eigvals(dynamicSlice(t, [m1, m1], [2, 2])).sub(t.get(m, m));
  const tmm1 = t.get(m, m1);
  const r = norm(stack([mu.get(0), tmm1])).astype(t.dtype);
  const c = mu.get(0).div(r);
  const s = tmm1.div(r);
  const g = stack([stack([conj(c), s]), stack([s.neg(), c])]).astype(t.dtype);
  const gH = conj(g).T;
  const rows = dynamicSlice(t, [m1, 0], [2, n]);
  const colMask = arange(n).ge(m1);
  const rowsNew = where(colMask, matmul(g, where(colMask, rows, 0)), rows);
  let tt = dynamicUpdateSlice(t, rowsNew, [m1, 0]);
  const cols = dynamicSlice(tt, [0, m1], [n, 2]);
  const rowMask = arange(n).reshape([n, 1]).lt(m.add(1));
  const colsNew = where(rowMask, matmul(where(rowMask, cols, 0), gH), cols);
  tt = dynamicUpdateSlice(tt, colsNew, [0, m1]);
  const zc = dynamicSlice(z, [0, m1], [n, 2]);
  return [tt, dynamicUpdateSlice(z, matmul(zc, gH), [0, m1])];
}

// jaxts's loops and conds do not carry complex values yet: complex state crosses them as
// (real, imaginary) pairs, rebuilt inside the bodies.
type Parts = [Array, Array];
const split = (x: Array): Parts => [real(x), imag(x)];
const join = ([re, im]: Parts): Array => complex(re, im);

function rsf2csf2d(t0: Array, z0: Array): [Array, Array] {
  const [t, z] = promoteArgs(t0, z0).map(toComplex) as [Array, Array];
  const n = t.shape[0]!;
  if (n === 1) return [t, z];
  const eps = epsOfDtype(t.dtype.name);
  const step = (m: Array, tp: Parts, zp: Parts): [Parts, Parts] => {
    const [tn, zn] = rsf2csfStep(m, join(tp), join(zp));
    return [split(tn), split(zn)];
  };
  const keep = (_m: Array, tp: Parts, zp: Parts): [Parts, Parts] => [tp, zp];
  const [tOut, zOut] = foriLoop(
    1,
    n,
    (i, [tp, zp]: [Parts, Parts]): [Parts, Parts] => {
      const m = i.neg().add(n);
      const m1 = m.sub(1);
      const tc = join(tp);
      const pred = abs(tc.get(m, m1)).gt(
        abs(tc.get(m1, m1))
          .add(abs(tc.get(m, m)))
          .mul(eps),
      );
      const [tn, zn] = cond(pred, step, keep, m, tp, zp) as [Parts, Parts];
      return [split(join(tn).at(m, m1).set(0)), zn];
    },
    [split(t), split(z)] as [Parts, Parts],
  );
  return [join(tOut), join(zOut)];
}

/**
 * `jax.scipy.linalg.rsf2csf(T, Z)`: the complex Schur form (upper triangular T, unitary Z) from
 * a real Schur form; batch dims broadcast.
 */
export function rsf2csf(T: ArrayLike, Z: ArrayLike, _checkFinite = true): [Array, Array] {
  const t = asarray(T);
  const z = asarray(Z);
  if (t.ndim < 2 || t.shape[t.ndim - 1] !== t.shape[t.ndim - 2])
    throw new ValueError("Input 'T' must be square.");
  if (z.ndim < 2 || z.shape[z.ndim - 1] !== z.shape[z.ndim - 2])
    throw new ValueError("Input 'Z' must be square.");
  if (t.shape[t.ndim - 1] !== z.shape[z.ndim - 1])
    throw new ValueError(
      `Input array shapes must match: Z: ${shapeStr(z.shape)} vs. T: ${shapeStr(t.shape)}`,
    );
  return batched2d(rsf2csf2d, t, z) as [Array, Array];
}

/** Applies a 2-D function over the (broadcast) leading dims of its matrix operands with vmap. */
function batched2d(f: (...xs: Array[]) => Array | Array[], ...xs: Array[]): Array | Array[] {
  const nb = Math.max(...xs.map((x) => x.ndim - 2));
  if (nb === 0) return jit(f)(...xs);
  const batch = xs
    .map((x) => x.shape.slice(0, -2))
    .reduce((acc, b) => {
      const out = [...acc];
      const off = nb - b.length;
      b.forEach((d, k) => (out[off + k] = out[off + k] === 1 ? d : out[off + k]!));
      return out;
    }, new globalThis.Array<number>(nb).fill(1));
  const full = xs.map((x) =>
    x.ndim - 2 === nb && x.shape.slice(0, -2).every((d, k) => d === batch[k])
      ? x
      : x.add(zeros([...batch, ...x.shape.slice(-2)], x.dtype)),
  );
  let g: (...ys: Array[]) => Array | Array[] = jit(f);
  for (let k = 0; k < nb; k++) g = vmap(g);
  return g(...full);
}

/** √T of an upper triangular complex T (Björck & Hammarling's recurrence, column by column). */
function sqrtmTriu(t: Array): Array {
  const d = sqrt(diagonal(t));
  const n = d.shape[0]!;
  const u0 = L.diagonalMatrix(d);
  const iLoop = (l: Array, [j, up]: [Array, Parts]): [Array, Parts] => {
    const u = join(up);
    const i = j.sub(1).sub(l);
    // Σ_{i<k<j} U[i,k]·U[k,j] as a dot of row i and column j: every other term is an exact
    // zero at this point (U is upper triangular and U[k,j] is still zero for k ≤ i), so this
    // is JAX's innermost fori_loop's sum, in the same order, in one operation.
    const s = dot(u.get(i), u.get(":", j));
    const tij = t.get(i, j);
    const value = where(tij.eq(s), 0, tij.sub(s).div(d.get(i).add(d.get(j))));
    return [j, split(u.at(i, j).set(value))];
  };
  const jLoop = (j: Array, up: Parts): Parts => foriLoop(0, j, iLoop, [j, up] as [Array, Parts])[1];
  return join(foriLoop(0, n, jLoop, split(u0)));
}

function sqrtm2d(a: Array): Array {
  const [t, z] = schur(a, "complex");
  return matmul(matmul(z, sqrtmTriu(t)), conj(z).T);
}

const sqrtmJit = jit(sqrtm2d);

/**
 * `jax.scipy.linalg.sqrtm(A, blocksize=1)`: the principal matrix square root through the complex
 * Schur form (always complex, as JAX's).
 */
export function sqrtm(A: ArrayLike, blocksize = 1): Array {
  if (blocksize > 1) throw new NotImplementedError("Blocked version is not implemented yet.");
  const [a] = promoteArgsInexact(asarray(A)) as [Array];
  if (a.ndim !== 2 || a.shape[0] !== a.shape[1])
    throw new ValueError(`sqrtm expects a square 2-D array, got shape ${shapeStr(a.shape)}`);
  return sqrtmJit(a);
}
