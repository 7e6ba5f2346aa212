/**
 * `customJvp` and `customVjp`: functions with user-defined derivative rules.
 *
 *   const f = customJvp((x, y) => …);
 *   f.defjvp(([x, y], [tx, ty]) => [out, tangentOut]);      // or f.defjvps((g, ans, x, y) => …, …)
 *
 *   const g = customVjp((x, y) => …);
 *   g.defvjp((x, y) => [out, residuals], (residuals, ct) => [ctX, ctY]);   // null: zero cotangent
 *
 * With `{ nondiffArgnums: [i, …] }` those arguments are passed unchanged (not differentiated)
 * to the rules, first: `jvp(...nondiff, primals, tangents)`, `bwd(...nondiff, res, ct)`.
 * Outside transformations the function is just called. Under a transformation it is traced
 * to a jaxpr and bound as `custom_jvp_call` / `custom_vjp_call_jaxpr`: the JVP trace applies
 * the rule (for custom_vjp: `fwd` now, and a `custom_lin` equation whose transpose calls
 * `bwd`); other traces (jit, vmap) transform the function and the rules alike. Rules must not
 * close over values they differentiate with respect to (as in JAX).
 */
export { FnParam } from "./custom-common.js";
export type { CustomOptions } from "./custom-common.js";
export { customJvp, customJvpCallP } from "./custom-jvp.js";
export type { CustomJvpFunction } from "./custom-jvp.js";
export { customVjp, customVjpCallP, customLinP } from "./custom-vjp.js";
export type { CustomVjpFunction } from "./custom-vjp.js";
