/**
 * JavaScript for one loop kernel: a loop nest in which every expression node is computed at
 * the outermost loop level where its operands are available (loop-invariant code motion falls
 * out of the placement rule); reductions become inner loops (several reductions over the same
 * space share one loop). Also used for the epilogue of dot kernels (codegen.ts).
 */
import type { DType } from "../../../core/dtype.js";
import { type Expr, type ReduceExpr, children, topoSort } from "../../../kernel/expr.js";
import { bounds, flatIndex, ixAdd } from "../../../kernel/index.js";
import { ACC_BUFFER, type LoopKernel } from "../../../kernel/kernel.js";
import { idx } from "../../../kernel/expr.js";
import { binaryJs, bitcastJs, castJs, literal, unaryJs, wrap } from "./alu.js";

/** Loop depth at which a node can be computed (0: before all loops), and whether it needs ridx. */
interface Placement {
  depth: number;
  inReduce: boolean;
}

function placements(roots: readonly Expr[]): Map<Expr, Placement> {
  const out = new Map<Expr, Placement>();
  for (const e of topoSort(roots)) {
    let depth = 0;
    let inReduce = false;
    switch (e.op) {
      case "idx":
        depth = e.axis + 1;
        break;
      case "ridx":
        inReduce = true;
        break;
      case "reduce": {
        // Its value depends on the outer indices its body uses, not on the reduction indices.
        for (const n of topoSort([e.body])) if (n.op === "idx") depth = Math.max(depth, n.axis + 1);
        break;
      }
      default:
        for (const c of children(e)) {
          const p = out.get(c)!;
          depth = Math.max(depth, p.depth);
          inReduce ||= p.inReduce;
        }
    }
    out.set(e, { depth, inReduce });
  }
  return out;
}

const reduceInit = (r: ReduceExpr): string => {
  const d = r.body.dtype;
  switch (r.fn) {
    case "sum":
    case "or":
      return d.isBig ? "0n" : "0";
    case "prod":
      return d.isBig ? "1n" : "1";
    case "and":
      // all bits set (bool: true)
      return d.isBool
        ? "1"
        : d.isBig
          ? d.isSigned
            ? "-1n"
            : "18446744073709551615n"
          : literal(d.isSigned ? -1 : 2 ** (8 * d.itemsize) - 1, d);
    case "max":
    case "argmax":
      return d.isFloat ? "-Infinity" : literal(minOf(d), d);
    case "min":
    case "argmin":
      return d.isFloat ? "Infinity" : literal(maxOf(d), d);
  }
};

function minOf(d: DType): number | bigint {
  if (d.isBool) return 0;
  if (d.isBig) return d.isSigned ? -(2n ** 63n) : 0n;
  return d.isSigned ? -(2 ** (8 * d.itemsize - 1)) : 0;
}
function maxOf(d: DType): number | bigint {
  if (d.isBool) return 1;
  if (d.isBig) return d.isSigned ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  return d.isSigned ? 2 ** (8 * d.itemsize - 1) - 1 : 2 ** (8 * d.itemsize) - 1;
}

/** Code for one loop kernel. */
export class LoopEmitter {
  private readonly place: Map<Expr, Placement>;
  private readonly names = new Map<Expr, string>();
  /** Lines computed at each loop depth, before the next loop opens. */
  private readonly levels: string[][];
  private reduceLines: string[] | undefined;
  /** Nodes named inside the reduction loop being emitted: their names end with the loop. */
  private reduceScoped: Expr[] | undefined;
  private readonly roots: Expr[];

  /**
   * `acc`: for a dot epilogue (a loop over the dot's output), the JS expression of the
   * accumulator at the innermost level; loads of ACC_BUFFER become it.
   */
  constructor(
    private readonly k: LoopKernel,
    private readonly bufDtypes: readonly DType[],
    private readonly acc?: string,
  ) {
    const coords = k.shape.map((d, a) => idx(a, d));
    const flat = flatIndex(coords, k.shape);
    this.storeIndex = k.outputs.map((o) => (o.offset ? ixAdd(o.offset, flat) : flat));
    this.roots = [...k.outputs.map((o) => o.expr), ...this.storeIndex];
    this.place = placements(this.roots);
    this.levels = k.shape.map(() => [] as string[]).concat([[]]);
  }
  private readonly storeIndex: Expr[];

  emit(): string {
    const n = this.k.shape.length;
    const levels = this.levelLines();
    let body = levels[n]!.join("\n");
    for (let a = n - 1; a >= 0; a--) {
      body = `${levels[a]!.join("\n")}\nfor (let i${a} = 0; i${a} < ${this.k.shape[a]}; i${a}++) {\n${body}\n}`;
    }
    return `{\n${body}\n}`;
  }

  /** The lines computed at each loop depth (0: before every loop), stores innermost. */
  levelLines(): string[][] {
    const n = this.k.shape.length;
    const stores = this.k.outputs.map((o, i) => {
      const v = this.value(o.expr);
      const si = this.value(this.storeIndex[i]!);
      const d = this.bufDtypes[o.buffer]!;
      return d.name === "float16"
        ? `b${o.buffer}[${si}] = rt.f2h(${v});`
        : `b${o.buffer}[${si}] = ${v};`;
    });
    this.levels[n]!.push(...stores);
    return this.levels;
  }

  /** A JS expression for `e`, emitting its computation at the right level first. */
  private value(e: Expr): string {
    if (e.op === "const") return literal(e.value, e.dtype);
    if (e.op === "idx") return `i${e.axis}`;
    if (e.op === "ridx") return `r${e.axis}`;
    const hit = this.names.get(e);
    if (hit) return hit;
    if (e.op === "reduce") {
      this.emitReductions(e);
      return this.names.get(e)!;
    }
    const code = this.compute(e);
    const name = `t${e.id}`;
    const p = this.place.get(e)!;
    const target = p.inReduce ? this.reduceLines! : this.levels[p.depth]!;
    target.push(`const ${name} = ${code};`);
    this.names.set(e, name);
    if (p.inReduce) this.reduceScoped!.push(e);
    return name;
  }

