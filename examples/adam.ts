/**
 * Adam (Kingma & Ba, 2015) over any pytree of parameters, written with `tree.map` so that it
 * traces inside `jit`: the examples' shared optimizer (optax's `adam` does the same in JAX).
 */
import { type Array, numpy as jnp, tree } from "jaxts";

export type AdamConfig = { lr: number; b1: number; b2: number; eps: number };

/** `tree.map` over trees of arrays of one structure `P` (its precise types need a concrete P). */
function mapLeaves<P>(f: (...leaves: Array[]) => Array, ...trees: P[]): P {
  const untyped = tree.map as (f: (...leaves: Array[]) => Array, ...trees: unknown[]) => unknown;
  return untyped(f, ...trees) as P;
}

export const adamDefaults: AdamConfig = { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8 };

/** Zero first and second moments shaped like `params`. */
export function adamInit<P>(params: P): { m: P; v: P } {
  const zeros = () => mapLeaves((p) => jnp.zerosLike(p), params);
  return { m: zeros(), v: zeros() };
}

/** One Adam update at step `t` (1-based, an array so that jit does not retrace per step). */
export function adamUpdate<P>(
  params: P,
  grads: P,
  m: P,
  v: P,
  t: Array,
  { lr, b1, b2, eps }: AdamConfig = adamDefaults,
): { params: P; m: P; v: P } {
  const m2 = mapLeaves((mi, gi) => mi.mul(b1).add(gi.mul(1 - b1)), m, grads);
  const v2 = mapLeaves((vi, gi) => vi.mul(b2).add(gi.mul(gi).mul(1 - b2)), v, grads);
  const c1 = jnp.power(b1, t).neg().add(1);
  const c2 = jnp.power(b2, t).neg().add(1);
  const p2 = mapLeaves(
    (p, mi, vi) =>
      p.sub(
        mi
          .div(c1)
          .mul(lr)
          .div(jnp.sqrt(vi.div(c2)).add(eps)),
      ),
    params,
    m2,
    v2,
  );
  return { params: p2, m: m2, v: v2 };
}
