/** customJvp: the `custom_jvp_call` primitive, its rules, and the user API (see custom-derivatives.ts). */
import { treeUnflatten } from "../core/pytree.js";
import { checkOptionKeys } from "../core/options.js";
import type { ClosedJaxpr, Params } from "../ir/jaxpr.js";
import type { Array } from "../trace/array.js";
import {
  type Primitive,
  Zero,
  inlineCallJaxpr,
  notLinear,
  providedByTransforms,
} from "../trace/primitive.js";
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { avalOf, bind, isTransforming } from "../trace/trace.js";
import { type PartialEvalRule, definePrimitive, provideRules } from "../primitives/define.js";
import { functionName } from "./param-names.js";
import { SymbolicZero } from "./symbolic-zero.js";
import { flattenValues } from "./pytree-args.js";
import { evalClosed } from "./eval-jaxpr.js";
import { instantiateZeros, tangentAval } from "./ad/tangents.js";
import { type PETrace, type PETracer } from "./ad/partial-eval.js";
import { batchJaxpr } from "./vmap-trace.js";
import {
  type CustomOptions,
  FnParam,
  type JvpFn,
  CUSTOM_OPTION_KEYS,
  batchedAll0,
  checkTangents,
  closedOverError,
  leavesLike,
  moveTo0,
  splitArgs,
  traceFun,
} from "./custom-common.js";

interface CustomJvpParams extends Params {
  call_jaxpr: ClosedJaxpr;
  jvp_jaxpr_thunk: FnParam<JvpFn>;
  num_consts: number;
  symbolic_zeros: boolean;
}

