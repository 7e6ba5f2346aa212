/**
 * `jnp.convolve` / `jnp.correlate`: numpy's 1-D discrete convolution and cross-correlation
 * (modes full, same, valid), as JAX computes them: one conv_general_dilated of the longer
 * input with the (flipped, for convolve) shorter one.
 */
import { type DTypeLike, canonicalize, toDType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { promoteArgs, promoteArgsInexact } from "./coerce.js";
import { flip } from "./shape.js";

export type ConvolveMode = "full" | "same" | "valid";

export interface ConvolveOptions {
  preferredElementType?: DTypeLike | null;
}

function conv1d(
  x: ArrayLike,
  y: ArrayLike,
  mode: ConvolveMode,
  op: "convolve" | "correlate",
  options: ConvolveOptions,
): Array {
  const pet = options.preferredElementType ?? null;
  let [a, v] = (pet === null ? promoteArgsInexact(x, y) : promoteArgs(x, y)) as [Array, Array];
  if (a.ndim !== 1 || v.ndim !== 1)
    throw new ValueError(`${op}() only support 1-dimensional inputs.`);
  if (a.size === 0 || v.size === 0) {
    throw new ValueError(
      `${op}: inputs cannot be empty, got shapes (${a.shape[0]},) and (${v.shape[0]},).`,
    );
  }
  let reverse = false;
  if (a.shape[0]! < v.shape[0]!) {
    [a, v] = [v, a];
    reverse = op === "correlate";
  }
  if (op === "convolve") v = flip(v);
  const k = v.shape[0]!;
  let padding: [number, number];
  if (mode === "valid") padding = [0, 0];
  else if (mode === "same") padding = [Math.floor(k / 2), k - Math.floor(k / 2) - 1];
  else if (mode === "full") padding = [k - 1, k - 1];
  else throw new ValueError("mode must be one of ['full', 'same', 'valid']");
  const pe = pet === null ? null : canonicalize(toDType(pet));
  const flat = lax.correlateSingle(a, v, [padding], pe);
  return reverse ? flip(flat) : flat;
}

/** `jnp.convolve(a, v, mode='full')`: c[k] = Σ_j a[k − j]·v[j]. */
export function convolve(
  a: ArrayLike,
  v: ArrayLike,
  mode: ConvolveMode = "full",
  options: ConvolveOptions = {},
): Array {
  return conv1d(a, v, mode, "convolve", options);
}

/** `jnp.correlate(a, v, mode='valid')`: c[k] = Σ_n a[n + k]·v[n]. */
export function correlate(
  a: ArrayLike,
  v: ArrayLike,
  mode: ConvolveMode = "valid",
  options: ConvolveOptions = {},
): Array {
  return conv1d(a, v, mode, "correlate", options);
}
