/**
 * Elementwise iteration to convergence for the special functions (incomplete gamma and beta):
 * a `lax.whileLoop` over a state of same-shaped arrays and a mask of elements still iterating.
 * Each pass computes the next state and whether each element goes on; elements that have
 * stopped keep their values, and the loop ends when none goes on or after `maxIter` passes
 * (as XLA's loops in JAX's igamma/betainc implementations). Built from lax ops, so jit, vmap
 * (a batched mask) and the primal side of grad work through it.
 */
import type { Array } from "../../trace/array.js";
import { whileLoop } from "../control-flow.js";
import { ValueError } from "../../core/errors.js";
import { broadcastShapes, shapeStr } from "../../core/shape.js";
import { any, asarray, broadcastTo, logicalAnd, where } from "../../numpy/namespace.js";
import { promoteArgsInexact } from "../../numpy/coerce.js";
import { operand } from "../operands.js";

/** One pass: the next state and, per element, whether it iterates again. */
export type IterateStep = (state: Array[], iteration: Array) => [next: Array[], goOn: Array];

/** Runs `step` from `init` while any element of `enabled` goes on, at most `maxIter` times. */
export function iterateElementwise(
  enabled: Array,
  init: Array[],
  step: IterateStep,
  maxIter: number,
): Array[] {
  const out = whileLoop(
    (v: Array[]) => logicalAnd(any(v[0]!), v[1]!.lt(maxIter)),
    (v: Array[]) => {
      const [on, i, ...state] = v as [Array, Array, ...Array[]];
      const [next, goOn] = step(state, i);
      return [logicalAnd(on, goOn), i.add(1), ...next.map((s, k) => where(on, s, state[k]!))];
    },
    [enabled, asarray(0), ...init],
  );
  return out.slice(2);
}

/** Whether `x` is float64 (the other float dtypes compute at float32 precision here). */
export const isF64 = (x: Array): boolean => String(x.dtype) === "float64";

/** Machine epsilon of `x`'s dtype (float32's unless float64). */
export function epsOf(x: Array): number {
  return isF64(x) ? 2.220446049250313e-16 : 1.1920928955078125e-7;
}

/** The largest finite value of `x`'s dtype (float32's unless float64). */
export function maxOf(x: Array): number {
  return isF64(x) ? Number.MAX_VALUE : 3.4028234663852886e38;
}

/** The operands promoted to one inexact dtype and broadcast to one shape (numpy's rules). */
export function broadcastInexact(name: string, ...xs: unknown[]): Array[] {
  const arrays = promoteArgsInexact(...(xs as Parameters<typeof promoteArgsInexact>));
  const shape = broadcastShapes(...arrays.map((a) => a.shape));
  if (!shape)
    throw new ValueError(
      `${name}: shapes ${arrays.map((a) => shapeStr(a.shape)).join(", ")} do not broadcast`,
    );
  return arrays.map((a) => broadcastTo(a, shape));
}

/** lax's argument rule: Arrays and JS scalars only (lists raise TypeError naming `lax.name`). */
export function laxOperands(name: string, ...xs: unknown[]): Array[] {
  return xs.map((x) => operand(name, x));
}
