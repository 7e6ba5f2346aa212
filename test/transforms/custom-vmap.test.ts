/**
 * customBatching.customVmap / sequentialVmap: the rule replaces batching (called with the
 * batch axis first and JAX's in_batched flags), the jaxpr text of custom_vmap_call, values
 * eagerly/jit/vmap against loops, JVP of the rule in both composition orders (against the
 * analytic derivative of what the rule computes), sequentialVmap's one call per example, and
 * JAX's errors for a missing rule and mismatched output trees.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  ValueError,
  customBatching,
  grad,
  jit,
  jvp,
  makeJaxpr,
  numpy as jnp,
  vmap,
} from "../../src/index.js";

const vals = (a: Array) => [...(a.toTypedArray() as Float32Array)];
const x = jnp.array([1, 2, 3], "float32");
const y = jnp.array([0.5, -1, 2], "float32");

/** f(x, y) = x + y per example, but batched by a rule that computes x * y (so it shows). */
function makeF(calls: string[]) {
  const f = customBatching.customVmap((a: Array, b: Array) => a.add(b));
  f.defVmap(function f_vmap_rule(axisSize: number, inBatched: boolean[], xs: Array, ys: Array) {
    calls.push(`${axisSize}:${inBatched.join(",")}`);
    return [xs.mul(ys), true];
  });
  return f;
}

describe("customVmap", () => {
  it("runs f itself unbatched (eager, jit) and the rule under vmap", () => {
    const calls: string[] = [];
    const f = makeF(calls);
    expect(vals(f(x, y))).toEqual([1.5, 1, 5]);
    expect(vals(jit(f)(x, y))).toEqual([1.5, 1, 5]);
    expect(calls).toEqual([]);
    expect(vals(vmap(f)(x, y))).toEqual([0.5, -2, 6]);
    expect(vals(jit(vmap(f))(x, y))).toEqual([0.5, -2, 6]);
    expect(vals(vmap(f, [0, null])(x, jnp.array(2, "float32")))).toEqual([2, 4, 6]);
    expect(calls).toEqual(["3:true,true", "3:true,true", "3:true,false"]);
    // in_axes 1 reaches the rule with the batch axis moved to the front.
    const m = jnp.array(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      "float32",
    );
    expect(vals(vmap(f, 1)(m, m))).toEqual([1, 16, 4, 25, 9, 36]);
  });

  it("stages custom_vmap_call as JAX prints it; the batched jaxpr is the rule's", () => {
    const f = makeF([]);
    expect(makeJaxpr(f)(x, y).toString()).toBe(
      [
        "{ lambda ; a:f32[3] b:f32[3]. let",
        "    c:f32[3] = custom_vmap_call[",
        "      call={ lambda ; d:f32[3] e:f32[3]. let f:f32[3] = add d e in (f,) }",
        "      in_tree=PyTreeDef(((), (*, *)))",
        "      out_tree=PyTreeDef(*)",
        "      rule=<function f_vmap_rule>",
        "    ] a b",
        "  in (c,) }",
      ].join("\n"),
    );
    expect(makeJaxpr(vmap(f))(x, y).toString()).toBe(
      "{ lambda ; a:f32[3] b:f32[3]. let c:f32[3] = mul a b in (c,) }",
    );
  });

  it("JVP uses the JVP of the rule, in both orders", () => {
    const f = makeF([]);
    const tx = jnp.array([1, 0, 2], "float32");
    const ty = jnp.array([0, 3, 1], "float32");
    // jvp of vmap: d(x*y) = tx*y + x*ty.
    const [p, t] = jvp(vmap(f), [x, y], [tx, ty]) as [Array, Array];
    expect(vals(p)).toEqual([0.5, -2, 6]);
    expect(vals(t)).toEqual([0.5, 6, 7]);
    // vmap of jvp: the per-example jvp is batched by the JVP of the rule.
    const [p2, t2] = vmap((a: Array, b: Array, ta: Array, tb: Array) => jvp(f, [a, b], [ta, tb]))(
      x,
      y,
      tx,
      ty,
    ) as unknown as [Array, Array];
    expect(vals(p2)).toEqual([0.5, -2, 6]);
    expect(vals(t2)).toEqual([0.5, 6, 7]);
    // Unbatched, the JVP is f's own.
    const [, t3] = jvp(f, [x, y], [tx, ty]) as [Array, Array];
    expect(vals(t3)).toEqual([1, 3, 3]);
  });

  it("JAX's errors: no rule, mismatched trees; reverse mode needs customVjp", () => {
    const g = customBatching.customVmap((a: Array) => a.mul(2));
    expect(() => vmap(g)(x)).toThrow(
      new TypeError("No batching rule defined for custom_vmap function <lambda> using def_vmap."),
    );
    g.defVmap(function bad(_n: number, _b: boolean[], xs: Array) {
      return [[xs, xs], true];
    });
    expect(() => vmap(g)(x)).toThrow(ValueError);
    expect(() => vmap(g)(x)).toThrow(
      /structure of output value and output batching specification returned by custom vmap rule \(bad\) do not match/,
    );
    g.defVmap(function bad2(_n: number, _b: boolean[], xs: Array) {
      return [[xs], [true]];
    });
    expect(() => vmap(g)(x)).toThrow(
      /structure of output returned by custom vmap rule \(bad2\) does not match that of original custom-vmapped function/,
    );
    const f = makeF([]);
    // Under vmap the rule runs (and is differentiated); unbatched reverse mode is JAX's error.
    expect(vals(grad((a: Array) => vmap(f)(a, y).sum())(x))).toEqual([0.5, -1, 2]);
    expect(() => grad((a: Array) => f(a, y).sum())(x)).toThrow(
      /custom_vmap functions do not support reverse-mode autodiff/,
    );
  });
});

describe("sequentialVmap", () => {
  it("calls f once per example (a scan), broadcast arguments unbatched", () => {
    const seen: number[][] = [];
    const g = customBatching.sequentialVmap((a: Array, s: Array) => {
      seen.push(a.shape as number[]);
      return jnp.sum(a).mul(s);
    });
    const xs = jnp.array(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      "float32",
    );
    expect(vals(vmap(g, [0, null])(xs, jnp.array(2, "float32")))).toEqual([6, 14, 22]);
    expect(seen.every((s) => s.length === 1 && s[0] === 2)).toBe(true);
    const text = makeJaxpr(vmap(g, [0, null]))(xs, jnp.array(2, "float32")).toString();
    expect(text).toContain("scan[");
    expect(text).toContain("rule=<function sequential_vmap.<locals>.rule>");
    // Per-example loop reference.
    const loop = [0, 1, 2].map((i) => Number(g(xs.get(i) as never, 2 as never).item()));
    expect(loop).toEqual([6, 14, 22]);
  });
});
