/**
 * debug.print / debug.callback: Python str.format against Python (fixtures/python_format.json,
 * made by make_python_format.py: exact strings), the staged `debug_callback` jaxpr text, and
 * call counts and order under jit, vmap, grad, scan/while/cond, on both devices.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type Array,
  IndexError,
  KeyError,
  ValueError,
  debug,
  float,
  grad,
  jit,
  lax,
  makeJaxpr,
  numpy as jnp,
  vmap,
} from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";
import cases from "../fixtures/python_format.json" with { type: "json" };

let printed: string[] = [];
beforeEach(() => {
  printed = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void printed.push(a.join(" ")));
});
afterEach(() => vi.restoreAllMocks());

const f32 = (xs: number[]) => jnp.array(xs, "float32");

describe("debug.print formats as Python's str.format on numpy values", () => {
  it(`matches Python on ${cases.length} fields (exact strings)`, () => {
    const bad: string[] = [];
    for (const c of cases) {
      const v =
        typeof c.value === "string"
          ? c.value === "nan"
            ? NaN
            : Number(c.value.replace("inf", "Infinity"))
          : c.value;
      debug.print(c.fmt, jnp.array(v as number, c.dtype as "float32"));
      const got = printed.pop();
      if (got !== c.out) bad.push(`${c.fmt} ${c.dtype} ${String(c.value)}: ${got} != ${c.out}`);
    }
    expect(bad).toEqual([]);
  });

  it("prints arrays with numpy's text, named fields from a trailing object", () => {
    debug.print("x={} y={y} z={z:.2f}", f32([1, 2.5]), { y: jnp.arange(3), z: jnp.float32(2) });
    expect(printed).toEqual(["x=[1.  2.5] y=[0 1 2] z=2.00"]);
  });

  it("raises Python's errors for a wrong format", () => {
    const x = f32([1]);
    expect(() => debug.print("{} {}", x)).toThrow(IndexError);
    expect(() => debug.print("{} {}", x)).toThrow("Replacement index 1 out of range");
    expect(() => debug.print("{x}", x)).toThrow(KeyError);
    expect(() => debug.print("{}", x, x)).toThrow(ValueError);
    expect(() => debug.print("{}", x, x)).toThrow(/Unused positional arguments/);
    expect(() => debug.print("{}", x, { y: x })).toThrow(/Unused keyword arguments/);
    expect(() => debug.print("{} {0}", x)).toThrow(/cannot switch from automatic field numbering/);
    expect(() => debug.print("a } b")).toThrow(/Single '}'/);
    expect(() => debug.print("{:q}", x)).toThrow(/Invalid format specifier/);
    // A numeric spec needs a 0-d array, as numpy's ndarray.__format__.
    expect(() => debug.print("{:.2f}", f32([1, 2]))).toThrow(TypeError);
    // Checked when staged: no trace completes.
    expect(() => jit((y: Array) => (debug.print("{} {}", y), y))(x)).toThrow(IndexError);
    expect(printed).toEqual([]);
  });
});

describe("staged as debug_callback", () => {
  it("prints JAX's jaxpr text (the function's address left out)", () => {
    const f = (x: Array) => {
      debug.print("x={}", x);
      debug.callback((v: Array) => v, x.sum(), { ordered: true });
      return x.mul(2);
    };
    expect(makeJaxpr(f)(f32([1, 2])).toString()).toBe(
      [
        "{ lambda ; a:f32[2]. let",
        "    debug_callback[",
        "      callback=<function debug_callback.<locals>._flat_callback>",
        "      effect=Debug",
        "    ] a",
        "    b:f32[] = reduce_sum[axes=(0,)] a",
        "    debug_callback[",
        "      callback=<function debug_callback.<locals>._flat_callback>",
        "      effect=OrderedDebug",
        "    ] b",
        "    c:f32[2] = mul a 2.0",
        "  in (c,) }",
      ].join("\n"),
    );
    expect(printed).toEqual([]); // tracing calls nothing
  });

  it("is kept by DCE and never merged by CSE; its segments still fuse", () => {
    const f = jit((x: Array) => {
      debug.print("a {}", x.mul(3));
      debug.print("a {}", x.mul(3));
      return jnp.float32(1);
    });
    expect(f(f32([1])).item()).toBe(1);
    expect(printed).toEqual(["a [3.]", "a [3.]"]);
    const text = f.lower(f32([1])).asText();
    expect(text).toContain("on the host: debug_callback");
  });
});

for (const device of ["js", "wasm"]) {
  describe(`callbacks run on the calling thread, in order (${device})`, () => {
    it("jit: once per call, traced once, results unchanged", () => {
      on(device, () => {
        let traces = 0;
        const f = jit((x: Array) => {
          traces++;
          const y = jnp.sin(x).mul(2);
          debug.print("y={:.4f}", y.sum());
          return y.add(1);
        });
        const x = f32([0.5, 1.5]);
        const r1 = f(x);
        const r2 = f(x);
        expect(traces).toBe(1);
        expect(printed).toEqual(["y=2.9538", "y=2.9538"]);
        const ref = [2 * Math.sin(0.5) + 1, 2 * Math.sin(1.5) + 1];
        for (const r of [r1, r2]) {
          (r.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 5));
        }
      });
    });

    it("vmap: one call per example, in order; under jit too", () => {
      on(device, () => {
        const f = (x: Array) => {
          debug.print("row {}", x);
          return x.sum();
        };
        const xs = jnp.arange(6).reshape([3, 2]).astype("float32");
        expect(vmap(f)(xs).tolist()).toEqual([1, 5, 9]);
        expect(jit(vmap(f))(xs).tolist()).toEqual([1, 5, 9]);
        expect(vmap(f, { inAxes: 1 })(xs).tolist()).toEqual([6, 9]);
        expect(printed).toEqual([
          ...["row [0. 1.]", "row [2. 3.]", "row [4. 5.]"],
          ...["row [0. 1.]", "row [2. 3.]", "row [4. 5.]"],
          ...["row [0. 2. 4.]", "row [1. 3. 5.]"],
        ]);
      });
    });

    it("grad: the callback sees primal values once; gradients unchanged", () => {
      on(device, () => {
        const g = (x: Array) => {
          debug.print("x={}", x);
          return jnp.sin(x).sum();
        };
        const x = f32([0, 1]);
        const d1 = grad(g)(x).tolist() as number[];
        const d2 = jit(grad(g))(x).tolist() as number[];
        expect(printed).toEqual(["x=[0. 1.]", "x=[0. 1.]"]);
        for (const d of [d1, d2]) {
          expect(d[0]).toBeCloseTo(1, 6);
          expect(d[1]).toBeCloseTo(Math.cos(1), 6);
        }
      });
    });

    it("scan, reverse scan, while and cond bodies: once per iteration / taken branch", () => {
      on(device, () => {
        const step = (c: Array, x: Array): [Array, Array] => {
          debug.print("c={} x={}", c, x);
          return [c.add(x), c.mul(x)];
        };
        const xs = f32([1, 2, 3]);
        const [c, ys] = jit((v: Array) => lax.scan(step, jnp.float32(0), v))(xs) as [Array, Array];
        expect([c.item(), ys.tolist()]).toEqual([6, [0, 2, 9]]);
        const [cr, ysr] = lax.scan(step, jnp.float32(0), xs, { reverse: true }) as [Array, Array];
        expect([cr.item(), ysr.tolist()]).toEqual([6, [5, 6, 0]]);
        expect(printed.splice(0)).toEqual([
          ...["c=0.0 x=1.0", "c=1.0 x=2.0", "c=3.0 x=3.0"],
          ...["c=0.0 x=3.0", "c=3.0 x=2.0", "c=5.0 x=1.0"],
        ]);
        const w = jit((n: Array) =>
          lax.whileLoop(
            (i: Array) => i.lt(n),
            (i: Array) => {
              debug.print("i={}", i);
              return i.add(1);
            },
            jnp.int32(0),
          ),
        );
        expect(w(jnp.int32(3)).item()).toBe(3);
        expect(printed.splice(0)).toEqual(["i=0", "i=1", "i=2"]);
        const k = jit((p: Array, x: Array) =>
          lax.cond(
            p,
            (v: Array) => (debug.print("true {}", v), v.add(1)),
            (v: Array) => (debug.print("false {}", v), v.sub(1)),
            x,
          ),
        );
        expect(k(true, float(2)).item()).toBe(3);
        expect(k(false, float(2)).item()).toBe(1);
        expect(printed).toEqual(["true 2.0", "false 2.0"]);
      });
    });

    it("debug.callback: arrays, static leaves and pytrees reach the function", () => {
      on(device, () => {
        const seen: unknown[] = [];
        const f = jit((x: Array) => {
          debug.callback(
            (tag: string, p: { a: Array; b: Array[] }) =>
              seen.push([tag, p.a.tolist(), p.b.map((b) => b.tolist())]),
            "tag",
            [{ a: x, b: [x.add(1), 2] }][0]!,
          );
          return x;
        });
        expect(f(f32([1, 2])).tolist()).toEqual([1, 2]);
        expect(seen).toEqual([["tag", [1, 2], [[2, 3], 2]]]);
      });
    });
  });
}

describe("debug.callback argument checks", () => {
  it("rejects a non-callable and a non-boolean ordered", () => {
    expect(() => debug.callback(3 as unknown as () => void)).toThrow(
      /first argument to jax.debug.callback must be callable/,
    );
    expect(() => debug.print("{}", f32([1]), { ordered: "yes" as unknown as boolean })).toThrow(
      TypeError,
    );
  });

  it("runs at once outside transformations, with arrays for JS numbers", () => {
    const got: unknown[] = [];
    debug.callback((a: Array, b: Array) => got.push(a.tolist(), b.dtype.name), 3, f32([1]));
    expect(got).toEqual([3, "float32"]);
  });
});
