/**
 * `lax.cond`, `lax.switch`, `lax.whileLoop`, `lax.foriLoop`: the functions are traced to
 * jaxprs (closed-over values become leading operands) and staged as `cond` / `while`, which
 * compile into the kernel program.
 */
import type { ShapedArray } from "../core/aval.js";
import { int32 } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { checkOptionKeys } from "../core/options.js";
import { type TreeDef, treeFlatten, treeUnflatten } from "../core/pytree.js";
import { ClosedJaxpr, Jaxpr, Var } from "../ir/jaxpr.js";
import { Array } from "../trace/array.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import { type Value, avalOf, bind, bind1 } from "../trace/trace.js";
import { condP, whileP } from "../primitives/control-flow.js";
import { scanP } from "../primitives/scan.js";
import { convertElementType } from "../primitives/convert.js";
import { prims } from "../primitives/elementwise/index.js";
import { asarray, promoteArgs } from "../numpy/coerce.js";
import type {
  AnyFunction,
  ArgsInput,
  ArrayTree,
  UncheckedFunction,
} from "../trace/pytree-types.js";
import { functionName } from "../transforms/param-names.js";

const isLeaf = (x: unknown) => x instanceof Array;
const toArray = (l: unknown): Array => (l instanceof Array ? l : asarray(l as number));

interface Traced {
  /** Const-free: the traced consts are its leading inputs. */
  jaxpr: ClosedJaxpr;
  consts: Value[];
  outTree: TreeDef;
}

/** Trace `call` on abstract inputs; consts become leading inputs of the returned jaxpr. */
function trace(
  f: AnyFunction,
  call: (leaves: Array[]) => unknown,
  avals: readonly ShapedArray[],
  transform: string,
): Traced {
  let outTree: TreeDef | undefined;
  const closed = traceToJaxpr(
    (args) => {
      const [leaves, tree] = treeFlatten<unknown>(call(args), isLeaf);
      outTree = tree;
      return leaves.map(toArray);
    },
    avals,
    { fnName: functionName(f), transform, argNames: [] },
  );
  const j = closed.jaxpr;
  return {
    jaxpr: new ClosedJaxpr(new Jaxpr([], [...j.constvars, ...j.invars], j.outvars, j.eqns), []),
    consts: closed.consts as Value[],
    outTree: outTree!,
  };
}

/** `t`'s jaxpr with unused inputs added before and after its consts (JAX's common consts). */
function padConsts(
  t: Traced,
  before: readonly ShapedArray[],
  after: readonly ShapedArray[],
): ClosedJaxpr {
  const j = t.jaxpr.jaxpr;
  const n = t.consts.length;
  const invars = [
    ...before.map((a) => new Var(a)),
    ...j.invars.slice(0, n),
    ...after.map((a) => new Var(a)),
    ...j.invars.slice(n),
  ];
  return new ClosedJaxpr(new Jaxpr([], invars, j.outvars, j.eqns), []);
}

/**
 * `lax.switch(index, branches, ...operands)`: runs `branches[clamp(index, 0, n-1)]`. The
 * branches take the operands (a JS scalar operand arrives as an Array) and return one type.
 */
export function switch_<Ops extends unknown[], T>(
  index: Value,
  branches: readonly ((...operands: Ops) => T)[],
  ...operands: NoInfer<ArgsInput<Ops>>
): ArrayTree<T>;
export function switch_(
  index: Value,
  branches: readonly AnyFunction[],
  ...operands: unknown[]
): unknown {
  return staged(index, branches, operands);
}

/** `switch` and `cond`: the branches traced on the operands and staged as one `cond`. */
function staged(index: Value, branches: readonly AnyFunction[], operands: unknown[]): unknown {
  if (branches.length === 0)
    throw new ValueError("Empty branch sequence: lax.switch requires at least one branch.");
  const [leaves, inTree] = treeFlatten<unknown>(operands, isLeaf);
  const ops = leaves.map(toArray);
  const avals = ops.map((o) => o.aval);
  const traced = branches.map((b) =>
    trace(
      b,
      (args) => (b as UncheckedFunction)(...treeUnflatten<unknown[]>(inTree, args)),
      avals,
      "cond",
    ),
  );
  const first = traced[0]!;
  for (const t of traced) {
    if (!t.outTree.equals(first.outTree)) {
      throw new TypeError(
        `branches must return the same pytree structure, got ${first.outTree.toString()} and ${t.outTree.toString()}.`,
      );
    }
  }
  const constAvals = traced.map((t) => t.consts.map(avalOf));
  const jaxprs = traced.map((t, i) =>
    padConsts(t, constAvals.slice(0, i).flat(), constAvals.slice(i + 1).flat()),
  );
  let idx = asarray(index as number);
  if (idx.ndim !== 0) throw new TypeError(`switch index must be a scalar, got ${idx.aval.str()}.`);
  if (idx.dtype !== int32) idx = convertElementType(idx, int32);
  const outs = bind(condP, [idx, ...traced.flatMap((t) => t.consts), ...ops], { branches: jaxprs });
  return treeUnflatten(first.outTree, outs);
}

