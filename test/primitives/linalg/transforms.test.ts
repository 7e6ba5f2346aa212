/**
 * The linalg primitives under transformations: exact jaxpr text, jit vs eager, js vs wasm
 * device, vmap vs a loop, JVP/VJP vs central finite differences in float64 (including the
 * gradient of a Gaussian-process log-likelihood), and JAX's errors for bad inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  config,
  jit,
  jvp,
  lax,
  makeJaxpr,
  numpy as jnp,
  vjp,
  vmap,
} from "../../../src/index.js";
import { on } from "../../backend/differential-helpers.js";
import {
  checkDirectionalGrad,
  expectClose,
  rng,
  uniform,
  vals,
} from "../../transforms/ad-helpers.js";

const spdOf = (g: Array): Array =>
  jnp
    .matmul(g, jnp.swapaxes(g, -1, -2))
    .add(jnp.eye(g.shape[g.ndim - 1]!).mul(g.shape[g.ndim - 1]!));

describe("jaxpr text", () => {
  it("cholesky (symmetrize_input=False) is cholesky then JAX's _tril", () => {
    const a = jnp.ones([3, 3], "float32");
    expect(
      makeJaxpr((x: Array) => lax.linalg.cholesky(x, { symmetrizeInput: false }))(a).toString(),
    ).toBe(`{ lambda ; a:f32[3,3]. let
    b:f32[3,3] = cholesky a
    c:i32[3,3] = iota[dimension=0 dtype=int32 shape=(3, 3)] 
    d:i32[3,3] = add c 0
    e:i32[3,3] = iota[dimension=1 dtype=int32 shape=(3, 3)] 
    f:bool[3,3] = ge d e
    g:bool[3,3] = convert_element_type[new_dtype=bool weak_type=False] f
    h:f32[3,3] = broadcast_in_dim[broadcast_dimensions=() shape=(3, 3)] 0.0
    i:f32[3,3] = select_n g h b
  in (i,) }`);
  });
  it("triangular_solve and lu", () => {
    const a = jnp.ones([3, 3], "float32");
    const b = jnp.ones([3, 2], "float32");
    expect(
      makeJaxpr((x: Array, y: Array) =>
        lax.linalg.triangularSolve(x, y, { leftSide: true, lower: true }),
      )(a, b).toString(),
    ).toBe(`{ lambda ; a:f32[3,3] b:f32[3,2]. let
    c:f32[3,2] = triangular_solve[
      conjugate_a=False
      left_side=True
      lower=True
      transpose_a=False
      unit_diagonal=False
    ] a b
  in (c,) }`);
    expect(makeJaxpr((x: Array) => lax.linalg.lu(x))(a).toString()).toBe(
      "{ lambda ; a:f32[3,3]. let b:f32[3,3] c:i32[3] d:i32[3] = lu a in (b, c, d) }",
    );
  });
});

describe("jit, devices, vmap (float32)", () => {
  const r = rng(5);
  const g = uniform(r, [4, 6, 6], -1, 1, "float32");
  const a = spdOf(g);
  const b = uniform(r, [4, 6, 2], -1, 1, "float32");
  const all = (x: Array, y: Array): Array[] => {
    const l = lax.linalg.cholesky(x);
    const [lu, piv, perm] = lax.linalg.lu(x);
    const t = lax.linalg.triangularSolve(l, y, { leftSide: true, lower: true });
    return [l, lu, piv, perm, t, jnp.linalg.solve(x, y), jnp.linalg.det(x), jnp.linalg.inv(x)];
  };

  it("jit equals eager, bit for bit", () => {
    const eager = all(a, b);
    const jitted = jit(all)(a, b);
    eager.forEach((e, i) => expect(vals(jitted[i]), `output ${i}`).toEqual(vals(e)));
  });

  it("the wasm device equals the js device, bit for bit", () => {
    // The factorizations and solves run the same kernels (exact); det goes through log/exp,
    // whose wasm implementations are within a few ulps of the js ones.
    const same = (x: number[][], y: number[][], what: string) =>
      x.forEach((e, i) =>
        i === 6
          ? expectClose(y[i]!, e, 1e-5, 0, `${what} ${i}`)
          : expect(y[i], `${what} ${i}`).toEqual(e),
      );
    same(
      on("js", () => all(a, b).map(vals)),
      on("wasm", () => all(a, b).map(vals)),
      "eager output",
    );
    same(
      on("js", () => jit(all)(a, b).map(vals)),
      on("wasm", () => jit(all)(a, b).map(vals)),
      "jit output",
    );
  });

  it("vmap equals a loop (batched and unbatched operands, batch dim not in front)", () => {
    const outs = vmap(all)(a, b);
    for (let k = 0; k < 4; k++) {
      const one = all(a.get(k), b.get(k));
      one.forEach((e, i) => expectClose(vals(outs[i]!.get(k)), vals(e), 1e-6, 1e-6, `${i}@${k}`));
    }
    // Shared A, batched B with its batch dim last (triangular_solve's fold into B).
    const l = lax.linalg.cholesky(a.get(0));
    const bt = jnp.moveaxis(b, 0, -1);
    for (const leftSide of [true, false]) {
      const rhs = leftSide ? bt : jnp.swapaxes(bt, 0, 1);
      const f = (y: Array) => lax.linalg.triangularSolve(l, y, { leftSide, lower: true });
      const out = vmap(f, { inAxes: -1, outAxes: -1 })(rhs);
      for (let k = 0; k < 4; k++) {
        const col = leftSide ? b.get(k) : jnp.swapaxes(b.get(k), 0, 1);
        expectClose(vals(jnp.moveaxis(out, -1, 0).get(k)), vals(f(col)), 1e-6, 1e-6, `${leftSide}`);
      }
    }
  });
});

describe("derivatives (float64) vs central finite differences", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));

  const checkGrad = (f: (x: Array) => Array, x: Array, seed: number, what: string) =>
    checkDirectionalGrad(f, x, seed, what, 1e-6);

  // Made inside the tests, once x64 is on.
  let r = rng(11);
  let g: Array, a: Array, b: Array;
  beforeAll(() => {
    r = rng(11);
    g = uniform(r, [5, 5]);
    a = spdOf(g);
    b = uniform(r, [5, 3]);
  });

  it("Gaussian-process log-likelihood (cholesky + triangular solves + log det)", () => {
    const xs = uniform(r, [6, 1], -2, 2);
    const y = uniform(r, [6]);
    const nll = (theta: Array): Array => {
      const ls = jnp.exp(theta.get(0));
      const amp = jnp.exp(theta.get(1));
      const d = xs.sub(jnp.swapaxes(xs, 0, 1));
      const k = amp.mul(jnp.exp(d.mul(d).div(ls.mul(ls).mul(-2)))).add(jnp.eye(6).mul(0.1));
      const l = jnp.linalg.cholesky(k);
      const alpha = lax.linalg.triangularSolve(l, y, { leftSide: true, lower: true });
      const logdet = jnp.sum(jnp.log(jnp.diagonal(l))).mul(2);
      return jnp.sum(alpha.mul(alpha)).mul(0.5).add(logdet.mul(0.5));
    };
    checkGrad(nll, jnp.array([0.3, -0.2]), 1, "gp");
    checkGrad(jit(nll), jnp.array([-0.5, 0.4]), 2, "jit gp");
  });

  it("cholesky, triangular_solve (in a and b, all flags), lu, solve, inv, det, slogdet", () => {
    checkGrad((x) => jnp.sum(jnp.sin(lax.linalg.cholesky(x))), a, 3, "cholesky");
    for (const leftSide of [true, false])
      for (const lower of [true, false])
        for (const transposeA of [true, false])
          for (const unitDiagonal of [true, false]) {
            const opts = { leftSide, lower, transposeA, unitDiagonal };
            const rhs = leftSide ? b : jnp.swapaxes(b, 0, 1);
            const f = (x: Array) => jnp.sum(jnp.sin(lax.linalg.triangularSolve(x, rhs, opts)));
            checkGrad(f, a, 4, `ts in a ${JSON.stringify(opts)}`);
            const fb = (y: Array) => jnp.sum(jnp.sin(lax.linalg.triangularSolve(a, y, opts)));
            checkGrad(fb, rhs, 5, `ts in b ${JSON.stringify(opts)}`);
          }
    checkGrad((x) => jnp.sum(jnp.sin(lax.linalg.lu(x)[0])), g, 6, "lu");
    checkGrad((x) => jnp.sum(jnp.sin(lax.linalg.lu(x.get("0:3"))[0])), g, 7, "lu 3×5");
    checkGrad((x) => jnp.sum(jnp.sin(jnp.linalg.solve(x, b))), g, 8, "solve");
    checkGrad((x) => jnp.sum(jnp.sin(jnp.linalg.inv(x))), g, 9, "inv");
    checkGrad((x) => jnp.linalg.det(x), g, 10, "det 5×5");
    checkGrad((x) => jnp.linalg.det(x.get("0:3", "0:3")), g, 11, "det 3×3");
    checkGrad((x) => jnp.linalg.slogdet(x).logabsdet, g, 12, "slogdet");
    checkGrad((x) => jnp.linalg.slogdet(x.get("0:2", "0:2")).logabsdet, g, 13, "slogdet 2×2");
  });

  it("float64: the wasm device equals the js device, bit for bit", () => {
    const f = (x: Array, y: Array): Array[] => {
      const [lu] = lax.linalg.lu(x);
      return [lax.linalg.cholesky(x), lu, jnp.linalg.solve(x, y), jnp.linalg.inv(x)];
    };
    const js = on("js", () => jit(f)(a, b).map(vals));
    const wasm = on("wasm", () => jit(f)(a, b).map(vals));
    js.forEach((e, i) => expect(wasm[i], `output ${i}`).toEqual(e));
  });

  it("jvp agrees with vjp for triangular_solve (its transpose)", () => {
    const l = lax.linalg.cholesky(a);
    const f = (y: Array) => lax.linalg.triangularSolve(l, y, { leftSide: true, lower: true });
    const t = uniform(r, [5, 3]);
    const ct = uniform(r, [5, 3]);
    const [, tOut] = jvp(f, [b], [t]) as [Array, Array];
    const [, pull] = vjp(f, b) as [Array, (c: Array) => Array[]];
    const [ctIn] = pull(ct);
    expectClose(
      vals(jnp.sum(tOut.mul(ct))),
      vals(jnp.sum(t.mul(ctIn!))),
      1e-10,
      1e-12,
      "<Jt,c> = <t,Jᵀc>",
    );
  });
});

describe("errors as JAX's", () => {
  it("rank, squareness, dtypes, batch dims", () => {
    expect(() => lax.linalg.cholesky(jnp.ones([3]), { symmetrizeInput: false })).toThrow(
      new TypeError("Input 0 to cholesky must have rank at least 2, but got shape=(3,)"),
    );
    expect(() => lax.linalg.cholesky(jnp.ones([2, 3]), { symmetrizeInput: false })).toThrow(
      "The input to cholesky must be a square matrix. Got shape (2, 3).",
    );
    expect(() => lax.linalg.lu(jnp.ones([3, 3], "int32"))).toThrow(
      "lu does not accept dtype int32 at position 0.",
    );
    expect(() =>
      lax.linalg.triangularSolve(jnp.ones([2, 3, 3]), jnp.ones([4, 2, 3, 1]), { leftSide: true }),
    ).toThrow(
      "All inputs to triangular_solve must have the same number of batch dimensions, but got [1, 2] batch dimensions for the inputs.",
    );
    expect(() =>
      lax.linalg.triangularSolve(jnp.ones([3, 3]), jnp.ones([4, 2]), { leftSide: true }),
    ).toThrow("Incompatible shapes for arguments to triangular_solve: (3, 3) and (4, 2).");
    expect(() => lax.linalg.lu(jnp.ones([2, 2], "float16"))).toThrow(NotImplementedError);
    expect(() => jnp.linalg.solve(jnp.ones([3]), jnp.ones([3]))).toThrow(
      "left hand array must be at least two dimensional; got a.shape=(3,)",
    );
    expect(() => jnp.linalg.inv(jnp.ones([2, 3]))).toThrow(
      "Argument to inv must have shape [..., n, n], got (2, 3).",
    );
    expect(() => jnp.linalg.det(jnp.ones([2, 3]))).toThrow(
      "Argument to _det() must have shape [..., n, n], got (2, 3)",
    );
    expect(() => lax.linalg.luPivotsToPermutation(jnp.array([0, 1, 2], "int32"), 2)).toThrow(
      "Output permutation size 2 has to exceed the trailing dimension of the pivots. Got pivots size 3",
    );
  });
});
