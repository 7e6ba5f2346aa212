/** customVjp: the `custom_vjp_call_jaxpr` and `custom_lin` primitives, their rules, and the user API. */
import type { ShapedArray } from "../core/aval.js";
import { type TreeDef, treeLeafPaths, treeUnflatten } from "../core/pytree.js";
import { checkOptionKeys } from "../core/options.js";
import type { ClosedJaxpr, Params } from "../ir/jaxpr.js";
import type { Array } from "../trace/array.js";
import {
  type Primitive,
  UndefinedPrimal,
  Zero,
  inlineCallJaxpr,
  notBatchable,
  notDifferentiable,
  notLinear,
  providedByTransforms,
} from "../trace/primitive.js";
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { type Value, avalOf, bind, isTransforming } from "../trace/trace.js";
import { type PartialEvalRule, definePrimitive, provideRules } from "../primitives/define.js";
import { reduceSum } from "../primitives/reductions.js";
import { functionName } from "./param-names.js";
import { flattenValues, isLeafValue } from "./pytree-args.js";
import { checkBwdCotangent } from "./custom-vjp-check.js";
import { CustomVJPPrimal, SymbolicZero, symbolicZerosToNull } from "./symbolic-zero.js";
import { asArray, evalClosed } from "./eval-jaxpr.js";
import { instantiateZeros, tangentAval } from "./ad/tangents.js";
import { type PETrace, type PETracer } from "./ad/partial-eval.js";
import { batchFlat, batchJaxpr, matchAxis } from "./vmap-trace.js";
import {
  type BwdFn,
  type CustomOptions,
  FnParam,
  type FwdFn,
  CUSTOM_OPTION_KEYS,
  batchedAll0,
  closedOverError,
  ctLeaves,
  leavesLike,
  moveTo0,
  splitArgs,
  traceFun,
} from "./custom-common.js";

interface CustomVjpParams extends Params {
  fun_jaxpr: ClosedJaxpr;
  fwd_jaxpr_thunk: FnParam<FwdFn>;
  bwd: FnParam<BwdFn>;
  num_consts: number;
  out_trees: FnParam;
  symbolic_zeros: boolean;
}

interface CustomLinParams extends Params {
  num_res: number;
  bwd: FnParam<BwdFn>;
  out_avals: ShapedArray[];
  symbolic_zeros: boolean;
}

export const customLinP: Primitive<CustomLinParams> = definePrimitive<CustomLinParams>({
  name: "custom_lin",
  abstractEval: (_avals, { out_avals }) => out_avals,
  lower() {
    throw new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
  },
  jvp: notDifferentiable("the linear part of a custom_vjp function: only its transpose runs"),
  batch: notBatchable("none written (JAX has none either)"),
  transpose(cts, args, { num_res, bwd, out_avals }) {
    const res = args.slice(0, num_res).map((r) => {
      if (r instanceof UndefinedPrimal)
        throw new Error("custom_lin: residuals must be known (internal error)");
      return r;
    });
    const ctsOut = cts.map((c, i) =>
      c instanceof Zero ? instantiateZeros(new Zero(out_avals[i]!)) : c,
    );
    const ctsIn = bwd.fn(
      res,
      ctsOut,
      cts.map((c) => c instanceof Zero),
    );
    return [...res.map(() => null), ...ctsIn];
  },
});

