/**
 * The autodiff API: `jvp`, `linearize`, `vjp`, `grad`, `valueAndGrad`.
 *
 *   jvp(f, primals, tangents, { hasAux? })        → [out, tangentOut] (+ aux)
 *   linearize(f, ...primals)                      → [out, fJvp]
 *   linearize({ hasAux: true }, f, ...primals)    → [out, fJvp, aux]
 *   vjp(f, ...primals)                            → [out, vjpFn]          vjpFn(ct) → [ct per primal]
 *   vjp({ hasAux: true }, f, ...primals)          → [out, vjpFn, aux]
 *   grad(f, { argnums?, hasAux?, allowInt? })     → (...args) => gradient (tuple for a list argnums)
 *   valueAndGrad(f, opts)                         → (...args) => [value, gradient] ([[value, aux], gradient])
 *
 * The results are typed after `f` (api-types.ts): a gradient has its argument's type with Array
 * leaves. Each function has typed overloads over one untyped implementation; a `hasAux`
 * overload that reads `f`'s result as a `[value, aux]` pair comes first, so that an inline
 * `(x) => [y, aux]` is typed as that pair.
 */
import { type TreeDef, treeUnflatten } from "../../core/pytree.js";
import { checkOptionKeys } from "../../core/options.js";
import { shapeStr } from "../../core/shape.js";
import { scalarConstant } from "../../trace/constants.js";
import { type Tangent, Zero } from "../../trace/primitive.js";
import type { Value } from "../../trace/trace.js";
import type { AnyFunction, ArgsInput, UncheckedFunction } from "../../trace/pytree-types.js";
import { functionName } from "../param-names.js";
import { flattenValues } from "../pytree-args.js";
import { jvpFlat } from "./jvp.js";
import { type Linearized, applyLinear, linearizeFlat, transposeLinear } from "./linearize.js";
import { instantiateZeros, tangentAval } from "./tangents.js";
import {
  checkCts,
  checkInputDtypeRev,
  checkJvpArgs,
  checkOutputDtypeRev,
  resolveArgnums,
} from "./arg-checks.js";
import type {
  AuxOptions,
  GradFunction,
  GradOptions,
  JvpResult,
  LinearizeResult,
  ValueAndGradFunction,
  VjpResult,
  WithAux,
} from "./api-types.js";

export type { AuxOptions, GradOptions } from "./api-types.js";

/** The keys GradOptions has (an unknown key is a TypeError naming the nearest). */
const GRAD_OPTION_KEYS = Object.keys({
  argnums: true,
  hasAux: true,
  allowInt: true,
  holomorphic: true,
} satisfies Record<keyof GradOptions, true>);

/** `f` flattened: flat inputs (structure `inTree`) → [...output leaves, ...aux leaves]. */
export function flatFun(
  f: AnyFunction,
  inTree: TreeDef,
  hasAux: boolean,
  fixed?: (dyn: unknown[]) => unknown[],
): {
  fn: (xs: Value[]) => Value[];
  outTree: () => TreeDef;
  auxTree: () => TreeDef | undefined;
  nAux: () => number;
} {
  let outTree: TreeDef | undefined;
  let auxTree: TreeDef | undefined;
  let nAux = 0;
  const name = functionName(f);
  return {
    fn: (xs) => {
      const args = treeUnflatten<unknown[]>(inTree, xs);
      let out = (f as UncheckedFunction)(...(fixed ? fixed(args) : args));
      let aux: Value[] = [];
      if (hasAux) {
        if (!globalThis.Array.isArray(out) || out.length !== 2) {
          throw new TypeError(
            `has_aux=True requires fun to return a (output, aux) pair [output, aux], got ${String(out)}.`,
          );
        }
        const [a, ad] = flattenValues(out[1], `auxiliary output of ${name}`);
        aux = a;
        auxTree = ad;
        nAux = a.length;
        out = out[0];
      }
      const [ol, od] = flattenValues(out, `output of ${name}`);
      outTree = od;
      return [...ol, ...aux];
    },
    outTree: () => outTree!,
    auxTree: () => auxTree,
    nAux: () => nAux,
  };
}

