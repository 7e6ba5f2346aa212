/**
 * `jit`: trace once per signature, compile the whole program into fused kernels, cache by
 * function object + signature. At top level a call runs the cached executable directly; inside
 * another transformation it stages a `pjit` equation.
 */
import type { ShapedArray } from "../core/aval.js";
import { config } from "../core/config.js";
import { isTypedArray } from "../core/dtype.js";
import { treeFlatten, treeLeafPaths, treeUnflatten, type TreeDef } from "../core/pytree.js";
import { ClosedJaxpr, Jaxpr } from "../ir/jaxpr.js";
import { Array } from "../trace/array.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import { type Value, bind, isStaging, isTransforming, scalarAval } from "../trace/trace.js";
import { pjitP } from "../primitives/pjit.js";
import { ArrayImpl, typedArrayToArray } from "../runtime/array.js";
import { compileJaxpr } from "../runtime/compile.js";
import { getDevice } from "../runtime/devices.js";
import { argBuffer } from "../runtime/eager.js";
import type { Device, DeviceBuffer } from "../backend/device.js";
import {
  type CacheEntry,
  type FunctionCache,
  type Signature,
  cacheFor,
  explainMiss,
  logCompile,
  noteFunctionSource,
} from "./jit-cache.js";
import { functionName, parseParams, type Param } from "./param-names.js";
import { resolveStatic, staticKey } from "./static-args.js";
import { Lowered } from "./stages.js";

export interface JitOptions {
  /** Positions of arguments that are compile-time constants (negative counts from the end). */
  staticArgnums?: number | readonly number[];
  /** Names of parameters that are compile-time constants. */
  staticArgnames?: string | readonly string[];
  /** Arguments whose buffers the call may reuse for outputs; they are unusable afterwards. */
  donateArgnums?: number | readonly number[];
}

export interface Jitted<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** Trace and lower for these arguments without running: `.asText()`, `.compile()`. */
  lower(...args: Parameters<F>): Lowered;
  /** Number of compiled signatures cached for this function and options. */
  cacheSize(): number;
  clearCache(): void;
  /** The wrapped function. */
  readonly fun: F;
}

/** The flattened view of one call. */
interface CallInfo {
  leaves: Value[];
  signature: Signature;
  args: readonly unknown[];
  /** Positions of the dynamic arguments (undefined: all of them). */
  dynPos: number[] | undefined;
}

/** A static argument: its cache key now, its display only when asked. */
class StaticArg {
  readonly key: string;
  constructor(
    readonly pos: number,
    readonly name: string,
    private readonly value: unknown,
  ) {
    this.key = staticKey(value, `Static argument ${name} (position ${pos})`);
  }
  get shown(): string {
    return showStatic(this.value);
  }
}
const NO_STATICS: StaticArg[] = [];

/** A call's signature; argument names (for messages) are derived only when needed. */
class CallSignature implements Signature {
  readonly key: string;
  readonly avals: ShapedArray[];
  private names: string[] | undefined;
  constructor(
    private readonly jf: JitFunction,
    private readonly args: readonly unknown[],
    private readonly dynArgs: readonly unknown[],
    private readonly dynPos: number[] | undefined,
    readonly inTree: TreeDef,
    readonly statics: readonly StaticArg[],
    leaves: readonly Value[],
  ) {
    const avals = new globalThis.Array<ShapedArray>(leaves.length);
    let key = inTree.key;
    for (let i = 0; i < leaves.length; i++) {
      const a = leafAval(leaves[i], this, i);
      avals[i] = a;
      key += `|${a.key}`;
    }
    for (const st of statics) key += `|${st.pos}=${st.key}`;
    this.key = key;
    this.avals = avals;
  }
  get argNames(): string[] {
    return (this.names ??= treeLeafPaths(this.dynArgs, isLeafValue).map((p) => {
      const m = /^\[(\d+)\](.*)$/.exec(p);
      if (!m) return p;
      const pos = this.dynPos ? this.dynPos[Number(m[1])]! : Number(m[1]);
      return `${this.jf.paramNameOf(pos)}${m[2]}`;
    }));
  }
}

function leafAval(leaf: unknown, sig: { readonly argNames: string[] }, i: number): ShapedArray {
  if (leaf instanceof Array) return leaf.aval;
  if (typeof leaf === "number" || typeof leaf === "boolean" || typeof leaf === "bigint")
    return scalarAval(leaf);
  throw new TypeError(
    `Argument '${sig.argNames[i]}' of type ${leaf === null ? "null" : typeof leaf === "object" ? ((leaf as object).constructor?.name ?? "object") : typeof leaf} ` +
      `is not a valid JAX type. Pass arrays, numbers or booleans (or pytrees of them), or mark the ` +
      `argument static with staticArgnums/staticArgnames.`,
  );
}

