/**
 * The code of one primitive application: a one-equation program compiled once per
 * (primitive, params, input avals, device) and kept in an LRU — how eager dispatch (and
 * constant folding) runs a primitive, as JAX dispatches op by op.
 */
import type { ShapedArray } from "../core/aval.js";
import type { Device } from "../backend/device.js";
import { Eqn, Jaxpr, type Params, Var } from "../ir/jaxpr.js";
import { paramsKey } from "../ir/params-key.js";
import type { Primitive } from "../trace/primitive.js";
import { type Compiled, compileProgram } from "./device-code.js";
import { LruCache } from "./lru.js";
import { jaxprNeedsHost } from "../ir/effects.js";
import { hostCompiled } from "./host-run.js";

export interface PrimitiveCode {
  readonly compiled: Compiled;
  readonly outAvals: ShapedArray[];
}

const cache = new LruCache<string, PrimitiveCode>(4096);

/** Forget every primitive's compiled eager code (for `clearCaches`). */
export function clearPrimitiveCode(): void {
  cache.clear();
}

export function primitiveCodeCacheSize(): number {
  return cache.size;
}

export function primitiveCode(
  prim: Primitive,
  params: Params,
  inAvals: readonly ShapedArray[],
  device: Device,
): PrimitiveCode {
  let key = `${prim.name}|${paramsKey(params)}|${device.name}`;
  for (const a of inAvals) key += `|${a.key}`;
  let entry = cache.get(key);
  if (!entry) {
    const outAvals = prim.abstractEval(inAvals, params);
    const invars = inAvals.map((a) => new Var(a));
    const outvars = outAvals.map((a) => new Var(a));
    const jaxpr = new Jaxpr([], invars, outvars, [new Eqn(prim, invars, outvars, params)]);
    const compiled = jaxprNeedsHost(jaxpr)
      ? hostCompiled(jaxpr, device)
      : compileProgram(jaxpr, device);
    entry = { compiled, outAvals };
    cache.set(key, entry);
  }
  return entry;
}
