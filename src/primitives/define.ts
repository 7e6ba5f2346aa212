/**
 * Defining primitives, the registry of all of them by name, and the rules transforms/
 * provides for them (`provideRules`): a definition marks such a rule `providedByTransforms`,
 * and the transformations read every rule through `jvpRuleOf`, `transposeRuleOf`,
 * `batchRuleOf` and `partialEvalRuleOf`, which resolve markers and provided rules alike.
 */
import type { Params } from "../ir/jaxpr.js";
import type {
  BatchRule,
  Bivariant,
  JvpRule,
  Primitive,
  TransposeRule,
} from "../trace/primitive.js";
import type { Trace, Tracer, Value } from "../trace/trace.js";

const registry = new Map<string, Primitive>();

/** Define (and register) a primitive: one object with all of its rules. */
export function definePrimitive<P extends Params = Params>(p: Primitive<P>): Primitive<P> {
  if (registry.has(p.name)) throw new Error(`primitive ${p.name} defined twice`);
  registry.set(p.name, p);
  return p;
}

export function primitiveByName(name: string): Primitive | undefined {
  return registry.get(name);
}

/**
 * A registered primitive that a rule needs but cannot import: the two primitives of a
 * transpose pair defined in modules where one imports the other (broadcast_in_dim's
 * transpose is reduce_sum, gather's is scatter-add).
 */
export function registeredPrimitive(name: string): Primitive {
  const p = registry.get(name);
  if (!p) throw new Error(`primitive ${name} is not defined`);
  return p;
}

export function allPrimitives(): Primitive[] {
  return [...registry.values()];
}

/**
 * Partial evaluation of an equation with some unknown inputs (transforms/ad/partial-eval.ts
 * runs it with its own trace and tracers, subclasses of these).
 */
export type PartialEvalRule<P> = Bivariant<(trace: Trace, tracers: Tracer[], params: P) => Value[]>;

/** The rules transforms/ provides for a primitive (each one its definition marks so). */
export interface ProvidedRules<P> {
  readonly jvp?: JvpRule<P>;
  readonly transpose?: TransposeRule<P>;
  readonly batch?: BatchRule<P>;
  readonly partialEval?: PartialEvalRule<P>;
}
type RuleKind = keyof ProvidedRules<Params>;
const RULE_KINDS: readonly RuleKind[] = ["jvp", "transpose", "batch", "partialEval"];

const provided = new Map<Primitive, ProvidedRules<Params>>();

/** Register rules of `prim` that its definition marks `providedByTransforms` (once each). */
export function provideRules<P extends Params>(prim: Primitive<P>, rules: ProvidedRules<P>): void {
  const have: ProvidedRules<Params> = provided.get(prim) ?? {};
  for (const kind of RULE_KINDS) {
    if (rules[kind] === undefined) continue;
    const declared = prim[kind];
    if (
      declared === undefined ||
      typeof declared === "function" ||
      declared.kind !== "providedByTransforms"
    )
      throw new Error(
        `primitive ${prim.name}: its ${kind} rule is not marked providedByTransforms`,
      );
    if (have[kind] !== undefined)
      throw new Error(`primitive ${prim.name}: ${kind} rule provided twice`);
  }
  provided.set(prim, { ...have, ...rules });
}

/** `prim`'s rules marked `providedByTransforms` that nothing has provided (for a test). */
export function missingProvidedRules(prim: Primitive): RuleKind[] {
  const have = provided.get(prim) ?? {};
  return RULE_KINDS.filter((kind) => {
    const declared = prim[kind];
    return (
      declared !== undefined &&
      typeof declared !== "function" &&
      declared.kind === "providedByTransforms" &&
      have[kind] === undefined
    );
  });
}

/** The rule of `kind` for `prim`: its own, or the provided one; undefined where it has none. */
function ruleOf<K extends RuleKind>(prim: Primitive, kind: K): ProvidedRules<Params>[K] {
  const own = prim[kind];
  if (typeof own === "function") return own as ProvidedRules<Params>[K];
  if (own?.kind === "providedByTransforms") return provided.get(prim)?.[kind];
  return undefined;
}

/** `prim`'s JVP rule (undefined: not differentiable, or its rule was not provided). */
export function jvpRuleOf<P extends Params>(prim: Primitive<P>): JvpRule<P> | undefined {
  return ruleOf(prim, "jvp");
}

/** `prim`'s transpose rule (undefined: not linear, or its rule was not provided). */
export function transposeRuleOf<P extends Params>(
  prim: Primitive<P>,
): TransposeRule<P> | undefined {
  return ruleOf(prim, "transpose");
}

/** `prim`'s batching rule (undefined: not batchable, or its rule was not provided). */
export function batchRuleOf<P extends Params>(prim: Primitive<P>): BatchRule<P> | undefined {
  return ruleOf(prim, "batch");
}

/** `prim`'s partial-evaluation rule (undefined: the default, staging the whole equation). */
export function partialEvalRuleOf<P extends Params>(
  prim: Primitive<P>,
): PartialEvalRule<P> | undefined {
  return ruleOf(prim, "partialEval");
}
