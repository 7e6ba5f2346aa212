/**
 * Shape-only staging: ShapeDtypeStruct, evalShape, jit(f).trace → Traced → lower → compile,
 * and the stages' costAnalysis / memoryAnalysis (hand-counted by kernel/cost.ts's rules).
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  ShapeDtypeStruct,
  Traced,
  ValueError,
  config,
  evalShape,
  jit,
  numpy as jnp,
} from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";

const sds = (shape: number[], dtype: "float32" | "int32" | "float64" = "float32") =>
  new ShapeDtypeStruct(shape, dtype);

describe("ShapeDtypeStruct", () => {
  it("prints, compares and measures as JAX's", () => {
    const s = sds([2, 3]);
    expect(String(s)).toBe("ShapeDtypeStruct(shape=(2, 3), dtype=float32)");
    expect(String(new ShapeDtypeStruct([5], "int32", { weakType: true }))).toBe(
      "ShapeDtypeStruct(shape=(5,), dtype=int32, weak_type=True)",
    );
    expect(String(sds([]))).toBe("ShapeDtypeStruct(shape=(), dtype=float32)");
    expect([s.size, s.ndim]).toEqual([6, 2]);
    expect(s.equals(sds([2, 3]))).toBe(true);
    expect(s.equals(sds([3, 2]))).toBe(false);
    expect(s.equals(sds([2, 3], "int32"))).toBe(false);
    expect(String(s.update({ dtype: "int32" }))).toBe(
      "ShapeDtypeStruct(shape=(2, 3), dtype=int32)",
    );
    expect(String(ShapeDtypeStruct.like(jnp.ones([4], "int32")))).toBe(
      "ShapeDtypeStruct(shape=(4,), dtype=int32)",
    );
    expect(Object.isFrozen(s)).toBe(true);
  });

  it("rejects a missing dtype, None dimensions and bad dimensions", () => {
    // @ts-expect-error -- dtype is required
    expect(() => new ShapeDtypeStruct([2], undefined)).toThrow(ValueError);
    // @ts-expect-error -- a None dimension
    expect(() => new ShapeDtypeStruct([2, null], "float32")).toThrow(/cannot have None/);
    expect(() => new ShapeDtypeStruct([2, -1], "float32")).toThrow(TypeError);
    expect(() => new ShapeDtypeStruct([2.5], "float32")).toThrow(TypeError);
  });

  it("stands for its canonical dtype when traced (float64 → float32 without x64)", () => {
    const t = jit((x: Array) => x.mul(2)).trace(sds([3], "float64"));
    expect(t.jaxpr.toString()).toBe("{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.0 in (b,) }");
  });
});

describe("evalShape", () => {
  it("computes output shapes and dtypes without running (a 40 GB operand)", () => {
    const f = (A: Array, x: Array) => jnp.tanh(jnp.dot(A, x));
    const out = evalShape(f, sds([100000, 100000]), sds([100000, 10])) as ShapeDtypeStruct;
    expect(out).toBeInstanceOf(ShapeDtypeStruct);
    expect(String(out)).toBe("ShapeDtypeStruct(shape=(100000, 10), dtype=float32)");
  });

  it("takes arrays, scalars and pytrees; returns a pytree of structs with weak types", () => {
    const out = evalShape(
      (p: { w: Array; b: Array }, n: number) => ({
        y: jnp.dot(p.w, p.b).astype("int32"),
        pair: [p.b.sum(), jnp.multiply(n, 2)],
      }),
      { w: jnp.ones([4, 3]), b: sds([3]) },
      3,
    ) as { y: ShapeDtypeStruct; pair: ShapeDtypeStruct[] };
    expect(String(out.y)).toBe("ShapeDtypeStruct(shape=(4,), dtype=int32)");
    expect(out.pair.map(String)).toEqual([
      "ShapeDtypeStruct(shape=(), dtype=float32)",
      "ShapeDtypeStruct(shape=(), dtype=int32, weak_type=True)",
    ]);
  });

  it("raises the errors calling f would raise", () => {
    const f = (a: Array, b: Array) => jnp.dot(a, b);
    let direct: unknown;
    try {
      f(jnp.ones([2, 3]), jnp.ones([4, 5]));
    } catch (e) {
      direct = e;
    }
    expect(direct).toBeInstanceOf(TypeError);
    expect(() => evalShape(f, sds([2, 3]), sds([4, 5]))).toThrow(
      (direct as Error).message.split("\n")[0]!,
    );
    expect(() => evalShape(3 as unknown as () => void)).toThrow(TypeError);
  });

  it("shares jit(f)'s trace cache: one trace per signature", () => {
    let traces = 0;
    const f = (x: Array) => {
      traces++;
      return x.add(1);
    };
    evalShape(f, sds([3]));
    evalShape(f, sds([3]));
    expect(traces).toBe(1);
    evalShape(f, jnp.zeros([3])); // an array of the same aval: same signature
    expect(traces).toBe(1);
    evalShape(f, sds([4]));
    expect(traces).toBe(2);
    jit(f)(jnp.zeros([4])); // the call reuses the trace; only compiles
    expect(traces).toBe(2);
  });
});

describe("jit(f).trace → Traced", () => {
  it("gives the jaxpr, the outputs' structs, and lowers/compiles to a working executable", () => {
    let traces = 0;
    const f = jit(function affine(x: Array, w: Array) {
      traces++;
      return { y: jnp.dot(x, w).add(1), n: x.sum() };
    });
    const t = f.trace(sds([2, 3]), sds([3, 4]));
    expect(t).toBeInstanceOf(Traced);
    expect(t.funName).toBe("affine");
    expect(t.jaxpr.toString()).toBe(
      [
        "{ lambda ; a:f32[2,3] b:f32[3,4]. let",
        "    c:f32[2,4] = dot_general[",
        "      dimension_numbers=(([1], [0]), ([], []))",
        "      precision=None",
        "      preferred_element_type=None",
        "    ] a b",
        "    d:f32[2,4] = add c 1.0",
        "    e:f32[] = reduce_sum[axes=(0, 1)] a",
        "  in (e, d) }", // dict keys in sorted order, as JAX's pytrees
      ].join("\n"),
    );
    const info = t.outInfo as { y: ShapeDtypeStruct; n: ShapeDtypeStruct };
    expect([String(info.y), String(info.n)]).toEqual([
      "ShapeDtypeStruct(shape=(2, 4), dtype=float32)",
      "ShapeDtypeStruct(shape=(), dtype=float32)",
    ]);
    const c = t.lower().compile();
    const x = jnp.arange(6).reshape([2, 3]).astype("float32");
    const w = jnp.arange(12).reshape([3, 4]).astype("float32");
    const r = c(x, w) as { y: Array; n: Array };
    const e = f(x, w) as { y: Array; n: Array };
    expect(r.y.tolist()).toEqual(e.y.tolist());
    expect(r.y.tolist()).toEqual([
      [21, 24, 27, 30],
      [57, 69, 81, 93],
    ]);
    expect(r.n.item()).toBe(15);
    expect(traces).toBe(1); // trace, lower, compile and call shared one trace
    expect(() => c(sds([2, 3]) as unknown as Array, w)).toThrow(/ShapeDtypeStruct is not a valid/);
  });

  it("lower() accepts ShapeDtypeStructs; a call does not", () => {
    const f = jit((x: Array) => jnp.exp(x));
    expect(f.lower(sds([8])).asText()).toContain("b:f32[8] = exp a");
    expect(() => f(sds([8]) as unknown as Array)).toThrow(TypeError);
    expect(() => f(sds([8]) as unknown as Array)).toThrow(
      /Argument 'x' of type ShapeDtypeStruct is not a valid JAX type/,
    );
  });
});

describe("costAnalysis / memoryAnalysis", () => {
  it("counts a dot as 2·m·n·k flops and a fused tanh as transcendentals", () => {
    const f = jit((A: Array, x: Array) => jnp.tanh(jnp.dot(A, x)));
    const cost = f.lower(sds([2, 3]), sds([3, 4])).costAnalysis();
    // dot 2·2·4·3 = 48; tanh on 8 elements (fused epilogue); bytes: A 24 + x 48 + out 32.
    expect(cost).toEqual({ flops: 48, transcendentals: 8, "bytes accessed": 104 });
  });

  it("counts an op on a broadcast operand at the operand's size, reductions per element", () => {
    const f = jit((v: Array, m: Array) => jnp.exp(v).reshape([3, 1]).add(m).sum(1));
    const cost = f.lower(sds([3]), sds([3, 4])).costAnalysis();
    // exp: 3 transcendentals; add: 12 flops; sum: 12 combines. Bytes: v 12 + m 48 + out 12.
    expect(cost).toEqual({ flops: 24, transcendentals: 3, "bytes accessed": 72 });
  });

  for (const device of ["js", "wasm"]) {
    it(`reports argument, output, alias and temporary bytes (${device})`, () => {
      on(device, () => {
        // exp(x) feeds a dot, so it is materialized in a temporary (64 floats = 256 bytes).
        const f = jit((x: Array, y: Array) => [jnp.dot(jnp.exp(x), x), y]);
        const c = f.lower(sds([8, 8]), sds([5], "int32")).compile();
        expect(c.device.name).toBe(device);
        const m = c.memoryAnalysis();
        expect(m.argumentSizeInBytes).toBe(256 + 20);
        expect(m.outputSizeInBytes).toBe(256);
        expect(m.aliasSizeInBytes).toBe(20); // y is passed through
        expect(m.tempSizeInBytes).toBe(256);
        expect(m.generatedCodeSizeInBytes).toBeGreaterThan(0);
        expect(c.costAnalysis()).toEqual(f.lower(sds([8, 8]), sds([5], "int32")).costAnalysis());
        const x = jnp.ones([8, 8]);
        const [p] = c(x, jnp.arange(5)) as Array[];
        expect((p!.tolist() as number[][])[0]![0]).toBeCloseTo(8 * Math.E, 4);
      });
    });
  }

  it("is independent of x64 only through the traced dtypes", () => {
    config.update("jax_enable_x64", true);
    try {
      const m = jit((x: Array) => x.add(1))
        .lower(sds([4], "float64"))
        .compile()
        .memoryAnalysis();
      expect([m.argumentSizeInBytes, m.outputSizeInBytes]).toEqual([32, 32]);
    } finally {
      config.update("jax_enable_x64", false);
    }
  });
});
