/**
 * Every composition order of jit, grad, vmap, jvp, jacfwd/jacrev gives the plain result
 * (float32; rtol 1e-5 between compositions, which compute the same ops in other orders).
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  float,
  grad,
  hessian,
  jacfwd,
  jacobian,
  jacrev,
  jit,
  jvp,
  linearize,
  numpy as jnp,
  valueAndGrad,
  vjp,
  vmap,
} from "../../src/index.js";
import { expectClose, rng, uniform, vals } from "./ad-helpers.js";

const r = rng(3);
const u = (shape: number[], lo = -1, hi = 1) => uniform(r, shape, lo, hi, "float32");
const nums = (x: unknown): number[] => (globalThis.Array.isArray(x) ? (x as number[]) : vals(x));
const close = (a: unknown, b: unknown, what: string, rtol = 1e-5, atol = 1e-6) =>
  expectClose(nums(a), nums(b), rtol, atol, what);

const W = u([3, 3]);
const f = (x: Array) => jnp.sum(jnp.tanh(jnp.matmul(W, x)).mul(jnp.sin(x)));
const x0 = u([3]);
const xs = u([4, 3]);

function stack(fn: (x: Array) => Array, batch: Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < batch.shape[0]!; i++) out.push(...vals(fn(batch.get(i))));
  return out;
}

describe("grad with jit", () => {
  const g0 = grad(f)(x0);
  it("jit(grad(f)), grad(jit(f)), jit(grad(jit(f)))", () => {
    close(jit(grad(f))(x0), g0, "jit(grad)");
    close(grad(jit(f))(x0), g0, "grad(jit)");
    close(jit(grad(jit(f)))(x0), g0, "jit(grad(jit))");
  });
  it("nested jits inside grad", () => {
    const inner = jit((x: Array) => jnp.tanh(jnp.matmul(W, x)));
    const h = jit((x: Array) => jnp.sum(inner(x).mul(jnp.sin(x))));
    close(grad(h)(x0), g0, "grad(jit(...jit...))");
  });
  it("matches an analytic gradient", () => {
    const q = (x: Array) => jnp.sum(x.mul(x).mul(x));
    close(grad(q)(x0), x0.mul(x0).mul(3), "d/dx sum x^3");
    close(jit(grad(jit(q)))(x0), x0.mul(x0).mul(3), "jit(grad(jit))");
  });
});

describe("vmap with grad and jit", () => {
  const expected = stack(grad(f), xs);
  it("vmap(grad(f)), vmap(jit(grad(f))), jit(vmap(grad(f))), vmap(grad(jit(f)))", () => {
    expectClose(vals(vmap(grad(f))(xs)), expected, 1e-5, 1e-6, "vmap(grad)");
    expectClose(vals(vmap(jit(grad(f)))(xs)), expected, 1e-5, 1e-6, "vmap(jit(grad))");
    expectClose(vals(jit(vmap(grad(f)))(xs)), expected, 1e-5, 1e-6, "jit(vmap(grad))");
    expectClose(vals(vmap(grad(jit(f)))(xs)), expected, 1e-5, 1e-6, "vmap(grad(jit))");
  });
  it("grad of a vmapped function", () => {
    const total = (b: Array) => jnp.sum(vmap(f)(b));
    expectClose(vals(grad(total)(xs)), expected, 1e-5, 1e-6, "grad(vmap)");
    expectClose(vals(grad(jit(total))(xs)), expected, 1e-5, 1e-6, "grad(jit(vmap))");
    expectClose(
      vals(grad((b: Array) => jnp.sum(vmap(jit(f))(b)))(xs)),
      expected,
      1e-5,
      1e-6,
      "grad(vmap(jit))",
    );
  });
  it("vmap with an unbatched argument under grad (argnums)", () => {
    const loss = (w: Array, x: Array) => jnp.sum(jnp.tanh(jnp.matmul(w, x)));
    const per = vmap(grad(loss), [null, 0])(W, xs);
    expect(per.shape).toEqual([4, 3, 3]);
    const summed = grad((w: Array) => jnp.sum(vmap(loss, [null, 0])(w, xs)))(W);
    close(jnp.sum(per, { axis: 0 }), summed, "sum of per-example grads");
  });
});

describe("higher order", () => {
  const h = (s: Array) => jnp.sin(s).mul(s).mul(s);
  const s0 = float(0.7);
  const d1 = (s: number) => Math.cos(s) * s * s + 2 * s * Math.sin(s);
  const d2 = (s: number) => -Math.sin(s) * s * s + 4 * s * Math.cos(s) + 2 * Math.sin(s);
  it("grad(grad(h)) and its jit placements", () => {
    close(grad(h)(s0), [d1(0.7)], "h'");
    close(grad(grad(h))(s0), [d2(0.7)], "h''", 1e-5, 1e-5);
    close(jit(grad(grad(h)))(s0), [d2(0.7)], "jit(grad(grad))", 1e-5, 1e-5);
    close(grad(jit(grad(h)))(s0), [d2(0.7)], "grad(jit(grad))", 1e-5, 1e-5);
    close(grad(grad(jit(h)))(s0), [d2(0.7)], "grad(grad(jit))", 1e-5, 1e-5);
  });
  it("third order", () => {
    const d3 = (s: number) => -Math.cos(s) * s * s - 6 * s * Math.sin(s) + 6 * Math.cos(s);
    close(grad(grad(grad(h)))(s0), [d3(0.7)], "h'''", 1e-4, 1e-5);
  });
  it("hessian = jacfwd(jacrev) = jacrev(jacfwd) = jacfwd(jacfwd) = jacrev(jacrev)", () => {
    const H = hessian(f)(x0) as Array;
    expect(H.shape).toEqual([3, 3]);
    close(jacfwd(jacrev(f))(x0), H, "jacfwd(jacrev)");
    close(jacrev(jacfwd(f))(x0), H, "jacrev(jacfwd)");
    close(jacfwd(jacfwd(f))(x0), H, "jacfwd(jacfwd)");
    close(jacrev(jacrev(f))(x0), H, "jacrev(jacrev)");
    close(jit(hessian(f))(x0), H, "jit(hessian)");
    close(hessian(jit(f))(x0), H, "hessian(jit)");
    // symmetric, and equal to vmap of jvp(grad) over the basis
    close(H, (H as Array).T, "symmetry", 1e-4, 1e-5);
    const hvp = (v: Array) => (jvp(grad(f), [x0], [v]) as Array[])[1]!;
    close(vmap(hvp)(jnp.eye(3)), H, "vmap(jvp(grad))");
  });
  it("jacobians of a vector function, both modes", () => {
    const g = (x: Array) => jnp.sin(jnp.matmul(W, x));
    const Jf = jacfwd(g)(x0) as Array;
    const Jr = jacrev(g)(x0) as Array;
    const Jj = jacobian(g)(x0) as Array;
    expect(Jf.shape).toEqual([3, 3]);
    close(Jr, Jf, "jacrev vs jacfwd");
    close(Jj, Jf, "jacobian");
    // analytic: diag(cos(Wx)) W
    close(Jf, jnp.cos(jnp.matmul(W, x0)).reshape([3, 1]).mul(W), "analytic");
    close(jit(jacfwd(g))(x0), Jf, "jit(jacfwd)");
    close(jacrev(jit(g))(x0), Jf, "jacrev(jit)");
  });
  it("jacobian pytree structure: output tree outside, argnums tree inside", () => {
    const g = (a: Array, b: Array) => ({ s: jnp.sum(a.mul(b)), v: a.mul(2) });
    const a = u([2]);
    const b = u([2]);
    for (const jac of [jacfwd, jacrev]) {
      const J = jac(g, { argnums: [0, 1] })(a, b) as { s: Array[]; v: Array[] };
      expect(J.s[0]!.shape).toEqual([2]);
      expect(J.v[1]!.shape).toEqual([2, 2]);
      close(J.s[0]!, b, "ds/da");
      close(J.s[1]!, a, "ds/db");
      close(J.v[0]!, jnp.eye(2).mul(2), "dv/da");
      close(J.v[1]!, jnp.zeros([2, 2]), "dv/db");
    }
  });
});

describe("jvp, linearize and vjp with jit and vmap", () => {
  const v = u([3]);
  const [y0, t0] = jvp(f, [x0], [v]) as Array[];
  it("jvp(jit(f)), jit(jvp), vmap(jvp), jvp(vmap)", () => {
    const [y1, t1] = jvp(jit(f), [x0], [v]) as Array[];
    close(y1, y0, "jvp(jit) primal");
    close(t1, t0, "jvp(jit) tangent");
    const [, t2] = jit((x: Array, t: Array) => jvp(f, [x], [t]))(x0, v) as Array[];
    close(t2, t0, "jit(jvp)");
    const vs = u([4, 3]);
    const tv = vmap((t: Array) => (jvp(f, [x0], [t]) as Array[])[1]!)(vs);
    expectClose(
      vals(tv),
      stack((t) => (jvp(f, [x0], [t]) as Array[])[1]!, vs),
      1e-5,
      1e-6,
      "vmap(jvp)",
    );
    const [, tb] = jvp(vmap(f), [xs], [jnp.ones([4, 1]).mul(v)]) as Array[];
    expectClose(
      vals(tb),
      stack((x) => (jvp(f, [x], [v]) as Array[])[1]!, xs),
      1e-5,
      1e-6,
      "jvp(vmap)",
    );
  });
  it("linearize and vjp agree with jvp and grad, with jit", () => {
    const [y, fj] = linearize(f, x0) as [Array, (t: Array) => Array];
    close(y, y0, "linearize primal");
    close(fj(v), t0, "linearize tangent");
    const [, fj2] = linearize(jit(f), x0) as [Array, (t: Array) => Array];
    close(fj2(v), t0, "linearize(jit)");
    const [, pb] = vjp(jit(f), x0) as [Array, (ct: Array) => Array[]];
    close(pb(jnp.ones([]))[0], grad(f)(x0), "vjp(jit)");
  });
});

describe("valueAndGrad options", () => {
  const loss = (p: { w: Array; b: Array }, x: Array, scale: number) =>
    jnp.sum(jnp.tanh(jnp.matmul(p.w, x).add(p.b))).mul(scale);
  const p = { w: W, b: u([3]) };
  it("pytree parameters, argnums int and list", () => {
    const [val, g] = valueAndGrad(loss)(p, x0, 2) as [Array, { w: Array; b: Array }];
    close(val, loss(p, x0, 2), "value");
    expect(g.w.shape).toEqual([3, 3]);
    expect(g.b.shape).toEqual([3]);
    const [gp, gx] = grad(loss, { argnums: [0, 1] })(p, x0, 2) as [{ w: Array; b: Array }, Array];
    close(gp.w, g.w, "argnums list");
    expect(gx.shape).toEqual([3]);
    close(grad(loss, { argnums: -2 })(p, x0, 2), gx, "negative argnums");
  });
  it("hasAux", () => {
    const withAux = (x: Array) => [jnp.sum(x.mul(x)), { doubled: x.mul(2) }];
    const [[val, aux], g] = valueAndGrad(withAux, { hasAux: true })(x0) as [
      [Array, { doubled: Array }],
      Array,
    ];
    close(val, jnp.sum(x0.mul(x0)), "value");
    close(aux.doubled, x0.mul(2), "aux");
    close(g, x0.mul(2), "grad");
    const [g2, aux2] = grad(withAux, { hasAux: true })(x0) as [Array, { doubled: Array }];
    close(g2, x0.mul(2), "grad hasAux");
    close(aux2.doubled, x0.mul(2), "aux of grad");
  });
  it("JS number arguments are weak float scalars", () => {
    close(grad((x: Array) => x.mul(x))(1.5 as unknown as Array), [3], "grad at a JS number");
  });
});

describe("hasAux on jvp, vjp and linearize", () => {
  const fa = (x: Array) => [jnp.sin(x), { sq: x.mul(x) }];
  const x = u([3]);
  it("jvp(f, primals, tangents, { hasAux })", () => {
    const [y, t, aux] = jvp(fa, [x], [jnp.ones([3])], { hasAux: true }) as [
      Array,
      Array,
      { sq: Array },
    ];
    close(y, jnp.sin(x), "primal");
    close(t, jnp.cos(x), "tangent");
    close(aux.sq, x.mul(x), "aux");
  });
  it("vjp({ hasAux }, f, ...primals) and linearize({ hasAux }, f, ...primals)", () => {
    const [y, pb, aux] = vjp({ hasAux: true }, fa, x) as [
      Array,
      (c: Array) => Array[],
      { sq: Array },
    ];
    close(y, jnp.sin(x), "vjp primal");
    close(pb(jnp.ones([3]))[0], jnp.cos(x), "vjp cotangent");
    close(aux.sq, x.mul(x), "vjp aux");
    const [y2, fj, aux2] = linearize({ hasAux: true }, fa, x) as [
      Array,
      (t: Array) => Array,
      { sq: Array },
    ];
    close(y2, jnp.sin(x), "linearize primal");
    close(fj(jnp.ones([3])), jnp.cos(x), "linearize tangent");
    close(aux2.sq, x.mul(x), "linearize aux");
  });
});

describe("jit closing over tracers of enclosing transformations", () => {
  it("grad, vmap and grad∘vmap of a function calling a jit that closes over the traced value", () => {
    const h = (x: Array) => jit((y: Array) => y.mul(x).mul(x))(float(2.0));
    close(grad(h)(float(3.0)), [12], "grad");
    close(grad(h)(float(5.0)), [20], "grad again (not served from a stale cache)");
    close(
      vmap((x: Array) => jit((y: Array) => y.mul(x))(float(2.0)))(jnp.ones([3])),
      [2, 2, 2],
      "vmap",
    );
    const g = (x: Array) =>
      jnp.sum(vmap((y: Array) => jit((z: Array) => z.mul(x))(y))(jnp.ones([3])));
    close(grad(g)(float(1.0)), [3], "grad(vmap(jit))");
  });
});
