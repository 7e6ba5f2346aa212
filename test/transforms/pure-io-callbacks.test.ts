/**
 * pureCallback / ioCallback: jaxpr text, values (eager, jit; js and wasm), DCE (pure removable,
 * io kept), vmap methods (call counts and the shapes the function sees), and JAX's errors.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  RuntimeError,
  ShapeDtypeStruct,
  ValueError,
  grad,
  ioCallback,
  jit,
  makeJaxpr,
  numpy as jnp,
  pureCallback,
  vmap,
} from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";

const f32 = (xs: number[]) => jnp.array(xs, "float32");
const scalarF32 = new ShapeDtypeStruct([], "float32");

describe("pureCallback", () => {
  it("stages pure_callback as JAX prints it", () => {
    const f = (x: Array) =>
      (pureCallback((v: Array) => v, new ShapeDtypeStruct([3], "float32"), x) as Array).add(1);
    expect(makeJaxpr(f)(jnp.ones([3])).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = pure_callback[",
        "      callback=<function pure_callback.<locals>._flat_callback>",
        "      result_avals=(ShapedArray(float32[3]),)",
        "      sharding=None",
        "      vmap_method=None",
        "    ] a",
        "    c:f32[3] = add b 1.0",
        "  in (c,) }",
      ].join("\n"),
    );
  });

  for (const device of ["js", "wasm"]) {
    it(`returns the function's results eagerly and under jit (${device})`, () => {
      on(device, () => {
        let calls = 0;
        const cb = (p: { x: Array; k: Array }) => {
          calls++;
          const xs = p.x.tolist() as number[];
          return [
            f32(xs.map((v) => v * Number(p.k.item()))),
            Float32Array.from(xs, (v) => -v),
            xs.length,
          ];
        };
        const decl = [
          new ShapeDtypeStruct([3], "float32"),
          new ShapeDtypeStruct([3], "float32"),
          new ShapeDtypeStruct([], "int32"),
        ];
        const f = (x: Array) => {
          const [a, b, n] = pureCallback(cb, decl, { x: x.add(1), k: jnp.float32(10) }) as Array[];
          return a!.add(b!).mul(n!);
        };
        const x = f32([0, 1, 2]);
        const ref = [27, 54, 81]; // (10(x+1) - (x+1)) · 3
        expect(f(x).tolist()).toEqual(ref);
        expect(jit(f)(x).tolist()).toEqual(ref);
        expect(jit(f)(x).tolist()).toEqual(ref);
        expect(calls).toBe(3);
      });
    });
  }

  it("is removed by DCE when its results are unused (io_callback is not)", () => {
    let pure = 0;
    let io = 0;
    const f = jit((x: Array) => {
      pureCallback(() => (pure++, jnp.float32(0)), scalarF32, x);
      ioCallback(() => (io++, jnp.float32(0)), scalarF32, x);
      return x.mul(2);
    });
    expect(f(f32([1])).tolist()).toEqual([2]);
    expect([pure, io]).toEqual([0, 1]);
  });

  it("vmaps by vmapMethod: sequential (a scan), expand_dims, broadcast_all; none raises", () => {
    const seen: string[] = [];
    const cb = (a: Array, b: Array) => (seen.push(`${a.shape}|${b.shape}`), a.mul(b).sum(-1));
    const xs = jnp.arange(6).reshape([3, 2]).astype("float32");
    const w = f32([1, 10]);
    const run = (vmapMethod?: "sequential" | "expand_dims" | "broadcast_all") =>
      vmap(
        (x: Array) =>
          pureCallback(cb, scalarF32, x, w, ...(vmapMethod ? [{ vmapMethod }] : [])) as Array,
      )(xs);
    expect(run("sequential").tolist()).toEqual([10, 32, 54]);
    expect(seen.splice(0)).toEqual(["2|2", "2|2", "2|2"]);
    expect(run("expand_dims").tolist()).toEqual([10, 32, 54]);
    expect(seen.splice(0)).toEqual(["3,2|1,2"]);
    expect(run("broadcast_all").tolist()).toEqual([10, 32, 54]);
    expect(seen.splice(0)).toEqual(["3,2|3,2"]);
    expect(() => run()).toThrow(NotImplementedError);
    expect(() => run()).toThrow(/vmap_method/);
    const jaxpr = makeJaxpr(
      vmap((x: Array) => pureCallback(cb, scalarF32, x, w, { vmapMethod: "sequential" })),
    )(xs).toString();
    expect(jaxpr).toContain("= scan[");
    expect(jaxpr).toContain("vmap_method=sequential");
  });

  it("raises JAX's errors", () => {
    const x = f32([1, 2]);
    const decl = new ShapeDtypeStruct([2], "float32");
    expect(() =>
      grad((v: Array) => (pureCallback((a: Array) => a, decl, v) as Array).sum())(x),
    ).toThrow(
      "Pure callbacks do not support JVP. Please use `jax.custom_jvp` to use callbacks while taking gradients.",
    );
    expect(() => pureCallback(() => f32([1, 2, 3]), decl, x)).toThrow(RuntimeError);
    expect(() => pureCallback(() => f32([1, 2, 3]), decl, x)).toThrow(
      "Incorrect output shape for return value #0: Expected: (2,), Actual: (3,)",
    );
    expect(() => jit(() => pureCallback(() => jnp.arange(2), decl, x))()).toThrow(
      "Incorrect output dtype for return value #0: Expected: float32, Actual: int32",
    );
    expect(() => pureCallback(() => [x, x], decl, x)).toThrow(
      "Mismatched number of outputs from callback. Expected: 1, Actual: 2",
    );
    expect(() => pureCallback((a: Array) => a, new ShapeDtypeStruct([2], "float64"), x)).toThrow(
      ValueError,
    );
    expect(() =>
      pureCallback((a: Array) => a, decl, x, { vmapMethod: "bogus" as "sequential" }),
    ).toThrow(/vmap_method must be on of the allowed methods/);
  });
});

describe("ioCallback", () => {
  it("stages io_callback with ordered, runs in program order, vmaps sequentially", () => {
    const log: unknown[] = [];
    const f = jit((x: Array) => {
      ioCallback((v: Array) => (log.push(["a", v.tolist()]), []), [], x, { ordered: true });
      const y = ioCallback(
        (v: Array) => (log.push(["b", v.tolist()]), v.mul(3)),
        scalarF32,
        x.sum(),
      );
      return y;
    });
    expect((f(f32([1, 2])) as Array).item()).toBe(9);
    expect(log.splice(0)).toEqual([
      ["a", [1, 2]],
      ["b", 3],
    ]);
    expect(
      makeJaxpr((x: Array) => ioCallback(() => [], [], x, { ordered: true }))(f32([1])).toString(),
    ).toBe(
      [
        "{ lambda ; a:f32[1]. let",
        "    io_callback[",
        "      callback=<function io_callback.<locals>._flat_callback>",
        "      ordered=True",
        "      result_avals=()",
        "      sharding=None",
        "    ] a",
        "  in () }",
      ].join("\n"),
    );
    const g = (x: Array) =>
      ioCallback((v: Array) => (log.push(v.tolist()), v.add(1)), scalarF32, x) as Array;
    expect(vmap(g)(f32([1, 2, 3])).tolist()).toEqual([2, 3, 4]);
    expect(log.splice(0)).toEqual([1, 2, 3]);
    expect(() =>
      vmap((x: Array) => ioCallback(() => [], [], x, { ordered: true }))(f32([1, 2])),
    ).toThrow("Cannot `vmap` ordered IO callback.");
    expect(() =>
      grad((x: Array) => ioCallback((v: Array) => v, scalarF32, x) as Array)(jnp.float32(1)),
    ).toThrow("IO callbacks do not support JVP.");
  });
});
