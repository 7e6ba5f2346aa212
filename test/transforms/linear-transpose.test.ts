/**
 * linearTranspose (against vjp of the same linear function and hand-computed transposes, on
 * pytrees, under jit; JAX's errors for non-linear functions, dtypes, cotangent trees/types)
 * and closureConvert (which closed-over values are hoisted: perturbed tracers only, as JAX's
 * _maybe_perturbed; the converted function's values and derivatives).
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  ShapeDtypeStruct,
  closureConvert,
  grad,
  jit,
  jvp,
  linearTranspose,
  makeJaxpr,
  numpy as jnp,
  vjp,
} from "../../src/index.js";

const f32 = (shape: number[]) => new ShapeDtypeStruct(shape, "float32");
const vals = (a: unknown) => [...((a as Array).toTypedArray() as Float32Array)];
const A = jnp.array(
  [
    [1, 2, 3],
    [4, 5, 6],
  ],
  { dtype: "float32" },
);

describe("linearTranspose", () => {
  it("JAX's docstring example: f = 0.5 x - 0.5 y", () => {
    const s = f32([]);
    const ft = linearTranspose((x: Array, y: Array) => x.mul(0.5).sub(y.mul(0.5)), s, s);
    const [cx, cy] = ft(1.0) as Array[];
    expect(cx!.item()).toBe(0.5);
    expect(cy!.item()).toBe(-0.5);
    expect(cx!.dtype.name).toBe("float32");
  });

  it("equals vjp's cotangents for a linear map of pytrees; constants are evaluated, not transposed", () => {
    // (x, {w}) ↦ [A x + 2 w, sum(x)]; sin(A) terms cancel and are not linear in the inputs.
    const f = (x: Array, d: { w: Array }) => [
      jnp.matmul(A, x).add(d.w.mul(2)).add(jnp.sin(A).sum(1)).sub(jnp.sin(A).sum(1)),
      x.sum(),
    ];
    const ft = linearTranspose(f, f32([3]), { w: f32([2]) });
    const ct = [jnp.array([1, -1], { dtype: "float32" }), jnp.array(0.5, { dtype: "float32" })];
    const [cx, cd] = ft(ct) as [Array, { w: Array }];
    // Aᵀ ct0 + 0.5 = [1-4, 2-5, 3-6] + 0.5; w: 2 ct0.
    expect(vals(cx)).toEqual([-2.5, -2.5, -2.5]);
    expect(vals(cd.w)).toEqual([2, -2]);
    const x0 = jnp.array([0.3, -0.2, 0.7], { dtype: "float32" });
    const w0 = jnp.array([1.5, 2.5], { dtype: "float32" });
    const [, pullback] = vjp(f, x0, { w: w0 });
    const [vx, vd] = pullback(ct) as [Array, { w: Array }];
    expect(vals(cx)).toEqual(vals(vx));
    expect(vals(cd.w)).toEqual(vals(vd.w));
    // The transposed function is itself traceable (jit of it matches).
    const [jx] = jit((c: Array[]) => ft(c) as [Array, { w: Array }])(ct);
    expect(vals(jx)).toEqual(vals(cx));
  });

  it("an input the output does not depend on gets zeros", () => {
    const ft = linearTranspose((x: Array, _y: Array) => x.mul(3), f32([2]), f32([2]));
    const [cx, cy] = ft(jnp.ones([2], "float32")) as Array[];
    expect(vals(cx)).toEqual([3, 3]);
    expect(vals(cy)).toEqual([0, 0]);
  });

  it("non-linear functions fail as JAX's do", () => {
    const s = f32([]);
    expect(() => linearTranspose((x: Array) => jnp.sin(x), s)(1.0)).toThrow(
      new NotImplementedError(
        "Transpose rule (for reverse-mode differentiation) for 'sin' not implemented",
      ),
    );
    expect(() => linearTranspose((x: Array) => x.mul(x), s)(1.0)).toThrow(
      /mul transpose: both operands are linear/,
    );
  });

  it("JAX's TypeErrors for dtypes and cotangents", () => {
    const s = f32([]);
    expect(() => linearTranspose((x: Array) => x.astype("int32"), s)).toThrow(
      new TypeError(
        "linear_transpose only supports [float or complex] -> [float or complex], and integer -> " +
          "integer functions, but got [dtype('float32')] -> [dtype('int32')].",
      ),
    );
    const ft = linearTranspose((x: Array) => x.mul(2), s);
    expect(() => ft([1.0, 2.0])).toThrow(
      new TypeError(
        "cotangent tree does not match function output, expected PyTreeDef(*) but got PyTreeDef([*, *])",
      ),
    );
    expect(() => ft(jnp.ones([2]))).toThrow(
      new TypeError(
        "cotangent type does not match function output, expected [ShapedArray(float32[])] but got " +
          "[ShapedArray(float32[2])]",
      ),
    );
  });
});

describe("closureConvert", () => {
  it("outside any transformation nothing is hoisted", () => {
    const [cf, consts] = closureConvert((x: Array) => x.mul(A.sum()), 1.5);
    expect(consts).toEqual([]);
    expect((cf(2.0) as Array).item()).toBe(42);
  });

  it("hoists a closed-over JVP tracer; the converted function carries its derivative", () => {
    let hoisted = -1;
    const h = (y: Array | number) => {
      const [cf, consts] = closureConvert((x: Array) => x.mul(y).mul(3), 1.5);
      hoisted = consts.length;
      return cf(2.0, ...consts) as Array;
    };
    const [p, t] = jvp(h, [jnp.array(2.5)], [jnp.array(1.5)]) as [Array, Array];
    expect(hoisted).toBe(1);
    expect(p.item()).toBe(15); // 2 · 2.5 · 3
    expect(t.item()).toBe(9); // 2 · 1.5 · 3
    expect((grad(h)(2.5) as Array).item()).toBe(6);
  });

  it("under staging float tracers are hoisted, integer ones (float0 tangents) are not", () => {
    const counts: number[] = [];
    const h = (y: Array | number, n: Array | number) => {
      const [cf, consts] = closureConvert((x: Array) => x.mul(y).add(n), 1.5);
      counts.push(consts.length);
      return cf(2.0, ...consts) as Array;
    };
    const text = makeJaxpr(h)(2.5, 3).toString();
    expect(counts).toEqual([1]);
    expect(text).toBe(
      [
        "{ lambda ; a:f32[] b:i32[]. let",
        "    c:f32[] = mul 2.0 a",
        "    d:f32[] = convert_element_type[new_dtype=float32 weak_type=True] b",
        "    e:f32[] = add c d",
        "  in (e,) }",
      ].join("\n"),
    );
  });

  it("a different argument structure is JAX's TypeError", () => {
    const [cf] = closureConvert((x: Array) => x.mul(2), 1.5);
    expect(() => cf([1, 2])).toThrow(
      /closure produced by closure_convert must have the same Pytree structure as the example arguments/,
    );
  });
});