/** `jvp(f, primals, tangents)`: f's output and its directional derivative along `tangents`. */
export function jvp<P extends unknown[], V, A, const O extends WithAux>(
  f: (...args: P) => readonly [V, A],
  primals: NoInfer<ArgsInput<P>>,
  tangents: NoInfer<ArgsInput<P>>,
  opts: O,
): JvpResult<[V, A], O>;
export function jvp<P extends unknown[], R, const O extends AuxOptions = Record<never, never>>(
  f: (...args: P) => R,
  primals: NoInfer<ArgsInput<P>>,
  tangents: NoInfer<ArgsInput<P>>,
  opts?: O,
): JvpResult<R, O>;
export function jvp(
  f: AnyFunction,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  opts: AuxOptions = {},
): unknown[] {
  for (const [what, v] of [
    ["primal", primals],
    ["tangent", tangents],
  ] as const) {
    if (!globalThis.Array.isArray(v)) {
      throw new TypeError(
        `${what} arguments to jax.jvp must be a tuple or a list (a JS array); found ${typeof v}.`,
      );
    }
  }
  const [pl, pt] = flattenValues(primals, "jvp primals");
  const [tl, tt] = flattenValues(tangents, "jvp tangents");
  if (!pt.equals(tt)) {
    throw new TypeError(
      `primal and tangent arguments to jax.jvp must have the same tree structure; primals have tree structure ` +
        `${pt.toString()} whereas tangents have tree structure ${tt.toString()}.`,
    );
  }
  const ts = checkJvpArgs(pl, tl);
  const ff = flatFun(f, pt, opts.hasAux ?? false);
  const r = jvpFlat(ff.fn, pl, ts, ff.nAux);
  return finishJvp(r, ff, opts.hasAux ?? false);
}

function finishJvp(
  r: ReturnType<typeof jvpFlat>,
  ff: ReturnType<typeof flatFun>,
  hasAux: boolean,
): unknown[] {
  const n = ff.outTree().numLeaves;
  const prim = r.primals.slice(0, n);
  const tans = r.tangents
    .slice(0, n)
    .map((t, i) => instantiateZeros(t instanceof Zero ? new Zero(tangentAval(prim[i]!.aval)) : t));
  const out: unknown[] = [treeUnflatten(ff.outTree(), prim), treeUnflatten(ff.outTree(), tans)];
  if (hasAux) out.push(treeUnflatten(ff.auxTree()!, r.aux));
  return out;
}

/** Options-first overloads: `vjp({ hasAux: true }, f, ...primals)`. */
function splitOpts(a: unknown, rest: unknown[]): [AuxOptions, AnyFunction, unknown[]] {
  if (typeof a === "function") return [{}, a as AnyFunction, rest];
  if (typeof rest[0] !== "function") throw new TypeError("expected a function to transform");
  return [(a ?? {}) as AuxOptions, rest[0] as AnyFunction, rest.slice(1)];
}

function linearizeArgs(what: string, opts: AuxOptions, f: AnyFunction, primals: unknown[]) {
  const [pl, pt] = flattenValues(primals, `${what} primals`);
  const ff = flatFun(f, pt, opts.hasAux ?? false);
  const lin = linearizeFlat(ff.fn, pl, ff.nAux);
  return { pl, pt, ff, lin };
}

