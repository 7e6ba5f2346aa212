/** Custom kernels of the js device (sort, cumulative scans, scatter): plain JS algorithms. */
import type { TypedArray } from "../../../core/dtype.js";
import { cumulativeKernel } from "./kernels/cumulative.js";
import { scatterKernel } from "./kernels/scatter.js";
import { sortKernel } from "./kernels/sort.js";
import { choleskyKernel, luKernel, luPivotsKernel } from "./kernels/linalg-factor.js";
import { triangularSolveKernel } from "./kernels/triangular-solve.js";
import { geqrfKernel, householderProductKernel, qrKernel } from "./kernels/linalg-qr.js";
import { eighKernel, svdKernel } from "./kernels/linalg-spectral.js";
import { fftKernel } from "./kernels/fft.js";
import { hessenbergKernel } from "./kernels/linalg-hessenberg.js";
import { eigKernel, schurKernel } from "./kernels/linalg-eig.js";

/**
 * A custom kernel, called by generated code with the kernel's own parameters (`P…`). Each
 * kernel types its parameters; `never` here accepts every such signature.
 */
type Kernel = (ins: TypedArray[], outs: TypedArray[], params: never) => void;

export const customKernels: Record<string, Kernel> = {
  sort: sortKernel,
  cumulative: cumulativeKernel,
  scatter: scatterKernel,
  cholesky: choleskyKernel,
  lu: luKernel,
  lu_pivots_to_permutation: luPivotsKernel,
  triangular_solve: triangularSolveKernel,
  qr: qrKernel,
  eigh: eighKernel,
  svd: svdKernel,
  geqrf: geqrfKernel,
  householder_product: householderProductKernel,
  fft: fftKernel,
  hessenberg: hessenbergKernel,
  schur: schurKernel,
  eig: eigKernel,
};
