/**
 * Lowering with fusion: a jaxpr becomes a kernel program. Each equation's lowering rule
 * composes lazy element expressions; the compiler materializes a value into a buffer only
 * when it must: program outputs, values read by several consumers that are not cheap to
 * recompute, reductions that would otherwise be recomputed per element, operands of
 * dot/custom kernels, and expressions grown too large. Elementwise consumers of a dot's
 * product are then folded into the dot kernel as its epilogue (fuse-epilogues.ts).
 */
import type { ShapedArray } from "../core/aval.js";
import { shapeEqual, stridesOf } from "../core/shape.js";
import { type ClosedJaxpr, type Jaxpr, Literal, type Params, Var } from "../ir/jaxpr.js";
import type { Primitive } from "../trace/primitive.js";
import type { DeviceLowerRule } from "../backend/device.js";
import { idx } from "../kernel/expr.js";
import type { BufferInfo, Kernel, OutputSource, Program } from "../kernel/kernel.js";
import { bufferLazy, constLazy } from "../kernel/lazy.js";
import type { BufferView, LazyArray, LowerContext } from "../kernel/lowering-types.js";
import { coalesceLoopKernel } from "../kernel/coalesce.js";
import { realPartDType } from "../core/dtype.js";
import {
  complexBufferLazy,
  complexLazy,
  interleavedExpr,
  partAval,
} from "../kernel/complex-lazy.js";
import { involvesComplex, lowerComplexEqn } from "./complex.js";
import { dropUnusedTemps, fuseDotEpilogues } from "../kernel/fuse-epilogues.js";

/** Recomputing an expression of at most this cost in each consumer beats a round trip to memory. */
const CHEAP = 3;
/** Expressions beyond this cost are materialized to keep kernels a reasonable size. */
const MAX_COST = 400;

/** Internal switches (tests and benchmarks compare against the unfused program). */
export const loweringOptions = {
  /** Fold elementwise consumers of dot kernels into them as epilogues (fuse-epilogues.ts). */
  dotEpilogues: true,
};

function isContiguous(v: BufferView, aval: ShapedArray): boolean {
  if (v.offset !== 0 || v.bufferSize !== aval.size) return false;
  const s = stridesOf(aval.shape);
  return aval.shape.every((d, k) => d === 1 || s[k] === v.strides[k]);
}

class ProgramBuilder implements LowerContext {
  readonly buffers: BufferInfo[] = [];
  kernels: Kernel[] = [];
  constructor(readonly lowerings?: ReadonlyMap<string, DeviceLowerRule>) {}

