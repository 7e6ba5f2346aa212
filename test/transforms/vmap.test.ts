/**
 * vmap(f)(xs) equals f applied per example and stacked, for every batching rule, with
 * in_axes/out_axes variants (float32; compared with rtol 1e-5 since batched reductions and
 * dots may associate differently).
 */
import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { type Array, ValueError, float, jit, lax, numpy as jnp, vmap } from "../../src/index.js";
import { expectClose, rng, uniform, vals } from "./ad-helpers.js";

/** Example `i` of `x` along `axis`. */
function take(x: Array, axis: number, i: number): Array {
  const start = x.shape.map((_, k) => (k === axis ? i : 0));
  const limit = x.shape.map((d, k) => (k === axis ? i + 1 : d));
  return lax.squeeze(lax.slice(x, start, limit), [axis]);
}

const flat = (x: unknown): Array[] =>
  globalThis.Array.isArray(x) ? (x as unknown[]).flatMap(flat) : [x as Array];

/**
 * Compare vmap(f, inAxes, outAxes) with a loop. `inAxes`/`outAxes` are per-argument/per-output
 * (flat lists; null = unbatched).
 */
function checkVmap(
  f: (...xs: any[]) => any,
  args: Array[],
  inAxes: (number | null)[],
  outAxes?: (number | null)[],
): void {
  const n = (() => {
    const i = inAxes.findIndex((a) => a !== null);
    const a = inAxes[i]!;
    return args[i]!.shape[a < 0 ? a + args[i]!.ndim : a]!;
  })();
  const batched = flat(
    vmap(f, {
      inAxes,
      ...(outAxes ? { outAxes: outAxes.length === 1 ? outAxes[0]! : outAxes } : {}),
    })(...args),
  );
  const perExample = globalThis.Array.from({ length: n }, (_, i) =>
    flat(
      f(
        ...args.map((a, k) =>
          inAxes[k] === null ? a : take(a, inAxes[k]! < 0 ? inAxes[k]! + a.ndim : inAxes[k]!, i),
        ),
      ),
    ),
  );
  batched.forEach((b, j) => {
    const oa = outAxes ? (j < outAxes.length ? outAxes[j]! : outAxes[0]!) : 0;
    if (oa === null) {
      perExample.forEach((ex) =>
        expectClose(vals(b), vals(ex[j]!), 1e-5, 1e-6, `output ${j} (unbatched)`),
      );
      return;
    }
    const axis = oa < 0 ? oa + b.ndim : oa;
    expect(b.shape[axis]).toBe(n);
    perExample.forEach((ex, i) => {
      expect(take(b, axis, i).shape).toEqual(ex[j]!.shape);
      expectClose(vals(take(b, axis, i)), vals(ex[j]!), 1e-5, 1e-6, `output ${j}, example ${i}`);
    });
  });
}

const r = rng(42);
const u = (shape: number[], lo = -1, hi = 1) => uniform(r, shape, lo, hi, "float32");

describe("vmap: elementwise", () => {
  it("unary", () => {
    checkVmap(jnp.sin, [u([4, 3])], [0]);
    checkVmap(jnp.exp, [u([3, 4])], [1]);
    checkVmap((x: Array) => lax.integerPow(x, 3), [u([2, 3])], [-1]);
  });
  it("binary with all in_axes combinations", () => {
    const a = u([4, 3]);
    const b = u([4, 3]);
    checkVmap(lax.add, [a, b], [0, 0]);
    checkVmap(lax.mul, [a, u([3, 4])], [0, 1]);
    checkVmap(lax.sub, [a, u([3])], [0, null]);
    checkVmap(lax.div, [u([3]), u([3, 4], 1, 2)], [null, 1]);
    checkVmap(lax.max, [a, u([])], [0, null]);
  });
  it("a batched per-example scalar with an unbatched array (rank mismatch)", () => {
    checkVmap((s: Array, v: Array) => lax.mul(s, v), [u([4]), u([3, 2])], [0, null]);
    checkVmap((s: Array, v: Array) => lax.add(v, s), [u([4]), u([4, 3])], [0, 0]);
  });
  it("convert_element_type, comparisons, select_n", () => {
    checkVmap((x: Array) => x.astype("int32"), [u([3, 2], -5, 5)], [0]);
    checkVmap(
      (x: Array, y: Array) => lax.select(lax.gt(x, y), x, y),
      [u([4, 3]), u([3])],
      [0, null],
    );
    checkVmap(
      (p: Array, x: Array, y: Array) => lax.select(p, x, y),
      [u([4]).gt(0), u([3]), u([4, 3])],
      [0, null, 0],
    );
    checkVmap(
      (p: Array, x: Array, y: Array) => lax.select(p, x, y),
      [u([3]).gt(0), u([4, 3]), u([3])],
      [null, 0, null],
    );
  });
  it("clamp with batched bounds", () => {
    checkVmap((lo: Array, x: Array) => lax.clamp(lo, x, 0.5), [u([4], -1, 0), u([4, 3])], [0, 0]);
    checkVmap((x: Array) => lax.clamp(-0.2, x, 0.3), [u([4, 3])], [1]);
  });
});

