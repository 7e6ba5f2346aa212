/**
 * Collectives under `vmap(f, { axisName })` (JAX's batching rules of lax/parallel.py): values
 * against explicit per-example loops (each example's result computed from the whole batch by
 * hand), nested and shadowed axis names, tuples of names, jit inside and around vmap, the js
 * and wasm devices, exact jaxpr text, grad, and JAX's errors for unbound axis names. Values are
 * float32 sums of small integers (exact), compared with toEqual; means with rtol 1e-6.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  NameError,
  NotImplementedError,
  ValueError,
  grad,
  jit,
  lax,
  makeJaxpr,
  numpy as jnp,
  vmap,
} from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";

const f32 = (n: number, shape: number[]) =>
  jnp.arange(n).astype("float32").mul(1.5).sub(4).reshape(shape);
const rows = (x: Array): number[][] => x.tolist() as number[][];
const named = <F extends (...a: never[]) => unknown>(f: F, name = "i") =>
  vmap(f, { axisName: name });

describe("all-reduce collectives over a vmapped axis equal per-example loops", () => {
  const x = f32(12, [4, 3]); // 4 examples of shape [3]
  const ex = rows(x);
  const colSum = [0, 1, 2].map((j) => ex.reduce((s, r) => s + r[j]!, 0));
  const colMax = [0, 1, 2].map((j) => Math.max(...ex.map((r) => r[j]!)));
  const colMin = [0, 1, 2].map((j) => Math.min(...ex.map((r) => r[j]!)));

  it("psum: every example gets the sum over the batch", () => {
    const out = named((v: Array) => lax.psum(v, "i"))(x);
    expect(rows(out)).toEqual(ex.map(() => colSum));
  });
  it("psum of an expression of the example, and the example minus it", () => {
    const out = named((v: Array) => v.sub(lax.psum(v.mul(v), "i")))(x);
    const sq = [0, 1, 2].map((j) => ex.reduce((s, r) => s + r[j]! * r[j]!, 0));
    expect(rows(out)).toEqual(ex.map((r) => r.map((a, j) => Math.fround(a - sq[j]!))));
  });
  it("pmean, pmax, pmin", () => {
    const mean = rows(named((v: Array) => lax.pmean(v, "i"))(x));
    mean.forEach((r) => r.forEach((a, j) => expect(a).toBeCloseTo(colSum[j]! / 4, 6)));
    expect(rows(named((v: Array) => lax.pmax(v, "i"))(x))).toEqual(ex.map(() => colMax));
    expect(rows(named((v: Array) => lax.pmin(v, "i"))(x))).toEqual(ex.map(() => colMin));
  });
  it("a batch axis that is not first (inAxes 1), and outAxes 1", () => {
    const xt = x.T; // [3, 4]: examples along axis 1
    const out = vmap((v: Array) => lax.psum(v, "i"), { axisName: "i", inAxes: 1, outAxes: 1 })(xt);
    expect(rows(out.T)).toEqual(ex.map(() => colSum));
  });
  it("an unbatched operand: psum is the value times the axis size, pmax the value", () => {
    const c = jnp.array([1, 2, 3], "float32");
    expect(rows(named((_v: Array) => lax.psum(c, "i"))(x))).toEqual(ex.map(() => [4, 8, 12]));
    expect(rows(named((_v: Array) => lax.pmax(c, "i"))(x))).toEqual(ex.map(() => [1, 2, 3]));
    expect(named((_v: Array) => jnp.asarray(lax.psum(1, "i")))(x).tolist()).toEqual([4, 4, 4, 4]);
    expect(named((_v: Array) => jnp.asarray(lax.axisSize("i")))(x).tolist()).toEqual([4, 4, 4, 4]);
  });
  it("a pytree of operands, and a bool operand (summed as int32)", () => {
    const out = named((v: Array) => lax.psum({ a: v, b: [v.gt(0)] }, "i"))(x);
    expect(rows(out.a)).toEqual(ex.map(() => colSum));
    const pos = [0, 1, 2].map((j) => ex.filter((r) => r[j]! > 0).length);
    expect(out.b[0]!.dtype.name).toBe("int32");
    expect(rows(out.b[0]!)).toEqual(ex.map(() => pos));
  });
});

describe("axisIndex, allGather, psumScatter, ppermute", () => {
  const x = f32(12, [4, 3]);
  const ex = rows(x);
  it("axisIndex is the example's index", () => {
    const out = named((v: Array) => v.mul(lax.axisIndex("i")))(x);
    expect(rows(out)).toEqual(ex.map((r, k) => r.map((a) => a * k)));
    expect(named((_v: Array) => lax.axisIndex("i"))(x).tolist()).toEqual([0, 1, 2, 3]);
  });
  it("allGather stacks every example (axis 0 and 1), or concatenates them (tiled)", () => {
    const g = named((v: Array) => lax.allGather(v, "i"))(x);
    expect(g.shape).toEqual([4, 4, 3]);
    for (let k = 0; k < 4; k++) expect((g.tolist() as number[][][])[k]).toEqual(ex);
    const g1 = named((v: Array) => lax.allGather(v, "i", { axis: 1 }))(x);
    expect((g1.tolist() as number[][][])[2]).toEqual([0, 1, 2].map((j) => ex.map((r) => r[j])));
    const gt = named((v: Array) => lax.allGather(v, "i", { tiled: true }))(x);
    expect(gt.shape).toEqual([4, 12]);
    expect((gt.tolist() as number[][])[1]).toEqual(ex.flat());
  });
  it("psumScatter: example k keeps row k of the sum (tiled: block k)", () => {
    const m = f32(32, [4, 4, 2]); // 4 examples of [4, 2]
    const e = m.tolist() as number[][][];
    const sum = [0, 1, 2, 3].map((r) => [0, 1].map((c) => e.reduce((s, x) => s + x[r]![c]!, 0)));
    const out = named((v: Array) => lax.psumScatter(v, "i"))(m);
    expect(out.tolist()).toEqual(sum);
    const m8 = f32(64, [4, 8, 2]);
    const e8 = m8.tolist() as number[][][];
    const sum8 = [...globalThis.Array(8).keys()].map((r) =>
      [0, 1].map((c) => e8.reduce((s, x) => s + x[r]![c]!, 0)),
    );
    const tiled = named((v: Array) => lax.psumScatter(v, "i", { tiled: true }))(m8);
    expect(tiled.shape).toEqual([4, 2, 2]);
    expect(tiled.tolist()).toEqual([0, 1, 2, 3].map((k) => sum8.slice(2 * k, 2 * k + 2)));
    const sc1 = named((v: Array) => lax.psumScatter(v, "i", { scatterDimension: 1 }))(
      f32(48, [4, 3, 4]),
    );
    expect(sc1.shape).toEqual([4, 3]);
  });
  it("ppermute sends example src's value to example dst", () => {
    const perm: [number, number][] = [
      [0, 2],
      [1, 0],
      [2, 3],
      [3, 1],
    ];
    const out = named((v: Array) => lax.ppermute(v, "i", perm))(x);
    const want: number[][] = [];
    for (const [s, d] of perm) want[d] = ex[s]!;
    expect(rows(out)).toEqual(want);
  });
});

describe("allToAll", () => {
  // 4 examples of [4, 2]: example j's row k is chunk k
  const x = jnp.arange(32).astype("float32").reshape([4, 4, 2]);
  const ex = x.tolist() as number[][][];
  const a2a = (split: number, concat: number, tiled = false) =>
    named((v: Array) => lax.allToAll(v, "i", split, concat, { tiled }));
  it("example k gets chunk k of every example, stacked at concatAxis", () => {
    // out_k[j] = x_j[k]
    expect(a2a(0, 0)(x).tolist()).toEqual([0, 1, 2, 3].map((k) => ex.map((xj) => xj[k])));
    // out_k[:, j] = x_j[k]
    expect(a2a(0, 1)(x).tolist()).toEqual(
      [0, 1, 2, 3].map((k) => [0, 1].map((c) => ex.map((xj) => xj[k]![c]))),
    );
  });
  it("tiled: chunk k of each example concatenated", () => {
    const y = jnp.arange(32).astype("float32").reshape([4, 8]);
    const ey = y.tolist() as number[][];
    const out = named((v: Array) => lax.allToAll(v, "i", 0, 0, { tiled: true }))(y);
    expect(out.tolist()).toEqual(
      [0, 1, 2, 3].map((k) => ey.flatMap((r) => r.slice(2 * k, 2 * k + 2))),
    );
  });
  it("grad inside the vmap (transpose: the inverse all_to_all) and outside it", () => {
    const w = jnp.arange(8).astype("float32").reshape([4, 2]);
    const loss = (u: Array) => lax.allToAll(u, "i", 0, 0).mul(w).sum();
    const gIn = named(grad(loss))(x);
    const gOut = grad((v: Array) => named(loss)(v).sum())(x);
    // d/dx_j[k] sum_k' sum_j' out_k'[j'] * w[j'] = w[j] (x_j[k] lands in out_k[j])
    const want = ex.map((_xj, j) => [0, 1, 2, 3].map(() => (w.tolist() as number[][])[j]!));
    expect(gOut.tolist()).toEqual(want);
    // inside: the cotangent w of every example is sent back by the inverse all_to_all, so
    // x_j[k] (which landed in out_k[j]) gets w[j] — the same as outside
    expect(gIn.tolist()).toEqual(want);
  });
  it("a split axis of the wrong size is JAX's ValueError", () => {
    expect(() => a2a(1, 0)(x)).toThrow(
      "all_to_all requires the size of the mapped axis axis_name to equal x.shape[split_axis], but they are 4 and 2 respectively.",
    );
  });
});

describe("nested vmaps, tuples of names, shadowing, jit", () => {
  const y = f32(6, [2, 3]); // outer j (2) × inner i (3)
  const e = rows(y);
  const inner = (f: (v: Array) => Array) => vmap(named(f, "i"), { axisName: "j" });
  it("psum over the inner, the outer and both axes", () => {
    expect(rows(inner((v) => lax.psum(v, "i"))(y))).toEqual(
      e.map((r) => r.map(() => r.reduce((s, a) => s + a, 0))),
    );
    expect(rows(inner((v) => lax.psum(v, "j"))(y))).toEqual(
      e.map(() => [0, 1, 2].map((c) => e[0]![c]! + e[1]![c]!)),
    );
    const all = e.flat().reduce((s, a) => s + a, 0);
    expect(rows(inner((v) => lax.psum(v, ["i", "j"]))(y))).toEqual(e.map((r) => r.map(() => all)));
  });
  it("axisIndex of a tuple of names is the flat index (the last name fastest)", () => {
    expect(inner(() => lax.axisIndex(["j", "i"]))(y).tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(inner(() => lax.axisIndex("j"))(y).tolist()).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
  });
  it("an inner vmap of the same name shadows the outer one", () => {
    const f = vmap(
      named((v: Array) => lax.axisIndex("i").add(v.mul(0).astype("int32"))),
      {
        axisName: "i",
      },
    );
    expect(f(y).tolist()).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
  });
  it("an unnamed inner vmap passes the outer axis's collective through", () => {
    const f = vmap(
      vmap((v: Array) => lax.psum(v, "j")),
      { axisName: "j" },
    );
    expect(rows(f(y))).toEqual(e.map(() => [0, 1, 2].map((c) => e[0]![c]! + e[1]![c]!)));
  });
  it("jit inside a named vmap (batched or constant operands) and vmap inside jit", () => {
    const x = f32(12, [4, 3]);
    const ex = rows(x);
    const colSum = [0, 1, 2].map((j) => ex.reduce((s, r) => s + r[j]!, 0));
    const g = jit((u: Array) => lax.psum(u, "i"));
    expect(rows(named((v: Array) => g(v))(x))).toEqual(ex.map(() => colSum));
    const c = jnp.ones([3]);
    expect(rows(named((_v: Array) => g(c))(x))).toEqual(ex.map(() => [4, 4, 4]));
    expect(named((_v: Array) => jit(() => lax.axisIndex("i"))())(x).tolist()).toEqual([0, 1, 2, 3]);
    const h = jit(named((v: Array) => lax.pmax(v, "i").sub(v)));
    const mx = [0, 1, 2].map((j) => Math.max(...ex.map((r) => r[j]!)));
    expect(rows(h(x))).toEqual(ex.map((r) => r.map((a, j) => mx[j]! - a)));
  });
  it("collectives inside scan, cond and foriLoop bodies under a named vmap", () => {
    const x = f32(4, [4]); // [-4, -2.5, -1, 0.5], sum -7
    const scanned = named((v: Array) => {
      const body = (c: Array, _: null): [Array, Array] => [c.add(lax.psum(v, "i")), c];
      return lax.scan(body, jnp.zeros([], "float32"), null, { length: 3 })[0];
    })(x);
    expect(scanned.tolist()).toEqual([-21, -21, -21, -21]);
    // a batched predicate runs both branches (select), as JAX
    const branched = named((v: Array) =>
      lax.cond(
        v.gt(-2),
        (u: Array) => lax.psum(u, "i"),
        (u: Array) => u,
        v,
      ),
    )(x);
    expect(branched.tolist()).toEqual([-4, -2.5, -7, -7]);
    const looped = named((_v: Array) =>
      lax.foriLoop(
        0,
        2,
        (_i: Array, c: Array) => c.add(lax.axisIndex("i")),
        jnp.zeros([], "int32"),
      ),
    )(x);
    expect(looped.tolist()).toEqual([0, 2, 4, 6]);
  });
  it("a jit traced under one axis environment is not reused under another (regression)", () => {
    const g = jit((u: Array) => lax.pmean(u, "i")); // the mean divides by the axis size
    expect(named((v: Array) => g(v))(jnp.array([1, 2, 3, 6], "float32")).tolist()).toEqual([
      3, 3, 3, 3,
    ]);
    expect(named((v: Array) => g(v))(jnp.array([1, 3], "float32")).tolist()).toEqual([2, 2]);
    expect(() => g(jnp.array([1, 3], "float32"))).toThrow(NameError);
  });
  it("the wasm device gives the js device's values", () => {
    const x = f32(24, [8, 3]);
    const f = jit(
      named((v: Array) =>
        lax.pmean(v, "i").add(lax.pmax(v, "i")).mul(lax.axisIndex("i").astype("float32")),
      ),
    );
    const a = on("js", () => f(x).tolist());
    const b = on("wasm", () => f(x).tolist());
    expect(b).toEqual(a);
  });
});

describe("jaxprs, grad and errors", () => {
  it("makeJaxpr(vmap(psum)) stages JAX's positional psum", () => {
    const f = named((v: Array) => lax.psum(v, "i"));
    expect(makeJaxpr(f)(jnp.ones([4], "float32")).toString()).toBe(
      [
        "{ lambda ; a:f32[4]. let",
        "    b:f32[] = psum[axes=(0,) axis_index_groups=None] a",
        "    c:f32[4] = broadcast_in_dim[broadcast_dimensions=() shape=(4,)] b",
        "  in (c,) }",
      ].join("\n"),
    );
    const g = named((v: Array) => lax.pmean(v, "i"));
    expect(makeJaxpr(g)(jnp.ones([2, 3], "float32")).toString()).toBe(
      [
        "{ lambda ; a:f32[2,3]. let",
        "    b:f32[3] = psum[axes=(0,) axis_index_groups=None] a",
        "    c:f32[3] = div b 2.0",
        "    d:f32[2,3] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(2, 3)] c",
        "  in (d,) }",
      ].join("\n"),
    );
  });
  it("grad through psum under vmap (analytic, and central differences)", () => {
    const x = f32(4, [4]);
    const loss = (v: Array) => named((u: Array) => lax.psum(u.mul(u), "i"))(v).sum();
    // sum_k sum_i x_i^2 = 4 * sum x_i^2  →  8 x
    expect(grad(loss)(x).tolist()).toEqual((x.tolist() as number[]).map((a) => 8 * a));
    // per example: d/dx_k psum(x^2) — psum's transpose is psum, as JAX's.
    const per = named(grad((u: Array) => lax.psum(u.mul(u), "i")))(x);
    expect(per.tolist()).toEqual((x.tolist() as number[]).map((a) => 8 * a));
    // jit around grad around vmap: d/dx sum_k pmean(x^2) = 2x
    const jg = jit(grad((v: Array) => named((u: Array) => lax.pmean(u.mul(u), "i"))(v).sum()));
    expect(jg(x).tolist()).toEqual((x.tolist() as number[]).map((a) => 2 * a));
    const meanLoss = (v: Array) => named((u: Array) => jnp.sin(u).mul(lax.pmean(u, "i")))(v).sum();
    const g = grad(meanLoss)(x).tolist() as number[];
    const base = (x.tolist() as number[]).map(Number);
    const h = 1e-2;
    base.forEach((_, k) => {
      const at = (d: number) =>
        meanLoss(
          jnp.array(
            base.map((a, i) => (i === k ? a + d : a)),
            "float32",
          ),
        ).item() as number;
      expect(g[k]!).toBeCloseTo((at(h) - at(-h)) / (2 * h), 2);
    });
  });
  it("an unbound axis name is JAX's NameError", () => {
    const x = jnp.ones([3]);
    expect(() => lax.psum(x, "i")).toThrow(NameError);
    expect(() => lax.psum(x, "i")).toThrow("unbound axis name: i");
    expect(() => jit((v: Array) => lax.psum(v, "i"))(x)).toThrow(
      "Found an unbound axis name: i. To fix this, please call psum under `jax.shard_map`.",
    );
    expect(() => lax.axisIndex("i")).toThrow(NameError);
    expect(() => named((v: Array) => lax.psum(v, "k"))(x)).toThrow(
      "Found an unbound axis name: k.",
    );
    expect(() => named((v: Array) => lax.allGather(v, "k"))(x)).toThrow(NameError);
    expect(() => makeJaxpr((v: Array) => lax.pmax(v, "i"))(x)).toThrow(NameError);
  });
  it("bad arguments", () => {
    const x = f32(12, [4, 3]);
    expect(() =>
      named((v: Array) => lax.psum(v, "i", { axisIndexGroups: [[0, 1]] as never }))(x),
    ).toThrow(NotImplementedError);
    expect(() =>
      named((v: Array) =>
        lax.ppermute(v, "i", [
          [0, 1],
          [1, 1],
        ]),
      )(x),
    ).toThrow(ValueError);
    expect(() => named((v: Array) => lax.psumScatter(v, "i"))(x)).toThrow(
      "reduce_scatter operand scatter dimension size 3 must match shard count 4",
    );
    expect(() => vmap((v: Array) => v, { axis_name: "i" } as never)).toThrow(TypeError);
  });
});