  private compute(e: Expr): string {
    switch (e.op) {
      case "load": {
        if (e.buffer === ACC_BUFFER) return this.acc!;
        const i = this.value(e.index);
        const d = this.bufDtypes[e.buffer]!;
        return d.name === "float16" ? `rt.h2f[b${e.buffer}[${i}]]` : `b${e.buffer}[${i}]`;
      }
      case "unary":
        return unaryJs(e.fn, e.dtype, this.value(e.x), e.x.dtype);
      case "binary": {
        const a = this.value(e.a);
        const b = this.value(e.b);
        if (e.fn === "floordiv" || e.fn === "floormod") {
          const nonneg = bounds(e.a)[0] >= 0;
          if (e.fn === "floordiv")
            return nonneg ? `((${a} / ${b}) | 0)` : `Math.floor(${a} / ${b})`;
          return nonneg ? `(${a} % ${b})` : `(((${a} % ${b}) + ${b}) % ${b})`;
        }
        if ((e.fn === "min" || e.fn === "max") && e.dtype.name === "int32") {
          return `(${a} ${e.fn === "min" ? "<" : ">"} ${b} ? ${a} : ${b})`;
        }
        return binaryJs(e.fn, e.a.dtype, a, b);
      }
      case "select":
        return `(${this.value(e.cond)} ? ${this.value(e.a)} : ${this.value(e.b)})`;
      case "cast":
        return castJs(e.x.dtype, e.dtype, this.value(e.x));
      case "bitcast":
        return bitcastJs(e.x.dtype, e.dtype, this.value(e.x));
      case "lin": {
        const parts = [String(e.lin.c0)];
        for (const [c, t] of e.lin.terms)
          parts.push(c === 1 ? this.value(t) : `${c} * ${this.value(t)}`);
        return `(${parts.join(" + ")})`;
      }
      default:
        throw new Error(`unexpected ${e.op}`);
    }
  }

  /** Emit `r` together with every other pending reduction over the same space and depth. */
  private emitReductions(r: ReduceExpr): void {
    const depth = this.place.get(r)!.depth;
    const group = topoSort(this.roots).filter(
      (e): e is ReduceExpr =>
        e.op === "reduce" &&
        !this.names.has(e) &&
        this.place.get(e)!.depth === depth &&
        e.sizes.length === r.sizes.length &&
        e.sizes.every((s, i) => s === r.sizes[i]),
    );
    if (!group.includes(r)) group.push(r);
    const outer = this.reduceLines;
    const outerScoped = this.reduceScoped;
    const lines: string[] = [];
    const scoped: Expr[] = [];
    this.reduceLines = lines;
    this.reduceScoped = scoped;
    const updates: string[] = [];
    const inits: string[] = [];
    for (const g of group) {
      const acc = `a${g.id}`;
      const v = this.value(g.body);
      const d = g.body.dtype;
      inits.push(`let ${acc} = ${reduceInit(g)};`);
      switch (g.fn) {
        case "sum":
          // float32 sums accumulate in double and round once at the end.
          updates.push(d.isFloat ? `${acc} += ${v};` : `${acc} = ${wrap(d, `${acc} + ${v}`)};`);
          break;
        case "prod":
          updates.push(
            d.isFloat
              ? `${acc} *= ${v};`
              : `${acc} = ${d.isBig ? wrap(d, `${acc} * ${v}`) : wrap(d, `Math.imul(${acc}, ${v})`)};`,
          );
          break;
        case "max":
          updates.push(
            d.isFloat ? `${acc} = Math.max(${acc}, ${v});` : `if (${v} > ${acc}) ${acc} = ${v};`,
          );
          break;
        case "min":
          updates.push(
            d.isFloat ? `${acc} = Math.min(${acc}, ${v});` : `if (${v} < ${acc}) ${acc} = ${v};`,
          );
          break;
        case "and":
          updates.push(`${acc} &= ${v};`);
          break;
        case "or":
          updates.push(`${acc} |= ${v};`);
          break;
        case "argmax":
        case "argmin": {
          inits.push(`let ${acc}i = 0;`);
          const better = g.fn === "argmax" ? ">" : "<";
          const nanFirst = d.isFloat ? ` || (${v} !== ${v} && ${acc} === ${acc})` : "";
          updates.push(`if (${v} ${better} ${acc}${nanFirst}) { ${acc} = ${v}; ${acc}i = r0; }`);
          break;
        }
      }
    }
    this.reduceLines = outer;
    this.reduceScoped = outerScoped;
    // Another reduction loop (possibly at another depth) must compute these again.
    for (const e of scoped) this.names.delete(e);
    let loop = `${lines.join("\n")}\n${updates.join("\n")}`;
    for (let a = r.sizes.length - 1; a >= 0; a--) {
      loop = `for (let r${a} = 0; r${a} < ${r.sizes[a]}; r${a}++) {\n${loop}\n}`;
    }
    const target = this.levels[depth]!;
    target.push(...inits, loop);
    for (const g of group) {
      const acc = `a${g.id}`;
      const d = g.body.dtype;
      const name = `t${g.id}`;
      let result = acc;
      if (g.fn === "argmax" || g.fn === "argmin") result = `${acc}i`;
      else if ((g.fn === "sum" || g.fn === "prod") && d.isFloat) result = wrap(d, acc);
      target.push(`const ${name} = ${result};`);
      this.names.set(g, name);
    }
  }
}
