/**
 * The generic reduce_window[consts jaxpr window_dimensions ...]: a user monoid, staged as a
 * scalar reducer jaxpr (`{ lambda ; a b. ... }`), over n operands (all of one shape) with their
 * n init values (inputs: the operands, then the init values; n outputs). Its JVP needs the
 * reducer's JVP jaxpr, so transforms/ad/reduce-window-rules.ts provides it.
 * Lowering unrolls the window: the reducer's equations are lowered at the output's shape, once
 * per window offset, folding the window's elements into the accumulator in row-major order
 * (padding reads as the init value). Reducers must be made of scalar (elementwise) equations.
 */
import { ShapedArray } from "../../core/aval.js";
import { NotImplementedError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import type { ClosedJaxpr, Jaxpr } from "../../ir/jaxpr.js";
import { Literal, type Var } from "../../ir/atoms.js";
import { type Expr, select } from "../../kernel/expr.js";
import { ix } from "../../kernel/index.js";
import { constLazy, genLazy } from "../../kernel/lazy.js";
import type { LazyArray, LowerContext } from "../../kernel/lowering-types.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, notLinear, providedByTransforms } from "../../trace/primitive.js";
import { bind } from "../../trace/trace.js";
import { definePrimitive } from "../define.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { moveAxis } from "../shape/transpose.js";
import {
  type WindowParams,
  windowShapeRule,
  windowSource,
  withWindowDimAt,
} from "./window-params.js";

export type GenericWindowParams = WindowParams & { jaxpr: ClosedJaxpr; consts: unknown[] };

/** Windows larger than this are not unrolled. */
const MAX_UNROLLED_WINDOW = 4096;
/** Accumulators are materialized beyond this expression cost. */
const MAX_COST = 200;

/** Lower the scalar reducer `jaxpr` elementwise at `aval`'s shape on lazy `inputs`. */
function lowerReducer(
  ctx: LowerContext,
  jaxpr: Jaxpr,
  inputs: readonly LazyArray[],
  shape: readonly number[],
): LazyArray[] {
  const env = new Map<Var, LazyArray>();
  jaxpr.invars.forEach((v, i) => env.set(v, inputs[i]!));
  const read = (a: Var | Literal): LazyArray =>
    a instanceof Literal ? constLazy(a.value, a.aval) : env.get(a)!;
  for (const eqn of jaxpr.eqns) {
    const prim = eqn.primitive as Primitive;
    const scalar = [...eqn.inputs, ...eqn.outputs].every((a) => a.aval.ndim === 0);
    if (!scalar) {
      throw new NotImplementedError(
        `reduce_window: the computation's ${prim.name} is not on scalars; only elementwise reducers are supported`,
      );
    }
    const args = eqn.inputs.map(read);
    const outAvals = eqn.outputs.map((o) => new ShapedArray(shape, o.aval.dtype));
    const rule = prim.lower;
    const outs =
      typeof rule === "function"
        ? rule(ctx, args, eqn.params, outAvals)
        : lowerReducer(ctx, (eqn.params[rule.param] as ClosedJaxpr).jaxpr, args, shape);
    eqn.outputs.forEach((v, i) => {
      const o = outs[i]!;
      const lazy = genLazy(outAvals[i]!, (c) => o.at(c), o.cost, o.hasReduce);
      env.set(v, lazy.cost > MAX_COST || lazy.hasReduce ? ctx.materialize(lazy) : lazy);
    });
  }
  return jaxpr.outvars.map((a) => {
    const o = read(a);
    return genLazy(new ShapedArray(shape, a.aval.dtype), (c) => o.at(c), o.cost, o.hasReduce);
  });
}

function lowerGeneric(
  ctx: LowerContext,
  inputs: LazyArray[],
  p: GenericWindowParams,
  outs: ShapedArray[],
): LazyArray[] {
  const n = outs.length;
  const srcs = inputs.slice(0, n).map((x) => (x.hasReduce ? ctx.materialize(x) : x));
  const inits = inputs.slice(n).map((v) => (v.hasReduce ? ctx.materialize(v) : v).at([]));
  const window = p.window_dimensions;
  const count = window.reduce((a, b) => a * b, 1);
  if (count > MAX_UNROLLED_WINDOW) {
    throw new NotImplementedError(
      `reduce_window with a generic computation over windows of more than ${MAX_UNROLLED_WINDOW} elements (got ${shapeStr(window)})`,
    );
  }
  const shape = outs[0]!.shape;
  let acc: LazyArray[] = outs.map((o, i) => genLazy(o, () => inits[i]!, 0));
  for (let flat = 0; flat < count; flat++) {
    const r: Expr[] = [];
    let rest = flat;
    for (let k = window.length - 1; k >= 0; k--) {
      r[k] = ix(rest % window[k]!);
      rest = Math.floor(rest / window[k]!);
    }
    const elems = srcs.map((src, i) =>
      genLazy(
        outs[i]!,
        (coords) => {
          const { coords: at, valid } = windowSource(coords, r, src.aval.shape, p);
          const v = src.at(at);
          return valid ? select(valid, v, inits[i]!) : v;
        },
        src.cost + 2,
      ),
    );
    acc = lowerReducer(ctx, p.jaxpr.jaxpr, [...acc, ...elems], shape);
  }
  return acc;
}

/** Python's str() of a list of numpy dtypes. */
const dtypesStr = (avals: readonly ShapedArray[]) =>
  `[${avals.map((a) => `dtype('${a.dtype.name}')`).join(", ")}]`;

export const reduceWindowP: Primitive<GenericWindowParams> = definePrimitive<GenericWindowParams>({
  name: "reduce_window",
  abstractEval(avals, p) {
    const n = avals.length / 2;
    const [xs, inits] = [avals.slice(0, n), avals.slice(n)];
    if (xs.some((x, i) => x.dtype !== inits[i]!.dtype)) {
      throw new TypeError(
        `reduce_window got inconsistent dtypes for operands and init_values: got operand dtypes ${dtypesStr(xs)} and init_value dtypes ${dtypesStr(inits)}.`,
      );
    }
    if (inits.some((v) => v.ndim !== 0)) {
      throw new TypeError(
        `reduce_window expected init_values to be scalars but init_values have shapes [${inits.map((v) => shapeStr(v.shape)).join(", ")}].`,
      );
    }
    const shape = windowShapeRule(xs[0]!, p);
    return xs.map((x) => new ShapedArray(shape, x.dtype, x.weakType));
  },
  lower: lowerGeneric,
  jvp: providedByTransforms,
  transpose: notLinear,
  batch(args, dims, p, size) {
    const n = args.length / 2;
    if (dims.slice(n).some((d) => d !== null)) {
      throw new NotImplementedError("reduce_window batching is not implemented for initial values");
    }
    const xs = args.slice(0, n).map((x, i) =>
      dims[i] === null
        ? broadcastInDim(
            x,
            [size, ...x.shape],
            x.shape.map((_, k) => k + 1),
          )
        : moveAxis(x, dims[i]!, 0),
    );
    const outs = bind(reduceWindowP, [...xs, ...args.slice(n)], withWindowDimAt(p, 0));
    return [outs, outs.map(() => 0)];
  },
});

/** Bind the generic (variadic) reduce_window: operands, then their init values. */
export function reduceWindowGeneric(
  xs: readonly Array[],
  inits: readonly Array[],
  p: GenericWindowParams,
): Array[] {
  return bind(reduceWindowP, [...xs, ...inits], p);
}
