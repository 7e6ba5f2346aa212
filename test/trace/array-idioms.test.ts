/**
 * Arrays in JS's idioms: iteration over the first axis (`for…of`, spread, destructuring), a
 * 0-d array's TypeError, tracers iterating over their static first dimension, `toJSON` as
 * `tolist()` (64-bit ints as numbers when safe, else strings), `Symbol.toStringTag`, and no
 * numeric index access.
 */
import { describe, expect, it } from "vitest";
import { type Array, config, jit, makeJaxpr, numpy as jnp, random } from "../../src/index.js";

describe("iteration over the first axis", () => {
  it("for…of, spread and destructuring yield x.get(i)", () => {
    const x = jnp.array([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const rows: unknown[] = [];
    for (const row of x) rows.push(row.tolist());
    expect(rows).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect([...x].map((r) => r.shape)).toEqual([[2], [2], [2]]);
    const [first, , last] = x;
    expect(first!.tolist()).toEqual([1, 2]);
    expect(last!.tolist()).toEqual([5, 6]);
    expect([...jnp.arange(3)].map((e) => e.item())).toEqual([0, 1, 2]);
    expect([...jnp.zeros([0, 4])]).toEqual([]);
  });
  it("random.split keys destructure (raw uint32 keys and typed keys)", () => {
    const [k1, k2] = random.split(random.PRNGKey(0));
    expect(k1!.shape).toEqual([2]);
    expect(k1!.dtype.name).toBe("uint32");
    expect(k1!.tolist()).not.toEqual(k2!.tolist());
    const [t1, t2] = random.split(random.key(0));
    expect(t1!.shape).toEqual([]);
    expect(String(t1)).not.toEqual(String(t2));
  });
  it("a 0-d array raises JAX's TypeError", () => {
    const s = jnp.array(3);
    expect(() => [...s]).toThrow(TypeError);
    expect(() => [...s]).toThrow("iteration over a 0-d array");
  });
  it("a tracer iterates over its static first dimension", () => {
    const f = (x: Array) => {
      const [a, b, c] = x;
      return a!.add(b!).mul(c!);
    };
    expect(jit(f)(jnp.array([1, 2, 3])).item()).toBe(9);
    const text = makeJaxpr(f)(jnp.array([1, 2, 3])).toString();
    expect(text).toContain("slice");
    expect(() => jit((x: Array) => [...x])(jnp.array(1))).toThrow("iteration over a 0-d array");
  });
  it("there is no numeric index access (use x.get(i))", () => {
    const x = jnp.array([1, 2, 3]) as unknown as Record<number, unknown>;
    expect(x[0]).toBeUndefined();
    const keys = random.split(random.key(0), 3) as unknown as Record<number, unknown>;
    expect(keys[1]).toBeUndefined();
  });
});

describe("toJSON and toStringTag", () => {
  it("JSON.stringify gives nested lists, as tolist()", () => {
    expect(JSON.stringify(jnp.array([1, 2, 3]))).toBe("[1,2,3]");
    expect(JSON.stringify({ w: jnp.array([[1.5], [2]]) })).toBe('{"w":[[1.5],[2]]}');
    expect(JSON.stringify(jnp.array(true))).toBe("true");
    expect(JSON.stringify(jnp.array(2.5))).toBe("2.5");
  });
  it("64-bit ints: numbers where safe, decimal strings otherwise", () => {
    config.update("enableX64", true);
    try {
      const big = jnp.array(new BigInt64Array([1n, -(2n ** 53n) + 1n, 2n ** 60n]));
      expect(big.dtype.name).toBe("int64");
      expect(JSON.stringify(big)).toBe(`[1,${-(2 ** 53) + 1},"${(2n ** 60n).toString()}"]`);
    } finally {
      config.update("enableX64", false);
    }
  });
  it("tracers do not serialize (TracerArrayConversionError, as tolist)", () => {
    expect(() => jit((x: Array) => (JSON.stringify(x), x))(jnp.ones([2]))).toThrow(
      /TracerArrayConversionError|tracer/i,
    );
  });
  it("Object.prototype.toString says jaxts.Array", () => {
    expect(Object.prototype.toString.call(jnp.ones([2]))).toBe("[object jaxts.Array]");
    expect(globalThis.Array.isArray(jnp.ones([2]))).toBe(false);
  });
});