/** `linearize(f, ...primals)` → `[out, fJvp]`; `fJvp(...tangents)` evaluates the linear map. */
export function linearize<P extends unknown[], V, A>(
  opts: WithAux,
  f: (...args: P) => readonly [V, A],
  ...primals: NoInfer<ArgsInput<P>>
): LinearizeResult<P, [V, A], true>;
export function linearize<P extends unknown[], R>(
  opts: WithAux,
  f: (...args: P) => R,
  ...primals: NoInfer<ArgsInput<P>>
): LinearizeResult<P, R, true>;
export function linearize<P extends unknown[], R>(
  f: (...args: P) => R,
  ...primals: NoInfer<ArgsInput<P>>
): LinearizeResult<P, R, false>;
export function linearize<P extends unknown[], R>(
  opts: AuxOptions,
  f: (...args: P) => R,
  ...primals: NoInfer<ArgsInput<P>>
): LinearizeResult<P, R, false>;
export function linearize(a: unknown, ...rest: unknown[]): unknown[] {
  const [opts, f, primals] = splitOpts(a, rest);
  const { pl, pt, ff, lin } = linearizeArgs("linearize", opts, f, primals);
  const outTree = ff.outTree();
  const fJvp = (...tangents: unknown[]) => {
    const [tl, tt] = flattenValues(tangents, "linearize tangents");
    if (!tt.equals(pt)) {
      throw new TypeError(
        `linearized function called on tangent values inconsistent with the original primal values: ` +
          `expected tangent structure ${pt.toString()}, got ${tt.toString()}.`,
      );
    }
    const ts = checkJvpArgs(pl, tl);
    const outs = applyLinear(lin as Linearized, ts);
    return treeUnflatten(
      outTree,
      outs.map((t, i) =>
        instantiateZeros(t instanceof Zero ? new Zero(lin.outTangentAvals[i]!) : t),
      ),
    );
  };
  const res: unknown[] = [treeUnflatten(outTree, lin.outPrimals), fJvp];
  if (opts.hasAux) res.push(treeUnflatten(ff.auxTree()!, lin.aux));
  return res;
}

/** The pullback of a linearization: cotangent pytree → cotangents of the flat primal leaves. */
function pullbackFlat(lin: Linearized, outTree: TreeDef, ct: unknown): Tangent[] {
  const [cl, ctTree] = flattenValues(ct, "vjp cotangent");
  if (!ctTree.equals(outTree)) {
    throw new TypeError(
      `Tree structure of cotangent input ${ctTree.toString()}, does not match structure of primal output ${outTree.toString()}.`,
    );
  }
  return transposeLinear(lin, checkCts(cl, lin.outPrimals));
}

/** `vjp(f, ...primals)` → `[out, vjpFn]`; `vjpFn(ct)` returns one cotangent per primal argument. */
export function vjp<P extends unknown[], V, A>(
  opts: WithAux,
  f: (...args: P) => readonly [V, A],
  ...primals: NoInfer<ArgsInput<P>>
): VjpResult<P, [V, A], true>;
export function vjp<P extends unknown[], R>(
  opts: WithAux,
  f: (...args: P) => R,
  ...primals: NoInfer<ArgsInput<P>>
): VjpResult<P, R, true>;
export function vjp<P extends unknown[], R>(
  f: (...args: P) => R,
  ...primals: NoInfer<ArgsInput<P>>
): VjpResult<P, R, false>;
export function vjp<P extends unknown[], R>(
  opts: AuxOptions,
  f: (...args: P) => R,
  ...primals: NoInfer<ArgsInput<P>>
): VjpResult<P, R, false>;
export function vjp(a: unknown, ...rest: unknown[]): unknown[] {
  const [opts, f, primals] = splitOpts(a, rest);
  const { pt, ff, lin } = linearizeArgs("vjp", opts, f, primals);
  const outTree = ff.outTree();
  const vjpFn = (ct: unknown) => {
    const cts = pullbackFlat(lin, outTree, ct);
    return treeUnflatten(
      pt,
      cts.map((t, i) => instantiateZeros(t instanceof Zero ? new Zero(lin.inTangentAvals[i]!) : t)),
    );
  };
  const res: unknown[] = [treeUnflatten(outTree, lin.outPrimals), vjpFn];
  if (opts.hasAux) res.push(treeUnflatten(ff.auxTree()!, lin.aux));
  return res;
}

/** `valueAndGrad(f, opts)(...args)` → `[f(...args), ∇f]`. */
export function valueAndGrad<P extends unknown[], V, A, const O extends GradOptions & WithAux>(
  f: (...args: P) => readonly [V, A],
  opts: O,
): ValueAndGradFunction<P, [V, A], O>;
export function valueAndGrad<
  P extends unknown[],
  R,
  const O extends GradOptions = Record<never, never>,
