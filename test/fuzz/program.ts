/**
 * The fuzzer's programs: straight-line jnp code as text. A program is its inputs (each a
 * `jnp.array(...)` expression with literal data), its lines (`const vK = <expr>`, each expr
 * calling jnp on earlier names) and the names it returns. The same text is what runs (through
 * `new Function`) and what a failure prints, so a printed reproducer is exactly the program
 * that failed.
 */
import { type Array, config, numpy as jnp, lax } from "../../src/index.js";

/** Deterministic pseudo-random numbers (mulberry32) with the helpers the generator uses. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

export interface Aval {
  readonly shape: readonly number[];
  readonly dtype: string;
}
export const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
export const isFloat = (d: string): boolean => d.startsWith("float");
export const isIntDtype = (d: string): boolean => d.startsWith("int") || d.startsWith("uint");

export interface Input {
  readonly name: string;
  readonly aval: Aval;
  /** A JS expression building the array (`jnp.array([...], { dtype }).reshape([...])`). */
  readonly expr: string;
}
export interface Line {
  readonly name: string;
  readonly expr: string;
  /** The aval the reference run gave it (used by the shrinker). */
  readonly aval: Aval;
}
export interface Program {
  readonly x64: boolean;
  readonly inputs: readonly Input[];
  readonly lines: readonly Line[];
  readonly outputs: readonly string[];
}

const lit = (v: number, dtype: string): string => {
  if (dtype === "bool") return v ? "true" : "false";
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return String(v);
};

/** Literal data for an input of `aval`: floats on a grid of eighths (ties happen) and now and
 * then NaN/±Inf/−0 (`special`), or continuous (`smooth`, for gradient checks). */
export function inputExpr(r: Rng, aval: Aval, mode: "grid" | "smooth"): string {
  const n = sizeOf(aval.shape);
  const d = aval.dtype;
  const special = mode === "grid" && r.chance(0.1);
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    if (d === "bool") vals.push(r.int(0, 1));
    else if (d.startsWith("uint")) vals.push(r.int(0, 12));
    else if (isIntDtype(d)) vals.push(r.int(-6, 6));
    else if (mode === "smooth") vals.push(Math.round((r.next() * 4 - 2) * 1e6) / 1e6);
    else if (special && r.chance(0.1)) vals.push(r.pick([NaN, Infinity, -Infinity, -0]));
    else vals.push(r.int(-20, 20) / 8);
  }
  const shape = `[${aval.shape.join(", ")}]`;
  if (n === 0) return `jnp.zeros(${shape}, "${d}")`;
  const data = `jnp.array([${vals.map((v) => lit(v, d)).join(", ")}], { dtype: "${d}" })`;
  return aval.shape.length === 1 ? data : `${data}.reshape(${shape})`;
}

/** Runs `f` with `device` as the default device. */
export function on<T>(device: string, f: () => T): T {
  const prev = config.read("defaultDevice");
  config.update("defaultDevice", device);
  try {
    return f();
  } finally {
    config.update("defaultDevice", prev);
  }
}

type Built = (...xs: Array[]) => Array[];
// The text's free names: `jnp` and `lax`.
const evalExpr = (expr: string): Array =>
  (new Function("jnp", "lax", `return ${expr};`) as (j: unknown, l: unknown) => Array)(jnp, lax);

/** The program's inputs, made on `device`. */
export const makeInputs = (p: Program, device: string): Array[] =>
  on(device, () => p.inputs.map((i) => evalExpr(i.expr)));

/** The program's function body (the lines and the return), as JS/TS text. */
export const bodyText = (p: Program): string =>
  [
    ...p.lines.map((l) => `  const ${l.name} = ${l.expr};`),
    `  return [${p.outputs.join(", ")}];`,
  ].join("\n");

/** The program as a JS function of its inputs. */
export function buildFunction(p: Program): Built {
  const names = p.inputs.map((i) => i.name);
  const make = new Function("jnp", "lax", `return (${names.join(", ")}) => {\n${bodyText(p)}\n};`);
  return (make as (j: unknown, l: unknown) => Built)(jnp, lax);
}

/** One expression evaluated with `env` bound to its names (the generator's incremental run). */
export function evalLine(expr: string, env: Map<string, Array>): Array {
  const names = [...env.keys()];
  const f = new Function("jnp", "lax", ...names, `return ${expr};`);
  return (f as (...a: unknown[]) => Array)(jnp, lax, ...env.values());
}

/** Copy-pasteable TypeScript reproducing the program on both devices, eager and jitted. */
export function toTypeScript(p: Program): string {
  const params = p.inputs.map((i) => `${i.name}: Array`).join(", ");
  const args = p.inputs.map((i) => i.name).join(", ");
  return [
    `import { type Array, config, jit, lax, numpy as jnp } from "jaxts";`,
    ...(p.x64 ? [`config.update("enableX64", true);`] : []),
    `const f = (${params}): Array[] => {`,
    bodyText(p),
    `};`,
    `for (const device of ["js", "wasm"]) {`,
    `  config.update("defaultDevice", device);`,
    ...p.inputs.map((i) => `  const ${i.name} = ${i.expr};`),
    `  console.log(device, "eager", f(${args}).map(String));`,
    `  console.log(device, "jit", jit(f)(${args}).map(String));`,
    `}`,
  ].join("\n");
}
