/** Defining primitives, and the registry of all of them by name. */
import type { Params } from "../ir/jaxpr.js";
import type { Primitive } from "../trace/primitive.js";

const registry = new Map<string, Primitive>();

/** Define (and register) a primitive: one object with all of its rules. */
export function definePrimitive<P extends Params = Params>(p: Primitive<P>): Primitive<P> {
  if (registry.has(p.name)) throw new Error(`primitive ${p.name} defined twice`);
  registry.set(p.name, p as Primitive);
  return p;
}

export function primitiveByName(name: string): Primitive | undefined {
  return registry.get(name);
}

export function allPrimitives(): Primitive[] {
  return [...registry.values()];
}
