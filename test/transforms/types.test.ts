/**
 * Static types of the public API: the transforms return the user's pytree types. These
 * assertions are checked by `tsc` (npm run typecheck); at run time `expectTypeOf` does nothing
 * but the calls that are made also run.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  type Array,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  linearize,
  numpy as jnp,
  tree,
  valueAndGrad,
  vjp,
  vmap,
} from "../../src/index.js";

type Params = { w: Array; b: Array };
const loss = (p: Params, x: Array, scale: number) =>
  jnp.sum(jnp.matmul(x, p.w).add(p.b)).mul(scale);
const x0 = jnp.ones([2, 3]);
const p0: Params = { w: jnp.ones([3]), b: jnp.zeros([]) };

describe("grad and valueAndGrad", () => {
  it("the gradient has the differentiated argument's type", () => {
    expectTypeOf(grad(loss)).returns.toEqualTypeOf<Params>();
    expectTypeOf(grad(loss)).parameters.toEqualTypeOf<[p: Params, x: Array, scale: number]>();
    expectTypeOf(grad((x: Array) => x.sum())).returns.toEqualTypeOf<Array>();
    expectTypeOf(grad(loss, { argnums: 1 })).returns.toEqualTypeOf<Array>();
    expectTypeOf(grad(loss, { argnums: -1 })).returns.toEqualTypeOf<Array>();
    expectTypeOf(grad(loss, { argnums: -3 })).returns.toEqualTypeOf<Params>();
    expectTypeOf(grad(loss, { argnums: [-3, 1] })).returns.toEqualTypeOf<[Params, Array]>();
    expectTypeOf(grad(loss)(p0, x0, 2)).toEqualTypeOf<Params>();
    const opts: { argnums: 1 | 2 } = { argnums: 1 };
    expectTypeOf(grad(loss, opts)).returns.toEqualTypeOf<Array>();
    expectTypeOf(grad(loss, {})).returns.toEqualTypeOf<Params>();
  });
  it("a list argnums gives a tuple; number leaves give Arrays", () => {
    expectTypeOf(grad(loss, { argnums: [0, 2] })).returns.toEqualTypeOf<[Params, Array]>();
    const f = (p: { w: Array; lr: number }[], x: [Array, number]) => x[0].mul(p[0]!.lr);
    expectTypeOf(grad(f, { argnums: [1, 0] })).returns.toEqualTypeOf<
      [[Array, Array], { w: Array; lr: Array }[]]
    >();
  });
  it("valueAndGrad and hasAux", () => {
    expectTypeOf(valueAndGrad(loss)).returns.toEqualTypeOf<[Array, Params]>();
    const withAux = (p: Params) => [p.w.sum(), { norm: p.b }] as const;
    expectTypeOf(valueAndGrad(withAux, { hasAux: true })).returns.toEqualTypeOf<
      [[Array, { readonly norm: Array }], Params]
    >();
    expectTypeOf(grad(withAux, { hasAux: true })).returns.toEqualTypeOf<
      [Params, { readonly norm: Array }]
    >();
    // An inline function's [value, aux] is read as a pair.
    expectTypeOf(
      valueAndGrad((x: Array) => [x.sum(), { y: x }], { hasAux: true }),
    ).returns.toEqualTypeOf<[[Array, { y: Array }], Array]>();
  });
  it("the gradient function takes f's arguments", () => {
    expectTypeOf(grad(loss)).toBeCallableWith(p0, x0, 1);
    // @ts-expect-error -- p must be a Params
    expectTypeOf(grad(loss)).toBeCallableWith(x0, x0, 1);
  });
  it("composes with jit", () => {
    const step = jit((p: Params, x: Array) => valueAndGrad(loss)(p, x, 1));
    expectTypeOf(step(p0, x0)).toEqualTypeOf<[Array, Params]>();
  });
});

describe("jvp, vjp, linearize, Jacobians", () => {
  const f = (x: Array, y: Array) => ({ s: x.mul(y) });
  it("jvp: output and tangent have the output's type", () => {
    const [out, tangent] = jvp(f, [x0, x0], [x0, 1]);
    expectTypeOf(out).toEqualTypeOf<{ s: Array }>();
    expectTypeOf(tangent).toEqualTypeOf<{ s: Array }>();
    expectTypeOf(jvp(f, [x0, x0], [x0, 1])).toMatchTypeOf<[{ s: Array }, { s: Array }]>();
    expectTypeOf(jvp((x: Array) => [x, { a: x }], [x0], [x0], { hasAux: true })).toEqualTypeOf<
      [Array, Array, { a: Array }]
    >();
  });
  it("primals and tangents follow f's parameters (JS scalars allowed for Arrays)", () => {
    // Compiled, not run: each call below is a type error.
    const wrong = () => {
      // @ts-expect-error -- a list where f takes an Array
      jvp(f, [x0, x0], [[x0], x0]);
      // @ts-expect-error -- one primal too few
      vjp(f, x0);
    };
    expectTypeOf(wrong).toBeFunction();
    expectTypeOf(jvp(f, [x0, 2], [x0, 1])[0]).toEqualTypeOf<{ s: Array }>();
  });
  it("vjp: the pullback gives one cotangent per primal", () => {
    const [out, pullback] = vjp(f, x0, x0);
    expectTypeOf(out).toEqualTypeOf<{ s: Array }>();
    expectTypeOf(pullback).returns.toEqualTypeOf<[x: Array, y: Array]>();
    const [, , aux] = vjp({ hasAux: true }, (x: Array) => [x, { a: x }], x0);
    expectTypeOf(aux).toEqualTypeOf<{ a: Array }>();
  });
  it("linearize", () => {
    const [y, fJvp] = linearize(f, x0, x0);
    expectTypeOf(y).toEqualTypeOf<{ s: Array }>();
    expectTypeOf(fJvp).returns.toEqualTypeOf<{ s: Array }>();
  });
  it("Jacobians nest the input structure in the output structure", () => {
    expectTypeOf(jacrev((x: Array) => x.mul(2))).returns.toEqualTypeOf<Array>();
    expectTypeOf(jacfwd((p: Params) => ({ y: p.w }))).returns.toEqualTypeOf<{ y: Params }>();
    expectTypeOf(hessian((x: Array) => x.sum())).returns.toEqualTypeOf<Array>();
  });
});

describe("vmap and tree.map", () => {
  it("vmap keeps the function's type", () => {
    const f = (p: Params, x: Array) => ({ y: x.mul(p.w) });
    expectTypeOf(vmap(f, [null, 0])).toEqualTypeOf(f);
    expectTypeOf(vmap(grad(loss))).toEqualTypeOf<(p: Params, x: Array, scale: number) => Params>();
  });
  it("tree.map: the first tree's structure with f's result at the leaves", () => {
    const ps: Params[] = [p0];
    expectTypeOf(tree.map((a: Array, b: Array) => a.add(b), ps, ps)).toEqualTypeOf<Params[]>();
    expectTypeOf(tree.map((a: number) => String(a), { x: 1, y: [2, 3] })).toEqualTypeOf<{
      x: string;
      y: string[];
    }>();
    expectTypeOf(tree.map((a) => a, { x: 1, y: null })).toEqualTypeOf<{ x: number; y: null }>();
  });
});

describe("lax control flow", () => {
  it("cond and switch return the branches' type", () => {
    const r = lax.cond(
      true,
      (a: Array, b: Array) => ({ s: a.add(b) }),
      (a: Array, b: Array) => ({ s: a.sub(b) }),
      x0,
      1,
    );
    expectTypeOf(r).toEqualTypeOf<{ s: Array }>();
    const s = lax.switch(1, [(a: Array) => [a, a] as const, (a: Array) => [a, a] as const], x0);
    expectTypeOf(s).toEqualTypeOf<readonly [Array, Array]>();
  });
  it("scan, whileLoop and foriLoop carry their pytrees", () => {
    const [c, ys] = lax.scan((carry: Params, x: Array) => [carry, { y: x }], p0, jnp.ones([4, 3]));
    expectTypeOf(c).toEqualTypeOf<Params>();
    expectTypeOf(ys).toEqualTypeOf<{ y: Array }>();
    const [, none] = lax.scan((carry: Array) => [carry, null], x0, null, { length: 2 });
    expectTypeOf(none).toEqualTypeOf<null>();
    const w = lax.whileLoop(
      (s: { i: Array; x: Array }) => s.i.lt(3),
      (s) => ({ i: s.i.add(1), x: s.x }),
      { i: jnp.int32(0), x: x0 },
    );
    expectTypeOf(w).toEqualTypeOf<{ i: Array; x: Array }>();
    expectTypeOf(lax.foriLoop(0, 3, (_i, v: Params) => v, p0)).toEqualTypeOf<Params>();
  });
});

describe("item", () => {
  it("item() is the dtype's JS value; itemNumber() a number", () => {
    expectTypeOf(x0.sum().item()).toEqualTypeOf<
      number | boolean | bigint | { readonly re: number; readonly im: number }
    >();
    expectTypeOf(x0.sum().itemNumber()).toEqualTypeOf<number>();
  });
});
