/**
 * jit's compilation caches: one per function object (held weakly, so functions that die take
 * their compiled code with them), jit options and receiver (`this` of a `@jit` method, held
 * weakly too); each an LRU over call signatures. A signature includes the trace-affecting
 * config (`jax_enable_x64`), as JAX's trace context. Compiled code is kept per device.
 * Also `explainCacheMisses` and `logCompiles` reporting.
 */
import type { ShapedArray } from "../../core/aval.js";
import { config } from "../../core/config.js";
import type { TreeDef } from "../../core/pytree.js";
import type { ClosedJaxpr } from "../../ir/jaxpr.js";
import { LruCache } from "../../runtime/lru.js";
import type { Compiled } from "../../runtime/compile.js";
import type { Device, DeviceBuffer } from "../../backend/device.js";
import type { ConfigValues } from "../../core/config.js";
import { anyAxisBound, axisEnvKey } from "../../trace/axis-env.js";

/**
 * Config options that change what tracing produces (dtypes of literals and defaults), so a
 * change must retrace: JAX's trace context. (`defaultDevice` changes only compilation: compiled
 * code is kept per device. `disableJit` bypasses the cache.)
 */
export const TRACE_CONFIG: readonly (readonly [keyof ConfigValues, string])[] = [
  ["enableX64", "jax_enable_x64"],
  ["eagerConstantFolding", "jax_eager_constant_folding"],
];

/** The current trace-affecting config: its values and their key (recomputed on change). */
export interface TraceConfig {
  readonly key: string;
  readonly values: readonly unknown[];
}
let traceConfig: TraceConfig = readTraceConfig();
function readTraceConfig(): TraceConfig {
  const values = TRACE_CONFIG.map(([name]) => config.read(name));
  return { key: values.map(String).join(","), values };
}
config.onChange((name) => {
  if (TRACE_CONFIG.some(([n]) => n === name)) traceConfig = readTraceConfig();
});
export function currentTraceConfig(): TraceConfig {
  // The named axes of enclosing vmaps affect tracing (collectives): part of the key.
  if (!anyAxisBound()) return traceConfig;
  const axes = axisEnvKey();
  return { key: `${traceConfig.key}|axes=${axes}`, values: [...traceConfig.values, axes] };
}

/** What a call looked like: for cache keys and for explaining misses. */
export interface Signature {
  readonly key: string;
  readonly inTree: TreeDef;
  readonly avals: readonly ShapedArray[];
  /** Names of the flattened dynamic inputs (x, params['w'], …). */
  readonly argNames: readonly string[];
  /** Static arguments passed: position, name, key, shown value. */
  readonly statics: readonly { pos: number; name: string; key: string; shown: string }[];
  /** The trace-affecting config when the call was made. */
  readonly config: TraceConfig;
}

/** Compiled code of an entry for one device, with the constants' buffers on that device. */
export interface DeviceCode {
  readonly compiled: Compiled;
  readonly constBuffers: DeviceBuffer[];
}

export interface CacheEntry {
  readonly signature: Signature;
  readonly jaxpr: ClosedJaxpr;
  readonly outTree: TreeDef;
  /** The jaxpr with consts as leading inputs, for staging as pjit. */
  pjitJaxpr?: ClosedJaxpr;
  /** Compiled code per device (a small map: usually one device). */
  code?: Map<Device, DeviceCode>;
  traceMs?: number;
}

export class FunctionCache {
  readonly entries = new LruCache<string, CacheEntry>(config.read("jitCacheSize"));
  /** The most recent entry, to explain what changed on a miss. */
  last: CacheEntry | undefined;
  get(key: string): CacheEntry | undefined {
    return this.entries.get(key);
  }
  set(e: CacheEntry): void {
    this.entries.set(e.signature.key, e);
    this.last = e;
  }
}

/** The caches of one function under one set of options: receiver-less calls and per receiver. */
class OptionCaches {
  plain: FunctionCache | undefined;
  byObject = new WeakMap<object, FunctionCache>();
  byPrimitive = new Map<string, FunctionCache>();
}

let caches = new WeakMap<Function, Map<string, OptionCaches>>();
/** Source texts of functions ever jitted, to recognize "a fresh closure each call". */
const seenSources = new Map<string, number>();

/** Why a cache was just created: never-seen function, or a known method on a new receiver. */
export type Fresh = "function" | "receiver" | undefined;

/**
 * The cache for calls of `f` (with these options) on `receiver`: `undefined` for plain
 * functions; the instance for `@jit` methods (an implicit static argument compared by
 * identity, so each instance has its own entries and they die with it).
 */