const isLeafValue = (x: unknown) => x instanceof Array || isTypedArray(x);

/** The structure of a flat list of n leaves (cached: it is the common case). */
const flatTreeDefs: TreeDef[] = [];
function flatTreeDef(n: number): TreeDef {
  return (flatTreeDefs[n] ??= treeFlatten(new globalThis.Array(n).fill(0))[1]);
}

class JitFunction {
  readonly name: string;
  readonly params: Param[];
  readonly staticNums: number[];
  readonly donate: number[];
  readonly optionsKey: string;

  constructor(
    readonly fun: Function,
    readonly opts: JitOptions,
  ) {
    this.name = functionName(fun);
    this.params = parseParams(fun);
    this.staticNums = resolveStatic(fun, this.params, opts.staticArgnums, opts.staticArgnames);
    const d = opts.donateArgnums;
    this.donate = d === undefined ? [] : typeof d === "number" ? [d] : [...d];
    this.optionsKey = `s${this.staticNums.join(",")}|d${this.donate.join(",")}`;
  }

  private paramName(i: number): string {
    return this.params[i]?.name ?? `args[${i}]`;
  }

  /** Split a call into dynamic leaves and static values. */
  analyze(args: readonly unknown[]): CallInfo {
    let statics: StaticArg[] = NO_STATICS;
    let dynArgs = args as unknown[];
    let dynPos: number[] | undefined;
    if (this.staticNums.length) {
      const nums = this.staticNums.map((n) => (n < 0 ? n + args.length : n));
      for (const n of nums) {
        if (n >= args.length || n < 0) {
          throw new TypeError(
            `jitted function ${this.name} has static argument ${this.paramName(n)} at position ${n}, but was ` +
              `called with only ${args.length} positional argument${args.length === 1 ? "" : "s"}. ` +
              `All static arguments must be passed positionally.`,
          );
        }
      }
      statics = nums.map((pos) => new StaticArg(pos, this.paramName(pos), args[pos]));
      dynPos = [];
      for (let i = 0; i < args.length; i++) if (!nums.includes(i)) dynPos.push(i);
      dynArgs = dynPos.map((i) => args[i]);
    }
    // Fast path: a flat list of arrays and scalars needs no pytree traversal.
    let flat = true;
    for (const a of dynArgs) {
      if (!(a instanceof Array || typeof a === "number" || typeof a === "boolean")) flat = false;
    }
    let leaves: Value[];
    let inTree: TreeDef;
    if (flat) {
      leaves = dynArgs as Value[];
      inTree = flatTreeDef(dynArgs.length);
    } else {
      const [raw, tree] = treeFlatten<unknown>(dynArgs, isLeafValue);
      leaves = raw.map((l) => (isTypedArray(l) ? typedArrayToArray(l) : l)) as Value[];
      inTree = tree;
    }
    const signature = new CallSignature(this, args, dynArgs, dynPos, inTree, statics, leaves);
    return { leaves, signature, args, dynPos };
  }

  /** The full argument list for a call, with `leaves` in place of the dynamic arguments. */
  buildArgs(info: CallInfo, leaves: readonly unknown[]): unknown[] {
    const dyn = treeUnflatten<unknown[]>(info.signature.inTree, leaves);
    if (!info.dynPos) return dyn;
    const full = [...info.args];
    info.dynPos.forEach((p, i) => (full[p] = dyn[i]));
    return full;
  }

  paramNameOf(i: number): string {
    return this.paramName(i);
  }

  /** Trace `fun` for a signature. */
  trace(thisArg: unknown, info: CallInfo): CacheEntry {
    let outTree: TreeDef | undefined;
    const levelText = isTransforming() ? undefined : "0/1";
    const jaxpr = traceToJaxpr(
      (tracers) => {
        const out = this.fun.apply(thisArg, this.buildArgs(info, tracers));
        const [outLeaves, tree] = treeFlatten<unknown>(out, isLeafValue);
        outTree = tree;
        return outLeaves.map((l, i) => {
          if (l instanceof Array || typeof l === "number" || typeof l === "boolean") return l;
          if (isTypedArray(l)) return typedArrayToArray(l);
          throw new TypeError(
            `jitted function ${this.name} returned a value of type ${typeof l} at output leaf ${i}; ` +
              `outputs must be arrays, numbers, booleans or pytrees of them.`,
          );
        });
      },
      info.signature.avals,
      { fnName: this.name, transform: "jit", argNames: info.signature.argNames },
      levelText,
    );
    return { signature: info.signature, jaxpr, outTree: outTree! };
  }

