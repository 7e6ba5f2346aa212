/**
 * WGSL statements for kernel-IR expression DAGs: every node becomes one `let` (shared nodes
 * are computed once), emitted where its operands exist — nodes that do not use a reduction
 * index go before every reduction loop. Reductions are computed either by a loop in each
 * invocation ("sequential": small reductions, one invocation per output element) or by a
 * workgroup tree ("workgroup": a workgroup per output element; each invocation accumulates a
 * strided share in a fixed order, then a log₂-step tree in workgroup memory combines them —
 * the order is fixed, so results are reproducible run to run).
 */
import { type DType, int32 } from "../../../core/dtype.js";
import { type Expr, type ReduceExpr, children } from "../../../kernel/expr.js";
import { ACC_BUFFER } from "../../../kernel/kernel.js";
import {
  binaryWgsl,
  bitcastWgsl,
  castWgsl,
  literal,
  unaryWgsl,
  unsupportedOp,
  wgslType,
} from "./wgsl-alu.js";

export interface EmitterOptions {
  /** Dtype of each program buffer. */
  readonly bufDtype: (id: number) => DType;
  /** WGSL of loop index `axis`. */
  readonly idxName: (axis: number) => string;
  /** Value of a load of ACC_BUFFER (dot epilogues). */
  readonly acc?: string;
  readonly reductions: "sequential" | "workgroup";
  /** Workgroup size (workgroup reductions). */
  readonly wg?: number;
}

export class WgslExprEmitter {
  /** Straight-line code at the outer level. */
  readonly lines: string[] = [];
  /** Module-scope declarations (workgroup arrays). */
  readonly decls: string[] = [];
  /** Buffers loaded. */
  readonly loaded = new Set<number>();
  private readonly outerNames = new Map<Expr, string>();
  private inner: string[] | undefined;
  private innerNames = new Map<Expr, string>();
  private readonly ridxMemo = new Map<Expr, boolean>();

  constructor(private readonly o: EmitterOptions) {}

  /** Whether `e` depends on the indices of the reduction it is in. */
  private usesRidx(e: Expr): boolean {
    const hit = this.ridxMemo.get(e);
    if (hit !== undefined) return hit;
    const r =
      e.op === "ridx"
        ? true
        : e.op === "reduce"
          ? false
          : children(e).some((c) => this.usesRidx(c));
    this.ridxMemo.set(e, r);
    return r;
  }

  value(e: Expr): string {
    if (e.op === "const") return literal(e.value, e.dtype);
    if (e.op === "idx") return this.o.idxName(e.axis);
    if (e.op === "ridx") return `r${e.axis}`;
    const inLoop = this.usesRidx(e);
    if (inLoop && !this.inner)
      throw new Error("internal error: reduction index outside a reduction");
    const names = inLoop ? this.innerNames : this.outerNames;
    const hit = names.get(e);
    if (hit) return hit;
    if (e.op === "reduce") {
      const name = this.reduction(e);
      this.outerNames.set(e, name);
      return name;
    }
    const code = this.compute(e);
    const name = `t${e.id}`;
    (inLoop ? this.inner! : this.lines).push(`let ${name}: ${wgslType(e.dtype)} = ${code};`);
    names.set(e, name);
    return name;
  }

  private compute(e: Expr): string {
    switch (e.op) {
      case "load": {
        if (e.buffer === ACC_BUFFER) return this.o.acc!;
        this.loaded.add(e.buffer);
        const v = `b${e.buffer}[${this.value(e.index)}]`;
        return this.o.bufDtype(e.buffer).isBool ? `(${v} != 0u)` : v;
      }
      case "unary":
        return unaryWgsl(e.fn, e.dtype, this.value(e.x), e.x.dtype);
      case "binary":
        return binaryWgsl(e.fn, e.a.dtype, this.value(e.a), this.value(e.b));
      case "select":
        return `select(${this.value(e.b)}, ${this.value(e.a)}, ${this.value(e.cond)})`;
      case "cast":
        return castWgsl(e.x.dtype, e.dtype, this.value(e.x));
      case "bitcast":
        return bitcastWgsl(e.x.dtype, e.dtype, this.value(e.x));
      case "lin": {
        const parts = [literal(e.lin.c0, int32)];
        for (const [c, t] of e.lin.terms)
          parts.push(c === 1 ? this.value(t) : `${literal(c, int32)} * ${this.value(t)}`);
        return `(${parts.join(" + ")})`;
      }
      default:
        throw new Error(`internal error: unexpected ${e.op}`);
    }
  }

