/**
 * The axis environment (JAX's `core.get_axis_env()`): the named axes of the enclosing
 * `vmap(f, { axisName })` calls, innermost last, each with its size and the main trace that
 * binds it. Collectives look their axes up here: to check they are bound (abstract
 * evaluation), to learn their sizes (`psum` of a constant), and to route `bind` to the batch
 * trace of each axis they name (`bindAbove`).
 */
import { NameError } from "../core/errors.js";
import type { JaxprParts, Params } from "../ir/atoms.js";
import { nestedJaxprs } from "../ir/effects.js";

/** What a frame needs of the vmap's main trace (trace.ts's MainTrace; no import: no cycle). */
export interface AxisMain {
  readonly level: number;
  readonly active: boolean;
}

/** One named axis: its name, size and the main trace of the vmap that binds it. */
export interface AxisFrame {
  readonly name: string;
  readonly size: number;
  readonly main: AxisMain;
}

const frames: AxisFrame[] = [];

/** Run `body` with `frame` bound (an inner frame shadows an outer one of the same name). */
export function withAxisFrame<T>(frame: AxisFrame, body: () => T): T {
  frames.push(frame);
  try {
    return body();
  } finally {
    frames.pop();
  }
}

/** The innermost live frame named `name`, or undefined. */
export function findAxisFrame(name: string): AxisFrame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i]!;
    if (f.name === name && f.main.active) return f;
  }
  return undefined;
}

/** JAX's abstract-eval check: every named (non-integer) axis is bound by an enclosing vmap. */
export function checkAxisNames(axes: readonly (string | number)[], apiName: string): void {
  for (const a of axes) {
    if (typeof a === "string" && !findAxisFrame(a)) {
      throw new NameError(
        `Found an unbound axis name: ${a}. To fix this, please call ${apiName} under \`jax.shard_map\`.`,
      );
    }
  }
}

/** The size of named axis `name` (JAX's `axis_env.axis_size`): NameError when unbound. */
export function axisSize(name: string): number {
  const f = findAxisFrame(name);
  if (!f) throw new NameError(`unbound axis name: ${name}`);
  return f.size;
}

/** The main traces of the named axes among `axes` (the floors for `bindAbove`). */
export function axisMains(axes: readonly (string | number)[]): AxisMain[] {
  const out: AxisMain[] = [];
  for (const a of axes) {
    if (typeof a !== "string") continue;
    const f = findAxisFrame(a);
    if (f) out.push(f.main);
  }
  return out;
}

/**
 * The bound axes as a cache key (`i:4,j:2`): tracing depends on them (axis sizes become
 * constants, e.g. pmean's divisor), so jit keys its cache on them as JAX does.
 */
export function axisEnvKey(): string {
  return frames.map((f) => `${f.name}:${f.size}`).join(",");
}

/** Whether any named axis is bound (bind looks for collectives in nested jaxprs only then). */
export function anyAxisBound(): boolean {
  return frames.length > 0;
}

/** The primitives that name axes (JAX's collectives with named-axis effects). */
export const COLLECTIVE_PRIMITIVES: ReadonlySet<string> = new Set([
  "psum",
  "pmax",
  "pmin",
  "axis_index",
  "all_gather",
  "reduce_scatter",
  "ppermute",
  "all_to_all",
]);

/** Names in a collective's params (`axes`, or `axis_name` as a string or a list). */
export function namesInParams(params: Params): string[] {
  const v = (params["axes"] ?? params["axis_name"]) as unknown;
  const list = typeof v === "string" ? [v] : globalThis.Array.isArray(v) ? (v as unknown[]) : [];
  return list.filter((a): a is string => typeof a === "string");
}

const namesCache = new WeakMap<JaxprParts, ReadonlySet<string>>();
function namesInJaxpr(j: JaxprParts): ReadonlySet<string> {
  let r = namesCache.get(j);
  if (!r) {
    const acc = new Set<string>();
    for (const e of j.eqns) {
      if (COLLECTIVE_PRIMITIVES.has(e.primitive.name))
        for (const n of namesInParams(e.params)) acc.add(n);
      for (const n of namedAxesInNestedJaxprs(e.params)) acc.add(n);
    }
    namesCache.set(j, (r = acc));
  }
  return r;
}

/**
 * The axis names that collectives inside an equation's nested jaxprs (pjit, scan, cond, …)
 * use (JAX's named-axis effects): such an equation belongs to those axes' batch traces even
 * when none of its operands is batched.
 */
export function namedAxesInNestedJaxprs(params: Params): string[] {
  const out = new Set<string>();
  for (const j of nestedJaxprs(params)) for (const n of namesInJaxpr(j)) out.add(n);
  return [...out];
}
