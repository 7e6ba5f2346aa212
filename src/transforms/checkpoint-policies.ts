/**
 * `checkpointPolicies` (JAX's `jax.checkpoint_policies`): which values computed inside a
 * `checkpoint` are saved for the backward pass instead of recomputed. A policy is called as
 * `policy(prim, avals, params)` for each equation whose inputs are known on the forward pass
 * and returns whether its outputs may be saved (JAX calls `policy(prim, *avals, **params)`).
 * The named ones print in jaxprs as JAX's functions do (`policy=<function dots_saveable>`).
 * The `offload_*` policies move residuals to pinned host memory; jaxts devices have one
 * memory space, so they raise NotImplementedError saying so.
 */
import type { ShapedArray } from "../core/aval.js";
import { NotImplementedError, ValueError } from "../core/errors.js";
import type { Params } from "../ir/jaxpr.js";

/** A checkpoint policy: may the outputs of `prim` applied to `avals` with `params` be saved? */
export type CheckpointPolicy = (
  prim: { readonly name: string },
  avals: readonly ShapedArray[],
  params: Params,
) => boolean;

/** A policy that prints as `<function label>`. */
function named(label: string, f: CheckpointPolicy): CheckpointPolicy {
  Object.defineProperty(f, "toString", { value: () => `<function ${label}>` });
  Object.defineProperty(f, "name", { value: label.split(".").pop() });
  return f;
}

const everythingSaveable = named("everything_saveable", () => true);
const nothingSaveable = named("nothing_saveable", () => false);
const dotsSaveable = named(
  "dots_saveable",
  (prim) => prim.name === "dot_general" || prim.name === "conv_general_dilated",
);
const dotsWithNoBatchDimsSaveable = named(
  "dots_with_no_batch_dims_saveable",
  (prim, _a, params) => {
    if (prim.name !== "dot_general") return false;
    const [, [lb, rb]] = params.dimension_numbers as [unknown, [unknown[], unknown[]]];
    return lb.length === 0 && rb.length === 0;
  },
);

function checkNames(names: readonly unknown[], what: string): readonly string[] {
  for (const n of names) {
    if (typeof n !== "string")
      throw new TypeError(`${what}: names must be strings, got ${typeof n}.`);
  }
  return names as string[];
}

function saveOnlyTheseNames(...names: string[]): CheckpointPolicy {
  const keep = new Set(checkNames(names, "save_only_these_names"));
  return named(
    "save_only_these_names.<locals>.policy",
    (prim, _a, params) => prim.name === "name" && keep.has(params.name as string),
  );
}

function saveAnyNamesButThese(...names: string[]): CheckpointPolicy {
  const drop = new Set(checkNames(names, "save_any_names_but_these"));
  return named(
    "save_any_names_but_these.<locals>.policy",
    (prim, _a, params) => prim.name === "name" && !drop.has(params.name as string),
  );
}

function saveFromBothPolicies(
  policy1: CheckpointPolicy,
  policy2: CheckpointPolicy,
): CheckpointPolicy {
  for (const p of [policy1, policy2]) {
    if (typeof p !== "function")
      throw new TypeError("save_from_both_policies: policies must be functions.");
  }
  return named("save_from_both_policies.<locals>.policy", (prim, avals, params) => {
    const a = policy1(prim, avals, params);
    const b = policy2(prim, avals, params);
    if (typeof a !== "boolean" || typeof b !== "boolean") {
      throw new ValueError(
        `The return value of the policies should be a boolean. Got: ${String(a)} and ${String(b)}. ` +
          `Please write a custom policy function directly, rather than using this helper function.`,
      );
    }
    return a || b;
  });
}

const noOffload = (name: string) => (): never => {
  throw new NotImplementedError(
    `checkpoint_policies.${name}: offloading residuals to host memory is not supported — jaxts ` +
      `devices (js, wasm) keep arrays in one memory space (the JS heap or the WebAssembly memory), ` +
      `so there is no separate device memory to offload from. Save them with ` +
      `saveOnlyTheseNames / dotsSaveable instead.`,
  );
};

/**
 * JAX's `jax.checkpoint_policies`: which values `checkpoint(f, { policy })` saves for the
 * backward pass instead of recomputing (`dotsSaveable`, `saveOnlyTheseNames("h")`, …).
 */
export const checkpointPolicies = {
  everythingSaveable,
  nothingSaveable,
  dotsSaveable,
  checkpointDots: dotsSaveable,
  dotsWithNoBatchDimsSaveable,
  checkpointDotsWithNoBatchDims: dotsWithNoBatchDimsSaveable,
  saveOnlyTheseNames,
  saveAnyNamesButThese,
  saveFromBothPolicies,
  offloadDotWithNoBatchDims: noOffload("offload_dot_with_no_batch_dims"),
  saveAndOffloadOnlyTheseNames: noOffload("save_and_offload_only_these_names"),
} as const;
