/**
 * Runs numpy-reference cases from a fixture JSON (test/fixtures/make_*.py): decodes the
 * arguments (nested lists → arrays: int32 when every number is an integer, else float32;
 * "nan"/"inf"/"-inf" strings → numbers), calls the function eagerly and under jit (array
 * arguments traced, the rest closed over) on the wasm and js devices, and compares with the
 * float64 reference at float32 tolerances (rtol 2e-5, atol 2e-6 unless the case says).
 */
import { expect } from "vitest";
import { type Array, config, jit, numpy as jnp } from "../../src/index.js";

export interface FixtureCase {
  name: string;
  fn: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  expected: unknown;
}
export type CaseFn = (args: unknown[], kwargs: Record<string, unknown>) => unknown;

const num = (v: unknown): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);

function flatNums(x: unknown, out: number[] = []): number[] {
  if (globalThis.Array.isArray(x)) for (const v of x) flatNums(v, out);
  else out.push(num(x));
  return out;
}
function decodeList(x: unknown): unknown {
  return globalThis.Array.isArray(x) ? x.map(decodeList) : num(x);
}

/** A fixture value as the function's argument: lists become arrays. */
export function decode(x: unknown): unknown {
  if (globalThis.Array.isArray(x)) {
    const allInt = flatNums(x).every((v) => Number.isInteger(v));
    const isBool =
      flatNums(x).length > 0 && JSON.stringify(x).match(/^[[\]\s,truefals]*$/) !== null;
    return jnp.array(decodeList(x) as number[], isBool ? "bool" : allInt ? "int32" : "float32");
  }
  if (x !== null && typeof x === "object") {
    // `axis` stays a JS list; other lists become arrays.
    return Object.fromEntries(
      Object.entries(x).map(([k, v]) => [k, k === "axis" ? decodeList(v) : decode(v)]),
    );
  }
  return typeof x === "string" ? (["nan", "inf", "-inf"].includes(x) ? num(x) : x) : x;
}

function compare(name: string, got: unknown, want: unknown, rtol: number, atol: number): void {
  if (globalThis.Array.isArray(got)) {
    // A list of arrays (histogram's [counts, edges], average's [avg, weightSum], …).
    expect(
      globalThis.Array.isArray(want) && want.length === got.length,
      `${name}: list length`,
    ).toBe(true);
    got.forEach((g, i) => compare(`${name}[${i}]`, g, (want as unknown[])[i], rtol, atol));
    return;
  }
  const arr = got as Array;
  const w = flatNums(want);
  const g = [...arr.toTypedArray()].map(Number);
  expect(g.length, `${name}: size`).toBe(w.length);
  const wantShape: number[] = [];
  for (let x: unknown = want; globalThis.Array.isArray(x); x = x[0]) wantShape.push(x.length);
  if (w.length > 0) expect(arr.shape, `${name}: shape`).toEqual(wantShape);
  for (let i = 0; i < w.length; i++) {
    const [a, b] = [g[i]!, w[i]!];
    if (Number.isNaN(b)) expect(Number.isNaN(a), `${name}[${i}] = ${a}, want nan`).toBe(true);
    else if (!Number.isFinite(b)) expect(a, `${name}[${i}]`).toBe(b);
    else
      expect(Math.abs(a - b), `${name}[${i}] = ${a}, want ${b}`).toBeLessThanOrEqual(
        atol + rtol * Math.abs(b),
      );
  }
}

/** Run one case eagerly and under jit on both devices. */
export function runCase(
  c: FixtureCase,
  fns: Record<string, CaseFn>,
  opts: { jit?: boolean; rtol?: number; atol?: number } = {},
): void {
  const f = fns[c.fn];
  if (!f) throw new Error(`no function for fixture fn ${c.fn}`);
  const rtol = opts.rtol ?? 2e-5;
  const atol = opts.atol ?? 2e-6;
  for (const device of ["wasm", "js"]) {
    const prev = config.read("defaultDevice");
    config.update("defaultDevice", device);
    try {
      const args = c.args.map(decode);
      const kwargs = decode(c.kwargs) as Record<string, unknown>;
      compare(`${c.name} (${device}, eager)`, f(args, kwargs), c.expected, rtol, atol);
      if (opts.jit ?? true) {
        const isArr = args.map((a) => a instanceof jnp.ndarray);
        const traced = jit((...xs: Array[]) => {
          let k = 0;
          return f(
            args.map((a, i) => (isArr[i] ? xs[k++] : a)),
            kwargs,
          ) as Array;
        });
        compare(
          `${c.name} (${device}, jit)`,
          traced(...(args.filter((_, i) => isArr[i]) as Array[])),
          c.expected,
          rtol,
          atol,
        );
      }
    } finally {
      config.update("defaultDevice", prev);
    }
  }
}
