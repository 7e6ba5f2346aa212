/**
 * Complex numbers through the transformations and the rest of the API: grad of real functions
 * of complex inputs with JAX's convention (∂f/∂x − i·∂f/∂y, checked against central finite
 * differences along x and y), `holomorphic: true` (against the complex difference quotient),
 * jvp/vjp of holomorphic functions, JAX's dtype errors, vmap vs a loop, the jaxpr text, the
 * promotion lattice entries involving complex (JAX's table), matmul/reductions/creation vs
 * numpy (test/fixtures/make_complex_basic.py; relative 1e-5), on both devices.
 * Finite differences run in complex64 with h = 1e-2 (tolerance 2e-3 relative + 2e-3).
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import {
  type Array,
  grad,
  jit,
  jvp,
  lax,
  makeJaxpr,
  numpy as jnp,
  vjp,
  vmap,
} from "../../src/index.js";
import { promoteTypeInfos } from "../../src/core/promotion.js";
import { toDType } from "../../src/core/dtype.js";
import { NotImplementedError } from "../../src/core/errors.js";
import { on } from "../backend/differential-helpers.js";

type C = { re: number; im: number };
const c = (re: number, im: number): C => ({ re, im });
const carr = (xs: C[]) => jnp.array(xs, "complex64");
const vals = (a: Array): C[] => {
  const t = a.toTypedArray() as Float32Array;
  return globalThis.Array.from({ length: a.size }, (_, i) => c(t[2 * i]!, t[2 * i + 1]!));
};
const near = (got: C[], want: C[], rtol: number, atol: number) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    const err = Math.hypot(g.re - w.re, g.im - w.im);
    expect(err, `element ${i}: got ${g.re}+${g.im}i, want ${w.re}+${w.im}i`).toBeLessThanOrEqual(
      rtol * Math.hypot(w.re, w.im) + atol,
    );
  });
};

const z0 = [c(0.7, 0.4), c(-0.3, 1.1), c(1.5, -0.6)];
const H = 1e-2;

/** f: C^n → R, differentiated with JAX's convention, by central differences. */
function fdRealGrad(f: (z: Array) => Array, z: C[]): C[] {
  const at = (k: number, dz: C) =>
    f(carr(z.map((v, i) => (i === k ? c(v.re + dz.re, v.im + dz.im) : v)))).itemNumber();
  return z.map((_, k) => {
    const dx = (at(k, c(H, 0)) - at(k, c(-H, 0))) / (2 * H);
    const dy = (at(k, c(0, H)) - at(k, c(0, -H))) / (2 * H);
    return c(dx, -dy);
  });
}

/** f: C^n → C holomorphic (summed), its derivative in each z_k by the difference quotient. */
function fdHolo(f: (z: Array) => Array, z: C[]): C[] {
  const at = (k: number, d: number) =>
    vals(f(carr(z.map((v, i) => (i === k ? c(v.re + d, v.im) : v)))))[0]!;
  return z.map((_, k) => {
    const p = at(k, H);
    const m = at(k, -H);
    return c((p.re - m.re) / (2 * H), (p.im - m.im) / (2 * H));
  });
}

const realF = (z: Array) =>
  jnp.sum(
    jnp
      .real(z.mul(jnp.log(z)))
      .add(jnp.abs(jnp.sqrt(z).mul(jnp.tanh(z))))
      .add(jnp.imag(jnp.exp(jnp.conj(z)).div(z))),
  );
const holoF = (z: Array) => jnp.sum(jnp.exp(z).mul(jnp.sin(z)).div(z.mul(z).add(1)));

describe.each(["js", "wasm"])("complex autodiff on %s", (device) => {
  it("grad of a real function of complex inputs: JAX's conjugate convention vs differences", () =>
    on(device, () => {
      const g = grad(realF)(carr(z0));
      expect(g.dtype.name).toBe("complex64");
      near(vals(g), fdRealGrad(realF, z0), 2e-3, 2e-3);
      near(vals(jit(grad(realF))(carr(z0))), vals(g), 1e-5, 1e-6);
      // |z|² has gradient 2·conj(z) under JAX's convention.
      expect(
        grad((w: Array) => jnp.abs(w).mul(jnp.abs(w)))(carr([c(3, 4)]).reshape([])).item(),
      ).toEqual(c(6, -8));
    }));
  it("grad with holomorphic: true is the complex derivative", () =>
    on(device, () => {
      const g = grad(holoF, { holomorphic: true })(carr(z0));
      near(vals(g), fdHolo(holoF, z0), 2e-3, 2e-3);
    }));
  it("jvp and vjp of a holomorphic function multiply by f'(z)", () =>
    on(device, () => {
      const f = (z: Array) => z.mul(jnp.exp(z));
      const z = carr(z0);
      const t = carr([c(1, 0), c(0, 1), c(0.5, -2)]);
      const [y, ty] = jvp(f, [z], [t]);
      near(vals(y), vals(f(z)), 0, 0);
      // f'(z) = (1 + z) e^z
      const fp = z.add(1).mul(jnp.exp(z));
      near(vals(ty), vals(fp.mul(t)), 1e-5, 1e-6);
      const [, back] = vjp(f, z);
      near(vals(back(t)[0]), vals(fp.mul(t)), 1e-5, 1e-6);
    }));
  it("vmap matches a loop", () =>
    on(device, () => {
      const f = (z: Array) => jnp.sqrt(z).mul(lax.conj(z)).add(jnp.abs(z));
      const zs = carr(z0);
      const batched = vmap(f)(zs);
      const looped = jnp.stack(z0.map((v) => f(jnp.asarray(v).astype("complex64"))));
      near(vals(batched), vals(looped), 1e-6, 1e-7);
      near(
        vals(vmap(grad((w: Array) => jnp.abs(jnp.sin(w))))(zs)),
        vals(
          jnp.stack(
            z0.map((v) =>
              grad((w: Array) => jnp.abs(jnp.sin(w)))(jnp.asarray(v).astype("complex64")),
            ),
          ),
        ),
        1e-6,
        1e-7,
      );
    }));
});

