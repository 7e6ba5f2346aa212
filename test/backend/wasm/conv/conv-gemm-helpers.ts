/**
 * Helpers for the wasm implicit-GEMM convolution tests: random conv configurations wide
 * enough to take the GEMM path (groups of ≥ 3 outputs, several MR row tiles, contiguous and
 * strided feature runs), running one on a device (eager or jit), which kernels the wasm device
 * compiled it to, and the float32 tolerance against the js device.
 *
 * Tolerance: the js device sums products in float64 and rounds once; the wasm GEMM sums in
 * float32 in blocked order. Per element |wasm − js| ≤ 1e-5·Σ|terms| + 1e-6, where Σ|terms| is
 * the same convolution of |lhs| and |rhs| (computed on the js device): a reassociated float32
 * sum of k terms errs by ≤ k·ε·Σ|terms| in the worst case (ε = 6e-8, k ≤ 600 here) and by
 * about √k·ε typically.
 */
import { expect } from "vitest";
import { type Array, jit, lax, numpy as jnp } from "../../../../src/index.js";
import { on } from "../../differential-helpers.js";
import type { ConvPadding } from "../../../../src/lax/conv.js";

export interface GemmCase {
  lhsShape: number[];
  rhsShape: number[];
  strides: number[];
  padding: ConvPadding;
  lhsDilation: number[];
  rhsDilation: number[];
  dn: [string, string, string];
  featureGroupCount: number;
  batchGroupCount: number;
}

function shuffled(r: () => number, chars: string[]): string {
  const c = [...chars];
  for (let i = c.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [c[i], c[j]] = [c[j]!, c[i]!];
  }
  return c.join("");
}

/** A random case; `layouts` false keeps NH…C / H…IO / NH…C. */
export function randomGemmCase(r: () => number, layouts: boolean): GemmCase {
  const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const nsp = pick(1, 3);
  const spatial = "HWD".slice(0, nsp).split("");
  const mode = r();
  const G = mode < 0.2 ? pick(2, 3) : 1;
  const B = mode > 0.85 ? 2 : 1;
  const cin = pick(1, nsp === 3 ? 5 : 9);
  const O = pick(3, 11) * G * B;
  const N = pick(1, 3) * B;
  const maxSize = nsp === 3 ? 5 : nsp === 2 ? 9 : 17;
  const win = spatial.map(() => pick(1, 3));
  const rhsDilation = spatial.map(() => (r() < 0.25 ? 2 : 1));
  const lhsDilation = spatial.map(() => (r() < 0.2 ? pick(2, 3) : 1));
  const strides = spatial.map(() => (r() < 0.3 ? pick(2, 3) : 1));
  const sizes = spatial.map((_, s) =>
    Math.max(pick(1, maxSize), (win[s]! - 1) * rhsDilation[s]! + 1),
  );
  // String padding with lhs dilation is an error in JAX: explicit pairs then.
  const form = lhsDilation.some((d) => d > 1) ? 1 : r();
  const padding: GemmCase["padding"] =
    form < 0.2
      ? "SAME"
      : form < 0.3
        ? "SAME_LOWER"
        : form < 0.45
          ? "VALID"
          : sizes.map((n): [number, number] => [
              pick(n >= 3 ? -1 : 0, 2),
              pick(n >= 3 ? -1 : 0, 2),
            ]);
  const dn: [string, string, string] = layouts
    ? [
        shuffled(r, ["N", "C", ...spatial]),
        shuffled(r, ["O", "I", ...spatial]),
        shuffled(r, ["N", "C", ...spatial]),
      ]
    : [
        ["N", ...spatial, "C"].join(""),
        [...spatial, "I", "O"].join(""),
        ["N", ...spatial, "C"].join(""),
      ];
  const place = (spec: string, a: string, b: string, canon: number[]) =>
    [...spec].map((ch) =>
      ch === a ? canon[0]! : ch === b ? canon[1]! : canon[2 + spatial.indexOf(ch)]!,
    );
  return {
    lhsShape: place(dn[0], "N", "C", [N, cin * G, ...sizes]),
    rhsShape: place(dn[1], "O", "I", [O, cin, ...win]),
    strides,
    padding,
    lhsDilation,
    rhsDilation,
    dn,
    featureGroupCount: G,
    batchGroupCount: B,
  };
}

export const describeCase = (c: GemmCase) =>
  `${c.dn.join("/")} lhs ${c.lhsShape} rhs ${c.rhsShape} strides ${c.strides} ` +
  `pad ${JSON.stringify(c.padding)} ld ${c.lhsDilation} rd ${c.rhsDilation} ` +
  `G ${c.featureGroupCount} B ${c.batchGroupCount}`;

export function convOf(c: GemmCase): (lhs: Array, rhs: Array) => Array {
  return (lhs, rhs) =>
    lax.convGeneralDilated(lhs, rhs, c.strides, c.padding, {
      lhsDilation: c.lhsDilation,
      rhsDilation: c.rhsDilation,
      dimensionNumbers: c.dn,
      featureGroupCount: c.featureGroupCount,
      batchGroupCount: c.batchGroupCount,
    });
}

/** Deterministic float32 data in [-1, 1) on multiples of 1/64 (exact products). */
export function data(r: () => number, shape: readonly number[]): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return jnp
    .array(Float32Array.from({ length: n }, () => Math.round((r() * 2 - 1) * 64) / 64))
    .reshape([...shape]);
}

/** `f(...args)` on a device, eager or jitted, as host float32 values and the shape. */
export function runOn(
  device: string,
  mode: "eager" | "jit",
  f: (...xs: Array[]) => Array,
  args: readonly Array[],
): { shape: number[]; values: Float32Array } {
  return on(device, () => {
    const moved = args.map((a) => jnp.asarray(a.toTypedArray()).reshape([...a.shape]));
    const out = mode === "jit" ? jit(f)(...moved) : f(...moved);
    return { shape: [...out.shape], values: out.toTypedArray() as Float32Array };
  });
}

/** The wasm device's kernel summary lines for `jit(f)` at `args`. */
export function wasmKernels(f: (...xs: Array[]) => Array, args: readonly Array[]): string[] {
  return on("wasm", () =>
    jit(f)
      .lower(...args)
      .compile()
      .asText()
      .split("\n")
      .filter((l) => /^kernel \d+ /.test(l)),
  );
}

/** |got − want| ≤ 1e-5·bound + 1e-6 per element (bound: Σ|terms|, see the header). */
export function expectClose(
  got: { shape: number[]; values: Float32Array },
  want: { shape: number[]; values: Float32Array },
  bound: Float32Array,
  what: string,
): void {
  expect(got.shape, what).toEqual(want.shape);
  for (let i = 0; i < want.values.length; i++) {
    const d = Math.abs(got.values[i]! - want.values[i]!);
    if (!(d <= 1e-5 * bound[i]! + 1e-6))
      expect.fail(
        `${what}: element ${i}: ${got.values[i]} vs ${want.values[i]} (Σ|terms| ${bound[i]})`,
      );
  }
}
