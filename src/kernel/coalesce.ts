/**
 * Dimension coalescing: merge adjacent loop dimensions whenever every index expression stays
 * free of per-element division after the merge (i.e. the data is contiguous across them).
 * A contiguous elementwise kernel of any rank becomes one flat loop — what vectorizes.
 */
import { type Expr, type ReduceExpr, idx, reduce, ridx, topoSort } from "./expr.js";
import { ixAdd, ixFloorDiv, ixMod } from "./index.js";
import type { LoopKernel } from "./kernel.js";
import { substitute } from "./rewrite.js";

function divModCount(roots: readonly Expr[]): number {
  let n = 0;
  for (const e of topoSort(roots))
    if (e.op === "binary" && (e.fn === "floordiv" || e.fn === "floormod")) n++;
  return n;
}

/** Substitution merging dims k and k+1 of `shape` (loop indices made by `make`). */
function mergeMap(
  shape: readonly number[],
  k: number,
  make: (axis: number, size: number) => Expr,
  kind: "idx" | "ridx",
): (e: Expr) => Expr | undefined {
  const inner = shape[k + 1]!;
  const merged = make(k, shape[k]! * inner);
  return (e) => {
    if (e.op !== kind) return undefined;
    if (e.axis === k) return ixFloorDiv(merged, inner);
    if (e.axis === k + 1) return ixMod(merged, inner);
    if (e.axis > k + 1) return make(e.axis - 1, e.size);
    return undefined;
  };
}

export function coalesceLoopKernel(kernel: LoopKernel): LoopKernel {
  // An empty space runs no iteration: nothing to merge (and a zero size to divide by).
  if (kernel.shape.includes(0)) return kernel;
  let shape = [...kernel.shape];
  let exprs = kernel.outputs.map((o) => coalesceReductions(o.expr));
  // Size-1 dims first: they carry no information.
  for (let k = shape.length - 1; k >= 0; k--) {
    if (shape[k] === 1 && shape.length > 1) {
      exprs = substitute(exprs, (e) =>
        e.op === "idx"
          ? e.axis === k
            ? ixAdd(0)
            : e.axis > k
              ? idx(e.axis - 1, e.size)
              : undefined
          : undefined,
      );
      shape.splice(k, 1);
    }
  }
  const base = divModCount(exprs);
  for (let k = shape.length - 2; k >= 0; k--) {
    const trial = substitute(exprs, mergeMap(shape, k, idx, "idx"));
    if (divModCount(trial) <= base) {
      exprs = trial;
      shape = [...shape.slice(0, k), shape[k]! * shape[k + 1]!, ...shape.slice(k + 2)];
    }
  }
  return {
    kind: "loop",
    shape,
    outputs: kernel.outputs.map((o, i) => ({ ...o, expr: exprs[i]! })),
  };
}

/** Merge the reduction dims of every reduce node the same way. */
function coalesceReductions(root: Expr): Expr {
  const reduces = topoSort([root]).filter(
    (e): e is ReduceExpr => e.op === "reduce" && e.sizes.length > 1 && !e.sizes.includes(0),
  );
  if (reduces.length === 0) return root;
  const replaced = new Map<Expr, Expr>();
  for (const r of reduces) {
    let sizes = [...r.sizes];
    let body = r.body;
    const base = divModCount([body]);
    for (let k = sizes.length - 2; k >= 0; k--) {
      const [trial] = substitute([body], mergeMap(sizes, k, ridx, "ridx"));
      if (divModCount([trial!]) <= base) {
        body = trial!;
        sizes = [...sizes.slice(0, k), sizes[k]! * sizes[k + 1]!, ...sizes.slice(k + 2)];
      }
    }
    replaced.set(r, reduce(r.fn, body, sizes));
  }
  return substitute([root], (e) => replaced.get(e))[0]!;
}
