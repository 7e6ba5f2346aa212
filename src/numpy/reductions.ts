/** jax.numpy reductions: sum, mean, var, std, max, min, prod, argmax, argmin, any, all. */
import { NotImplementedError, ValueError } from "../core/errors.js";
import {
  type DType,
  bool,
  canonicalize,
  defaultFloat,
  defaultInt,
  toDType,
  uint32,
} from "../core/dtype.js";
import { normalizeAxes, normalizeAxis } from "../core/shape.js";
import type {
  Array,
  ArrayLike,
  ArgReduceOptions,
  ReduceOptions,
  VarOptions,
} from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import * as lax from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { complexProd } from "./complex.js";
import { type AxisArg, axisOptions } from "./axis-args.js";

export type ReduceOpts = ReduceOptions;
export type VarOpts = VarOptions;
export type ArgReduceOpts = ArgReduceOptions;

function keep(x: Array, r: Array, axes: number[], keepdims: boolean | undefined): Array {
  if (!keepdims) return r;
  return lax.reshape(
    r,
    x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
}

/** numpy upcasts bool and small integer sums/products to the default int. */
function accumDtype(d: DType): DType {
  if (d.isBool) return defaultInt();
  if (d.isInt && d.itemsize < defaultInt().itemsize) return d.isSigned ? defaultInt() : uint32;
  return d;
}

function reduceWith(
  name: "reduce_sum" | "reduce_prod" | "reduce_max" | "reduce_min" | "reduce_and" | "reduce_or",
  x: ArrayLike,
  opts: ReduceOpts = {},
  upcast = false,
): Array {
  let a = asarray(x);
  const axes = normalizeAxes(opts.axis, a.ndim);
  const target = opts.dtype
    ? canonicalize(toDType(opts.dtype))
    : upcast
      ? accumDtype(a.dtype)
      : a.dtype;
  if (target !== a.dtype) a = lax.convertElementType(a, target);
  if (opts.where !== undefined && opts.where !== null) {
    const ident =
      name === "reduce_sum" || name === "reduce_or"
        ? 0
        : name === "reduce_prod" || name === "reduce_and"
          ? 1
          : undefined;
    if (ident === undefined)
      throw new NotImplementedError(
        `jnp.${name.slice(7)} with where= requires an initial value (not supported yet)`,
      );
    const w = lax.broadcastInDim(
      asarray(opts.where, bool),
      a.shape,
      a.shape.map((_, i) => i),
    );
    a = lax.selectN(w, lax.fullLike(a, ident), a);
  }
  if (name === "reduce_max" || name === "reduce_min") {
    for (const ax of axes) {
      if (a.shape[ax] === 0) {
        throw new ValueError(
          `zero-size array to reduction operation ${name.slice(7)} which has no identity (axis ${ax}).`,
        );
      }
    }
  }
  if (name === "reduce_prod" && a.dtype.isComplex && axes.length)
    return keep(a, complexProd(a, axes, a.dtype), axes, opts.keepdims);
  const r = axes.length === 0 ? a : bind1(lax.primitiveByName(name)!, [a], { axes });
  return keep(a, r, axes, opts.keepdims);
}

/** `jnp.sum(x, axis?, opts?)`: the axis positionally or as `{ axis }` (see axis-args.ts). */
export const sum = (x: ArrayLike, axis?: AxisArg<ReduceOpts>, opts?: ReduceOpts) =>
  reduceWith("reduce_sum", x, axisOptions("sum", axis, opts), true);
export const prod = (x: ArrayLike, axis?: AxisArg<ReduceOpts>, opts?: ReduceOpts) =>
  reduceWith("reduce_prod", x, axisOptions("prod", axis, opts), true);
export const max = (x: ArrayLike, axis?: AxisArg<ReduceOpts>, opts?: ReduceOpts) =>
  reduceWith("reduce_max", x, axisOptions("max", axis, opts));
export const min = (x: ArrayLike, axis?: AxisArg<ReduceOpts>, opts?: ReduceOpts) =>
  reduceWith("reduce_min", x, axisOptions("min", axis, opts));
export const amax = max;
export const amin = min;

function truthReduce(
  name: "any" | "all",
  x: ArrayLike,
  axis: AxisArg<ReduceOpts>,
  opts: ReduceOpts | undefined,
): Array {
  const o = axisOptions(name, axis, opts);
  const a = asarray(x);
  const b = a.dtype === bool ? a : lax.ne(a, lax.scalarLike(a, 0));
  return reduceWith(name === "any" ? "reduce_or" : "reduce_and", b, { ...o, dtype: null });
}
export const any = (x: ArrayLike, axis?: AxisArg<ReduceOpts>, opts?: ReduceOpts) =>
  truthReduce("any", x, axis, opts);
export const all = (x: ArrayLike, axis?: AxisArg<ReduceOpts>, opts?: ReduceOpts) =>
  truthReduce("all", x, axis, opts);

function countOf(a: Array, axes: number[]): number {
  return axes.reduce((n, ax) => n * a.shape[ax]!, 1);
}

export function mean(x: ArrayLike, axis?: AxisArg<ReduceOpts>, options?: ReduceOpts): Array {
  const opts = axisOptions("mean", axis, options);
  const a = asarray(x);
  const axes = normalizeAxes(opts.axis, a.ndim);
  const dt = opts.dtype
    ? canonicalize(toDType(opts.dtype))
    : a.dtype.isFloat || a.dtype.isComplex
      ? a.dtype
      : defaultFloat();
  const s = sum(lax.convertElementType(a, dt), { axis: axes, keepdims: opts.keepdims ?? false });
  return lax.div(s, lax.scalarConstantOf(countOf(a, axes), dt));
}

export function variance(x: ArrayLike, axis?: AxisArg<VarOpts>, options?: VarOpts): Array {
  const opts = axisOptions("var", axis, options);
  if (opts.ddof !== undefined && typeof opts.ddof !== "number")
    throw new TypeError(
      `var: ddof must be a number, got ${typeof opts.ddof} ${String(opts.ddof)}.`,
    );
  const a = asarray(x);
  const axes = normalizeAxes(opts.axis, a.ndim);
  const complex = !opts.dtype && a.dtype.isComplex;
  const dt = opts.dtype
    ? canonicalize(toDType(opts.dtype))
    : a.dtype.isFloat || complex
      ? a.dtype
      : defaultFloat();
  const af = lax.convertElementType(a, dt);
  const mu = mean(af, { axis: axes, keepdims: true });
  const centered = lax.sub(
    af,
    lax.broadcastInDim(
      mu,
      af.shape,
      af.shape.map((_, i) => i),
    ),
  );
  // As JAX: |x − μ|² for complex x (a real result of the part dtype).
  const sq = complex
    ? lax.real(lax.mul(centered, lax.conj(centered)))
    : lax.mul(centered, centered);
  const n = countOf(a, axes) - (opts.ddof ?? 0);
  return lax.div(
    sum(sq, { axis: axes, keepdims: opts.keepdims ?? false }),
    lax.scalarConstantOf(n, sq.dtype),
  );
}
export const var_ = variance;

export function std(x: ArrayLike, axis?: AxisArg<VarOpts>, opts?: VarOpts): Array {
  return lax.sqrt(variance(x, axisOptions("std", axis, opts)));
}

function argReduce(
  name: "argmax" | "argmin",
  x: ArrayLike,
  opts: { axis?: number | null; keepdims?: boolean },
): Array {
  let a = asarray(x);
  let axis: number;
  if (opts.axis === undefined || opts.axis === null) {
    a = lax.reshape(a, [a.size]);
    axis = 0;
  } else axis = normalizeAxis(opts.axis, a.ndim);
  if (a.shape[axis] === 0) throw new ValueError(`attempt to get ${name} of an empty sequence`);
  const r = bind1(lax.primitiveByName(name)!, [a], {
    axes: [axis],
    index_dtype: canonicalize(defaultInt()),
  });
  if (!opts.keepdims) return r;
  const ax = opts.axis === undefined || opts.axis === null ? [] : [axis];
  return lax.reshape(
    r,
    opts.axis === undefined || opts.axis === null
      ? asarray(x).shape.map(() => 1)
      : a.shape.map((d, i) => (ax.includes(i) ? 1 : d)),
  );
}
export const argmax = (x: ArrayLike, axis?: AxisArg<ArgReduceOpts>, opts?: ArgReduceOpts) =>
  argReduce("argmax", x, axisOptions("argmax", axis, opts) as ArgReduceOpts);
export const argmin = (x: ArrayLike, axis?: AxisArg<ArgReduceOpts>, opts?: ArgReduceOpts) =>
  argReduce("argmin", x, axisOptions("argmin", axis, opts) as ArgReduceOpts);
