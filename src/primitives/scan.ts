/**
 * `scan`: a loop over the leading axis of `xs` with a carry, staged as JAX's `scan[...]` and
 * compiled into the program as a while kernel: the carry lives in buffers updated in place,
 * each iteration reads its `x` slices at the counter's position and writes its `y` slices
 * into the stacked outputs at that position (no copies of whole arrays per iteration).
 */
import { ShapedArray } from "../core/aval.js";
import { bool, int32 } from "../core/dtype.js";
import { sizeOf } from "../core/shape.js";
import type { ClosedJaxpr, Params } from "../ir/jaxpr.js";
import { binary, idx } from "../kernel/expr.js";
import { ix, ixAdd, ixMul, loadAt } from "../kernel/index.js";
import { bufferLazy, constLazy, genLazy } from "../kernel/lazy.js";
import type { LazyArray } from "../kernel/lowering-types.js";
import { type Primitive, providedByTransforms } from "../trace/primitive.js";
import { definePrimitive } from "./define.js";
import { carryBuffers, updateCarries } from "./control-flow.js";
import { NotImplementedError } from "../core/errors.js";
import { setComplexLowering } from "./complex/lowering-table.js";

export interface ScanParams extends Params {
  readonly jaxpr: ClosedJaxpr;
  readonly length: number;
  readonly reverse: boolean;
  readonly linear: readonly boolean[];
  readonly unroll: number;
  readonly num_consts: number;
  readonly num_carry: number;
  readonly _split_transpose: boolean;
}

const same = (a: ShapedArray, b: ShapedArray) =>
  a.dtype === b.dtype &&
  a.shape.length === b.shape.length &&
  a.shape.every((d, i) => d === b.shape[i]);

export const scanP: Primitive<ScanParams> = definePrimitive<ScanParams>({
  name: "scan",
  abstractEval(avals, { jaxpr, length, num_consts, num_carry }) {
    const ins = jaxpr.inAvals;
    const carry = avals.slice(num_consts, num_consts + num_carry);
    const xs = avals.slice(num_consts + num_carry);
    if (ins.length !== avals.length)
      throw new TypeError(`scan jaxpr takes ${ins.length} inputs, got ${avals.length}.`);
    xs.forEach((x, i) => {
      if (x.shape[0] !== length) {
        throw new TypeError(
          `scan got xs with leading axis ${x.shape[0]} for length=${length} (input ${i}).`,
        );
      }
    });
    const outs = jaxpr.outAvals;
    const carryOut = outs.slice(0, num_carry);
    carry.forEach((c, i) => {
      if (!same(c, carryOut[i]!)) {
        throw new TypeError(
          `scan carry output and input must have identical types, got input ${c.strShort()} and output ${carryOut[i]!.strShort()}.`,
        );
      }
    });
    return [
      ...carryOut.map((c, i) => c.update({ weakType: c.weakType && carry[i]!.weakType })),
      ...outs
        .slice(num_carry)
        .map((y) => new ShapedArray([length, ...y.shape], y.dtype, y.weakType)),
    ];
  },
  lower(ctx, inputs, { jaxpr, length, reverse, num_consts, num_carry, unroll }, outAvals) {
    const consts = inputs.slice(0, num_consts);
    const init = inputs.slice(num_consts, num_consts + num_carry);
    const xs = inputs
      .slice(num_consts + num_carry)
      .map((x) => (x.hasReduce ? ctx.materialize(x) : x));
    const scalarI32 = new ShapedArray([], int32);
    const counter = ctx.newBuffer(scalarI32);
    ctx.materializeInto(constLazy(reverse ? length - 1 : 0, scalarI32), counter);
    const carry = carryBuffers(ctx, init, outAvals);
    const ysAvals = outAvals.slice(num_carry);
    const ys = ysAvals.map((a) => ctx.newBuffer(a));
    const i = loadAt(counter, ix(0), 1, int32);
    // One iteration: this step's x slices at the counter, its y slices written there, the
    // carries updated, the counter moved (each kernel reads the counter as it runs).
    const step = () => {
      const slices: LazyArray[] = xs.map((x) =>
        genLazy(
          new ShapedArray(x.aval.shape.slice(1), x.aval.dtype, x.aval.weakType),
          (coords) => x.at([i, ...coords]),
          x.cost,
        ),
      );
      const outs = ctx.lowerJaxpr(jaxpr.jaxpr, [...consts, ...carry, ...slices]);
      outs.slice(num_carry).forEach((y, k) => {
        const shape = y.aval.shape;
        ctx.emit({
          kind: "loop",
          shape,
          outputs: [
            {
              buffer: ys[k]!,
              expr: y.at(shape.map((d, a) => idx(a, d))),
              offset: ixMul(i, sizeOf(shape)),
            },
          ],
        });
      });
      updateCarries(ctx, carry, outs.slice(0, num_carry));
      ctx.materializeInto(
        genLazy(scalarI32, () => ixAdd(i, reverse ? -1 : 1)),
        counter,
      );
    };
    // `unroll` (as JAX): the loop body holds `u` iterations; the remaining length % u run
    // after the loop, straight-line.
    const u = Math.max(1, Math.min(unroll, Math.max(length, 1)));
    const trips = Math.floor(length / u);
    if (trips > 0) {
      const predicate = ctx.newBuffer(new ShapedArray([], bool));
      const condKernels = ctx.nested(() => {
        const test = reverse ? binary("ge", i, ix(u - 1)) : binary("lt", i, ix(length - u + 1));
        ctx.materializeInto(
          genLazy(new ShapedArray([], bool), () => test),
          predicate,
        );
      });
      const bodyKernels = ctx.nested(() => {
        for (let k = 0; k < u; k++) step();
      });
      ctx.emit({ kind: "while", cond: condKernels, predicate, body: bodyKernels });
    }
    for (let k = 0; k < length % u; k++) step();
    return [...carry, ...ys.map((b, k) => bufferLazy(b, ysAvals[k]!))];
  },
  jvp: providedByTransforms,
  transpose: providedByTransforms,
  batch: providedByTransforms,
  partialEval: providedByTransforms,
});

// Complex consts and carries go through the carry buffers; stacked complex xs/ys do not yet.
setComplexLowering("scan", (ctx, inputs, params, outAvals, rule) => {
  const { num_consts, num_carry } = params as ScanParams;
  const sliced = [...inputs.slice(num_consts + num_carry), ...outAvals.slice(num_carry)];
  if (sliced.some((x) => ("aval" in x ? x.aval : x).dtype.isComplex))
    throw new NotImplementedError("scan over complex xs or ys is not implemented yet");
  return rule(ctx, inputs, params, outAvals);
});
