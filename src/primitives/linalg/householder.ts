/**
 * geqrf and householder_product: the two halves of a Householder QR as JAX exposes them.
 * geqrf(a) → (a with R on and above the diagonal and the reflector vectors below it, taus
 * [..., min(m, n)]); householder_product(a, taus) → the m×n product of the first k
 * reflectors. Lowered to `geqrf` / `householder_product` custom kernels (LAPACK's dgeqrf /
 * dorgqr conventions; householder_product also takes complex reflectors, zungqr's). Neither has a JVP in JAX; both batch over leading dims.
 */
import { ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { complexBufferLazy } from "../../kernel/complex-lazy.js";
import { bufferLazy } from "../../kernel/lazy.js";
import type { LazyArray } from "../../kernel/lowering-types.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, notDifferentiable, notLinear } from "../../trace/primitive.js";
import { bind, bind1 } from "../../trace/trace.js";
import { setComplexLowering } from "../complex/lowering-table.js";
import { definePrimitive } from "../define.js";
import { batchSize, batchToFront, checkFloat, splitBatch } from "./common.js";

export const geqrfP: Primitive = definePrimitive({
  name: "geqrf",
  abstractEval(avals) {
    checkFloat("geqrf", avals);
    const { batch, core } = splitBatch("geqrf", avals, [2]);
    const [m, n] = core[0]! as [number, number];
    const x = avals[0]!;
    return [
      x.update({ weakType: false }),
      x.update({ shape: [...batch, Math.min(m, n)], weakType: false }),
    ];
  },
  lower(ctx, [x], _params, outs) {
    const src = ctx.materialize(x!);
    const buffers = outs.map((o) => ctx.newBuffer(o));
    const [m, n] = x!.aval.shape.slice(-2) as [number, number];
    ctx.emit({
      kind: "custom",
      op: "geqrf",
      inputs: [src.view.buffer],
      outputs: buffers,
      params: { batch: batchSize(x!.aval.shape.slice(0, -2)), m, n },
    });
    return buffers.map((b, i) => bufferLazy(b, outs[i]!));
  },
  jvp: notDifferentiable("geqrf has no differentiation rule in JAX"),
  transpose: notLinear,
  batch(args, dims, _params, size) {
    return [bind(geqrfP, batchToFront(args, dims, size), {}), [0, 0]];
  },
});

export const householderProductP: Primitive = definePrimitive({
  name: "householder_product",
  abstractEval(avals) {
    // Complex reflectors (a Hessenberg reduction's, for scipy.linalg.hessenberg) are accepted.
    if (!avals.every((a) => a.dtype.isComplex && a.dtype === avals[0]!.dtype))
      checkFloat("householder_product", avals);
    const { core } = splitBatch("householder_product", avals, [2, 1]);
    const [as, ts] = core as [number[], number[]];
    const [m, n] = as as [number, number];
    if (m < n)
      throw new ValueError(
        "The first argument to householder_product must have at least as many rows as " +
          `columns, got shape ${shapeStr(as)}`,
      );
    if (ts[0]! > Math.min(m, n))
      throw new ValueError(
        "The second argument to householder_product must not have more rows than the " +
          "minimum of the first argument's rows and columns.",
      );
    return [avals[0]!.update({ weakType: false })];
  },
  lower(ctx, [a, taus], _params, [out]) {
    const complex = out!.dtype.isComplex;
    const input = (x: LazyArray): number =>
      complex ? ctx.materializeInterleaved(x) : ctx.materialize(x).view.buffer;
    const buffer = ctx.newBuffer(out!);
    const [m, n] = a!.aval.shape.slice(-2) as [number, number];
    ctx.emit({
      kind: "custom",
      op: "householder_product",
      inputs: [input(a!), input(taus!)],
      outputs: [buffer],
      params: {
        batch: batchSize(a!.aval.shape.slice(0, -2)),
        m,
        n,
        k: taus!.aval.shape[taus!.aval.ndim - 1]!,
        complex,
      },
    });
    return [complex ? complexBufferLazy(buffer, out!) : bufferLazy(buffer, out!)];
  },
  jvp: notDifferentiable("householder_product has no differentiation rule in JAX"),
  transpose: notLinear,
  batch(args, dims, _params, size) {
    return [[bind1(householderProductP, batchToFront(args, dims, size))], [0]];
  },
});

// The lowering reads and writes complex reflectors itself (interleaved buffers).
setComplexLowering("householder_product", "own");

/** `lax.linalg.geqrf(a)` → [a (R and reflectors), taus]. */
export function geqrf(a: Array): [Array, Array] {
  return bind(geqrfP, [a], {}) as [Array, Array];
}

/** `lax.linalg.householder_product(a, taus)`: Q (m×n) from geqrf's reflectors. */
export function householderProduct(a: Array, taus: Array): Array {
  return bind1(householderProductP, [a, taus]);
}
