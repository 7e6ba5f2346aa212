/**
 * numpy parity of values. References are float64 JS Math (or closed forms); float32 results
 * must be within 2 ulp of the float64 reference rounded to float32 (the js device computes
 * transcendentals in double and rounds once), integers exact.
 */
import { describe, expect, it } from "vitest";
import { type Array, numpy as jnp } from "../../src/index.js";

function ulpDiff(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  const ia = i[0]! < 0 ? 0x80000000 - i[0]! : i[0]!;
  const ib = i[1]! < 0 ? 0x80000000 - i[1]! : i[1]!;
  return Math.abs(ia - ib);
}

const xs = Float32Array.from({ length: 401 }, (_, i) => -10 + i * 0.05);
const pos = Float32Array.from({ length: 400 }, (_, i) => 0.001 + i * 0.137);
const unit = Float32Array.from({ length: 199 }, (_, i) => -0.99 + i * 0.01);

const cases: [string, (a: Array) => Array, (x: number) => number, Float32Array][] = [
  ["exp", jnp.exp, Math.exp, xs],
  ["exp2", jnp.exp2, (x) => 2 ** x, xs],
  ["expm1", jnp.expm1, Math.expm1, xs],
  ["log", jnp.log, Math.log, pos],
  ["log1p", jnp.log1p, Math.log1p, pos],
  ["log2", jnp.log2, Math.log2, pos],
  ["log10", jnp.log10, Math.log10, pos],
  ["sqrt", jnp.sqrt, Math.sqrt, pos],
  ["cbrt", jnp.cbrt, Math.cbrt, xs],
  ["sin", jnp.sin, Math.sin, xs],
  ["cos", jnp.cos, Math.cos, xs],
  ["tan", jnp.tan, Math.tan, unit],
  ["tanh", jnp.tanh, Math.tanh, xs],
  ["arcsin", jnp.arcsin, Math.asin, unit],
  ["arccos", jnp.arccos, Math.acos, unit],
  ["arctan", jnp.arctan, Math.atan, xs],
  ["sinh", jnp.sinh, Math.sinh, xs],
  ["cosh", jnp.cosh, Math.cosh, xs],
  ["arcsinh", jnp.arcsinh, Math.asinh, xs],
  ["arctanh", jnp.arctanh, Math.atanh, unit],
];

describe("elementwise values against float64 references", () => {
  it.each(cases)("%s within 2 ulp", (_, f, ref, input) => {
    const out = f(jnp.array(input)).toTypedArray() as Float32Array;
    let worst = 0;
    input.forEach((x, i) => (worst = Math.max(worst, ulpDiff(out[i]!, Math.fround(ref(x))))));
    expect(worst).toBeLessThanOrEqual(2);
  });

  it("special values follow IEEE/XLA", () => {
    const v = jnp.array([0, -0, Infinity, -Infinity, NaN], "float32");
    expect(jnp.exp(v).tolist()).toEqual([1, 1, Infinity, 0, NaN]);
    expect(jnp.log(v).tolist()).toEqual([-Infinity, -Infinity, Infinity, NaN, NaN]);
    expect(Object.is((jnp.sin(v).tolist() as number[])[1], -0)).toBe(true);
    expect(jnp.maximum(v, 1).tolist()).toEqual([1, 1, Infinity, 1, NaN]);
    expect(jnp.sign(v).tolist()).toEqual([0, -0, 1, -1, NaN]);
  });

  it("integer semantics: wraparound, floor division and modulo signs", () => {
    const a = jnp.array([7, -7, 7, -7]);
    const b = jnp.array([2, 2, -2, -2]);
    expect(jnp.floorDivide(a, b).tolist()).toEqual([3, -4, -4, 3]);
    expect(jnp.remainder(a, b).tolist()).toEqual([1, 1, -1, -1]);
    expect(jnp.array([2147483647]).add(1).tolist()).toEqual([-2147483648]);
    expect(jnp.array([200], "uint8").add(100).tolist()).toEqual([44]);
    expect(jnp.divide(jnp.array([1, 2]), 2).tolist()).toEqual([0.5, 1]);
    expect(jnp.power(jnp.array([2, 3]), jnp.array([10, 3])).tolist()).toEqual([1024, 27]);
    expect(jnp.remainder(jnp.array([5.5, -5.5]), 2).tolist()).toEqual([1.5, 0.5]);
  });
});

describe("reductions", () => {
  const x = jnp.arange(24).reshape(2, 3, 4).astype("float32");
  it("sum/mean/max/min/prod over axes with keepdims", () => {
    expect(x.sum().item()).toBe(276);
    expect(x.sum({ axis: 0 }).tolist()).toEqual([
      [12, 14, 16, 18],
      [20, 22, 24, 26],
      [28, 30, 32, 34],
    ]);
    expect(x.sum({ axis: [0, 2], keepdims: true }).shape).toEqual([1, 3, 1]);
    expect(x.mean({ axis: -1 }).tolist()).toEqual([
      [1.5, 5.5, 9.5],
      [13.5, 17.5, 21.5],
    ]);
    expect(x.max({ axis: 1 }).tolist()).toEqual([
      [8, 9, 10, 11],
      [20, 21, 22, 23],
    ]);
    expect(jnp.prod(jnp.array([1, 2, 3, 4])).item()).toBe(24);
    expect(jnp.var_(jnp.array([1, 2, 3, 4], "float32")).item()).toBeCloseTo(1.25, 6);
    expect(jnp.std(jnp.array([1, 2, 3, 4], "float32"), { ddof: 1 }).item()).toBeCloseTo(
      Math.sqrt(5 / 3),
      6,
    );
  });
  it("argmax/argmin take the first extremum; NaN wins argmax", () => {
    expect(jnp.argmax(jnp.array([1, 3, 3, 2])).item()).toBe(1);
    expect(
      jnp
        .argmin(
          jnp.array([
            [4, 1],
            [0, 9],
          ]),
          { axis: 1 },
        )
        .tolist(),
    ).toEqual([1, 0]);
    expect(jnp.argmax(jnp.array([1, NaN, 3])).item()).toBe(1);
  });
  it("sums of bool and small ints upcast to int32", () => {
    expect(jnp.sum(jnp.array([true, true, false])).dtype.name).toBe("int32");
    expect(jnp.sum(jnp.array([100, 100], "int8")).item()).toBe(200);
    expect(jnp.any(jnp.array([0, 0, 1])).item()).toBe(true);
    expect(jnp.all(jnp.array([1, 0])).item()).toBe(false);
  });
  it("errors on invalid axes and empty reductions without identity", () => {
    expect(() => x.sum({ axis: 3 })).toThrow(/axis 3 is out of bounds for array of dimension 3/);
    expect(() => jnp.max(jnp.zeros([0]))).toThrow(/zero-size array to reduction operation max/);
  });
});

