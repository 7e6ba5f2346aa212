/**
 * Runs a program four ways — the reference (js device, eager), the wasm device eagerly, and jit
 * on the js and on the wasm device — and says where they disagree: a run that raises where the
 * reference did not (or the reverse), or an output differing in shape, dtype, weak type or value.
 * Integer and bool values must match exactly; float values within a tolerance relative to the
 * output's largest magnitude (fused kernels evaluate float32/float16 chains in double and round
 * once, eager rounds every op): float64 1e-9, float32 1e-4, 2e-2 when float16 is anywhere in the
 * program. NaN must meet NaN and ±Inf the same infinity.
 */
import { type Array, jit } from "../../src/index.js";
import { type Program, buildFunction, makeInputs, on } from "./program.js";

export const MODES = ["js eager", "wasm eager", "js jit", "wasm jit"] as const;
export type Mode = (typeof MODES)[number];

export interface Failure {
  readonly mode: string;
  readonly message: string;
}

const describe = (e: unknown): string =>
  e instanceof Error ? `${e.constructor.name}: ${e.message.split("\n")[0]}` : String(e);

/** Runs `p` in one mode; the outputs, or the error it raised. */
export function runMode(p: Program, mode: Mode): Array[] | { error: unknown } {
  const device = mode.startsWith("js") ? "js" : "wasm";
  const f = buildFunction(p);
  try {
    return on(device, () => {
      const xs = makeInputs(p, device);
      return mode.endsWith("jit") ? (jit(f)(...xs) as Array[]) : f(...xs);
    });
  } catch (error) {
    return { error };
  }
}

/** The relative tolerance for a float output of `p`. */
export function tolerance(p: Program, dtype: string): number {
  const all = [...p.inputs.map((i) => i.aval.dtype), ...p.lines.map((l) => l.aval.dtype)];
  if (all.includes("float16") || dtype === "float16") return 2e-2;
  if (all.includes("float32") || dtype === "float32") return 1e-4;
  return 1e-9;
}

/** Why `got` differs from `want` (first difference), or null when they agree. */
export function difference(p: Program, got: Array, want: Array): string | null {
  if (got.shape.join() !== want.shape.join())
    return `shape [${got.shape}] vs reference [${want.shape}]`;
  if (got.dtype.name !== want.dtype.name) return `dtype ${got.dtype.name} vs ${want.dtype.name}`;
  if (got.weakType !== want.weakType) return `weakType ${got.weakType} vs ${want.weakType}`;
  const x = got.toTypedArray();
  const y = want.toTypedArray();
  const float = want.dtype.isFloat;
  let scale = 1;
  if (float)
    for (const v of y) if (Number.isFinite(Number(v))) scale = Math.max(scale, Math.abs(Number(v)));
  const tol = float ? tolerance(p, want.dtype.name) * scale : 0;
  for (let i = 0; i < y.length; i++) {
    const u = Number(x[i]);
    const v = Number(y[i]);
    if (x[i] === y[i] || (Number.isNaN(u) && Number.isNaN(v))) continue;
    if (float && Number.isFinite(u) && Number.isFinite(v) && Math.abs(u - v) <= tol) continue;
    return `element ${i}: ${String(x[i])} vs reference ${String(y[i])}`;
  }
  return null;
}

/** Every disagreement of `p` with its reference (the reference is recomputed unless given). */
export function check(p: Program, reference?: Array[]): Failure | null {
  const ref = reference ?? runMode(p, "js eager");
  for (const mode of MODES.slice(1)) {
    const got = runMode(p, mode);
    if ("error" in ref || "error" in got) {
      if ("error" in ref && "error" in got) continue;
      const message =
        "error" in got
          ? `raised ${describe(got.error)} where the reference returned`
          : `returned where the reference raised ${describe((ref as { error: unknown }).error)}`;
      return { mode, message };
    }
    for (let k = 0; k < ref.length; k++) {
      const d = difference(p, got[k]!, ref[k]!);
      if (d !== null) return { mode, message: `output ${k} (${p.outputs[k]}): ${d}` };
    }
  }
  return null;
}

export { describe as describeError };
