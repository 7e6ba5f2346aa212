/**
 * Scopes and placement for loop-kernel emission.
 *
 * A Scope is the body of one loop (or the function entry): the code computed there, in
 * order, and the values it holds. Every expression node is computed in the outermost scope
 * where its operands exist — the JS codegen's placement rule: a node's depth is 1 + the
 * deepest output index it uses; nodes using reduction indices live in the enclosing reduce
 * loop at 1 + the deepest reduction index they use. Sibling scopes at the same depth (the
 * vector body, its one-vector cleanup and the scalar tail of a vectorized loop, or
 * unrelated reduce loops) never see each other's values.
 *
 * A Binding attaches a loop counter to an index node. A binding with four lanes makes the
 * scope vectorized along that index: nodes depending on it are vectors of `parts` v128
 * values each (lanes counter + 4p .. counter + 4p + 3); everything else stays scalar.
 */
import type { Expr, ReduceExpr } from "../../../kernel/expr.js";
import type { Code, Val } from "./codegen-values.js";

export interface Binding {
  /** The idx or ridx node this loop iterates. */
  readonly axis: Expr & { op: "idx" | "ridx"; axis: number };
  /** i32 local holding the index of the first lane. */
  readonly counter: number;
  readonly lanes: 1 | 4;
  /** v128 values per vector node (the unroll factor) when lanes = 4. */
  readonly parts: number;
}

/** A reduction loop nest shared by reduce nodes with the same sizes and depth. */
export interface GroupCtx {
  readonly reduces: readonly ReduceExpr[];
  readonly sizes: readonly number[];
}

export class Scope {
  readonly code: Code[] = [];
  readonly cache = new Map<Expr, Val>();
  readonly splats = new Map<Expr, Val>();
  readonly extra = new Map<string, Val>();
  readonly vector: Binding | undefined;

  constructor(
    readonly parent: Scope | undefined,
    /** Output loops enclosing this scope. */
    readonly depth: number,
    readonly binding: Binding | undefined,
    readonly group?: GroupCtx,
    /** Reduction loops of `group` enclosing this scope (0 outside reduce loops). */
    readonly rdepth = 0,
  ) {
    this.vector = binding?.lanes === 4 ? binding : parent?.vector;
  }

  get groupCtx(): GroupCtx | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.group) return s.group;
    return undefined;
  }

  /** The binding of `axis` visible here. */
  bindingOf(axis: Expr): Binding {
    for (let s: Scope | undefined = this; s; s = s.parent)
      if (s.binding?.axis === axis) return s.binding;
    throw new Error(`wasm codegen: no loop for ${axis.key}`);
  }

  lookup(e: Expr): Val | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.cache.get(e);
      if (v) return v;
    }
    return undefined;
  }
}

/**
 * Nested scalar loop scopes under `root`, one per axis (depths 1, 2, …), each counting with
 * its counter local: the outer loops of a loop kernel, the batch loops of a dot epilogue.
 */
export function scalarLoopChain(
  root: Scope,
  axes: readonly Binding["axis"][],
  counters: readonly number[],
): Scope[] {
  const chain: Scope[] = [];
  let parent = root;
  axes.forEach((axis, a) => {
    parent = new Scope(parent, a + 1, { axis, counter: counters[a]!, lanes: 1, parts: 1 });
    chain.push(parent);
  });
  return chain;
}

/** Output and reduction indices a node depends on, as bit masks. */
export interface Deps {
  readonly im: number;
  readonly rm: number;
}

const depsCache = new WeakMap<Expr, Deps>();

export function deps(e: Expr): Deps {
  const hit = depsCache.get(e);
  if (hit) return hit;
  let d: Deps;
  switch (e.op) {
    case "const":
      d = { im: 0, rm: 0 };
      break;
    case "idx":
      d = { im: 2 ** e.axis, rm: 0 };
      break;
    case "ridx":
      d = { im: 0, rm: 2 ** e.axis };
      break;
    case "reduce":
      d = { im: deps(e.body).im, rm: 0 };
      break;
    case "load":
      d = deps(e.index);
      break;
    case "unary":
    case "cast":
    case "bitcast":
      d = deps(e.x);
      break;
    case "binary":
      d = or(deps(e.a), deps(e.b));
      break;
    case "select":
      d = or(or(deps(e.cond), deps(e.a)), deps(e.b));
      break;
    case "lin":
      d = e.lin.terms.reduce((acc, [, t]) => or(acc, deps(t)), { im: 0, rm: 0 } as Deps);
      break;
  }
  depsCache.set(e, d);
  return d;
}

const or = (a: Deps, b: Deps): Deps => ({ im: a.im | b.im, rm: a.rm | b.rm });
const top = (mask: number): number => (mask === 0 ? 0 : Math.floor(Math.log2(mask)) + 1);

/** Output depth and reduction depth of a node. */
export function placement(e: Expr): { depth: number; rdepth: number } {
  const d = deps(e);
  return { depth: top(d.im), rdepth: top(d.rm) };
}

export function dependsOn(e: Expr, axis: Expr & { op: "idx" | "ridx"; axis: number }): boolean {
  const d = deps(e);
  const bit = 2 ** axis.axis;
  return Math.floor((axis.op === "idx" ? d.im : d.rm) / bit) % 2 === 1;
}

/** The scope on `s`'s chain where `e` is computed. */
export function targetScope(e: Expr, s: Scope): Scope {
  const { depth, rdepth } = placement(e);
  if (rdepth > 0) {
    const g = s.groupCtx;
    for (let t: Scope | undefined = s; t; t = t.parent)
      if (t.group === g && t.rdepth === rdepth) return t;
    throw new Error(`wasm codegen: no reduce scope for ${e.key}`);
  }
  for (let t: Scope | undefined = s; t; t = t.parent) if (!t.group && t.depth === depth) return t;
  throw new Error(`wasm codegen: no scope at depth ${depth} for ${e.key}`);
}
