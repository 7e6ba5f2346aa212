/**
 * webgpu vs js: the workgroup-memory tiled dot kernel (dot-tiled.ts, the GPU choice), forced
 * on whatever adapter runs the tests (lavapipe picks the register kernel by itself). Shapes
 * cover partial 64×64 tiles and k not a multiple of 16 (zero-padded staging), the vec4 path
 * (contiguous, 4-aligned operands) and the scalar path (odd sizes, transposed operands,
 * casts), batch dimensions, int32 (exact) and a fused epilogue, eagerly and under jit.
 * Tolerance for float32: 1e-5 relative plus 1e-5·√(k+1) absolute (the js device accumulates
 * in float64).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Array, jit, numpy as jnp } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll, webgpu } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats, hostInts, onDevice } from "./compare.js";

shutdownAfterAll();

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const arr = (shape: number[], seed: number) =>
  jnp.array(hostFloats(size(shape), seed)).reshape(shape);
const iarr = (shape: number[], seed: number) =>
  jnp.array(hostInts(size(shape), seed)).reshape(shape);

describeWebgpu("webgpu dot_general, workgroup-memory tiles", () => {
  beforeAll(() => {
    webgpu!.dotTiling = "workgroup";
  });
  afterAll(() => {
    webgpu!.dotTiling = undefined;
  });

  it.each([
    [5, 7, 3],
    [33, 65, 17],
    [64, 64, 64],
    [70, 36, 68],
    [1, 129, 1],
    [100, 3, 0],
    [4, 0, 5],
  ])("matmul m, k, n = %i, %i, %i, eager and jit", async (m, k, n) => {
    const tol = 1e-5 * Math.sqrt(k + 1);
    await expectSameAsJs(() => jnp.matmul(arr([m, k], 40), arr([k, n], 41)), 1e-5, tol);
    const f = jit((a: Array, b: Array) => jnp.matmul(a, b));
    await expectSameAsJs(() => f(arr([m, k], 42), arr([k, n], 43)), 1e-5, tol);
  });

  it("the kernel is the tiled one: vec4 loads for aligned operands, scalar loads otherwise", () => {
    const f = jit((a: Array, b: Array) => jnp.matmul(a, b));
    const text = (a: Array, b: Array) => onDevice("webgpu", () => f.lower(a, b).asText());
    const aligned = text(arr([8, 12], 1), arr([12, 8], 2));
    expect(aligned).toContain("64×64 workgroup tiles, vec4 loads of A and B");
    expect(aligned).toContain("workgroupBarrier()");
    const odd = text(arr([8, 13], 1), arr([13, 7], 2));
    expect(odd).toContain("64×64 workgroup tiles)");
  });

  it("transposed operands, batch dimensions and a broadcast batch", async () => {
    await expectSameAsJs(() => jnp.matmul(arr([36, 68], 44).T, arr([20, 36], 45).T), 1e-5, 1e-4);
    await expectSameAsJs(() => jnp.matmul(arr([3, 20, 8], 46), arr([3, 8, 12], 47)), 1e-5, 1e-4);
    await expectSameAsJs(() => jnp.matmul(arr([2, 3, 5, 6], 48), arr([6, 9], 49)), 1e-5, 1e-4);
  });

  it("int32 is exact (wrapping); bool operands cast to the accumulator", async () => {
    await expectSameAsJs(() => jnp.matmul(iarr([9, 20], 50), iarr([20, 35], 51)));
    await expectSameAsJs(() => jnp.matmul(iarr([16, 16], 52), iarr([16, 16], 53).mul(1 << 20)));
    await expectSameAsJs(() => jnp.matmul(iarr([7, 9], 54).gt(0), arr([9, 5], 55)), 1e-5, 1e-5);
  });

  it("a fused bias + relu epilogue under jit; NaN and infinities propagate", async () => {
    const layer = jit((x: Array, w: Array, b: Array) => jnp.maximum(jnp.matmul(x, w).add(b), 0));
    await expectSameAsJs(
      () => layer(arr([37, 20], 56), arr([20, 44], 57), arr([44], 58)),
      1e-5,
      1e-4,
    );
    const d = hostFloats(8 * 8, 59);
    d[3] = NaN;
    d[17] = Infinity;
    await expectSameAsJs(
      () => jnp.matmul(jnp.array(d).reshape([8, 8]), arr([8, 8], 60)),
      1e-5,
      1e-4,
    );
  });
});
