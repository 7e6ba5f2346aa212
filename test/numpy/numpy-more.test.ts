/**
 * The jnp functions added with the rest of the API against numpy 2.4
 * (test/fixtures/make_numpy_more.py → numpy-more.json): eager and jit on the wasm and js
 * devices at float32 tolerances; FD gradients of the differentiable ones; errors.
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
import fixture from "../fixtures/numpy-more.json" with { type: "json" };
import { type CaseFn, type FixtureCase, runCase } from "./fixture-cases.js";
import { checkGrads, rng, uniform } from "../transforms/ad-helpers.js";

const A = (x: unknown): Array => x as Array;
const N = (x: unknown): number => (typeof x === "number" ? x : (A(x).item() as number));
const L = (x: unknown): number[] => A(x).tolist() as number[];
const rows = (x: unknown): Array[] => jnp.unstack(A(x));
type Kw = Record<string, unknown>;
const num = (kw: Kw, k: string, d: number): number => (kw[k] === undefined ? d : N(kw[k]));

const fns: Record<string, CaseFn> = {
  gcd: (a) => jnp.gcd(A(a[0]), A(a[1])),
  lcm: (a) => jnp.lcm(A(a[0]), A(a[1])),
  frexp: (a) => jnp.frexp(A(a[0])),
  ldexp: (a) => jnp.ldexp(A(a[0]), A(a[1])),
  modf: (a) => jnp.modf(A(a[0])),
  divmod: (a) => jnp.divmod(A(a[0]), A(a[1])),
  floatPower: (a) => jnp.floatPower(A(a[0]), A(a[1])),
  fabs: (a) => jnp.fabs(A(a[0])),
  spacing: (a) => jnp.spacing(A(a[0])),
  nanToNum: (a, kw) => jnp.nanToNum(A(a[0]), { nan: N(kw.nan), posinf: N(kw.posinf) }),
  bitwiseCount: (a) => jnp.bitwiseCount(A(a[0])),
  unwrap: (a, kw) => jnp.unwrap(A(a[0]), kw.period === undefined ? {} : { period: N(kw.period) }),
  i0: (a) => jnp.i0(A(a[0])),
  append: (a, kw) => jnp.append(A(a[0]), A(a[1]), kw.axis === undefined ? null : N(kw.axis)),
  insert: (a, kw) =>
    jnp.insert(
      A(a[0]),
      typeof a[1] === "number" ? a[1] : L(a[1]),
      A(a[2]),
      kw.axis === undefined ? null : N(kw.axis),
    ),
  delete: (a, kw) => jnp.delete(A(a[0]), L(a[1]), kw.axis === undefined ? null : N(kw.axis)),
  rot90: (a, kw) => jnp.rot90(A(a[0]), num(kw, "k", 1)),
  fliplr: (a) => jnp.fliplr(A(a[0])),
  flipud: (a) => jnp.flipud(A(a[0])),
  rollaxis: (a) => jnp.rollaxis(A(a[0]), N(a[1]), a[2] === undefined ? 0 : N(a[2])),
  resize: (a) => jnp.resize(A(a[0]), L(a[1])),
  trimZeros: (a, kw) => jnp.trimZeros(A(a[0]), (kw.trim as string) ?? "fb"),
  argwhere: (a) => jnp.argwhere(A(a[0])),
  flatnonzero: (a) => jnp.flatnonzero(A(a[0])),
  compress: (a, kw) => jnp.compress(A(a[0]), A(a[1]), N(kw.axis)),
  extract: (a) => jnp.extract(A(a[0]), A(a[1])),
  choose: (a, kw) => jnp.choose(A(a[0]), rows(a[1]), null, (kw.mode as "wrap") ?? "raise"),
  select: (a, kw) => jnp.select(rows(a[0]), rows(a[1]), N(kw.default)),
  piecewise: (a) =>
    jnp.piecewise(A(a[0]), rows(a[1]), [(v: Array) => jnp.negative(v), (v: Array) => v.mul(2)]),
  place: (a) => jnp.place(A(a[0]), A(a[1]), A(a[2]), { inplace: false }),
  put: (a, kw) => jnp.put(A(a[0]), A(a[1]), A(a[2]), kw.mode as "wrap", { inplace: false }),
  putAlongAxis: (a, kw) =>
    jnp.putAlongAxis(A(a[0]), A(a[1]), a[2] as number, N(kw.axis), { inplace: false }),
  diag: (a, kw) => jnp.diag(A(a[0]), num(kw, "k", 0)),
  diagflat: (a) => jnp.diagflat(A(a[0])),
  fillDiagonal: (a, kw) => jnp.fillDiagonal(A(a[0]), N(a[1]), kw.wrap === true, { inplace: false }),
  tri: (a) => jnp.tri(N(a[0]), N(a[1]), N(a[2])),
  trilIndices: (a) => jnp.trilIndices(N(a[0]), N(a[1])),
  triuIndices: (a) => jnp.triuIndices(N(a[0]), N(a[1]), N(a[2])),
  countNonzero: (a, kw) => jnp.countNonzero(A(a[0]), N(kw.axis)),
  poly: (a) => jnp.poly(A(a[0])),
  polyadd: (a) => jnp.polyadd(A(a[0]), A(a[1])),
  polysub: (a) => jnp.polysub(A(a[0]), A(a[1])),
  polymul: (a) => jnp.polymul(A(a[0]), A(a[1])),
  polydiv: (a) => jnp.polydiv(A(a[0]), A(a[1])),
  polyder: (a, kw) => jnp.polyder(A(a[0]), N(kw.m)),
  polyint: (a, kw) => jnp.polyint(A(a[0]), N(kw.m), A(kw.k)),
  polyval: (a) => jnp.polyval(A(a[0]), A(a[1])),
  polyfit: (a, kw) => jnp.polyfit(A(a[0]), A(a[1]), N(a[2]), kw.w ? { w: A(kw.w) } : {}),
  vander: (a, kw) => jnp.vander(A(a[0]), N(kw.N), kw.increasing === true),
  bartlett: (a) => jnp.bartlett(N(a[0])),
  blackman: (a) => jnp.blackman(N(a[0])),
  hamming: (a) => jnp.hamming(N(a[0])),
  hanning: (a) => jnp.hanning(N(a[0])),
  kaiser: (a) => jnp.kaiser(N(a[0]), N(a[1])),
  logspace: (a, kw) => jnp.logspace(N(a[0]), N(a[1]), N(a[2]), { base: N(kw.base) }),
  geomspace: (a, kw) =>
    jnp.geomspace(N(a[0]), N(a[1]), N(a[2]), { endpoint: kw.endpoint !== false }),
  kron: (a) => jnp.kron(A(a[0]), A(a[1])),
  cross: (a, kw) => jnp.cross(A(a[0]), A(a[1]), kw.axis === undefined ? {} : { axis: N(kw.axis) }),
  matvec: (a) => jnp.matvec(A(a[0]), A(a[1])),
  vecmat: (a) => jnp.vecmat(A(a[0]), A(a[1])),
  vecdot: (a) => jnp.vecdot(A(a[0]), A(a[1])),
  lexsort: (a) => jnp.lexsort(rows(a[0])),
  partition: (a) => jnp.partition(A(a[0]), N(a[1])),
  packbits: (a, kw) =>
    jnp.packbits(
      A(a[0]),
      kw.axis === undefined ? null : N(kw.axis),
      (kw.bitorder as "big") ?? "big",
    ),
  unpackbits: (a, kw) =>
    jnp.unpackbits(
      jnp.asarray(A(a[0]), "uint8"),
      kw.axis === undefined ? null : N(kw.axis),
      kw.count === undefined ? null : N(kw.count),
    ),
  histogram2d: (a, kw) => {
    const bins = typeof kw.bins === "number" ? kw.bins : L(kw.bins);
    const range = kw.range === undefined ? null : (A(kw.range).tolist() as [number, number][]);
    return jnp.histogram2d(A(a[0]), A(a[1]), bins as number, {
      range,
      density: kw.density === true,
    });
  },
};

// Output shapes that depend on values, or index arguments that must be concrete.
const eagerOnly = new Set([
  "resize",
  "insert",
  "delete",
  "trimZeros",
  "argwhere",
  "flatnonzero",
  "compress",
  "extract",
  "choose",
  "trilIndices",
  "triuIndices",
]);

describe("numpy references", () => {
  for (const c of fixture.cases as FixtureCase[]) {
    it(c.name, () => runCase(c, fns, { jit: !eagerOnly.has(c.fn), rtol: 2e-5, atol: 1e-5 }));
  }
});

describe("under jit, dtype helpers and errors", () => {
  it("argwhere and compress take a static size under jit", () => {
    const f = jit((x: Array) => jnp.argwhere(x, { size: 3, fillValue: -1 }));
    expect(f(jnp.array([0, 5, 0, 7])).tolist()).toEqual([[1], [3], [-1]]);
    const g = jit((c: Array, x: Array) => jnp.compress(c, x, null, { size: 2 }));
    expect(g(jnp.array([false, true, true]), jnp.array([4, 5, 6])).tolist()).toEqual([5, 6]);
    expect(() => jit((x: Array) => jnp.argwhere(x))(jnp.array([1]))).toThrow(
      ConcretizationTypeError,
    );
    expect(() => jit((i: Array) => jnp.delete(jnp.arange(4), i))(jnp.array([1]))).toThrow(
      ConcretizationTypeError,
    );
  });
  it("in-place numpy functions require inplace: false", () => {
    expect(() => jnp.put(jnp.zeros([3]), jnp.array([0]), 1)).toThrow(/inplace=False/);
    expect(() => jnp.fillDiagonal(jnp.zeros([2, 2]), 1)).toThrow(ValueError);
  });
  it("errors name the problem", () => {
    expect(() => jnp.gcd(jnp.array([1.5]), 2)).toThrow(/must be integers/);
    expect(() => jnp.fliplr(jnp.ones([3]))).toThrow(ValueError);
    expect(() => jnp.choose(jnp.array([3]), [jnp.ones([1])])).toThrow(/invalid entry/);
    expect(() => jnp.matrixTranspose(jnp.ones([3]))).toThrow(/at least two-dimensional/);
    expect(() => jnp.cross(jnp.ones([4]), jnp.ones([4]))).toThrow(/2 or 3/);
    expect(() => jnp.polyder(jnp.ones([3]), -1)).toThrow(ValueError);
    expect(() => jnp.unpackbits(jnp.array([1, 2]))).toThrow(TypeError);
  });
  it("finfo, iinfo, issubdtype, isdtype, can_cast as numpy", () => {
    const f = jnp.finfo("float32");
    expect([f.eps, f.max, f.tiny, f.bits, f.nmant, f.precision]).toEqual([
      2 ** -23,
      3.4028234663852886e38,
      2 ** -126,
      32,
      23,
      6,
    ]);
    expect(jnp.finfo("float16").max).toBe(65504);
    expect([jnp.iinfo("int8").min, jnp.iinfo("uint16").max, jnp.iinfo("int64").max]).toEqual([
      -128,
      65535,
      2n ** 63n - 1n,
    ]);
    expect(jnp.issubdtype("float32", jnp.floating)).toBe(true);
    expect(jnp.issubdtype("uint8", jnp.signedinteger)).toBe(false);
    expect(jnp.issubdtype(jnp.floating, jnp.inexact)).toBe(true);
    expect(jnp.isdtype("complex64", "complex floating")).toBe(true);
    expect(jnp.isdtype("int8", ["real floating", "bool"])).toBe(false);
    // numpy.can_cast's tables
    expect(jnp.canCast("int32", "float32")).toBe(false);
    expect(jnp.canCast("int16", "float32")).toBe(true);
    expect(jnp.canCast("uint8", "int8")).toBe(false);
    expect(jnp.canCast("float64", "float32", "same_kind")).toBe(true);
    expect(jnp.canCast("float32", "int32", "same_kind")).toBe(false);
  });
  it("index tricks: mgrid, ogrid, r_, c_, s_", () => {
    expect(jnp.mgrid.get("0:2", "0:3").tolist()).toEqual([
      [
        [0, 0, 0],
        [1, 1, 1],
      ],
      [
        [0, 1, 2],
        [0, 1, 2],
      ],
    ]);
    expect(jnp.mgrid.get("-1:1:5j").tolist()).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect((jnp.ogrid.get("0:2", "0:3") as Array[]).map((g) => g.shape)).toEqual([
      [2, 1],
      [1, 3],
    ]);
    expect(jnp.r_.get(jnp.array([1, 2]), 0, "4:6").tolist()).toEqual([1, 2, 0, 4, 5]);
    expect(jnp.c_.get(jnp.array([1, 2]), jnp.array([3, 4])).tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(jnp.r_.get("0,2", jnp.array([1, 2]), jnp.array([3, 4])).tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
  it("vectorize with a signature broadcasts loop dimensions", () => {
    const f = jnp.vectorize((a: Array, b: Array) => jnp.dot(a, b), { signature: "(n),(n)->()" });
    expect(f(jnp.ones([4, 3]), jnp.array([1, 2, 3])).tolist()).toEqual([6, 6, 6, 6]);
    expect(() => f(jnp.ones([3]), jnp.ones([4]))).toThrow(/inconsistent size/);
    const g = jnp.vectorize((a: Array, b: Array) => a.add(b));
    expect(g(jnp.array([1, 2]), jnp.array([[10], [20]])).tolist()).toEqual([
      [11, 12],
      [21, 22],
    ]);
  });
  it("apply_along_axis / apply_over_axes / fromfunction", () => {
    const x = jnp.arange(6).reshape([2, 3]);
    expect(jnp.applyAlongAxis((r: Array) => jnp.sum(r), 0, x).tolist()).toEqual([3, 5, 7]);
    expect(jnp.applyOverAxes((a, ax) => jnp.sum(a, ax), x, [0, 1]).tolist()).toEqual([[15]]);
    expect(jnp.fromfunction((i, j) => i.mul(10).add(j), [2, 2]).tolist()).toEqual([
      [0, 1],
      [10, 11],
    ]);
  });
  it("argpartition: the kth index in place, smaller ones first", () => {
    const a = jnp.array([5, 1, 4, 2, 3, 9, 0]);
    const idx = jnp.argpartition(a, 3);
    const v = jnp.take(a, idx).tolist() as number[];
    expect(v[3]).toBe(3);
    expect(v.slice(0, 3).every((t) => t < 3) && v.slice(4).every((t) => t > 3)).toBe(true);
  });
});

describe("gradients vs central differences (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  const x = (n = 5) => uniform(rng(5), [n], -2, 2);
  it("i0, polyval, kron, cross, unwrap, ldexp", () => {
    checkGrads("i0", (a: Array) => jnp.i0(a.mul(8)), [x()]);
    checkGrads("polyval", (p: Array, q: Array) => jnp.polyval(p, q), [x(4), x()]);
    checkGrads("kron", (p: Array, q: Array) => jnp.kron(p, q), [x(3), x(2)]);
    checkGrads("cross", (p: Array, q: Array) => jnp.cross(p, q), [x(3), x(3)]);
    checkGrads("unwrap", (p: Array) => jnp.unwrap(p.mul(3)), [x()]);
    checkGrads("ldexp", (p: Array) => jnp.ldexp(p, jnp.array([1, -2, 3, 0, 4])), [x()]);
    checkGrads("polyfit", (q: Array) => jnp.polyfit(jnp.arange(5), q, 2) as Array, [x()]);
  });
});
