/**
 * Options objects in JS's words: an unknown key of a transformation's options is a TypeError
 * naming the key and the nearest valid option; integer-input errors name `allowInt: true`; a
 * JS list passed to a jitted function says lists are pytrees and how to make an array.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  jacfwd,
  jacrev,
  hessian,
  jit,
  numpy as jnp,
  valueAndGrad,
  vmap,
} from "../../src/index.js";

const sq = (x: Array) => x.mul(x);
type Loose = Record<string, unknown>;

describe("unknown option keys name the nearest option", () => {
  it("vmap(f, { in_axes: 0 }) names inAxes", () => {
    const call = () => vmap(sq, { in_axes: 0 } as Loose);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(
      "vmap() got an unexpected keyword argument 'in_axes'. Did you mean 'inAxes'? " +
        "vmap options are inAxes, outAxes, axisSize, axisName.",
    );
    expect(() => vmap(sq, { out_axes: 0 } as Loose)).toThrow("Did you mean 'outAxes'?");
    expect(() => vmap(sq, { axis_size: 2 } as Loose)).toThrow("Did you mean 'axisSize'?");
  });
  it("vmap's valid options and positional axes still work", () => {
    expect(vmap(sq, { inAxes: 0 })(jnp.array([1, 2])).tolist()).toEqual([1, 4]);
    expect(vmap(sq, 0)(jnp.array([1, 2])).tolist()).toEqual([1, 4]);
    expect(vmap(sq, {})(jnp.array([1, 2])).tolist()).toEqual([1, 4]);
  });
  it("grad, valueAndGrad, jacfwd, jacrev, hessian", () => {
    expect(() => grad(sq, { allow_int: true } as Loose)).toThrow(
      "grad() got an unexpected keyword argument 'allow_int'. Did you mean 'allowInt'?",
    );
    expect(() => grad(sq, { has_aux: true } as Loose)).toThrow(TypeError);
    expect(() => valueAndGrad(sq, { argnum: 0 } as Loose)).toThrow(
      "valueAndGrad() got an unexpected keyword argument 'argnum'. Did you mean 'argnums'?",
    );
    expect(() => jacfwd(sq, { has_aux: true } as Loose)).toThrow(
      "jacfwd() got an unexpected keyword argument 'has_aux'. Did you mean 'hasAux'?",
    );
    expect(() => jacrev(sq, { argnum: 0 } as Loose)).toThrow("jacrev() got an unexpected");
    expect(() => hessian(sq, { holomorphic: true } as Loose)).toThrow(
      "hessian() got an unexpected keyword argument 'holomorphic'. hessian options are",
    );
  });
  it("checkpoint, customJvp, customVjp", () => {
    expect(() => checkpoint(sq, { prevent_cse: false } as Loose)).toThrow(
      "checkpoint() got an unexpected keyword argument 'prevent_cse'. Did you mean 'preventCse'?",
    );
    expect(() => customJvp(sq, { nondiff_argnums: [0] } as Loose)).toThrow(
      "customJvp() got an unexpected keyword argument 'nondiff_argnums'. Did you mean 'nondiffArgnums'?",
    );
    expect(() => customVjp(sq, { nondiffArgnum: [0] } as Loose)).toThrow(
      "customVjp() got an unexpected keyword argument 'nondiffArgnum'. Did you mean 'nondiffArgnums'?",
    );
  });
  it("jit keeps its message", () => {
    expect(() => jit(sq, { static_argnums: 0 } as Loose)).toThrow(
      "jit() got an unexpected keyword argument 'static_argnums'. Did you mean 'staticArgnums'? " +
        "jit options are staticArgnums, staticArgnames, donateArgnums, donateArgnames.",
    );
    expect(() => jit(sq, { logCompile: true } as Loose)).toThrow(TypeError);
  });
});

describe("errors speak JS", () => {
  it("grad of an int input says allowInt: true", () => {
    const call = () => grad(jnp.sin)(5 as unknown as Array);
    expect(call).toThrow(TypeError);
    expect(call).toThrow("use vjp or set allowInt: true.");
    expect(call).not.toThrow("allow_int");
  });
  it("a nested JS list passed to a jitted function: lists are pytrees, wrap in jnp.array", () => {
    const summed = jit(function total(a: Array) {
      return a.sum();
    });
    const call = () =>
      summed([
        [1, 2],
        [3, 4],
      ] as unknown as Array);
    expect(call).toThrow(TypeError);
    expect(call).toThrow("a.sum is not a function");
    expect(call).toThrow(
      "Argument 'a' of jitted function total is a JS array: JS arrays are pytrees",
    );
    expect(call).toThrow("Wrap the data in jnp.array(...)");
    expect(
      summed(
        jnp.array([
          [1, 2],
          [3, 4],
        ]),
      ).item(),
    ).toBe(10);
  });
  it("other TypeErrors of a jitted function pass through unchanged", () => {
    const f = jit((a: Array) => {
      throw new TypeError(`own ${a.ndim}`);
    });
    expect(() => f(jnp.ones([2]))).toThrow(/^own 1$/);
  });
});