  /** Emit reduction `r` at the outer level; returns the name of its value. */
  private reduction(r: ReduceExpr): string {
    const bd = r.body.dtype;
    // bool reductions run on u32 (0/1), which workgroup memory can hold.
    const accT = bd.isBool ? "u32" : wgslType(bd);
    const saved = [this.inner, this.innerNames] as const;
    const body: string[] = [];
    this.inner = body;
    this.innerNames = new Map();
    let v = this.value(r.body);
    if (bd.isBool) v = `u32(${v})`;
    this.inner = saved[0];
    this.innerNames = saved[1];
    const a = `a${r.id}`;
    const arg = r.fn === "argmax" || r.fn === "argmin";
    const wg = this.o.reductions === "workgroup";
    const init = reduceInit(r, accT);
    const out = this.lines;
    out.push(`var ${a}: ${accT} = ${init};`);
    if (arg) out.push(`var ${a}i: i32 = ${wg ? "i32(lid)" : "0i"};`);
    const update = arg
      ? argUpdate(r.fn === "argmax", a, v, accT)
      : `${a} = ${combine(r.fn, accT, a, v)};`;
    const sizes = r.sizes;
    const total = sizes.reduce((x, y) => x * y, 1);
    const unflat = sizes.map((s, k) => {
      const inner = sizes.slice(k + 1).reduce((x, y) => x * y, 1);
      const q = inner === 1 ? "rf" : `(rf / ${inner}i)`;
      return `let r${k}: i32 = ${k === 0 ? q : `${q} % ${s}i`};`;
    });
    const loopHead = wg
      ? `for (var rf: i32 = i32(lid); rf < ${total}i; rf += ${this.o.wg}i) {`
      : `for (var rf: i32 = 0i; rf < ${total}i; rf++) {`;
    out.push(loopHead, ...unflat, ...body, `  ${update}`, "}");
    if (!wg) return arg ? `${a}i` : finish(a, bd);
    // Workgroup tree.
    const n = this.o.wg!;
    this.decls.push(`var<workgroup> s${a}: array<${accT}, ${n}>;`);
    if (arg) this.decls.push(`var<workgroup> s${a}i: array<i32, ${n}>;`);
    out.push(`s${a}[lid] = ${a};`);
    if (arg) out.push(`s${a}i[lid] = ${a}i;`);
    out.push("workgroupBarrier();");
    out.push(`for (var s: u32 = ${n / 2}u; s > 0u; s = s >> 1u) {`, "  if (lid < s) {");
    if (arg) {
      out.push(
        `    var ${a}: ${accT} = s${a}[lid]; var ${a}i: i32 = s${a}i[lid];`,
        `    let o: ${accT} = s${a}[lid + s]; let oi: i32 = s${a}i[lid + s];`,
        `    ${argCombine(r.fn === "argmax", a, accT)}`,
        `    s${a}[lid] = ${a}; s${a}i[lid] = ${a}i;`,
      );
    } else {
      out.push(`    s${a}[lid] = ${combine(r.fn, accT, `s${a}[lid]`, `s${a}[lid + s]`)};`);
    }
    out.push("  }", "  workgroupBarrier();", "}");
    const name = `w${r.id}`;
    out.push(`let ${name}: ${wgslType(r.dtype)} = ${arg ? `s${a}i[0]` : finish(`s${a}[0]`, bd)};`);
    out.push("workgroupBarrier();");
    return name;
  }
}

function finish(v: string, bd: DType): string {
  return bd.isBool ? `(${v} != 0u)` : v;
}

function reduceInit(r: ReduceExpr, t: string): string {
  const bool = r.body.dtype.isBool;
  switch (r.fn) {
    case "sum":
    case "or":
      return t === "f32" ? "0.0f" : t === "i32" ? "0i" : "0u";
    case "prod":
      return t === "f32" ? "1.0f" : t === "i32" ? "1i" : "1u";
    case "and":
      return bool ? "1u" : t === "i32" ? "-1i" : "0xffffffffu";
    case "max":
    case "argmax":
      return t === "f32" ? "f32_bits(0xff800000u)" : t === "i32" ? "(-2147483647i - 1i)" : "0u";
    case "min":
    case "argmin":
      return t === "f32"
        ? "f32_bits(0x7f800000u)"
        : t === "i32"
          ? "2147483647i"
          : bool
            ? "1u"
            : "0xffffffffu";
  }
}

function combine(fn: ReduceExpr["fn"], t: string, a: string, b: string): string {
  switch (fn) {
    case "sum":
      return `${a} + ${b}`;
    case "prod":
      return `${a} * ${b}`;
    case "max":
      return t === "f32" ? `fmax_(${a}, ${b})` : `max(${a}, ${b})`;
    case "min":
      return t === "f32" ? `fmin_(${a}, ${b})` : `min(${a}, ${b})`;
    case "and":
      return `${a} & ${b}`;
    case "or":
      return `${a} | ${b}`;
    default:
      throw unsupportedOp(`reduce ${fn}`);
  }
}

/** Sequential argmax/argmin step: the first extremum, a NaN counting as the extremum. */
function argUpdate(isMax: boolean, a: string, v: string, t: string): string {
  const better = `nv ${isMax ? ">" : "<"} ${a}`;
  const cond = t === "f32" ? `(${better}) || (is_nan(nv) && !is_nan(${a}))` : better;
  return `{ let nv = ${v}; if (${cond}) { ${a} = nv; ${a}i = rf; } }`;
}

/** Tree step for argmax/argmin: take `o` when better, or equal with a smaller index. */
function argCombine(isMax: boolean, a: string, t: string): string {
  const better = `o ${isMax ? ">" : "<"} ${a}`;
  const tie = t === "f32" ? `(o == ${a} || (is_nan(o) && is_nan(${a})))` : `o == ${a}`;
  const nan = t === "f32" ? ` || (is_nan(o) && !is_nan(${a}))` : "";
  return `if ((${better})${nan} || (${tie} && oi < ${a}i)) { ${a} = o; ${a}i = oi; }`;
}
