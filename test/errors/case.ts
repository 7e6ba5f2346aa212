/**
 * One entry of the bad-input catalogue: a call with wrong input and the error JAX raises for it
 * (its class, and a pattern the message must match: what is wrong, with the argument's name,
 * shapes or value, and where JAX's message says so, the fix).
 */
import { type Array, numpy as jnp } from "../../src/index.js";

export type ErrorClass = abstract new (...args: never[]) => Error;

export interface BadInput {
  readonly name: string;
  readonly call: () => unknown;
  readonly error: ErrorClass;
  readonly message: RegExp;
}

export const bad = (
  name: string,
  call: () => unknown,
  error: ErrorClass,
  message: RegExp,
): BadInput => ({ name, call, error, message });

/** Shared operands (never mutated: the catalogue checks their values after every case). */
export const fx = {
  v3: jnp.array([1, 2, 3], { dtype: "float32" }),
  m23: jnp.arange(6, { dtype: "float32" }).reshape(2, 3),
  i3: jnp.array([0, 1, 2], { dtype: "int32" }),
  b3: jnp.array([true, false, true]),
  s: jnp.array(2.5, { dtype: "float32" }),
  empty: jnp.zeros([0], "float32"),
};

/** A value the type system would reject, passed as JS callers can. */
export const untyped = (x: unknown): never => x as never;

export const arr = (x: unknown): Array => x as Array;
