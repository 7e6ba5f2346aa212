/**
 * Kernel IR expressions: a hash-consed DAG of typed scalar operations evaluated once per
 * element of a kernel's iteration space. Leaves are constants, loop indices and loads from
 * buffers; inner nodes are ALU ops, selects, casts and reductions. Index arithmetic (the
 * `lin`/`floordiv`/`floormod` nodes) is built by index.ts, which simplifies as it builds.
 */
import { type DType, bool, int32 } from "../core/dtype.js";

export type UnaryOp =
  | "neg"
  | "not"
  | "abs"
  | "sign"
  | "floor"
  | "ceil"
  | "round" // half away from zero
  | "round_even"
  | "sqrt"
  | "rsqrt"
  | "cbrt"
  | "exp"
  | "exp2"
  | "expm1"
  | "log"
  | "log1p"
  | "tanh"
  | "logistic"
  | "sin"
  | "cos"
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "sinh"
  | "cosh"
  | "asinh"
  | "acosh"
  | "atanh"
  | "erf"
  | "erfc"
  | "erf_inv"
  | "lgamma"
  | "digamma"
  | "is_finite"
  | "popcnt"
  | "clz";

export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "rem"
  | "pow"
  | "max"
  | "min"
  | "atan2"
  | "nextafter"
  | "and"
  | "or"
  | "xor"
  | "shl"
  | "shr_logical"
  | "shr_arith"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "floordiv" // index arithmetic only: floor division by a positive constant
  | "floormod"; // index arithmetic only: non-negative remainder by a positive constant

export const comparisonOps: ReadonlySet<BinaryOp> = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);

export type ReduceOp = "sum" | "prod" | "max" | "min" | "and" | "or" | "argmax" | "argmin";

/** A linear form `c0 + Σ coef·term` over non-linear terms (index arithmetic). */
export interface LinForm {
  readonly c0: number;
  readonly terms: readonly (readonly [coef: number, term: Expr])[];
}

export type Expr =
  | ConstExpr
  | IdxExpr
  | RIdxExpr
  | LoadExpr
  | UnaryExpr
  | BinaryExpr
  | SelectExpr
  | CastExpr
  | BitcastExpr
  | LinExpr
  | ReduceExpr;

interface Base {
  readonly id: number;
  readonly dtype: DType;
  readonly key: string;
}
export interface ConstExpr extends Base {
  readonly op: "const";
  readonly value: number | bigint;
}
/** The k-th loop index of the kernel's iteration space, in [0, size). */
export interface IdxExpr extends Base {
  readonly op: "idx";
  readonly axis: number;
  readonly size: number;
}
/** The k-th index of the enclosing reduction's space, in [0, size). */
export interface RIdxExpr extends Base {
  readonly op: "ridx";
  readonly axis: number;
  readonly size: number;
}
/** Element `index` of kernel buffer `buffer` (always in bounds: index.ts clamps). */
export interface LoadExpr extends Base {
  readonly op: "load";
  readonly buffer: number;
  readonly index: Expr;
}
export interface UnaryExpr extends Base {
  readonly op: "unary";
  readonly fn: UnaryOp;
  readonly x: Expr;
}
export interface BinaryExpr extends Base {
  readonly op: "binary";
  readonly fn: BinaryOp;
  readonly a: Expr;
  readonly b: Expr;
}
/** `cond ? a : b`; only the chosen side's value matters (loads are always safe). */
export interface SelectExpr extends Base {
  readonly op: "select";
  readonly cond: Expr;
  readonly a: Expr;
  readonly b: Expr;
}
export interface CastExpr extends Base {
  readonly op: "cast";
  readonly x: Expr;
}
export interface BitcastExpr extends Base {
  readonly op: "bitcast";
  readonly x: Expr;
}
export interface LinExpr extends Base {
  readonly op: "lin";
  readonly lin: LinForm;
}
/**
 * A reduction of `body` over a reduction space of shape `sizes` (body uses ridx nodes).
 * argmax/argmin reduce a single axis and produce the int32 index of the first extremum.
 */
export interface ReduceExpr extends Base {
  readonly op: "reduce";
  readonly fn: ReduceOp;
  readonly body: Expr;
  readonly sizes: readonly number[];
}

let nextId = 0;
const interned = new Map<string, Expr>();

function intern<T extends Expr>(key: string, make: (id: number) => T): T {
  const hit = interned.get(key);
  if (hit) return hit as T;
  if (interned.size > 200_000) interned.clear();
  const e = make(nextId++);
  interned.set(key, e);
  return e;
}

export function constant(value: number | bigint | boolean, dtype: DType): ConstExpr {
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  const key = `c${dtype.short}:${Object.is(v, -0) ? "-0" : String(v)}`;
  return intern(key, (id) => ({ op: "const", id, dtype, key, value: v }));
}

export function idx(axis: number, size: number): IdxExpr {
  const key = `i${axis}:${size}`;
  return intern(key, (id) => ({ op: "idx", id, dtype: int32, key, axis, size }));
}

