import { describe, expect, it } from "vitest";
import { type Array, jit, lax, makeJaxpr, numpy as jnp } from "../../src/index.js";
import { Zero } from "../../src/trace/primitive.js";
import * as P from "../../src/primitives/index.js";
import { jvpRuleOf, transposeRuleOf } from "../../src/primitives/define.js";

const list = (a: Array) => (a as unknown as { tolist(): unknown }).tolist();

describe("sort", () => {
  it("sorts NaNs last, treats -0.0 as 0.0, and is stable", () => {
    const [s, perm] = lax.sort(
      [jnp.asarray([3, NaN, 1, -0, 0, 2, NaN]), jnp.arange(7)],
      0,
      true,
      1,
    );
    expect(list(perm!)).toEqual([3, 4, 2, 5, 0, 1, 6]);
    const v = list(s!) as number[];
    expect(v.slice(0, 5)).toEqual([-0, 0, 1, 2, 3]);
    expect(Object.is(v[0], -0)).toBe(true);
    expect(v.slice(5).every(Number.isNaN)).toBe(true);
  });

  it("sorts by several keys lexicographically, along any dimension", () => {
    const k1 = jnp.asarray([1, 0, 1, 0]);
    const k2 = jnp.asarray([4, 3, 2, 1]);
    const [a, b, c] = lax.sort([k1, k2, jnp.arange(4)], 0, true, 2);
    expect([list(a!), list(b!), list(c!)]).toEqual([
      [0, 0, 1, 1],
      [1, 3, 2, 4],
      [3, 1, 2, 0],
    ]);
    const m = jnp.asarray([
      [3, 1],
      [2, 5],
      [1, 4],
    ]);
    expect(list(lax.sort([m], 0)[0]!)).toEqual([
      [1, 1],
      [2, 4],
      [3, 5],
    ]);
  });

  it("prints sort[dimension is_stable num_keys] and agrees under jit", () => {
    const f = (x: Array) => lax.sort([x, jnp.arange(3)], 0, true, 1)[1]!;
    expect(makeJaxpr(f)(jnp.ones([3])).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:i32[3] = iota[dimension=0 dtype=int32 shape=(3,)] ",
        "    _:f32[3] c:i32[3] = sort[dimension=0 is_stable=True num_keys=1] a b",
        "  in (c,) }",
      ].join("\n"),
    );
    const x = jnp.asarray([2, -1, 7], "float32");
    expect(list(jit(f)(x))).toEqual(list(f(x)));
  });

  it("has a JVP that permutes the tangent like the values", () => {
    const x = jnp.asarray(
      [
        [3, 1, 2],
        [0, 5, 4],
      ],
      "float32",
    );
    const t = jnp.asarray(
      [
        [10, 20, 30],
        [40, 50, 60],
      ],
      "float32",
    );
    const [[s], [ts]] = jvpRuleOf(P.sortP)!([x], [t], {
      dimension: 1,
      is_stable: true,
      num_keys: 1,
    });
    expect(list(s!)).toEqual([
      [1, 2, 3],
      [0, 4, 5],
    ]);
    expect(list(ts as Array)).toEqual([
      [20, 30, 10],
      [40, 60, 50],
    ]);
  });

  it("rejects operands of different shapes", () => {
    expect(() => lax.sort([jnp.ones([3]), jnp.ones([4])])).toThrow(
      "Arguments to sort must have equal shapes, got: (3,) (4,)",
    );
  });
});

describe("cumulative reductions", () => {
  const x = jnp.asarray(
    [
      [1, 3, 2],
      [4, 0, 6],
    ],
    "float32",
  );
  it("scans along an axis, forwards or in reverse", () => {
    expect(list(lax.cumsum(x, 1))).toEqual([
      [1, 4, 6],
      [4, 4, 10],
    ]);
    expect(list(lax.cumsum(x, 1, true))).toEqual([
      [6, 5, 2],
      [10, 6, 6],
    ]);
    expect(list(lax.cumprod(x, 0))).toEqual([
      [1, 3, 2],
      [4, 0, 12],
    ]);
    expect(list(lax.cummax(x, 1))).toEqual([
      [1, 3, 3],
      [4, 4, 6],
    ]);
    expect(list(lax.cummin(x, 1, true))).toEqual([
      [1, 2, 2],
      [0, 0, 6],
    ]);
    expect((list(lax.cummax(jnp.asarray([1, NaN, 3]), 0)) as number[]).map(String)).toEqual([
      "1",
      "NaN",
      "NaN",
    ]);
  });

  it("wraps int32 sums and prints cumsum[axis reverse]", () => {
    expect(list(lax.cumsum(jnp.asarray([2147483647, 1], "int32"), 0))).toEqual([
      2147483647, -2147483648,
    ]);
    expect(makeJaxpr((a: Array) => lax.cumsum(a, 0, true))(jnp.ones([2])).toString()).toBe(
      "{ lambda ; a:f32[2]. let b:f32[2] = cumsum[axis=0 reverse=True] a in (b,) }",
    );
    expect(() => lax.cumsum(jnp.asarray([true]), 0)).toThrow(
      "cumsum does not accept dtype bool. Accepted dtypes are subtypes of number.",
    );
  });

  it("has JVPs: cumsum linear (transpose = reversed cumsum), cummax picks the running max", () => {
    const params = { axis: 1, reverse: false };
    const t = jnp.asarray(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      "float32",
    );
    const [, [ts]] = jvpRuleOf(P.cumsumP)!([x], [t], params);
    expect(list(ts as Array)).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ]);
    const [ct] = transposeRuleOf(P.cumsumP)!([t], [x], params);
    expect(list(ct as Array)).toEqual([
      [6, 5, 3],
      [15, 11, 6],
    ]);
    const [, [tm]] = jvpRuleOf(P.cummaxP)!([x], [t], params);
    expect(list(tm as Array)).toEqual([
      [1, 2, 2],
      [4, 4, 6],
    ]);
    const [, [tp]] = jvpRuleOf(P.cumprodP)!(
      [jnp.asarray([2, 3], "float32")],
      [jnp.asarray([1, 1], "float32")],
      { axis: 0, reverse: false },
    );
    expect(list(tp as Array)).toEqual([1, 5]);
    const [, [tz]] = jvpRuleOf(P.cumsumP)!([x], [new Zero(x.aval)], params);
    expect(tz).toBeInstanceOf(Zero);
  });
});
