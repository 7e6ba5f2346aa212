/**
 * Jacobians: `jacfwd` (vmap of jvp over the standard basis of the inputs), `jacrev` (vmap of
 * the VJP over the standard basis of the outputs), `jacobian` (= jacrev) and `hessian`
 * (= jacfwd(jacrev)). The result nests the input structure inside the output structure:
 * for output leaf y and input leaf x the block has shape y.shape + x.shape.
 */
import type { DType } from "../../core/dtype.js";
import { int32 } from "../../core/dtype.js";
import { type TreeDef, treeUnflatten } from "../../core/pytree.js";
import { checkOptionKeys } from "../../core/options.js";
import type { Array } from "../../trace/array.js";
import { Zero } from "../../trace/primitive.js";
import type { Value } from "../../trace/trace.js";
import { convertElementType } from "../../primitives/convert.js";
import { eq } from "../../primitives/elementwise/index.js";
import { iota, reshape, slice } from "../../primitives/shape/index.js";
import { functionName } from "../param-names.js";
import { flattenValues } from "../pytree-args.js";
import { asArray } from "../eval-jaxpr.js";
import { batchFlat, matchAxis } from "../vmap-trace.js";
import { flatFun } from "./api.js";
import { checkInputDtypeRev, checkOutputDtypeRev, resolveArgnums } from "./arg-checks.js";
import { jvpFlat } from "./jvp.js";
import { linearizeFlat, transposeLinear } from "./linearize.js";
import { instantiateZeros, tangentAval } from "./tangents.js";
import type { AnyFunction } from "../../trace/pytree-types.js";
import type { JacobianFunction } from "./api-types.js";

/** `g` named like `f` (as JAX's functools.wraps, so e.g. jit(jacfwd(f)) prints name=f). */
function named<G extends Function>(f: Function, g: G): G {
  Object.defineProperty(g, "name", { value: functionName(f) });
  return g;
}

export interface JacOptions {
  argnums?: number | readonly number[];
  hasAux?: boolean;
  /** jacrev only: allow integer inputs (float0 blocks). */
  allowInt?: boolean;
}

/** The keys JacOptions has (an unknown key is a TypeError naming the nearest). */
const JAC_OPTION_KEYS = Object.keys({
  argnums: true,
  hasAux: true,
  allowInt: true,
} satisfies Record<keyof JacOptions, true>);

const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Columns [off, off+size) of the n×n identity, as [n, ...shape] of `dtype`. */
function basisBlock(n: number, off: number, shape: readonly number[], dtype: DType): Array {
  const eye = convertElementType(eq(iota(int32, [n, n], 0), iota(int32, [n, n], 1)), dtype);
  return reshape(slice(eye, [0, off], [n, off + sizeOf(shape)]), [n, ...shape]);
}

/** The differentiated arguments of a call and the function of them alone. */
function prepare(
  f: AnyFunction,
  args: unknown[],
  argnums: number | readonly number[],
  hasAux: boolean,
) {
  const pos = resolveArgnums(argnums, args.length);
  const example = typeof argnums === "number" ? args[pos[0]!] : pos.map((i) => args[i]);
  const [leaves, exTree] = flattenValues(example, `jacobian of ${functionName(f)}`);
  const ff = flatFun(f, exTree, hasAux, (d) => {
    const full = [...args];
    if (typeof argnums === "number") full[pos[0]!] = d;
    else pos.forEach((p, i) => (full[p] = (d as unknown[])[i]));
    return full;
  });
  return { leaves, exTree, ff };
}

function finish(
  outTree: TreeDef,
  blocks: unknown[],
  auxTree: TreeDef | undefined,
  aux: readonly Value[],
  hasAux: boolean,
): unknown {
  const jac = treeUnflatten(outTree, blocks);
  return hasAux ? [jac, treeUnflatten(auxTree!, aux)] : jac;
}