  addBuffer(aval: ShapedArray, kind: BufferInfo["kind"]): number {
    const id = this.buffers.length;
    // A complex buffer holds interleaved (re, im) pairs of the part dtype.
    const size = aval.dtype.isComplex ? 2 * aval.size : aval.size;
    this.buffers.push({ id, dtype: realPartDType(aval.dtype), size, kind });
    return id;
  }
  newBuffer(aval: ShapedArray): number {
    return this.addBuffer(aval, "temp");
  }
  emit(kernel: Kernel): void {
    // A kernel that writes only empty buffers has nothing to do: it is not emitted (custom
    // kernels need not handle empty operands; loads of empty buffers are constants, see loadAt).
    if (this.writesNothing(kernel)) return;
    // Loop kernels are coalesced once the program is complete (after epilogue fusion, which
    // needs their loops in the shape of the values they compute).
    this.kernels.push(kernel);
  }
  private writesNothing(k: Kernel): boolean {
    if (k.kind === "loop") return k.shape.includes(0);
    if (k.kind === "custom") return k.outputs.every((b) => this.buffers[b]!.size === 0);
    if (k.kind === "dot") return k.m === 0 || k.n === 0 || k.batch.includes(0);
    return false;
  }
  materialize(x: LazyArray): LazyArray & { view: BufferView } {
    if (x.parts) throw new Error(`internal: materialize of a complex value (${x.aval.str()})`);
    if (x.view && isContiguous(x.view, x.aval)) return x as LazyArray & { view: BufferView };
    const buffer = this.newBuffer(x.aval);
    this.materializeInto(x, buffer);
    return bufferLazy(buffer, x.aval);
  }
  materializeInto(x: LazyArray, buffer: number): void {
    const coords = x.aval.shape.map((d, k) => idx(k, d));
    if (x.parts) {
      const expr = interleavedExpr(x, coords);
      this.emit({ kind: "loop", shape: [...x.aval.shape, 2], outputs: [{ buffer, expr }] });
      return;
    }
    this.emit({ kind: "loop", shape: x.aval.shape, outputs: [{ buffer, expr: x.at(coords) }] });
  }
  materializeInterleaved(x: LazyArray): number {
    const v = x.parts?.view;
    if (v && isContiguous(v, x.aval)) return v.buffer;
    const buffer = this.newBuffer(x.aval);
    this.materializeInto(x, buffer);
    return buffer;
  }
  /** Any value (real or complex) computed into a fresh contiguous buffer. */
  materializeValue(x: LazyArray): LazyArray {
    return x.parts
      ? complexBufferLazy(this.materializeInterleaved(x), x.aval)
      : this.materialize(x);
  }
  nested(body: () => void): Kernel[] {
    const outer = this.kernels;
    const inner: Kernel[] = [];
    this.kernels = inner;
    try {
      body();
    } finally {
      this.kernels = outer;
    }
    return inner;
  }
  lowerJaxpr(jaxpr: Jaxpr, inputs: readonly LazyArray[]): LazyArray[] {
    return lowerBody(this, jaxpr, inputs);
  }
}

/** Consumers of each variable: equations reading it (once each) and program outputs. */
function countUses(jaxpr: Jaxpr): Map<Var, number> {
  const uses = new Map<Var, number>();
  const use = (a: unknown) => {
    if (a instanceof Var) uses.set(a, (uses.get(a) ?? 0) + 1);
  };
  for (const e of jaxpr.eqns) new Set(e.inputs).forEach(use);
  jaxpr.outvars.forEach(use);
  return uses;
}

/** The jaxpr a call-like primitive's equation calls (undefined for other primitives). */
export function callJaxprOf(prim: Primitive, params: Params): Jaxpr | undefined {
  const rule = prim.lower;
  return typeof rule === "function" ? undefined : (params[rule.param] as ClosedJaxpr).jaxpr;
}

/** Lower the equations of `jaxpr` given lazy values for its constvars and invars. */
function lowerBody(b: ProgramBuilder, jaxpr: Jaxpr, inputs: readonly LazyArray[]): LazyArray[] {
  const env = new Map<Var, LazyArray>();
  [...jaxpr.constvars, ...jaxpr.invars].forEach((v, i) => env.set(v, inputs[i]!));
  const read = (a: Var | Literal): LazyArray =>
    a instanceof Literal ? literalLazy(a) : env.get(a)!;
  const uses = countUses(jaxpr);
  for (const eqn of jaxpr.eqns) {
    const prim = eqn.primitive as Primitive;
    const args = eqn.inputs.map(read);
    let outs: LazyArray[];
    const rule = prim.lower;
    if (typeof rule === "function" && involvesComplex(eqn)) {
      outs = lowerComplexEqn(
        b,
        prim,
        rule,
        args,
        eqn.params,
        eqn.outputs.map((o) => o.aval),
      );
    } else if (typeof rule === "function") {
      const claimed = b.lowerings?.get(prim.name)?.(
        b,
        args,
        eqn.params,
        eqn.outputs.map((o) => o.aval),
      );
      outs =
        claimed ??
        rule(
          b,
          args,
          eqn.params,
          eqn.outputs.map((o) => o.aval),
        );
    } else {
      // Call-like primitives carry a const-free jaxpr, inlined here.
      outs = lowerBody(b, callJaxprOf(prim, eqn.params)!, args);
    }
    eqn.outputs.forEach((v, i) => {
      let out = outs[i]!;
      const n = uses.get(v) ?? 0;
      if ((n > 1 && (out.hasReduce || out.cost > CHEAP)) || out.cost > MAX_COST) {
        out = b.materializeValue(out);
      }
      env.set(v, out);
    });
  }
  return jaxpr.outvars.map(read);
}

