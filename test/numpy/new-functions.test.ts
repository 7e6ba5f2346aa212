/**
 * jnp.var, jnp.sinc, jnp.arange's signatures, jnp.array's options object, boolean
 * floor_divide, and OverflowError for JS integers that do not fit an integer dtype. numpy
 * references computed with python3 + numpy 2.4 (the expression is given with each).
 */
import { describe, expect, it } from "vitest";
import { grad, jit, makeJaxpr, numpy as jnp, vmap } from "../../src/index.js";
import { OverflowError } from "../../src/core/errors.js";

const close = (got: number[], want: number[], tol = 2e-7) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!))),
  );
};

describe("jnp.var", () => {
  const a = jnp.array(
    [
      [1, 2, 4],
      [3, 5, 9],
    ],
    "float32",
  );
  it("is jnp.variance under its Python name (a reserved word in JS, a property here)", () => {
    expect(jnp.var).toBe(jnp.variance);
    expect(jnp.var_).toBe(jnp.variance);
    // np.var(a), np.var(a, axis=0), np.var(a, axis=1, ddof=1) for a = float32 [[1,2,4],[3,5,9]]
    expect(jnp.var(a).item()).toBe(6.666666507720947);
    expect(jnp.var(a, 0).tolist()).toEqual([1.0, 2.25, 6.25]);
    expect(jnp.var(a, { axis: 1, ddof: 1 }).tolist()).toEqual([
      2.3333334922790527, 9.333333969116211,
    ]);
  });
});

describe("jnp.sinc", () => {
  it("values: sin(πx)/(πx), 1 at 0", () => {
    // np.sinc(np.array([0, 0.5, 1, -2.5, 3.25], np.float32)).tolist()
    const want = [
      1.0, 0.6366197466850281, -2.7827534054836178e-8, 0.1273239552974701, -0.06925512105226517,
    ];
    const x = jnp.array([0, 0.5, 1, -2.5, 3.25], "float32");
    close(jnp.sinc(x).tolist() as number[], want);
    close(jit(jnp.sinc)(x).tolist() as number[], want);
    expect(jnp.sinc(0).dtype.name).toBe("float32");
    expect(jnp.sinc(jnp.array([0, 2])).tolist()).toEqual([1, expect.any(Number)]);
  });

  it("derivatives at 0 are the Maclaurin ones (custom_jvp), elsewhere the quotient's", () => {
    const d = grad((x: jnp.ndarray) => jnp.sinc(x));
    expect(d(jnp.float32(0)).item()).toBe(0);
    // -np.pi**2 / 3 = -3.289868133696453
    expect(grad(d)(jnp.float32(0)).item()).toBeCloseTo(-3.289868133696453, 6);
    // (cos(pi x) pi x - sin(pi x)) / (pi x**2) in float64 at x = 0.5, 1, -2.5, 3.25
    close(
      vmap(d)(jnp.array([0.5, 1, -2.5, 3.25], "float32")).tolist() as number[],
      [-1.2732395447351625, -1.0, 0.05092958178940638, -0.19626205536729008],
      2e-6,
    );
  });

  it("stages JAX's _sinc_maclaurin custom_jvp_call at the zero branch", () => {
    expect(makeJaxpr(jnp.sinc)(jnp.float32(1)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:bool[] = eq a 0.0",
        "    c:f32[] = mul 3.1415927 a",
        "    d:f32[] = select_n b c 1.0",
        "    e:f32[] = custom_jvp_call[",
        "      call_jaxpr={ lambda ; f:f32[]. let",
        "          g:f32[] = mul f 0.0",
        "          h:f32[] = add g 1.0",
        "        in (h,) }",
        "      jvp_jaxpr_thunk=<function _sinc_maclaurin_jvp>",
        "      num_consts=0",
        "      symbolic_zeros=False",
        "    ] c",
        "    i:f32[] = sin d",
        "    j:f32[] = div i d",
        "    k:f32[] = select_n b j e",
        "  in (k,) }",
      ].join("\n"),
    );
  });
});