export function ridx(axis: number, size: number): RIdxExpr {
  const key = `r${axis}:${size}`;
  return intern(key, (id) => ({ op: "ridx", id, dtype: int32, key, axis, size }));
}

/** Raw load; use `loadAt` from index.ts, which clamps indices into range. */
export function rawLoad(buffer: number, index: Expr, dtype: DType): LoadExpr {
  const key = `L${buffer}:${dtype.short}[${index.id}]`;
  return intern(key, (id) => ({ op: "load", id, dtype, key, buffer, index }));
}

export function unary(fn: UnaryOp, x: Expr, dtype: DType = x.dtype): Expr {
  if (fn === "neg" && x.op === "unary" && x.fn === "neg" && x.dtype.isFloat) return x.x;
  const key = `u${fn}:${dtype.short}(${x.id})`;
  return intern(key, (id) => ({ op: "unary", id, dtype, key, fn, x }));
}

const isOne = (e: Expr) => e.op === "const" && Number(e.value) === 1;

/** `1 / (1 + exp(z))` (either order of the sum) → `logistic(-z)`: one op, correctly rounded. */
function logisticIdiom(fn: BinaryOp, a: Expr, b: Expr): Expr | undefined {
  if (fn !== "div" || !a.dtype.isFloat || !isOne(a) || b.op !== "binary" || b.fn !== "add")
    return undefined;
  const e = isOne(b.a) ? b.b : isOne(b.b) ? b.a : undefined;
  if (!e || e.op !== "unary" || e.fn !== "exp") return undefined;
  return unary("logistic", unary("neg", e.x));
}

export function binary(fn: BinaryOp, a: Expr, b: Expr, dtype?: DType): Expr {
  const idiom = logisticIdiom(fn, a, b);
  if (idiom) return idiom;
  const dt = dtype ?? (comparisonOps.has(fn) ? bool : a.dtype);
  const key = `b${fn}:${dt.short}(${a.id},${b.id})`;
  return intern(key, (id) => ({ op: "binary", id, dtype: dt, key, fn, a, b }));
}

export function select(cond: Expr, a: Expr, b: Expr): Expr {
  if (cond.op === "const") return cond.value ? a : b;
  if (a === b) return a;
  const key = `s(${cond.id},${a.id},${b.id})`;
  return intern(key, (id) => ({ op: "select", id, dtype: a.dtype, key, cond, a, b }));
}

export function cast(x: Expr, dtype: DType): Expr {
  if (x.dtype === dtype) return x;
  const key = `cast:${dtype.short}(${x.id})`;
  return intern(key, (id) => ({ op: "cast", id, dtype, key, x }));
}

export function bitcast(x: Expr, dtype: DType): Expr {
  if (x.dtype === dtype) return x;
  const key = `bitcast:${dtype.short}(${x.id})`;
  return intern(key, (id) => ({ op: "bitcast", id, dtype, key, x }));
}

export function linExpr(lin: LinForm): LinExpr {
  const key = `lin:${lin.c0}${lin.terms.map(([c, t]) => `+${c}*${t.id}`).join("")}`;
  return intern(key, (id) => ({ op: "lin", id, dtype: int32, key, lin }));
}

export function reduce(fn: ReduceOp, body: Expr, sizes: readonly number[]): ReduceExpr {
  const dtype = fn === "argmax" || fn === "argmin" ? int32 : body.dtype;
  const key = `R${fn}:${dtype.short}[${sizes.join(",")}](${body.id})`;
  return intern(key, (id) => ({ op: "reduce", id, dtype, key, fn, body, sizes: [...sizes] }));
}

/** Direct operands of a node (the body of a reduce counts as an operand). */
export function children(e: Expr): Expr[] {
  switch (e.op) {
    case "const":
    case "idx":
    case "ridx":
      return [];
    case "load":
      return [e.index];
    case "unary":
    case "cast":
    case "bitcast":
      return [e.x];
    case "binary":
      return [e.a, e.b];
    case "select":
      return [e.cond, e.a, e.b];
    case "lin":
      return e.lin.terms.map(([, t]) => t);
    case "reduce":
      return [e.body];
  }
}

/** All nodes reachable from `roots`, operands before users. */
export function topoSort(roots: readonly Expr[]): Expr[] {
  const seen = new Set<number>();
  const out: Expr[] = [];
  const visit = (root: Expr): void => {
    const stack: [Expr, boolean][] = [[root, false]];
    while (stack.length) {
      const [e, done] = stack.pop()!;
      if (done) {
        out.push(e);
        continue;
      }
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      stack.push([e, true]);
      const cs = children(e);
      for (let i = cs.length - 1; i >= 0; i--)
        if (!seen.has(cs[i]!.id)) stack.push([cs[i]!, false]);
    }
  };
  for (const r of roots) visit(r);
  return out;
}

/** Whether any node under `e` satisfies `pred`. */
export function containsNode(e: Expr, pred: (e: Expr) => boolean): boolean {
  return topoSort([e]).some(pred);
}
