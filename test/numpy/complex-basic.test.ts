/**
 * complex64, first slice: creation from `{ re, im }` lists and `lax.complex`, printing as
 * numpy/JAX (str and repr text from test/fixtures/make_complex_basic.py), `toTypedArray` as
 * interleaved pairs, `tolist`/`item` as `{ re, im }`, and lax complex/real/imag/conj/add/sub/
 * mul/neg on both devices, eager and jitted, against numpy (float32 tolerance: 2 ulp-ish
 * relative 1e-6 for products).
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { type Array, jit, lax, numpy as jnp } from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";

interface PrintCase {
  re: number[];
  im: number[];
  shape: number[];
  str: string;
  repr: string;
}
/** JSON has no inf/nan: the fixture writes them as strings. */
const decode = (_k: string, v: unknown) =>
  v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : v;
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/complex_basic.json", import.meta.url), "utf8"),
  decode,
) as {
  prints: Record<string, PrintCase>;
  scalars: { re: number; im: number; str: string }[];
  ops: Record<string, number[]>;
};

const fromParts = (re: number[], im: number[]) =>
  lax.complex(jnp.array(re, "float32"), jnp.array(im, "float32"));

function close(got: Array, want: number[], rtol: number): void {
  expect(got.dtype.name).toBe("complex64");
  const g = globalThis.Array.from(got.toTypedArray() as Float32Array);
  expect(g.length).toBe(want.length);
  g.forEach((v, i) =>
    expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(rtol * (1 + Math.abs(want[i]!))),
  );
}

describe("complex64 arrays: creation and printing", () => {
  for (const [name, c] of Object.entries(fixture.prints)) {
    it(`prints ${name} as numpy and JAX do`, () => {
      const x = fromParts(c.re, c.im).reshape(c.shape);
      expect(String(x)).toBe(c.str);
      expect(x.repr()).toBe(c.repr);
    });
  }
  it("prints scalars as numpy's str()", () => {
    for (const s of fixture.scalars) {
      expect(String(lax.complex(jnp.float32(s.re), jnp.float32(s.im)))).toBe(s.str);
    }
  });
  it("jnp.array of { re, im } lists is complex64; weak scalars print weak_type", () => {
    const x = jnp.array([{ re: 1, im: 2 }, 3]);
    expect(x.dtype.name).toBe("complex64");
    expect(x.weakType).toBe(false);
    expect(String(x)).toBe("[1.+2.j 3.+0.j]");
    const s = jnp.asarray({ re: 1, im: -2 });
    expect(s.repr()).toBe("Array(1.-2.j, dtype=complex64, weak_type=True)");
  });
  it("toTypedArray gives interleaved pairs; tolist/item give { re, im }", () => {
    const x = jnp.array([[{ re: 1, im: 2 }], [{ re: -3, im: 0.5 }]]);
    const t = x.toTypedArray();
    expect(t).toBeInstanceOf(Float32Array);
    expect(globalThis.Array.from(t as Float32Array)).toEqual([1, 2, -3, 0.5]);
    expect(x.tolist()).toEqual([[{ re: 1, im: 2 }], [{ re: -3, im: 0.5 }]]);
    expect(x.get(1, 0).item()).toEqual({ re: -3, im: 0.5 });
    expect(() => Number(x.get(0, 0))).toThrow(TypeError);
  });
  it("jnp.array(list, float32) of complex values drops the imaginary part, as numpy", () => {
    expect(String(jnp.array([{ re: 1.5, im: 2 }], "float32"))).toBe("[1.5]");
  });
});

describe.each(["js", "wasm"])("lax complex ops on the %s device", (device) => {
  const o = fixture.ops;
  const run = <T>(f: () => T) => on(device, f);
  it("complex / real / imag round trip", () =>
    run(() => {
      const z = fromParts(o["xr"]!, o["xi"]!);
      expect(globalThis.Array.from(lax.real(z).toTypedArray() as Float32Array)).toEqual(
        globalThis.Array.from(new Float32Array(o["xr"]!)),
      );
      expect(globalThis.Array.from(lax.imag(z).toTypedArray() as Float32Array)).toEqual(
        globalThis.Array.from(new Float32Array(o["xi"]!)),
      );
      expect(lax.real(z).dtype.name).toBe("float32");
    }));
  for (const op of ["add", "sub", "mul"] as const) {
    it(`${op} matches numpy, eager and jitted`, () =>
      run(() => {
        const x = fromParts(o["xr"]!, o["xi"]!);
        const y = fromParts(o["yr"]!, o["yi"]!);
        const f = (a: Array, b: Array) => lax[op](a, b);
        close(f(x, y), o[op]!, 1e-6);
        close(jit(f)(x, y), o[op]!, 1e-6);
      }));
  }
  it("neg and conj match numpy; conj of a real array is complex with zero imaginary part", () =>
    run(() => {
      const x = fromParts(o["xr"]!, o["xi"]!);
      close(lax.neg(x), o["neg"]!, 0);
      close(lax.conj(x), o["conj"]!, 0);
      close(jit((a: Array) => lax.conj(a))(x), o["conj"]!, 0);
      expect(lax.conj(jnp.array([1, -2], "float32")).tolist()).toEqual([
        { re: 1, im: -0 },
        { re: -2, im: -0 },
      ]);
    }));
  it("fused jit program: broadcasting a complex scalar, slicing, reshaping", () =>
    run(() => {
      const x = fromParts([1, 2, 3, 4], [0.5, -1, 0, 2]);
      const c = jnp.asarray({ re: 0, im: 1 });
      const f = jit((a: Array, s: Array) => lax.mul(a, s).reshape([2, 2]).get(1).add(a.get(0)));
      // i·(3+0j) + (1+0.5j) = 1+3.5j; i·(4+2j) + (1+0.5j) = -1+4.5j
      expect(f(x, c).tolist()).toEqual([
        { re: 1, im: 3.5 },
        { re: -1, im: 4.5 },
      ]);
    }));
  it("promotion: float32 array with a weak complex scalar is complex64", () =>
    run(() => {
      const y = jnp.add(jnp.array([1, 2], "float32"), { re: 0.5, im: -1 });
      expect(y.dtype.name).toBe("complex64");
      expect(y.tolist()).toEqual([
        { re: 1.5, im: -1 },
        { re: 2.5, im: -1 },
      ]);
    }));
});

describe("complex primitives reject bad input with JAX's error class", () => {
  it("lax.complex of ints, lax.real of a float: TypeError", () => {
    expect(() => lax.complex(jnp.array([1]), jnp.array([2]))).toThrow(TypeError);
    expect(() => lax.real(jnp.array([1.5]))).toThrow(/complexfloating/);
  });
});