export const customVjpCallP: Primitive<CustomVjpParams> = definePrimitive<CustomVjpParams>({
  name: "custom_vjp_call_jaxpr",
  abstractEval: (_avals, { fun_jaxpr }) => fun_jaxpr.outAvals,
  lower: inlineCallJaxpr<CustomVjpParams>("fun_jaxpr"),
  transpose: notLinear,
  partialEval: providedByTransforms,
  jvp(primals, tangents, { fwd_jaxpr_thunk, bwd, num_consts }) {
    if (tangents.slice(0, num_consts).some((t) => !(t instanceof Zero)))
      throw closedOverError("custom_vjp");
    const ps = primals.slice(num_consts);
    const ts = tangents
      .slice(num_consts)
      .map((t, i) =>
        t instanceof Zero ? instantiateZeros(new Zero(tangentAval(ps[i]!.aval))) : t,
      );
    const [outs, res] = fwd_jaxpr_thunk.fn(
      ps,
      tangents.slice(num_consts).map((t) => !(t instanceof Zero)),
    );
    const outAvals = outs.map((o) => tangentAval(o.aval));
    const touts = bind(customLinP, [...res, ...ts], {
      num_res: res.length,
      bwd,
      out_avals: outAvals,
      symbolic_zeros: false,
    });
    return [outs, touts];
  },
  batch(args, dims, params, axisSize) {
    const m = moveTo0(args, dims);
    const nc = params.num_consts;
    const b = batchJaxpr(params.fun_jaxpr, axisSize, m.dims, true);
    const userDims = m.dims.slice(nc);
    const fwd = params.fwd_jaxpr_thunk.fn;
    const bwd = params.bwd.fn;
    let nOut = 0;
    const fwdB: FwdFn = (ps, perturbed) => {
      const outs = batchedAll0(
        (xs) => {
          const [o, r] = fwd(xs as Array[], perturbed);
          nOut = o.length;
          return [...o, ...r];
        },
        ps,
        userDims,
        axisSize,
      );
      return [outs.slice(0, nOut), outs.slice(nOut)];
    };
    const bwdB: BwdFn = (res, cts, zeros) => {
      const nRes = res.length;
      const r = batchFlat(
        (xs) =>
          bwd(xs.slice(0, nRes) as Array[], xs.slice(nRes) as Array[], zeros).map(
            (c) => (c instanceof Zero ? instantiateZeros(c) : c) as Value,
          ),
        [...res, ...cts],
        [...res, ...cts].map(() => 0),
        axisSize,
      );
      // An unbatched input's cotangent sums the per-example ones.
      return r.outs.map((o, i) => {
        const d = r.outDims[i]!;
        if (userDims[i] === null) return d === null ? o : reduceSum(o, [d]);
        return matchAxis(o, d, 0, axisSize);
      });
    };
    const outs = bind(customVjpCallP, [...b.consts, ...m.args], {
      ...params,
      fun_jaxpr: b.jaxpr,
      fwd_jaxpr_thunk: new FnParam(fwdB, params.fwd_jaxpr_thunk.label),
      bwd: new FnParam(bwdB, params.bwd.label),
      num_consts: b.consts.length + nc,
    });
    return [outs, outs.map(() => 0)];
  },
});

const customVjpPartialEval: PartialEvalRule<CustomVjpParams> = (
  _trace: PETrace,
  tracers: PETracer[],
  p,
) => {
  const { fun_jaxpr } = p as CustomVjpParams;
  return evalClosed(fun_jaxpr, tracers);
};
provideRules(customVjpCallP, { partialEval: customVjpPartialEval });

/**
 * Options of `defvjp` (JAX's `symbolic_zeros`): the fwd rule gets `CustomVJPPrimal(value,
 * perturbed)` leaves, the bwd rule `SymbolicZero` for zero output cotangents and may return
 * `SymbolicZero` (or null) for zero input cotangents.
 */
export interface DefVjpOptions {
  symbolicZeros?: boolean;
}

/** A `defvjp` fwd rule: the function's arguments → `[out, residuals]`. */
export type FwdRule = (...args: never[]) => readonly [unknown, unknown];
/** A `defvjp` bwd rule: `(...nondiff, residuals, ct)` → one cotangent per differentiable argument. */
export type BwdRule = (...args: never[]) => readonly unknown[];

export interface CustomVjpFunction<F extends AnyFunction> {
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * `fwd(...args)` → `[out, residuals]`; `bwd(...nondiff, residuals, ct)` → one cotangent per
   * differentiable argument (null for zero).
   */
  defvjp(fwd: FwdRule, bwd: BwdRule, opts?: DefVjpOptions): CustomVjpFunction<F>;
  readonly fun: F;
}

