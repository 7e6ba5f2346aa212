/**
 * `pureCallback(fn, resultShapeDtypes, ...args, { vmapMethod })` and
 * `ioCallback(fn, resultShapeDtypes, ...args, { ordered })`: call a JS function with concrete
 * arrays from inside traced code and use its results, declared up front as a pytree of
 * ShapeDtypeStructs (or arrays). Staged as JAX's `pure_callback[...]` / `io_callback[...]`
 * and run by the host interpreter on the calling thread (runtime/host-run.ts). The function's
 * results are checked against the declaration (JAX's RuntimeError for a wrong count, shape or
 * dtype); JS numbers and TypedArrays are taken in the declared dtype.
 */
import { ShapedArray } from "../../core/aval.js";
import { type DType, canonicalize, isTypedArray } from "../../core/dtype.js";
import { RuntimeError, ValueError } from "../../core/errors.js";
import { isPlainObject, treeFlatten, treeUnflatten } from "../../core/pytree.js";
import { ShapeDtypeStruct } from "../../core/shape-dtype-struct.js";
import { shapeStr } from "../../core/shape.js";
import { Array } from "../../trace/array.js";
import { bind } from "../../trace/trace.js";
import { HostCallback } from "../../primitives/callback.js";
import { type VmapMethod, ioCallbackP, pureCallbackP } from "../../primitives/callback-results.js";
import { arrayFromHost } from "../../runtime/array.js";
import { flattenValues } from "../pytree-args.js";

/** Options of `pureCallback` (JAX's keyword arguments of `jax.pure_callback`). */
export interface PureCallbackOptions {
  /** How vmap calls the function (JAX's vmap_method); unset: vmap raises NotImplementedError. */
  vmapMethod?: "sequential" | "expand_dims" | "broadcast_all";
}
/** Options of `ioCallback` (JAX's keyword arguments of `jax.experimental.io_callback`). */
export interface IoCallbackOptions {
  /** Keep the order relative to other ordered effects (effect OrderedIO); cannot be vmapped. */
  ordered?: boolean;
}

type Fn = (...args: never[]) => unknown;

const isResultLeaf = (x: unknown) => x instanceof ShapeDtypeStruct || x instanceof Array;

/** The declared results: flat avals and their tree. */
function resultAvals(decl: unknown, what: string) {
  const [leaves, tree] = treeFlatten<unknown>(decl, isResultLeaf);
  const avals = leaves.map((l) => {
    if (l instanceof Array) return l.aval.strongType();
    if (l instanceof ShapeDtypeStruct) {
      if (canonicalize(l.dtype) !== l.dtype) {
        throw new ValueError(
          "result_shape_dtypes cannot specify 64-bit types when `jax_enable_x64` is disabled",
        );
      }
      return new ShapedArray(l.shape, l.dtype);
    }
    throw new TypeError(
      `${what}: result_shape_dtypes must be a pytree of ShapeDtypeStructs or arrays, got a leaf of type ${typeof l}.`,
    );
  });
  return { avals, tree };
}

/** A returned leaf as an array of the declared aval (JAX's checks, RuntimeError). */
function checkResult(x: unknown, aval: ShapedArray, i: number): Array {
  const mismatch = (what: string, exp: string, got: string) =>
    new RuntimeError(
      `Incorrect output ${what} for return value #${i}: Expected: ${exp}, Actual: ${got}`,
    );
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
    if (aval.ndim !== 0) throw mismatch("shape", shapeStr(aval.shape), "()");
    const data = new aval.dtype.storage(1);
    data[0] = (aval.dtype.isBig ? BigInt(x) : Number(x)) as never;
    return arrayFromHost(data, [], aval.dtype);
  }
  if (isTypedArray(x)) {
    if (x.length !== aval.size) throw mismatch("shape", shapeStr(aval.shape), `(${x.length},)`);
    return arrayFromHost(new aval.dtype.storage(x as never), aval.shape, aval.dtype as DType);
  }
  if (!(x instanceof Array)) {
    throw new RuntimeError(
      `Callback returned a value of type ${typeof x} for return value #${i}; expected an array.`,
    );
  }
  if (x.shape.length !== aval.ndim || x.shape.some((d, k) => d !== aval.shape[k])) {
    throw mismatch("shape", shapeStr(aval.shape), shapeStr(x.shape));
  }
  if (x.dtype !== aval.dtype) throw mismatch("dtype", aval.dtype.name, x.dtype.name);
  return x;
}

