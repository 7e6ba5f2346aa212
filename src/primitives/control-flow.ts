/**
 * Structured control flow staged as primitives with jaxpr params, compiled into the kernel
 * program (not interpreted): `cond[branches=(…)]` and `while[body_jaxpr=… cond_jaxpr=…]`.
 * Branch/body jaxprs are const-free; their consts are leading operands.
 */
import { ShapedArray } from "../core/aval.js";
import { shapeStr } from "../core/shape.js";
import type { ClosedJaxpr, Params } from "../ir/jaxpr.js";
import { complexBufferLazy } from "../kernel/complex-lazy.js";
import { bufferLazy } from "../kernel/lazy.js";
import type { LazyArray, LowerContext } from "../kernel/lowering-types.js";
import { type Primitive, providedByTransforms } from "../trace/primitive.js";
import { setComplexLowering } from "./complex/lowering-table.js";
import { definePrimitive } from "./define.js";

export interface CondParams extends Params {
  readonly branches: readonly ClosedJaxpr[];
}

export interface WhileParams extends Params {
  readonly cond_jaxpr: ClosedJaxpr;
  readonly body_jaxpr: ClosedJaxpr;
  readonly cond_nconsts: number;
  readonly body_nconsts: number;
}

const sameAval = (a: ShapedArray, b: ShapedArray) =>
  a.dtype === b.dtype &&
  a.shape.length === b.shape.length &&
  a.shape.every((d, i) => d === b.shape[i]);
const avalsText = (as: readonly ShapedArray[]) => `[${as.map((a) => a.strShort()).join(", ")}]`;

export const condP: Primitive<CondParams> = definePrimitive<CondParams>({
  name: "cond",
  abstractEval([index, ...ops], { branches }) {
    if (index!.ndim !== 0 || !(index!.dtype.name === "int32" || index!.dtype.isBool)) {
      throw new TypeError(`cond index must be a scalar int32 or bool, got ${index!.str()}.`);
    }
    for (const b of branches) {
      const ins = b.inAvals;
      if (ins.length !== ops.length || ins.some((a, i) => !sameAval(a, ops[i]!))) {
        throw new TypeError(
          `cond branch expects operands ${avalsText(ins)}, got ${avalsText(ops)}.`,
        );
      }
    }
    const outs = branches[0]!.outAvals;
    for (const b of branches) {
      if (b.outAvals.length !== outs.length || b.outAvals.some((a, i) => !sameAval(a, outs[i]!))) {
        throw new TypeError(
          `branches of cond must have identical output types, got ${branches.map((x) => avalsText(x.outAvals)).join(" and ")}.`,
        );
      }
    }
    return outs.map((a, i) =>
      a.update({ weakType: branches.every((b) => b.outAvals[i]!.weakType) }),
    );
  },
  lower(ctx, [index, ...ops], { branches }, outAvals) {
    const idx = ctx.materialize(index!);
    const outBuffers = outAvals.map((a) => ctx.newBuffer(a));
    const kernels = branches.map((b) =>
      ctx.nested(() => {
        const outs = ctx.lowerJaxpr(b.jaxpr, ops);
        outs.forEach((o, i) => ctx.materializeInto(o, outBuffers[i]!));
      }),
    );
    ctx.emit({ kind: "cond", index: idx.view.buffer, branches: kernels });
    return outBuffers.map((buf, i) => anyBufferLazy(buf, outAvals[i]!));
  },
  jvp: providedByTransforms,
  transpose: providedByTransforms,
  batch: providedByTransforms,
  partialEval: providedByTransforms,
});

/** A contiguous buffer's value: interleaved pairs for a complex aval. */
const anyBufferLazy = (buffer: number, aval: ShapedArray): LazyArray =>
  aval.dtype.isComplex ? complexBufferLazy(buffer, aval) : bufferLazy(buffer, aval);

/** The buffer behind each loop-carried value (real or complex). */
const carryBuffer = new WeakMap<LazyArray, number>();

