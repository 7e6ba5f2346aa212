/**
 * qr[full_matrices pivoting use_magma]: A = Q·R of a batch of m×n matrices (A[:, p] = Q·R with
 * column pivoting, p an int32 [..., n] output as geqp3 gives it, 0-based). Q is m×k and R k×n,
 * k = m with full matrices and min(m, n) otherwise. Lowered to a `qr` custom kernel
 * (Householder). The JVP is JAX's qr_jvp_rule: the thin rule (Townsend) for m ≥ n, the square
 * block plus R₂ = Qᵀ·X₂ for m < n, and the full-matrices completion of arXiv 2409.13374.
 */
import type { ShapedArray } from "../../core/aval.js";
import { int32 } from "../../core/dtype.js";
import { bufferLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, Zero, notLinear } from "../../trace/primitive.js";
import { bind } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { add, eq, sub } from "../elementwise/functions.js";
import { convertElementType } from "../convert.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { concatenate } from "../shape/concatenate.js";
import { iota } from "../shape/iota.js";
import { full } from "../constants.js";
import { takeAlong } from "../sort.js";
import {
  batchMatmul,
  batchSize,
  batchToFront,
  checkFloat,
  matrixT,
  splitBatch,
  tril,
} from "./common.js";
import { lu } from "./lu.js";
import { batchEye, block } from "./matrix-helpers.js";
import { triangularSolve } from "./triangular-solve.js";

export type QrParams = { full_matrices: boolean; pivoting: boolean; use_magma: boolean | null };

function qrAvals(x: ShapedArray, { full_matrices, pivoting }: QrParams): ShapedArray[] {
  const batch = x.shape.slice(0, -2);
  const [m, n] = x.shape.slice(-2) as [number, number];
  const k = full_matrices ? m : Math.min(m, n);
  const outs = [
    x.update({ shape: [...batch, m, k], weakType: false }),
    x.update({ shape: [...batch, k, n], weakType: false }),
  ];
  if (pivoting) outs.push(x.update({ shape: [...batch, n], dtype: int32, weakType: false }));
  return outs;
}

export const qrP: Primitive<QrParams> = definePrimitive<QrParams>({
  name: "qr",
  abstractEval(avals, params) {
    checkFloat("qr", avals);
    splitBatch("qr", avals, [2]);
    return qrAvals(avals[0]!, params);
  },
  lower(ctx, [x], params, outs) {
    const src = ctx.materialize(x!);
    const buffers = outs.map((o) => ctx.newBuffer(o));
    const [m, n] = x!.aval.shape.slice(-2) as [number, number];
    ctx.emit({
      kind: "custom",
      op: "qr",
      inputs: [src.view.buffer],
      outputs: buffers,
      params: {
        batch: batchSize(x!.aval.shape.slice(0, -2)),
        m,
        n,
        fullMatrices: params.full_matrices,
        pivoting: params.pivoting,
        dtype: x!.aval.dtype.name,
      },
    });
    return buffers.map((b, i) => bufferLazy(b, outs[i]!));
  },
  jvp([x], [t], params) {
    const outs = bind(qrP, [x!], params);
    const [q, r] = outs as [Array, Array];
    if (isZero(t)) return [outs, outs.map((o) => new Zero(o.aval))];
    let dx = t as Array;
    let xp = x!;
    if (params.pivoting) {
      // Both the tangent and (for wide matrices, R₂ = Qᵀ·X₂) the primal in pivoted column
      // order: JAX's rule permutes only dx, which mis-states dR₂ when m < n.
      const nd = dx.ndim;
      const cols = broadcastInDim(outs[2]!, dx.shape, [...range(nd - 2), nd - 1]);
      dx = takeAlong(dx, cols, nd - 1);
      xp = takeAlong(xp, cols, nd - 1);
    }
    const [dq, dr] = qrJvp(xp, dx, q, r, params.full_matrices);
    const tangents = [dq, dr, ...(params.pivoting ? [new Zero(outs[2]!.aval)] : [])];
    return [outs, tangents];
  },
  transpose: notLinear,
  batch(args, dims, params, size) {
    const outs = bind(qrP, batchToFront(args, dims, size), params);
    return [outs, outs.map(() => 0)];
  },
});

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** JAX's `_thin_qr_jvp` for m ≥ n (real matrices: the complex correction vanishes). */
function thinQrJvp(q: Array, r: Array, dx: Array): [Array, Array] {
  const dxRinv = triangularSolve(r, dx);
  const qtDxRinv = batchMatmul(matrixT(q), dxRinv);
  const lower = tril(qtDxRinv, -1);
  const dO = sub(lower, matrixT(lower));
  const dq = add(batchMatmul(q, sub(dO, qtDxRinv)), dxRinv);
  const dr = batchMatmul(sub(qtDxRinv, dO), r);
  return [dq, dr];
}

