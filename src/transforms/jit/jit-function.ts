/**
 * The machinery of `jit` (the public wrapper is jit.ts): trace once per signature, compile the
 * whole program into fused kernels, cache by function object + receiver + signature (argument
 * avals, static values, trace-affecting config). At top level a call runs the cached executable
 * directly; inside another transformation it stages a `pjit` equation.
 */
import { config } from "../../core/config.js";
import { isTypedArray } from "../../core/dtype.js";
import { treeFlatten, treeUnflatten, type TreeDef } from "../../core/pytree.js";
import { ClosedJaxpr, Jaxpr } from "../../ir/jaxpr.js";
import { Array } from "../../trace/array.js";
import { listArgumentError } from "./list-arg-error.js";
import { traceToJaxpr } from "../../trace/jaxpr-trace.js";
import { type Value, bind, isStaging, isTransforming } from "../../trace/trace.js";
import { anyAxisBound, namedAxesInNestedJaxprs } from "../../trace/axis-env.js";
import { pjitP } from "../../primitives/pjit.js";
import { ArrayImpl, typedArrayToArray } from "../../runtime/array.js";
import { compiledCall } from "../../runtime/compile.js";
import { getDevice } from "../../runtime/devices.js";
import { runCompiled } from "../../runtime/run.js";
import type { Device, DeviceBuffer } from "../../backend/device.js";
import {
  type CacheEntry,
  type DeviceCode,
  type Fresh,
  type FunctionCache,
  type Signature,
  cacheFor,
  clearCaches,
  currentTraceConfig,
  explainMiss,
  logCompile,
  noteFunctionSource,
} from "./cache.js";
import { resolveDonate } from "./argnums.js";
import { functionName, parseParams, type Param } from "../param-names.js";
import { resolveStatic, staticKey } from "./static-args.js";
import { Lowered, Traced } from "./stages.js";
import {
  CallSignature,
  NO_STATICS,
  StaticArg,
  flatTreeDef,
  isLeafValue,
  rejectShapeDtypeStructs,
} from "./signature.js";

export interface JitOptions {
  /** Positions of arguments that are compile-time constants (negative counts from the end). */
  staticArgnums?: number | readonly number[];
  /** Names of parameters that are compile-time constants. */
  staticArgnames?: string | readonly string[];
  /** Arguments whose buffers the call may reuse for outputs; they are unusable afterwards. */
  donateArgnums?: number | readonly number[];
  /** Names of parameters whose buffers the call may reuse (as `donateArgnums`, by name). */
  donateArgnames?: string | readonly string[];
}

/** The flattened view of one call. */
interface CallInfo {
  leaves: Value[];
  signature: Signature;
  args: readonly unknown[];
  /** Positions of the dynamic arguments (undefined: all of them). */
  dynPos: number[] | undefined;
}

