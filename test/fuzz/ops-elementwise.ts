/**
 * The fuzzer's elementwise and reducing ops: unary math, binary ops with broadcasting and weakly
 * typed JS scalars, comparisons, where, casts across dtypes, reductions over axes (keepdims).
 * Each maker returns the text of one jnp expression on its operand `a`, or null where the op
 * does not apply (JAX would raise: those inputs belong to the bad-input catalogue, not here).
 */
import {
  type Ctx,
  type Value,
  axisOf,
  broadcastShapes,
  partner,
  scalarLiteral,
} from "./context.js";
import { isFloat, sizeOf } from "./program.js";

export interface OpMaker {
  readonly name: string;
  /** Allowed in gradient programs (differentiable, float in and out). */
  readonly smooth: boolean;
  make(c: Ctx, a: Value): string | null;
}

const notBool = (a: Value) => a.aval.dtype !== "bool";
/** Not bool, and not rounding-sensitive to a last-ulp difference (see Value.approx). */
const exactNumeric = (a: Value) => notBool(a) && !a.approx;

const unary = (
  name: string,
  text: (x: string) => string,
  smooth: boolean,
  ok = notBool,
): OpMaker => ({
  name,
  smooth,
  make: (_c, a) => (ok(a) ? text(a.name) : null),
});

export const unaryOps: OpMaker[] = [
  unary(
    "sin",
    (x) => `jnp.sin(${x})`,
    true,
    () => true,
  ),
  unary(
    "cos",
    (x) => `jnp.cos(${x})`,
    true,
    () => true,
  ),
  unary(
    "tanh",
    (x) => `jnp.tanh(${x})`,
    true,
    () => true,
  ),
  unary(
    "exp",
    (x) => `jnp.exp(${x})`,
    true,
    () => true,
  ),
  unary("expm1", (x) => `jnp.expm1(${x})`, true),
  unary("log1p_abs", (x) => `jnp.log1p(jnp.abs(${x}))`, true),
  unary("sqrt_abs", (x) => `jnp.sqrt(jnp.abs(${x}))`, false),
  unary("square", (x) => `jnp.square(${x})`, true),
  unary("abs", (x) => `jnp.abs(${x})`, true),
  unary("negative", (x) => `jnp.negative(${x})`, true),
  unary("sign", (x) => `jnp.sign(${x})`, false, exactNumeric),
  unary("floor", (x) => `jnp.floor(${x})`, false, exactNumeric),
  unary("round", (x) => `jnp.round(${x})`, false, exactNumeric),
  unary(
    "logicalNot",
    (x) => `jnp.logicalNot(${x})`,
    false,
    (a) => a.aval.dtype === "bool",
  ),
];

const binary = (
  name: string,
  fn: string,
  smooth: boolean,
  ok: (a: Value) => boolean = () => true,
  filter?: (d: string) => boolean,
  exact = false,
): OpMaker => ({
  name,
  smooth,
  make(c, a) {
    if (!ok(a) || (exact && a.approx)) return null;
    if (!c.smooth && c.r.chance(0.2)) {
      const s = scalarLiteral(c, a.aval.dtype);
      return c.r.chance(0.5) ? `jnp.${fn}(${a.name}, ${s})` : `jnp.${fn}(${s}, ${a.name})`;
    }
    const b = partner(c, a, filter, undefined, exact);
    return c.r.chance(0.5) ? `jnp.${fn}(${a.name}, ${b.name})` : `jnp.${fn}(${b.name}, ${a.name})`;
  },
});
const numeric = (d: string) => d !== "bool";