export const customJvpCallP: Primitive<CustomJvpParams> = definePrimitive<CustomJvpParams>({
  name: "custom_jvp_call",
  abstractEval: (_avals, { call_jaxpr }) => call_jaxpr.outAvals,
  lower: inlineCallJaxpr<CustomJvpParams>("call_jaxpr"),
  transpose: notLinear,
  partialEval: providedByTransforms,
  jvp(primals, tangents, { jvp_jaxpr_thunk, num_consts }) {
    if (tangents.slice(0, num_consts).some((t) => !(t instanceof Zero)))
      throw closedOverError("custom_jvp");
    const ps = primals.slice(num_consts);
    const zeros = tangents.slice(num_consts).map((t) => t instanceof Zero);
    const ts = tangents
      .slice(num_consts)
      .map((t, i) =>
        t instanceof Zero ? instantiateZeros(new Zero(tangentAval(ps[i]!.aval))) : t,
      );
    return jvp_jaxpr_thunk.fn(ps, ts, zeros);
  },
  batch(args, dims, params, axisSize) {
    const m = moveTo0(args, dims);
    const b = batchJaxpr(params.call_jaxpr, axisSize, m.dims, true);
    const nc = params.num_consts;
    const userDims = m.dims.slice(nc);
    const inner = params.jvp_jaxpr_thunk.fn;
    const jvpB: JvpFn = (ps, ts, zeros) => {
      const n = ps.length;
      const outs = batchedAll0(
        (xs) => {
          const [po, to] = inner(xs.slice(0, n) as Array[], xs.slice(n) as Array[], zeros);
          return [...po, ...to];
        },
        [...ps, ...ts],
        [...userDims, ...userDims],
        axisSize,
      );
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
const customJvpPartialEval: PartialEvalRule<CustomJvpParams> = (
  _trace: PETrace,
  tracers: PETracer[],
  p,
) => {
  const { call_jaxpr } = p as CustomJvpParams;
  return evalClosed(call_jaxpr, tracers);
};
provideRules(customJvpCallP, { partialEval: customJvpPartialEval });

/** Options of `defjvp` (JAX's `defjvp(jvp, symbolic_zeros=False)`). */
export interface DefJvpOptions {
  /** Pass `SymbolicZero`s for the tangents of inputs that are not differentiated. */
  symbolicZeros?: boolean;
}

/** A rule's output tangents with each `SymbolicZero` leaf made zeros of its shape and dtype. */
function replaceSymbolicZeros(tree: unknown): unknown {
  if (tree instanceof SymbolicZero) return instantiateZeros(new Zero(tree.aval));
  if (globalThis.Array.isArray(tree)) return tree.map(replaceSymbolicZeros);
  if (
    tree !== null &&
    typeof tree === "object" &&
    Object.getPrototypeOf(tree) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, replaceSymbolicZeros(v)]));
  }
  return tree;
}

/** A JVP rule: `(...nondiff, primals, tangents)` → `[primalOut, tangentOut]`. */
export type JvpRule = (...args: never[]) => readonly [unknown, unknown];
/** A `defjvps` rule: `(g, ans, ...primals)` → this argument's tangent contribution. */
export type JvpsRule = (g: never, ans: never, ...primals: never[]) => unknown;

export interface CustomJvpFunction<F extends AnyFunction> {
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * `rule(...nondiff, primals, tangents)` → `[primalOut, tangentOut]`; with `symbolicZeros` the
   * tangents of inputs not being differentiated are `SymbolicZero`s, and the rule may return
   * `SymbolicZero`s.
   */
  defjvp(rule: JvpRule, opts?: DefJvpOptions): CustomJvpFunction<F>;
  /** One rule per argument, `(g, ans, ...primals) => contribution` (null: no dependence). */
  defjvps(...rules: (JvpsRule | null)[]): CustomJvpFunction<F>;
  readonly fun: F;
}

export function customJvp<F extends AnyFunction>(
  f: F,
  opts: CustomOptions = {},
): CustomJvpFunction<F> {
  checkOptionKeys("customJvp", opts, CUSTOM_OPTION_KEYS);
  const name = functionName(f);
  const nondiff = opts.nondiffArgnums ?? [];
  let rule: UncheckedFunction | undefined;
  let symbolicZeros = false;
  const call = function (...args: unknown[]): unknown {
    if (!rule) throw new TypeError(`No JVP defined for custom_jvp function ${name} using defjvp.`);
    if (!isTransforming()) return (f as AnyFunction as UncheckedFunction)(...args);
    const split = splitArgs(args, nondiff);
    const [leaves, inTree] = flattenValues(split.diff, `custom_jvp function ${name}`);
    const { jaxpr, consts, outTree } = traceFun(f, split, leaves, inTree, name);
    const outAvals = jaxpr.outAvals;
    const jvpFn: JvpFn = (ps, ts, zeros) => {
      // symbolicZeros: inputs not being differentiated get a SymbolicZero tangent.
      const given = symbolicZeros
        ? ts.map((t, i) => (zeros?.[i] ? new SymbolicZero(t.aval) : t))
        : ts;
      const r = rule!(...split.nondiff, treeUnflatten(inTree, ps), treeUnflatten(inTree, given));
      if (!globalThis.Array.isArray(r) || r.length !== 2) {
        throw new TypeError(
          `Custom JVP rule must produce a pair (list or tuple of length two) representing primal and tangent outputs, but got ${String(r)}.`,
        );
      }
      const po = leavesLike(r[0], outTree, outAvals, `Custom JVP rule ${name}: primal output`);
      const to = leavesLike(
        symbolicZeros ? replaceSymbolicZeros(r[1]) : r[1],
        outTree,
        po.map((p) => tangentAval(p.aval)),
        `Custom JVP rule ${name}: tangent output`,
      );
      checkTangents(po, to);
      return [po, to];
    };
    const outs = bind(customJvpCallP, [...consts, ...leaves], {
      call_jaxpr: jaxpr,
      jvp_jaxpr_thunk: new FnParam(jvpFn, `${name}_jvp`),
      num_consts: consts.length,
      symbolic_zeros: symbolicZeros,
    });
    return treeUnflatten(outTree, outs);
  } as unknown as CustomJvpFunction<F>;
  Object.defineProperty(call, "name", { value: name });
  Object.assign(call, {
    fun: f,
    defjvp(r: JvpRule, ruleOpts: DefJvpOptions = {}) {
      checkOptionKeys("defjvp", ruleOpts, ["symbolicZeros"]);
      rule = r as UncheckedFunction;
      symbolicZeros = ruleOpts.symbolicZeros ?? false;
      return call;
    },
    defjvps(...rules: (JvpsRule | null)[]) {
      symbolicZeros = false;
      rule = (...a: unknown[]) => {
        const primals = a[a.length - 2] as unknown[];
        const tangents = a[a.length - 1] as unknown[];
        const ans = call(...(primals as Parameters<F>));
        const [ansLeaves, ansTree] = flattenValues(ans, `custom_jvp function ${name}`);
        let acc: Array[] | undefined;
        rules.forEach((jr, i) => {
          if (!jr) return;
          const c = leavesLike(
            (jr as UncheckedFunction)(tangents[i], ans, ...primals),
            ansTree,
            ansLeaves.map(avalOf),
            `defjvps rule ${i} of ${name}`,
          );
          acc = acc ? acc.map((x, k) => x.add(c[k]!)) : c;
        });
        const tout =
          acc ?? ansLeaves.map((l) => instantiateZeros(new Zero(tangentAval(avalOf(l)))));
        return [ans, treeUnflatten(ansTree, tout)];
      };
      return call;
    },
  });
  return call;
}
