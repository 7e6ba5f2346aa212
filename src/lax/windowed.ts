/**
 * `lax.reduceWindow` and `lax.padtypeToPads`: JAX recognizes `lax.add` / `lax.max` / `lax.min`
 * with their identity as init value and binds reduce_window_sum / _max / _min; any other
 * computation is traced to a scalar reducer jaxpr and bound as the generic reduce_window.
 */
import type { ShapedArray } from "../core/aval.js";
import { NotImplementedError, ValueError } from "../core/errors.js";
import { checkOptionKeys } from "../core/options.js";
import { type TreeDef, treeFlatten, treeUnflatten } from "../core/pytree.js";
import { ClosedJaxpr, Jaxpr } from "../ir/jaxpr.js";
import {
  type Pair,
  type WindowParams,
  extremumIdentity,
} from "../primitives/windowed/window-params.js";
import { dilateDim, padtypeToPads } from "../primitives/window-geometry.js";
import { reduceWindowGeneric } from "../primitives/windowed/generic.js";
import { reduceWindowMonoid } from "../primitives/windowed/reduce-window.js";
import { add, max, min } from "../primitives/elementwise/functions.js";
import { isConcreteArray } from "../runtime/array.js";
import { Array } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import { functionName } from "../transforms/param-names.js";
import { operand as toOperand } from "./operands.js";

export type Padding = string | readonly (readonly [number, number])[];

export interface ReduceWindowOptions {
  baseDilation?: readonly number[] | null;
  windowDilation?: readonly number[] | null;
}

/** The concrete scalar value of `v`, if it has one (a JS scalar or a concrete 0-d array). */
function concreteScalar(v: unknown): number | boolean | bigint | undefined {
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return v;
  if (!isConcreteArray(v) || v.ndim !== 0 || v.dtype.isComplex) return undefined;
  return v.item() as number | boolean | bigint;
}

/**
 * The init value as an operand. JS numbers do not say int or float (`1` is also Python's
 * `1.`), so a JS number the operand's dtype can hold is taken in that dtype (weakly typed),
 * as a Python user would spell it; other values keep their own dtype (as in JAX, `-Infinity`
 * with an integer operand is a float init value).
 */
function initOperand(x: Array, v: unknown): Array {
  if (typeof v === "number" && (x.dtype.isFloat || (x.dtype.isInt && Number.isInteger(v)))) {
    return scalarConstant(v, x.dtype, true);
  }
  return toOperand("reduce_window", v, "init_value");
}

type Monoid = "sum" | "max" | "min";

/** JAX's `_get_monoid_window_reducer`: which specific primitive `computation` with `init` is. */
function monoidOf(computation: unknown, init: unknown, aval: ShapedArray): Monoid | undefined {
  const v = concreteScalar(init);
  if (v === undefined || aval.ndim !== 0) return undefined;
  const same = (id: number | bigint | boolean) => Number(v) === Number(id);
  if (computation === add) return same(0) ? "sum" : undefined;
  if (computation === max) return same(extremumIdentity(aval.dtype, "max")) ? "max" : undefined;
  if (computation === min) return same(extremumIdentity(aval.dtype, "min")) ? "min" : undefined;
  return undefined;
}

const isLeaf = (x: unknown): boolean => x instanceof Array || typeof x !== "object" || x === null;

/**
 * `lax.reduce_window(operand, init_value, computation, window_dimensions, window_strides,
 * padding, base_dilation, window_dilation)`: `computation` reduced over padded (and
 * optionally dilated) windows. `operand` may be a pytree of arrays of one shape, with
 * `initValue` a pytree of the same structure; `computation` then takes and returns such trees.
 */
export function reduceWindow<T = Array>(
  operand: T,
  initValue: unknown,
  computation: (a: T, b: T) => unknown,
  windowDimensions: readonly number[],
  windowStrides?: readonly number[] | null,
  padding: Padding = "VALID",
  options: ReduceWindowOptions = {},
): T {
  checkOptionKeys("reduce_window", options, ["baseDilation", "windowDilation"]);
  const { baseDilation = null, windowDilation = null } = options;
  const [leaves, tree] = treeFlatten<unknown>(operand, isLeaf);
  const [initLeaves, initTree] = treeFlatten<unknown>(initValue, isLeaf);
  if (!tree.equals(initTree)) {
    throw new ValueError(
      `Operands must have the same tree structure as init_values: ${tree.toString()} vs. ${initTree.toString()}`,
    );
  }
  if (leaves.length === 0) throw new ValueError("reduce_window must have at least one operand.");
  const xs = leaves.map((l) => toOperand("reduce_window", l));
  const inits = initLeaves.map((v, i) => initOperand(xs[i]!, v));
  const nd = windowDimensions.length;
  const ones = () => globalThis.Array.from({ length: nd }, () => 1);
  const strides = windowStrides ? [...windowStrides] : ones();
  const wdil = windowDilation ? [...windowDilation] : ones();
  const pads: Pair[] =
    typeof padding === "string"
      ? padtypeToPads(
          xs[0]!.shape,
          windowDimensions.map((w, k) => dilateDim(w, wdil[k] ?? 1)),
          strides,
          padding,
        )
      : padding.map(([lo, hi]) => [lo, hi]);
  const params: WindowParams = {
    window_dimensions: [...windowDimensions],
    window_strides: strides,
    padding: pads,
    base_dilation: baseDilation ? [...baseDilation] : ones(),
    window_dilation: wdil,
  };
  const monoid = xs.length === 1 ? monoidOf(computation, initLeaves[0], inits[0]!.aval) : undefined;
  if (monoid) return treeUnflatten<T>(tree, [reduceWindowMonoid(monoid, xs[0]!, params)]);
  const scalars = inits.map((v) => v.aval);
  let outTree: TreeDef | undefined;
  const closed = traceToJaxpr(
    (args) => {
      const a = treeUnflatten<T>(tree, args.slice(0, xs.length));
      const b = treeUnflatten<T>(tree, args.slice(xs.length));
      const [outs, t] = treeFlatten<unknown>(computation(a, b), isLeaf);
      outTree = t;
      return outs.map((o) => toOperand("reduce_window", o, "computation output"));
    },
    [...scalars, ...scalars],
    { fnName: functionName(computation), transform: "reduce_window comp", argNames: [] },
  );
  if (!tree.equals(outTree!)) {
    throw new ValueError(
      `reduce_window output must have the same tree structure as the operands ${tree.toString()} vs. ${outTree!.toString()}`,
    );
  }
  if (closed.consts.length > 0) {
    throw new NotImplementedError(
      "lax.reduceWindow with a computation that closes over arrays (reducer consts) is not supported",
    );
  }
  const j = closed.jaxpr;
  const jaxpr = new ClosedJaxpr(new Jaxpr([], j.invars, j.outvars, j.eqns), []);
  return treeUnflatten<T>(tree, reduceWindowGeneric(xs, inits, { ...params, jaxpr, consts: [] }));
}
