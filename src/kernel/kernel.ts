/**
 * Kernels and kernel programs: what lowering produces and devices compile. A program is a
 * list of kernels over numbered buffers; buffers are program inputs, constants, outputs or
 * temporaries (which the device may place in a reused arena).
 */
import type { DType } from "../core/dtype.js";
import type { Expr } from "./expr.js";

export interface BufferInfo {
  readonly id: number;
  readonly dtype: DType;
  readonly size: number;
  kind: "input" | "output" | "temp";
}

/**
 * A loop nest over `shape`: for every index, each output's expression is evaluated and
 * stored at the row-major position in its buffer, plus `offset` when given (a scalar index
 * expression without loop indices, e.g. a loop counter times a slice size: writing one slice
 * of a larger buffer). Expressions refer to buffers by id.
 */
export interface LoopOutput {
  readonly buffer: number;
  readonly expr: Expr;
  readonly offset?: Expr;
}
export interface LoopKernel {
  readonly kind: "loop";
  readonly shape: readonly number[];
  readonly outputs: readonly LoopOutput[];
}

/** A strided operand of a dot kernel: element (b, i, k) at offset + b·sb + i·si + k·sk. */
export interface DotOperand {
  readonly buffer: number;
  readonly offset: number;
  readonly batchStrides: readonly number[];
  readonly rowStride: number;
  readonly colStride: number;
  /**
   * Set on the `a` operand of a convolution lowered as an implicit GEMM (rowStride and
   * colStride are then unused): element (b, i, k) is the im2col matrix's, read from the
   * convolution's input in place.
   */
  readonly im2col?: DotIm2col;
}

/** One spatial dimension of an implicit-GEMM convolution's input (see DotIm2col). */
export interface DotIm2colSpatial {
  /** Output positions o along this dimension (a row digit). */
  readonly out: number;
  /** Window positions w (a depth digit). */
  readonly window: number;
  readonly windowStride: number;
  readonly rhsDilation: number;
  readonly lhsDilation: number;
  readonly padLo: number;
  /** Input elements along this dimension, and their stride in the buffer. */
  readonly size: number;
  readonly stride: number;
}

/**
 * The im2col matrix of a convolution, read without being built: row i is the digits
 * (n, o_1…o_S) row-major over (batch.size, out_1…out_S), depth k the digits (w_1…w_S, c)
 * row-major over (window_1…window_S, feature.size). With pos_s = o_s·windowStride_s +
 * w_s·rhsDilation_s − padLo_s, the element is input[offset + b·sb + n·batch.stride +
 * Σ (pos_s / lhsDilation_s)·stride_s + c·feature.stride] when every pos_s lies in
 * [0, (size_s − 1)·lhsDilation_s] and is a multiple of lhsDilation_s, else 0.
 */
export interface DotIm2col {
  readonly batch: { readonly size: number; readonly stride: number };
  readonly spatial: readonly DotIm2colSpatial[];
  readonly feature: { readonly size: number; readonly stride: number };
}

/**
 * Buffer id that stands for the dot's accumulator in an epilogue: a load of `ACC_BUFFER` at
 * the output's own flat index is the product element, with dtype `accDtype` (rounded to it,
 * as if it had been stored). It is never a program buffer.
 */
export const ACC_BUFFER = -1;

/**
 * Elementwise consumers of a dot fused into it: for every output element (b, i, j), `expr` is
 * evaluated and stored at the element's row-major position in `out` (a contiguous
 * [batch..., m, n] buffer of `expr`'s dtype). `expr` is over the loop indices idx(q) of batch
 * dim q, idx(nb) = i and idx(nb + 1) = j (nb = batch.length); it loads the product through
 * `ACC_BUFFER` (always at the element's own flat index) and may load any other buffer (a bias
 * along the rows or columns, another operand of the output's shape…). No reductions.
 */
export interface DotEpilogue {
  readonly expr: Expr;
  readonly out: number;
}

/**
 * Batched matrix product: out[b, i, j] = Σ_k a[b, i, k] · b[b, k, j] over batch shape
 * `batch`, accumulated in `accDtype`; `out` is contiguous [batch..., m, n]. With an
 * `epilogue`, `out` is optional: it is only written when something else reads the raw product.
 */
export interface DotKernel {
  readonly kind: "dot";
  readonly batch: readonly number[];
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: DotOperand;
  readonly b: DotOperand;
  /** Receives the product (absent only when an epilogue consumes it entirely). */
  readonly out?: number;
  readonly accDtype: DType;
  readonly epilogue?: DotEpilogue;
}

/** Operations with their own algorithms; devices implement each kind. */
export interface CustomKernel {
  readonly kind: "custom";
  readonly op:
    | "sort"
    | "cumulative"
    | "scatter"
    | "cholesky"
    | "lu"
    | "lu_pivots_to_permutation"
    | "triangular_solve"
    | "qr"
    | "eigh"
    | "svd"
    | "geqrf"
    | "householder_product"
    | "hessenberg"
    | "schur"
    | "eig"
    | "fft";
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * Control flow inside a program. `cond` runs branch `clamp(index, 0, n-1)` where `index` is
 * an int32 (or bool) scalar buffer; every branch writes the same output buffers. `while`
 * repeats: run `cond` (which writes the bool scalar buffer `predicate`), stop if false, run
 * `body` (which updates the loop-carried buffers in place, through temporaries).
 */
export interface CondKernel {
  readonly kind: "cond";
  readonly index: number;
  readonly branches: readonly (readonly Kernel[])[];
}
export interface WhileKernel {
  readonly kind: "while";
  readonly cond: readonly Kernel[];
  readonly predicate: number;
  readonly body: readonly Kernel[];
}

export type Kernel = LoopKernel | DotKernel | CustomKernel | CondKernel | WhileKernel;

/** How each program output is produced. */
export type OutputSource =
  | { readonly kind: "buffer"; readonly buffer: number }
  | { readonly kind: "input"; readonly index: number }
  | { readonly kind: "literal"; readonly value: number | bigint; readonly dtype: DType };

export interface Program {
  readonly buffers: readonly BufferInfo[];
  readonly kernels: readonly Kernel[];
  /** Buffer id of each program input, in order (consts first, then arguments). */
  readonly inputs: readonly number[];
  readonly outputs: readonly OutputSource[];
}
