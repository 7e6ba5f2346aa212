/**
 * The sort custom kernel: several operands of one shape sorted together along `dimension`,
 * ordered lexicographically by the first `numKeys` of them. Stable; NaNs sort last and -0.0
 * equals 0.0 (JAX's comparator canonicalizes floats this way).
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { type Scalar, accessor } from "./element-access.js";

export interface SortKernelParams {
  dimension: number;
  numKeys: number;
  shape: number[];
  dtypes: string[];
}

function compareFloat(a: number, b: number): number {
  const an = a !== a;
  const bn = b !== b;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOrdered(a: Scalar, b: Scalar): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortKernel(ins: TypedArray[], outs: TypedArray[], p: SortKernelParams): void {
  const { dimension: dim, shape } = p;
  const n = shape[dim] ?? 1;
  let inner = 1;
  for (let k = dim + 1; k < shape.length; k++) inner *= shape[k]!;
  let outer = 1;
  for (let k = 0; k < dim; k++) outer *= shape[k]!;
  if (n === 0 || inner === 0 || outer === 0) return;
  const accs = p.dtypes.map(accessor);
  const cmps = p.dtypes.map((d) => (d.startsWith("float") ? compareFloat : compareOrdered)) as ((
    a: Scalar,
    b: Scalar,
  ) => number)[];
  const nk = Math.max(1, Math.min(p.numKeys, ins.length));
  const keys: Scalar[][] = Array.from({ length: nk }, () => new Array<Scalar>(n));
  const perm = new Array<number>(n);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      const base = o * n * inner + r;
      for (let k = 0; k < nk; k++) {
        const key = keys[k]!;
        for (let i = 0; i < n; i++) key[i] = accs[k]!.get(ins[k]!, base + i * inner);
      }
      for (let i = 0; i < n; i++) perm[i] = i;
      perm.sort((i, j) => {
        for (let k = 0; k < nk; k++) {
          const c = cmps[k]!(keys[k]![i]!, keys[k]![j]!);
          if (c !== 0) return c;
        }
        return i - j;
      });
      for (let q = 0; q < ins.length; q++) {
        const src = ins[q]!;
        const dst = outs[q]!;
        const a = accs[q]!;
        if (q < nk) {
          const key = keys[q]!;
          for (let i = 0; i < n; i++) a.set(dst, base + i * inner, key[perm[i]!]!);
        } else {
          for (let i = 0; i < n; i++)
            a.set(dst, base + i * inner, a.get(src, base + perm[i]! * inner));
        }
      }
    }
  }
}
