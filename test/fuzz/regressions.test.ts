/**
 * Regression tests for the disagreements the program fuzzer (fuzz.test.ts) found, one `it` per
 * bug, named after it. Each runs the shrunk program eagerly and under jit on both devices and
 * checks JAX's value (worked out by hand from JAX's semantics, stated per case).
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  config,
  grad,
  jit,
  lax,
  numpy as jnp,
  vmap,
} from "../../src/index.js";
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
    const make = () => [
      jnp.array([false, false, true, true]),
      jnp.array([false, true, false, true]),
    ];
    const cases: [(a: Array, b: Array) => Array, boolean[]][] = [
      [jnp.greater, [false, false, true, false]],
      [jnp.greaterEqual, [true, false, true, true]],
      [jnp.less, [false, true, false, false]],
      [jnp.lessEqual, [true, true, false, true]],
    ];
    for (const [f, want] of cases) for (const got of everyWay(f, make)) expect(got).toEqual(want);
  });

  it("vmap of where with a scalar unbatched condition and a scalar case (select_n batching)", () => {
    // Fuzz vmap seeds 94 and 172: select_n needs its cases of one shape; the batching rule left
    // the unbatched scalar case 0-d ("select_n cases must have the same shapes").
    const f = (x: Array, c: Array) => jnp.where(c, 3.5, x);
    const g = (x: Array, c: Array) => jnp.where(c, x, c).reshape([1]);
    for (const device of ["js", "wasm"])
      on(device, () => {
        const x = jnp.array([1, 2, 3], { dtype: "float16" });
        for (const cond of [true, false]) {
          const c = jnp.array(cond);
          const vf = vmap(f, { inAxes: [0, null] });
          const want = cond ? [3.5, 3.5, 3.5] : [1, 2, 3];
          expect(vf(x, c).tolist()).toEqual(want);
          expect(jit(vf)(x, c).tolist()).toEqual(want);
          const vg = vmap(g, { inAxes: [0, null] });
          expect(vg(x, c).tolist()).toEqual(cond ? [[1], [2], [3]] : [[0], [0], [0]]);
          expect(jit(vg)(x, c).tolist()).toEqual(cond ? [[1], [2], [3]] : [[0], [0], [0]]);
        }
      });
  });
  it("grad of a scatter-mul without unique indices raises NotImplementedError (JAX's class)", () => {
    // Fuzz grad seeds 45/68/170: JAX raises NotImplementedError; jaxts raised a plain Error.
    const x = jnp.ones([3]);
    const f = (a: Array, b: Array) => jnp.sum(a.at(jnp.array([0, 2])).mul(b));
    // With respect to the operand it is defined: d/da sum(a.at([0, 2]).mul(2)) = [2, 1, 2].
    expect(grad(f)(x, jnp.array(2.0, { dtype: "float32" })).tolist()).toEqual([2, 1, 2]);
    expect(() => grad(f, { argnums: 1 })(x, jnp.array(2.5))).toThrow(NotImplementedError);
    expect(() => grad(f, { argnums: 1 })(x, jnp.array(2.5))).toThrow(
      /scatter_mul gradients are only implemented if `unique_indices=True`/,
    );
  });

  it("argmax/argmin under enableX64 (int64 indices) on both devices, eager and jit", () => {
    // Fuzz x64 seed 7001 (95 of 800 x64 programs): "argmin with index_dtype int64 is not
    // supported yet" — every argmax/argmin failed once x64 was on. JAX: int64 positions.
    config.update("enableX64", true);
    try {
      const make = () => [
        jnp.array(
          [
            [3, 9, 9],
            [7, 1, 1],
          ],
          { dtype: "float64" },
        ),
      ];
      const num = (x: unknown) =>
        JSON.parse(JSON.stringify(x, (_, v) => (typeof v === "bigint" ? Number(v) : v)));
      for (const [f, want] of [
        [(a: Array) => jnp.argmax(a, 1), [1, 0]],
        [(a: Array) => jnp.argmin(a, 1), [0, 1]],
        [(a: Array) => jnp.argmax(a, 0), [1, 0, 0]],
        [(a: Array) => jnp.argmin(a), 4],
      ] as [(a: Array) => Array, unknown][]) {
        for (const got of everyWay(f, make)) expect(num(got)).toEqual(want);
        expect(on("js", () => f(make()[0]!).dtype.name)).toBe("int64");
      }
    } finally {
      config.update("enableX64", false);
    }
  });

  it("jit on js: an empty int32/float32/bool operand cast to int64 in a concatenate (x64)", () => {
    // Fuzz vmap x64 seed 9142: the js kernel hoisted the load of the empty operand out of the
    // loop and BigInt(undefined) threw "Cannot convert undefined to a BigInt".
    config.update("enableX64", true);
    try {
      for (const dtype of ["int32", "float32", "bool", "uint8"] as const) {
        const make = () => [jnp.array([7], { dtype: "int64" }), jnp.zeros([0], dtype)];
        const f = (a: Array, b: Array) => jnp.concatenate([a, b.astype("int64")], -1);
        for (const got of everyWay(f, make)) expect(got).toEqual([7n]);
        const g = (a: Array, b: Array) =>
          jnp.concatenate([a, b.astype("uint64")], -1).astype("int64");
        for (const got of everyWay(g, make)) expect(got).toEqual([7n]);
      }
    } finally {
      config.update("enableX64", false);
    }
  });
  it("pad of an empty int64 array under jit (loads of empty buffers are constants)", () => {
    // The same bug as the concatenate case below, in lax.pad: its operand's load, in a select
    // no element takes, was hoisted and read the empty buffer. Fixed in loadAt for every op.
    const prev = config.read("enableX64");
    config.update("enableX64", true);
    try {
      const f = (a: Array) => lax.pad(a.mul(2), jnp.array(7, { dtype: "int64" }), [[1, 1, 0]]);
      for (const got of everyWay(f, () => [jnp.zeros([0], "int64")])) expect(got).toEqual([7n, 7n]);
    } finally {
      config.update("enableX64", prev);
    }
  });

  it("concatenate with an empty int64 operand under jit (no read of the empty buffer)", () => {
    // Fuzz forward (x64) seed 9047: the lowering selected between all operands, so the empty
    // one was read at index 0 (undefined), and the js device's int64 code raised "Cannot
    // convert undefined to a BigInt"; loads of empty buffers are now constants (loadAt).
    const prev = config.read("enableX64");
    config.update("enableX64", true);
    try {
      const f = (a: Array, b: Array) => jnp.concatenate([jnp.abs(a), b], 0);
      const make = () => [
        jnp.zeros([0, 2], "int64"),
        jnp.array(
          [
            [1, -2],
            [3, 4],
          ],
          { dtype: "int64" },
        ),
      ];
      for (const got of everyWay(f, make))
        expect(got).toEqual([
          [1n, -2n],
          [3n, 4n],
        ]);
    } finally {
      config.update("enableX64", prev);
    }
  });
  it("kernels that write only empty buffers do not run (int64 cumsum of a [2, 0] array)", () => {
    // Fuzz forward (x64) seed 201458: jit on the js device ran the multiply kernel of an
    // empty [1, 2, 0] output, whose load hoisted out of the (empty) loops read the empty int64
    // buffer and raised "Cannot convert NaN to a BigInt".
    const prev = config.read("enableX64");
    config.update("enableX64", true);
    try {
      const f = (x: Array) => {
        const c = jnp.cumsum(x, -2);
        return jnp.multiply(c, c).get(null);
      };
      for (const device of ["js", "wasm"])
        on(device, () => {
          const x = jnp.zeros([2, 0], "bool");
          for (const y of [f(x), jit(f)(x)]) {
            expect(y.shape).toEqual([1, 2, 0]);
            expect(y.dtype.name).toBe("int64");
          }
        });
    } finally {
      config.update("enableX64", prev);
    }
  });
});
