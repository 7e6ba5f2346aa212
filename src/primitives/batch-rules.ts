/**
 * Shared batching rules (vmap): elementwise broadcasting, and the moves of batch dims
 * (defined with the shape primitives they bind, re-exported here for batching rules).
 */
import type { Params } from "../ir/jaxpr.js";
import type { BatchRule, Primitive } from "../trace/primitive.js";
import { bind } from "../trace/trace.js";
import { batchAtFront, broadcastInDim } from "./shape/broadcast.js";
import { moveAxis } from "./shape/transpose.js";

export { batchAtFront, moveAxis };

const range = (n: number) => globalThis.Array.from({ length: n }, (_, i) => i);

/**
 * Elementwise batching: batched operands get their batch dim in front; unbatched non-scalar
 * operands get a size-1 leading dim (lax broadcasting does the rest).
 */
export function elementwiseBatch(prim: () => Primitive): BatchRule<Params> {
  return (args, dims, params) => {
    const first = dims.findIndex((d) => d !== null);
    const d0 = dims[first]!;
    const sameLayout = args.every((a, i) =>
      dims[i] === null ? a.ndim === 0 : dims[i] === d0 && a.ndim === args[first]!.ndim,
    );
    if (sameLayout) {
      const outs = bind(prim(), args, params);
      return [outs, outs.map(() => d0)];
    }
    // Batched operands get their batch dim in front, unbatched non-scalars a size-1 one; a
    // batched per-example scalar gets trailing size-1 dims (JAX's `_handle_scalar_broadcasting`).
    const moved = args.map((a, i) =>
      dims[i] === null && a.ndim === 0 ? a : batchAtFront(a, dims[i]!),
    );
    const nd = Math.max(...moved.map((a) => a.ndim));
    const ranked = moved.map((a, i) =>
      dims[i] === null || a.ndim === nd
        ? a
        : broadcastInDim(a, [...a.shape, ...range(nd - a.ndim).map(() => 1)], range(a.ndim)),
    );
    const outs = bind(prim(), ranked, params);
    return [outs, outs.map(() => 0)];
  };
}
