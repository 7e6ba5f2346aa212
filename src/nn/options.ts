/**
 * Python-style argument binding for `jax.nn` functions. Keyword arguments are an options object
 * (README): a function's trailing parameters can be passed positionally, as one options object
 * in place of (or after) the positional ones, or both — `gelu(x, false)`, `gelu(x, {
 * approximate: false })`, `softmax(x, 0, { where })`. Unknown, repeated and surplus arguments
 * raise Python's TypeErrors, naming the valid options.
 */
import { isPlainObject } from "../core/pytree.js";

/**
 * Binds `args` (everything after the array argument) to the parameters named by `defaults`' keys,
 * in order. A trailing plain object is the options object; `undefined` means "not passed".
 * `leading` names the parameters before `args` (for the error message's counts).
 */
export function bindArgs<T extends Record<string, unknown>>(
  fn: string,
  defaults: T,
  args: readonly unknown[],
  maxPositional = Object.keys(defaults).length,
  leading: readonly string[] = ["x"],
): T {
  const names = Object.keys(defaults);
  let positional = args;
  let options: Record<string, unknown> = {};
  const last = args[args.length - 1];
  if (isPlainObject(last)) {
    positional = args.slice(0, -1);
    options = last;
  }
  while (positional.length > 0 && positional[positional.length - 1] === undefined) {
    positional = positional.slice(0, -1);
  }
  if (positional.length > maxPositional) {
    const keywordOnly = names.slice(maxPositional);
    const after = leading.length > 0 ? ` after ${leading[leading.length - 1]!}` : "";
    throw new TypeError(
      `${fn}() takes at most ${maxPositional + leading.length} positional arguments but ` +
        `${positional.length + leading.length} were given (its parameters${after}: ${names.join(", ")}` +
        (keywordOnly.length > 0 ? `; ${keywordOnly.join(", ")} only in an options object).` : ")."),
    );
  }
  const out: Record<string, unknown> = { ...defaults };
  positional.forEach((v, i) => {
    if (v !== undefined) out[names[i]!] = v;
  });
  for (const [key, value] of Object.entries(options)) {
    const i = names.indexOf(key);
    if (i < 0) {
      throw new TypeError(
        `${fn}() got an unexpected keyword argument '${key}'; ` +
          `valid options are: ${names.join(", ")}.`,
      );
    }
    if (i < positional.length && positional[i] !== undefined) {
      throw new TypeError(
        `${fn}() got multiple values for argument '${key}': pass it positionally or in the ` +
          `options object, not both.`,
      );
    }
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}
