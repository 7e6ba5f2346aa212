/**
 * The nonsymmetric decompositions as JAX's lax.linalg has them:
 * - hessenberg: A → (a, taus), LAPACK gehrd's packed form (H on and above the first
 *   subdiagonal, the reflector tails below it, n−1 scales); no JVP, as in JAX.
 * - schur[compute_schur_vectors select_callable sort_eig_vals]: A = Z·T·Zᴴ with T real
 *   quasi-triangular (real input, gees's standardized 2×2 blocks) or upper triangular (complex
 *   input); outputs (T) or (T, Z) in the input's dtype; no JVP, as in JAX.
 * - eig[compute_left_eigenvectors compute_right_eigenvectors enable_eigvec_derivs
 *   implementation]: eigenvalues w and optionally left (uᴴA = λuᴴ) and right (Av = λv)
 *   eigenvectors, always complex, normalized as LAPACK geev.
 * All lower to custom kernels (`hessenberg`, `schur`, `eig`; src/backend/js/codegen/kernels/
 * linalg-hessenberg.ts, linalg-eig.ts) that compute in float64 and batch natively. eig's JVP is
 * in eig-jvp.ts.
 */
import type { ShapedArray } from "../../core/aval.js";
import { type DType, complexOfFloat, realPartDType } from "../../core/dtype.js";
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { complexBufferLazy } from "../../kernel/complex-lazy.js";
import { bufferLazy } from "../../kernel/lazy.js";
import type { LowerContext, LazyArray } from "../../kernel/lowering-types.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, notDifferentiable, notLinear } from "../../trace/primitive.js";
import { bind } from "../../trace/trace.js";
import { setComplexLowering } from "../complex/lowering-table.js";
import { definePrimitive } from "../define.js";
import { batchSize, batchToFront, splitBatch } from "./common.js";
import { eigJvp } from "./eig-jvp.js";

/** JAX's dtype rule of these primitives: float32/float64/complex64/complex128. */
function checkInexact(name: string, avals: readonly ShapedArray[]): DType {
  const d = avals[0]!.dtype;
  if (!d.isFloat && !d.isComplex)
    throw new TypeError(
      `${name} does not accept dtype ${d.name} at position 0. Accepted dtypes at position 0 ` +
        "are subtypes of floating, complexfloating.",
    );
  if (d.name === "float16")
    throw new NotImplementedError(
      `${name} is implemented for float32, float64, complex64 and complex128 only, got ${d.name}`,
    );
  return d;
}

/** The core n×n shape, with JAX's message when it is not square. */
function squareCore(
  name: string,
  avals: readonly ShapedArray[],
  message: (s: string) => string,
): number {
  checkInexact(name, avals);
  const { core } = splitBatch(name, avals, [2]);
  const [n, m] = core[0]! as [number, number];
  if (n !== m) throw new ValueError(message(shapeStr([n, m])));
  return n;
}

/** Emits one custom kernel reading the materialized operand and writing every output. */
function lowerCustom(
  ctx: LowerContext,
  x: LazyArray,
  outs: readonly ShapedArray[],
  op: "hessenberg" | "schur" | "eig",
  params: Record<string, unknown>,
): LazyArray[] {
  // Complex values travel as interleaved (re, im) buffers of their part dtype.
  const src = x.parts ? ctx.materializeInterleaved(x) : ctx.materialize(x).view.buffer;
  const buffers = outs.map((o) => ctx.newBuffer(o));
  const shape = x.aval.shape;
  ctx.emit({
    kind: "custom",
    op,
    inputs: [src],
    outputs: buffers,
    params: {
      batch: batchSize(shape.slice(0, -2)),
      n: shape[shape.length - 1]!,
      complex: x.aval.dtype.isComplex,
      ...params,
    },
  });
  return buffers.map((b, i) =>
    outs[i]!.dtype.isComplex ? complexBufferLazy(b, outs[i]!) : bufferLazy(b, outs[i]!),
  );
}

export const hessenbergP: Primitive = definePrimitive({
  name: "hessenberg",
  abstractEval(avals) {
    const n = squareCore(
      "hessenberg",
      avals,
      (s) => `Argument to Hessenberg reduction must have shape [..., n, n], got shape ${s}`,
    );
    const x = avals[0]!;
    return [
      x.update({ weakType: false }),
      x.update({ shape: [...x.shape.slice(0, -2), Math.max(n - 1, 0)], weakType: false }),
    ];
  },
  lower: (ctx, [x], _params, outs) => lowerCustom(ctx, x!, outs, "hessenberg", {}),
  jvp: notDifferentiable("hessenberg has no differentiation rule in JAX"),
  transpose: notLinear,
  batch(args, dims, _params, size) {
    return [bind(hessenbergP, batchToFront(args, dims, size), {}), [0, 0]];
  },
});

