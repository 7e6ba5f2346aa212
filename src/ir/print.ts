/**
 * Jaxpr text exactly as JAX 0.4.x prints it (`str(jax.make_jaxpr(f)(x))`), built on the
 * Wadler-style printer with JAX's document structure.
 */
import { formatScalar } from "../core/format.js";
import { DType } from "../core/dtype.js";
import {
  type Atom,
  DropVar,
  type Eqn,
  type JaxprParts,
  Literal,
  type PrintableJaxpr,
  PyList,
  type Params,
  Var,
  printedJaxpr,
} from "./atoms.js";
import {
  type Doc,
  annotatedText,
  brk,
  concat,
  format,
  group,
  join,
  nest,
  nil,
  text,
} from "./pretty.js";

/** Names variables a, b, …, z, ba, bb, … in order of first appearance, across nested jaxprs. */
class NameContext {
  private names = new Map<Var, string>();
  constructor(readonly settings: JaxprPrintOptions = {}) {}
  name(v: Var): string {
    let n = this.names.get(v);
    if (n === undefined) {
      n = alphabetic(this.names.size);
      this.names.set(v, n);
    }
    return n;
  }
}

function alphabetic(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

export function literalText(l: Literal): string {
  return formatScalar(l.value, l.aval.dtype.name);
}

function atomText(a: Atom, ctx: NameContext): string {
  if (a instanceof Literal) return literalText(a);
  if (a instanceof DropVar) return "_";
  return ctx.name(a);
}

function ppVars(vs: readonly Atom[], ctx: NameContext, sep = "", shapes = false): Doc {
  const items = vs.map((v) =>
    text(shapes ? `${atomText(v, ctx)}:${v.aval.strShort()}` : atomText(v, ctx)),
  );
  return nest(2, group(join(concat(text(sep), group(brk())), items)));
}

/** Python's `str()` of a param value. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number")
    return Number.isFinite(v) ? String(v) : v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
  if (typeof v === "string") return v;
  if (v instanceof DType) return v.name;
  if (v instanceof PyList) return `[${v.items.map(pyStr).join(", ")}]`;
  if (Array.isArray(v)) {
    return v.length === 1 ? `(${pyStr(v[0])},)` : `(${v.map(pyStr).join(", ")})`;
  }
  return String(v);
}

/** A jaxpr or closed jaxpr (as a param value). */
function isPrintableJaxpr(v: unknown): v is PrintableJaxpr {
  return typeof v === "object" && v !== null && printedJaxpr in v;
}

function ppParam(k: string, v: unknown, ctx: NameContext): Doc {
  let body: Doc;
  if (isPrintableJaxpr(v)) body = ppJaxprDoc(v[printedJaxpr](), ctx);
  else if (Array.isArray(v) && v.length > 0 && v.every(isPrintableJaxpr)) {
    const docs = v.map((j: PrintableJaxpr) => ppJaxprDoc(j[printedJaxpr](), ctx));
    body = group(
      concat(nest(2, concat(text("("), brk(""), join(brk(), docs))), brk(""), text(")")),
    );
  } else body = text(pyStr(v));
  return concat(text(`${k}=`), body);
}

function sortedParams(params: Params): [string, unknown][] {
  return Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
}

function ppEqn(e: Eqn, ctx: NameContext): Doc {
  const lhs = ppVars(e.outputs, ctx, "", true);
  const kvs = e.primitive.printParams ? e.primitive.printParams(e.params) : sortedParams(e.params);
  const params =
    kvs.length === 0
      ? nil
      : group(
          concat(
            nest(
              2,
              concat(
                text("["),
                brk(""),
                join(
                  brk(),
                  kvs.map(([k, v]) => ppParam(k, v, ctx)),
                ),
              ),
            ),
            brk(""),
            text("]"),
          ),
        );
  const name = ctx.settings.nameStack
    ? annotatedText(e.primitive.name, `[${e.nameStack.toString()}]`)
    : text(e.primitive.name);
  const rhs = [name, params, concat(text(" "), ppVars(e.inputs, ctx))];
  // An equation without outputs (debug_callback) prints as its right-hand side, as JAX's.
  return e.outputs.length ? concat(lhs, text(" = "), ...rhs) : concat(...rhs);
}

function ppJaxprDoc(j: JaxprParts, ctx: NameContext): Doc {
  const constvars = ppVars(j.constvars, ctx, "", true);
  const invars = ppVars(j.invars, ctx, "", true);
  const eqns = join(
    brk("; "),
    j.eqns.map((e) => ppEqn(e, ctx)),
  );
  const outvars = concat(
    text("("),
    ppVars(j.outvars, ctx, ","),
    text(j.outvars.length !== 1 ? ")" : ",)"),
  );
  return concat(
    group(
      nest(
        2,
        concat(
          text("{ "),
          text("lambda "),
          constvars,
          text("; "),
          invars,
          text(". "),
          text("let"),
          nest(2, concat(brk(), eqns)),
          brk(),
          text("in "),
          outvars,
        ),
      ),
    ),
    text(" }"),
  );
}

/** Options of `jaxpr.prettyPrint` (JAX's `pretty_print` keyword arguments). */
export interface JaxprPrintOptions {
  /** Annotate each equation with its name stack, `# [jvp(foo)/bar]` (JAX's `name_stack=True`). */
  readonly nameStack?: boolean;
  /** Line width (default 80). */
  readonly width?: number;
}

/** JAX's text of a jaxpr (or closed jaxpr: its jaxpr). */
export function printJaxpr(
  j: JaxprParts | PrintableJaxpr,
  width = 80,
  opts: JaxprPrintOptions = {},
): string {
  const parts = isPrintableJaxpr(j) ? j[printedJaxpr]() : j;
  return format(ppJaxprDoc(parts, new NameContext(opts)), opts.width ?? width);
}