describe("jnp.arange", () => {
  it("numpy's values and dtypes", () => {
    // np.arange(1, 2, 0.3, dtype=np.float32).tolist()
    expect(jnp.arange(1, 2, 0.3, "float32").tolist()).toEqual([
      1.0, 1.2999999523162842, 1.5999999046325684, 1.8999998569488525,
    ]);
    // np.arange(0, 2, 0.1, dtype=np.float32).tolist()
    expect(jnp.arange(0, 2, 0.1, { dtype: "float32" }).tolist()).toEqual([
      0.0, 0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645, 0.5,
      0.6000000238418579, 0.699999988079071, 0.800000011920929, 0.9000000357627869, 1.0,
      1.100000023841858, 1.2000000476837158, 1.3000000715255737, 1.399999976158142, 1.5,
      1.600000023841858, 1.7000000476837158, 1.8000000715255737, 1.899999976158142,
    ]);
    // np.arange(-1, 1, 0.25, dtype=np.float16).tolist()
    const h = jnp.arange(-1, 1, 0.25, jnp.float16);
    expect(h.dtype.name).toBe("float16");
    expect(h.tolist()).toEqual([-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75]);
    // np.arange(0.5, 3).tolist(), np.arange(10, 0, -3).tolist(), np.arange(2.5).tolist()
    expect(jnp.arange(0.5, 3).tolist()).toEqual([0.5, 1.5, 2.5]);
    expect(jnp.arange(10, 0, -3).tolist()).toEqual([10, 7, 4, 1]);
    expect(jnp.arange(10, 0, -3).dtype.name).toBe("int32");
    expect(jnp.arange(2.5).tolist()).toEqual([0, 1, 2]);
    expect(jnp.arange(2.5).dtype.name).toBe("float32");
    expect(jnp.arange(3, 1).tolist()).toEqual([]);
  });

  it("dtype positionally (numpy's 4th argument, or in place of stop/step) or as an option", () => {
    const f32 = (a: jnp.ndarray) => [a.dtype.name, a.tolist()];
    expect(f32(jnp.arange(5, "float32"))).toEqual(["float32", [0, 1, 2, 3, 4]]);
    expect(f32(jnp.arange(5, { dtype: jnp.float32 }))).toEqual(["float32", [0, 1, 2, 3, 4]]);
    expect(f32(jnp.arange(2, 5, "int8"))).toEqual(["int8", [2, 3, 4]]);
    expect(f32(jnp.arange(-3, 3, 2, "int8"))).toEqual(["int8", [-3, -1, 1]]);
    expect(f32(jnp.arange(-3, 3, 2, { dtype: "int16" }))).toEqual(["int16", [-3, -1, 1]]);
    expect(f32(jnp.arange(3, null, null, "float32"))).toEqual(["float32", [0, 1, 2]]);
    expect(() => jnp.arange(3, "float32", { dtype: "int8" })).toThrow(
      "arange() got multiple values for argument 'dtype'.",
    );
    expect(() => jnp.arange(3, { dtype: "int8", device: 0 } as never)).toThrow(
      "arange() got an unexpected keyword argument 'device'; valid options are: dtype.",
    );
    expect(() => jnp.arange(0, 3, 0)).toThrow("arange: step cannot be zero");
  });

  it("stages iota for arange(stop) and arange(0, stop), a constant otherwise (as JAX)", () => {
    expect(makeJaxpr(() => jnp.arange(4, "float32"))().toString()).toBe(
      "{ lambda ; . let a:f32[4] = iota[dimension=0 dtype=float32 shape=(4,)]  in (a,) }",
    );
    expect(makeJaxpr(() => jnp.arange(0, 4))().toString()).toBe(
      "{ lambda ; . let a:i32[4] = iota[dimension=0 dtype=int32 shape=(4,)]  in (a,) }",
    );
    expect(makeJaxpr(() => jnp.arange(1, 4))().toString()).toBe(
      "{ lambda a:i32[3]; . let  in (a,) }",
    );
  });
});

describe("jnp.array options", () => {
  it("accepts { dtype, copy, ndmin }", () => {
    const a = jnp.array([1, 2], { dtype: "int8", copy: true });
    expect([a.dtype.name, a.tolist()]).toEqual(["int8", [1, 2]]);
    expect(jnp.array([1, 2], { copy: false }).dtype.name).toBe("int32");
    expect(jnp.array(a, { dtype: null }).dtype.name).toBe("int8");
    expect(jnp.array([1.5], "float32", { copy: true }).tolist()).toEqual([1.5]);
    // np.array(3, ndmin=2).shape, np.array([1, 2], ndmin=3).shape
    expect(jnp.array(3, { ndmin: 2 }).shape).toEqual([1, 1]);
    expect(jnp.array([1, 2], { ndmin: 3 }).shape).toEqual([1, 1, 2]);
    expect(jnp.asarray([1, 2], { dtype: "float32" }).dtype.name).toBe("float32");
    expect(() => jnp.array([1], { dtype: "int8", order: "C" } as never)).toThrow(
      "array() got an unexpected keyword argument 'order'; valid options are: dtype, copy, ndmin.",
    );
  });
});

