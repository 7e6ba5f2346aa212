/**
 * `customJvp` and `customVjp`: functions with user-defined derivative rules.
 *
 *   const f = customJvp((x, y) => …);
 *   f.defjvp(([x, y], [tx, ty]) => [out, tangentOut]);      // or f.defjvps((g, ans, x, y) => …, …)
 *
 *   const g = customVjp((x, y) => …);
 *   g.defvjp((x, y) => [out, residuals], (residuals, ct) => [ctX, ctY]);   // null: zero cotangent
 *
 * With `{ nondiffArgnums: [i, …] }` those arguments are passed unchanged (not differentiated)
 * to the rules, first: `jvp(...nondiff, primals, tangents)`, `bwd(...nondiff, res, ct)`.
 * Outside transformations the function is just called. Under a transformation it is traced
 * to a jaxpr and bound as `custom_jvp_call` / `custom_vjp_call_jaxpr`: the JVP trace applies
 * the rule (for custom_vjp: `fwd` now, and a `custom_lin` equation whose transpose calls
 * `bwd`); other traces (jit, vmap) transform the function and the rules alike. Rules must not
 * close over values they differentiate with respect to (as in JAX).
 */
import { ShapedArray } from "../core/aval.js";
import { UnexpectedTracerError } from "../core/errors.js";
import { type TreeDef, treeUnflatten } from "../core/pytree.js";
import { shapeStr } from "../core/shape.js";
import type { ClosedJaxpr, Params } from "../ir/jaxpr.js";
import type { Array } from "../trace/array.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import { type Primitive, type Tangent, UndefinedPrimal, Zero } from "../trace/primitive.js";
import { type Value, avalOf, bind, isTransforming } from "../trace/trace.js";
import { definePrimitive } from "../primitives/define.js";
import { full } from "../primitives/constants.js";
import { reduceSum } from "../primitives/reductions.js";
import { functionName } from "./param-names.js";
import { flattenValues } from "./pytree-args.js";
import { asArray, evalClosed, hoistConsts } from "./eval-jaxpr.js";
import { instantiateZeros, tangentAval } from "./ad/tangents.js";
import { type PETrace, type PETracer, registerPartialEvalRule } from "./ad/partial-eval.js";
import { type BatchDim, batchFlat, batchJaxpr, matchAxis } from "./vmap-trace.js";

/** A function-valued param: identity-compared, printed like Python's `<function name>`. */
export class FnParam<F extends (...args: any[]) => any = (...args: any[]) => any> {
  constructor(
    readonly fn: F,
    readonly label: string,
  ) {}
  toString(): string {
    return `<function ${this.label}>`;
  }
}

type JvpFn = (primals: Array[], tangents: Array[]) => [Array[], Array[]];
type FwdFn = (primals: Array[]) => [Array[], Array[]];
type BwdFn = (res: Array[], cts: Array[]) => Tangent[];

interface CustomJvpParams extends Params {
  call_jaxpr: ClosedJaxpr;
  jvp_jaxpr_thunk: FnParam<JvpFn>;
  num_consts: number;
  symbolic_zeros: boolean;
}

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

const closedOverError = (kind: "custom_jvp" | "custom_vjp") =>
  new UnexpectedTracerError(
    `Detected differentiation of a ${kind} function with respect to a closed-over value. That isn't supported ` +
      `because the custom ${kind === "custom_jvp" ? "JVP" : "VJP"} rule only specifies how to differentiate the ` +
      `${kind} function with respect to explicit input parameters. Try passing the closed-over value into the ` +
      `${kind} function as an argument, and adapting the ${kind} rule.`,
  );

/** Run a flat function batched, with every output moved (or broadcast) to batch axis 0. */
function batchedAll0(fn: (xs: Value[]) => readonly Value[], args: readonly Value[], dims: readonly BatchDim[], axisSize: number): Array[] {
  const r = batchFlat(fn, args, dims, axisSize);
  return r.outs.map((o, i) => matchAxis(o, r.outDims[i]!, 0, axisSize));
}

/** Batch args: batched ones moved to axis 0. */
function moveTo0(args: readonly Array[], dims: readonly BatchDim[]): { args: Array[]; dims: BatchDim[] } {
  return {
    args: args.map((a, i) => (dims[i] === null ? a : matchAxis(a, dims[i]!, 0, a.shape[dims[i]!]!))),
    dims: dims.map((d) => (d === null ? null : 0)),
  };
}

// ------------------------------------------------------------------------------- custom_jvp_call