/** Forward-mode Jacobian. */
export function jacfwd<P extends unknown[], R, const O extends JacOptions = Record<never, never>>(
  f: (...args: P) => R,
  opts?: O,
): JacobianFunction<P, R, O>;
export function jacfwd(f: AnyFunction, opts: JacOptions = {}): AnyFunction {
  if (typeof f !== "function") throw new TypeError(`jacfwd expects a function, got ${typeof f}.`);
  checkOptionKeys("jacfwd", opts, JAC_OPTION_KEYS);
  const argnums = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  return named(f, (...args: unknown[]) => {
    const { leaves, exTree, ff } = prepare(f, args, argnums, hasAux);
    const prims = leaves.map(asArray);
    for (const p of prims) {
      if (!p.dtype.isFloat) {
        throw new TypeError(
          `jacfwd requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got ${p.dtype.name}. ` +
            `For holomorphic differentiation, pass holomorphic=True. For differentiation of non-holomorphic functions ` +
            `involving complex inputs or integer inputs, use jax.jvp directly.`,
        );
      }
    }
    const shapes = prims.map((p) => p.shape);
    const n = shapes.reduce((a, s) => a + sizeOf(s), 0);
    let off = 0;
    const basis = prims.map((p) => {
      const b = basisBlock(n, off, p.shape, p.dtype);
      off += p.size;
      return b;
    });
    let nOut = 0;
    let aux: Value[] = [];
    const r = batchFlat(
      (ts) => {
        const j = jvpFlat(ff.fn, prims, ts as Array[], ff.nAux);
        nOut = j.primals.length;
        aux = j.aux;
        return [
          ...j.primals,
          ...j.tangents.map((t, k) =>
            instantiateZeros(t instanceof Zero ? new Zero(tangentAval(j.primals[k]!.aval)) : t),
          ),
        ];
      },
      basis,
      basis.map(() => 0),
      n,
    );
    const outTree = ff.outTree();
    const blocks = r.outs.slice(nOut).map((jac, k) => {
      const y = r.outs[k]!;
      const yShape = r.outDims[k] === null ? y.shape : y.shape.slice(1);
      const moved = matchAxis(jac, r.outDims[nOut + k]!, yShape.length, n);
      let o = 0;
      const parts = shapes.map((s) => {
        const sz = sizeOf(s);
        const st = moved.shape.map((_, d) => (d === yShape.length ? o : 0));
        const lim = moved.shape.map((dim, d) => (d === yShape.length ? o + sz : dim));
        o += sz;
        return reshape(slice(moved, st, lim), [...yShape, ...s]);
      });
      return treeUnflatten(exTree, parts);
    });
    return finish(outTree, blocks, ff.auxTree(), aux, hasAux);
  });
}

/** Reverse-mode Jacobian. */
export function jacrev<P extends unknown[], R, const O extends JacOptions = Record<never, never>>(
  f: (...args: P) => R,
  opts?: O,
): JacobianFunction<P, R, O>;
export function jacrev(f: AnyFunction, opts: JacOptions = {}): AnyFunction {
  if (typeof f !== "function") throw new TypeError(`jacrev expects a function, got ${typeof f}.`);
  checkOptionKeys("jacrev", opts, JAC_OPTION_KEYS);
  const argnums = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  return named(f, (...args: unknown[]) => {
    const { leaves, exTree, ff } = prepare(f, args, argnums, hasAux);
    checkInputDtypeRev("jacrev", opts.allowInt ?? false, leaves);
    const lin = linearizeFlat(ff.fn, leaves, ff.nAux);
    const ys = lin.outPrimals;
    ys.forEach((y) => checkOutputDtypeRev("jacrev", y));
    const m = ys.reduce((a, y) => a + y.size, 0);
    let off = 0;
    const basis = ys.map((y) => {
      const b = basisBlock(m, off, y.shape, y.dtype);
      off += y.size;
      return b;
    });
    const inAvals = lin.inTangentAvals;
    const r = batchFlat(
      (cts) =>
        transposeLinear(lin, cts as Array[]).map((t, i) =>
          instantiateZeros(t instanceof Zero ? new Zero(inAvals[i]!) : t),
        ),
      basis,
      basis.map(() => 0),
      m,
    );
    const grads = r.outs.map((g, i) => matchAxis(g, r.outDims[i]!, 0, m)); // [m, ...x.shape]
    let o = 0;
    const blocks = ys.map((y) => {
      const parts = grads.map((g, i) => {
        const xs = inAvals[i]!.shape;
        const st = g.shape.map((_, d) => (d === 0 ? o : 0));
        const lim = g.shape.map((dim, d) => (d === 0 ? o + y.size : dim));
        return reshape(slice(g, st, lim), [...y.shape, ...xs]);
      });
      o += y.size;
      return treeUnflatten(exTree, parts);
    });
    return finish(ff.outTree(), blocks, ff.auxTree(), lin.aux, hasAux);
  });
}

export const jacobian = jacrev;

/** The Hessian: `jacfwd(jacrev(f))`. */
export function hessian<P extends unknown[], R, const O extends JacOptions = Record<never, never>>(
  f: (...args: P) => R,
  opts?: O,
): JacobianFunction<P, R, O>;
export function hessian(f: AnyFunction, opts: JacOptions = {}): AnyFunction {
  if (typeof f !== "function") throw new TypeError(`hessian expects a function, got ${typeof f}.`);
  checkOptionKeys("hessian", opts, JAC_OPTION_KEYS);
  const inner = jacrev(f as (...args: unknown[]) => unknown, opts);
  return jacfwd(inner, { ...opts, allowInt: false });
}
