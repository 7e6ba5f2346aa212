/**
 * `closureConvert(f, ...exampleArgs)` (JAX's `jax.closure_convert`): `f` traced on the
 * examples' shapes into a jaxpr; the values it closes over that may carry a derivative
 * (tracers of an enclosing transformation, except those whose tangent is trivially zero) are
 * hoisted out as explicit trailing arguments. Returns `[converted, hoistedConsts]` with
 * `converted(...args, ...hoistedConsts)` equal to `f(...args)`: what a `customVjp` needs to
 * differentiate with respect to closed-over values.
 */
import type { ShapedArray } from "../core/aval.js";
import { isTypedArray } from "../core/dtype.js";
import { type TreeDef, treeFlatten, treeUnflatten } from "../core/pytree.js";
import { ShapeDtypeStruct } from "../core/shape-dtype-struct.js";
import { Array } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { isJaxprTracer, traceToJaxpr } from "../trace/jaxpr-trace.js";
import { Zero } from "../trace/primitive.js";
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { avalOf, isTracer } from "../trace/trace.js";
import { typedArrayToArray } from "../runtime/array.js";
import { JVPTracer } from "./ad/jvp.js";
import { evalJaxpr } from "./eval-jaxpr.js";
import { flattenValues } from "./pytree-args.js";
import { functionName } from "./param-names.js";

/** JAX's `_maybe_perturbed`: could `x` carry a nonzero tangent? */
function maybePerturbed(x: unknown): boolean {
  if (!isTracer(x)) return false;
  if (x instanceof JVPTracer && x.tangent instanceof Zero) return maybePerturbed(x.primal);
  if (isJaxprTracer(x)) {
    // Staging: differentiation may come later, except for values whose tangents are float0.
    const d = x.aval.dtype;
    return d.isFloat || d.isComplex;
  }
  return true;
}

function exampleAval(leaf: unknown): ShapedArray {
  if (leaf instanceof ShapeDtypeStruct) return leaf.aval;
  if (isTypedArray(leaf)) return typedArrayToArray(leaf).aval;
  if (leaf instanceof Array || typeof leaf === "number" || typeof leaf === "boolean") {
    return avalOf(leaf);
  }
  throw new TypeError(
    `closure_convert: an example argument of type ${leaf === null ? "null" : typeof leaf} is not a ` +
      `valid JAX type. Pass arrays, scalars or ShapeDtypeStructs (or pytrees of them).`,
  );
}

/**
 * JAX's `jax.closure_convert`: `[converted, hoistedConsts]` where `converted(...args,
 * ...hoistedConsts)` computes `f(...args)` with the closed-over, possibly differentiated values
 * passed explicitly.
 */
export function closureConvert(
  f: AnyFunction,
  ...exampleArgs: unknown[]
): [(...argsAndConsts: unknown[]) => unknown, Array[]] {
  if (typeof f !== "function") {
    throw new TypeError(`closure_convert expects a function, got ${typeof f}.`);
  }
  const fn = functionName(f);
  const isLeaf = (x: unknown) =>
    x instanceof Array || isTypedArray(x) || x instanceof ShapeDtypeStruct;
  const [leaves, inTree] = treeFlatten<unknown>(exampleArgs, isLeaf);
  let outTree: TreeDef | undefined;
  const closed = traceToJaxpr(
    (xs) => {
      const out = (f as UncheckedFunction)(...treeUnflatten<unknown[]>(inTree, xs));
      const [ol, od] = flattenValues(out, `closure_convert of ${fn}: output`);
      outTree = od;
      return ol;
    },
    leaves.map(exampleAval),
    { fnName: fn, transform: "closure_convert", argNames: leaves.map(() => "") },
  );
  const perturbed = closed.consts.map(maybePerturbed);
  const hoisted = closed.consts.filter((_, i) => perturbed[i]) as Array[];
  const numHoisted = hoisted.length;
  const converted = (...argsAndConsts: unknown[]): unknown => {
    const numArgs = argsAndConsts.length - numHoisted;
    const args = argsAndConsts.slice(0, numArgs);
    const given = argsAndConsts.slice(numArgs);
    const [flat, tree2] = flattenValues(args, `closure_convert of ${fn}: arguments`);
    if (numArgs < 0 || tree2.toString() !== inTree.toString()) {
      throw new TypeError(
        `The inputs to the closure produced by closure_convert must have the same Pytree ` +
          `structure as the example arguments passed when closure_convert was called. Expected ` +
          `${inTree.toString()}, but got ${tree2.toString()}`,
      );
    }
    let k = 0;
    const consts = closed.consts.map((c, i) => (perturbed[i] ? given[k++] : c));
    // A JS number stands for a scalar of the example's dtype (`2.0` is `2` in JS).
    const ins = flat.map((x, i) => {
      const a = closed.jaxpr.invars[i]!.aval;
      return typeof x === "number" && a.ndim === 0 ? scalarConstant(x, a.dtype, a.weakType) : x;
    });
    const outs = evalJaxpr(closed.jaxpr, consts, ins);
    return treeUnflatten(outTree!, outs);
  };
  Object.defineProperty(converted, "name", { value: fn });
  return [converted, hoisted];
}
