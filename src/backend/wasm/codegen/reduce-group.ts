/**
 * Reduce nodes. Every reduce over the same space at the same depth shares one loop nest
 * (as in the JS codegen). Three shapes:
 *  - inside a vectorized output loop: the accumulators are vectors, one lane per output;
 *  - in scalar context with a body contiguous along the innermost reduction index: that loop
 *    is vectorized (lane-parallel accumulators, `parts` v128 each, then a one-vector loop and
 *    a scalar tail), and the lanes are folded in a fixed order (deterministic);
 *  - otherwise scalar loops.
 */
import { type Expr, type ReduceExpr, ridx, topoSort } from "../../../kernel/expr.js";
import type { Val } from "./codegen-values.js";
import { emitScope, forLoop } from "./loop-control.js";
import { type AxisExpr, contiguousOrInvariant } from "./loop-index.js";
import type { ValueEmitter } from "./loop-emitter.js";
import { type GroupCtx, Scope, dependsOn, placement } from "./loop-scope.js";
import { type Acc, combineAcc, initAcc, isArg, newAcc, updateAcc } from "./reduce-ops.js";
import { inlineMath } from "./math-calls.js";
import { UNARY_MATH } from "./simd-math.js";

const sameSizes = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/** Rough code size of one vector evaluation of a node (the math routines are long). */
export function codeWeight(e: Expr): number {
  if (e.op === "unary" && e.fn in UNARY_MATH)
    return e.fn === "sin" || e.fn === "cos" || e.fn === "tan" ? 40 : 12;
  if (e.op === "binary" && (e.fn === "pow" || e.fn === "atan2")) return 25;
  if (e.op === "const" || e.op === "idx" || e.op === "ridx") return 0;
  return 1;
}

/** Vector parts per iteration of a main vector loop whose body weighs `weight`. */
export function unrollFor(weight: number, size: number): number {
  if (size < 16) return 1;
  return weight <= 60 ? 4 : weight <= 200 ? 2 : 1;
}

/** Code weight of the nodes of `roots` that move with `axis` (the vectorized body). */
export function vectorCost(roots: readonly Expr[], axis: AxisExpr): number {
  return topoSort(roots)
    .filter((e) => dependsOn(e, axis))
    .reduce((c, e) => c + codeWeight(e), 0);
}

/** Whether the group's innermost reduction loop can be vectorized (contiguous loads). */
export function reduceVectorizable(
  group: readonly ReduceExpr[],
  sizes: readonly number[],
): boolean {
  const m = sizes.length;
  if (m === 0 || sizes[m - 1]! < 8) return false;
  const axis = ridx(m - 1, sizes[m - 1]!) as AxisExpr;
  return topoSort(group.map((g) => g.body)).every(
    (e) => e.op !== "load" || contiguousOrInvariant(e.index, axis),
  );
}