/** `lax.cond(pred, trueFun, falseFun, ...operands)`: both functions take the operands. */
export function cond<Ops extends unknown[], T>(
  pred: Value,
  trueFun: (...operands: Ops) => T,
  falseFun: (...operands: Ops) => T,
  ...operands: NoInfer<ArgsInput<Ops>>
): ArrayTree<T>;
export function cond(
  pred: Value,
  trueFun: AnyFunction,
  falseFun: AnyFunction,
  ...operands: unknown[]
): unknown {
  if (typeof trueFun !== "function" || typeof falseFun !== "function")
    throw new TypeError("lax.cond: true_fun and false_fun arguments should be callable.");
  const p = asarray(pred as number);
  if (p.ndim !== 0) throw new TypeError(`Pred must be a scalar, got ${p.aval.str()}.`);
  const asBool = p.dtype.isBool ? p : bind1(prims["ne"]!, [p, 0]);
  return staged(asBool, [falseFun, trueFun], operands);
}

/** `lax.whileLoop(condFun, bodyFun, initVal)`: `while (condFun(val)) val = bodyFun(val)`. */
export function whileLoop<T>(condFun: (val: T) => unknown, bodyFun: (val: T) => T, initVal: T): T {
  const [leaves, inTree] = treeFlatten<unknown>(initVal, isLeaf);
  const init = leaves.map(toArray);
  const avals = init.map((x) => x.aval);
  const unflat = (args: Array[]) => treeUnflatten<T>(inTree, args);
  const c = trace(condFun, (args) => condFun(unflat(args)), avals, "while_loop");
  const b = trace(bodyFun, (args) => bodyFun(unflat(args)), avals, "while_loop");
  if (!b.outTree.equals(inTree)) {
    throw new TypeError(
      `body_fun output and input must have identical types: input ${inTree.toString()}, output ${b.outTree.toString()}.`,
    );
  }
  const outs = bind(whileP, [...c.consts, ...b.consts, ...init], {
    cond_jaxpr: c.jaxpr,
    body_jaxpr: b.jaxpr,
    cond_nconsts: c.consts.length,
    body_nconsts: b.consts.length,
  });
  return treeUnflatten(inTree, outs);
}

/**
 * `lax.foriLoop(lower, upper, bodyFun, initVal)`: `for (i = lower; i < upper; i++) val =
 * bodyFun(i, val)`. As in JAX, a static trip count (JS numbers) stages `scan` — which reverse
 * mode can differentiate — and traced bounds stage `while`.
 */
export function foriLoop<T>(
  lower: Value,
  upper: Value,
  bodyFun: (i: Array, val: T) => T,
  initVal: T,
  opts: { unroll?: number | boolean } = {},
): T {
  for (const [name, b] of [
    ["lower", lower],
    ["upper", upper],
  ] as const) {
    const isInt =
      typeof b === "number"
        ? Number.isInteger(b)
        : typeof b === "bigint" || asarray(b as Array).dtype.isInt;
    if (!isInt)
      throw new TypeError(
        `fori_loop: ${name} must be an integer (a JS integer or an integer array), got ${
          typeof b === "number" ? b : asarray(b as Array).aval.str()
        }.`,
      );
  }
  if (typeof lower === "number" && typeof upper === "number") {
    type Carry = [Array, T];
    const [[, val]] = scan<Carry, null, null>(
      ([i, v]) => [[bind1(prims["add"]!, [i, 1]), bodyFun(i, v)], null],
      [asarray(lower), initVal],
      null,
      { length: Math.max(0, upper - lower), unroll: opts.unroll ?? 1 },
    );
    return val;
  }
  if (opts.unroll !== undefined && opts.unroll !== 1 && opts.unroll !== false) {
    throw new ValueError(
      "Can only use `unroll` in `fori_loop` if the loop bounds are statically known.",
    );
  }
  type Carry = [Array, Array, T];
  const [, , val] = whileLoop<Carry>(
    ([i, u]) => bind1(prims["lt"]!, [i, u]),
    ([i, u, v]) => [bind1(prims["add"]!, [i, 1]), u, bodyFun(i, v)],
    [...(promoteArgs(lower, upper) as [Array, Array]), initVal],
  );
  return val;
}