export const customJvpCallP: Primitive<CustomJvpParams> = definePrimitive<CustomJvpParams>({
  name: "custom_jvp_call",
  abstractEval: (_avals, { call_jaxpr }) => call_jaxpr.outAvals,
  jvp(primals, tangents, { jvp_jaxpr_thunk, num_consts }) {
    if (tangents.slice(0, num_consts).some((t) => !(t instanceof Zero))) throw closedOverError("custom_jvp");
    const ps = primals.slice(num_consts);
    const ts = tangents.slice(num_consts).map((t, i) => (t instanceof Zero ? instantiateZeros(new Zero(tangentAval(ps[i]!.aval))) : t));
    return jvp_jaxpr_thunk.fn(ps, ts);
  },
  batch(args, dims, params, axisSize) {
    const m = moveTo0(args, dims);
    const b = batchJaxpr(params.call_jaxpr, axisSize, m.dims, true);
    const nc = params.num_consts;
    const userDims = m.dims.slice(nc);
    const inner = params.jvp_jaxpr_thunk.fn;
    const jvpB: JvpFn = (ps, ts) => {
      const n = ps.length;
      const outs = batchedAll0((xs) => {
        const [po, to] = inner(xs.slice(0, n) as Array[], xs.slice(n) as Array[]);
        return [...po, ...to];
      }, [...ps, ...ts], [...userDims, ...userDims], axisSize);
      const k = outs.length / 2;
      return [outs.slice(0, k), outs.slice(k)];
    };
    const outs = bind(customJvpCallP, [...b.consts, ...m.args], {
      ...params,
      call_jaxpr: b.jaxpr,
      jvp_jaxpr_thunk: new FnParam(jvpB, params.jvp_jaxpr_thunk.label),
      num_consts: b.consts.length + nc,
    });
    return [outs, outs.map(() => 0)];
  },
});

// With unknown inputs, partial evaluation only builds linear functions: the rule is not
// needed any more and the function is inlined (as JAX does).
registerPartialEvalRule("custom_jvp_call", (_trace: PETrace, tracers: PETracer[], p) => {
  const { call_jaxpr } = p as CustomJvpParams;
  return evalClosed(call_jaxpr, tracers);
});

// ------------------------------------------------------------------------ custom_vjp_call_jaxpr

export const customLinP: Primitive<CustomLinParams> = definePrimitive<CustomLinParams>({
  name: "custom_lin",
  abstractEval: (_avals, { out_avals }) => out_avals,
  lower() {
    throw new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
  },
  transpose(cts, args, { num_res, bwd, out_avals }) {
    const res = args.slice(0, num_res).map((r) => {
      if (r instanceof UndefinedPrimal) throw new Error("custom_lin: residuals must be known (internal error)");
      return r;
    });
    const ctsOut = cts.map((c, i) => (c instanceof Zero ? instantiateZeros(new Zero(out_avals[i]!)) : c));
    const ctsIn = bwd.fn(res, ctsOut);
    return [...res.map(() => null), ...ctsIn];
  },
});

