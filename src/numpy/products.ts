/** Products: matmul, dot, vdot, inner, outer, tensordot. */
import { normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { promoteArgs } from "./coerce.js";

const range = (a: number, b: number) =>
  globalThis.Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

/** `jnp.matmul(a, b)` (`a @ b`): batch dims broadcast, 1-d operands promoted and squeezed. */
export function matmul(x: ArrayLike, y: ArrayLike): Array {
  let [a, b] = promoteArgs(x, y) as [Array, Array];
  if (a.ndim === 0 || b.ndim === 0)
    throw new TypeError("matmul: operands must be at least 1-dimensional, got a scalar.");
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  if (aVec) a = lax.reshape(a, [1, a.shape[0]!]);
  if (bVec) b = lax.reshape(b, [b.shape[0]!, 1]);
  const ka = a.shape[a.ndim - 1]!;
  const kb = b.shape[b.ndim - 2]!;
  if (ka !== kb) {
    throw new TypeError(
      `matmul: contracting dimensions differ: a has shape (${x instanceof Object && "shape" in x ? (x as Array).shape.join(", ") : a.shape.join(", ")}) ` +
        `and b has shape (${b.shape.join(", ")}); ${ka} != ${kb}.`,
    );
  }
  const ba = a.shape.slice(0, -2);
  const bb = b.shape.slice(0, -2);
  const nb = Math.max(ba.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const da = ba[ba.length - nb + i] ?? 1;
    const db = bb[bb.length - nb + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new TypeError(
        `matmul: batch dimensions (${ba.join(", ")}) and (${bb.join(", ")}) do not broadcast.`,
      );
    }
    batch.push(da === 1 ? db : da); // not max: a 1 broadcasts to 0, as numpy's
  }
  let out: Array;
  if (nb === 0) {
    out = lax.dotGeneral(a, b, [
      [[1], [0]],
      [[], []],
    ]);
  } else {
    const bcast = (t: Array, own: readonly number[]) => {
      const shape = [...batch, ...t.shape.slice(-2)];
      if (own.length === nb && own.every((d, i) => d === batch[i])) return t;
      return lax.broadcastInDim(
        t,
        shape,
        range(0, t.ndim).map((i) => i + shape.length - t.ndim),
      );
    };
    a = bcast(a, ba);
    b = bcast(b, bb);
    const bd = range(0, nb);
    out = lax.dotGeneral(a, b, [
      [[nb + 1], [nb]],
      [bd, bd],
    ]);
  }
  if (aVec && bVec) return lax.reshape(out, out.shape.slice(0, -2));
  if (aVec) return lax.reshape(out, [...out.shape.slice(0, -2), out.shape[out.ndim - 1]!]);
  if (bVec) return lax.reshape(out, out.shape.slice(0, -1));
  return out;
}

/** `jnp.dot(a, b)`: numpy's dot (last axis of a with second-to-last of b). */
export function dot(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs(x, y) as [Array, Array];
  if (a.ndim === 0 || b.ndim === 0) return lax.mul(...promoteScalarPair(a, b));
  const bc = b.ndim === 1 ? 0 : b.ndim - 2;
  if (a.shape[a.ndim - 1] !== b.shape[bc]) {
    throw new TypeError(
      `dot: shapes (${a.shape.join(", ")}) and (${b.shape.join(", ")}) not aligned: ${a.shape[a.ndim - 1]} (dim ${a.ndim - 1}) != ${b.shape[bc]} (dim ${bc})`,
    );
  }
  return lax.dotGeneral(a, b, [
    [[a.ndim - 1], [bc]],
    [[], []],
  ]);
}

function promoteScalarPair(a: Array, b: Array): [Array, Array] {
  if (a.ndim === 0 && b.ndim > 0) return [lax.broadcastInDim(a, b.shape, []), b];
  if (b.ndim === 0 && a.ndim > 0) return [a, lax.broadcastInDim(b, a.shape, [])];
  return [a, b];
}

export function vdot(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs(x, y) as [Array, Array];
  // As numpy/JAX, vdot conjugates its first argument.
  const ac = a.dtype.isComplex ? lax.conj(a) : a;
  return dot(lax.reshape(ac, [a.size]), lax.reshape(b, [b.size]));
}

export function inner(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs(x, y) as [Array, Array];
  if (a.ndim === 0 || b.ndim === 0) return lax.mul(...promoteScalarPair(a, b));
  return lax.dotGeneral(a, b, [
    [[a.ndim - 1], [b.ndim - 1]],
    [[], []],
  ]);
}

export function outer(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs(x, y) as [Array, Array];
  const af = lax.reshape(a, [a.size, 1]);
  const bf = lax.reshape(b, [1, b.size]);
  return lax.mul(
    lax.broadcastInDim(af, [a.size, b.size], [0, 1]),
    lax.broadcastInDim(bf, [a.size, b.size], [0, 1]),
  );
}

/** `jnp.tensordot(a, b, axes)`: axes an int N or [axesA, axesB]. */
export function tensordot(
  x: ArrayLike,
  y: ArrayLike,
  axes: number | [readonly number[], readonly number[]] = 2,
): Array {
  const [a, b] = promoteArgs(x, y) as [Array, Array];
  let ca: number[];
  let cb: number[];
  if (typeof axes === "number") {
    ca = range(a.ndim - axes, a.ndim);
    cb = range(0, axes);
  } else {
    ca = axes[0].map((d) => normalizeAxis(d, a.ndim));
    cb = axes[1].map((d) => normalizeAxis(d, b.ndim));
  }
  return lax.dotGeneral(a, b, [
    [ca, cb],
    [[], []],
  ]);
}
