/**
 * lax.erfc (JAX's erfc primitive with its JVP and batching) and lax.reshape's `dimensions`
 * (a transpose before the reshape, staged as JAX's reshape_p param). References: python3 +
 * numpy 2 (math.erfc per element; the numpy expression is given with each).
 */
import { describe, expect, it } from "vitest";
import { config, grad, jit, lax, makeJaxpr, numpy as jnp, vmap } from "../../src/index.js";

const xs = [-3, -0.5, 0, 0.3, 1, 4, 10];
// [math.erfc(float(v)) for v in np.array(xs, np.float32)]
const erfcRef = [
  1.9999779095030015, 1.5204998778130465, 1.0, 0.6713732282472846, 0.15729920705028513,
  1.541725790028002e-8, 2.088487583762545e-45,
];
// [-2/math.sqrt(math.pi)*math.exp(-float(v)**2) for v in np.array(xs, np.float32)]
const dErfcRef = [
  -0.00013925305194674786, -0.8787825789354448, -1.1283791670955126, -1.03126090224281,
  -0.4151074974205947, -1.2698234671866558e-7, -4.197656231354417e-44,
];
const f32 = (v: number) => Math.fround(v);

function within(got: number[], want: number[], ulps: number) {
  got.forEach((g, i) => {
    const w = f32(want[i]!);
    const ulp = Math.max(Math.abs(w) * 2 ** -23, 1.401298464324817e-45);
    expect(Math.abs(g - w), `element ${i}: ${g} vs ${w}`).toBeLessThanOrEqual(ulps * ulp);
  });
}

describe("lax.erfc", () => {
  for (const device of ["wasm", "js"] as const) {
    it(`values on the ${device} device, eager and jitted`, () => {
      const prev = config.read("defaultDevice");
      config.update("defaultDevice", device);
      try {
        const x = jnp.array(xs, "float32");
        within(lax.erfc(x).tolist() as number[], erfcRef, 2);
        within(jit(lax.erfc)(x).tolist() as number[], erfcRef, 2);
      } finally {
        config.update("defaultDevice", prev);
      }
    });
  }

  it("is one primitive: erfc a", () => {
    expect(makeJaxpr(lax.erfc)(jnp.zeros([3])).toString()).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = erfc a in (b,) }",
    );
  });

  it("JVP -2/√π·exp(-x²), batched elementwise", () => {
    const d = grad((x: jnp.ndarray) => lax.erfc(x));
    within(vmap(d)(jnp.array(xs, "float32")).tolist() as number[], dErfcRef, 4);
    expect(makeJaxpr(d)(jnp.float32(1)).toString()).toContain("_:f32[] = erfc a");
  });

  it("rejects integers as lax.erf does", () => {
    expect(() => lax.erfc(jnp.array([1, 2]))).toThrow(TypeError);
  });
});

describe("lax.reshape with dimensions", () => {
  const x = jnp.arange(6).reshape(2, 3);

  it("transposes by dimensions before the row-major reshape", () => {
    // np.arange(6).reshape(2, 3).T.reshape(6).tolist(), .T.reshape(3, 2).tolist()
    expect(lax.reshape(x, [6], [1, 0]).tolist()).toEqual([0, 3, 1, 4, 2, 5]);
    expect(jit((a: jnp.ndarray) => lax.reshape(a, [3, 2], [1, 0]))(x).tolist()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    // np.arange(24).reshape(2, 3, 4).transpose(2, 0, 1).reshape(4, 6).tolist()
    expect(lax.reshape(jnp.arange(24).reshape(2, 3, 4), [4, 6], [2, 0, 1]).tolist()).toEqual([
      [0, 4, 8, 12, 16, 20],
      [1, 5, 9, 13, 17, 21],
      [2, 6, 10, 14, 18, 22],
      [3, 7, 11, 15, 19, 23],
    ]);
  });

  it("stages reshape[dimensions=... new_sizes=...]; identity dimensions are None", () => {
    expect(makeJaxpr((a: jnp.ndarray) => lax.reshape(a, [6], [1, 0]))(x).toString()).toBe(
      [
        "{ lambda ; a:i32[2,3]. let",
        "    b:i32[6] = reshape[dimensions=(1, 0) new_sizes=(6,)] a",
        "  in (b,) }",
      ].join("\n"),
    );
    expect(makeJaxpr((a: jnp.ndarray) => lax.reshape(a, [3, 2], [0, 1]))(x).toString()).toBe(
      [
        "{ lambda ; a:i32[2,3]. let",
        "    b:i32[3,2] = reshape[dimensions=None new_sizes=(3, 2)] a",
        "  in (b,) }",
      ].join("\n"),
    );
    const same = jnp.ones([2, 3]);
    expect(lax.reshape(same, [2, 3], [0, 1])).toBe(same);
  });

  it("transposes (JAX's _reshape_transpose_rule) and batches", () => {
    const w = jnp.arange(6).astype("float32");
    const f = (a: jnp.ndarray) => jnp.sum(lax.reshape(a, [6], [1, 0]).mul(w));
    // np.arange(6.).reshape(3, 2).T.tolist()
    expect(grad(f)(x.astype("float32")).tolist()).toEqual([
      [0, 2, 4],
      [1, 3, 5],
    ]);
    expect(makeJaxpr(grad(f))(x.astype("float32")).toString()).toContain(
      [
        "    g:f32[3,2] = reshape[dimensions=None new_sizes=(3, 2)] f",
        "    h:f32[2,3] = transpose[permutation=(1, 0)] g",
      ].join("\n"),
    );
    const xb = jnp.arange(24).reshape(4, 2, 3);
    // np.stack([b.T.reshape(6) for b in np.arange(24).reshape(4, 2, 3)]).tolist()
    expect(vmap((a: jnp.ndarray) => lax.reshape(a, [6], [1, 0]))(xb).tolist()).toEqual([
      [0, 3, 1, 4, 2, 5],
      [6, 9, 7, 10, 8, 11],
      [12, 15, 13, 16, 14, 17],
      [18, 21, 19, 22, 20, 23],
    ]);
    expect(
      makeJaxpr(vmap((a: jnp.ndarray) => lax.reshape(a, [6], [1, 0])))(xb).toString(),
    ).toContain("reshape[dimensions=(0, 2, 1) new_sizes=(4, 6)] a");
  });

  it("rejects dimensions that are not a permutation, with JAX's TypeError", () => {
    expect(() => lax.reshape(x, [6], [0, 0])).toThrow(
      "reshape dimensions must be a permutation of operand dimensions, got dimensions (0, 0) for shape (2, 3).",
    );
  });
});
