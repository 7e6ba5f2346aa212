/**
 * The `customBatching` namespace (JAX's `jax.custom_batching`): `customVmap` (transforms/) and
 * `sequentialVmap`, a customVmap whose rule maps `f` over the batch with `lax.map` (a scan:
 * one call per example, in order), broadcast arguments passed unbatched to every call.
 */
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { type CustomVmapFunction, customVmap } from "../transforms/custom-vmap.js";
import { map } from "./map-scan.js";

export { customVmap };
export type { CustomVmapFunction, VmapRule } from "../transforms/custom-vmap.js";

/** Replace the leaves of `tree` where `mask` (same structure, booleans) is true/false. */
function pick(mask: unknown, tree: unknown, keep: boolean): unknown {
  if (typeof mask === "boolean") return mask === keep ? tree : null;
  if (globalThis.Array.isArray(mask)) {
    return mask.map((m, i) => pick(m, (tree as unknown[])[i], keep));
  }
  if (mask !== null && typeof mask === "object") {
    const t = tree as Record<string, unknown>;
    return Object.fromEntries(Object.entries(mask).map(([k, m]) => [k, pick(m, t[k], keep)]));
  }
  return tree;
}

function merge(mask: unknown, mapped: unknown, bcast: unknown): unknown {
  if (typeof mask === "boolean") return mask ? mapped : bcast;
  if (globalThis.Array.isArray(mask)) {
    return mask.map((m, i) => merge(m, (mapped as unknown[])[i], (bcast as unknown[])[i]));
  }
  if (mask !== null && typeof mask === "object") {
    const a = mapped as Record<string, unknown>;
    const b = bcast as Record<string, unknown>;
    return Object.fromEntries(Object.entries(mask).map(([k, m]) => [k, merge(m, a[k], b[k])]));
  }
  return bcast;
}

function allTrue(tree: unknown): unknown {
  if (globalThis.Array.isArray(tree)) return tree.map(allTrue);
  if (
    tree !== null &&
    typeof tree === "object" &&
    Object.getPrototypeOf(tree) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, allTrue(v)]));
  }
  return true;
}

/**
 * JAX's `jax.custom_batching.sequential_vmap`: under `vmap`, `f` is called once per example in
 * a loop (`lax.map`) instead of being batched.
 */
export function sequentialVmap<F extends AnyFunction>(f: F): CustomVmapFunction<F> {
  const cf = customVmap(f);
  const rule = function (_axisSize: number, inBatched: never[], ...args: never[]) {
    const mapped = pick(inBatched, args, true);
    const bcast = pick(inBatched, args, false);
    const out = map(
      (m: unknown) =>
        (cf as unknown as UncheckedFunction)(...(merge(inBatched, m, bcast) as unknown[])),
      mapped,
    );
    return [out, allTrue(out)];
  };
  Object.defineProperty(rule, "name", { value: "sequential_vmap.<locals>.rule" }); // JAX's name
  cf.defVmap(rule);
  return cf;
}
