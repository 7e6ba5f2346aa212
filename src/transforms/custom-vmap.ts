/**
 * `customBatching.customVmap(f)` with `.defVmap(rule)` (JAX's `jax.custom_batching`): `f` runs
 * as itself except under `vmap`, where `rule(axisSize, inBatched, ...args)` (batched arguments
 * with their batch axis first; `inBatched` a pytree of booleans like the arguments) returns
 * `[out, outBatched]`. Staged as `custom_vmap_call[call=… in_tree=… out_tree=… rule=…]`; the
 * compiler inlines `call`. Its JVP is JAX's: a `custom_vmap_call` of the JVP of `call` whose
 * rule runs the JVP of the user's rule, vmapped over the values batched only as primals or only
 * as tangents. As in JAX there is no reverse mode (no transpose rule): combine with customVjp.
 */
import { NotImplementedError, ValueError } from "../core/errors.js";
import { type TreeDef, treeFlatten, treeUnflatten } from "../core/pytree.js";
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
import { type Value, bind, isTransforming } from "../trace/trace.js";
import { definePrimitive, provideRules } from "../primitives/define.js";
import { functionName } from "./param-names.js";
import { flattenValues } from "./pytree-args.js";
import { asArray } from "./eval-jaxpr.js";
import { instantiateZeros, tangentAval } from "./ad/tangents.js";
import { jvpFlat, jvpJaxpr } from "./ad/jvp.js";
import { FnParam, moveTo0, splitArgs, traceFun } from "./custom-common.js";
import { batchFlat, matchAxis } from "./vmap-trace.js";

/** The flat rule: batched args (axis 0) → outputs and whether each is batched (at axis 0). */
type FlatRule = (axisSize: number, inBatched: boolean[], args: Array[]) => [Array[], boolean[]];

interface CustomVmapParams extends Params {
  /** Const-free; inputs: [...consts, ...args]. */
  call: ClosedJaxpr;
  rule: FnParam<FlatRule>;
  /** JAX's `in_tree`: `PyTreeDef((<consts>, <args>))`. */
  in_tree: string;
  out_tree: string;
  num_consts: number;
}

export const customVmapP: Primitive<CustomVmapParams> = definePrimitive<CustomVmapParams>({
  name: "custom_vmap_call",
  abstractEval: (_avals, { call }) => call.outAvals,
  printParams: (p) => [
    ["call", p["call"]],
    ["in_tree", p["in_tree"]],
    ["out_tree", p["out_tree"]],
    ["rule", p["rule"]],
  ],
  lower: inlineCallJaxpr<CustomVmapParams>("call"),
  transpose: notLinear,
  partialEval: providedByTransforms,
  batch(args, dims, params, axisSize) {
    const nc = params.num_consts;
    if (dims.slice(0, nc).some((d) => d !== null)) {
      throw new NotImplementedError(
        `custom_vmap function ${params.rule.label}: a value it closes over is batched by this ` +
          `vmap; pass it to the function as an argument instead.`,
      );
    }
    const m = moveTo0(args, dims);
    const inBatched = dims.slice(nc).map((d) => d !== null);
    const [outs, outBatched] = params.rule.fn(axisSize, inBatched, m.args.slice(nc));
    return [outs, outBatched.map((b) => (b ? 0 : null))];
  },
  jvp(primals, tangents, params) {
    const nc = params.num_consts;
    if (tangents.slice(0, nc).some((t) => !(t instanceof Zero))) {
      throw new NotImplementedError(
        `Differentiation of custom_vmap function ${params.rule.label} with respect to a ` +
          `closed-over value is not supported; pass the value as an argument.`,
      );
    }
    const na = primals.length - nc;
    const ts = tangents
      .slice(nc)
      .map((t, i) =>
        t instanceof Zero ? instantiateZeros(new Zero(tangentAval(primals[nc + i]!.aval))) : t,
      );
    const j = jvpJaxpr(params.call, [...Array_(nc, false), ...Array_(na, true)], true);
    const inner = params.rule.fn;
    const jvpOfRule: FlatRule = (axisSize, inBatched, args) => {
      const pb = inBatched.slice(0, na);
      const tb = inBatched.slice(na);
      const mutually = pb.map((b, i) => b && tb[i]!);
      let outMutual: boolean[] = [];
      const toJvp = (ps: Value[]): Value[] => {
        const [outs, ob] = inner(axisSize, mutually, ps.map(asArray));
        outMutual = ob;
        return outs;
      };
      const extraDims = [
        ...pb.map((b, i) => (b && !tb[i] ? 0 : null)),
        ...tb.map((b, i) => (b && !pb[i] ? 0 : null)),
      ];
      const r = batchFlat(
        (xs) => {
          const o = jvpFlat(toJvp, xs.slice(0, na), xs.slice(na).map(asArray));
          return [...o.primals, ...o.tangents.map((t) => instantiateZeros(t))];
        },
        args,
        extraDims,
        axisSize,
      );
      const outs = r.outs.map((o, i) =>
        r.outDims[i] === null ? o : matchAxis(o, r.outDims[i]!, 0, axisSize),
      );
      const n = outs.length / 2;
      const batched = r.outDims.map((d, i) => d !== null || outMutual[i % n]!);
      return [outs, batched];
    };
    const outs = bind(customVmapP, [...j.consts, ...primals, ...ts], {
      call: j.jaxpr,
      rule: new FnParam(jvpOfRule, `jvp_of_rule_rule`),
      in_tree: `PyTreeDef((${params.in_tree.slice(10, -1)}, ${params.in_tree.slice(10, -1)}))`,
      out_tree: `PyTreeDef((${params.out_tree.slice(10, -1)}, ${params.out_tree.slice(10, -1)}))`,
      num_consts: j.consts.length + nc,
    });
    return [outs.slice(0, outs.length / 2), outs.slice(outs.length / 2)];
  },
});