/**
 * Lower a whole jaxpr (constvars first, then invars, are the program inputs); `lowerings` are
 * the target device's own rules, tried before the primitives' (Device.lowerings).
 */
export function lowerJaxpr(
  jaxpr: Jaxpr,
  lowerings?: ReadonlyMap<string, DeviceLowerRule>,
): Program {
  const b = new ProgramBuilder(lowerings);
  const inputVars = [...jaxpr.constvars, ...jaxpr.invars];
  const inputIds = inputVars.map((v) => b.addBuffer(v.aval, "input"));
  const outs = lowerBody(
    b,
    jaxpr,
    inputVars.map((v, i) =>
      v.aval.dtype.isComplex
        ? complexBufferLazy(inputIds[i]!, v.aval)
        : bufferLazy(inputIds[i]!, v.aval),
    ),
  );
  const outputs: OutputSource[] = outs.map((lazy, i) => {
    const outvar = jaxpr.outvars[i]!;
    if (lazy.parts) return complexOutput(b, lazy, inputIds);
    if (outvar instanceof Literal) {
      return { kind: "literal", value: Number(outvar.value), dtype: outvar.aval.dtype };
    }
    const v = lazy.view;
    if (v && isContiguous(v, lazy.aval) && shapeEqual(lazy.aval.shape, outvar.aval.shape)) {
      const info = b.buffers[v.buffer]!;
      if (info.kind === "input") return { kind: "input", index: inputIds.indexOf(v.buffer) };
      info.kind = "output";
      return { kind: "buffer", buffer: v.buffer };
    }
    const m = b.materialize(lazy);
    b.buffers[m.view.buffer]!.kind = "output";
    return { kind: "buffer", buffer: m.view.buffer };
  });
  let kernels = b.kernels;
  if (loweringOptions.dotEpilogues) kernels = fuseDotEpilogues(kernels, b.buffers);
  kernels = coalesceAll(kernels);
  return dropUnusedTemps({ buffers: b.buffers, kernels, inputs: inputIds, outputs });
}

/** A literal operand: a constant (a complex literal's value is its real part). */
function literalLazy(a: Literal): LazyArray {
  if (!a.aval.dtype.isComplex) return constLazy(a.value, a.aval);
  const part = partAval(a.aval);
  return complexLazy(a.aval, constLazy(a.value, part), constLazy(0, part));
}

/** How a complex program output is produced: an input passed through, or a buffer. */
function complexOutput(b: ProgramBuilder, lazy: LazyArray, inputIds: number[]): OutputSource {
  const v = lazy.parts!.view;
  if (v && isContiguous(v, lazy.aval)) {
    const info = b.buffers[v.buffer]!;
    if (info.kind === "input") return { kind: "input", index: inputIds.indexOf(v.buffer) };
    info.kind = "output";
    return { kind: "buffer", buffer: v.buffer };
  }
  const buffer = b.newBuffer(lazy.aval);
  b.materializeInto(lazy, buffer);
  b.buffers[buffer]!.kind = "output";
  return { kind: "buffer", buffer };
}

function coalesceAll(ks: readonly Kernel[]): Kernel[] {
  return ks.map((k) => {
    switch (k.kind) {
      case "loop":
        return coalesceLoopKernel(k);
      case "cond":
        return { ...k, branches: k.branches.map(coalesceAll) };
      case "while":
        return { ...k, cond: coalesceAll(k.cond), body: coalesceAll(k.body) };
      default:
        return k;
    }
  });
}
