/**
 * Eager execution: the eval trace at the bottom of the stack runs each primitive application
 * through its cached one-equation code (primitive-code.ts), and a call-like primitive (a
 * `pjit` reaching the eval trace, `checkpoint`, custom-derivative calls) through its jaxpr's
 * compiled code (compile.ts, the code jit runs) — one road, so eager and jit cannot disagree.
 */
import type { Device } from "../backend/device.js";
import type { Params } from "../ir/jaxpr.js";
import { callJaxprOf } from "../lower/lower.js";
import { Array } from "../trace/array.js";
import type { Primitive } from "../trace/primitive.js";
import { type Value, scalarAval, setEagerImpl } from "../trace/trace.js";
import { ArrayImpl, scalarArray } from "./array.js";
import { compiledCall } from "./compile.js";
import { getDevice } from "./devices.js";
import { primitiveCode } from "./primitive-code.js";
import { runCompiled } from "./run.js";

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
  const callee = callJaxprOf(prim, params);
  if (callee) {
    const outAvals = prim.abstractEval(inAvals, params);
    return runCompiled(compiledCall(callee, device), { args, inAvals, outAvals, what: prim.name });
  }
  const code = primitiveCode(prim, params, inAvals, device);
  return runCompiled(code.compiled, {
    args,
    inAvals,
    outAvals: code.outAvals,
    what: prim.name,
  });
}

setEagerImpl(eagerExecute);
