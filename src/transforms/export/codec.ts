/**
 * The export artifact's jaxpr codec: a closed jaxpr (equations, params, avals, nested jaxprs,
 * constant arrays) to a JSON-safe tree plus a list of array payloads, and back. Decoding treats
 * its input as hostile data: every field is checked against the schema (dtype and primitive
 * names from the registries, shapes bounded, variables in scope), nothing is evaluated, and no
 * object key can reach a prototype. Errors are ValueErrors naming what is wrong.
 */
import { ShapedArray } from "../../core/aval.js";
import { DType, allDTypes, float0 } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { NameStack, emptyNameStack } from "../../core/name-stack.js";
import {
  ClosedJaxpr,
  DropVar,
  Eqn,
  Jaxpr,
  Literal,
  PyList,
  Var,
  type Atom,
  type Params,
} from "../../ir/jaxpr.js";
import { primitiveByName } from "../../primitives/define.js";
import { isConcreteArray } from "../../runtime/array.js";

/** JSON values as the artifact's header holds them. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Arrays met while encoding (constants), referred to by index from the JSON tree. */
export interface ArrayTable {
  readonly arrays: unknown[];
}

/** The largest number of elements one array of an artifact may claim. */
export const MAX_ELEMENTS = 2 ** 31 - 1;

const dtypeByName = new Map<string, DType>([...allDTypes, float0].map((d) => [d.name, d]));
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** A param or object key: a name, never `__proto__` (assigning it would set a prototype). */
const KEY = { test: (k: string) => k !== "__proto__" && KEY_PATTERN.test(k) };

export function bad(what: string): ValueError {
  return new ValueError(`Cannot deserialize the exported artifact: ${what}.`);
}

// ---- encoding ---------------------------------------------------------------------------

export function encodeAval(a: ShapedArray): Json {
  return [a.dtype.name, [...a.shape], a.weakType];
}

function encodeValue(v: unknown, where: string, t: ArrayTable): Json {
  if (v === null) return null;
  if (v === undefined) return { t: "undef" };
  if (typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") {
    if (Number.isFinite(v) && !Object.is(v, -0)) return v;
    return { t: "num", v: String(v) };
  }
  if (typeof v === "bigint") return { t: "bigint", v: v.toString() };
  if (v instanceof DType) return { t: "dtype", v: v.name };
  if (v instanceof ShapedArray) return { t: "aval", v: encodeAval(v) };
  if (v instanceof PyList) return { t: "list", v: v.items.map((x) => encodeValue(x, where, t)) };
  if (Array.isArray(v)) return { t: "tuple", v: v.map((x) => encodeValue(x, where, t)) };
  if (v instanceof Jaxpr) return { t: "jaxpr", v: encodeJaxpr(v, t) };
  if (v instanceof ClosedJaxpr) return { t: "closed", v: encodeClosedJaxpr(v, t) };
  if (isConcreteArray(v)) {
    t.arrays.push(v);
    return { t: "array", v: t.arrays.length - 1 };
  }
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = encodeValue(x, `${where}.${k}`, t);
    }
    return { t: "obj", v: out };
  }
  const kind =
    typeof v === "function" ? "a function" : `a ${(v as object).constructor?.name ?? "value"}`;
  throw new ValueError(
    `Cannot export: ${where} is ${kind}, which the export format cannot hold ` +
      `(host callbacks and custom_jvp/custom_vjp rules are JS functions).`,
  );
}

function encodeParams(name: string, p: Params, t: ArrayTable): Json {
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(p)) out[k] = encodeValue(p[k], `param '${k}' of ${name}`, t);
  return out;
}

