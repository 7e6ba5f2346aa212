/**
 * triangular_solve[conjugate_a left_side lower transpose_a unit_diagonal]: op(A)·X = B
 * (left_side) or X·op(A) = B for triangular A, batched over leading dims. Linear in B (its
 * transpose solves with the transposed op); the JVP in A is −A⁻¹·Ȧ·X (or −X·Ȧ·A⁻¹), ordered
 * by cost as JAX's. Lowered to a `triangular_solve` custom kernel.
 */
import { ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { bufferLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, type Tangent, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { add, neg } from "../elementwise/functions.js";
import { moveAxis } from "../shape/transpose.js";
import { reshape } from "../shape/reshape.js";
import {
  batchMatmul,
  batchSize,
  batchToFront,
  checkFloat,
  matrixT,
  splitBatch,
  tril,
  triu,
} from "./common.js";

export type TriangularSolveParams = {
  left_side: boolean;
  lower: boolean;
  transpose_a: boolean;
  conjugate_a: boolean;
  unit_diagonal: boolean;
};

export const triangularSolveP: Primitive<TriangularSolveParams> =
  definePrimitive<TriangularSolveParams>({
    name: "triangular_solve",
    abstractEval(avals, { left_side }) {
      checkFloat("triangular_solve", avals);
      const { core } = splitBatch("triangular_solve", avals, [2, 2]);
      const [as, bs] = core as [number[], number[]];
      if (as[0] !== as[1])
        throw new ValueError(
          `The first input to triangular_solve must be a square matrix. Got shape ${shapeStr(as)}.`,
        );
      if (as[1] !== bs[left_side ? 0 : 1])
        throw new ValueError(
          `Incompatible shapes for arguments to triangular_solve: ${shapeStr(as)} and ${shapeStr(bs)}.`,
        );
      return [avals[1]!];
    },
    lower(ctx, [a, b], p, [out]) {
      const sa = ctx.materialize(a!);
      const sb = ctx.materialize(b!);
      const buffer = ctx.newBuffer(out!);
      const nd = out!.ndim;
      const m = a!.aval.shape[nd - 1]!;
      ctx.emit({
        kind: "custom",
        op: "triangular_solve",
        inputs: [sa.view.buffer, sb.view.buffer],
        outputs: [buffer],
        params: {
          batch: batchSize(out!.shape.slice(0, -2)),
          m,
          nrhs: out!.shape[p.left_side ? nd - 1 : nd - 2]!,
          leftSide: p.left_side,
          lower: p.lower,
          transposeA: p.transpose_a,
          unitDiagonal: p.unit_diagonal,
          dtype: out!.dtype.name,
        },
      });
      return [bufferLazy(buffer, out!)];
    },
    jvp([a, b], [ta, tb], p) {
      const x = bind1(triangularSolveP, [a!, b!], p);
      const parts: Array[] = [];
      if (!isZero(ta)) parts.push(jvpInA(ta as Array, x, a!, p));
      if (!isZero(tb)) parts.push(bind1(triangularSolveP, [a!, tb as Array], p));
      const t: Tangent = parts.length === 0 ? new Zero(x.aval) : parts.reduce((u, v) => add(u, v));
      return [[x], [t]];
    },
    transpose([ct], [a, b], p) {
      if (a instanceof UndefinedPrimal || !(b instanceof UndefinedPrimal))
        throw new TypeError("triangular_solve is linear only in its second argument");
      const ctB: Tangent = isZero(ct)
        ? new Zero(b.aval)
        : bind1(triangularSolveP, [a, ct as Array], { ...p, transpose_a: !p.transpose_a });
      return [null, ctB];
    },
    batch([a, b], [da, db], p, size) {
      if (da === null) {
        // A shared: fold the batch into B's right-hand sides.
        const bb = b!;
        if (p.left_side) {
          const y = moveAxis(bb, db!, bb.ndim - 1);
          const flat = reshape(y, [...y.shape.slice(0, -2), y.shape[y.ndim - 2]! * size]);
          const out = bind1(triangularSolveP, [a!, flat], p);
          return [[reshape(out, y.shape)], [y.ndim - 1]];
        }
        const y = moveAxis(bb, db!, bb.ndim - 2);
        const flat = reshape(y, [
          ...y.shape.slice(0, -3),
          size * y.shape[y.ndim - 3]!,
          y.shape[y.ndim - 1]!,
        ]);
        const out = bind1(triangularSolveP, [a!, flat], p);
        return [[reshape(out, y.shape)], [y.ndim - 2]];
      }
      const moved = batchToFront([a!, b!], [da, db], size);
      return [[bind1(triangularSolveP, moved, p)], [0]];
    },
  });

/** The tangent contributed by A's tangent: −op(A)⁻¹·op(Ȧ)·X (left) or −X·op(Ȧ)·op(A)⁻¹. */
function jvpInA(gA: Array, x: Array, a: Array, p: TriangularSolveParams): Array {
  const k = p.unit_diagonal ? 1 : 0;
  let g = p.lower ? tril(gA, -k) : triu(gA, k);
  g = neg(g);
  if (p.transpose_a) g = matrixT(g);
  const [m, n] = x.shape.slice(-2) as [number, number];
  const solve = (rhs: Array): Array => bind1(triangularSolveP, [a, rhs], p);
  if (p.left_side) return m > n ? solve(batchMatmul(g, x)) : batchMatmul(solve(g), x);
  return m < n ? solve(batchMatmul(x, g)) : batchMatmul(x, solve(g));
}

export interface TriangularSolveOptions {
  leftSide?: boolean;
  lower?: boolean;
  transposeA?: boolean;
  conjugateA?: boolean;
  unitDiagonal?: boolean;
}

/**
 * `lax.linalg.triangular_solve(a, b, left_side=False, lower=False, transpose_a=False,
 * conjugate_a=False, unit_diagonal=False)`; a `b` of one rank less than `a` is a single
 * right-hand side (a vector).
 */
export function triangularSolve(a: Array, b: Array, opts: TriangularSolveOptions = {}): Array {
  const leftSide = opts.leftSide ?? false;
  const singleton = b.ndim === a.ndim - 1;
  const bm = singleton
    ? reshape(b, leftSide ? [...b.shape, 1] : [...b.shape.slice(0, -1), 1, b.shape[b.ndim - 1]!])
    : b;
  const out = bind1(triangularSolveP, [a, bm], {
    left_side: leftSide,
    lower: opts.lower ?? false,
    transpose_a: opts.transposeA ?? false,
    // Conjugation has no effect on real matrices (the only ones supported), as JAX drops it.
    conjugate_a: false,
    unit_diagonal: opts.unitDiagonal ?? false,
  });
  return singleton ? reshape(out, b.shape) : out;
}
