/**
 * eig's JVP, JAX's eig_jvp_rule for the eigenvalues (first-order perturbation theory,
 * ẇ_j = (V⁻¹·Ȧ·V)_jj, eqn 4.60 of arXiv:1701.00392). JAX forms V⁻¹·Ȧ with a linear solve; here
 * the rows of V⁻¹ come from the left eigenvectors (V⁻¹ = D⁻¹·Ulᴴ with D = diag(u_jᴴ·v_j), the
 * same matrix since Ulᴴ·V is diagonal), because jaxts's LU does not take complex operands
 * yet: ẇ_j = u_jᴴ·Ȧ·v_j / u_jᴴ·v_j. Eigenvector tangents raise JAX's NotImplementedError
 * unless `enable_eigvec_derivs` is set; with it, they are not implemented here yet and say so.
 */
import { realPartDType, complexOfFloat } from "../../core/dtype.js";
import { NotImplementedError } from "../../core/errors.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, type Tangent, Zero } from "../../trace/primitive.js";
import { bind } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { conj } from "../complex/parts.js";
import { convertElementType } from "../convert.js";
import { div, mul } from "../elementwise/functions.js";
import { reduceSum } from "../reduce-sum.js";
import { batchMatmul, matrixT } from "./common.js";
import { diagonalOf } from "./matrix-helpers.js";

type EigJvpParams = {
  compute_left_eigenvectors: boolean;
  compute_right_eigenvectors: boolean;
  enable_eigvec_derivs: boolean;
  implementation: null;
};

export function eigJvp(
  eigP: Primitive<EigJvpParams>,
  primals: readonly Array[],
  tangents: readonly Tangent[],
  params: EigJvpParams,
): [Array[], Tangent[]] {
  const left = params.compute_left_eigenvectors;
  const right = params.compute_right_eigenvectors;
  if (left || right) {
    if (!params.enable_eigvec_derivs)
      throw new NotImplementedError(
        "Derivatives of non-symmetric eigenvectors are only valid under assumptions on the " +
          "input that JAX cannot check (see the enable_eigvec_derivs argument to " +
          "jax.lax.linalg.eig). Pass enable_eigvec_derivs=True to jax.lax.linalg.eig to opt " +
          "in. See https://github.com/jax-ml/jax/issues/2748 for discussion.",
      );
    throw new NotImplementedError(
      "jaxts does not implement eigenvector derivatives of eig (enable_eigvec_derivs=True) " +
        "yet; only the eigenvalues (compute_left_eigenvectors=False, " +
        "compute_right_eigenvectors=False) are differentiable",
    );
  }
  const a = primals[0]!;
  const t = tangents[0]!;
  const [w, vl, vr] = bind(eigP, [a], {
    ...params,
    compute_left_eigenvectors: true,
    compute_right_eigenvectors: true,
  }) as [Array, Array, Array];
  if (isZero(t)) return [[w], [new Zero(w.aval)]];
  const cdtype = complexOfFloat(realPartDType(a.dtype));
  const da = (t as Array).dtype === cdtype ? (t as Array) : convertElementType(t as Array, cdtype);
  const vlH = conj(matrixT(vl));
  const num = diagonalOf(batchMatmul(batchMatmul(vlH, da), vr));
  const den = reduceSum(mul(conj(vl), vr), [vr.ndim - 2]);
  return [[w], [div(num, den)]];
}