describe("shapes and products", () => {
  it("matmul and dot", () => {
    const a = jnp.arange(6).reshape(2, 3).astype("float32");
    const b = jnp.arange(12).reshape(3, 4).astype("float32");
    expect(jnp.matmul(a, b).tolist()).toEqual([
      [20, 23, 26, 29],
      [56, 68, 80, 92],
    ]);
    expect(a.matmul(jnp.ones([3])).tolist()).toEqual([3, 12]);
    expect(jnp.dot(jnp.ones([3]), jnp.ones([3])).item()).toBe(3);
    const batched = jnp.matmul(jnp.ones([5, 2, 3]), jnp.ones([3, 4]));
    expect(batched.shape).toEqual([5, 2, 4]);
    expect(batched.sum().item()).toBe(5 * 2 * 4 * 3);
    expect(jnp.outer(jnp.array([1, 2]), jnp.array([3, 4, 5])).tolist()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(jnp.matmul(a.T, a).tolist()).toEqual([
      [9, 12, 15],
      [12, 17, 22],
      [15, 22, 29],
    ]);
    expect(() => jnp.matmul(jnp.ones([2, 3]), jnp.ones([2, 3]))).toThrow(
      /contracting dimensions differ/,
    );
  });

  it("reshape, transpose, concatenate, stack, flip, squeeze, expand_dims", () => {
    const a = jnp.arange(6);
    expect(a.reshape(2, -1).tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(a.reshape(2, 3).T.tolist()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(jnp.concatenate([a, a.mul(2)]).shape).toEqual([12]);
    expect(jnp.stack([a, a], 1).shape).toEqual([6, 2]);
    expect(jnp.flip(a).tolist()).toEqual([5, 4, 3, 2, 1, 0]);
    expect(jnp.expandDims(a, 0).shape).toEqual([1, 6]);
    expect(jnp.squeeze(jnp.ones([1, 3, 1])).shape).toEqual([3]);
    expect(jnp.moveaxis(jnp.ones([2, 3, 4]), 0, -1).shape).toEqual([3, 4, 2]);
    expect(() => a.reshape(4, 2)).toThrow(
      new TypeError("cannot reshape array of shape (6,) (size 6) into shape (4, 2) (size 8)"),
    );
    expect(() => jnp.add(jnp.ones([3]), jnp.ones([4]))).toThrow(
      "add got incompatible shapes for broadcasting: (3,), (4,).",
    );
  });

  it("basic indexing", () => {
    const a = jnp.arange(24).reshape(2, 3, 4);
    expect(a.get(1, 2, 3).item()).toBe(23);
    expect(a.get(0, "1:3", "::2").tolist()).toEqual([
      [4, 6],
      [8, 10],
    ]);
    expect(a.get("...", -1).shape).toEqual([2, 3]);
    expect(a.get(null, 0).shape).toEqual([1, 3, 4]);
    expect(jnp.arange(5).get("::-2").tolist()).toEqual([4, 2, 0]);
    // JAX clamps static out-of-bounds reads (jnp.arange(10)[11] is 9), as for index arrays.
    expect(a.get(2).tolist()).toEqual(a.get(1).tolist());
    expect(a.get(-3, 0, 0).item()).toBe(0);
  });

  it("creation functions", () => {
    expect(jnp.linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(jnp.eye(2, 3, 1).tolist()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(jnp.arange(1, 2, 0.25).tolist()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(jnp.full([2], 7).tolist()).toEqual([7, 7]);
    expect(jnp.zerosLike(jnp.ones([2], "int32")).dtype.name).toBe("int32");
  });
});

describe("printing", () => {
  it("str and repr", () => {
    expect(String(jnp.array([1.5, -2, 3], "float32"))).toBe("[ 1.5 -2.   3. ]");
    expect(
      String(
        jnp.array([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe("[[1 2]\n [3 4]]");
    expect(String(jnp.arange(10000000))).toBe(
      "[      0       1       2 ... 9999997 9999998 9999999]",
    );
    expect(jnp.array([1, 2, 3]).repr()).toBe("Array([1, 2, 3], dtype=int32)");
    expect(jnp.asarray(1.5).repr()).toBe("Array(1.5, dtype=float32, weak_type=True)");
  });
  it("converts size-1 arrays to JS numbers", () => {
    const x = jnp.float32(2.5);
    expect((x as unknown as number) > 2).toBe(true);
    expect(Number(x) + 1).toBe(3.5);
    expect(() => Number(jnp.ones([2]))).toThrow(/Only size-1 arrays can be converted/);
  });
});
