/**
 * eigh[algorithm lower sort_eigenvalues subset_by_index]: A = V·diag(w)·Vᵀ for a batch of real
 * symmetric n×n matrices, outputs (v [..., n, n], w [..., n]); only the `lower` (or upper)
 * triangle is read. Lowered to an `eigh` custom kernel (cyclic Jacobi; eigenvalues always
 * ascending, as JAX's CPU/GPU lowerings). The JVP is JAX's eigh_jvp_rule (non-degenerate
 * perturbation theory): ẇ = diag(Vᵀ·Ȧ·V), V̇ = V·(F ∘ Vᵀ·Ȧ·V), F_ij = 1/(w_j − w_i) off the
 * diagonal.
 */
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { bufferLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, Zero, notLinear } from "../../trace/primitive.js";
import { bind } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { add, mul, sub } from "../elementwise/functions.js";
import { reciprocal } from "../elementwise/rows.js";
import { batchMatmul, batchSize, batchToFront, checkFloat, matrixT, splitBatch } from "./common.js";
import { symmetrize } from "./cholesky.js";
import { asCols, asRows, batchEye, diagonalOf } from "./matrix-helpers.js";

export type EighParams = {
  lower: boolean;
  sort_eigenvalues: boolean;
  subset_by_index: [number, number] | null;
  algorithm: string | null;
};

const isFullSubset = (s: [number, number] | null, n: number): boolean =>
  s === null || (s[0] === 0 && s[1] === n);

export const eighP: Primitive<EighParams> = definePrimitive<EighParams>({
  name: "eigh",
  abstractEval(avals, { subset_by_index }) {
    checkFloat("eigh", avals);
    const { core } = splitBatch("eigh", avals, [2]);
    const x = avals[0]!;
    const [n, m] = core[0]! as [number, number];
    if (n !== m)
      throw new ValueError(
        "Argument to symmetric eigendecomposition must have shape [..., n, n], got shape " +
          shapeStr([n, m]),
      );
    const d = subset_by_index === null ? n : subset_by_index[1] - subset_by_index[0];
    const batch = x.shape.slice(0, -2);
    return [
      x.update({ shape: [...batch, n, d], weakType: false }),
      x.update({ shape: [...batch, d], weakType: false }),
    ];
  },
  lower(ctx, [x], params, outs) {
    const n = x!.aval.shape[x!.aval.ndim - 1]!;
    if (!isFullSubset(params.subset_by_index, n))
      throw new NotImplementedError("subset_by_index not supported on CPU and GPU");
    const src = ctx.materialize(x!);
    const buffers = outs.map((o) => ctx.newBuffer(o));
    ctx.emit({
      kind: "custom",
      op: "eigh",
      inputs: [src.view.buffer],
      outputs: buffers,
      params: {
        batch: batchSize(x!.aval.shape.slice(0, -2)),
        n,
        lower: params.lower,
        dtype: x!.aval.dtype.name,
      },
    });
    return buffers.map((b, i) => bufferLazy(b, outs[i]!));
  },
  jvp([a], [t], params) {
    const n = a!.shape[a!.ndim - 1]!;
    if (!isFullSubset(params.subset_by_index, n))
      throw new NotImplementedError("Derivatives not defined for partial eigen decomposition.");
    const outs = bind(eighP, [symmetrize(a!)], params);
    const [v, w] = outs as [Array, Array];
    if (isZero(t)) return [outs, outs.map((o) => new Zero(o.aval))];
    const eyeN = batchEye(n, a!.dtype, a!.shape.slice(0, -2));
    // F = 1 / (I + w_j − w_i) − I: zero on the diagonal without dividing by zero there.
    const fMat = sub(reciprocal(sub(add(eyeN, asRows(w, n)), asCols(w, n))), eyeN);
    const vtAv = batchMatmul(batchMatmul(matrixT(v), t as Array), v);
    const dv = batchMatmul(v, mul(fMat, vtAv));
    const dw = diagonalOf(vtAv);
    return [outs, [dv, dw]];
  },
  transpose: notLinear,
  batch(args, dims, params, size) {
    const outs = bind(eighP, batchToFront(args, dims, size), params);
    return [outs, outs.map(() => 0)];
  },
});

/** Options of `lax.linalg.eigh` (JAX's `lower`, `symmetrize_input`, `sort_eigenvalues`, `subset_by_index`). */
export interface EighOptions {
  lower?: boolean;
  symmetrizeInput?: boolean;
  sortEigenvalues?: boolean;
  subsetByIndex?: [number, number] | null;
}

/**
 * `lax.linalg.eigh(x, lower=True, symmetrize_input=True, sort_eigenvalues=True,
 * subset_by_index=None)` → [v, w].
 */
export function eigh(x: Array, opts: EighOptions = {}): [Array, Array] {
  const a = (opts.symmetrizeInput ?? true) ? symmetrize(x) : x;
  return bind(eighP, [a], {
    lower: opts.lower ?? true,
    sort_eigenvalues: opts.sortEigenvalues ?? true,
    subset_by_index: opts.subsetByIndex ?? null,
    algorithm: null,
  }) as [Array, Array];
}