>(f: (...args: P) => R, opts?: O): ValueAndGradFunction<P, R, O>;
export function valueAndGrad(f: AnyFunction, opts: GradOptions = {}): UncheckedFunction {
  if (typeof f !== "function")
    throw new TypeError(`valueAndGrad expects a function, got ${typeof f}.`);
  checkOptionKeys("valueAndGrad", opts, GRAD_OPTION_KEYS);
  const argnums = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  const name = functionName(f);
  const wrapped = (...args: unknown[]) => {
    const pos = resolveArgnums(argnums, args.length);
    const dyn = pos.map((i) => args[i]);
    const [dl, dt] = flattenValues(dyn, `grad of ${name}`);
    checkInputDtypeRev("grad", opts.allowInt ?? false, dl, opts.holomorphic ?? false);
    const fixed = (d: unknown[]) => {
      const full_ = [...args];
      pos.forEach((p, i) => (full_[p] = d[i]));
      return full_;
    };
    const ff = flatFun(f, dt, hasAux, fixed);
    const lin = linearizeFlat(ff.fn, dl, ff.nAux);
    const outTree = ff.outTree();
    const ans = lin.outPrimals[0];
    if (outTree.numLeaves !== 1 || outTree.kind !== "leaf") {
      throw new TypeError(
        `Gradient only defined for scalar-output functions. Output was ${describeOut(treeUnflatten(outTree, lin.outPrimals))}.`,
      );
    }
    if (ans!.ndim !== 0)
      throw new TypeError(
        `Gradient only defined for scalar-output functions. Output had shape: ${shapeStr(ans!.shape)}.`,
      );
    checkOutputDtypeRev("grad", ans!, opts.holomorphic ?? false);
    const one = scalarConstant(1, ans!.dtype, ans!.weakType);
    const cts = transposeLinear(lin, [one]);
    const g = treeUnflatten<unknown[]>(
      dt,
      cts.map((t, i) => instantiateZeros(t instanceof Zero ? new Zero(lin.inTangentAvals[i]!) : t)),
    );
    const grads = typeof argnums === "number" ? g[0] : g;
    const value = hasAux ? [ans, treeUnflatten(ff.auxTree()!, lin.aux)] : ans;
    return [value, grads];
  };
  Object.defineProperty(wrapped, "name", { value: name }); // as functools.wraps
  return wrapped;
}

function describeOut(x: unknown): string {
  try {
    return globalThis.Array.isArray(x) ? `[${x.map(String).join(", ")}]` : String(x);
  } catch {
    return typeof x;
  }
}

/**
 * `grad(f, opts)(...args)`: the gradient of scalar-valued `f` (with `hasAux`: `[gradient, aux]`).
 *
 * @example
 * grad((x: Array) => x.mul(x).sum())(jnp.array([1.5, 2.5]))
 * // [3. 5.]
 */
export function grad<P extends unknown[], V, A, const O extends GradOptions & WithAux>(
  f: (...args: P) => readonly [V, A],
  opts: O,
): GradFunction<P, [V, A], O>;
export function grad<P extends unknown[], R, const O extends GradOptions = Record<never, never>>(
  f: (...args: P) => R,
  opts?: O,
): GradFunction<P, R, O>;
export function grad(f: AnyFunction, opts: GradOptions = {}): UncheckedFunction {
  if (typeof f !== "function") throw new TypeError(`grad expects a function, got ${typeof f}.`);
  checkOptionKeys("grad", opts, GRAD_OPTION_KEYS);
  const vg = valueAndGrad(f, opts) as UncheckedFunction;
  const wrapped = (...args: unknown[]) => {
    const [value, g] = vg(...args) as [unknown, unknown];
    return opts.hasAux ? [g, (value as unknown[])[1]] : g;
  };
  Object.defineProperty(wrapped, "name", { value: functionName(f) });
  return wrapped;
}
