/** `makeJaxpr(f)(...args)`: the jaxpr of `f` traced on abstract versions of `args`. */
import type { ShapedArray } from "../core/aval.js";
import { isTypedArray } from "../core/dtype.js";
import { treeFlatten, treeLeafPaths, treeUnflatten } from "../core/pytree.js";
import type { ClosedJaxpr } from "../ir/jaxpr.js";
import { Array } from "../trace/array.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import { currentLevel, scalarAval } from "../trace/trace.js";
import { typedArrayToArray } from "../runtime/array.js";
import { functionName, parseParams } from "./param-names.js";
import { resolveStatic } from "./jit/static-args.js";

export interface MakeJaxprOptions {
  staticArgnums?: number | readonly number[];
}

const isLeaf = (x: unknown) => x instanceof Array || isTypedArray(x);

function avalOfArg(x: unknown): ShapedArray {
  if (x instanceof Array) return x.aval;
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint")
    return scalarAval(x);
  if (isTypedArray(x)) return typedArrayToArray(x).aval;
  throw new TypeError(`makeJaxpr: argument leaf of type ${typeof x} is not a valid JAX type.`);
}

/**
 * JAX's `jax.make_jaxpr(f)(*args)`: traces `f` with abstract values of `args`' shapes and dtypes
 * and returns the `ClosedJaxpr`, whose `toString()` prints JAX's jaxpr text.
 *
 * @example
 * makeJaxpr((x: Array) => jnp.sin(x).mul(2))(jnp.ones([3])).toString()
 * // { lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = mul b 2.0 in (c,) }
 */
export function makeJaxpr<P extends unknown[]>(
  f: (...args: P) => unknown,
  opts: MakeJaxprOptions = {},
): (...args: P) => ClosedJaxpr {
  const params = parseParams(f);
  const statics = resolveStatic(f, params, opts.staticArgnums, undefined);
  return (...args: P) => {
    const dynPos = args.map((_, i) => i).filter((i) => !statics.includes(i));
    const dyn = dynPos.map((i) => args[i]);
    const [leaves, tree] = treeFlatten(dyn, isLeaf);
    const paths = treeLeafPaths(dyn, isLeaf);
    const argNames = paths.map((p) => {
      const m = /^\[(\d+)\](.*)$/.exec(p);
      return m ? `${params[dynPos[Number(m[1])]!]?.name ?? `args[${m[1]}]`}${m[2]}` : p;
    });
    return traceToJaxpr(
      (tracers) => {
        const full: unknown[] = [...args];
        const d = treeUnflatten<unknown[]>(tree, tracers);
        dynPos.forEach((p, i) => (full[p] = d[i]));
        const [outs] = treeFlatten<unknown>(f(...(full as P)), isLeaf);
        return outs.map((o) => (isTypedArray(o) ? typedArrayToArray(o) : o)) as Array[];
      },
      leaves.map(avalOfArg),
      { fnName: functionName(f), transform: "make_jaxpr", argNames },
      `${currentLevel()}/0`,
    );
  };
}