describe("vmap: reductions", () => {
  it("reduce_sum / max / min / prod / argmax", () => {
    checkVmap((x: Array) => lax.reduceSum(x, [0]), [u([4, 3, 2])], [1]);
    checkVmap((x: Array) => lax.reduceMax(x, [1]), [u([4, 3, 2])], [2]);
    checkVmap((x: Array) => lax.reduceMin(x, [0, 1]), [u([4, 3, 2])], [0]);
    checkVmap((x: Array) => lax.reduceProd(x, [0]), [u([3, 4])], [1]);
    checkVmap((x: Array) => lax.argmax(x, 0), [u([3, 4])], [1]);
    checkVmap((x: Array) => jnp.mean(x, { axis: -1 }), [u([5, 3, 2])], [0]);
  });
});

describe("vmap: dot_general", () => {
  const mm = (a: Array, b: Array) =>
    lax.dotGeneral(a, b, [
      [[1], [0]],
      [[], []],
    ]);
  it("both operands batched, at various dims", () => {
    checkVmap(mm, [u([5, 2, 3]), u([5, 3, 4])], [0, 0]);
    checkVmap(mm, [u([2, 5, 3]), u([3, 4, 5])], [1, 2]);
  });
  it("one operand batched", () => {
    checkVmap(mm, [u([2, 3, 5]), u([3, 4])], [2, null]);
    checkVmap(mm, [u([2, 3]), u([5, 3, 4])], [null, 0]);
    checkVmap(mm, [u([2, 3]), u([3, 5, 4])], [null, 1]);
  });
  it("with batch dimensions and vector dots", () => {
    checkVmap(
      (a: Array, b: Array) =>
        lax.dotGeneral(a, b, [
          [[2], [1]],
          [[0], [0]],
        ]),
      [u([4, 2, 2, 3]), u([2, 3, 2])],
      [0, null],
    );
    checkVmap(
      (a: Array, b: Array) =>
        lax.dotGeneral(a, b, [
          [[0], [0]],
          [[], []],
        ]),
      [u([3, 4]), u([4, 3])],
      [1, 0],
    );
    checkVmap((a: Array, b: Array) => jnp.matmul(a, b), [u([4, 2, 3]), u([3])], [0, null]);
  });
});

describe("vmap: structural", () => {
  it("reshape / transpose / broadcast_in_dim / squeeze / expand_dims / rev", () => {
    checkVmap((x: Array) => lax.reshape(x, [6]), [u([4, 2, 3])], [0]);
    checkVmap((x: Array) => lax.reshape(x, [3, 2]), [u([2, 4, 3])], [1]);
    checkVmap((x: Array) => lax.transpose(x, [1, 0]), [u([2, 3, 4])], [2]);
    checkVmap((x: Array) => lax.broadcastInDim(x, [2, 3, 4], [1]), [u([3, 5])], [1]);
    checkVmap((x: Array) => lax.squeeze(x, [1]), [u([3, 1, 4])], [2]);
    checkVmap((x: Array) => lax.expandDims(x, [0]), [u([3, 4])], [1]);
    checkVmap((x: Array) => lax.rev(x, [0]), [u([3, 4])], [1]);
  });
  it("slice / pad (batched operand and batched padding value)", () => {
    checkVmap((x: Array) => lax.slice(x, [1], [4], [2]), [u([3, 5])], [0]);
    checkVmap((x: Array) => lax.pad(x, lax.full([], 0, x.dtype), [[1, 2, 1]]), [u([3, 4])], [1]);
    checkVmap(
      (x: Array, v: Array) =>
        lax.pad(x, v, [
          [1, 0, 1],
          [0, 1, 0],
        ]),
      [u([2, 3, 4]), u([4])],
      [2, 0],
    );
    checkVmap((x: Array, v: Array) => lax.pad(x, v, [[1, 1, 0]]), [u([3]), u([4])], [null, 0]);
  });
  it("concatenate with batched and unbatched operands", () => {
    checkVmap(
      (a: Array, b: Array, c: Array) => lax.concatenate([a, b, c], 0),
      [u([4, 2]), u([3]), u([1, 4])],
      [0, null, 1],
    );
  });
  it("iota and constants inside", () => {
    checkVmap((x: Array) => x.add(jnp.arange(3).astype("float32")), [u([4, 3])], [0]);
  });
});