/**
 * `lax.scan(f, init, xs, { length, reverse })`: `f(carry, x) → [carry, y]` over the leading
 * axis of the pytree `xs`; returns `[finalCarry, stackedYs]` (the ys keep y's structure, each
 * leaf an Array with the extra leading axis).
 */
export function scan<C, X, Y>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X | null,
  opts: { length?: number; reverse?: boolean; unroll?: number | boolean } = {},
): [C, ArrayTree<Y>] {
  const [carryLeaves, carryTree] = treeFlatten<unknown>(init, isLeaf);
  const [xLeaves, xTree] = treeFlatten<unknown>(xs, isLeaf);
  const carry = carryLeaves.map(toArray);
  const xArrays = xLeaves.map(toArray);
  checkOptionKeys("scan", opts, ["length", "reverse", "unroll"]);
  const scalar = xArrays.find((x) => x.ndim === 0);
  if (scalar) {
    throw new ValueError(
      `scan got value with no leading axis to scan over: an xs leaf of shape (). ` +
        `Every xs leaf needs a leading axis (the scan length); stack scalars into a 1-d array.`,
    );
  }
  const lengths = new Set(xArrays.map((x) => x.shape[0]));
  if (opts.length !== undefined) lengths.add(opts.length);
  if (lengths.size > 1) {
    throw new ValueError(
      `scan got values with different leading axis sizes: ${[...lengths].join(", ")}; ` +
        `pass xs with equal leading dimensions, or length when xs is null.`,
    );
  }
  const length = [...lengths][0]!;
  const nc = carry.length;
  const avals = [
    ...carry.map((c) => c.aval),
    ...xArrays.map((x) => x.aval.update({ shape: x.shape.slice(1) })),
  ];
  let yTree: TreeDef | undefined;
  const traced = trace(
    f,
    (args) => {
      const c = treeUnflatten<C>(carryTree, args.slice(0, nc));
      const x = treeUnflatten<X>(xTree, args.slice(nc));
      const out = f(c, x);
      if (!globalThis.Array.isArray(out) || out.length !== 2) {
        throw new TypeError("scan body must return a pair [carry, y].");
      }
      const [cLeaves, cTree] = treeFlatten<unknown>(out[0], isLeaf);
      if (!cTree.equals(carryTree)) {
        throw new TypeError(
          `scan body carry output structure ${cTree.toString()} differs from input ${carryTree.toString()}.`,
        );
      }
      const [yLeaves, yt] = treeFlatten<unknown>(out[1], isLeaf);
      yTree = yt;
      return [...cLeaves, ...yLeaves];
    },
    avals,
    "scan",
  );
  const numConsts = traced.consts.length;
  const outs = bind(scanP, [...traced.consts, ...carry, ...xArrays], {
    _split_transpose: false,
    jaxpr: traced.jaxpr,
    length,
    linear: new globalThis.Array(numConsts + carry.length + xArrays.length).fill(false),
    num_carry: nc,
    num_consts: numConsts,
    reverse: opts.reverse ?? false,
    unroll: scanUnroll(opts.unroll, length),
  });
  return [
    treeUnflatten<C>(carryTree, outs.slice(0, nc)),
    treeUnflatten<ArrayTree<Y>>(yTree!, outs.slice(nc)),
  ];
}

/** JAX's scan `unroll`: a positive int, or a bool (true: the whole length; false: 1). */
function scanUnroll(unroll: number | boolean | undefined, length: number): number {
  if (unroll === undefined || unroll === false) return 1;
  if (unroll === true) return Math.max(length, 1);
  if (!Number.isInteger(unroll) || unroll < 1) {
    throw new ValueError("`unroll` must be a `bool` or a positive `int`.");
  }
  return unroll;
}