describe("OverflowError for JS integers outside an integer dtype", () => {
  it("at array creation, with numpy 2's message", () => {
    // np.array([300], 'int8') -> OverflowError: Python integer 300 out of bounds for int8
    expect(() => jnp.array([300], "int8")).toThrow(OverflowError);
    expect(() => jnp.array([300], "int8")).toThrow("Python integer 300 out of bounds for int8");
    expect(() => jnp.array([-1], "uint8")).toThrow("Python integer -1 out of bounds for uint8");
    expect(() =>
      jnp.array(
        [
          [1, 2],
          [3, 200],
        ],
        { dtype: "int8" },
      ),
    ).toThrow("Python integer 200 out of bounds for int8");
    expect(() => jnp.array(2147483648, "int32")).toThrow(
      "Python integer 2147483648 out of bounds for int32",
    );
    expect(() => jnp.int8(300)).toThrow("Python integer 300 out of bounds for int8");
    expect(() => jnp.asarray(70000, "uint16")).toThrow(OverflowError);
    // In range, floats and bool targets are not checked: np.array([127, -128], 'int8') is fine.
    expect(jnp.array([127, -128], "int8").tolist()).toEqual([127, -128]);
    expect(jnp.array([255], "uint8").tolist()).toEqual([255]);
    expect(jnp.array([300], "bool").tolist()).toEqual([true]);
    expect(jnp.array([300], "float16").tolist()).toEqual([300]);
    expect(new OverflowError("x")).toBeInstanceOf(Error);
  });

  it("for a weakly typed JS integer operand, with JAX's message", () => {
    // JAX: jnp.add(jnp.int8(1), 1000) -> OverflowError: Python int 1000 too large to convert to int8
    expect(() => jnp.add(jnp.int8(1), 1000)).toThrow(OverflowError);
    expect(() => jnp.add(jnp.int8(1), 1000)).toThrow(
      "Python int 1000 too large to convert to int8",
    );
    expect(() => jnp.multiply(jnp.array([1], "uint8"), -1)).toThrow(
      "Python int -1 too large to convert to uint8",
    );
    expect(() => jnp.int8(1).add(1000)).toThrow(OverflowError);
    expect(jnp.add(jnp.int8(1), 100).tolist()).toBe(101);
    expect(jnp.add(jnp.int8(1), 1000.5).dtype.name).toBe("float32");
  });
});

describe("floor_divide of booleans", () => {
  it("promotes to int32 as JAX's promote_args_numeric (numpy would give int8)", () => {
    // np.floor_divide(np.array([True, False]), np.array([True, True])).tolist() -> [1, 0]
    const r = jnp.floorDivide(jnp.array([true, false]), jnp.array([true, true]));
    expect([r.dtype.name, r.tolist()]).toEqual(["int32", [1, 0]]);
    const s = jnp.floorDivide(true, true);
    expect([s.dtype.name, s.weakType, s.item()]).toEqual(["int32", false, 1]);
    expect(jnp.remainder(jnp.array([true, false]), true).tolist()).toEqual([0, 0]);
    expect(
      makeJaxpr((a: jnp.ndarray, b: jnp.ndarray) => jnp.floorDivide(a, b))(
        jnp.array([true]),
        jnp.array([true]),
      ).toString(),
    ).toBe(
      [
        "{ lambda ; a:bool[1] b:bool[1]. let",
        "    c:i32[1] = convert_element_type[new_dtype=int32 weak_type=False] a",
        "    d:i32[1] = convert_element_type[new_dtype=int32 weak_type=False] b",
        "    e:i32[1] = div c d",
        "    f:i32[1] = sign c",
        "    g:i32[1] = sign d",
        "    h:bool[1] = ne f g",
        "    i:i32[1] = rem c d",
        "    j:bool[1] = ne i 0",
        "    k:bool[1] = and h j",
        "    l:i32[1] = sub e 1",
        "    m:i32[1] = select_n k e l",
        "  in (m,) }",
      ].join("\n"),
    );
  });
});
