/**
 * `lax.dynamicSlice` / `lax.dynamicUpdateSlice` start indices as JAX defines them
 * (jax.lax.dynamic_slice, `allow_negative_indices=True` by default): a negative start counts
 * from the end of its dimension once (`i + d`), then every start is clamped so the slice fits
 * (`[0, d - size]`). With `allowNegativeIndices: false` a negative start is out of range and
 * clamps to 0. Eager, under jit, on JS numbers and on traced int32 scalars.
 */
import { describe, expect, it } from "vitest";
import { type Array, jit, lax, makeJaxpr, numpy as jnp } from "../../src/index.js";

const x = jnp.arange(5);
// start → JAX's slice of arange(5) of size 3: wrap once if negative, clamp into [0, 2].
const sliceCases: [number, number[]][] = [
  [-1, [2, 3, 4]], // -1 + 5 = 4 → clamped to 2
  [-2, [2, 3, 4]], // 3 → 2
  [-3, [2, 3, 4]], // 2
  [-4, [1, 2, 3]], // 1
  [-5, [0, 1, 2]], // 0
  [-10, [0, 1, 2]], // -5 → clamped to 0
  [1, [1, 2, 3]],
  [4, [2, 3, 4]],
  [7, [2, 3, 4]],
];
// start → arange(5) with [9, 9] written at the adjusted start (clamped into [0, 3]).
const updateCases: [number, number[]][] = [
  [-1, [0, 1, 2, 9, 9]], // 4 → 3
  [-2, [0, 1, 2, 9, 9]], // 3
  [-3, [0, 1, 9, 9, 4]], // 2
  [-5, [9, 9, 2, 3, 4]], // 0
  [-9, [9, 9, 2, 3, 4]], // -4 → 0
  [2, [0, 1, 9, 9, 4]],
  [6, [0, 1, 2, 9, 9]],
];

describe("lax.dynamicSlice negative start indices (JAX: wrap once, then clamp)", () => {
  const sliceJit = jit((a: Array, i: Array) => lax.dynamicSlice(a, [i], [3]));
  const updJit = jit((a: Array, i: Array) => lax.dynamicUpdateSlice(a, jnp.array([9, 9]), [i]));
  for (const [s, want] of sliceCases) {
    it(`dynamicSlice(arange(5), [${s}], [3]) = [${want}]`, () => {
      expect(lax.dynamicSlice(x, [s], [3]).tolist()).toEqual(want);
      expect(lax.dynamicSlice(x, [jnp.array(s)], [3]).tolist()).toEqual(want);
      expect(sliceJit(x, jnp.array(s)).tolist()).toEqual(want);
    });
  }
  for (const [s, want] of updateCases) {
    it(`dynamicUpdateSlice(arange(5), [9, 9], [${s}]) = [${want}]`, () => {
      expect(lax.dynamicUpdateSlice(x, jnp.array([9, 9]), [s]).tolist()).toEqual(want);
      expect(updJit(x, jnp.array(s)).tolist()).toEqual(want);
    });
  }
  it("2-d, per-dimension allowNegativeIndices", () => {
    const m = jnp.arange(12).reshape(3, 4);
    expect(lax.dynamicSlice(m, [-1, -2], [2, 2]).tolist()).toEqual([
      [6, 7],
      [10, 11],
    ]);
    const off = { allowNegativeIndices: [true, false] };
    expect(lax.dynamicSlice(m, [-1, -2], [2, 2], off).tolist()).toEqual([
      [4, 5],
      [8, 9],
    ]);
    expect(
      lax
        .dynamicSlice(m, [jnp.array(-1), jnp.array(-1)], [1, 2], { allowNegativeIndices: false })
        .tolist(),
    ).toEqual([[0, 1]]);
  });
  it("jaxpr: a traced start is wrapped with lt/add/select_n, a JS number on the host", () => {
    const traced = makeJaxpr((a: Array, i: Array) => lax.dynamicSlice(a, [i], [3]))(
      jnp.zeros([5]),
      jnp.array(1),
    );
    expect(traced.toString()).toBe(
      [
        "{ lambda ; a:f32[5] b:i32[]. let",
        "    c:bool[] = lt b 0",
        "    d:i32[] = add b 5",
        "    e:i32[] = select_n c b d",
        "    f:f32[3] = dynamic_slice[slice_sizes=(3,)] a e",
        "  in (f,) }",
      ].join("\n"),
    );
    const host = makeJaxpr((a: Array) => lax.dynamicSlice(a, [-1], [3]))(jnp.zeros([5]));
    expect(host.toString()).toBe(
      "{ lambda ; a:f32[5]. let b:f32[3] = dynamic_slice[slice_sizes=(3,)] a 4 in (b,) }",
    );
  });
  it("bad options name the option and the fix", () => {
    expect(() => lax.dynamicSlice(x, [0], [2], { allow_negative_indices: false } as never)).toThrow(
      /unexpected keyword argument 'allow_negative_indices'. Did you mean 'allowNegativeIndices'/,
    );
    expect(() => lax.dynamicSlice(x, [0], [2], { allowNegativeIndices: [true, false] })).toThrow(
      /allowNegativeIndices must be one bool or one per dimension of the operand \(1\), got 2/,
    );
  });
});