function flatCallback(fn: Fn, inTree: ReturnType<typeof flattenValues>[1], label: string) {
  return new HostCallback((vals, avals) => {
    const out = (fn as (...a: unknown[]) => unknown)(
      ...treeUnflatten<unknown[]>(inTree, [...vals]),
    );
    const [leaves] = treeFlatten<unknown>(out, (x) => x instanceof Array || isTypedArray(x));
    if (leaves.length !== avals.length) {
      throw new RuntimeError(
        `Mismatched number of outputs from callback. Expected: ${avals.length}, Actual: ${leaves.length}`,
      );
    }
    return leaves.map((l, i) => checkResult(l, avals[i]!, i));
  }, label);
}

function trailingOptions(
  args: unknown[],
  keys: readonly string[],
): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  if (
    isPlainObject(last) &&
    Object.keys(last).length > 0 &&
    Object.keys(last).every((k) => keys.includes(k))
  ) {
    return [args.slice(0, -1), last];
  }
  return [args, {}];
}

function checkFn(fn: unknown, what: string): void {
  if (typeof fn !== "function") {
    throw new TypeError(
      `${what}: the callback must be callable, got ${fn === null ? "null" : typeof fn}.`,
    );
  }
}

/** `jax.pure_callback(callback, result_shape_dtypes, *args, vmap_method=…)`. */
export function pureCallback(fn: Fn, resultShapeDtypes: unknown, ...rest: unknown[]): unknown {
  checkFn(fn, "pure_callback");
  const [args, opts] = trailingOptions(rest, ["vmapMethod"]);
  const method = opts.vmapMethod;
  const allowed = ["sequential", "expand_dims", "broadcast_all"];
  if (method !== undefined && !allowed.includes(method as string)) {
    throw new ValueError(
      `vmap_method must be on of the allowed methods ${JSON.stringify([...allowed, null])}, but got: ${String(method)}`,
    );
  }
  const { avals, tree } = resultAvals(resultShapeDtypes, "pure_callback");
  const [leaves, inTree] = flattenValues(args, "pure_callback argument");
  const outs = bind(pureCallbackP, leaves, {
    callback: flatCallback(fn, inTree, "pure_callback.<locals>._flat_callback"),
    result_avals: avals,
    sharding: null,
    vmap_method: (method ?? null) as VmapMethod,
  });
  return treeUnflatten(tree, outs);
}

/** `jax.experimental.io_callback(callback, result_shape_dtypes, *args, ordered=…)`. */
export function ioCallback(fn: Fn, resultShapeDtypes: unknown, ...rest: unknown[]): unknown {
  checkFn(fn, "io_callback");
  const [args, opts] = trailingOptions(rest, ["ordered"]);
  if (opts.ordered !== undefined && typeof opts.ordered !== "boolean") {
    throw new TypeError(`io_callback: ordered must be a boolean, got ${typeof opts.ordered}.`);
  }
  const { avals, tree } = resultAvals(resultShapeDtypes, "io_callback");
  const [leaves, inTree] = flattenValues(args, "io_callback argument");
  const outs = bind(ioCallbackP, leaves, {
    callback: flatCallback(fn, inTree, "io_callback.<locals>._flat_callback"),
    ordered: opts.ordered === true,
    result_avals: avals,
    sharding: null,
  });
  return treeUnflatten(tree, outs);
}