/** A jaxpr: its variables' avals (indices are the references), then the parts. */
export function encodeJaxpr(j: Jaxpr, t: ArrayTable): Json {
  const vars: Json[] = [];
  const index = new Map<Var, number>();
  const def = (v: Var): number => {
    if (v instanceof DropVar) {
      vars.push([encodeAval(v.aval), 1]);
      return vars.length - 1;
    }
    vars.push([encodeAval(v.aval), 0]);
    index.set(v, vars.length - 1);
    return vars.length - 1;
  };
  const use = (a: Atom): Json => {
    if (a instanceof Literal)
      return { lit: encodeValue(a.value, "a literal", t), aval: encodeAval(a.aval) };
    const i = index.get(a);
    if (i === undefined)
      throw new ValueError("Cannot export: the jaxpr reads an unbound variable.");
    return i;
  };
  const constvars = j.constvars.map(def);
  const invars = j.invars.map(def);
  const eqns = j.eqns.map((e) => {
    const inputs = e.inputs.map(use);
    return {
      prim: e.primitive.name,
      params: encodeParams(e.primitive.name, e.params, t),
      inputs,
      outputs: e.outputs.map(def),
      names: e.nameStack.stack.map((n) => [n.kind, n.name]),
    };
  });
  return { vars, constvars, invars, outvars: j.outvars.map(use), eqns };
}

export function encodeClosedJaxpr(c: ClosedJaxpr, t: ArrayTable): Json {
  return {
    jaxpr: encodeJaxpr(c.jaxpr, t),
    consts: c.consts.map((x, i) => encodeValue(x, `constant ${i}`, t)),
  };
}

// ---- decoding ---------------------------------------------------------------------------

function isObj(x: unknown): x is { [k: string]: unknown } {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
function arr(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw bad(`${what} is not a list`);
  return x;
}
function int(x: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > max) {
    throw bad(`${what} is not an integer in [0, ${max}]`);
  }
  return x;
}
function str(x: unknown, what: string): string {
  if (typeof x !== "string") throw bad(`${what} is not a string`);
  return x;
}
/** Own fields only: a JSON object's `__proto__` is an own key, never the prototype. */
function field(o: { [k: string]: unknown }, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

export function decodeDType(x: unknown): DType {
  const d = typeof x === "string" ? dtypeByName.get(x) : undefined;
  if (!d) throw bad(`unknown dtype ${JSON.stringify(x)?.slice(0, 40)}`);
  return d;
}

export function decodeAval(x: unknown): ShapedArray {
  const [d, shape, weak] = arr(x, "an aval");
  const dims = arr(shape, "a shape").map((n) => int(n, "a dimension", MAX_ELEMENTS));
  if (dims.reduce((a, b) => a * b, 1) > MAX_ELEMENTS) {
    throw bad(`shape (${dims.join(", ")}) has more than ${MAX_ELEMENTS} elements`);
  }
  if (typeof weak !== "boolean") throw bad("an aval's weak type is not a boolean");
  return new ShapedArray(dims, decodeDType(d), weak);
}

/** Resolves `{t: "array", v: i}` references to the artifact's arrays. */
export type ArrayLookup = (i: number) => unknown;

function decodeValue(x: unknown, arrays: ArrayLookup, depth: number): unknown {
  if (depth > 64) throw bad("values nest too deeply");
  if (x === null || typeof x === "boolean" || typeof x === "string") return x;
  if (typeof x === "number") return x;
  if (!isObj(x)) throw bad("a param value has no known form");
  const t = field(x, "t");
  const v = field(x, "v");
  switch (t) {
    case "undef":
      return undefined;
    case "num": {
      const s = str(v, "a number");
      if (s === "NaN") return NaN;
      if (s === "Infinity") return Infinity;
      if (s === "-Infinity") return -Infinity;
      if (s === "0") return -0; // String(-0) is "0"
      throw bad(`number ${JSON.stringify(s).slice(0, 40)}`);
    }
    case "bigint": {
      const s = str(v, "an integer");
      if (!/^-?\d{1,20}$/.test(s)) throw bad("an integer literal is malformed");
      return BigInt(s);
    }
    case "dtype":
      return decodeDType(v);
    case "aval":
      return decodeAval(v);
    case "list":
      return new PyList(arr(v, "a list").map((y) => decodeValue(y, arrays, depth + 1)));
    case "tuple":
      return arr(v, "a tuple").map((y) => decodeValue(y, arrays, depth + 1));
    case "jaxpr":
      return decodeJaxpr(v, arrays, depth + 1);
    case "closed":
      return decodeClosedJaxpr(v, arrays, depth + 1);
    case "array":
      return arrays(int(v, "an array reference"));
    case "obj": {
      if (!isObj(v)) throw bad("an object param is not an object");
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        if (!KEY.test(k)) throw bad(`key ${JSON.stringify(k).slice(0, 40)} is not a name`);
        out[k] = decodeValue(v[k], arrays, depth + 1);
      }
      return out;
    }
    default:
      throw bad(`a param value has unknown tag ${JSON.stringify(t)?.slice(0, 40)}`);
  }
}