export class JitFunction {
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
    this.donate = resolveDonate(
      fun,
      this.params,
      opts.donateArgnums,
      this.staticNums,
      opts.donateArgnames,
    );
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
      const nums = this.presentStatics(args.length);
      statics = nums.map((pos) => new StaticArg(pos, this.paramName(pos), args[pos], this.name));
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
    const signature = new CallSignature(
      (pos) => this.paramName(pos),
      dynArgs,
      dynPos,
      inTree,
      statics,
      leaves,
      currentTraceConfig(),
    );
    return { leaves, signature, args, dynPos };
  }

  /**
   * The static positions present in a call of `nargs` arguments. As JAX's
   * argnums_partial_except(allow_invalid=True), positions beyond the call are skipped: the
   * parameter's default applies inside `f`. A parameter with no default (JS has no other notion
   * of a required parameter) must be passed.
   */
  private presentStatics(nargs: number): number[] {
    const out: number[] = [];
    for (const s of this.staticNums) {
      const n = s < 0 ? s + nargs : s;
      if (n < 0) {
        throw new TypeError(
          `jitted function ${this.name} has staticArgnums=[${this.staticNums.join(", ")}], but was ` +
            `called with only ${nargs} positional argument${nargs === 1 ? "" : "s"}: static position ` +
            `${s} does not exist.`,
        );
      }
      if (n < nargs) {
        out.push(n);
        continue;
      }
      const p = this.params[n];
      if (p && !p.rest && !p.hasDefault) {
        throw new TypeError(
          `jitted function ${this.name} has static argument ${this.paramName(n)} at position ${n}, but was ` +
            `called with only ${nargs} positional argument${nargs === 1 ? "" : "s"}, and ` +
            `${this.paramName(n)} has no default value. Pass it positionally, or give the parameter a ` +
            `default (an omitted static argument with a default is skipped, as in JAX).`,
        );
      }
    }
    return out.length > 1 ? [...new Set(out)].sort((a, b) => a - b) : out;
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
        let out: unknown;
        try {
          out = this.fun.apply(thisArg, this.buildArgs(info, tracers));
        } catch (e) {
          throw listArgumentError(e, this.name, info.args, info.dynPos, (p) => this.paramName(p));
        }
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

  /**
   * The cache for calls on `thisArg` (undefined for plain functions; the instance for `@jit`
   * methods: an implicit static argument compared by identity).
   */
  cacheFor(thisArg: unknown): { cache: FunctionCache; fresh: Fresh } {
    return cacheFor(this.fun, this.optionsKey, thisArg, () => staticKey(thisArg, "this"));
  }

  cacheSize(thisArg: unknown): number {
    return this.cacheFor(thisArg).cache.entries.size;
  }

  /** Clear the entries for `thisArg`, or (`all`) for every receiver. */
  clearCache(thisArg: unknown, all: boolean): void {
    if (all) clearCaches(this.fun, this.optionsKey);
    else {
      const { cache } = this.cacheFor(thisArg);
      cache.entries.clear();
      cache.last = undefined;
    }
  }

  entryFor(thisArg: unknown, info: CallInfo): CacheEntry {
    const { cache, fresh } = this.cacheFor(thisArg);
    const hit = cache.get(info.signature.key);
    if (hit) return hit;
    const count = fresh === "function" ? noteFunctionSource(this.fun) : 0;
    if (config.read("explainCacheMisses")) {
      console.warn(explainMiss(this.name, cache, info.signature, fresh, count));
    }
    const t0 = performance.now();
    const entry = this.trace(thisArg, info);
    const cacheable = !entry.jaxpr.consts.some((c) => !(c instanceof ArrayImpl));
    if (cacheable) cache.set(entry);
    entry.traceMs = performance.now() - t0;
    return entry;
  }

  call(thisArg: unknown, args: unknown[]): unknown {
    if (config.read("disableJit")) return this.fun.apply(thisArg, args);
    const info = this.analyze(args);
    if (info.signature.inTree !== flatTreeDef(info.leaves.length)) {
      rejectShapeDtypeStructs(info.signature, info.leaves);
    }
    const entry = this.entryFor(thisArg, info);
    // Staged when tracing, or when an argument or a closed-over const is a tracer (e.g. of an
    // enclosing grad/vmap): pjit then passes the consts as arguments, as JAX does.
    const staged =
      isStaging() ||
      info.leaves.some(isTracerValue) ||
      entry.jaxpr.consts.some(isTracerValue) ||
      // a collective inside goes to the batch trace of the vmap binding its axis
      (anyAxisBound() && namedAxesInNestedJaxprs({ jaxpr: callJaxpr(entry) }).length > 0);
    const donated = this.donate.length && !staged ? this.donatedArrays(args) : undefined;
    const outs = staged
      ? this.bindPjit(entry, info.leaves)
      : this.execute(entry, info.leaves, donated);
    if (donated) for (const a of donated) a.dispose();
    return treeUnflatten(entry.outTree, outs);
  }

  private bindPjit(entry: CacheEntry, leaves: Value[]): Array[] {
    return bind(pjitP, [...(entry.jaxpr.consts as Value[]), ...leaves], {
      jaxpr: callJaxpr(entry),
      name: this.name,
    });
  }

  /**
   * The entry's code for `device` (the default device), compiled on first use: the code of
   * its call jaxpr, shared with a `pjit` of the same jaxpr reaching the eval trace.
   */
  compiled(entry: CacheEntry, device: Device = getDevice()): DeviceCode {
    const code = (entry.code ??= new Map());
    let dc = code.get(device);
    if (!dc) {
      const t0 = performance.now();
      const compiled = compiledCall(callJaxpr(entry).jaxpr, device);
      dc = { compiled, constBuffers: retainConsts(entry, device) };
      code.set(device, dc);
      if (config.read("logCompiles")) {
        logCompile(this.name, entry.signature, entry.traceMs ?? 0, performance.now() - t0);
      }
    }
    return dc;
  }

  execute(
    entry: CacheEntry,
    leaves: Value[],
    donated?: Set<ArrayImpl>,
    code: DeviceCode = this.compiled(entry),
  ): ArrayImpl[] {
    return runCompiled(code.compiled, {
      consts: code.constBuffers,
      args: leaves,
      inAvals: entry.signature.avals,
      outAvals: entry.jaxpr.outAvals,
      donated,
      what: `jit(${this.name})`,
    });
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
    const entry = this.entryFor(thisArg, info);
    return new Lowered(this, entry, info.signature);
  }

  /** `jit(f).trace(...args)`: the Traced stage (arguments may be ShapeDtypeStructs). */
  traced(thisArg: unknown, args: unknown[]): Traced {
    const info = this.analyze(args);
    const entry = this.entryFor(thisArg, info);
    return new Traced(this, entry, info.signature);
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
  if (device.retain && bufs.length) constOwners.register(entry, bufs);
  return bufs;
}

/**
 * The entry's jaxpr with its consts as leading inputs: what a staged call binds as `pjit`, and
 * what is compiled (the program's inputs are the same either way: consts, then arguments).
 */
function callJaxpr(entry: CacheEntry): ClosedJaxpr {
  if (!entry.pjitJaxpr) {
    const j = entry.jaxpr.jaxpr;
    entry.pjitJaxpr = new ClosedJaxpr(
      new Jaxpr([], [...j.constvars, ...j.invars], j.outvars, j.eqns),
      [],
    );
  }
  return entry.pjitJaxpr;
}

/** A traced (non-concrete) array. */
function isTracerValue(l: unknown): boolean {
  return l instanceof Array && !(l instanceof ArrayImpl);
}
