/**
 * svd[algorithm compute_uv full_matrices subset_by_index]: A = U·diag(s)·Vᵀ for a batch of m×n
 * matrices; outputs (s [..., k]) or (s, u [..., m, m|k], vt [..., n|k, n]), k = min(m, n), s
 * descending. Lowered to an `svd` custom kernel (one-sided Jacobi). The JVP is JAX's
 * svd_jvp_rule (full matrices of a non-square input have none, as in JAX).
 */
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { bufferLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, Zero, notLinear } from "../../trace/primitive.js";
import { bind } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { convertElementType } from "../convert.js";
import { definePrimitive } from "../define.js";
import { add, div, eq, mul, sub } from "../elementwise/functions.js";
import { scalarLike } from "../constants.js";
import { batchMatmul, batchSize, batchToFront, checkFloat, matrixT, splitBatch } from "./common.js";
import { asCols, asRows, batchEye, diagonalMatrix, diagonalOf } from "./matrix-helpers.js";

export type SvdParams = {
  full_matrices: boolean;
  compute_uv: boolean;
  subset_by_index: [number, number] | null;
  algorithm: string | null;
};

export const svdP: Primitive<SvdParams> = definePrimitive<SvdParams>({
  name: "svd",
  abstractEval(avals, { full_matrices, compute_uv, subset_by_index }) {
    checkFloat("svd", avals);
    const { batch, core } = splitBatch("svd", avals, [2]);
    const x = avals[0]!;
    const [m, n] = core[0]! as [number, number];
    let rank = Math.min(m, n);
    if (subset_by_index !== null) {
      if (full_matrices && !(subset_by_index[0] === 0 && subset_by_index[1] === rank))
        throw new ValueError("full_matrices and subset_by_index cannot both be set");
      rank = Math.min(rank, subset_by_index[1] - subset_by_index[0]);
    }
    const s = x.update({ shape: [...batch, rank], weakType: false });
    if (!compute_uv) return [s];
    return [
      s,
      x.update({ shape: [...batch, m, full_matrices ? m : rank], weakType: false }),
      x.update({ shape: [...batch, full_matrices ? n : rank, n], weakType: false }),
    ];
  },
  lower(ctx, [x], params, outs) {
    const [m, n] = x!.aval.shape.slice(-2) as [number, number];
    const sub = params.subset_by_index;
    if (sub !== null && !(sub[0] === 0 && sub[1] === Math.min(m, n)))
      throw new NotImplementedError("subset_by_index is only implemented on TPU");
    const src = ctx.materialize(x!);
    const buffers = outs.map((o) => ctx.newBuffer(o));
    ctx.emit({
      kind: "custom",
      op: "svd",
      inputs: [src.view.buffer],
      outputs: buffers,
      params: {
        batch: batchSize(x!.aval.shape.slice(0, -2)),
        m,
        n,
        fullMatrices: params.full_matrices,
        computeUv: params.compute_uv,
        dtype: x!.aval.dtype.name,
      },
    });
    return buffers.map((b, i) => bufferLazy(b, outs[i]!));
  },
  jvp([a], [t], params) {
    const [s, u, vt] = bind(svdP, [a!], { ...params, full_matrices: false, compute_uv: true }) as [
      Array,
      Array,
      Array,
    ];
    const [m, n] = a!.shape.slice(-2) as [number, number];
    if (params.compute_uv && params.full_matrices && m !== n)
      throw new NotImplementedError(
        "Singular value decomposition JVP not implemented for full matrices",
      );
    const primals = params.compute_uv ? [s, u, vt] : [s];
    if (isZero(t)) return [primals, primals.map((o) => new Zero(o.aval))];
    const dA = t as Array;
    const ut = matrixT(u);
    const v = matrixT(vt);
    const dS = batchMatmul(batchMatmul(ut, dA), v);
    const ds = diagonalOf(dS);
    if (!params.compute_uv) return [primals, [ds]];
    const k = s.shape[s.ndim - 1]!;
    const sRow = asRows(s, k);
    const sCol = asCols(s, k);
    const sDiffs = mul(add(sRow, sCol), sub(sRow, sCol));
    const eyeK = batchEye(k, a!.dtype, s.shape.slice(0, -1));
    const f = sub(div(scalarLike(s, 1), add(sDiffs, eyeK)), eyeK);
    const dSS = mul(sRow, dS);
    const SdS = mul(sCol, dS);
    const sZeros = convertElementType(eq(s, scalarLike(s, 0)), s.dtype);
    const sInv = sub(div(scalarLike(s, 1), add(s, sZeros)), sZeros);
    const dUdVdiag = mul(mul(scalarLike(s, 0.5), sub(dS, matrixT(dS))), diagonalMatrix(sInv));
    let dU = batchMatmul(u, add(mul(f, add(dSS, matrixT(dSS))), dUdVdiag));
    let dV = batchMatmul(v, mul(f, add(SdS, matrixT(SdS))));
    if (m > n) {
      const dAV = batchMatmul(dA, v);
      dU = add(dU, div(sub(dAV, batchMatmul(u, batchMatmul(ut, dAV))), asRows(s, m)));
    }
    if (n > m) {
      const dAHU = batchMatmul(matrixT(dA), u);
      dV = add(dV, div(sub(dAHU, batchMatmul(v, batchMatmul(vt, dAHU))), asRows(s, n)));
    }
    return [primals, [ds, dU, matrixT(dV)]];
  },
  transpose: notLinear,
  batch(args, dims, params, size) {
    const outs = bind(svdP, batchToFront(args, dims, size), params);
    return [outs, outs.map(() => 0)];
  },
});

/** `lax.linalg.svd(x, full_matrices=True, compute_uv=True)` → [u, s, vt], or s alone. */
export function svd(
  x: Array,
  opts: {
    fullMatrices?: boolean;
    computeUv?: boolean;
    subsetByIndex?: [number, number] | null;
  } = {},
): Array | [Array, Array, Array] {
  const computeUv = opts.computeUv ?? true;
  const outs = bind(svdP, [x], {
    full_matrices: opts.fullMatrices ?? true,
    compute_uv: computeUv,
    subset_by_index: opts.subsetByIndex ?? null,
    algorithm: null,
  });
  if (!computeUv) return outs[0]!;
  const [s, u, vt] = outs as [Array, Array, Array];
  return [u, s, vt];
}
