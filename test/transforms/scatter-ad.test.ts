/**
 * Autodiff through scatters (`x.at(...).set/min/max/mul(...)`), as JAX 0.4.x's rules in
 * jax/_src/lax/slicing.py: `_scatter_jvp` (the id-masking scheme for indices that may repeat,
 * whose tangent is a scatter-add and so transposes), `_scatter_extremal_jvp` (ties share the
 * tangent equally), scatter-mul's `defjvp` (updates need unique_indices).
 *
 * Finite-difference checks run in float64 (x64 on for this file): first order rtol 1e-6 /
 * atol 1e-7, second order 10× that (see ad-helpers.ts). Scatters are piecewise linear in their
 * inputs and the winner of a duplicated index does not depend on values (set) or is away from a
 * tie at the sample points (min/max), so central differences are exact up to rounding.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  config,
  grad,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  makeJaxpr,
  numpy as jnp,
  vjp,
  vmap,
} from "../../src/index.js";
import { checkGrads, rng, uniform, vals } from "./ad-helpers.js";

beforeAll(() => config.update("jax_enable_x64", true));
afterAll(() => config.update("jax_enable_x64", false));

const f64 = (v: number[]) => jnp.asarray(Float64Array.from(v));
const list = (x: Array) => (x as unknown as { tolist(): unknown }).tolist();

describe("grad through x.at(i).set(v)", () => {
  const r = rng(101);
  it("duplicate indices: the last update wins, and only its tangent reaches the output", () => {
    const idx = jnp.asarray([1, 3, 1]);
    checkGrads("set dup", (x, v) => x.at(idx).set(v.mul(v)), [uniform(r, [5]), uniform(r, [3])], {
      order2: true,
    });
    // d(sum(w · out))/dv: v[0] lost index 1 to v[2]; the operand at 1 and 3 is overwritten.
    const w = f64([1, 10, 100, 1000, 10000]);
    const f = (x: Array, v: Array) => jnp.sum(x.at(idx).set(v).mul(w));
    const [gx, gv] = grad(f, { argnums: [0, 1] })(f64([1, 2, 3, 4, 5]), f64([6, 7, 8])) as Array[];
    expect(vals(gx!)).toEqual([1, 0, 100, 0, 10000]);
    expect(vals(gv!)).toEqual([0, 1000, 10]);
  });

  it("unique (static) indices take the plain scatter JVP and its transpose", () => {
    checkGrads(
      "set int",
      (x, v) => x.at(2).set(v.mul(x.get(0))),
      [uniform(r, [4]), uniform(r, [])],
      {
        order2: true,
      },
    );
    checkGrads(
      "set slice",
      (x, v) => x.at("1:3").set(jnp.sin(v)),
      [uniform(r, [4]), uniform(r, [2])],
      {
        order2: true,
      },
    );
  });

  it("update windows (rows of a matrix) with a repeated row index", () => {
    const idx = jnp.asarray([0, 2, 0]);
    checkGrads(
      "set rows",
      (x, v) => x.at(idx).set(v).mul(x),
      [uniform(r, [4, 3]), uniform(r, [3, 3])],
      {
        order2: true,
      },
    );
    checkGrads(
      "set columns",
      (x, v) => x.at(":", jnp.asarray([1, 1])).set(jnp.exp(v)),
      [uniform(r, [2, 3]), uniform(r, [2, 2])],
      { order2: true },
    );
  });

  it("jacrev and jacfwd agree and are the exact 0/1 selection", () => {
    const idx = jnp.asarray([0, 0, 2]);
    const f = (v: Array) => jnp.zeros([3], "float64").at(idx).set(v);
    const expected = [
      [0, 1, 0],
      [0, 0, 0],
      [0, 0, 1],
    ];
    expect(list(jacrev(f)(f64([1, 2, 3])))).toEqual(expected);
    expect(list(jacfwd(f)(f64([1, 2, 3])))).toEqual(expected);
  });

  it("vjp, jit(grad) and vmap(grad) give the same cotangents", () => {
    const idx = jnp.asarray([2, 0, 2]);
    const f = (x: Array, v: Array) => x.at(idx).set(v.mul(3));
    const x = f64([1, 2, 3]);
    const v = f64([4, 5, 6]);
    const [out, pullback] = vjp(f, x, v) as [Array, (ct: Array) => Array[]];
    expect(vals(out)).toEqual([15, 2, 18]);
    const [ctx, ctv] = pullback(f64([1, 10, 100]));
    expect(vals(ctx!)).toEqual([0, 10, 0]);
    expect(vals(ctv!)).toEqual([0, 3, 300]);
    const g = (x: Array, v: Array) => jnp.sum(f(x, v).mul(f64([1, 10, 100])));
    const eager = grad(g, { argnums: [0, 1] })(x, v) as Array[];
    const jitted = jit(grad(g, { argnums: [0, 1] }))(x, v) as Array[];
    expect(vals(jitted[0]!)).toEqual(vals(eager[0]!));
    expect(vals(jitted[1]!)).toEqual(vals(eager[1]!));
    const batched = vmap(grad(g, { argnums: 1 }), [null, 0])(x, jnp.stack([v, v.mul(2)])) as Array;
    expect(list(batched)).toEqual([
      [0, 3, 300],
      [0, 3, 300],
    ]);
  });

  it("out-of-bounds updates are dropped (FILL_OR_DROP) and get a zero cotangent", () => {
    const f = (x: Array, v: Array) =>
      jnp.sum(
        x
          .at(jnp.asarray([1, 7]))
          .set(v)
          .mul(f64([1, 2, 3, 4])),
      );
    const [gx, gv] = grad(f, { argnums: [0, 1] })(f64([1, 1, 1, 1]), f64([5, 6])) as Array[];
    expect(vals(gx!)).toEqual([1, 0, 3, 4]);
    expect(vals(gv!)).toEqual([2, 0]);
  });
});

describe("grad through x.at(i).min / max", () => {
  const r = rng(202);
  it("match finite differences with repeated indices (no ties at the sample point)", () => {
    const idx = jnp.asarray([0, 2, 0, 3]);
    for (const op of ["min", "max"] as const) {
      checkGrads(
        `scatter-${op}`,
        (x, v) => x.at(idx)[op](v.mul(2)),
        [uniform(r, [4], -1, 1), uniform(r, [4], -1, 1)],
        { order2: true },
      );
    }
  });

  it("ties: the tangent is the average over the retained operand and the winning updates", () => {
    const idx = jnp.asarray([0, 0, 2]);
    const h = (x: Array) => x.at(idx).max(x.get(jnp.asarray([1, 2, 0])));
    // x = [1, 3, 3]: out[0] = max(1, 3, 3) (two updates tie), out[2] = max(3, 1) (operand kept)
    expect(list(jacrev(h)(f64([1, 3, 3])))).toEqual([
      [0, 0.5, 0.5],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(list(jacfwd(h)(f64([1, 3, 3])))).toEqual(list(jacrev(h)(f64([1, 3, 3]))));
    // out[0] = max(3, 3): the retained operand and one update share it
    const k = (x: Array) => x.at(jnp.asarray([0, 1])).max(f64([3, 0]).add(x.get(1).mul(0)));
    expect(vals(grad((x: Array) => k(x).get(0))(f64([3, 1])))).toEqual([0.5, 0]);
  });
});

describe("scatter-mul", () => {
  const r = rng(303);
  it("is differentiable in the operand with repeated indices, in both with unique ones", () => {
    checkGrads(
      "mul operand",
      (x) => x.at(jnp.asarray([1, 1, 2])).mul(f64([2, 3, -1])),
      [uniform(r, [4])],
      {
        order2: true,
      },
    );
    checkGrads("mul unique", (x, v) => x.at(1).mul(v), [uniform(r, [3]), uniform(r, [])], {
      order2: true,
    });
  });

  it("w.r.t. updates with indices that may repeat: JAX's NotImplementedError", () => {
    const f = (v: Array) =>
      jnp.sum(
        f64([1, 2, 3])
          .at(jnp.asarray([1, 1]))
          .mul(v),
      );
    expect(() => grad(f)(f64([2, 3]))).toThrow(
      "scatter_mul gradients are only implemented if `unique_indices=True`",
    );
  });
});

describe("jaxprs", () => {
  it("jvp of a scatter whose indices may repeat stages JAX's id-masking scheme", () => {
    config.update("jax_enable_x64", false);
    try {
      const text = makeJaxpr((x: Array, i: Array, t: Array) =>
        jvp((y: Array) => lax.scatter(y, i, y.get("1:3"), DN), [x], [t]),
      )(jnp.ones([3]), jnp.zeros([2, 1], "int32"), jnp.ones([3])).toString();
      expect(text).toBe(
        [
          "{ lambda ; a:f32[3] b:i32[2,1] c:f32[3]. let",
          "    d:f32[2] = slice[limit_indices=(3,) start_indices=(1,) strides=None] a",
          "    e:f32[2] = slice[limit_indices=(3,) start_indices=(1,) strides=None] c",
          "    f:u32[2] = iota[dimension=0 dtype=uint32 shape=(2,)] ",
          "    g:u32[2] = broadcast_in_dim[broadcast_dimensions=() shape=(2,)] 1",
          "    h:u32[2] = add f g",
          "    i:u32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 0",
          "    j:u32[3] = scatter[",
          `      dimension_numbers=${DN_TEXT}`,
          "      indices_are_sorted=False",
          "      mode=GatherScatterMode.FILL_OR_DROP",
          "      unique_indices=False",
          "      update_consts=()",
          "      update_jaxpr=None",
          "    ] i b h",
          "    k:u32[2] = gather[",
          "      dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,))",
          "      fill_value=None",
          "      indices_are_sorted=False",
          "      mode=GatherScatterMode.PROMISE_IN_BOUNDS",
          "      slice_sizes=(1,)",
          "      unique_indices=False",
          "    ] j b",
          "    l:u32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 0",
          "    m:bool[3] = eq j l",
          "    n:f32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 0.0",
          "    o:f32[3] = select_n m n a",
          "    p:bool[2] = eq h k",
          "    q:f32[2] = broadcast_in_dim[broadcast_dimensions=() shape=(2,)] 0.0",
          "    r:f32[2] = select_n p q d",
          "    s:u32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 0",
          "    t:bool[3] = eq j s",
          "    u:f32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 0.0",
          "    v:f32[3] = select_n t u c",
          "    w:bool[2] = eq h k",
          "    x:f32[2] = broadcast_in_dim[broadcast_dimensions=() shape=(2,)] 0.0",
          "    y:f32[2] = select_n w x e",
          "    z:f32[3] = scatter-add[",
          `      dimension_numbers=${DN_TEXT}`,
          "      indices_are_sorted=False",
          "      mode=GatherScatterMode.FILL_OR_DROP",
          "      unique_indices=False",
          "      update_consts=()",
          "      update_jaxpr={ lambda ; ba:f32[] bb:f32[]. let",
          "          bc:f32[] = add ba bb",
          "        in (bc,) }",
          "    ] o b r",
          "    bd:f32[3] = scatter-add[",
          `      dimension_numbers=${DN_TEXT}`,
          "      indices_are_sorted=False",
          "      mode=GatherScatterMode.FILL_OR_DROP",
          "      unique_indices=False",
          "      update_consts=()",
          "      update_jaxpr={ lambda ; ba:f32[] bb:f32[]. let",
          "          bc:f32[] = add ba bb",
          "        in (bc,) }",
          "    ] v b y",
          "  in (z, bd) }",
        ].join("\n"),
      );
    } finally {
      config.update("jax_enable_x64", true);
    }
  });

  it("grad of a scatter with unique indices transposes the scatter itself", () => {
    config.update("jax_enable_x64", false);
    try {
      const text = makeJaxpr(grad((x: Array) => jnp.sum(x.at(0).set(2))))(jnp.ones([3])).toString();
      // operand cotangent: the scattered positions zeroed by a scatter of zeros (unique_indices)
      expect(text).toContain("] d b 0.0");
      expect(text).not.toContain("scatter-add");
      expect(text.match(/unique_indices=True/g)!.length).toBe(2);
    } finally {
      config.update("jax_enable_x64", true);
    }
  });
});

const DN = lax.ScatterDimensionNumbers.of({
  update_window_dims: [],
  inserted_window_dims: [0],
  scatter_dims_to_operand_dims: [0],
});
const DN_TEXT =
  "ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))";
