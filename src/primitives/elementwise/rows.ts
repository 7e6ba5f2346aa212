/**
 * How elementwise primitives are defined from table rows (one row each, with all of its rules
 * side by side: the dtypes it accepts, its kernel op, cost, JVP, transpose for the linear
 * ones), the table of them by name, and helpers their rules share.
 */
import { ShapedArray } from "../../core/aval.js";
import type { DType } from "../../core/dtype.js";
import { type BinaryOp, type UnaryOp, binary, unary } from "../../kernel/expr.js";
import type { Params } from "../../ir/jaxpr.js";
import type { Array } from "../../trace/array.js";
import {
  type Primitive,
  type Tangent,
  type TransposeRule,
  UndefinedPrimal,
  Zero,
  notLinear,
} from "../../trace/primitive.js";
import { type Value, bind1 } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { addTangents } from "../add-any.js";
import { elementwiseBatch } from "../batch-rules.js";
import { scalarLike } from "../constants.js";
import { definePrimitive } from "../define.js";
import { elementwiseLowering } from "../lowering-helpers.js";
import { reduceSum } from "../reduce-sum.js";
import { selectNP } from "../select.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { reshape } from "../shape/reshape.js";
import { type DtypeClass, checkDtypeClass, naryAval } from "../shape-rules.js";

type UnaryJvp = (g: Array, x: Array, ans: Array) => Array;
type BinaryJvp = (g: Array, x: Array, y: Array, ans: Array) => Array;

export const TRANSCENDENTAL = 8;

interface UnaryRow {
  op?: UnaryOp;
  cls: DtypeClass;
  cost?: number;
  /** Tangent of the output from the input tangent g; null: not differentiable (zero). */
  jvp: UnaryJvp | null;
  /** Output dtype if not the input's. */
  out?: DType;
  /** Output dtype as a function of the input's (abs: complex → its part dtype). */
  outOf?: (d: DType) => DType;
  /** Transpose rule, for the linear ones. */
  transpose?: TransposeRule<Params>;
}

function defineUnary(name: string, row: UnaryRow): Primitive {
  const kop = row.op ?? (name as UnaryOp);
  return definePrimitive({
    name,
    abstractEval([x]) {
      checkDtypeClass(name, x!.dtype, row.cls);
      if (row.outOf && row.outOf(x!.dtype) !== x!.dtype)
        return [new ShapedArray(x!.shape, row.outOf(x!.dtype), x!.weakType)];
      return [row.out ? new ShapedArray(x!.shape, row.out, false) : x!];
    },
    lower: elementwiseLowering(([x], out) => unary(kop, x!, out.dtype), row.cost ?? 1),
    jvp([x], [t], params) {
      const ans = bind1(prims[name]!, [x!], params);
      if (!row.jvp || isZero(t)) return [[ans], [new Zero(ans.aval)]];
      return [[ans], [row.jvp(t!, x!, ans)]];
    },
    transpose: row.transpose ?? notLinear,
    batch: elementwiseBatch(() => prims[name]!),
  });
}

interface BinaryRow {
  op?: BinaryOp;
  cls: DtypeClass;
  cost?: number;
  jvp: [BinaryJvp, BinaryJvp] | null;
  out?: DType;
  /**
   * "linear": the JVP is the primitive applied to the tangents (add, sub, as JAX's `_add_jvp`);
   * otherwise each nonzero tangent's contribution is computed and they are summed with add_any
   * (JAX's `defjvp`/`add_tangents`).
   */
  jvpKind?: "linear";
  transpose?: TransposeRule<Params>;
}

function defineBinary(name: string, row: BinaryRow): Primitive {
  const kop = row.op ?? (name as BinaryOp);
  return definePrimitive({
    name,
    abstractEval(avals) {
      return [naryAval(name, avals, row.cls, row.out)];
    },
    lower: elementwiseLowering(([a, b]) => binary(kop, a!, b!), row.cost ?? 1),
    jvp([x, y], [tx, ty], params) {
      const ans = bind1(prims[name]!, [x!, y!], params);
      if (!row.jvp) return [[ans], [new Zero(ans.aval)]];
      if (row.jvpKind === "linear" && !isZero(tx) && !isZero(ty)) {
        return [[ans], [bind1(prims[name]!, [tx!, ty!], params)]];
      }
      let t: Tangent = new Zero(ans.aval);
      if (!isZero(tx))
        t = addTangents(t, maybeBroadcast(row.jvp[0](tx!, x!, y!, ans), ans.shape), ans);
      if (!isZero(ty))
        t = addTangents(t, maybeBroadcast(row.jvp[1](ty!, x!, y!, ans), ans.shape), ans);
      return [[ans], [t]];
    },
    transpose: row.transpose ?? notLinear,
    batch: elementwiseBatch(() => prims[name]!),
  });
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** A tangent of a (lax-)broadcast operand, broadcast to the output shape (JAX's `_maybe_broadcast`). */
export function maybeBroadcast(t: Array, shape: readonly number[]): Array {
  if (sameShape(t.shape, shape)) return t;
  if (t.ndim === 0) return broadcastInDim(t, shape, []);
  const dims = t.shape.flatMap((d, i) => (d === shape[i] ? [i] : []));
  return broadcastInDim(
    reshape(
      t,
      dims.map((i) => t.shape[i]!),
    ),
    shape,
    dims,
  );
}

/** A cotangent summed back to an operand's (lax-broadcast) shape (JAX's `_unbroadcast`). */
export function unbroadcast(aval: { shape: readonly number[] }, x: Array): Array {
  if (sameShape(aval.shape, x.shape)) return x;
  if (aval.shape.length === 0)
    return reduceSum(
      x,
      x.shape.map((_, i) => i),
    );
  const dims = x.shape.flatMap((d, i) => (d !== aval.shape[i] ? [i] : []));
  return reshape(reduceSum(x, dims), aval.shape);
}

export const isUndefined = (x: unknown): x is UndefinedPrimal => x instanceof UndefinedPrimal;
export const avalOfArg = (x: Array | UndefinedPrimal) => x.aval;

/** Every elementwise primitive by name (lax binds them through it). */
export const prims: Record<string, Primitive> = {};

export const u = (name: string, row: UnaryRow) => (prims[name] = defineUnary(name, row));
export const b = (name: string, row: BinaryRow) => (prims[name] = defineBinary(name, row));

/** A 0-d constant of x's dtype. */
export const c = (x: Array, v: number) => scalarLike(x, v);
// As JAX 0.4.x's lax.square: integer_pow[y=2]; reciprocal: integer_pow[y=-1].
export const square = (x: Array) => bind1(prims["integer_pow"]!, [x], { y: 2 });
export const reciprocal = (x: Array) => bind1(prims["integer_pow"]!, [x], { y: -1 });
export const selectN = (p: Value, onFalse: Value, onTrue: Value): Array =>
  bind1(selectNP, [p, onFalse, onTrue]);
