/**
 * Regression tests for the disagreements the program fuzzer (fuzz.test.ts) found, one `it` per
 * bug, named after it. Each runs the shrunk program eagerly and under jit on both devices and
 * checks JAX's value (worked out by hand from JAX's semantics, stated per case).
 */
import { describe, expect, it } from "vitest";
import { type Array, jit, numpy as jnp } from "../../src/index.js";
import { on } from "./program.js";

/** `f`'s value (as a nested list) eagerly and under jit on the js and wasm devices. */
function everyWay(f: (...xs: Array[]) => Array, make: () => Array[]): unknown[] {
  const out: unknown[] = [];
  for (const device of ["js", "wasm"])
    on(device, () => {
      const xs = make();
      out.push(f(...xs).tolist(), jit(f)(...xs).tolist());
    });
  return out;
}

describe("fuzzer regressions", () => {
  it("bool ordering comparisons (lt/le/gt/ge accept bool as in JAX: false < true)", () => {
    const make = () => [jnp.array([false, false, true, true]), jnp.array([false, true, false, true])];
    const cases: [(a: Array, b: Array) => Array, boolean[]][] = [
      [jnp.greater, [false, false, true, false]],
      [jnp.greaterEqual, [true, false, true, true]],
      [jnp.less, [false, true, false, false]],
      [jnp.lessEqual, [true, true, false, true]],
    ];
    for (const [f, want] of cases) for (const got of everyWay(f, make)) expect(got).toEqual(want);
  });
});
