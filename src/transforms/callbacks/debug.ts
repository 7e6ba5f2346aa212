/**
 * `debug.callback(fn, ...args, { ordered })` and `debug.print(fmt, ...args, { name: x,
 * ordered })`: call a JS function, or print, with the concrete values of traced arrays —
 * under jit, vmap (one call per example, as JAX unrolls them), grad (primal values), and in
 * scan/while/cond bodies. Staged as JAX's `debug_callback[callback=… effect=Debug]` (effect
 * `OrderedDebug` with `ordered: true`); programs holding one run through the host interpreter
 * (runtime/host-run.ts), which calls back on the calling thread in program order, on every
 * device. Outside any transformation the function is called at once.
 *
 * Keyword arguments: JS has none, so a trailing plain object is the options (`ordered`) and,
 * for `debug.print`, the named fields (`{x}`). Wrap a pytree argument that is a plain object
 * in a list to pass it positionally.
 */
import { isTypedArray } from "../../core/dtype.js";
import { isPlainObject, treeFlatten, treeUnflatten } from "../../core/pytree.js";
import { type FormatArg, checkFormatArgs, pyFormat } from "../../core/python-format.js";
import { Array } from "../../trace/array.js";
import { type Value, bind, isTransforming } from "../../trace/trace.js";
import { Effect, HostCallback, debugCallbackP } from "../../primitives/callback.js";
import { typedArrayToArray } from "../../runtime/array.js";
import { asArray } from "../eval-jaxpr.js";

/** Options of `debug.callback` and `debug.print` (JAX's `ordered=`). */
export interface DebugCallbackOptions {
  /** Keep this callback's order relative to other ordered callbacks (effect OrderedDebug). */
  ordered?: boolean;
}

const isDynamic = (x: unknown): boolean =>
  x instanceof Array ||
  isTypedArray(x) ||
  typeof x === "number" ||
  typeof x === "boolean" ||
  typeof x === "bigint";

/**
 * Stage or run `fn(...args)`: dynamic leaves (arrays, numbers, booleans) become the
 * primitive's operands; other leaves (strings, functions…) are kept as static values.
 */
function debugCallbackImpl(
  fn: (...args: unknown[]) => unknown,
  args: readonly unknown[],
  ordered: boolean,
): void {
  const [leaves, tree] = treeFlatten<unknown>(args, (x) => isDynamic(x) || isTypedArray(x));
  const dynPos: number[] = [];
  const dyn: Value[] = [];
  leaves.forEach((l, i) => {
    if (!isDynamic(l)) return;
    dynPos.push(i);
    dyn.push(isTypedArray(l) ? typedArrayToArray(l) : (l as Value));
  });
  const call = (vals: readonly Array[]) => {
    const all = [...leaves];
    dynPos.forEach((p, k) => (all[p] = vals[k]));
    fn(...treeUnflatten<unknown[]>(tree, all));
    return [];
  };
  if (!isTransforming()) {
    call(dyn.map(asArray));
    return;
  }
  bind(debugCallbackP, dyn, {
    callback: new HostCallback(call, "debug_callback.<locals>._flat_callback"),
    effect: ordered ? Effect.orderedDebug : Effect.debug,
  });
}

function checkOrdered(v: unknown, what: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== "boolean")
    throw new TypeError(`${what}: ordered must be a boolean, got ${typeof v}.`);
  return v;
}

/** `jax.debug.callback(fn, *args, ordered=…)`; a trailing `{ ordered }` object is the options. */
export function callback(fn: (...args: never[]) => unknown, ...args: unknown[]): void {
  if (typeof fn !== "function") {
    throw new TypeError(
      `first argument to jax.debug.callback must be callable, but got an object of type ${fn === null ? "null" : typeof fn}`,
    );
  }
  let ordered = false;
  const last = args[args.length - 1];
  if (
    isPlainObject(last) &&
    Object.keys(last).length > 0 &&
    Object.keys(last).every((k) => k === "ordered")
  ) {
    ordered = checkOrdered(last.ordered, "debug.callback");
    args = args.slice(0, -1);
  }
  debugCallbackImpl(fn as (...a: unknown[]) => unknown, args, ordered);
}

function formatArg(v: unknown): FormatArg {
  if (v instanceof Array) {
    return {
      str: v.toString(),
      repr: v.repr(),
      // A complex scalar formats by its str (format specs for complex are not supported).
      ...(v.ndim === 0 && v.dtype.kind !== "c"
        ? { scalar: v.item() as number | bigint | boolean, integer: !v.dtype.isFloat }
        : {}),
    };
  }
  return { str: String(v), repr: typeof v === "string" ? `'${v}'` : String(v) };
}

/**
 * `jax.debug.print(fmt, *args, ordered=…, **kwargs)`: Python `str.format` fields (`{}`,
 * `{0}`, `{x}` from a trailing `{ x }` object, `{:.3f}`), printed with numpy's array text.
 * The format is checked when called (IndexError, KeyError, ValueError for unused arguments).
 */
export function print(fmt: string, ...args: unknown[]): void {
  if (typeof fmt !== "string") {
    throw new TypeError(`debug.print: the format must be a string, got ${typeof fmt}.`);
  }
  let kwargs: Record<string, unknown> = {};
  const last = args[args.length - 1];
  if (isPlainObject(last)) {
    kwargs = { ...last };
    args = args.slice(0, -1);
  }
  const ordered = checkOrdered(kwargs.ordered, "debug.print");
  delete kwargs.ordered;
  const names = Object.keys(kwargs);
  checkFormatArgs(fmt, args.length, names);
  const nPos = args.length;
  debugCallbackImpl(
    (...vals: unknown[]) => {
      const pos = vals.slice(0, nPos).map(formatArg);
      const named: Record<string, FormatArg> = {};
      names.forEach((n, i) => (named[n] = formatArg(vals[nPos + i])));
      console.log(pyFormat(fmt, pos, named));
    },
    [...args, ...names.map((n) => kwargs[n])],
    ordered,
  );
}
