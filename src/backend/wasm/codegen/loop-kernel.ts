/**
 * Loop kernels -> one wasm function `(table, begin, end)` running output rows [begin, end)
 * of the outermost loop.
 *
 * Strategy: when every load that moves with the innermost output index reads consecutive
 * elements (coefficient 1) or does not move, that loop is vectorized: `unroll` v128 parts per
 * iteration, a one-vector cleanup loop and a scalar tail (reductions inside become lane-
 * parallel over outputs, e.g. column sums). Otherwise the output loops are scalar, and each
 * reduction loop contiguous along its innermost index is vectorized instead (row sums, full
 * reductions). Every node is computed at the outermost loop level where its operands exist.
 */
import type { DType } from "../../../core/dtype.js";
import { type Expr, type ReduceExpr, children, idx, topoSort } from "../../../kernel/expr.js";
import { flatIndex, ixAdd } from "../../../kernel/index.js";
import type { LoopKernel } from "../../../kernel/kernel.js";
import type { FunctionBuilder } from "./function-builder.js";
import { type Bound, emitScope, forLoop } from "./loop-control.js";
import { type AxisExpr, contiguousOrInvariant } from "./loop-index.js";
import { emitStore } from "./loop-memory.js";
import type { KernelEnv } from "./loop-emitter.js";
import { NodeEmitter } from "./loop-nodes.js";
import { Scope, scalarLoopChain } from "./loop-scope.js";
import { reduceVectorizable, unrollFor, vectorCost } from "./reduce-group.js";
import { inlineMath } from "./math-calls.js";
import { UNARY_MATH } from "./simd-math.js";

export interface LoopPlan {
  readonly shape: readonly number[];
  /** Vector parts per iteration of the innermost output loop (0: scalar output loops). */
  readonly unroll: number;
  readonly trip: number;
  readonly workPerIter: number;
  readonly summary: string;
}

/** Rough cost of one evaluation of a node (transcendentals dominate). */
function nodeCost(e: Expr): number {
  if (e.op === "unary") return e.fn in UNARY_MATH ? 8 : 1;
  if (e.op === "binary")
    return e.fn === "pow" || e.fn === "atan2" ? 16 : e.fn === "rem" || e.fn === "div" ? 2 : 1;
  if (e.op === "const" || e.op === "idx" || e.op === "ridx") return 0;
  return 1;
}

/** Work per element of the output space: every node, reduce bodies times their sizes. */
function workPerElement(roots: readonly Expr[]): number {
  const walk = (rs: readonly Expr[], scale: number): number => {
    const seen = new Set<Expr>();
    let c = 0;
    const visit = (e: Expr): void => {
      if (seen.has(e)) return;
      seen.add(e);
      if (e.op === "reduce") {
        c += scale + walk([e.body], scale * e.sizes.reduce((a, b) => a * b, 1));
        return;
      }
      c += scale * Math.max(1, nodeCost(e));
      children(e).forEach(visit);
    };
    rs.forEach(visit);
    return c;
  };
  return walk(roots, 1);
}

export function planLoop(k: LoopKernel): LoopPlan {
  const shape = k.shape.length > 0 ? [...k.shape] : [1];
  const n = shape.length;
  const roots = k.outputs.map((o) => o.expr);
  const inner = shape[n - 1]!;
  const axis = idx(n - 1, inner) as AxisExpr;
  const nodes = topoSort(roots);
  const contiguous = nodes.every((e) => e.op !== "load" || contiguousOrInvariant(e.index, axis));
  const cost = vectorCost(roots, axis);
  const unroll =
    contiguous && inner >= 4 ? unrollFor(cost, n === 1 ? Number.MAX_SAFE_INTEGER : inner) : 0;
  const total = shape.reduce((a, b) => a * b, 1);
  const reduces = nodes.filter((e): e is ReduceExpr => e.op === "reduce");
  const rv = reduces.filter((r) => reduceVectorizable([r], r.sizes)).length;
  const parts = [`loop [${k.shape.join(", ")}]`];
  parts.push(
    unroll
      ? `vector over axis ${n - 1} (f32x4/i32x4 ×${unroll}, one-vector + scalar tail)`
      : "scalar output loops",
  );
  if (reduces.length)
    parts.push(
      `${reduces.length} reduce(s)${!unroll && rv ? `, ${rv} vectorized along their innermost index` : ""}`,
    );
  return {
    shape,
    unroll,
    trip: shape[0]!,
    workPerIter: total === 0 ? 0 : (total / shape[0]!) * workPerElement(roots),
    summary: parts.join("; "),
  };
}

export function emitLoopKernel(
  f: FunctionBuilder,
  k: LoopKernel,
  plan: LoopPlan,
  bufDtype: (id: number) => DType,
): void {
  const shape = plan.shape;
  const n = shape.length;
  if (shape.some((d) => d === 0)) return;
  const roots = k.outputs.map((o) => o.expr);
  const root = new Scope(undefined, 0, undefined);
  const env: KernelEnv = {
    f,
    bufDtype,
    reduces: topoSort(roots).filter((e): e is ReduceExpr => e.op === "reduce"),
    vectorizeReductions: true,
    root,
  };
  const em = new NodeEmitter(env);
  const axes = shape.map((d, a) => idx(a, d) as AxisExpr);
  const counters = shape.map(() => f.addLocal("i32"));
  const chain = scalarLoopChain(root, axes.slice(0, n - 1), counters);
  const parent = chain[chain.length - 1] ?? root;
  const variant = (lanes: 1 | 4, parts: number) =>
    new Scope(parent, n, { axis: axes[n - 1]!, counter: counters[n - 1]!, lanes, parts });
  const u = plan.unroll;
  const w = u ? variant(4, u) : undefined;
  const v1 = u > 1 ? variant(4, 1) : undefined;
  const s = variant(1, 1);
  const flat = flatIndex(axes, shape);
  for (const sc of [w, v1, s]) {
    if (sc)
      for (const o of k.outputs)
        emitStore(em, o.buffer, o.offset ? ixAdd(flat, o.offset) : flat, o.expr, sc);
  }

  // end = min(end, trip)
  f.localGet(2)
    .i32Const(shape[0]!)
    .localGet(2)
    .i32Const(shape[0]!)
    .op("i32.lt_s")
    .op("select")
    .localSet(2);
  emitScope(f, root);
  const nest = (a: number): void => {
    const from: Bound = a === 0 ? { local: 1 } : { value: 0 };
    const to: Bound = a === 0 ? { local: 2 } : { value: shape[a]! };
    if (a < n - 1) {
      forLoop(f, counters[a]!, from, to, 1, () => {
        emitScope(f, chain[a]!);
        nest(a + 1);
      });
      return;
    }
    const c = counters[a]!;
    if (w) forLoop(f, c, from, to, 4 * u, () => inlineMath(f, () => emitScope(f, w)));
    if (v1) forLoop(f, c, undefined, to, 4, () => emitScope(f, v1));
    forLoop(f, c, w ? undefined : from, to, 1, () => emitScope(f, s));
  };
  nest(0);
}
