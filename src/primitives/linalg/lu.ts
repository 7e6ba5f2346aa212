/**
 * lu: LU decomposition with partial pivoting of a batch of m×n matrices, P·A = L·U (LAPACK
 * getrf's contract): outputs lu (L strictly below the diagonal with an implicit unit diagonal,
 * U on and above it), pivots (int32 [..., min(m, n)], 0-based row swaps) and permutation
 * (int32 [..., m]). A zero pivot does not stop the factorization. lu_pivots_to_permutation
 * turns row swaps into a permutation. Both lower to custom kernels. The JVP is JAX's
 * (de Hoog, Anderssen & Lukas): with F = L⁻¹·P·Ȧ·U⁻¹, L̇ = L·tril(F, −1), U̇ = triu(F)·U.
 */
import type { ShapedArray } from "../../core/aval.js";
import { int32 } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { bufferLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, Zero, notDifferentiable, notLinear } from "../../trace/primitive.js";
import { bind, bind1 } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { scalarLike } from "../constants.js";
import { definePrimitive } from "../define.js";
import { add } from "../elementwise/functions.js";
import { pad } from "../shape/slice-pad.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { slice } from "../shape/slice-pad.js";
import { takeAlong } from "../sort.js";
import {
  batchMatmul,
  batchSize,
  batchToFront,
  checkFloat,
  eye,
  splitBatch,
  tril,
  triu,
} from "./common.js";
import { triangularSolve } from "./triangular-solve.js";

function luAvals(x: ShapedArray): ShapedArray[] {
  const batch = x.shape.slice(0, -2);
  const [m, n] = x.shape.slice(-2) as [number, number];
  return [
    x,
    x.update({ shape: [...batch, Math.min(m, n)], dtype: int32, weakType: false }),
    x.update({ shape: [...batch, m], dtype: int32, weakType: false }),
  ];
}

export const luP: Primitive = definePrimitive({
  name: "lu",
  abstractEval(avals) {
    checkFloat("lu", avals);
    splitBatch("lu", avals, [2]);
    return luAvals(avals[0]!);
  },
  lower(ctx, [x], _params, outs) {
    const src = ctx.materialize(x!);
    const buffers = outs.map((o) => ctx.newBuffer(o));
    const a = outs[0]!;
    const [m, n] = a.shape.slice(-2) as [number, number];
    ctx.emit({
      kind: "custom",
      op: "lu",
      inputs: [src.view.buffer],
      outputs: buffers,
      params: { batch: batchSize(a.shape.slice(0, -2)), m, n, dtype: a.dtype.name },
    });
    return buffers.map((b, i) => bufferLazy(b, outs[i]!));
  },
  jvp([a], [t]) {
    const outs = bind(luP, [a!], {});
    const [lu, pivots, permutation] = outs as [Array, Array, Array];
    const luDot = isZero(t) ? new Zero(lu.aval) : luJvp(lu, t as Array, permutation);
    return [outs, [luDot, new Zero(pivots.aval), new Zero(permutation.aval)]];
  },
  transpose: notLinear,
  batch(args, dims, _params, size) {
    const outs = bind(luP, batchToFront(args, dims, size), {});
    return [outs, [0, 0, 0]];
  },
});

/** Batched identity-padded L (m×m) and U (n×n) factors of a packed lu, for the JVP. */
function luJvp(lu: Array, aDot: Array, permutation: Array): Array {
  const nd = lu.ndim;
  const [m, n] = lu.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const batch = lu.shape.slice(0, -2);
  const lead = batch.map(() => [0, 0, 0] as [number, number, number]);
  const zero = scalarLike(lu, 0);
  const bEye = (size: number): Array =>
    broadcastInDim(eye(size, lu.dtype), [...batch, size, size], [nd - 2, nd - 1]);
  const start = lu.shape.map(() => 0);
  const lPart = slice(lu, start, [...batch, m, k]);
  const l = add(pad(tril(lPart, -1), zero, [...lead, [0, 0, 0], [0, m - k, 0]]), bEye(m));
  const uPart = slice(lu, start, [...batch, k, n]);
  const uEye = pad(bEye(n - k), zero, [...lead, [k, 0, 0], [k, 0, 0]]);
  const u = add(pad(triu(uPart), zero, [...lead, [0, n - k, 0], [0, 0, 0]]), uEye);
  // P·Ȧ: rows of Ȧ in the permutation's order.
  const permRows = broadcastInDim(permutation, aDot.shape, [...batch.map((_, i) => i), nd - 2]);
  const pa = takeAlong(aDot, permRows, nd - 2);
  const la = triangularSolve(l, pa, { leftSide: true, lower: true, unitDiagonal: true });
  const lau = triangularSolve(u, la, { leftSide: false, lower: false });
  return add(batchMatmul(l, tril(lau, -1)), batchMatmul(triu(lau), u));
}

export const luPivotsToPermutationP: Primitive<{ permutation_size: number }> = definePrimitive<{
  permutation_size: number;
}>({
  name: "lu_pivots_to_permutation",
  abstractEval(avals, { permutation_size }) {
    const p = avals[0]!;
    if (p.dtype !== int32)
      throw new TypeError(
        `lu_pivots_to_permutation does not accept dtype ${p.dtype.name} at position 0. ` +
          `Accepted dtypes at position 0 are subtypes of int32.`,
      );
    const { core } = splitBatch("lu_pivots_to_permutation", avals, [1]);
    const k = core[0]![0]!;
    if (!(permutation_size >= k))
      throw new ValueError(
        `Output permutation size ${permutation_size} has to exceed the trailing dimension of ` +
          `the pivots. Got pivots size ${k}`,
      );
    return [p.update({ shape: [...p.shape.slice(0, -1), permutation_size], weakType: false })];
  },
  lower(ctx, [x], { permutation_size }, [out]) {
    const src = ctx.materialize(x!);
    const buffer = ctx.newBuffer(out!);
    const k = x!.aval.shape[x!.aval.ndim - 1]!;
    ctx.emit({
      kind: "custom",
      op: "lu_pivots_to_permutation",
      inputs: [src.view.buffer],
      outputs: [buffer],
      params: { batch: batchSize(out!.shape.slice(0, -1)), k, size: permutation_size },
    });
    return [bufferLazy(buffer, out!)];
  },
  jvp: notDifferentiable("integer pivots"),
  transpose: notLinear,
  batch(args, dims, params, size) {
    return [[bind1(luPivotsToPermutationP, batchToFront(args, dims, size), params)], [0]];
  },
});

/** `lax.linalg.lu(x)` → [lu, pivots, permutation]. */
export function lu(x: Array): [Array, Array, Array] {
  return bind(luP, [x], {}) as [Array, Array, Array];
}

/** `lax.linalg.lu_pivots_to_permutation(pivots, permutation_size)`. */
export function luPivotsToPermutation(pivots: Array, permutationSize: number): Array {
  return bind1(luPivotsToPermutationP, [pivots], { permutation_size: permutationSize });
}
