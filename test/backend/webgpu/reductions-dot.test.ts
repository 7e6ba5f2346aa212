/**
 * webgpu vs js: reductions (short ones loop per invocation, ≥ 64 elements use a workgroup
 * tree), argmax/argmin (first extremum, NaN first), and dot_general shapes — odd sizes that
 * leave partial 32×32 tiles, batch dimensions, transposed (strided) operands, int32 exactly.
 * float32 sums differ from the js device (which accumulates in float64) by rounding only:
 * tolerance 1e-5 relative plus 1e-5 absolute per unit of Σ|x|.
 */
import { expect, it } from "vitest";
import { type Array, jit, numpy as jnp } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats, hostInts } from "./compare.js";

shutdownAfterAll();

const arr = (shape: number[], seed: number) =>
  jnp
    .array(
      hostFloats(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
    )
    .reshape(shape);
const iarr = (shape: number[], seed: number) =>
  jnp
    .array(
      hostInts(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
    )
    .reshape(shape);

describeWebgpu("webgpu reductions", () => {
  it.each([
    [[7], null],
    [[5, 9], 1],
    [[5, 9], 0],
    [[300, 7], 0],
    [[3, 1000], 1],
    [
      [4, 5, 6],
      [0, 2],
    ],
    [[100_000], null],
  ] as const)("sum/max/min/prod/mean of %j over axis %j", async (shape, axis) => {
    const ax = axis === null ? undefined : (axis as number | number[]);
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    await expectSameAsJs(() => jnp.sum(arr([...shape], 1), ax), 1e-5, 1e-5 * Math.sqrt(n), "sum");
    await expectSameAsJs(() => jnp.max(arr([...shape], 2), ax), 0, 0, "max");
    await expectSameAsJs(() => jnp.min(arr([...shape], 3), ax), 0, 0, "min");
    await expectSameAsJs(() => jnp.mean(arr([...shape], 4), ax), 1e-5, 1e-5, "mean");
    if (n < 2000)
      await expectSameAsJs(
        () =>
          jnp.prod(
            arr([...shape], 5)
              .mul(0.3)
              .add(1),
            ax,
          ),
        1e-5,
        1e-30,
        "prod",
      );
  });

  it("int32 and bool reductions are exact (sums wrap)", async () => {
    for (const shape of [
      [9, 11],
      [3, 4096],
    ]) {
      await expectSameAsJs(() => jnp.sum(iarr(shape, 6), 1));
      await expectSameAsJs(() => jnp.sum(iarr(shape, 6).mul(100_000_000), 1));
      await expectSameAsJs(() => jnp.max(iarr(shape, 7), 1));
      await expectSameAsJs(() => jnp.all(iarr(shape, 8).gt(-49), 1));
      await expectSameAsJs(() => jnp.any(iarr(shape, 9).gt(48), 1));
      await expectSameAsJs(() => jnp.sum(iarr(shape, 9).gt(0), 1));
    }
  });

  it("argmax/argmin: the first extremum; a NaN counts as the extremum", async () => {
    for (const n of [10, 5000]) {
      const d = hostFloats(3 * n, 11);
      d[n + 7] = d[n + 3] = 9; // a tie in row 1: the first wins
      d[2 * n + n - 2] = NaN; // row 2: the NaN
      await expectSameAsJs(() => jnp.argmax(jnp.array(d).reshape([3, n]), 1));
      await expectSameAsJs(() => jnp.argmin(jnp.array(d).reshape([3, n]), 1));
      await expectSameAsJs(() => jnp.argmax(iarr([n, 3], 12), 0));
    }
  });

  it("softmax and logsumexp: reductions fused with elementwise work around them", async () => {
    const sm = jit((x: Array) => {
      const e = jnp.exp(x.sub(jnp.max(x, -1, { keepdims: true })));
      return e.div(jnp.sum(e, -1, { keepdims: true }));
    });
    await expectSameAsJs(() => sm(arr([6, 300], 13)), 1e-5, 1e-7);
    await expectSameAsJs(() => sm(arr([200, 5], 14)), 1e-5, 1e-7);
  });

  it("the tree reduction is deterministic: the same sum twice is bit-identical", async () => {
    const x = arr([1, 1 << 16], 15);
    const a = jnp.sum(x, 1);
    const b = jnp.sum(x, 1);
    expect(a.toTypedArray()).toEqual(b.toTypedArray());
  });
});

describeWebgpu("webgpu dot_general", () => {
  it.each([
    [1, 1, 1],
    [5, 7, 3],
    [33, 65, 17],
    [64, 64, 64],
    [31, 1, 40],
    [1, 50, 129],
    [100, 3, 0],
  ])("matmul %i×%i·%i×… (m, k, n = %i, %i, %i)", async (m, k, n) => {
    await expectSameAsJs(
      () => jnp.matmul(arr([m, k], 20), arr([k, n], 21)),
      1e-5,
      1e-5 * Math.sqrt(k + 1),
    );
  });

  it("batch dimensions, broadcast batch, matrix-vector and transposed operands", async () => {
    await expectSameAsJs(() => jnp.matmul(arr([3, 5, 6], 22), arr([3, 6, 4], 23)), 1e-5, 1e-5);
    await expectSameAsJs(() => jnp.matmul(arr([2, 3, 5, 6], 22), arr([6, 9], 23)), 1e-5, 1e-5);
    await expectSameAsJs(() => jnp.matmul(arr([37, 19], 24), arr([19], 25)), 1e-5, 1e-5);
    await expectSameAsJs(() => jnp.matmul(arr([19, 37], 24).T, arr([21, 19], 25).T), 1e-5, 1e-5);
    await expectSameAsJs(
      () => jnp.einsum("bij,bkj->bik", arr([4, 7, 9], 26), arr([4, 5, 9], 27)),
      1e-5,
      1e-5,
    );
  });

  it("int32 matmul is exact (wrapping)", async () => {
    await expectSameAsJs(() => jnp.matmul(iarr([9, 13], 28), iarr([13, 35], 29)));
  });

  it("a dot with a fused epilogue (bias + relu) under jit", async () => {
    const layer = jit((x: Array, w: Array, b: Array) => jnp.maximum(jnp.matmul(x, w).add(b), 0));
    await expectSameAsJs(
      () => layer(arr([37, 20], 30), arr([20, 45], 31), arr([45], 32)),
      1e-5,
      1e-5,
    );
  });
});
