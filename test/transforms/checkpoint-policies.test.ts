/**
 * checkpoint policies: what the backward pass recomputes (equations counted inside the
 * differentiated checkpoint), gradients unchanged (vs the analytic derivative, jit and eager),
 * checkpointName, staticArgnums, and the errors (offload policies, bad policy).
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  type CheckpointPolicy,
  type ClosedJaxpr,
  NotImplementedError,
  checkpoint,
  checkpointName,
  checkpointPolicies as cp,
  float,
  grad,
  jit,
  makeJaxpr,
  numpy as jnp,
  vmap,
} from "../../src/index.js";

/** The equations of the differentiated (backward) checkpoint in a jaxpr, by primitive name. */
function recomputed(j: ClosedJaxpr): Record<string, number> {
  const e = j.jaxpr.eqns.find((q) => q.primitive.name === "checkpoint" && q.params.differentiated);
  const counts: Record<string, number> = {};
  for (const q of (e!.params.jaxpr as ClosedJaxpr).jaxpr.eqns) {
    counts[q.primitive.name] = (counts[q.primitive.name] ?? 0) + 1;
  }
  return counts;
}

// f(x) = sin(sin x) · sin x with the inner sin named "a".
const f = (x: Array) => jnp.sin(checkpointName(jnp.sin(x), "a")).mul(jnp.sin(x));
const df = (x: number) =>
  Math.cos(Math.sin(x)) * Math.cos(x) * Math.sin(x) + Math.sin(Math.sin(x)) * Math.cos(x);