export function customVjp<F extends AnyFunction>(
  f: F,
  opts: CustomOptions = {},
): CustomVjpFunction<F> {
  checkOptionKeys("customVjp", opts, CUSTOM_OPTION_KEYS);
  const name = functionName(f);
  const nondiff = opts.nondiffArgnums ?? [];
  let rules: { fwd: UncheckedFunction; bwd: UncheckedFunction } | undefined;
  let symbolicZeros = false;
  const call = function (...args: unknown[]): unknown {
    if (!rules) throw new TypeError(`No VJP defined for custom_vjp function ${name} using defvjp.`);
    const { fwd, bwd } = rules;
    if (!isTransforming()) return (f as AnyFunction as UncheckedFunction)(...args);
    const split = splitArgs(args, nondiff);
    const [leaves, inTree] = flattenValues(split.diff, `custom_vjp function ${name}`);
    const inAvals = leaves.map(avalOf);
    const { jaxpr, consts, outTree } = traceFun(f, split, leaves, inTree, name);
    const outAvals = jaxpr.outAvals;
    let resTree: TreeDef | undefined;
    const fwdFn: FwdFn = (ps, perturbed) => {
      // symbolicZeros: each primal leaf comes as CustomVJPPrimal(value, perturbed).
      const given = symbolicZeros
        ? ps.map((p, i) => new CustomVJPPrimal(p, perturbed?.[i] ?? true))
        : ps;
      const r = fwd(...split.rebuild(treeUnflatten<unknown[]>(inTree, given)));
      if (!globalThis.Array.isArray(r) || r.length !== 2) {
        throw new TypeError(
          `Custom VJP fwd rule ${name} must produce a pair (list or tuple of length two) representing primal outputs ` +
            `and residuals (values stored from the forward pass for use on the backward pass), got ${String(r)}.`,
        );
      }
      const outs = leavesLike(
        r[0],
        outTree,
        outAvals,
        `Custom VJP fwd rule ${name}: primal output`,
      );
      const [res, rt] = flattenValues(r[1], `Custom VJP fwd rule ${name}: residuals`);
      resTree = rt;
      return [outs, res.map(asArray)];
    };
    const argTrees = split.diff.map((d) => flattenValues(d, name)[1]);
    const leafPaths = treeLeafPaths(split.diff, isLeafValue);
    const bwdFn: BwdFn = (res, cts, zeros) => {
      const givenCts = symbolicZeros
        ? cts.map((c, i) => (zeros?.[i] ? new SymbolicZero(c.aval) : c))
        : cts;
      const r0 = bwd(
        ...split.nondiff,
        treeUnflatten(resTree!, res),
        treeUnflatten(outTree, givenCts),
      );
      const r = symbolicZeros ? symbolicZerosToNull(r0) : r0;
      if (!globalThis.Array.isArray(r) || r.length !== split.diff.length) {
        throw new TypeError(
          `Custom VJP bwd rule must produce a tuple (JS array) of length equal to the number of primal inputs ` +
            `(${split.diff.length}), but got ${globalThis.Array.isArray(r) ? `length ${r.length}` : String(r)}.`,
        );
      }
      let k = 0;
      const ctsIn = r.flatMap((c, i) => {
        const def = argTrees[i]!;
        const avals = inAvals.slice(k, k + def.numLeaves).map(tangentAval);
        k += def.numLeaves;
        return ctLeaves(c, def, avals, `Custom VJP bwd rule ${name}: cotangent of argument ${i}`);
      });
      return ctsIn.map((c, j) => checkBwdCotangent(c, inAvals[j]!, leafPaths[j]!));
    };
    const outs = bind(customVjpCallP, [...consts, ...leaves], {
      fun_jaxpr: jaxpr,
      fwd_jaxpr_thunk: new FnParam(fwdFn, `${name}_fwd`),
      bwd: new FnParam(bwdFn, `${name}_bwd`),
      num_consts: consts.length,
      out_trees: new FnParam(() => outTree, "out_trees"),
      symbolic_zeros: symbolicZeros,
    });
    return treeUnflatten(outTree, outs);
  } as unknown as CustomVjpFunction<F>;
  Object.defineProperty(call, "name", { value: name });
  Object.assign(call, {
    fun: f,
    defvjp(fwd: FwdRule, bwd: BwdRule, ruleOpts: DefVjpOptions = {}) {
      checkOptionKeys("defvjp", ruleOpts, ["symbolicZeros"]);
      rules = { fwd: fwd as UncheckedFunction, bwd: bwd as UncheckedFunction };
      symbolicZeros = ruleOpts.symbolicZeros ?? false;
      return call;
    },
  });
  return call;
}