/** Loop-carried values: fresh buffers (updated in place by the body) holding `init`. */
export function carryBuffers(
  ctx: LowerContext,
  init: readonly LazyArray[],
  avals: readonly ShapedArray[],
): LazyArray[] {
  return init.map((x, i) => {
    const buf = ctx.newBuffer(avals[i]!);
    ctx.materializeInto(x, buf);
    const lazy = anyBufferLazy(buf, avals[i]!);
    carryBuffer.set(lazy, buf);
    return lazy;
  });
}

/**
 * Write the body's new values into the carry buffers. Every new value is computed before any
 * carry is overwritten (they may read each other; a view of another carry is copied first).
 */
export function updateCarries(
  ctx: LowerContext,
  carry: readonly LazyArray[],
  next: readonly LazyArray[],
): void {
  const bufferOf = (c: LazyArray): number => carryBuffer.get(c)!;
  const buffers = new Set(carry.map(bufferOf));
  const staged = next.map((n, k) => {
    if (n === carry[k]) return undefined; // unchanged
    const view = n.parts ? n.parts.view : n.view;
    if (view && buffers.has(view.buffer)) {
      const tmp = ctx.newBuffer(n.aval);
      ctx.materializeInto(n, tmp);
      return anyBufferLazy(tmp, n.aval);
    }
    return n.parts ? complexBufferLazy(ctx.materializeInterleaved(n), n.aval) : ctx.materialize(n);
  });
  staged.forEach((v, k) => {
    if (v) ctx.materializeInto(v, bufferOf(carry[k]!));
  });
}

export const whileP: Primitive<WhileParams> = definePrimitive<WhileParams>({
  name: "while",
  abstractEval(avals, { cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts }) {
    const carry = avals.slice(cond_nconsts + body_nconsts);
    const bodyOut = body_jaxpr.outAvals;
    if (bodyOut.length !== carry.length || bodyOut.some((a, i) => !sameAval(a, carry[i]!))) {
      throw new TypeError(
        `body_fun output and input must have identical types, got input ${avalsText(carry)} and output ${avalsText(bodyOut)}.`,
      );
    }
    const c = cond_jaxpr.outAvals;
    if (c.length !== 1 || !c[0]!.dtype.isBool || c[0]!.ndim !== 0) {
      throw new TypeError(
        `cond_fun must return a boolean scalar, but got output type(s) ${avalsText(c)}.`,
      );
    }
    return carry.map((a, i) => a.update({ weakType: a.weakType && bodyOut[i]!.weakType }));
  },
  lower(ctx, inputs, { cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts }, outAvals) {
    const condConsts = inputs.slice(0, cond_nconsts);
    const bodyConsts = inputs.slice(cond_nconsts, cond_nconsts + body_nconsts);
    const init = inputs.slice(cond_nconsts + body_nconsts);
    // The loop-carried values live in buffers updated in place (through temporaries).
    const carry = carryBuffers(ctx, init, outAvals);
    const predicate = ctx.newBuffer(new ShapedArray([], cond_jaxpr.outAvals[0]!.dtype));
    const condKernels = ctx.nested(() => {
      const [p] = ctx.lowerJaxpr(cond_jaxpr.jaxpr, [...condConsts, ...carry]);
      ctx.materializeInto(p!, predicate);
    });
    const bodyKernels = ctx.nested(() => {
      const next = ctx.lowerJaxpr(body_jaxpr.jaxpr, [...bodyConsts, ...carry]);
      updateCarries(ctx, carry, next);
    });
    ctx.emit({ kind: "while", cond: condKernels, predicate, body: bodyKernels });
    return carry;
  },
  jvp: providedByTransforms,
  transpose: providedByTransforms,
  batch: providedByTransforms,
  partialEval: providedByTransforms,
});

export { shapeStr };

// Complex operands, results and carries travel through as they are (buffers of interleaved
// pairs where materialized).
setComplexLowering("cond", "own");
setComplexLowering("while", "own");
