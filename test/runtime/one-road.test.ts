/**
 * One road from a jaxpr to results: a top-level jit call and a staged `pjit` of the same jaxpr
 * that reaches the eval trace run the same compiled executable (no second compilation through
 * eager dispatch), and the pjit's code is the optimized program, as jit's.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { jit, makeJaxpr, numpy as jnp, type Array } from "../../src/index.js";
import { getDevice } from "../../src/runtime/devices.js";
import { evalJaxpr } from "../../src/transforms/eval-jaxpr.js";
import { compiledCall } from "../../src/runtime/compile.js";
import type { ClosedJaxpr } from "../../src/ir/jaxpr.js";

afterEach(() => vi.restoreAllMocks());

describe("jit and a staged pjit share compiled code", () => {
  it("a pjit evaluated eagerly reuses the executable of the jit call that made it", () => {
    const w = jnp.array([1, 2, 3], { dtype: "float32" });
    const f = jit((x: Array) => jnp.sin(x).mul(w).add(1));
    const x = jnp.array([0.5, 1, 2], { dtype: "float32" });
    const direct = f(x);
    const outer = makeJaxpr((y: Array) => f(y))(x);
    const eqn = outer.jaxpr.eqns[0]!;
    expect(eqn.primitive.name).toBe("pjit");
    const compile = vi.spyOn(getDevice(), "compile");
    const [viaPjit] = evalJaxpr(outer.jaxpr, outer.consts, [x]) as Array[];
    expect(compile).not.toHaveBeenCalled();
    expect(viaPjit!.tolist()).toEqual(direct.tolist());
    // The shared code is the optimized program of the call jaxpr (consts as leading inputs).
    const callee = (eqn.params["jaxpr"] as ClosedJaxpr).jaxpr;
    expect(compiledCall(callee, getDevice()).jaxpr.invars.length).toBe(2);
  });

  it("a pjit reaching the eval trace compiles once, then runs its cached code", () => {
    const g = (x: Array) => jnp.exp(x).sum();
    const x = jnp.array([1, 2], { dtype: "float32" });
    const outer = makeJaxpr((y: Array) => jit(g)(y))(x);
    const compile = vi.spyOn(getDevice(), "compile");
    const first = evalJaxpr(outer.jaxpr, outer.consts, [x]) as Array[];
    const second = evalJaxpr(outer.jaxpr, outer.consts, [x]) as Array[];
    expect(compile).toHaveBeenCalledTimes(1);
    expect(second[0]!.item()).toBe(first[0]!.item());
    expect(first[0]!.item()).toBeCloseTo(Math.exp(1) + Math.exp(2), 5);
  });
});
