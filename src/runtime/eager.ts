/**
 * Eager execution: each primitive application is compiled once per (primitive, params,
 * input avals, device) into a one-equation program and cached — the same path jit uses,
 * so eager and jit cannot disagree.
 */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtype.js";
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
  const data = new aval.dtype.storage(1);
  data[0] = (aval.dtype.isBig ? BigInt(x) : Number(x)) as never;
  return new ArrayImpl(aval, device.fromHost(data, aval.dtype));
}

export function toConcrete(x: Value): ArrayImpl {
  if (x instanceof ArrayImpl) return x;
  if (x instanceof Array) throw new Error(`expected a concrete array, got ${String(x)}`);
  return scalarArray(x);
}

export function eagerExecute(prim: Primitive, args: Value[], params: Params): ArrayImpl[] {
  const arrays = args.map(toConcrete);
  const device = arrays.length ? arrays[0]!.buffer.device : getDevice();
  let key = `${prim.name}|${paramsKey(params)}|${device.name}`;
  for (const a of arrays) key += `|${a.aval.key}`;
  let entry = cache.get(key);
  if (!entry) {
    const inAvals = arrays.map((a) => a.aval);
    const outAvals = prim.abstractEval(inAvals, params);
    const invars = inAvals.map((a) => new Var(a));
    const outvars = outAvals.map((a) => new Var(a));
    const jaxpr = new Jaxpr([], invars, outvars, [new Eqn(prim, invars, outvars, params)]);
    entry = { compiled: compileJaxpr(jaxpr, device, { optimize: false }), outAvals };
    cache.set(key, entry);
  }
  const outs = entry.compiled.executable.run(arrays.map((a) => a.buffer));
  return outs.map((b, i) => new ArrayImpl(entry.outAvals[i]!, b));
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