  entryFor(thisArg: unknown, info: CallInfo, cache: FunctionCache, isNew: boolean): CacheEntry {
    const hit = cache.get(info.signature.key);
    if (hit) return hit;
    if (config.read("explainCacheMisses")) {
      const count = isNew ? noteFunctionSource(this.fun) : 0;
      console.warn(explainMiss(this.name, cache, info.signature, isNew, count));
    } else if (isNew) noteFunctionSource(this.fun);
    const t0 = performance.now();
    const entry = this.trace(thisArg, info);
    const cacheable = !entry.jaxpr.consts.some((c) => !(c instanceof ArrayImpl));
    if (cacheable) cache.set(entry);
    (entry as { traceMs?: number }).traceMs = performance.now() - t0;
    return entry;
  }

  call(thisArg: unknown, args: unknown[]): unknown {
    if (config.read("disableJit")) return this.fun.apply(thisArg, args);
    const info = this.analyze(args);
    const { cache, isNew } = cacheFor(
      this.fun,
      this.optionsKey + (thisArg === undefined ? "" : `|this=${staticKey(thisArg, "this")}`),
    );
    const entry = this.entryFor(thisArg, info, cache, isNew);
    // Staged when tracing, or when an argument or a closed-over const is a tracer (e.g. of an
    // enclosing grad/vmap): pjit then passes the consts as arguments, as JAX does.
    const staged =
      isStaging() || info.leaves.some(isTracerValue) || entry.jaxpr.consts.some(isTracerValue);
    const donated = this.donate.length && !staged ? this.donatedArrays(args) : undefined;
    const outs = staged
      ? this.bindPjit(entry, info.leaves)
      : this.execute(entry, info.leaves, donated);
    if (donated) for (const a of donated) a.dispose();
    return treeUnflatten(entry.outTree, outs);
  }

  private bindPjit(entry: CacheEntry, leaves: Value[]): Array[] {
    if (!entry.pjitJaxpr) {
      const j = entry.jaxpr.jaxpr;
      entry.pjitJaxpr = new ClosedJaxpr(
        new Jaxpr([], [...j.constvars, ...j.invars], j.outvars, j.eqns),
        [],
      );
    }
    return bind(pjitP, [...(entry.jaxpr.consts as Value[]), ...leaves], {
      jaxpr: entry.pjitJaxpr,
      name: this.name,
    });
  }

  compiled(entry: CacheEntry) {
    const device = getDevice();
    if (!entry.compiled || entry.compiled.device !== device) {
      const t0 = performance.now();
      if (entry.compiled) releaseConsts(entry);
      entry.compiled = compileJaxpr(entry.jaxpr.jaxpr, device);
      entry.constBuffers = retainConsts(entry, device);
      if (config.read("logCompiles")) {
        logCompile(
          this.name,
          entry.signature,
          (entry as { traceMs?: number }).traceMs ?? 0,
          performance.now() - t0,
        );
      }
    }
    return entry.compiled;
  }

  execute(entry: CacheEntry, leaves: Value[], donated?: Set<ArrayImpl>): ArrayImpl[] {
    const compiled = this.compiled(entry);
    const device = compiled.device;
    const avals = entry.signature.avals;
    const nConsts = entry.constBuffers!.length;
    const inputs = entry.constBuffers!.slice();
    const temps: DeviceBuffer[] = [];
    for (let i = 0; i < leaves.length; i++)
      inputs.push(argBuffer(leaves[i]!, avals[i]!, device, temps));
    const options =
      donated && donated.size
        ? {
            donate: inputs.map(
              (_, j) => j >= nConsts && donated.has(leaves[j - nConsts] as ArrayImpl),
            ),
          }
        : undefined;
    const outs = compiled.executable.run(inputs, options);
    const outAvals = entry.jaxpr.outAvals;
    const result = outs.map((b, i) => new ArrayImpl(outAvals[i]!, b));
    for (const t of temps) device.dropUnowned?.(t);
    return result;
  }

