/**
 * Validation of jit's argument options, as JAX's api_util: `donateArgnums` against the
 * function's positional parameters (`_validate_argnums`) and against the static positions
 * (`rebase_donate_argnums`: they cannot intersect); `jit(x)` of a non-callable.
 */
import { type Param, functionName } from "./param-names.js";
import { ValueError } from "../core/errors.js";

/** JAX's check_callable: `jit(3)` raises instead of returning a decorator. */
export function checkCallable(f: unknown): asserts f is Function {
  if (typeof f !== "function") {
    throw new TypeError(
      `Expected a callable value, got ${showValue(f)}. jit takes the function first (jit(f, options)), ` +
        `or options alone as a plain object (jit({ staticArgnums: 1 })) to make a decorator.`,
    );
  }
}

function showValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object" && v !== null) {
    const name = (v as object).constructor?.name;
    return name && name !== "Object" ? `an instance of ${name}` : "an object";
  }
  return String(v);
}

/**
 * The donated positions (negative ones resolved when the parameters are known), validated:
 * integers, within the positional parameters (unless `f` has a rest parameter or its
 * parameters could not be parsed), and not static. `donateArgnames` name parameters, as
 * `staticArgnames` do (JavaScript has no keyword arguments: a name stands for its position).
 */
export function resolveDonate(
  f: Function,
  params: readonly Param[],
  donateArgnums: number | readonly number[] | undefined,
  staticNums: readonly number[],
  donateArgnames?: string | readonly string[],
): number[] {
  if (donateArgnums === undefined && donateArgnames === undefined) return [];
  const nums =
    donateArgnums === undefined
      ? []
      : typeof donateArgnums === "number"
        ? [donateArgnums]
        : [...donateArgnums];
  const name = functionName(f);
  const named = donatedNames(name, params, donateArgnames);
  for (const n of nums) {
    if (!Number.isInteger(n))
      throw new TypeError(`donateArgnums must be integers, got ${String(n)}.`);
  }
  const positional = params.filter((p) => !p.rest).length;
  const bounded = params.length > 0 && !params.some((p) => p.rest);
  if (bounded && nums.some((n) => n >= positional || n < -positional)) {
    throw new ValueError(
      `Jitted function ${name} has donateArgnums=[${nums.join(", ")}], but only accepts ` +
        `${positional} positional argument${positional === 1 ? "" : "s"} ` +
        `(${params.map((p) => p.name ?? "<pattern>").join(", ")}). Donate only positions of its parameters.`,
    );
  }
  const out = [
    ...new Set([...nums.map((n) => (n < 0 && bounded ? n + positional : n)), ...named]),
  ].sort((a, b) => a - b);
  const both = out.filter((n) => staticNums.includes(n));
  if (both.length) {
    throw new ValueError(
      `\`staticArgnums\` [${staticNums.join(", ")}] and \`donateArgnums\` [${out.join(", ")}] cannot ` +
        `intersect (jitted function ${name}, position${both.length === 1 ? "" : "s"} ${both.join(", ")}; ` +
        `staticArgnames and donateArgnames count as their positions). A static argument is a compile-time constant, ` +
        `not a buffer: donate only dynamic arguments.`,
    );
  }
  return out;
}

/** Positions of `donateArgnames` (JAX's _validate_argnames: a name the function lacks raises). */
function donatedNames(
  name: string,
  params: readonly Param[],
  argnames: string | readonly string[] | undefined,
): number[] {
  if (argnames === undefined) return [];
  const list = typeof argnames === "string" ? [argnames] : [...argnames];
  return list.map((argname) => {
    if (typeof argname !== "string")
      throw new TypeError(`donateArgnames must be strings, got ${String(argname)}.`);
    const i = params.findIndex((p) => p.name === argname);
    if (i < 0) {
      const names = params.map((p) => p.name).filter((n): n is string => n !== null);
      throw new ValueError(
        `Jitted function ${name} has invalid argnames ['${argname}'] in donateArgnames: it takes no ` +
          `parameter of that name (${names.length ? names.join(", ") : "none could be parsed"}). ` +
          `Destructured and rest parameters cannot be named; use donateArgnums instead.`,
      );
    }
    if (params[i]!.rest)
      throw new ValueError(`donateArgnames cannot name the rest parameter '${argname}'.`);
    return i;
  });
}