describe("vmap: in_axes / out_axes / axis_size", () => {
  it("out_axes 1, -1, and per-output", () => {
    checkVmap(jnp.sin, [u([4, 3])], [0], [1]);
    checkVmap(jnp.sin, [u([4, 3, 2])], [0], [-1]);
    checkVmap((x: Array) => [jnp.sin(x), jnp.cos(x)], [u([4, 3])], [0], [0, 1]);
  });
  it("out_axes null for an unbatched output", () => {
    checkVmap(
      (x: Array, y: Array) => [x.mul(2), y.add(1)],
      [u([4, 3]), u([2])],
      [0, null],
      [0, null],
    );
  });
  it("an unbatched output with a non-null out_axis is broadcast", () => {
    const out = vmap((_x: Array, y: Array) => y.mul(2), { inAxes: [0, null], outAxes: 1 })(
      u([4, 3]),
      jnp.ones([2]),
    );
    expect(out.shape).toEqual([2, 4]);
    expect(vals(out)).toEqual(new globalThis.Array(8).fill(2));
  });
  it("pytree in_axes (dict prefix) and pytree outputs", () => {
    const f = (p: { w: Array; b: Array }, x: Array) => ({
      y: jnp.matmul(p.w, x).add(p.b),
      n: jnp.sum(x),
    });
    const w = u([3, 2]);
    const b = u([5, 3]);
    const x = u([2, 5]);
    const out = vmap(f, { inAxes: [{ w: null, b: 0 }, 1] })({ w, b }, x) as { y: Array; n: Array };
    expect(out.y.shape).toEqual([5, 3]);
    for (let i = 0; i < 5; i++) {
      const ex = f({ w, b: take(b, 0, i) }, take(x, 1, i));
      expectClose(vals(take(out.y, 0, i)), vals(ex.y), 1e-5, 1e-6, "y");
      expectClose(vals(take(out.n, 0, i)), vals(ex.n), 1e-5, 1e-6, "n");
    }
    const out2 = vmap(f, { inAxes: [{ w: null, b: 0 }, 1], outAxes: { y: 1, n: 0 } })(
      { w, b },
      x,
    ) as { y: Array; n: Array };
    expect(out2.y.shape).toEqual([3, 5]);
  });
  it("positional form vmap(f, inAxes, outAxes)", () => {
    const out = vmap((x: Array, y: Array) => x.add(y), [1, null], 1)(u([3, 4]), u([3]));
    expect(out.shape).toEqual([3, 4]);
  });
  it("axis_size with no mapped inputs", () => {
    const out = vmap((x: Array) => x.mul(2), { inAxes: null, axisSize: 3 })(jnp.ones([2]));
    expect(out.shape).toEqual([3, 2]);
    expect(vals(out)).toEqual([2, 2, 2, 2, 2, 2]);
  });
  it("axis_size with no arguments at all (JAX: vmap(lambda: 1., axis_size=2)() is [1. 1.])", () => {
    const one = vmap(() => jnp.array(1, "float32"), { axisSize: 2 })();
    expect(one.shape).toEqual([2]);
    expect(String(one)).toBe("[1. 1.]");
    // JS numbers / float() are weak-typed, as Python floats; broadcast_in_dim keeps the weak type.
    expect(inspect(vmap(() => float(1), { axisSize: 2 })())).toBe(
      "Array([1., 1.], dtype=float32, weak_type=True)",
    );
    expect(vals(vmap(() => float(1), { inAxes: [], axisSize: 2 })())).toEqual([1, 1]);
    // An argument holding no arrays maps nothing either.
    expect(vals(vmap((_n: null) => float(1), { axisSize: 3 })(null))).toEqual([1, 1, 1]);
  });
  it("unbatched outputs broadcast along the out axis (pytrees, negative axes, null)", () => {
    // numpy: np.broadcast_to(np.arange(3)[:, None], (3, 2)) for out_axes=1 / -1.
    const col = [
      [0, 0],
      [1, 1],
      [2, 2],
    ];
    expect(vmap(() => jnp.arange(3), { axisSize: 2, outAxes: 1 })().tolist()).toEqual(col);
    expect(vmap(() => jnp.arange(3), { axisSize: 2, outAxes: -1 })().tolist()).toEqual(col);
    const tree = vmap(() => ({ a: float(2), b: [jnp.ones([2])] }), {
      axisSize: 3,
      outAxes: { a: 0, b: [1] },
    })() as { a: Array; b: Array[] };
    expect(tree.a.tolist()).toEqual([2, 2, 2]);
    expect(tree.b[0]!.shape).toEqual([2, 3]);
    // out_axes None returns an unmapped output as it is.
    expect(vmap(() => float(1), { axisSize: 2, outAxes: null })().shape).toEqual([]);
    // Nested: vmap(vmap(f, axis_size=3), axis_size=2)() has shape (2, 3).
    expect(vmap(() => vmap(() => float(1), { axisSize: 3 })(), { axisSize: 2 })().shape).toEqual([
      2, 3,
    ]);
    // Under jit as well.
    expect(vals(jit(() => vmap(() => jnp.arange(2), { axisSize: 2 })())())).toEqual([0, 1, 0, 1]);
  });
  it("nested vmap", () => {
    const f = (a: Array, b: Array) => jnp.sum(a.mul(b));
    const out = vmap(vmap(f, [0, null]), [null, 0])(u([3, 4]), u([5, 4]));
    expect(out.shape).toEqual([5, 3]);
    checkVmap(vmap(f, [0, null]), [u([3, 4]), u([5, 4])], [null, 0]);
  });
  it("JS numbers as unbatched arguments and outputs", () => {
    const out = vmap((x: Array, s: number) => x.mul(s), [0, null])(jnp.ones([3]), 2);
    expect(vals(out)).toEqual([2, 2, 2]);
    expect(vals(vmap((_x: Array) => 1.5)(jnp.ones([2])))).toEqual([1.5, 1.5]);
  });
});

