/**
 * jit's compilation caches: one per function object (held weakly, so functions that die take
 * their compiled code with them) and jit options; each an LRU over call signatures.
 * Also `explainCacheMisses` and `logCompiles` reporting.
 */
import type { ShapedArray } from "../core/aval.js";
import { config } from "../core/config.js";
import type { TreeDef } from "../core/pytree.js";
import type { ClosedJaxpr } from "../ir/jaxpr.js";
import { LruCache } from "../runtime/lru.js";
import type { Compiled } from "../runtime/compile.js";
import type { DeviceBuffer } from "../backend/device.js";

/** What a call looked like: for cache keys and for explaining misses. */
export interface Signature {
  readonly key: string;
  readonly inTree: TreeDef;
  readonly avals: readonly ShapedArray[];
  /** Names of the flattened dynamic inputs (x, params['w'], …). */
  readonly argNames: readonly string[];
  /** Static arguments: position, name, key, shown value. */
  readonly statics: readonly { pos: number; name: string; key: string; shown: string }[];
}

export interface CacheEntry {
  readonly signature: Signature;
  readonly jaxpr: ClosedJaxpr;
  readonly outTree: TreeDef;
  /** The jaxpr with consts as leading inputs, for staging as pjit. */
  pjitJaxpr?: ClosedJaxpr;
  compiled?: Compiled;
  constBuffers?: DeviceBuffer[];
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

const caches = new WeakMap<Function, Map<string, FunctionCache>>();
/** Source texts of functions ever jitted, to recognize "a fresh closure each call". */
const seenSources = new Map<string, number>();

export function cacheFor(
  f: Function,
  optionsKey: string,
): { cache: FunctionCache; isNew: boolean } {
  let byOpts = caches.get(f);
  if (!byOpts) caches.set(f, (byOpts = new Map()));
  let cache = byOpts.get(optionsKey);
  const isNew = !cache;
  if (!cache) byOpts.set(optionsKey, (cache = new FunctionCache()));
  return { cache, isNew };
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

function describeArg(name: string, a: ShapedArray): string {
  return `${name}: ${a.str()}${a.weakType ? " (weakly typed)" : ""}`;
}

/** Why `sig` missed the cache of `cache` (one line per reason). */
export function explainMiss(
  fnName: string,
  cache: FunctionCache,
  sig: Signature,
  freshFunction: boolean,
  sameSourceCount: number,
): string {
  const head = `TRACING CACHE MISS at ${fnName} because:`;
  if (freshFunction) {
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
  sig.statics.forEach((s, i) => {
    const p = prev.statics[i];
    if (!p || p.key !== s.key)
      reasons.push(
        `static argument ${s.name} changed from ${p ? p.shown : "<absent>"} to ${s.shown}`,
      );
  });
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