function decodeLiteral(x: { [k: string]: unknown }): Literal {
  const aval = decodeAval(field(x, "aval"));
  const v = decodeValue(
    field(x, "lit"),
    () => {
      throw bad("a literal refers to an array");
    },
    0,
  );
  if (typeof v !== "number" && typeof v !== "boolean" && typeof v !== "bigint") {
    throw bad("a literal is not a scalar");
  }
  if (aval.ndim !== 0) throw bad("a literal is not 0-dimensional");
  return new Literal(v, aval);
}

export function decodeJaxpr(x: unknown, arrays: ArrayLookup, depth = 0): Jaxpr {
  if (depth > 64) throw bad("jaxprs nest too deeply");
  if (!isObj(x)) throw bad("a jaxpr is not an object");
  const specs = arr(field(x, "vars"), "a jaxpr's vars");
  const vars: (Var | undefined)[] = new Array<Var | undefined>(specs.length);
  const made: Var[] = specs.map((s, i) => {
    const [aval, drop] = arr(s, `var ${i}`);
    return drop === 1 ? new DropVar(decodeAval(aval)) : new Var(decodeAval(aval));
  });
  const def = (i: unknown): Var => {
    const k = int(i, "a variable index", specs.length - 1);
    if (vars[k] !== undefined) throw bad(`variable ${k} is defined twice`);
    return (vars[k] = made[k]!);
  };
  const use = (a: unknown): Atom => {
    if (isObj(a)) return decodeLiteral(a);
    const k = int(a, "a variable index", specs.length - 1);
    const v = vars[k];
    if (v === undefined || v instanceof DropVar)
      throw bad(`variable ${k} is read before it is defined`);
    return v;
  };
  const constvars = arr(field(x, "constvars"), "constvars").map(def);
  const invars = arr(field(x, "invars"), "invars").map(def);
  const eqns = arr(field(x, "eqns"), "eqns").map((e) => {
    if (!isObj(e)) throw bad("an equation is not an object");
    const name = str(field(e, "prim"), "a primitive name");
    const prim = primitiveByName(name);
    if (!prim) throw bad(`unknown primitive ${JSON.stringify(name).slice(0, 60)}`);
    const inputs = arr(field(e, "inputs"), "inputs").map(use);
    const rawParams = field(e, "params");
    if (!isObj(rawParams)) throw bad(`the params of ${name} are not an object`);
    const params: Record<string, unknown> = {};
    for (const k of Object.keys(rawParams)) {
      if (!KEY.test(k)) throw bad(`param key ${JSON.stringify(k).slice(0, 40)} is not a name`);
      params[k] = decodeValue(rawParams[k], arrays, depth + 1);
    }
    const outputs = arr(field(e, "outputs"), "outputs").map(def);
    const names = arr(field(e, "names") ?? [], "a name stack").map((n) => {
      const [kind, name] = arr(n, "a name stack entry");
      if (kind !== "scope" && kind !== "transform") throw bad("a name stack entry has no kind");
      return { kind, name: str(name, "a name stack entry") } as const;
    });
    const nameStack = names.length ? new NameStack(names) : emptyNameStack;
    return new Eqn(prim, inputs, outputs, params, nameStack);
  });
  const outvars = arr(field(x, "outvars"), "outvars").map(use);
  return new Jaxpr(constvars, invars, outvars, eqns);
}

export function decodeClosedJaxpr(x: unknown, arrays: ArrayLookup, depth = 0): ClosedJaxpr {
  if (!isObj(x)) throw bad("a closed jaxpr is not an object");
  const jaxpr = decodeJaxpr(field(x, "jaxpr"), arrays, depth);
  const consts = arr(field(x, "consts"), "consts").map((c) => decodeValue(c, arrays, depth + 1));
  if (consts.length !== jaxpr.constvars.length) {
    throw bad(`${consts.length} constants for ${jaxpr.constvars.length} constvars`);
  }
  return new ClosedJaxpr(jaxpr, consts);
}
