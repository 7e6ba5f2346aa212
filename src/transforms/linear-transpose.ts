/**
 * `linearTranspose(f, ...primals)` (JAX's `jax.linear_transpose`): the transpose of a function
 * promised to be linear, without a forward pass. `f` is traced once, here, on the primals'
 * shapes and dtypes (arrays, scalars or ShapeDtypeStructs); the returned function maps an
 * output cotangent to the tuple (JS array) of input cotangents through JAX's backward pass.
 * A non-linear `f` fails as JAX's does: a primitive with no transpose rule raises
 * NotImplementedError naming it; a product of two linear values raises the rule's TypeError.
 */
import type { ShapedArray } from "../core/aval.js";
import { isTypedArray } from "../core/dtype.js";
import { type TreeDef, treeFlatten, treeUnflatten } from "../core/pytree.js";
import { ShapeDtypeStruct } from "../core/shape-dtype-struct.js";
import { shapeStr } from "../core/shape.js";
import { ClosedJaxpr } from "../ir/jaxpr.js";
import { dce } from "../ir/passes/dce.js";
import { Array } from "../trace/array.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import { UndefinedPrimal } from "../trace/primitive.js";
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { avalOf } from "../trace/trace.js";
import { typedArrayToArray } from "../runtime/array.js";
import { backwardPass } from "./ad/transpose.js";
import { instantiateZeros } from "./ad/tangents.js";
import { asArray } from "./eval-jaxpr.js";
import { flattenValues } from "./pytree-args.js";
import { functionName } from "./param-names.js";

const isPrimalLeaf = (x: unknown): boolean =>
  x instanceof Array || isTypedArray(x) || x instanceof ShapeDtypeStruct;

function primalAval(leaf: unknown, fn: string): ShapedArray {
  if (leaf instanceof ShapeDtypeStruct) return leaf.aval;
  if (isTypedArray(leaf)) return typedArrayToArray(leaf).aval;
  if (leaf instanceof Array || typeof leaf === "number" || typeof leaf === "boolean") {
    return avalOf(leaf);
  }
  throw new TypeError(
    `linear_transpose of ${fn}: a primal of type ${leaf === null ? "null" : typeof leaf} is not a ` +
      `valid JAX type. Pass arrays, scalars or ShapeDtypeStructs (or pytrees of them).`,
  );
}

const dtypeList = (avals: readonly ShapedArray[]) =>
  `[${avals.map((a) => `dtype('${a.dtype.name}')`).join(", ")}]`;

/**
 * JAX's `jax.linear_transpose`: `linearTranspose(f, ...primals)(ct)` is the tuple of input
 * cotangents of the linear function `f` (shaped as `primals`, which may be ShapeDtypeStructs).
 *
 * @example
 * const s = new ShapeDtypeStruct([], "float32");
 * const [cx, cy] = linearTranspose((x, y) => x.mul(0.5).sub(y.mul(0.5)), s, s)(1.0);
 * `${cx} ${cy}`
 * // 0.5 -0.5
 */
export function linearTranspose(f: AnyFunction, ...primals: unknown[]): (ct: unknown) => unknown[] {
  if (typeof f !== "function") {
    throw new TypeError(`linear_transpose expects a function, got ${typeof f}.`);
  }
  const fn = functionName(f);
  const [leaves, inTree] = treeFlatten<unknown>(primals, isPrimalLeaf);
  const inAvals = leaves.map((l) => primalAval(l, fn));
  let outTree: TreeDef | undefined;
  const traced = traceToJaxpr(
    (xs) => {
      const out = (f as UncheckedFunction)(...treeUnflatten<unknown[]>(inTree, xs));
      const [ol, od] = flattenValues(out, `linear_transpose of ${fn}: output`);
      outTree = od;
      return ol;
    },
    inAvals,
    { fnName: fn, transform: "linear_transpose", argNames: leaves.map(() => "") },
  );
  const jaxpr = dce(traced.jaxpr);
  const closed = new ClosedJaxpr(jaxpr, traced.consts);
  const outAvals = closed.outAvals;
  const all = [...inAvals, ...outAvals];
  if (!(
    all.every((a) => a.dtype.isFloat || a.dtype.isComplex) || all.every((a) => a.dtype.isInt)
  )) {
    throw new TypeError(
      `linear_transpose only supports [float or complex] -> [float or complex], and integer -> ` +
        `integer functions, but got ${dtypeList(inAvals)} -> ${dtypeList(outAvals)}.`,
    );
  }
  const transposed = (ct: unknown): unknown[] => {
    const [cts, ctTree] = flattenValues(ct, `transpose of ${fn}: cotangent`);
    if (ctTree.toString() !== outTree!.toString()) {
      throw new TypeError(
        `cotangent tree does not match function output, expected ${outTree!.toString()} but got ` +
          `${ctTree.toString()}`,
      );
    }
    const mismatch = cts.some((c, i) => {
      const a = avalOf(c);
      const o = outAvals[i]!;
      // A JS number (weakly typed: `1.0` is `1` in JS) takes the output's dtype.
      return (a.dtype !== o.dtype && !a.weakType) || shapeStr(a.shape) !== shapeStr(o.shape);
    });
    if (mismatch) {
      throw new TypeError(
        `cotangent type does not match function output, expected [${outAvals.map((a) => a.toString()).join(", ")}] ` +
          `but got [${cts.map((c) => avalOf(c).toString()).join(", ")}]`,
      );
    }
    const dummies = inAvals.map((a) => new UndefinedPrimal(a.update({ weakType: false })));
    const inCts = backwardPass(
      closed.jaxpr,
      closed.consts,
      dummies,
      cts.map((c, i) => asArray(c).astype(outAvals[i]!.dtype)),
    ).map((c) => instantiateZeros(c!));
    return treeUnflatten<unknown[]>(inTree, inCts);
  };
  Object.defineProperty(transposed, "name", { value: `transpose(${fn})` });
  return transposed;
}