function qrJvp(x: Array, dx: Array, q: Array, r: Array, fullMatrices: boolean): [Array, Array] {
  const [m, n] = x.shape.slice(-2) as [number, number];
  const batch = x.shape.slice(0, -2);
  const nd = x.ndim;
  if (m < n) {
    const [dq, dr1] = thinQrJvp(q, block(r, 0, m, 0, m), block(dx, 0, m, 0, m));
    const dr2 = add(
      batchMatmul(matrixT(dq), block(x, 0, m, m, n)),
      batchMatmul(matrixT(q), block(dx, 0, m, m, n)),
    );
    return [dq, concatenate([dr1, dr2], nd - 1)];
  }
  const qmn = fullMatrices ? block(q, 0, m, 0, n) : q;
  const rnn = fullMatrices ? block(r, 0, n, 0, n) : r;
  const [dqmn, drnn] = thinQrJvp(qmn, rnn, dx);
  if (!fullMatrices || m === n) return [dqmn, drnn];
  // The trailing m − n columns of a full Q (arXiv 2409.13374, eqs. 32–33):
  // Z = Q_pn·(Q_nn − I)⁻¹ by an LU solve from the right, P·M = L·U ⇒ Z = Q_pn·U⁻¹·L⁻¹·P.
  const qnn = block(qmn, 0, n, 0, n);
  const qpn = block(qmn, n, m, 0, n);
  const qmp = block(q, 0, m, n, m);
  const dqnn = block(dqmn, 0, n, 0, n);
  const dqpn = block(dqmn, n, m, 0, n);
  const [luF, , perm] = lu(sub(qnn, batchEye(n, x.dtype, batch)));
  const w1 = triangularSolve(luF, qpn, { lower: false });
  const w = triangularSolve(luF, w1, { lower: true, unitDiagonal: true });
  const permRows = broadcastInDim(perm, [...batch, n, n], [...range(batch.length), nd - 2]);
  const pMat = convertElementType(eq(permRows, iota(int32, [...batch, n, n], nd - 1)), x.dtype);
  const z = batchMatmul(w, pMat);
  const dqmp = sub(
    batchMatmul(dqmn, matrixT(z)),
    batchMatmul(add(qmn, batchMatmul(qmp, z)), matrixT(sub(dqpn, batchMatmul(z, dqnn)))),
  );
  const dq = concatenate([dqmn, dqmp], nd - 1);
  const dr = concatenate([drnn, full([...batch, m - n, n], 0, x.dtype)], nd - 2);
  return [dq, dr];
}

/** `lax.linalg.qr(x, pivoting=False, full_matrices=True)` → [q, r] or [q, r, p]. */
export function qr(x: Array, opts: { pivoting?: boolean; fullMatrices?: boolean } = {}): Array[] {
  return bind(qrP, [x], {
    full_matrices: opts.fullMatrices ?? true,
    pivoting: opts.pivoting ?? false,
    use_magma: null,
  });
}
