/**
 * Rejection loops without a `while_loop` primitive. JAX's gamma and poisson samplers loop
 * until every element is accepted; each element's state freezes once it is done, so running
 * extra iterations changes nothing. Here a loop runs on the host while its values are concrete
 * (eager calls: exactly JAX's iteration count), and is unrolled a fixed number of times when
 * traced (under jit/vmap): exact unless some element needs more iterations than that, which
 * the callers bound to a negligible probability.
 */
import type { Array } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { reduceOr } from "../lax/wrappers.js";
import { isConcreteArray } from "../runtime/array.js";

/**
 * Run `body` while `cond(state)` holds for any element (at most `maxIters` times, or `unroll`
 * times when traced). `cond` returns a bool array; `body` gets that mask and the state.
 */
export function whileAny<S>(
  state: S,
  cond: (s: S) => Array,
  body: (active: Array, s: S) => S,
  unroll: number,
  maxIters = Infinity,
): S {
  let s = state;
  for (let i = 0; i < maxIters; i++) {
    const active = cond(s);
    const any =
      active.ndim === 0
        ? active
        : reduceOr(
            active,
            active.shape.map((_, k) => k),
          );
    if (isConcreteArray(any)) {
      if (!any.item()) return s;
    } else if (i >= unroll) {
      return s;
    }
    s = body(active, s);
  }
  return s;
}

/** Elementwise `mask ? a : b` where `a`, `b` may have trailing dims beyond the mask's. */
export function where(mask: Array, a: Array, b: Array): Array {
  const m =
    a.ndim === mask.ndim
      ? mask
      : P.broadcastInDim(
          mask,
          a.shape,
          mask.shape.map((_, i) => i),
        );
  return P.selectN(m, b, a);
}
