/**
 * Eager execution: each primitive application is compiled once per (primitive, params,
 * input avals, device) into a one-equation program and cached — the same path jit uses,
 * so eager and jit cannot disagree.
 */
import { ShapedArray } from "../core/aval.js";
import { type DType, storedScalar, type TypedArray } from "../core/dtype.js";
import type { Device, DeviceBuffer } from "../backend/device.js";
import { Eqn, Jaxpr, type Literal, type Params, Var } from "../ir/jaxpr.js";
import { paramsKey } from "../ir/params-key.js";
import { Array } from "../trace/array.js";
import type { Primitive } from "../trace/primitive.js";
import { type Value, scalarAval, setEagerImpl } from "../trace/trace.js";
import { ArrayImpl } from "./array.js";
import { compileJaxpr, type Compiled, setScalarEvaluator } from "./compile.js";
import { getDevice } from "./devices.js";
import { LruCache } from "./lru.js";

interface Entry {
  compiled: Compiled;
  outAvals: ShapedArray[];
}

const cache = new LruCache<string, Entry>(4096);

export function eagerCacheSize(): number {
  return cache.size;
}

/** A JS scalar as a concrete, weakly typed 0-d array. */
export function scalarArray(
  x: number | boolean | bigint,
  aval: ShapedArray = scalarAval(x),
): ArrayImpl {
  const device = getDevice();
  return new ArrayImpl(aval, device.fromHost(scalarData(x, aval.dtype), aval.dtype));
}

/** One element of `dtype` holding the JS scalar `x` (float16 as its binary16 bits). */
export function scalarData(x: number | boolean | bigint, dtype: DType): TypedArray {
  const data = new dtype.storage(1);
  data[0] = storedScalar(x, dtype) as never;
  return data;
}

/**
 * The device buffer of a call argument: an array's buffer, or for a JS scalar a fresh unowned
 * buffer (pushed to `temps`; the caller drops it after the run — no ArrayImpl is made for it).
 */
export function argBuffer(
  x: Value,
  aval: ShapedArray,
  device: Device,
  temps: DeviceBuffer[],
): DeviceBuffer {
  if (x instanceof ArrayImpl) return x.buffer;
  if (x instanceof Array) throw new Error(`expected a concrete array, got ${String(x)}`);
  const b = device.fromHost(scalarData(x, aval.dtype), aval.dtype);
  temps.push(b);
  return b;
}

export function toConcrete(x: Value): ArrayImpl {
  if (x instanceof ArrayImpl) return x;
  if (x instanceof Array) throw new Error(`expected a concrete array, got ${String(x)}`);
  return scalarArray(x);
}

export function eagerExecute(prim: Primitive, args: Value[], params: Params): ArrayImpl[] {
  let device: Device | undefined;
  for (const a of args) {
    if (a instanceof ArrayImpl) {
      device = a.buffer.device;
      break;
    }
  }
  device ??= getDevice();
  const inAvals = args.map((a) =>
    a instanceof ArrayImpl ? a.aval : a instanceof Array ? toConcrete(a).aval : scalarAval(a),
  );
  let key = `${prim.name}|${paramsKey(params)}|${device.name}`;
  for (const a of inAvals) key += `|${a.key}`;
  let entry = cache.get(key);
  if (!entry) {
    const outAvals = prim.abstractEval(inAvals, params);
    const invars = inAvals.map((a) => new Var(a));
    const outvars = outAvals.map((a) => new Var(a));
    const jaxpr = new Jaxpr([], invars, outvars, [new Eqn(prim, invars, outvars, params)]);
    entry = { compiled: compileJaxpr(jaxpr, device, { optimize: false }), outAvals };
    cache.set(key, entry);
  }
  const temps: DeviceBuffer[] = [];
  const bufs = args.map((a, i) => argBuffer(a, inAvals[i]!, device, temps));
  const outs = entry.compiled.executable.run(bufs);
  const result = outs.map((b, i) => new ArrayImpl(entry.outAvals[i]!, b));
  for (const t of temps) device.dropUnowned?.(t);
  return result;
}

setEagerImpl(eagerExecute);

setScalarEvaluator((eqn) => {
  try {
    const args = eqn.inputs.map((a) => scalarArray((a as Literal).value, a.aval));
    return eagerExecute(eqn.primitive as Primitive, args, eqn.params).map((o) =>
      o._literalValue()!,
    );
  } catch {
    return undefined; // leave the equation to fail (or succeed) at run time
  }
});

export type { DType };