export const customVjpCallP: Primitive<CustomVjpParams> = definePrimitive<CustomVjpParams>({
  name: "custom_vjp_call_jaxpr",
  abstractEval: (_avals, { fun_jaxpr }) => fun_jaxpr.outAvals,
  jvp(primals, tangents, { fwd_jaxpr_thunk, bwd, num_consts }) {
    if (tangents.slice(0, num_consts).some((t) => !(t instanceof Zero))) throw closedOverError("custom_vjp");
    const ps = primals.slice(num_consts);
    const ts = tangents.slice(num_consts).map((t, i) => (t instanceof Zero ? instantiateZeros(new Zero(tangentAval(ps[i]!.aval))) : t));
    const [outs, res] = fwd_jaxpr_thunk.fn(ps);
    const outAvals = outs.map((o) => tangentAval(o.aval));
    const touts = bind(customLinP, [...res, ...ts], { num_res: res.length, bwd, out_avals: outAvals, symbolic_zeros: false });
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
    const fwdB: FwdFn = (ps) => {
      const outs = batchedAll0((xs) => {
        const [o, r] = fwd(xs as Array[]);
        nOut = o.length;
        return [...o, ...r];
      }, ps, userDims, axisSize);
      return [outs.slice(0, nOut), outs.slice(nOut)];
    };
    const bwdB: BwdFn = (res, cts) => {
      const nRes = res.length;
      const r = batchFlat(
        (xs) => bwd(xs.slice(0, nRes) as Array[], xs.slice(nRes) as Array[]).map((c, i) => (c instanceof Zero ? instantiateZeros(c) : c) as Value),
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

registerPartialEvalRule("custom_vjp_call_jaxpr", (_trace: PETrace, tracers: PETracer[], p) => {
  const { fun_jaxpr } = p as CustomVjpParams;
  return evalClosed(fun_jaxpr, tracers);
});

// ------------------------------------------------------------------------------------ user API

export interface CustomOptions {
  /** Positions of arguments that are not differentiated (passed first to the rules). */
  nondiffArgnums?: readonly number[];
}

interface Split {
  diff: unknown[];
  nondiff: unknown[];
  rebuild: (diff: readonly unknown[]) => unknown[];
}

function splitArgs(args: readonly unknown[], nondiff: readonly number[]): Split {
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
function traceFun(f: (...args: any[]) => any, split: Split, leaves: readonly Value[], inTree: TreeDef, name: string) {
  let outTree: TreeDef | undefined;
  const closed = traceToJaxpr(
    (xs) => {
      const out = f(...split.rebuild(treeUnflatten<unknown[]>(inTree, xs)));
      const [ol, od] = flattenValues(out, `output of ${name}`);
      outTree = od;
      return ol;
    },
    leaves.map(avalOf),
  );
  return { ...hoistConsts(closed), outTree: outTree! };
}

/** Leaves of `tree` (structure `def`), JS numbers made arrays like `like`. */
function leavesLike(tree: unknown, def: TreeDef, like: readonly ShapedArray[], what: string): Array[] {
  const [ls, d] = flattenValues(tree, what);
  if (!d.equals(def)) {
    throw new TypeError(`${what}: expected a value with the pytree structure ${def.toString()}, got ${d.toString()}.`);
  }
  return ls.map((l, i) => (typeof l === "number" || typeof l === "boolean" ? full(like[i]!.shape, l, like[i]!.dtype, like[i]!.weakType) : asArray(l)));
}

function checkTangents(outs: readonly Array[], tans: readonly Array[]): void {
  outs.forEach((o, i) => {
    const expected = tangentAval(o.aval);
    const t = tans[i]!;
    if (t.dtype !== expected.dtype || t.ndim !== o.ndim || t.shape.some((d, k) => d !== o.shape[k])) {
      throw new TypeError(
        `Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. For example, ` +
          `for primal output of shape ${shapeStr(o.shape)} and dtype ${o.dtype.name} the expected tangent has shape ` +
          `${shapeStr(o.shape)} and dtype ${expected.dtype.name}, but got shape ${shapeStr(t.shape)} and dtype ${t.dtype.name}.`,
      );
    }
  });
}

export interface CustomJvpFunction<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** `rule(...nondiff, primals, tangents)` → `[primalOut, tangentOut]`. */
  defjvp(rule: (...args: any[]) => [unknown, unknown]): CustomJvpFunction<F>;
  /** One rule per argument, `(g, ans, ...primals) => contribution` (null: no dependence). */
  defjvps(...rules: (((g: any, ans: any, ...primals: any[]) => unknown) | null)[]): CustomJvpFunction<F>;
  readonly fun: F;
}

export function customJvp<F extends (...args: any[]) => any>(f: F, opts: CustomOptions = {}): CustomJvpFunction<F> {
  const name = functionName(f);
  const nondiff = opts.nondiffArgnums ?? [];
  let rule: ((...args: any[]) => [unknown, unknown]) | undefined;
  const call = function (...args: unknown[]): unknown {
    if (!rule) throw new TypeError(`No JVP defined for custom_jvp function ${name} using defjvp.`);
    if (!isTransforming()) return f(...args);
    const split = splitArgs(args, nondiff);
    const [leaves, inTree] = flattenValues(split.diff, `custom_jvp function ${name}`);
    const { jaxpr, consts, outTree } = traceFun(f, split, leaves, inTree, name);
    const outAvals = jaxpr.outAvals;
    const jvpFn: JvpFn = (ps, ts) => {
      const r = rule!(...split.nondiff, treeUnflatten(inTree, ps), treeUnflatten(inTree, ts));
      if (!globalThis.Array.isArray(r) || r.length !== 2) {
        throw new TypeError(
          `Custom JVP rule must produce a pair (list or tuple of length two) representing primal and tangent outputs, but got ${String(r)}.`,
        );
      }
      const po = leavesLike(r[0], outTree, outAvals, `Custom JVP rule ${name}: primal output`);
      const to = leavesLike(r[1], outTree, po.map((p) => tangentAval(p.aval)), `Custom JVP rule ${name}: tangent output`);
      checkTangents(po, to);
      return [po, to];
    };
    const outs = bind(customJvpCallP, [...consts, ...leaves], {
      call_jaxpr: jaxpr,
      jvp_jaxpr_thunk: new FnParam(jvpFn, `${name}_jvp`),
      num_consts: consts.length,
      symbolic_zeros: false,
    });
    return treeUnflatten(outTree, outs);
  } as unknown as CustomJvpFunction<F>;
  Object.defineProperty(call, "name", { value: name });
  Object.assign(call, {
    fun: f,
    defjvp(r: (...args: any[]) => [unknown, unknown]) {
      rule = r;
      return call;
    },
    defjvps(...rules: (((g: any, ans: any, ...primals: any[]) => unknown) | null)[]) {
      rule = (...a: unknown[]) => {
        const primals = a[a.length - 2] as unknown[];
        const tangents = a[a.length - 1] as unknown[];
        const ans = call(...(primals as Parameters<F>));
        const [ansLeaves, ansTree] = flattenValues(ans, `custom_jvp function ${name}`);
        let acc: Array[] | undefined;
        rules.forEach((jr, i) => {
          if (!jr) return;
          const c = leavesLike(jr(tangents[i], ans, ...primals), ansTree, ansLeaves.map(avalOf), `defjvps rule ${i} of ${name}`);
          acc = acc ? acc.map((x, k) => x.add(c[k]!)) : c;
        });
        const tout = acc ?? ansLeaves.map((l) => instantiateZeros(new Zero(tangentAval(avalOf(l)))));
        return [ans, treeUnflatten(ansTree, tout)];
      };
      return call;
    },
  });
  return call;
}

export interface CustomVjpFunction<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * `fwd(...args)` → `[out, residuals]`; `bwd(...nondiff, residuals, ct)` → one cotangent per
   * differentiable argument (null for zero).
   */
  defvjp(fwd: (...args: any[]) => [unknown, unknown], bwd: (...args: any[]) => readonly unknown[]): CustomVjpFunction<F>;
  readonly fun: F;
}

export function customVjp<F extends (...args: any[]) => any>(f: F, opts: CustomOptions = {}): CustomVjpFunction<F> {
  const name = functionName(f);
  const nondiff = opts.nondiffArgnums ?? [];
  let rules: { fwd: (...args: any[]) => [unknown, unknown]; bwd: (...args: any[]) => readonly unknown[] } | undefined;
  const call = function (...args: unknown[]): unknown {
    if (!rules) throw new TypeError(`No VJP defined for custom_vjp function ${name} using defvjp.`);
    const { fwd, bwd } = rules;
    if (!isTransforming()) return f(...args);
    const split = splitArgs(args, nondiff);
    const [leaves, inTree] = flattenValues(split.diff, `custom_vjp function ${name}`);
    const inAvals = leaves.map(avalOf);
    const { jaxpr, consts, outTree } = traceFun(f, split, leaves, inTree, name);
    const outAvals = jaxpr.outAvals;
    let resTree: TreeDef | undefined;
    const fwdFn: FwdFn = (ps) => {
      const r = fwd(...split.rebuild(treeUnflatten<unknown[]>(inTree, ps)));
      if (!globalThis.Array.isArray(r) || r.length !== 2) {
        throw new TypeError(
          `Custom VJP fwd rule ${name} must produce a pair (list or tuple of length two) representing primal outputs ` +
            `and residuals (values stored from the forward pass for use on the backward pass), got ${String(r)}.`,
        );
      }
      const outs = leavesLike(r[0], outTree, outAvals, `Custom VJP fwd rule ${name}: primal output`);
      const [res, rt] = flattenValues(r[1], `Custom VJP fwd rule ${name}: residuals`);
      resTree = rt;
      return [outs, res.map(asArray)];
    };
    const argTrees = split.diff.map((d) => flattenValues(d, name)[1]);
    const bwdFn: BwdFn = (res, cts) => {
      const r = bwd(...split.nondiff, treeUnflatten(resTree!, res), treeUnflatten(outTree, cts));
      if (!globalThis.Array.isArray(r) || r.length !== split.diff.length) {
        throw new TypeError(
          `Custom VJP bwd rule must produce a tuple (JS array) of length equal to the number of primal inputs ` +
            `(${split.diff.length}), but got ${globalThis.Array.isArray(r) ? `length ${r.length}` : String(r)}.`,
        );
      }
      let k = 0;
      return r.flatMap((c, i) => {
        const def = argTrees[i]!;
        const avals = inAvals.slice(k, k + def.numLeaves).map(tangentAval);
        k += def.numLeaves;
        if (c === null || c === undefined) return avals.map((a) => new Zero(a));
        return leavesLike(c, def, avals, `Custom VJP bwd rule ${name}: cotangent of argument ${i}`);
      });
    };
    const outs = bind(customVjpCallP, [...consts, ...leaves], {
      fun_jaxpr: jaxpr,
      fwd_jaxpr_thunk: new FnParam(fwdFn, `${name}_fwd`),
      bwd: new FnParam(bwdFn, `${name}_bwd`),
      num_consts: consts.length,
      out_trees: new FnParam(() => outTree, "out_trees"),
      symbolic_zeros: false,
    });
    return treeUnflatten(outTree, outs);
  } as unknown as CustomVjpFunction<F>;
  Object.defineProperty(call, "name", { value: name });
  Object.assign(call, {
    fun: f,
    defvjp(fwd: (...args: any[]) => [unknown, unknown], bwd: (...args: any[]) => readonly unknown[]) {
      rules = { fwd, bwd };
      return call;
    },
  });
  return call;
}
