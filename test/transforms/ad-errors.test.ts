/** Error cases of the transformations, with JAX's classes and messages; float0 tangents. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  UnexpectedTracerError,
  ValueError,
  float,
  grad,
  jit,
  jvp,
  linearize,
  numpy as jnp,
  vjp,
  vmap,
} from "../../src/index.js";
import { definePrimitive } from "../../src/primitives/define.js";
import { elementwiseLowering } from "../../src/primitives/lowering-helpers.js";
import { bind1 } from "../../src/trace/trace.js";
import { Zero, notBatchable, notDifferentiable, notLinear } from "../../src/trace/primitive.js";
import { vals } from "./ad-helpers.js";

// A primitive with no transformation rules, and a linear one with a JVP but no transpose.
const noRulesP = definePrimitive({
  name: "test_no_rules",
  abstractEval: ([x]) => [x!],
  lower: elementwiseLowering(([x]) => x!),
  jvp: notDifferentiable("a test of the error"),
  transpose: notLinear,
  batch: notBatchable("a test of the error"),
});
const linearP: ReturnType<typeof definePrimitive> = definePrimitive({
  name: "test_linear_no_transpose",
  abstractEval: ([x]) => [x!],
  lower: elementwiseLowering(([x]) => x!),
  jvp: ([x], [t]) => [[bind1(linearP, [x!])], [t instanceof Zero ? t : bind1(linearP, [t!])]],
  transpose: notLinear,
  batch: notBatchable("a test of the error"),
});
const noRules = (x: Array) => bind1(noRulesP, [x]);
const linear = (x: Array) => bind1(linearP, [x]);

describe("missing rules name the primitive and the transformation", () => {
  it("JVP", () => {
    expect(() => grad(noRules)(float(1))).toThrow(NotImplementedError);
    expect(() => grad(noRules)(float(1))).toThrow(
      "Differentiation rule for 'test_no_rules' not implemented",
    );
    expect(() => jvp(noRules, [float(1)], [float(1)])).toThrow(
      "Differentiation rule for 'test_no_rules' not implemented",
    );
  });
  it("batching", () => {
    expect(() => vmap(noRules)(jnp.ones([2]))).toThrow(NotImplementedError);
    expect(() => vmap(noRules)(jnp.ones([2]))).toThrow(
      "Batching rule for 'test_no_rules' not implemented",
    );
    expect(() => vmap(jit(noRules))(jnp.ones([2]))).toThrow(
      "Batching rule for 'test_no_rules' not implemented",
    );
  });
  it("transpose", () => {
    expect(vals((jvp(linear, [float(1)], [float(2)]) as Array[])[1])).toEqual([2]);
    expect(() => grad(linear)(float(1))).toThrow(
      "Transpose rule (for reverse-mode differentiation) for 'test_linear_no_transpose' not implemented",
    );
  });
  it("a primitive is not differentiated when no input has a tangent", () => {
    expect(vals(grad((x: Array) => x.mul(noRules(float(3))))(float(2)))).toEqual([3]);
    expect(vals(vmap((x: Array) => x.add(noRules(float(3))))(jnp.ones([2])))).toEqual([4, 4]);
  });
});

describe("grad input and output checks", () => {
  it("integer inputs: JAX's TypeError", () => {
    const msg =
      "grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got int32. " +
      "If you want to use Boolean- or integer-valued inputs, use vjp or set allowInt: true.";
    expect(() => grad((x: Array) => x.astype("float32"))(jnp.array([1, 2]))).toThrow(TypeError);
    expect(() => grad((x: Array) => x.astype("float32"))(jnp.array([1, 2]))).toThrow(msg);
    expect(() => grad((x: Array) => x.mul(2).astype("float32"))(3 as unknown as Array)).toThrow(
      msg,
    );
  });
  it("allowInt gives float0 gradients", () => {
    const g = grad((x: Array, y: Array) => jnp.sum(x.astype("float32").mul(y)), {
      argnums: [0, 1],
      allowInt: true,
    })(jnp.array([1, 2]), float(3)) as Array[];
    expect(g[0]!.dtype.name).toBe("float0");
    expect(g[0]!.shape).toEqual([2]);
    expect(vals(g[1]!)).toEqual([3]); // d/dy sum(x*y) = 1 + 2
  });
  it("non-scalar output", () => {
    expect(() => grad(jnp.sin)(jnp.ones([3]))).toThrow(TypeError);
    expect(() => grad(jnp.sin)(jnp.ones([3]))).toThrow(
      "Gradient only defined for scalar-output functions. Output had shape: (3,).",
    );
    expect(() => grad((x: Array) => [x, x])(float(1))).toThrow(
      "Gradient only defined for scalar-output functions. Output was",
    );
  });
  it("integer output", () => {
    expect(() => grad((x: Array) => x.astype("int32"))(float(1))).toThrow(
      "grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got int32. " +
        "For differentiation of functions with integer outputs, use jax.vjp directly.",
    );
  });
  it("argnums out of range", () => {
    expect(() => grad((x: Array) => x, { argnums: 2 })(float(1))).toThrow(
      "differentiating with respect to argnums=2 requires at least 3 positional arguments to be passed by the caller, but got only 1 positional arguments.",
    );
  });
  it("hasAux requires a pair", () => {
    expect(() => grad((x: Array) => x, { hasAux: true })(float(1))).toThrow(
      "has_aux=True requires fun to return a (output, aux) pair",
    );
  });
});

describe("jvp / vjp argument checks and float0", () => {
  it("tangent dtype must match (float0 for integer primals)", () => {
    expect(() => jvp((x: Array) => x, [jnp.ones([3])], [jnp.ones([3], "float16")])).toThrow(
      "primal and tangent arguments to jax.jvp do not match; dtypes must be equal, or in case of int/bool primal dtype " +
        "the tangent dtype must be float0.Got primal dtype float32 and so expected tangent dtype float32, but got tangent " +
        "dtype float16 instead.",
    );
    expect(() => jvp((x: Array) => x, [jnp.array([1, 2])], [jnp.ones([2])])).toThrow(
      "expected tangent dtype float0",
    );
  });
  it("shapes and structures must match", () => {
    expect(() => jvp((x: Array) => x, [jnp.ones([3])], [jnp.ones([2])])).toThrow(
      "jvp called with different primal and tangent shapes;Got primal shape (3,) and tangent shape as (2,)",
    );
    // @ts-expect-error -- a tangent structure that differs from the primals' (a runtime error)
    expect(() => jvp((x: Array) => x, [jnp.ones([3])], [[jnp.ones([3])]])).toThrow(
      "must have the same tree structure",
    );
  });
  it("integer primals take float0 tangents; integer outputs get float0 tangents", () => {
    const n = jnp.array([1, 2, 3]);
    const t0 = jnp.zeros([3], "float0");
    const [y, ty] = jvp((x: Array) => x.mul(2), [n], [t0]) as Array[];
    expect(vals(y)).toEqual([2, 4, 6]);
    expect(ty!.dtype.name).toBe("float0");
    const [, tf] = jvp(
      (x: Array, s: Array) => x.astype("float32").mul(s),
      [n, float(2)],
      [t0, float(1)],
    ) as Array[];
    expect(vals(tf)).toEqual([1, 2, 3]);
  });
  it("vjp of an integer input gives a float0 cotangent", () => {
    const [, pb] = vjp(
      (x: Array, s: Array) => x.astype("float32").mul(s),
      jnp.array([1, 2]),
      float(3),
    ) as [Array, (c: Array) => Array[]];
    const [cx, cs] = pb(jnp.ones([2]));
    expect(cx!.dtype.name).toBe("float0");
    expect(vals(cs)).toEqual([3]);
  });
  it("float0 values print as numpy prints them (str and util.inspect)", () => {
    // python3 + numpy: float0 = np.dtype([("float0", np.void, 0)]); str / repr of np.zeros(s, float0).
    // JAX: jax.grad(f, allow_int=True)(3) is array((b'',), dtype=[('float0', 'V')]).
    const g = grad((x: Array) => x.mul(2).astype("float32"), { allowInt: true })(
      3 as unknown as Array,
    ) as Array;
    expect(String(g)).toBe("(b'',)");
    expect(inspect(g)).toBe("array((b'',), dtype=[('float0', 'V')])");
    const [, ty] = jvp((x: Array) => x.mul(2), [jnp.array([1, 2])], [jnp.zeros([2], "float0")]);
    expect(String(ty)).toBe("[(b'',) (b'',)]");
    expect(inspect(ty)).toBe("array([(b'',), (b'',)], dtype=[('float0', 'V')])");
    const [, pb] = vjp((x: Array) => x.astype("float32").mul(2), jnp.array([[1, 2]])) as [
      Array,
      (c: Array) => Array[],
    ];
    const [c] = pb(jnp.ones([1, 2]));
    expect(String(c)).toBe("[[(b'',) (b'',)]]");
    expect(inspect(c)).toBe("array([[(b'',), (b'',)]], dtype=[('float0', 'V')])");
  });
  it("vjp cotangent checks", () => {
    const [, pb] = vjp(jnp.sin, jnp.ones([3])) as [Array, (c: unknown) => Array[]];
    expect(() => pb(jnp.ones([2]))).toThrow(
      "Shape of cotangent input to vjp pullback function (2,) must be the same as the shape of corresponding primal input (3,).",
    );
    expect(() => pb(jnp.ones([3], "int32"))).toThrow(
      "Type of cotangent input to vjp pullback function (int32) is not the expected tangent type (float32) of corresponding primal output with dtype float32.",
    );
    expect(() => pb([jnp.ones([3])])).toThrow("does not match structure of primal output");
  });
});

describe("leaked tracers raise UnexpectedTracerError when used", () => {
  it("from grad, jvp, vmap, linearize and jit", () => {
    let leaked: Array | undefined;
    const leak = (x: Array) => {
      leaked = x;
      return jnp.sin(x);
    };
    const uses: [string, () => unknown][] = [
      ["grad", () => grad(leak)(float(1))],
      ["jvp", () => jvp(leak, [float(1)], [float(1)])],
      ["vmap", () => vmap(leak)(jnp.ones([2]))],
      ["linearize", () => linearize(leak, float(1))],
      ["jit", () => jit(leak)(float(1))],
    ];
    for (const [name, run] of uses) {
      run();
      expect(leaked, name).toBeDefined();
      expect(() => leaked!.mul(2), name).toThrow(UnexpectedTracerError);
      expect(() => jnp.sin(leaked!), name).toThrow("Encountered an unexpected tracer");
    }
  });
  it("a tracer captured by a later transformation of another function", () => {
    let leaked: Array | undefined;
    grad((x: Array) => {
      leaked = x;
      return x;
    })(float(1));
    expect(() => grad((y: Array) => y.mul(leaked!))(float(2))).toThrow(UnexpectedTracerError);
  });
});

describe("vmap argument errors", () => {
  it("empty arguments", () => {
    expect(() => vmap(() => 1)()).toThrow(ValueError);
  });
});