export const binaryOps: OpMaker[] = [
  binary("add", "add", true),
  binary("subtract", "subtract", true, notBool, numeric),
  binary("multiply", "multiply", true),
  binary("divide", "divide", false),
  binary("maximum", "maximum", true),
  binary("minimum", "minimum", true),
  binary("floorDivide", "floorDivide", false, notBool, numeric, true),
  binary("remainder", "remainder", false, notBool, numeric, true),
  binary("arctan2", "arctan2", false, notBool, numeric),
  binary("greater", "greater", false, () => true, undefined, true),
  binary("lessEqual", "lessEqual", false, () => true, undefined, true),
  binary("equal", "equal", false, () => true, undefined, true),
  binary("notEqual", "notEqual", false, () => true, undefined, true),
  binary(
    "logicalAnd",
    "logicalAnd",
    false,
    (a) => a.aval.dtype === "bool",
    (d) => d === "bool",
  ),
  binary(
    "logicalOr",
    "logicalOr",
    false,
    (a) => a.aval.dtype === "bool",
    (d) => d === "bool",
  ),
  {
    name: "where",
    smooth: true,
    make(c, a) {
      // The condition never depends on differentiated values: a bool input or bool value.
      const cond = partner(c, a, (d) => d === "bool", "bool");
      // The other case broadcasts with both the condition and `a`.
      const shape = broadcastShapes(a.aval.shape, cond.aval.shape)!;
      const both = { name: a.name, aval: { ...a.aval, shape } };
      const b =
        c.smooth || c.r.chance(0.7) ? partner(c, both).name : scalarLiteral(c, a.aval.dtype);
      return c.r.chance(0.5)
        ? `jnp.where(${cond.name}, ${a.name}, ${b})`
        : `jnp.where(${cond.name}, ${b}, ${a.name})`;
    },
  },
  {
    name: "clip",
    smooth: true,
    // JAX raises OverflowError for the JS int -1 against an unsigned array.
    make: (c, a) => {
      const lo = c.r.pick([a.aval.dtype.startsWith("u") ? "0" : "-1", "0", "null"]);
      return notBool(a) ? `jnp.clip(${a.name}, ${lo}, 1.5)` : null;
    },
  },
  {
    name: "astype",
    smooth: false,
    make: (c, a) => {
      const to = c.r.pick(a.approx ? c.dtypes.filter(isFloat) : c.dtypes);
      return `${a.name}.astype("${to}")`;
    },
  },
];

/** Reductions: sum/prod/mean/max/min/any/all over an axis, a tuple of axes or all (keepdims
 * sometimes); argmax/argmin over one axis or all. max/min/argmax/argmin of nothing raise in JAX,
 * so a reduction over a size-0 dimension of those is not generated. */
function reduceMaker(
  fn: string,
  smooth: boolean,
  multiAxis: boolean,
  needsElements: boolean,
): OpMaker {
  return {
    name: fn,
    smooth,
    make(c, a) {
      const { shape, dtype } = a.aval;
      if (smooth && c.smooth && !isFloat(dtype)) return null;
      if (a.approx && ["argmax", "argmin", "any", "all"].includes(fn)) return null;
      if ((fn === "any" || fn === "all") && dtype !== "bool" && c.r.chance(0.7)) return null;
      const nd = shape.length;
      let axes: number[] | null = null;
      if (nd > 0 && c.r.chance(0.75)) {
        axes = [axisOf(c, nd)];
        if (multiAxis && nd > 1 && c.r.chance(0.3)) {
          const other = axisOf(c, nd);
          if ((other + nd) % nd !== (axes[0]! + nd) % nd) axes.push(other);
        }
      }
      const reduced = axes === null ? shape : axes.map((k) => shape[(k + nd) % nd]!);
      if (needsElements && sizeOf(reduced) === 0) return null;
      const axisText =
        axes === null
          ? "null"
          : axes.length === 1 && c.r.chance(0.5)
            ? `${axes[0]}`
            : `[${axes.join(", ")}]`;
      if (!multiAxis && axisText.startsWith("[")) return `jnp.${fn}(${a.name}, ${axes![0]})`;
      const keep = c.r.chance(0.3) ? ", keepdims: true" : "";
      return `jnp.${fn}(${a.name}, { axis: ${axisText}${keep} })`;
    },
  };
}

export const reduceOps: OpMaker[] = [
  reduceMaker("sum", true, true, false),
  reduceMaker("prod", true, true, false),
  reduceMaker("mean", true, true, false),
  reduceMaker("max", true, true, true),
  reduceMaker("min", true, true, true),
  reduceMaker("any", false, true, false),
  reduceMaker("all", false, true, false),
  reduceMaker("argmax", false, false, true),
  reduceMaker("argmin", false, false, true),
];