describe("complex: JAX's errors", () => {
  it("grad of a complex output without holomorphic: TypeError as JAX's", () => {
    expect(() => grad((w: Array) => w.mul(w))(carr([c(1, 1)]).reshape([]))).toThrow(
      /grad requires real-valued outputs .* but got complex64\. For holomorphic differentiation, pass holomorphic=True/,
    );
  });
  it("holomorphic with real inputs or outputs: TypeError", () => {
    expect(() => grad((w: Array) => w.mul(w), { holomorphic: true })(jnp.float32(1))).toThrow(
      "grad with holomorphic=True requires inputs with complex dtype, but got float32.",
    );
    expect(() =>
      grad((w: Array) => jnp.abs(w), { holomorphic: true })(carr([c(1, 1)]).reshape([])),
    ).toThrow("grad with holomorphic=True requires outputs with complex dtype, but got float32.");
  });
  it("an operation without complex support says so (NotImplementedError naming it)", () => {
    expect(() => lax.reduceMax(carr(z0), [0])).toThrow(NotImplementedError);
    expect(() => lax.reduceMax(carr(z0), [0])).toThrow(/reduce_max/);
  });
});

describe("complex: jaxpr text", () => {
  it("real(z · conj(z)) stages as JAX does", () => {
    const j = makeJaxpr((w: Array) => jnp.real(w.mul(jnp.conj(w))))(carr([c(1, 2)]).reshape([]));
    expect(String(j)).toBe(
      [
        "{ lambda ; a:c64[]. let",
        "    b:c64[] = conj[input_dtype=complex64] a",
        "    c:c64[] = mul a b",
        "    d:f32[] = real c",
        "  in (d,) }",
      ].join("\n"),
    );
  });
});

describe("complex: promotion lattice entries (JAX's table, x64 off)", () => {
  const strong = (d: string) => ({ dtype: toDType(d as "float32"), weakType: false });
  const weak = (d: string) => ({ dtype: toDType(d as "float32"), weakType: true });
  const cases: [string, ReturnType<typeof strong>, ReturnType<typeof strong>, string, boolean][] = [
    ["f32 + c64", strong("float32"), strong("complex64"), "complex64", false],
    ["f16 + c64", strong("float16"), strong("complex64"), "complex64", false],
    ["i32 + c64", strong("int32"), strong("complex64"), "complex64", false],
    ["bool + c64", strong("bool"), strong("complex64"), "complex64", false],
    ["u8 + c64", strong("uint8"), strong("complex64"), "complex64", false],
    ["weak complex + f32", weak("complex64"), strong("float32"), "complex64", false],
    ["weak complex + f16", weak("complex64"), strong("float16"), "complex64", false],
    // As JAX: an int array with a Python complex gives a weakly typed complex.
    ["weak complex + i8", weak("complex64"), strong("int8"), "complex64", true],
    ["weak float + c64", weak("float32"), strong("complex64"), "complex64", false],
    ["weak int + c64", weak("int32"), strong("complex64"), "complex64", false],
    ["weak complex + weak float", weak("complex64"), weak("float32"), "complex64", true],
    ["weak complex + weak int", weak("complex64"), weak("int32"), "complex64", true],
  ];
  for (const [name, a, b, want, w] of cases) {
    it(name, () => {
      const r = promoteTypeInfos([a, b]);
      expect([r.dtype.name, r.weakType]).toEqual([want, w]);
    });
  }
  it("strong promote_types: f64 + c64 = c128, c64 + c128 = c128, i64 + c64 = c64", () => {
    expect(String(jnp.promoteTypes("float64", "complex64"))).toBe("complex128");
    expect(String(jnp.promoteTypes("complex64", "complex128"))).toBe("complex128");
    expect(String(jnp.promoteTypes("int64", "complex64"))).toBe("complex64");
  });
});

