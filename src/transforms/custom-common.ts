/** Shared pieces of customJvp / customVjp: function-valued params, batching helpers, pytree checks. */
import type { ShapedArray } from "../core/aval.js";
import { UnexpectedTracerError } from "../core/errors.js";
import { type TreeDef, treeUnflatten } from "../core/pytree.js";
import { shapeStr } from "../core/shape.js";
import { Array as ArrayClass, type Array } from "../trace/array.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import { type Tangent, Zero } from "../trace/primitive.js";
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { type Value, avalOf } from "../trace/trace.js";
import { full } from "../primitives/constants.js";
import { flattenValues } from "./pytree-args.js";
import { asArray, hoistConsts } from "./eval-jaxpr.js";
import { tangentAval } from "./ad/tangents.js";
import { type BatchDim, batchFlat, matchAxis } from "./vmap-trace.js";

/** A function-valued param: identity-compared, printed like Python's `<function name>`. */
export class FnParam<F extends AnyFunction = AnyFunction> {
  constructor(
    readonly fn: F,
    readonly label: string,
  ) {}
  toString(): string {
    return `<function ${this.label}>`;
  }
}

/** `zeros[i]`: tangent i is a symbolic zero (instantiated in `tangents`; rules with symbolicZeros see it). */
export type JvpFn = (
  primals: Array[],
  tangents: Array[],
  zeros?: readonly boolean[],
) => [Array[], Array[]];
/** `perturbed[i]`: primal i has a nonzero tangent (symbolicZeros fwd rules see it). */
export type FwdFn = (primals: Array[], perturbed?: readonly boolean[]) => [Array[], Array[]];
/** `zeros[i]`: cotangent i is a symbolic zero (instantiated in `cts`). */
export type BwdFn = (res: Array[], cts: Array[], zeros?: readonly boolean[]) => Tangent[];

export const closedOverError = (kind: "custom_jvp" | "custom_vjp") =>
  new UnexpectedTracerError(
    `Detected differentiation of a ${kind} function with respect to a closed-over value. That isn't supported ` +
      `because the custom ${kind === "custom_jvp" ? "JVP" : "VJP"} rule only specifies how to differentiate the ` +
      `${kind} function with respect to explicit input parameters. Try passing the closed-over value into the ` +
      `${kind} function as an argument, and adapting the ${kind} rule.`,
  );

/** Run a flat function batched, with every output moved (or broadcast) to batch axis 0. */

export function batchedAll0(
  fn: (xs: Value[]) => readonly Value[],
  args: readonly Value[],
  dims: readonly BatchDim[],
  axisSize: number,
): Array[] {
  const r = batchFlat(fn, args, dims, axisSize);
  return r.outs.map((o, i) => matchAxis(o, r.outDims[i]!, 0, axisSize));
}

/** Batch args: batched ones moved to axis 0. */
export function moveTo0(
  args: readonly Array[],
  dims: readonly BatchDim[],
): { args: Array[]; dims: BatchDim[] } {
  return {
    args: args.map((a, i) =>
      dims[i] === null ? a : matchAxis(a, dims[i]!, 0, a.shape[dims[i]!]!),
    ),
    dims: dims.map((d) => (d === null ? null : 0)),
  };
}

export interface CustomOptions {
  /** Positions of arguments that are not differentiated (passed first to the rules). */
  nondiffArgnums?: readonly number[];
}

/** The keys CustomOptions has (an unknown key is a TypeError naming the nearest). */
export const CUSTOM_OPTION_KEYS = Object.keys({
  nondiffArgnums: true,
} satisfies Record<keyof CustomOptions, true>);

export interface Split {
  diff: unknown[];
  nondiff: unknown[];
  rebuild: (diff: readonly unknown[]) => unknown[];
}

export function splitArgs(args: readonly unknown[], nondiff: readonly number[]): Split {
  const nd = nondiff.map((i) => (i < 0 ? i + args.length : i));
  const diffPos = args.map((_, i) => i).filter((i) => !nd.includes(i));
  return {
    diff: diffPos.map((i) => args[i]),
    nondiff: nd.map((i) => args[i]),
    rebuild: (d) => {
      const full_ = [...args];
      diffPos.forEach((p, k) => (full_[p] = d[k]));
      return full_;
    },
  };
}

/** Trace `f` on the flattened differentiable arguments; consts hoisted to leading inputs. */
export function traceFun(
  f: AnyFunction,
  split: Split,
  leaves: readonly Value[],
  inTree: TreeDef,
  name: string,
) {
  let outTree: TreeDef | undefined;
  const closed = traceToJaxpr((xs) => {
    const out = (f as UncheckedFunction)(...split.rebuild(treeUnflatten<unknown[]>(inTree, xs)));
    const [ol, od] = flattenValues(out, `output of ${name}`);
    outTree = od;
    return ol;
  }, leaves.map(avalOf));
  return { ...hoistConsts(closed), outTree: outTree! };
}

/** Leaves of `tree` (structure `def`), JS numbers made arrays like `like`. */
export function leavesLike(
  tree: unknown,
  def: TreeDef,
  like: readonly ShapedArray[],
  what: string,
): Array[] {
  const [ls, d] = flattenValues(tree, what);
  if (!d.equals(def)) {
    throw new TypeError(
      `${what}: expected a value with the pytree structure ${def.toString()}, got ${d.toString()}.`,
    );
  }
  return ls.map((l, i) =>
    typeof l === "number" || typeof l === "boolean"
      ? full(like[i]!.shape, l, like[i]!.dtype, like[i]!.weakType)
      : asArray(l),
  );
}

/**
 * Cotangent leaves for an argument of structure `def`: `null` anywhere stands for zeros of
 * that whole subtree (as JAX's None cotangents).
 */
export function ctLeaves(
  ct: unknown,
  def: TreeDef,
  avals: readonly ShapedArray[],
  what: string,
): Tangent[] {
  const out: Tangent[] = [];
  let k = 0;
  const walk = (c: unknown, d: TreeDef): void => {
    if (c === null || c === undefined) {
      for (let i = 0; i < d.numLeaves; i++) out.push(new Zero(avals[k++]!));
      return;
    }
    if (d.kind === "list" && globalThis.Array.isArray(c) && c.length === d.children.length) {
      d.children.forEach((cd, i) => walk(c[i], cd));
      return;
    }
    if (d.kind === "dict" && typeof c === "object" && !isArrayValue(c)) {
      (d.meta as string[]).forEach((key, i) =>
        walk((c as Record<string, unknown>)[key], d.children[i]!),
      );
      return;
    }
    const sub = avals.slice(k, k + d.numLeaves);
    k += d.numLeaves;
    out.push(...leavesLike(c, d, sub, what));
  };
  walk(ct, def);
  return out;
}

const isArrayValue = (x: unknown) => x instanceof ArrayClass;

export function checkTangents(outs: readonly Array[], tans: readonly Array[]): void {
  outs.forEach((o, i) => {
    const expected = tangentAval(o.aval);
    const t = tans[i]!;
    if (
      t.dtype !== expected.dtype ||
      t.ndim !== o.ndim ||
      t.shape.some((d, k) => d !== o.shape[k])
    ) {
      throw new TypeError(
        `Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. For example, ` +
          `for primal output of shape ${shapeStr(o.shape)} and dtype ${o.dtype.name} the expected tangent has shape ` +
          `${shapeStr(o.shape)} and dtype ${expected.dtype.name}, but got shape ${shapeStr(t.shape)} and dtype ${t.dtype.name}.`,
      );
    }
  });
}