export type SchurParams = {
  compute_schur_vectors: boolean;
  sort_eig_vals: boolean;
  select_callable: null;
};

export const schurP: Primitive<SchurParams> = definePrimitive<SchurParams>({
  name: "schur",
  abstractEval(avals, { compute_schur_vectors }) {
    squareCore(
      "schur",
      avals,
      (s) => `The input to schur must be a square matrix. Got shape ${s}.`,
    );
    const t = avals[0]!.update({ weakType: false });
    return compute_schur_vectors ? [t, t] : [t];
  },
  lower(ctx, [x], params, outs) {
    if (params.sort_eig_vals)
      throw new NotImplementedError(
        "The sort feature of LAPACK's gees routine is not implemented.",
      );
    return lowerCustom(ctx, x!, outs, "schur", {
      computeSchurVectors: params.compute_schur_vectors,
    });
  },
  jvp: notDifferentiable("schur has no differentiation rule in JAX"),
  transpose: notLinear,
  batch(args, dims, params, size) {
    const outs = bind(schurP, batchToFront(args, dims, size), params);
    return [outs, outs.map(() => 0)];
  },
});

export type EigParams = {
  compute_left_eigenvectors: boolean;
  compute_right_eigenvectors: boolean;
  enable_eigvec_derivs: boolean;
  implementation: null;
};

export const eigP: Primitive<EigParams> = definePrimitive<EigParams>({
  name: "eig",
  abstractEval(avals, params) {
    squareCore("eig", avals, (s) => `The input to eig must be a square matrix. Got shape ${s}.`);
    const x = avals[0]!;
    const dtype = complexOfFloat(realPartDType(x.dtype));
    const w = x.update({ shape: x.shape.slice(0, -1), dtype, weakType: false });
    const v = x.update({ dtype, weakType: false });
    const count =
      Number(params.compute_left_eigenvectors) + Number(params.compute_right_eigenvectors);
    return [w, ...globalThis.Array.from({ length: count }, () => v)];
  },
  lower: (ctx, [x], params, outs) =>
    lowerCustom(ctx, x!, outs, "eig", {
      left: params.compute_left_eigenvectors,
      right: params.compute_right_eigenvectors,
    }),
  jvp: (primals, tangents, params) => eigJvp(eigP, primals, tangents, params),
  transpose: notLinear,
  batch(args, dims, params, size) {
    const outs = bind(eigP, batchToFront(args, dims, size), params);
    return [outs, outs.map(() => 0)];
  },
});

// Their lowering rules read and write complex values themselves (interleaved buffers).
for (const name of ["hessenberg", "schur", "eig"]) setComplexLowering(name, "own");

/** Options of `lax.linalg.eig`. */
export interface EigOptions {
  computeLeftEigenvectors?: boolean;
  computeRightEigenvectors?: boolean;
  enableEigvecDerivs?: boolean;
}

/** `lax.linalg.eig(x)` → [w, vl?, vr?]. */
export function eig(x: Array, opts: EigOptions = {}): Array[] {
  return bind(eigP, [x], {
    compute_left_eigenvectors: opts.computeLeftEigenvectors ?? true,
    compute_right_eigenvectors: opts.computeRightEigenvectors ?? true,
    enable_eigvec_derivs: opts.enableEigvecDerivs ?? false,
    implementation: null,
  });
}

/** Options of `lax.linalg.schur`. */
export interface SchurOptions {
  computeSchurVectors?: boolean;
  sortEigVals?: boolean;
}

/** `lax.linalg.schur(x)` → [T, Z] (or [T] without Schur vectors). */
export function schur(x: Array, opts: SchurOptions = {}): Array[] {
  return bind(schurP, [x], {
    compute_schur_vectors: opts.computeSchurVectors ?? true,
    sort_eig_vals: opts.sortEigVals ?? false,
    select_callable: null,
  });
}

/** `lax.linalg.hessenberg(a)` → [a (packed H and reflectors), taus]. */
export function hessenberg(a: Array): [Array, Array] {
  return bind(hessenbergP, [a], {}) as [Array, Array];
}
