/**
 * lax.reduceWindow and the reduce_window primitives: random geometries (shapes, windows,
 * strides, padding, base and window dilation) against a direct-loop float64 reference on the
 * js and wasm devices, eager and jitted (sum within rtol 1e-5 / atol 1e-5 of the float64
 * reference of the float32 inputs; max, min and the generic product exactly / rtol 1e-5);
 * gradients of windowed sums with dilation against finite differences (float64); vmap
 * against a loop; pytrees of operands (reduce-window-api.test.ts: jaxpr text and errors).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  config,
  grad,
  jit,
  jvp,
  lax,
  numpy as jnp,
  vmap,
} from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";
import { checkGrads, expectClose, rng, uniform, vals } from "../transforms/ad-helpers.js";

type Pair = [number, number];
interface Geometry {
  shape: number[];
  window: number[];
  strides: number[];
  padding: Pair[];
  baseDilation: number[];
  windowDilation: number[];
}
type Op = "sum" | "max" | "min" | "prod";

const dil = (d: number, k: number) => (d === 0 ? 0 : 1 + k * (d - 1));

/** The reference: for each output element, fold the window's real elements (others: init). */
function reference(x: number[], g: Geometry, op: Op): { shape: number[]; y: number[] } {
  const init = { sum: 0, max: -Infinity, min: Infinity, prod: 1 }[op];
  const f = {
    sum: (a: number, b: number) => a + b,
    max: Math.max,
    min: Math.min,
    prod: (a: number, b: number) => a * b,
  }[op];
  const nd = g.shape.length;
  const out = g.shape.map((d, k) => {
    const padded = dil(d, g.baseDilation[k]!) + g.padding[k]![0] + g.padding[k]![1];
    return Math.max(
      Math.floor((padded - dil(g.window[k]!, g.windowDilation[k]!)) / g.strides[k]!) + 1,
      0,
    );
  });
  const count = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const unflat = (i: number, s: number[]) => {
    const c: number[] = [];
    for (let k = s.length - 1; k >= 0; k--) {
      c[k] = i % s[k]!;
      i = Math.floor(i / s[k]!);
    }
    return c;
  };
  const y: number[] = [];
  for (let o = 0; o < count(out); o++) {
    const oc = unflat(o, out);
    let acc = init;
    for (let w = 0; w < count(g.window); w++) {
      const wc = unflat(w, g.window);
      let flat = 0;
      let real = true;
      for (let k = 0; k < nd; k++) {
        const pos = oc[k]! * g.strides[k]! + wc[k]! * g.windowDilation[k]! - g.padding[k]![0];
        const bd = g.baseDilation[k]!;
        if (pos < 0 || pos % bd !== 0 || pos / bd >= g.shape[k]!) real = false;
        flat = flat * g.shape[k]! + pos / bd;
      }
      acc = f(acc, real ? x[flat]! : init);
    }
    y.push(acc);
  }
  return { shape: out, y };
}

function randomGeometry(r: () => number): Geometry {
  const nd = 1 + Math.floor(r() * 3);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const g: Geometry = {
    shape: [],
    window: [],
    strides: [],
    padding: [],
    baseDilation: [],
    windowDilation: [],
  };
  for (let k = 0; k < nd; k++) {
    g.shape.push(int(1, 6));
    g.window.push(int(1, 3));
    g.strides.push(int(1, 3));
    g.padding.push([int(0, 2), int(0, 2)]);
    g.baseDilation.push(r() < 0.7 ? 1 : 2);
    g.windowDilation.push(r() < 0.7 ? 1 : int(2, 3));
  }
  return g;
}

const computations = {
  sum: [0, lax.add],
  max: [-Infinity, lax.max],
  min: [Infinity, lax.min],
  prod: [1, (a: Array, b: Array) => lax.mul(a, b)],
} as const;