export function cacheFor(
  f: Function,
  optionsKey: string,
  receiver?: unknown,
  primitiveKey?: () => string,
): { cache: FunctionCache; fresh: Fresh } {
  let byOpts = caches.get(f);
  if (!byOpts) caches.set(f, (byOpts = new Map()));
  let oc = byOpts.get(optionsKey);
  const newFunction = !oc;
  if (!oc) byOpts.set(optionsKey, (oc = new OptionCaches()));
  let cache: FunctionCache | undefined;
  if (receiver === undefined) {
    cache = oc.plain ??= new FunctionCache();
  } else if (
    (typeof receiver === "object" && receiver !== null) ||
    typeof receiver === "function"
  ) {
    cache = oc.byObject.get(receiver);
    if (!cache) oc.byObject.set(receiver, (cache = new FunctionCache()));
    else return { cache, fresh: undefined };
    return { cache, fresh: newFunction ? "function" : "receiver" };
  } else {
    const k = primitiveKey!();
    cache = oc.byPrimitive.get(k);
    if (!cache) oc.byPrimitive.set(k, (cache = new FunctionCache()));
    else return { cache, fresh: undefined };
    return { cache, fresh: newFunction ? "function" : "receiver" };
  }
  return { cache, fresh: newFunction ? "function" : undefined };
}

/** Drop every jitted function's cache (for `clearCaches`). */
export function clearAllJitCaches(): void {
  caches = new WeakMap();
  seenSources.clear();
}

/** Drop every cache of `f` under these options (all receivers). */
export function clearCaches(f: Function, optionsKey: string): void {
  caches.get(f)?.delete(optionsKey);
}

export function noteFunctionSource(f: Function): number {
  let src: string;
  try {
    src = Function.prototype.toString.call(f);
  } catch {
    return 0;
  }
  const n = (seenSources.get(src) ?? 0) + 1;
  if (seenSources.size > 10_000) seenSources.clear();
  seenSources.set(src, n);
  return n;
}

function pyValue(v: unknown): string {
  return typeof v === "boolean" ? (v ? "True" : "False") : String(v);
}

function describeArg(name: string, a: ShapedArray): string {
  return `${name}: ${a.str()}${a.weakType ? " (weakly typed)" : ""}`;
}

/** Why `sig` missed the cache of `cache` (one line per reason). */
export function explainMiss(
  fnName: string,
  cache: FunctionCache,
  sig: Signature,
  fresh: Fresh,
  sameSourceCount: number,
): string {
  const head = `TRACING CACHE MISS at ${fnName} because:`;
  if (fresh === "receiver") {
    return (
      `${head}\n  first call on this receiver: \`this\` of a jitted method is an implicit static ` +
      `argument compared by identity, so each instance compiles its own code.`
    );
  }
  if (fresh === "function") {
    if (sameSourceCount > 1) {
      return (
        `${head}\n  a new function object each call — jit called on a fresh closure inside a loop? ` +
        `${sameSourceCount} function objects with this source were jitted. Define the function once ` +
        `outside the loop (or jit it once and reuse the result) so calls share one cache.`
      );
    }
    return `${head}\n  never seen function ${fnName} (first call).`;
  }
  const prev = cache.last?.signature;
  if (!prev) return `${head}\n  no previous compilation to compare with.`;
  const reasons: string[] = [];
  TRACE_CONFIG.forEach(([, flag], i) => {
    const was = prev.config.values[i];
    const now = sig.config.values[i];
    if (was !== now) reasons.push(`config ${flag} changed from ${pyValue(was)} to ${pyValue(now)}`);
  });
  if (!prev.inTree.equals(sig.inTree)) {
    reasons.push(
      `the pytree structure of the arguments changed from ${prev.inTree.toString()} to ${sig.inTree.toString()}`,
    );
  } else {
    sig.avals.forEach((a, i) => {
      const p = prev.avals[i]!;
      if (a.equals(p)) return;
      const name = sig.argNames[i] || `argument ${i}`;
      const what: string[] = [];
      if (a.shape.join() !== p.shape.join())
        what.push(`shape (${p.shape.join(", ")}) → (${a.shape.join(", ")})`);
      if (a.dtype !== p.dtype) what.push(`dtype ${p.dtype.name} → ${a.dtype.name}`);
      if (a.weakType !== p.weakType)
        what.push(`weak_type ${p.weakType ? "True" : "False"} → ${a.weakType ? "True" : "False"}`);
      reasons.push(`for ${describeArg(name, a)}: ${what.join(", ")}`);
    });
  }
  const positions = new Set([...sig.statics, ...prev.statics].map((s) => s.pos));
  for (const pos of [...positions].sort((a, b) => a - b)) {
    const s = sig.statics.find((t) => t.pos === pos);
    const p = prev.statics.find((t) => t.pos === pos);
    if (s && p && s.key === p.key) continue;
    const name = (s ?? p)!.name;
    reasons.push(
      `static argument ${name} changed from ${p ? p.shown : "<omitted>"} to ${s ? s.shown : "<omitted>"}`,
    );
  }
  if (reasons.length === 0)
    reasons.push("the signature was evicted from the cache (LRU, size config.jitCacheSize)");
  return `${head}\n  ${reasons.join("\n  ")}`;
}

export function logCompile(
  fnName: string,
  sig: Signature,
  traceMs: number,
  compileMs: number,
): void {
  const shapes = sig.avals.map((a) => a.toString()).join(", ");
  const statics = sig.statics.map((s) => `${s.name}=${s.shown}`).join(", ");
  console.warn(
    `Compiling ${fnName} with global shapes and types [${shapes}]${statics ? `, static ${statics}` : ""}: ` +
      `traced in ${traceMs.toFixed(2)} ms, compiled in ${compileMs.toFixed(2)} ms.`,
  );
}
