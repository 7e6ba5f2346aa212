/**
 * jnp shape tools, pad (every mode), calculus (diff, ediff1d, gradient, trapezoid, interp) and
 * set operations against numpy 2.4 (test/fixtures/make_numpy_tools.py → numpy-tools.json):
 * eager and jit, wasm and js devices, float32 tolerances. Plus FD gradient checks, jit with a
 * static `size` for unique, and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  ConcretizationTypeError,
  ValueError,
  config,
  jit,
  numpy as jnp,
} from "../../src/index.js";
import fixture from "../fixtures/numpy-tools.json" with { type: "json" };
import { type CaseFn, type FixtureCase, runCase } from "./fixture-cases.js";
import { checkGrads, rng, uniform } from "../transforms/ad-helpers.js";

const A = (x: unknown): Array => x as Array;
const lists = (x: unknown): Array[] => {
  const a = A(x);
  return [...globalThis.Array(a.shape[0]).keys()].map((i) => a.get(i));
};
const fns: Record<string, CaseFn> = {
  meshgrid: (a, kw) => jnp.meshgrid(A(a[0]), A(a[1]), kw),
  indices: (a) => jnp.indices(A(a[0]).tolist() as number[]),
  ix_: (a) => jnp.ix_(A(a[0]), A(a[1])),
  unravelIndex: (a) => jnp.unravelIndex(A(a[0]), A(a[1]).tolist() as number[]),
  ravelMultiIndex: (a, kw) =>
    jnp.ravelMultiIndex(
      lists(a[0]),
      A(a[1]).tolist() as number[],
      (kw.mode as "wrap") ?? "raise",
      (kw.order as "C") ?? "C",
    ),
  atleast3d: (a) => jnp.atleast3d(A(a[0])),
  columnStack: (a) => jnp.columnStack([A(a[0]), A(a[1])]),
  dstack: (a) => jnp.dstack([A(a[0]), A(a[1])]),
  pad: (a, kw) => {
    const { mode, constantValues, endValues, statLength, reflectType } = kw;
    const w = A(a[1]);
    const toNum = (v: unknown): never =>
      (v instanceof jnp.ndarray ? (v as Array).tolist() : v) as never;
    return jnp.pad(
      A(a[0]),
      (typeof w === "number" ? w : w.ndim === 0 ? w.item() : w.tolist()) as never,
      mode as "constant",
      {
        constantValues: toNum(constantValues),
        endValues: toNum(endValues),
        statLength: toNum(statLength),
        reflectType: reflectType as "odd",
      },
    );
  },
  diff: (a, kw) =>
    jnp.diff(A(a[0]), (kw.n as number) ?? 1, (kw.axis as number) ?? -1, {
      prepend: kw.prepend as Array,
      append: kw.append as Array,
    }),
  ediff1d: (a, kw) => jnp.ediff1d(A(a[0]), A(kw.toEnd), A(kw.toBegin)),
  gradient: (a, kw) =>
    Object.keys(kw).length
      ? jnp.gradient(A(a[0]), ...(a.slice(1) as Array[]), kw)
      : jnp.gradient(A(a[0]), ...(a.slice(1) as Array[])),
  trapezoid: (a, kw) =>
    jnp.trapezoid(
      A(a[0]),
      (a[1] as Array) ?? null,
      (kw.dx as number) ?? 1,
      (kw.axis as number) ?? -1,
    ),
  interp: (a, kw) =>
    jnp.interp(
      A(a[0]),
      A(a[1]),
      A(a[2]),
      (kw.left as number) ?? null,
      (kw.right as number) ?? null,
      (kw.period as number) ?? null,
    ),
  unique: (a, kw) => jnp.unique(A(a[0]), kw),
  union1d: (a) => jnp.union1d(A(a[0]), A(a[1])),
  intersect1d: (a, kw) =>
    jnp.intersect1d(A(a[0]), A(a[1]), false, (kw.returnIndices as boolean) ?? false),
  setdiff1d: (a) => jnp.setdiff1d(A(a[0]), A(a[1])),
  setxor1d: (a) => jnp.setxor1d(A(a[0]), A(a[1])),
  isin: (a, kw) => jnp.isin(A(a[0]), A(a[1]), kw),
};

// Functions whose output size depends on the data (or on concrete index arguments) run eagerly only.
const eagerOnly = new Set([
  "indices",
  "unravelIndex",
  "ravelMultiIndex",
  "union1d",
  "intersect1d",
  "setdiff1d",
  "setxor1d",
  "pad",
  "block",
]);

describe("numpy references", () => {
  for (const c of fixture.cases as FixtureCase[]) {
    const jitOk = !eagerOnly.has(c.fn) && !(c.fn === "unique" && !("size" in c.kwargs));
    it(c.name, () => runCase(c, fns, { jit: jitOk, rtol: 3e-5, atol: 1e-5 }));
  }
});

describe("under jit and errors", () => {
  it("block assembles nested lists of blocks (numpy's value)", () => {
    const b = jnp.block([
      [jnp.eye(2), jnp.zeros([2, 1])],
      [jnp.ones([1, 2]), jnp.full([1, 1], 5)],
    ]);
    expect(b.tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 5],
    ]);
    expect(jnp.block([jnp.array([1, 2]), 3]).tolist()).toEqual([1, 2, 3]);
    expect(() => jnp.block([[jnp.ones([1])], jnp.ones([1])])).toThrow(/List depths are mismatched/);
  });
  it("unique with a static size works under jit; without one it needs concrete values", () => {
    const f = jit((x: Array) => jnp.unique(x, { size: 5, fillValue: 0 }) as Array);
    expect(f(jnp.array([4, 4, 1, 9])).tolist()).toEqual([1, 4, 9, 0, 0]);
    expect(() => jit((x: Array) => jnp.unique(x) as Array)(jnp.array([1, 2]))).toThrow(
      ConcretizationTypeError,
    );
    expect(() => jnp.unique(jnp.zeros([0]), { size: 2 })).toThrow(ValueError);
  });
  it("pad under jit (static widths), ravel_multi_index mode raise", () => {
    const f = jit((x: Array) => jnp.pad(x, [2, 3], "reflect"));
    expect(f(jnp.array([1, 2, 3])).tolist()).toEqual([3, 2, 1, 2, 3, 2, 1, 2]);
    expect(() => jnp.ravelMultiIndex([jnp.array([3])], [3])).toThrow(/invalid entry/);
    expect(() => jnp.pad(jnp.zeros([0]), 1, "edge")).toThrow(ValueError);
  });
  it("gradient's edge_order and spacing errors", () => {
    expect(() => jnp.gradient(jnp.ones([4]), { edgeOrder: 2 })).toThrow(/edge_order/);
    expect(() => jnp.gradient(jnp.ones([4]), jnp.ones([3]))).toThrow(ValueError);
  });
});

describe("gradients vs central differences (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  const x = () => uniform(rng(3), [5], -2, 2);
  it("diff, gradient, trapezoid", () => {
    checkGrads("diff", (a: Array) => jnp.diff(a, 2), [x()]);
    checkGrads("gradient", (a: Array) => jnp.gradient(a) as Array, [x()]);
    checkGrads(
      "trapezoid",
      (a: Array, b: Array) => jnp.trapezoid(a, jnp.cumsum(b.mul(b).add(0.1))),
      [x(), x()],
    );
  });
  it("interp in the values and the query points; pad reflect and linear_ramp", () => {
    const xp = jnp.array([0, 1, 2.5, 4, 6]);
    checkGrads("interp fp", (fp: Array) => jnp.interp(jnp.array([0.3, 2.2, 5.1]), xp, fp), [x()]);
    checkGrads("interp x", (q: Array) => jnp.interp(q, xp, jnp.array([1, -1, 2, 0, 3])), [
      uniform(rng(9), [3], 0.1, 5.9),
    ]);
    checkGrads("pad reflect", (a: Array) => jnp.pad(a, [3, 2], "reflect"), [x()]);
    checkGrads(
      "pad linear_ramp",
      (a: Array) => jnp.pad(a, [2, 2], "linear_ramp", { endValues: 1 }),
      [x()],
    );
  });
});
