/**
 * Effects of equations (JAX's jaxpr effects, reduced to what the passes and the runtime need):
 * which primitives have side effects that passes must keep (`debug_callback`, `io_callback`:
 * never removed by DCE, never merged by CSE), and which need the host to run (every callback,
 * `pure_callback` included) — looked up through nested jaxprs (scan/while/cond bodies, pjit,
 * checkpoint, custom-derivative calls), memoized per jaxpr.
 */
import {
  type Eqn,
  type JaxprParts,
  type Params,
  type PrintableJaxpr,
  printedJaxpr,
} from "./atoms.js";

/** Primitives with side effects (kept by DCE, never merged by CSE). */
export const EFFECTFUL_PRIMITIVES: ReadonlySet<string> = new Set(["debug_callback", "io_callback"]);
/** Primitives that call back into the host (JS) while a program runs. */
export const CALLBACK_PRIMITIVES: ReadonlySet<string> = new Set([
  "debug_callback",
  "io_callback",
  "pure_callback",
]);

const isPrintable = (v: unknown): v is PrintableJaxpr =>
  typeof v === "object" && v !== null && printedJaxpr in v;

/** The jaxprs an equation's params carry (bodies, branches, callees). */
export function nestedJaxprs(params: Params): JaxprParts[] {
  const out: JaxprParts[] = [];
  for (const v of Object.values(params)) {
    if (isPrintable(v)) out.push(v[printedJaxpr]());
    else if (Array.isArray(v)) for (const x of v) if (isPrintable(x)) out.push(x[printedJaxpr]());
  }
  return out;
}

function memo(names: ReadonlySet<string>) {
  const cache = new WeakMap<JaxprParts, boolean>();
  const inJaxpr = (j: JaxprParts): boolean => {
    let r = cache.get(j);
    if (r === undefined) {
      r = j.eqns.some(inEqn);
      cache.set(j, r);
    }
    return r;
  };
  const inParams = (name: string, params: Params): boolean =>
    names.has(name) || nestedJaxprs(params).some(inJaxpr);
  const inEqn = (e: Eqn): boolean => inParams(e.primitive.name, e.params);
  return { inJaxpr, inEqn, inParams };
}

const effects = memo(EFFECTFUL_PRIMITIVES);
const callbacks = memo(CALLBACK_PRIMITIVES);

/** The equation has side effects (itself or inside a nested jaxpr). */
export const eqnHasEffects = effects.inEqn;
export const jaxprHasEffects = effects.inJaxpr;
/** The equation (or a nested jaxpr) calls back into the host. */
export const eqnNeedsHost = callbacks.inEqn;
export const jaxprNeedsHost = callbacks.inJaxpr;
/** A primitive application (name and params) calls back into the host. */
export const paramsNeedHost = callbacks.inParams;
