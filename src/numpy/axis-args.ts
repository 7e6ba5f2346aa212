/**
 * numpy's `axis` argument, positional or in the options object, the same way everywhere:
 * `sum(x, 0)`, `sum(x, [0, 1])`, `sum(x, null)`, `sum(x, { axis: 0, keepdims: true })` and
 * `sum(x, 0, { keepdims: true })` all work (as `np.sum(x, 0)` and `np.sum(x, axis=0)`).
 */
import { checkOptionKeys } from "../core/options.js";
import { isPlainObject } from "../core/pytree.js";
import type { Axis } from "../trace/array.js";

/** The second argument of an axis-taking function: an axis, or the options object. */
export type AxisArg<O> = Axis | O | undefined;

const isAxis = (a: unknown): a is Axis =>
  a === null || typeof a === "number" || globalThis.Array.isArray(a);

const REDUCE_KEYS = ["axis", "keepdims", "dtype", "where"];
/** The option keys each axis-taking function accepts (an unknown key is a TypeError). */
const OPTION_KEYS: Record<string, readonly string[]> = {
  ...Object.fromEntries(
    ["sum", "prod", "max", "min", "mean", "any", "all"].map((f) => [f, REDUCE_KEYS]),
  ),
  var: [...REDUCE_KEYS, "ddof"],
  std: [...REDUCE_KEYS, "ddof"],
  argmax: ["axis", "keepdims"],
  argmin: ["axis", "keepdims"],
  sort: ["axis", "stable", "descending"],
  argsort: ["axis", "stable", "descending"],
};

/**
 * The options of `fn(x, axisOrOpts, opts)` with the positional axis merged in; a key `fn` does
 * not take raises TypeError naming the nearest valid one (`keep_dims` → `keepdims`).
 */
export function axisOptions<O extends { axis?: unknown }>(
  fn: string,
  axisOrOpts: AxisArg<O>,
  opts?: O,
): O {
  const o = mergeAxis(fn, axisOrOpts, opts);
  const keys = OPTION_KEYS[fn];
  if (keys) checkOptionKeys(fn, o, keys);
  return o;
}

function mergeAxis<O extends { axis?: unknown }>(fn: string, axisOrOpts: AxisArg<O>, opts?: O): O {
  if (axisOrOpts === undefined) return opts ?? ({} as O);
  if (isAxis(axisOrOpts)) {
    if (opts?.axis !== undefined) {
      throw new TypeError(`${fn}() got multiple values for argument 'axis'`);
    }
    return { ...opts, axis: axisOrOpts } as O;
  }
  if (isPlainObject(axisOrOpts) && opts === undefined) return axisOrOpts;
  throw new TypeError(
    `${fn}(): the second argument must be an axis (an integer, a list of integers or null) or ` +
      `an options object, got ${describe(axisOrOpts)}${opts !== undefined ? " followed by options" : ""}. ` +
      `Pass e.g. ${fn}(x, 0) or ${fn}(x, { axis: 0 }).`,
  );
}

function describe(x: unknown): string {
  if (typeof x === "string") return `the string '${x}'`;
  if (typeof x === "object" && x !== null)
    return `an object of type ${x.constructor?.name ?? "Object"}`;
  return `${typeof x} ${String(x)}`;
}
