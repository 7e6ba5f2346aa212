/**
 * cond / switch / scan / while under grad, jvp, vmap and jit: finite-difference checks in
 * float64 (first and second order), vmap vs loops, and JAX's reverse-mode error for while.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  ValueError,
  config,
  float,
  grad,
  jit,
  jvp,
  lax,
  linearize,
  numpy as jnp,
  vmap,
} from "../../src/index.js";
import { checkGrads, expectClose, rng, uniform, vals } from "./ad-helpers.js";

beforeAll(() => config.update("jax_enable_x64", true));
afterAll(() => config.update("jax_enable_x64", false));

const r = rng(21);
const u = (shape: number[], lo = -1, hi = 1) => uniform(r, shape, lo, hi);

describe("cond / switch", () => {
  const f = (p: Array, x: Array, y: Array) =>
    lax.cond(
      p,
      (a: Array, b: Array) => jnp.sin(a).mul(b),
      (a: Array, b: Array) => jnp.cos(b).add(a.mul(a)),
      x,
      y,
    );
  it("both branches, first and second order", () => {
    for (const p of [true, false]) {
      checkGrads(`cond ${p}`, (x, y) => f(jnp.asarray(p), x, y), [u([3]), u([3])], {
        order2: true,
      });
    }
  });
  it("a branch that ignores an operand; closed-over values", () => {
    const w = u([3]);
    const g = (x: Array) =>
      lax.cond(
        jnp.sum(x).gt(0),
        (a: Array) => a.mul(w),
        (_a: Array) => w,
        x,
      );
    checkGrads("cond ignore", g, [u([3], 0.1, 1)], { order2: true });
    checkGrads("cond ignore'", g, [u([3], -1, -0.1)], { order2: true });
  });
  it("switch with three branches", () => {
    const s = (i: number) => (x: Array) =>
      lax.switch(
        i,
        [(a: Array) => jnp.exp(a), (a: Array) => a.mul(a).mul(a), (a: Array) => jnp.tanh(a)],
        x,
      );
    for (const i of [0, 1, 2, 7]) checkGrads(`switch ${i}`, s(i), [u([2])], { order2: true });
  });
  it("jit and vmap (batched predicate → select; unbatched predicate → batched branches)", () => {
    const x = u([4, 3]);
    const y = u([3]);
    const preds = jnp.asarray(new Uint8Array([1, 0, 0, 1])).astype("bool");
    const viaVmap = vmap(f, [0, 0, null])(preds, x, y);
    const loop = [0, 1, 2, 3].flatMap((i) => vals(f(preds.get(i), x.get(i), y)));
    expectClose(vals(viaVmap), loop, 1e-12, 1e-12, "vmap(cond) batched pred");
    const unb = vmap(f, [null, 0, null])(jnp.asarray(false), x, y);
    expectClose(
      vals(unb),
      [0, 1, 2, 3].flatMap((i) => vals(f(jnp.asarray(false), x.get(i), y))),
      1e-12,
      1e-12,
      "vmap(cond)",
    );
    const gx = vmap(
      grad((p: Array, a: Array) => jnp.sum(f(p, a, y)), { argnums: 1 }),
      [0, 0],
    )(preds, x);
    const gl = [0, 1, 2, 3].flatMap((i) =>
      vals(grad((a: Array) => jnp.sum(f(preds.get(i), a, y)))(x.get(i))),
    );
    expectClose(vals(gx), gl, 1e-12, 1e-12, "vmap(grad(cond))");
    const gj = jit(grad((a: Array) => jnp.sum(f(jnp.asarray(true), a, y))))(x.get(0));
    expectClose(
      vals(gj),
      vals(grad((a: Array) => jnp.sum(f(jnp.asarray(true), a, y)))(x.get(0))),
      1e-12,
      1e-12,
      "jit(grad(cond))",
    );
  });
});

describe("scan", () => {
  const body = (c: Array, x: Array): [Array, Array] => {
    const c2 = jnp.sin(c.mul(x)).add(c.mul(0.5));
    return [c2, c2.mul(x)];
  };
  it("carry and stacked ys, first and second order", () => {
    checkGrads(
      "scan",
      (c, xs) => {
        const [cf, ys] = lax.scan(body, c, xs);
        return jnp.concatenate([cf.reshape([-1]), ys.reshape([-1])]);
      },
      [u([2]), u([4, 2])],
      { order2: true },
    );
  });
  it("reverse, closed-over consts, pytree carry", () => {
    const w = u([2]);
    const f = (c: Array, xs: Array) => {
      const [out] = lax.scan(
        ([a, b]: Array[], x: Array): [Array[], Array] => [
          [a.mul(w).add(x), jnp.tanh(b.add(a))],
          a.mul(b),
        ],
        [c, c.mul(2)],
        xs,
        { reverse: true },
      );
      return out[0]!.add(out[1]!);
    };
    checkGrads("scan reverse", f, [u([2]), u([3, 2])], { order2: true });
    const c0 = u([2]);
    const xs0 = u([3, 2]);
    checkGrads(
      "scan wrt const",
      (wv) => lax.scan((c: Array, x: Array): [Array, Array] => [c.mul(wv).add(x), c], c0, xs0)[0],
      [w],
      { order2: true },
    );
  });
  it("fori-style scan with no xs", () => {
    const f = (c: Array) =>
      lax.scan((v: Array): [Array, null] => [jnp.sin(v).mul(1.3), null], c, null, { length: 5 })[0];
    checkGrads("scan length", f, [u([3])], { order2: true });
  });
  it("vmap and jit", () => {
    const f = (c: Array, xs: Array) => lax.scan(body, c, xs)[1];
    const cs = u([3, 2]);
    const xs = u([4, 2]);
    const batched = vmap(f, [0, null])(cs, xs);
    expectClose(
      vals(batched),
      [0, 1, 2].flatMap((i) => vals(f(cs.get(i), xs))),
      1e-12,
      1e-12,
      "vmap(scan) carry batched",
    );
    const xb = u([3, 4, 2]);
    const b2 = vmap(f, [null, 0])(cs.get(0), xb);
    expectClose(
      vals(b2),
      [0, 1, 2].flatMap((i) => vals(f(cs.get(0), xb.get(i)))),
      1e-12,
      1e-12,
      "vmap(scan) xs batched",
    );
    const g = (c: Array) => jnp.sum(f(c, xs));
    expectClose(
      vals(vmap(grad(g))(cs)),
      [0, 1, 2].flatMap((i) => vals(grad(g)(cs.get(i)))),
      1e-12,
      1e-12,
      "vmap(grad(scan))",
    );
    expectClose(
      vals(jit(grad(g))(cs.get(1))),
      vals(grad(g)(cs.get(1))),
      1e-12,
      1e-12,
      "jit(grad(scan))",
    );
    expectClose(
      vals(grad(jit(g))(cs.get(1))),
      vals(grad(g)(cs.get(1))),
      1e-12,
      1e-12,
      "grad(jit(scan))",
    );
  });
});

describe("while / fori_loop", () => {
  const w = (x: Array) => lax.foriLoop(0, 3, (_i: Array, v: Array) => jnp.sin(v).mul(1.5), x);
  it("jvp and linearize (forward mode) match finite differences", () => {
    const x = float(0.3);
    const h = 1e-6;
    const fd = (vals(w(float(0.3 + h)))[0]! - vals(w(float(0.3 - h)))[0]!) / (2 * h);
    expectClose(vals((jvp(w, [x], [float(1)]) as Array[])[1]), [fd], 1e-6, 1e-8, "jvp(while)");
    const [y, fl] = linearize(w, x) as [Array, (t: Array) => Array];
    expectClose(vals(y), vals(w(x)), 0, 0, "linearize primal");
    expectClose(vals(fl(float(1))), [fd], 1e-6, 1e-8, "linearize(while)");
  });
  it("reverse mode raises JAX's error for dynamic bounds; static bounds (scan) differentiate", () => {
    const wd = (x: Array) =>
      lax.foriLoop(0, jnp.asarray(3), (_i: Array, v: Array) => jnp.sin(v).mul(1.5), x);
    const h = 1e-6;
    const fd = (vals(w(float(0.3 + h)))[0]! - vals(w(float(0.3 - h)))[0]!) / (2 * h);
    expectClose(vals(grad(w)(float(0.3)) as Array), [fd], 1e-6, 1e-8, "grad(fori static)");
    expect(() => grad(wd)(float(0.3))).toThrow(ValueError);
    expect(() => grad(wd)(float(0.3))).toThrow(
      "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. Try using lax.scan, or using fori_loop with static start/stop.",
    );
  });
  it("vmap with a batched predicate: finished examples keep their carry", () => {
    const wl = (x: Array) =>
      lax.whileLoop(
        (v: Array) => v.lt(10),
        (v: Array) => v.mul(2),
        x,
      );
    const xs = jnp.asarray(new Float64Array([1, 3, 11]));
    expect(vals(vmap(wl)(xs))).toEqual([16, 12, 11]);
    expect(vals(vmap((v: Array) => (jvp(wl, [v], [float(1)]) as Array[])[1])(xs))).toEqual([
      16, 4, 1,
    ]);
    expect(vals(jit(vmap(wl))(xs))).toEqual([16, 12, 11]);
  });
  it("vmap with an unbatched predicate", () => {
    const xs = u([3]);
    expectClose(
      vals(vmap(w)(xs)),
      [0, 1, 2].flatMap((i) => vals(w(xs.get(i)))),
      1e-12,
      1e-12,
      "vmap(fori)",
    );
    expectClose(
      vals(vmap(jit(w))(xs)),
      [0, 1, 2].flatMap((i) => vals(w(xs.get(i)))),
      1e-12,
      1e-12,
      "vmap(jit(fori))",
    );
  });
});