describe("checkpoint policies", () => {
  const cases: [string, CheckpointPolicy | null, Record<string, number>][] = [
    ["none (save nothing)", null, { sin: 3, cos: 3, name: 1 }],
    ["nothingSaveable", cp.nothingSaveable, { sin: 3, cos: 3, name: 1 }],
    ["everythingSaveable", cp.everythingSaveable, {}],
    ["saveOnlyTheseNames('a')", cp.saveOnlyTheseNames("a"), { sin: 2, cos: 3 }],
    ["saveAnyNamesButThese('a')", cp.saveAnyNamesButThese("a"), { sin: 3, cos: 3, name: 1 }],
  ];
  for (const [label, policy, sinCos] of cases) {
    it(`${label}: recomputes ${JSON.stringify(sinCos)}; gradient unchanged`, () => {
      const g = checkpoint(f, { policy });
      const counts = recomputed(makeJaxpr(grad(g))(float(1)));
      expect({ sin: counts.sin, cos: counts.cos, name: counts.name }).toEqual({
        sin: sinCos.sin,
        cos: sinCos.cos,
        name: sinCos.name,
      });
      for (const x of [0.3, 1, -2]) {
        expect(grad(g)(float(x)).item()).toBeCloseTo(df(x), 6);
        expect(jit(grad(g))(float(x)).item()).toBeCloseTo(df(x), 6);
      }
    });
  }

  it("prints the policy and the residuals as JAX (saveOnlyTheseNames)", () => {
    const g = checkpoint(f, { policy: cp.saveOnlyTheseNames("a") });
    expect(makeJaxpr(grad(g))(float(1)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = sin a",
        "    c:f32[] = name[name=a] b",
        "    d:f32[] = sin c",
        "    e:f32[] = sin a",
        "    _:f32[] = mul d e",
        "    f:f32[] = checkpoint[",
        "      differentiated=True",
        "      jaxpr={ lambda ; g:f32[] h:f32[] i:f32[]. let",
        "          j:f32[] = cos h",
        "          k:f32[] = sin g",
        "          l:f32[] = cos g",
        "          m:f32[] = sin h",
        "          n:f32[] = cos h",
        "          o:f32[] = mul k i",
        "          p:f32[] = mul i m",
        "          q:f32[] = mul o n",
        "          r:f32[] = mul p l",
        "          s:f32[] = mul r j",
        "          t:f32[] = add_any q s",
        "        in (t,) }",
        "      policy=<function save_only_these_names.<locals>.policy>",
        "      prevent_cse=True",
        "    ] c a 1.0",
        "  in (f,) }",
      ].join("\n"),
    );
  });

  it("dotsSaveable / dotsWithNoBatchDimsSaveable / saveFromBothPolicies save the dots they name", () => {
    const w = jnp.arange(6).reshape([2, 3]).astype("float32").mul(0.1);
    const mlp = (x: Array) => jnp.tanh(jnp.dot(jnp.tanh(jnp.dot(x, w)), w.T)).sum();
    const bmm = (x: Array) =>
      jnp.dot(jnp.tanh(jnp.einsum("bij,bjk->bik", x, x)), jnp.ones([2])).sum();
    const x = jnp.arange(4).reshape([2, 2]).astype("float32").mul(0.3);
    const xb = jnp.arange(8).reshape([2, 2, 2]).astype("float32").mul(0.2);
    const dots = (fn: (x: Array) => Array, arg: Array, policy: CheckpointPolicy | null) =>
      recomputed(makeJaxpr(grad(checkpoint(fn, { policy })))(arg)).dot_general ?? 0;
    // Without a policy the two forward dots are recomputed (plus the backward's own 2).
    expect(dots(mlp, x, null)).toBe(4);
    expect(dots(mlp, x, cp.dotsSaveable)).toBe(2);
    expect(dots(mlp, x, cp.dotsWithNoBatchDimsSaveable)).toBe(2);
    // A batched dot is saved by dotsSaveable only.
    const nb = dots(bmm, xb, null);
    expect(dots(bmm, xb, cp.dotsSaveable)).toBe(nb - 1);
    expect(dots(bmm, xb, cp.dotsWithNoBatchDimsSaveable)).toBe(nb);
    const both = cp.saveFromBothPolicies(cp.saveOnlyTheseNames("zzz"), cp.dotsSaveable);
    expect(dots(mlp, x, both)).toBe(2);
    const ref = grad(mlp)(x).tolist();
    for (const policy of [null, cp.dotsSaveable, cp.dotsWithNoBatchDimsSaveable, both]) {
      const got = jit(grad(checkpoint(mlp, { policy })))(x).tolist() as number[][];
      got.flat().forEach((v, i) => expect(v).toBeCloseTo((ref as number[][]).flat()[i]!, 6));
    }
  });

  it("offload policies raise NotImplementedError saying why; bad policies raise TypeError", () => {
    expect(() => cp.offloadDotWithNoBatchDims()).toThrow(NotImplementedError);
    expect(() => cp.saveAndOffloadOnlyTheseNames()).toThrow(/one memory space/);
    expect(() => checkpoint(f, { policy: "dots" as unknown as CheckpointPolicy })).toThrow(
      TypeError,
    );
    expect(() => cp.saveOnlyTheseNames(3 as unknown as string)).toThrow(TypeError);
  });
});

describe("checkpointName / staticArgnums", () => {
  it("checkpointName is the identity: values, vmap, jaxpr text", () => {
    const x = jnp.arange(3).astype("float32");
    expect(checkpointName(x, "h").tolist()).toEqual([0, 1, 2]);
    expect(vmap((v: Array) => checkpointName(v.mul(2), "h"))(x).tolist()).toEqual([0, 2, 4]);
    expect(makeJaxpr((v: Array) => checkpointName(v, "h"))(x).toString()).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = name[name=h] a in (b,) }",
    );
  });

  it("staticArgnums passes JS values through untraced", () => {
    const power = (x: Array, n: number) => {
      let y = x;
      for (let i = 1; i < n; i++) y = y.mul(x);
      return y;
    };
    const g = checkpoint(power, { staticArgnums: 1 });
    expect(grad((x: Array) => g(x, 3))(float(2)).item()).toBeCloseTo(12, 5);
    expect(jit(grad((x: Array) => g(x, 4)))(float(2)).item()).toBeCloseTo(32, 5);
    expect(() => checkpoint(power, { staticArgnums: 0.5 })).toThrow(TypeError);
  });
});