describe("vmap: errors", () => {
  it("inconsistent sizes", () => {
    const f = (x: Array, y: Array) => x.add(y);
    expect(() => vmap(f)(jnp.ones([2]), jnp.ones([3]))).toThrow(ValueError);
    expect(() => vmap(f)(jnp.ones([2]), jnp.ones([3]))).toThrow(
      "vmap got inconsistent sizes for array axes to be mapped:\n" +
        "  * one axis had size 2: axis 0 of argument x of type float32[2];\n" +
        "  * one axis had size 3: axis 0 of argument y of type float32[3]",
    );
  });
  it("in_axes out of range", () => {
    expect(() => vmap(jnp.sin, { inAxes: 1 })(jnp.ones([3]))).toThrow(
      "vmap was requested to map its argument along axis 1, which implies that its rank should be at least 2, but is only 1 (its shape is (3,))",
    );
  });
  it("a mapped output with out_axes null", () => {
    expect(() => vmap(jnp.sin, { outAxes: null })(jnp.ones([3]))).toThrow(
      "vmap has mapped output but out_axes is None",
    );
  });
  it("no mapped input and no axis_size", () => {
    expect(() => vmap(jnp.sin, { inAxes: null })(jnp.ones([3]))).toThrow(
      "vmap must have at least one non-None value in in_axes",
    );
  });
  it("no arrays among the arguments and no axis_size", () => {
    expect(() => vmap(() => float(1))()).toThrow(
      new ValueError(
        "vmap wrapped function must be passed at least one argument containing an array, got empty " +
          "*args=() and **kwargs={}; pass axisSize to map a function of no arrays.",
      ),
    );
    expect(() => vmap((_n: null) => float(1))(null)).toThrow(
      "got empty *args=(None,) and **kwargs={}; pass axisSize to map a function of no arrays.",
    );
  });
  it("in_axes length must match the arguments", () => {
    expect(() => vmap(jnp.sin, [0, 0])(jnp.ones([3]))).toThrow("len(in_axes)=2, len(args)=1");
  });
});

describe("vmap with jit", () => {
  it("vmap(jit(f)) and jit(vmap(f))", () => {
    const f = (x: Array, y: Array) => jnp.sum(jnp.sin(x).mul(y), { axis: 0 });
    const xs = u([4, 3, 2]);
    const y = u([3, 2]);
    checkVmap(jit(f), [xs, y], [0, null]);
    checkVmap(f, [xs, y], [0, null]);
    const a = vmap(jit(f), [0, null])(xs, y);
    const b = jit(vmap(f, [0, null]))(xs, y);
    expectClose(vals(a), vals(b), 1e-6, 1e-6, "vmap(jit) vs jit(vmap)");
  });
});