interface Fixture {
  reductions: Record<string, number[]>;
}
const fx = JSON.parse(
  readFileSync(new URL("../fixtures/complex_basic.json", import.meta.url), "utf8"),
) as Fixture;
const fromPairs = (p: number[], shape: number[]) =>
  carr(
    globalThis.Array.from({ length: p.length / 2 }, (_, i) => c(p[2 * i]!, p[2 * i + 1]!)),
  ).reshape(shape);
const pairsToC = (p: number[]) =>
  globalThis.Array.from({ length: p.length / 2 }, (_, i) => c(p[2 * i]!, p[2 * i + 1]!));

describe.each(["js", "wasm"])("complex matmul, reductions and creation on %s", (device) => {
  const r = fx.reductions;
  it("matmul (four real dots), eager and jit, vs numpy", () =>
    on(device, () => {
      const A = fromPairs(r["A"]!, [3, 4]);
      const B = fromPairs(r["B"]!, [4, 2]);
      near(vals(jnp.matmul(A, B)), pairsToC(r["matmul"]!), 1e-5, 1e-6);
      near(vals(jit(jnp.matmul)(A, B)), pairsToC(r["matmul"]!), 1e-5, 1e-6);
    }));
  it("sum, prod, mean, vdot, cumsum vs numpy", () =>
    on(device, () => {
      const A = fromPairs(r["A"]!, [3, 4]);
      near(vals(jnp.sum(A, 0)), pairsToC(r["sum0"]!), 1e-5, 1e-6);
      near(vals(jnp.sum(A)), pairsToC(r["sum"]!), 1e-5, 1e-6);
      near(vals(jnp.prod(A, 1)), pairsToC(r["prod1"]!), 1e-5, 1e-6);
      near(vals(jit((a: Array) => jnp.prod(a, 1))(A)), pairsToC(r["prod1"]!), 1e-5, 1e-6);
      near(vals(jnp.mean(A, 1)), pairsToC(r["mean1"]!), 1e-5, 1e-6);
      near(vals(jnp.vdot(A, A)), pairsToC(r["vdot"]!), 1e-5, 1e-6);
      near(vals(jnp.cumsum(A, 1)), pairsToC(r["cumsum1"]!), 1e-5, 1e-6);
      // var of complex values is real: |x − mean|² averaged.
      const v = jnp.var(A, 1);
      expect(v.dtype.name).toBe("float32");
      near(
        (v.tolist() as number[]).map((x) => c(x, 0)),
        pairsToC(r["var1"]!),
        1e-5,
        1e-6,
      );
    }));
  it("zeros, ones, full, arange with a complex dtype; astype both ways", () =>
    on(device, () => {
      expect(jnp.zeros([2], "complex64").tolist()).toEqual([c(0, 0), c(0, 0)]);
      expect(jnp.ones([1, 1], "complex64").tolist()).toEqual([[c(1, 0)]]);
      expect(jnp.full([2], c(1, -2)).tolist()).toEqual([c(1, -2), c(1, -2)]);
      expect(String(jnp.arange(3, "complex64"))).toBe("[0.+0.j 1.+0.j 2.+0.j]");
      expect(jnp.array([1, 2]).astype("complex64").dtype.name).toBe("complex64");
      expect(
        jnp
          .array([c(1.5, 3)])
          .astype("float32")
          .tolist(),
      ).toEqual([1.5]);
    }));
  it("jnp.real/imag/conj/angle/iscomplex/isreal/iscomplexobj/real_if_close", () =>
    on(device, () => {
      const z = carr([c(-1, 0), c(-1, -0), c(0, 2)]);
      expect(jnp.real(z).tolist()).toEqual([-1, -1, 0]);
      expect(jnp.imag(z).tolist()).toEqual([0, -0, 2]);
      expect(jnp.conjugate(z).tolist()).toEqual([c(-1, -0), c(-1, 0), c(0, -2)]);
      const ang = jnp.angle(z).tolist() as number[];
      expect(ang.map((v) => Math.fround(v))).toEqual([
        Math.fround(Math.PI),
        Math.fround(-Math.PI),
        Math.fround(Math.PI / 2),
      ]);
      expect((jnp.angle(z, true).tolist() as number[])[2]).toBeCloseTo(90, 4);
      expect(jnp.iscomplex(z).tolist()).toEqual([false, false, true]);
      expect(jnp.isreal(z).tolist()).toEqual([true, true, false]);
      expect([jnp.iscomplexobj(z), jnp.iscomplexobj(jnp.array([1])), jnp.isrealobj(z)]).toEqual([
        true,
        false,
        false,
      ]);
      expect(jnp.realIfClose(carr([c(1, 1e-7)])).dtype.name).toBe("float32");
      expect(jnp.realIfClose(carr([c(1, 1e-3)])).dtype.name).toBe("complex64");
      expect(jnp.real(jnp.array([1.5])).tolist()).toEqual([1.5]);
    }));
});
