/**
 * Validation of jit's argument options, as JAX's api_util: `donateArgnums` against the
 * function's positional parameters (`_validate_argnums`) and against the static positions
 * (`rebase_donate_argnums`: they cannot intersect); `jit(x)` of a non-callable.
 */
import { type Param, argnamePositions, asList, functionName } from "../param-names.js";
import { ValueError } from "../../core/errors.js";

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
  const nums = asList(donateArgnums);
  const name = functionName(f);
  const named = argnamePositions(name, params, donateArgnames, "donateArgnames");
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