export function emitReduceGroup(em: ValueEmitter, r: ReduceExpr, t: Scope): void {
  const f = em.f;
  const depth = placement(r).depth;
  const group = em.env.reduces.filter(
    (g) =>
      g !== r && !t.cache.has(g) && placement(g).depth === depth && sameSizes(g.sizes, r.sizes),
  );
  group.push(r);
  const sizes = r.sizes;
  const m = sizes.length;
  const vecCtx = em.isVec(r, t);
  const parts = vecCtx ? t.vector!.parts : 1;
  const accs = new Map<ReduceExpr, Acc>(group.map((g) => [g, newAcc(f, g, vecCtx, parts)]));
  const results = (g: ReduceExpr, a: Acc): Val =>
    a.vector
      ? { t: "v", locals: isArg(g) ? a.idx : a.val }
      : { t: "s", local: isArg(g) ? a.idx[0]! : a.val[0]! };

  if (m === 0) {
    // A reduction over no axes: the identity combined with the body once.
    for (const g of group) {
      const a = accs.get(g)!;
      const v = vecCtx ? em.vec(g.body, t) : em.get(g.body, t);
      const zero: Val = { t: "k", value: 0 };
      t.code.push((fb) => (initAcc(fb, g, a), updateAcc(fb, g, a, v, zero, a.val.length)));
      t.cache.set(g, results(g, a));
    }
    return;
  }

  const ctx: GroupCtx = { reduces: group, sizes };
  const axes = sizes.map((s, k) => ridx(k, s) as AxisExpr);
  const counters = sizes.map(() => f.addLocal("i32"));
  const chain: Scope[] = [];
  let parent = t;
  for (let k = 0; k < m - 1; k++) {
    parent = new Scope(
      parent,
      t.depth,
      { axis: axes[k]!, counter: counters[k]!, lanes: 1, parts: 1 },
      ctx,
      k + 1,
    );
    chain.push(parent);
  }
  const innerAxis = axes[m - 1]!;
  const counter = counters[m - 1]!;
  const size = sizes[m - 1]!;
  const scope = (lanes: 1 | 4, p: number) =>
    new Scope(parent, t.depth, { axis: innerAxis, counter, lanes, parts: p }, ctx, m);

  const useB = !vecCtx && em.env.vectorizeReductions && reduceVectorizable(group, sizes);
  const update = (s: Scope, acc: (g: ReduceExpr) => Acc, p: number) => {
    for (const g of group) {
      const vec = s.vector !== undefined;
      const v = vec ? em.vec(g.body, s) : em.get(g.body, s);
      const ri = isArg(g) ? (vec ? em.vec(axes[0]!, s) : em.get(axes[0]!, s)) : undefined;
      const a = acc(g);
      s.code.push((fb) => updateAcc(fb, g, a, v, ri, a.vector ? p : 1));
    }
  };

  let inner: (fb: typeof f) => void;
  let finish: (fb: typeof f) => void = () => {};
  const vaccs = new Map<ReduceExpr, Acc>();
  if (!useB) {
    const s = scope(1, 1);
    update(s, (g) => accs.get(g)!, parts);
    inner = (fb) => forLoop(fb, counter, { value: 0 }, { value: size }, 1, () => emitScope(fb, s));
  } else {
    const u = unrollFor(
      vectorCost(
        group.map((g) => g.body),
        innerAxis,
      ),
      size,
    );
    for (const g of group) vaccs.set(g, newAcc(f, g, true, u));
    const w = scope(4, u);
    update(w, (g) => vaccs.get(g)!, u);
    const v1 = u > 1 ? scope(4, 1) : undefined;
    if (v1) update(v1, (g) => vaccs.get(g)!, 1);
    const s = scope(1, 1);
    update(s, (g) => accs.get(g)!, 1);
    const combine = (fb: typeof f) =>
      group.forEach((g) => combineAcc(fb, g, vaccs.get(g)!, accs.get(g)!));
    inner = (fb) => {
      forLoop(fb, counter, { value: 0 }, { value: size }, 4 * u, () =>
        inlineMath(fb, () => emitScope(fb, w)),
      );
      if (v1) forLoop(fb, counter, undefined, { value: size }, 4, () => emitScope(fb, v1));
      if (m === 1) combine(fb);
      forLoop(fb, counter, undefined, { value: size }, 1, () => emitScope(fb, s));
    };
    if (m > 1) finish = combine;
  }

  const nest = (fb: typeof f, k: number): void => {
    if (k === m - 1) return inner(fb);
    forLoop(fb, counters[k]!, { value: 0 }, { value: sizes[k]! }, 1, () => {
      emitScope(fb, chain[k]!);
      nest(fb, k + 1);
    });
  };
  t.code.push((fb) => {
    for (const g of group) {
      initAcc(fb, g, accs.get(g)!);
      const va = vaccs.get(g);
      if (va) initAcc(fb, g, va);
    }
    nest(fb, 0);
    finish(fb);
  });
  for (const g of group) t.cache.set(g, results(g, accs.get(g)!));
}
