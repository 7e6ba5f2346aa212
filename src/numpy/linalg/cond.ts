/** `jnp.linalg.cond`: the condition number, by singular values (p = None, 2, −2) or norms. */
import { ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import { asarray } from "../coerce.js";
import { any } from "../reductions.js";
import { isnan, where } from "../ufuncs.js";
import { type NormOrder, norm } from "./norms.js";
import { inv } from "./solve.js";
import { svdvals } from "./spectral.js";

/** `jnp.linalg.cond(x, p=None)`. */
export function cond(x: ArrayLike, p: NormOrder = null): Array {
  const arr = asarray(x);
  const shape = shapeStr(arr.shape);
  if (arr.ndim < 2)
    throw new ValueError(
      `jnp.linalg.cond: input array must be at least 2D; got arr.shape=${shape}`,
    );
  if (arr.shape[arr.ndim - 1] === 0 || arr.shape[arr.ndim - 2] === 0)
    throw new ValueError(`jnp.linalg.cond: input array must not be empty; got arr.shape=${shape}`);
  let r: Array;
  if (p === null || p === 2) {
    const s = svdvals(arr);
    return s.get("...", 0).div(s.get("...", -1));
  } else if (p === -2) {
    const s = svdvals(arr);
    r = s.get("...", -1).div(s.get("...", 0));
  } else {
    if (arr.shape[arr.ndim - 2] !== arr.shape[arr.ndim - 1])
      throw new ValueError(
        `jnp.linalg.cond: for p=${String(p)}, array must be square; got arr.shape=${shape}`,
      );
    const axis = [-2, -1];
    r = norm(arr, { ord: p, axis }).mul(norm(inv(arr), { ord: p, axis }));
  }
  // NaNs become inf where the input itself has no NaN.
  return where(isnan(r).and(any(isnan(arr), [-2, -1]).not()), Infinity, r);
}
