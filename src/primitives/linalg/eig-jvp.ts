/**
 * eig's JVP, JAX's eig_jvp_rule for the eigenvalues (first-order perturbation theory,
 * ẇ_j = (V⁻¹·Ȧ·V)_jj, eqn 4.60 of arXiv:1701.00392). JAX forms V⁻¹·Ȧ with a linear solve; here
 * the rows of V⁻¹ come from the left eigenvectors (V⁻¹ = D⁻¹·Ulᴴ with D = diag(u_jᴴ·v_j), the
 * same matrix since Ulᴴ·V is diagonal), because jaxts's LU does not take complex operands
 * yet: ẇ_j = u_jᴴ·Ȧ·v_j / u_jᴴ·v_j. Eigenvector tangents raise JAX's NotImplementedError
 * unless `enable_eigvec_derivs` is set; with it, they follow JAX's `_eig_vec_jvp` (right
 * vectors from V⁻¹·Ȧ·V, left vectors from Ul⁻¹·Ȧᴴ·Ul with the conjugate eigenvalues).
 */
import { complexOfFloat, int32, realPartDType } from "../../core/dtype.js";
import { NotImplementedError } from "../../core/errors.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, type Tangent, Zero } from "../../trace/primitive.js";
import { bind, bind1 } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { complex, conj, imag, real } from "../complex/parts.js";
import { convertElementType } from "../convert.js";
import { abs, add, div, eq, mul, neg, sub } from "../elementwise/functions.js";
import { reciprocal } from "../elementwise/rows.js";
import { argmaxP } from "../reductions.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { iota } from "../shape/iota.js";
import { reduceSum } from "../reduce-sum.js";
import { batchMatmul, matrixT } from "./common.js";
import { asCols, asRows, batchEye, diagonalOf } from "./matrix-helpers.js";

type EigJvpParams = {
  compute_left_eigenvectors: boolean;
  compute_right_eigenvectors: boolean;
  enable_eigvec_derivs: boolean;
  implementation: null;
};

/**
 * JAX's `_eig_vec_jvp` given P = V⁻¹·Ȧ·V: ẇ = diag(P), U = V·(F ∘ P) with F_ij = 1/(w_j − w_i)
 * off the diagonal, and the free multiple of each v_j fixed by geev's normalization (unit norm,
 * largest-magnitude component k_j real): v̇_j = u_j + c_j·v_j with
 * c_j = −Re(v_jᴴ·u_j) − i·Im(u_{k_j j}) / v_{k_j j}.
 */
function eigVecJvp(w: Array, v: Array, p: Array): [Array, Array] {
  const n = w.shape[w.ndim - 1]!;
  const batch = w.shape.slice(0, -1);
  const eyeN = batchEye(n, w.dtype, batch);
  const fMat = sub(reciprocal(sub(add(eyeN, asRows(w, n)), asCols(w, n))), eyeN);
  const dw = diagonalOf(p);
  const u = batchMatmul(v, mul(fMat, p));
  const rows = v.ndim - 2;
  const k = bind1(argmaxP, [abs(v)], { axes: [rows], index_dtype: int32 });
  const iotaRows = iota(int32, v.shape, rows);
  const kRows = broadcastInDim(k, v.shape, [...k.shape.map((_, i) => (i < rows ? i : i + 1))]);
  const mask = convertElementType(eq(iotaRows, kRows), v.dtype);
  const c = complex(
    neg(real(reduceSum(mul(conj(v), u), [rows]))),
    div(neg(imag(reduceSum(mul(mask, u), [rows]))), real(reduceSum(mul(mask, v), [rows]))),
  );
  return [dw, add(u, mul(v, asRows(c, n)))];
}

export function eigJvp(
  eigP: Primitive<EigJvpParams>,
  primals: readonly Array[],
  tangents: readonly Tangent[],
  params: EigJvpParams,
): [Array[], Tangent[]] {
  const left = params.compute_left_eigenvectors;
  const right = params.compute_right_eigenvectors;
  if ((left || right) && !params.enable_eigvec_derivs)
    throw new NotImplementedError(
      "Derivatives of non-symmetric eigenvectors are only valid under assumptions on the " +
        "input that JAX cannot check (see the enable_eigvec_derivs argument to " +
        "jax.lax.linalg.eig). Pass enable_eigvec_derivs=True to jax.lax.linalg.eig to opt " +
        "in. See https://github.com/jax-ml/jax/issues/2748 for discussion.",
    );
  const a = primals[0]!;
  const t = tangents[0]!;
  const [w, vl, vr] = bind(eigP, [a], {
    ...params,
    compute_left_eigenvectors: true,
    compute_right_eigenvectors: true,
  }) as [Array, Array, Array];
  const primalOut = [w, ...(left ? [vl] : []), ...(right ? [vr] : [])];
  if (isZero(t)) return [primalOut, primalOut.map((o) => new Zero(o.aval))];
  const cdtype = complexOfFloat(realPartDType(a.dtype));
  const da = (t as Array).dtype === cdtype ? (t as Array) : convertElementType(t as Array, cdtype);
  // D = diag(Ulᴴ·V): V⁻¹ = D⁻¹·Ulᴴ and Ul⁻¹ = conj(D)⁻¹·Vᴴ.
  const n = w.shape[w.ndim - 1]!;
  const d = reduceSum(mul(conj(vl), vr), [vr.ndim - 2]);
  const pRight = div(batchMatmul(batchMatmul(conj(matrixT(vl)), da), vr), asCols(d, n));
  if (!(left || right)) return [primalOut, [diagonalOf(pRight)]];
  const [dw, dvr] = eigVecJvp(w, vr, pRight);
  const tangentOut: Array[] = [dw];
  if (left) {
    const daH = conj(matrixT(da));
    const pLeft = div(batchMatmul(batchMatmul(conj(matrixT(vr)), daH), vl), asCols(conj(d), n));
    tangentOut.push(eigVecJvp(conj(w), vl, pLeft)[1]);
  }
  if (right) tangentOut.push(dvr);
  return [primalOut, tangentOut];
}