  /** The arrays passed in donated positions (disposed after the call; outputs may reuse them). */
  private donatedArrays(args: unknown[]): Set<ArrayImpl> {
    const out = new Set<ArrayImpl>();
    for (const i of this.donate) {
      const [leaves] = treeFlatten<unknown>(args[i < 0 ? i + args.length : i], isLeafValue);
      for (const l of leaves) if (l instanceof ArrayImpl) out.add(l);
    }
    return out;
  }

  lower(thisArg: unknown, args: unknown[]): Lowered {
    const info = this.analyze(args);
    const { cache, isNew } = cacheFor(this.fun, this.optionsKey);
    const entry = this.entryFor(thisArg, info, cache, isNew);
    return new Lowered(this, entry, info.signature);
  }
}

/**
 * A compiled entry owns references to its constants' buffers (copied to the executable's
 * device when they live elsewhere), so disposing the arrays a function closed over cannot pull
 * memory from under the cached executable; the references go when the entry is collected.
 */
const constOwners = new FinalizationRegistry<DeviceBuffer[]>((bufs) => {
  for (const b of bufs) b.device.release?.(b);
});

function retainConsts(entry: CacheEntry, device: Device): DeviceBuffer[] {
  const bufs = entry.jaxpr.consts.map((c) => {
    let b = (c as ArrayImpl).buffer;
    if (b.device !== device) b = device.fromHost(b.device.toHost(b), b.dtype);
    device.retain?.(b);
    return b;
  });
  if (device.retain && bufs.length) constOwners.register(entry, bufs, entry);
  return bufs;
}

function releaseConsts(entry: CacheEntry): void {
  constOwners.unregister(entry);
  for (const b of entry.constBuffers ?? []) b.device.release?.(b);
  entry.constBuffers = undefined;
}

/** A traced (non-concrete) array. */
function isTracerValue(l: unknown): boolean {
  return l instanceof Array && !(l instanceof ArrayImpl);
}

function showStatic(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return `<function ${functionName(v)}>`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export type { JitFunction };

function makeJitted<F extends (...args: any[]) => any>(
  f: F,
  opts: JitOptions,
  bindThis = false,
): Jitted<F> {
  if (typeof f !== "function") throw new TypeError(`jit expects a function, got ${typeof f}.`);
  const jf = new JitFunction(f, opts);
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return jf.call(bindThis ? this : undefined, args);
  } as unknown as Jitted<F>;
  Object.defineProperty(wrapped, "name", { value: jf.name });
  Object.assign(wrapped, {
    fun: f,
    lower(this: unknown, ...args: unknown[]) {
      return jf.lower(bindThis ? this : undefined, args);
    },
    cacheSize: () => cacheFor(f, jf.optionsKey).cache.entries.size,
    clearCache: () => cacheFor(f, jf.optionsKey).cache.entries.clear(),
  });
  return wrapped;
}

type Decorator = <F extends (...args: any[]) => any>(
  f: F,
  context?: ClassMethodDecoratorContext,
) => Jitted<F>;

/**
 * `jit(f, opts?)` — also `jit(opts, f)` (so `partial(jit, opts)(f)` works), `jit(opts)` as a
 * decorator factory, and `@jit` / `@jit({...})` on class methods (TC39 decorators; `this` is
 * treated as a static argument compared by identity).
 */
export function jit<F extends (...args: any[]) => any>(f: F, opts?: JitOptions): Jitted<F>;
export function jit<F extends (...args: any[]) => any>(opts: JitOptions, f: F): Jitted<F>;
export function jit(opts: JitOptions): Decorator;
export function jit<F extends (...args: any[]) => any>(
  f: F,
  context: ClassMethodDecoratorContext,
): Jitted<F>;
export function jit(a: unknown, b?: unknown): unknown {
  if (typeof a === "function") {
    if (b && typeof b === "object" && (b as { kind?: string }).kind === "method") {
      return makeJitted(a as (...args: any[]) => any, {}, true);
    }
    return makeJitted(a as (...args: any[]) => any, (b as JitOptions) ?? {});
  }
  const opts = (a ?? {}) as JitOptions;
  if (typeof b === "function") return makeJitted(b as (...args: any[]) => any, opts);
  return ((f: (...args: any[]) => any, context?: ClassMethodDecoratorContext) =>
    makeJitted(f, opts, context?.kind === "method")) as Decorator;
}

/** functools.partial: `partial(f, a)(b)` is `f(a, b)`. */
export function partial<A extends unknown[], R>(
  f: (...args: any[]) => R,
  ...bound: A
): (...rest: any[]) => R {
  return (...rest: unknown[]) => f(...bound, ...rest);
}
