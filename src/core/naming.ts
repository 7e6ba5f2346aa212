/**
 * Python names for the public functions. JAX's functions carry their Python `__name__`
 * (`jnp.floor_divide.__name__ == "floor_divide"`), which is what `jit` prints as
 * `pjit[name=...]`; ours must too. Functions made by factories get their name where they are
 * made (`named`); the public namespaces (jnp, lax, nn) then give every exported function its
 * Python spelling of the JS name (`nameExports`: `floorDivide` → `floor_divide`).
 */

/** `f` with `.name` set to `name` (a function's `name` is configurable, not writable). */
export function named<F extends Function>(name: string, f: F): F {
  if (f.name !== name) Object.defineProperty(f, "name", { value: name, configurable: true });
  return f;
}

/**
 * The Python spelling of a JS identifier: camelCase → snake_case, and a trailing `_` (JS's
 * escape for reserved words: `var_`, `switch_`) dropped.
 */
export function pythonName(jsName: string): string {
  return jsName
    .replace(/_+$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

const isClass = (f: Function): boolean => /^class\b/.test(Function.prototype.toString.call(f));

/**
 * Name every function exported by a namespace module as JAX names it: the Python spelling of
 * its own name (so aliases keep the name of what they alias: `jnp.mod.name === "remainder"`,
 * as JAX's `mod = remainder`), or of the export key if it has none; `overrides` maps a JS name
 * to a JAX name that is not its plain Python spelling (`atleast1d` → `atleast_1d`). Classes
 * keep their names.
 */
export function nameExports(
  ns: Readonly<Record<string, unknown>>,
  overrides: Readonly<Record<string, string>> = {},
): void {
  for (const [key, v] of Object.entries(ns)) {
    if (typeof v !== "function" || isClass(v)) continue;
    const own = v.name || key;
    named(overrides[own] ?? pythonName(own), v);
  }
}
