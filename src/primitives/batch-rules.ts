/** Shared batching rules (vmap): moving batch dims, elementwise broadcasting. */
import type { Array } from "../trace/array.js";
import type { BatchRule, Primitive } from "../trace/primitive.js";
import { bind } from "../trace/trace.js";
import { broadcastInDim, transpose } from "./shape-ops.js";

/** Move axis `from` of `x` to position `to`. */
export function moveAxis(x: Array, from: number, to: number): Array {
  if (from === to) return x;
  const perm = [...Array_keys(x.ndim)].filter((a) => a !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

const Array_keys = (n: number) => globalThis.Array.from({ length: n }, (_, i) => i);

/** `x` with its batch dim (or a new size-1 one if unbatched) in front. */
export function batchAtFront(x: Array, dim: number | null): Array {
  if (dim === null)
    return x.ndim === 0
      ? x
      : broadcastInDim(
          x,
          [1, ...x.shape],
          Array_keys(x.ndim).map((i) => i + 1),
        );
  return moveAxis(x, dim, 0);
}

/**
 * Elementwise batching: batched operands get their batch dim in front; unbatched non-scalar
 * operands get a size-1 leading dim (lax broadcasting does the rest).
 */
export function elementwiseBatch(prim: () => Primitive): BatchRule<any> {
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
        : broadcastInDim(
            a,
            [...a.shape, ...Array_keys(nd - a.ndim).map(() => 1)],
            Array_keys(a.ndim),
          ),
    );
    const outs = bind(prim(), ranked, params);
    return [outs, outs.map(() => 0)];
  };
}