function run(x: Array, g: Geometry, op: Op): Array {
  const [init, comp] = computations[op];
  return lax.reduceWindow(x, init, comp, g.window, g.strides, g.padding, {
    baseDilation: g.baseDilation,
    windowDilation: g.windowDilation,
  });
}

describe("reduceWindow vs a direct loop (random geometries)", () => {
  for (const device of ["js", "wasm"]) {
    it(`40 geometries × sum/max/min/prod on ${device}, eager and jit`, () => {
      const r = rng(device === "js" ? 21 : 22);
      on(device, () => {
        for (let i = 0; i < 40; i++) {
          const g = randomGeometry(r);
          const x = uniform(r, g.shape, 0.5, 1.5, "float32");
          const xs = vals(x);
          for (const op of ["sum", "max", "min", "prod"] as const) {
            const want = reference(xs, g, op);
            const what = `${op} ${JSON.stringify(g)}`;
            for (const y of [run(x, g, op), jit((v: Array) => run(v, g, op))(x)]) {
              expect(y.shape, what).toEqual(want.shape);
              expectClose(vals(y), want.y, 1e-5, op === "sum" ? 1e-5 : 0, what);
            }
          }
        }
      });
    });
  }

  it("integer operands: max with the dtype's minimum, sum with 0", () => {
    const x = jnp.array([3, -7, 5, 1, -2, 8]).reshape([2, 3]);
    expect(lax.reduceWindow(x, -2147483648, lax.max, [1, 2], [1, 1], "SAME").tolist()).toEqual([
      [3, 5, 5],
      [1, 8, 8],
    ]);
    expect(lax.reduceWindow(x, 0, lax.add, [2, 2]).tolist()).toEqual([[-5, 4]]);
  });
});

describe("reduceWindow derivatives", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));

  it("window sums with strides, padding and dilations (transpose rule)", () => {
    const r = rng(5);
    const x = uniform(r, [5, 6]);
    const geometries: Geometry[] = [
      {
        shape: [5, 6],
        window: [2, 3],
        strides: [2, 1],
        padding: [
          [1, 0],
          [2, 1],
        ],
        baseDilation: [1, 1],
        windowDilation: [1, 1],
      },
      {
        shape: [5, 6],
        window: [2, 2],
        strides: [1, 2],
        padding: [
          [0, 1],
          [1, 1],
        ],
        baseDilation: [2, 1],
        windowDilation: [1, 2],
      },
      {
        shape: [5, 6],
        window: [3, 1],
        strides: [3, 1],
        padding: [
          [2, 2],
          [0, 0],
        ],
        baseDilation: [1, 3],
        windowDilation: [2, 1],
      },
      // padding beyond the window: the transpose pads its cotangent negatively
      {
        shape: [5, 6],
        window: [1, 2],
        strides: [1, 2],
        padding: [
          [2, 1],
          [3, 0],
        ],
        baseDilation: [1, 1],
        windowDilation: [1, 1],
      },
    ];
    for (const g of geometries)
      checkGrads(`sum ${JSON.stringify(g)}`, (v) => run(v, g, "sum"), [x], { order2: true });
  });

  it("window max/min with base dilation and padding (select_and_gather_add's transpose)", () => {
    const x = uniform(rng(6), [4, 5]);
    const g: Geometry = {
      shape: [4, 5],
      window: [2, 3],
      strides: [1, 2],
      padding: [
        [1, 1],
        [0, 2],
      ],
      baseDilation: [2, 1],
      windowDilation: [1, 1],
    };
    checkGrads("max", (v) => run(v, g, "max"), [x], { order2: true });
    checkGrads("min", (v) => run(v, g, "min"), [x]);
  });

  it("window dilation has JVPs but no VJP for max, as in JAX", () => {
    const x = jnp.arange(6).astype("float32");
    const f = (v: Array) =>
      lax.reduceWindow(v, -Infinity, lax.max, [2], [1], "VALID", { windowDilation: [2] }).sum();
    expect(() => grad(f)(x)).toThrow(NotImplementedError);
    expect(() => grad(f)(x)).toThrow(
      "VJP not implemented for select_and_gather (MaxPool) with window dilation, got window_dilation=(2,).",
    );
  });

  it("a generic computation: forward mode through the reducer's JVP, no transpose (as JAX)", () => {
    const x = uniform(rng(11), [6], 0.5, 1.5);
    const t = uniform(rng(12), [6], -1, 1);
    const f = (v: Array) => lax.reduceWindow(v, 1, lax.mul, [3], [1], "SAME");
    const [y, dy] = jvp(f, [x], [t]) as [Array, Array];
    expectClose(vals(y), vals(f(x)), 0, 0, "primal");
    const h = 1e-6;
    const fd = vals(f(x.add(t.mul(h)))).map((p, i) => (p - vals(f(x.sub(t.mul(h))))[i]!) / (2 * h));
    expectClose(vals(dy), fd, 1e-6, 1e-8, "tangent vs central differences");
    expect(() => grad((v: Array) => f(v).sum())(x)).toThrow(
      "Transpose rule (for reverse-mode differentiation) for 'reduce_window' not implemented",
    );
  });
});

