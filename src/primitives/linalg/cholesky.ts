/**
 * cholesky: the lower Cholesky factor of a batch of symmetric positive-definite matrices
 * (LAPACK potrf's contract: the strict upper triangle is the input's; a matrix that is not
 * positive definite becomes all NaN). Lowered to a `cholesky` custom kernel. JVP as JAX's
 * (Murray 2016): L̇ = L·Φ(L⁻¹ Ȧ L⁻ᵀ), Φ taking the lower triangle with a halved diagonal.
 */
import { ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { bufferLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, type Tangent, Zero, notLinear } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { scalarLike } from "../constants.js";
import { definePrimitive } from "../define.js";
import { add, div } from "../elementwise/functions.js";
import { broadcastInDim } from "../shape/broadcast.js";
import {
  batchMatmul,
  batchSize,
  batchToFront,
  checkFloat,
  eye,
  matrixT,
  splitBatch,
  tril,
} from "./common.js";
import { triangularSolve } from "./triangular-solve.js";

export const choleskyP: Primitive = definePrimitive({
  name: "cholesky",
  abstractEval(avals) {
    checkFloat("cholesky", avals);
    const { core } = splitBatch("cholesky", avals, [2]);
    const [n, m] = core[0]! as [number, number];
    if (n !== m)
      throw new ValueError(
        `The input to cholesky must be a square matrix. Got shape ${shapeStr([n, m])}.`,
      );
    return [avals[0]!];
  },
  lower(ctx, [x], _params, [out]) {
    const src = ctx.materialize(x!);
    const buffer = ctx.newBuffer(out!);
    const n = out!.shape[out!.ndim - 1]!;
    ctx.emit({
      kind: "custom",
      op: "cholesky",
      inputs: [src.view.buffer],
      outputs: [buffer],
      params: { batch: batchSize(out!.shape.slice(0, -2)), n, dtype: out!.dtype.name },
    });
    return [bufferLazy(buffer, out!)];
  },
  jvp([x], [t]) {
    const L = tril(bind1(choleskyP, [x!]));
    if (isZero(t)) return [[L], [new Zero(L.aval)]];
    const tmp = triangularSolve(L, t as Array, { leftSide: false, transposeA: true, lower: true });
    const inner = triangularSolve(L, tmp, { leftSide: true, lower: true });
    const lDot: Tangent = batchMatmul(L, phi(inner));
    return [[L], [lDot]];
  },
  transpose: notLinear,
  batch(args, dims, _params, size) {
    return [[bind1(choleskyP, batchToFront(args, dims, size))], [0]];
  },
});

/** Φ(X): the lower triangle of X with its diagonal halved. */
function phi(x: Array): Array {
  const n = x.shape[x.ndim - 1]!;
  const denom = add(scalarLike(x, 1), eye(n, x.dtype));
  const nd = x.ndim;
  return div(tril(x), nd === 2 ? denom : broadcastInDim(denom, x.shape, [nd - 2, nd - 1]));
}

/** `lax.linalg.cholesky(x, symmetrize_input=True)`: the lower factor, zeros above it. */
export function cholesky(x: Array, symmetrizeInput = true): Array {
  const a = symmetrizeInput ? symmetrize(x) : x;
  return tril(bind1(choleskyP, [a]));
}

/** (x + xᵀ) / 2 over the trailing matrices. */
export function symmetrize(x: Array): Array {
  return div(add(x, matrixT(x)), scalarLike(x, 2));
}
