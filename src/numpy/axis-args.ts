/**
 * numpy's `axis` argument, positional or in the options object, the same way everywhere:
 * `sum(x, 0)`, `sum(x, [0, 1])`, `sum(x, null)`, `sum(x, { axis: 0, keepdims: true })` and
 * `sum(x, 0, { keepdims: true })` all work (as `np.sum(x, 0)` and `np.sum(x, axis=0)`).
 */
import { isPlainObject } from "../core/pytree.js";
import type { Axis } from "../trace/array.js";

/** The second argument of an axis-taking function: an axis, or the options object. */
export type AxisArg<O> = Axis | O | undefined;

const isAxis = (a: unknown): a is Axis =>
  a === null || typeof a === "number" || globalThis.Array.isArray(a);

/** The options of `fn(x, axisOrOpts, opts)` with the positional axis merged in. */
export function axisOptions<O extends { axis?: unknown }>(
  fn: string,
  axisOrOpts: AxisArg<O>,
  opts?: O,
): O {
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