// Reverse mode reaches here with unknown tangents: JAX's custom_vmap has no reverse mode.
provideRules(customVmapP, {
  partialEval: (_trace, _tracers, p) => {
    throw new NotImplementedError(
      `custom_vmap function ${(p as CustomVmapParams).rule.label}: custom_vmap functions do not ` +
        `support reverse-mode autodiff. To customize both vmap and reverse-mode autodiff, ` +
        `combine customVmap with customVjp.`,
    );
  },
});

const Array_ = <T>(n: number, v: T): T[] => new globalThis.Array<T>(n).fill(v);

/** A TreeDef of the arguments list printed as JAX prints the args tuple: `(*, *)`, `(*,)`. */
function tupleText(def: TreeDef): string {
  const body = def.toString().slice("PyTreeDef(".length, -1);
  if (def.kind !== "list") return body;
  const inner = body.slice(1, -1);
  return def.children.length === 1 ? `(${inner},)` : `(${inner})`;
}

/** A vmap rule: `(axisSize, inBatched, ...args)` → `[out, outBatched]`. */
export type VmapRule = (axisSize: number, inBatched: never[], ...args: never[]) => unknown;

/** What `customVmap(f)` returns: `f` with a `defVmap` method. */
export interface CustomVmapFunction<F extends AnyFunction> {
  (...args: Parameters<F>): ReturnType<F>;
  /** Set the vmap rule; returns the rule unchanged (as JAX's `def_vmap`). */
  defVmap<R extends VmapRule>(rule: R): R;
  readonly fun: F;
}

/** JAX's `jax.custom_batching.custom_vmap`: `f` with a user-defined vmap rule (`defVmap`). */
export function customVmap<F extends AnyFunction>(f: F): CustomVmapFunction<F> {
  if (typeof f !== "function")
    throw new TypeError(`customVmap expects a function, got ${typeof f}.`);
  const name = functionName(f);
  let rule: UncheckedFunction | undefined;
  const call = function (...args: unknown[]): unknown {
    if (!rule) {
      throw new TypeError(
        `No batching rule defined for custom_vmap function ${name} using def_vmap.`,
      );
    }
    if (!isTransforming()) return (f as AnyFunction as UncheckedFunction)(...args);
    const split = splitArgs(args, []);
    const [leaves, inTree] = flattenValues(args, `custom_vmap function ${name}`);
    const { jaxpr, consts, outTree } = traceFun(f, split, leaves, inTree, name);
    const userRule = rule;
    const flatRule: FlatRule = (axisSize, inBatched, flatArgs) => {
      const r = userRule(
        axisSize,
        treeUnflatten<unknown[]>(inTree, inBatched),
        ...treeUnflatten<unknown[]>(inTree, flatArgs),
      );
      if (!globalThis.Array.isArray(r) || r.length !== 2) {
        throw new TypeError(
          `custom vmap rule ${functionName(userRule)} must return a pair [out, outBatched], got ${String(r)}.`,
        );
      }
      const [outs, t1] = flattenValues(r[0], `custom vmap rule ${functionName(userRule)}: output`);
      const [ob, t2] = treeFlatten<unknown>(r[1]);
      const rn = functionName(userRule);
      if (!t1.equals(t2)) {
        throw new ValueError(
          `structure of output value and output batching specification returned by custom vmap ` +
            `rule (${rn}) do not match.\nOutput values: ${t1.toString()}\nBatching spec: ${t2.toString()}`,
        );
      }
      if (!t1.equals(outTree)) {
        throw new ValueError(
          `structure of output returned by custom vmap rule (${rn}) does not match that of ` +
            `original custom-vmapped function.\nOriginal output: ${outTree.toString()}\n` +
            `Rule output: ${t1.toString()}`,
        );
      }
      const outArrays = outs.map(asArray);
      const avals = jaxpr.outAvals;
      outArrays.forEach((o, i) => {
        const want = ob[i] ? [axisSize, ...avals[i]!.shape] : avals[i]!.shape;
        if (o.ndim !== want.length || o.shape.some((d, k) => d !== want[k])) {
          throw new ValueError(
            `custom vmap rule (${rn}) output ${i} has shape (${o.shape.join(", ")}) but, ` +
              `${ob[i] ? "marked batched" : "marked unbatched"}, it must have shape (${want.join(", ")}).`,
          );
        }
      });
      return [outArrays, ob.map(Boolean)];
    };
    const nc = consts.length;
    const outs = bind(customVmapP, [...consts, ...leaves], {
      call: jaxpr,
      rule: new FnParam(flatRule, functionName(userRule)),
      in_tree: `PyTreeDef((${nc === 0 ? "()" : nc === 1 ? "(*,)" : `(${Array_(nc, "*").join(", ")})`}, ${tupleText(inTree)}))`,
      out_tree: outTree.toString(),
      num_consts: nc,
    });
    return treeUnflatten(outTree, outs);
  } as unknown as CustomVmapFunction<F>;
  Object.defineProperty(call, "name", { value: name });
  Object.assign(call, {
    fun: f,
    defVmap<R extends VmapRule>(r: R): R {
      if (typeof r !== "function") throw new TypeError("defVmap expects a function.");
      rule = r as unknown as UncheckedFunction;
      return r;
    },
  });
  return call;
}