describe("reduceWindow over pytrees (variadic reduce_window)", () => {
  it("a (value, index) argmax per window, eager, jitted and vmapped", () => {
    const v = jnp.array([3, 9, 2, 9, 5, 1, 7]).astype("float32");
    const i = jnp.arange(7);
    const argmaxPair = ([a, ia]: Array[], [b, ib]: Array[]) => {
      const pick = lax.ge(a!, b!);
      return [lax.select(pick, a!, b!), lax.select(pick, ia!, ib!)];
    };
    const f = (val: Array, idx: Array) =>
      lax.reduceWindow([val, idx], [-Infinity, -1], argmaxPair, [3], [2], "SAME");
    for (const [m, k] of [f(v, i), jit(f)(v, i)] as Array[][]) {
      // windows [-1, 1], [1, 3], [3, 5], [5, 7]; ties keep the earlier element (ge)
      expect(vals(m!)).toEqual([9, 9, 9, 7]);
      expect(vals(k!)).toEqual([1, 1, 3, 6]);
      expect(k!.dtype.name).toBe("int32");
    }
    const [bm, bk] = vmap(f)(jnp.stack([v, v.neg()]), jnp.stack([i, i])) as Array[];
    expect(vals(bm!)).toEqual([9, 9, 9, 7, -3, -2, -1, -1]);
    expect(vals(bk!)).toEqual([1, 1, 3, 6, 0, 2, 5, 5]);
  });
});

describe("reduceWindow under vmap", () => {
  it("equals a loop for each primitive, batch dims in front and in the middle", () => {
    const xs = uniform(rng(8), [3, 4, 5], 0.5, 1.5, "float32");
    const g: Geometry = {
      shape: [4, 5],
      window: [2, 2],
      strides: [1, 2],
      padding: [
        [1, 0],
        [0, 1],
      ],
      baseDilation: [1, 2],
      windowDilation: [1, 1],
    };
    const fns: [string, (x: Array) => Array][] = [
      ...(["sum", "max", "min", "prod"] as const).map(
        (op) => [op, (x: Array) => run(x, g, op)] as [string, (x: Array) => Array],
      ),
      ["grad max", grad((x: Array) => run(x, g, "max").sum())],
      ["grad sum", grad((x: Array) => run(x, g, "sum").sum())],
    ];
    for (const [name, f] of fns) {
      for (const axis of [0, 1, 2]) {
        const batched = vmap(f, axis)(jnp.moveaxis(xs, 0, axis));
        const looped = jnp.stack([0, 1, 2].map((i) => f(jnp.take(xs, i, 0))));
        expectClose(vals(batched), vals(looped), 1e-6, 1e-6, `${name} in_axes=${axis}`);
      }
    }
  });
});
