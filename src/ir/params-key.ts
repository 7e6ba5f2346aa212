/** A stable string key for equation params, for caches and CSE (jaxprs by identity). */
import { DType } from "../core/dtype.js";
import { ClosedJaxpr, Jaxpr, PyList } from "./jaxpr.js";

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

export function identityKey(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
}

export function paramsKey(v: unknown): string {
  if (v === null || v === undefined) return "N";
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "string":
      return JSON.stringify(v);
    case "boolean":
      return v ? "T" : "F";
    case "bigint":
      return `${v}n`;
    case "function":
      return `fn#${identityKey(v)}`;
  }
  if (v instanceof DType) return v.name;
  if (v instanceof Jaxpr || v instanceof ClosedJaxpr) return `jaxpr#${identityKey(v)}`;
  if (v instanceof PyList) return `[${v.items.map(paramsKey).join(",")}]`;
  if (Array.isArray(v)) return `(${v.map(paramsKey).join(",")})`;
  if (Object.getPrototypeOf(v) === Object.prototype) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${k}:${paramsKey(o[k])}`)
      .join(",")}}`;
  }
  return `obj#${identityKey(v as object)}`;
}
