/**
 * jnp.linalg's qr / eigh / svd family, as JAX writes them over lax.linalg: qr (modes reduced,
 * complete, r), eigh, eigvalsh, svd (hermitian through eigh), svdvals, pinv (JAX's custom JVP,
 * Golub & Pereyra), lstsq, matrix_rank, and the nonsymmetric eig and eigvals (complex results,
 * through lax.linalg.eig).
 */
import { NotImplementedError, ValueError } from "../../core/errors.js";
import * as lax from "../../primitives/index.js";
import * as L from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import { bind1 } from "../../trace/trace.js";
import { customJvp } from "../../transforms/custom-jvp.js";
import { asarray, promoteArgsInexact } from "../coerce.js";
import { matmul } from "../products.js";
import { amax, any, sum } from "../reductions.js";
import { expandDims } from "../shape.js";
import { where } from "../ufuncs.js";

/** Machine epsilon of a float dtype (numpy's finfo(dtype).eps). */
export const epsOf = (x: Array): number => (x.dtype.name === "float32" ? 2 ** -23 : 2 ** -52);

/** A named result that destructures as a tuple, as JAX's NamedTuples do. */
class Named {
  constructor(private readonly items: readonly Array[]) {}
  *[Symbol.iterator](): Iterator<Array> {
    yield* this.items;
  }
}

/** lax.rev along the given dimensions. */
const rev = (x: Array, dimensions: number[]): Array => bind1(lax.revP, [x], { dimensions });

/** jnp.linalg.qr's QRResult(Q, R). */
export class QRResult extends Named {
  constructor(
    readonly Q: Array,
    readonly R: Array,
  ) {
    super([Q, R]);
  }
}

/** jnp.linalg.eigh's EighResult(eigenvalues, eigenvectors). */
export class EighResult extends Named {
  constructor(
    readonly eigenvalues: Array,
    readonly eigenvectors: Array,
  ) {
    super([eigenvalues, eigenvectors]);
  }
}

/** jnp.linalg.svd's SVDResult(U, S, Vh). */
export class SVDResult extends Named {
  constructor(
    readonly U: Array,
    readonly S: Array,
    readonly Vh: Array,
  ) {
    super([U, S, Vh]);
  }
}

/**
 * `jnp.linalg.qr(a, mode="reduced")`: QRResult, or R alone for mode "r"; mode "raw" gives
 * geqrf's packed reflectors (transposed, as numpy) and taus in the QRResult's slots.
 */
export function qr(
  a: ArrayLike,
  mode: "reduced" | "complete" | "r" | "raw" = "reduced",
): QRResult | Array {
  const [x] = promoteArgsInexact(a) as [Array];
  if (mode === "raw") {
    const [packed, taus] = L.geqrf(x);
    return new QRResult(L.matrixT(packed), taus);
  }
  let fullMatrices: boolean;
  if (mode === "reduced" || mode === "r" || (mode as string) === "full") fullMatrices = false;
  else if (mode === "complete") fullMatrices = true;
  else throw new ValueError(`Unsupported QR decomposition mode '${String(mode)}'`);
  const [q, r] = L.qr(x, { pivoting: false, fullMatrices }) as [Array, Array];
  return mode === "r" ? r : new QRResult(q, r);
}

function uploToLower(uplo: string | null): boolean {
  if (uplo === null || uplo === "L") return true;
  if (uplo === "U") return false;
  throw new ValueError(`UPLO must be one of None, 'L', or 'U', got ${uplo}`);
}

/** `jnp.linalg.eigh(a, UPLO=None, symmetrize_input=True)` → EighResult(eigenvalues, eigenvectors). */
export function eigh(
  a: ArrayLike,
  UPLO: "L" | "U" | null = null,
  opts: { symmetrizeInput?: boolean } = {},
): EighResult {
  const lower = uploToLower(UPLO);
  const [x] = promoteArgsInexact(a) as [Array];
  const [v, w] = L.eigh(x, { lower, symmetrizeInput: opts.symmetrizeInput ?? true });
  return new EighResult(w, v);
}

/** `jnp.linalg.eigvalsh(a, UPLO='L', symmetrize_input=True)`: eigenvalues, ascending. */
export function eigvalsh(
  a: ArrayLike,
  UPLO: "L" | "U" | null = "L",
  opts: { symmetrizeInput?: boolean } = {},
): Array {
  return eigh(a, UPLO, opts).eigenvalues;
}

/** Keyword arguments of `jnp.linalg.svd` (numpy's `full_matrices`, `compute_uv`, `hermitian`). */
export interface SvdOptions {
  fullMatrices?: boolean;
  computeUv?: boolean;
  hermitian?: boolean;
  subsetByIndex?: [number, number] | null;
}

/**
 * `jnp.linalg.svd(a, full_matrices=True, compute_uv=True, hermitian=False)` → SVDResult(U, S,
 * Vh), or S alone without compute_uv. `hermitian` goes through eigh as JAX does.
 */
export function svd(a: ArrayLike, opts: SvdOptions = {}): SVDResult | Array {
  const [x] = promoteArgsInexact(a) as [Array];
  const computeUv = opts.computeUv ?? true;
  if (opts.hermitian) {
    const [w, v] = L.eigh(x, { subsetByIndex: opts.subsetByIndex ?? null });
    const s = lax.abs(v);
    const last = s.ndim - 1;
    if (!computeUv) return rev(lax.sort([s], -1)[0]!, [last]);
    const idx = lax.iota(lax.int32, s.shape, last);
    const sorted = lax.sort([s, idx, lax.sign(v)], -1, true, 1);
    const [ss, ii, sg] = sorted.map((t) => rev(t, [last])) as [Array, Array, Array];
    const cols = lax.broadcastInDim(ii, w.shape, [
      ...ii.shape.slice(0, -1).map((_, i) => i),
      w.ndim - 1,
    ]);
    const u = lax.takeAlong(w, cols, w.ndim - 1);
    const vh = L.matrixT(u.mul(expandDims(sg, -2)));
    return new SVDResult(u, ss, vh);
  }
  const out = L.svd(x, {
    fullMatrices: opts.fullMatrices ?? true,
    computeUv,
    subsetByIndex: opts.subsetByIndex ?? null,
  });
  if (!computeUv) return out as Array;
  const [u, s, vh] = out as [Array, Array, Array];
  return new SVDResult(u, s, vh);
}

/** `jnp.linalg.svdvals(x)`: singular values, descending. */
export function svdvals(x: ArrayLike): Array {
  return svd(asarray(x), { computeUv: false }) as Array;
}

function pinvImpl(a: Array, rtol: ArrayLike | null, hermitian: boolean): Array {
  const [m, n] = a.shape.slice(-2) as [number, number];
  if (m === 0 || n === 0) return lax.full([...a.shape.slice(0, -2), n, m], 0, a.dtype);
  const tol = rtol === null ? lax.full([], 10 * Math.max(m, n) * epsOf(a), a.dtype) : asarray(rtol);
  const { U: u, S: s, Vh: vh } = svd(a, { fullMatrices: false, hermitian }) as SVDResult;
  // Singular values ≤ rtol·σ_max count as zero (1/∞).
  const cutoff = expandDims(tol, -1).mul(s.get("...", "0:1"));
  const sKept = where(s.gt(cutoff), s, Infinity).astype(u.dtype);
  return matmul(L.matrixT(vh), L.matrixT(u).div(expandDims(sKept, -1)));
}

/**
 * `jnp.linalg.pinv(a, rtol=None, hermitian=False, rcond=None)`: the Moore–Penrose inverse,
 * by SVD with JAX's custom JVP.
 */
export function pinv(
  a: ArrayLike,
  opts: { rtol?: ArrayLike | null; hermitian?: boolean; rcond?: ArrayLike | null } = {},
): Array {
  let rtol = opts.rtol ?? null;
  if (opts.rcond !== undefined && opts.rcond !== null) {
    if (rtol !== null) throw new ValueError("pinv: only one of rtol and rcond may be specified.");
    rtol = opts.rcond;
  }
  const hermitian = opts.hermitian ?? false;
  const [x] = promoteArgsInexact(a) as [Array];
  const f = customJvp((y: Array): Array => pinvImpl(y, rtol, hermitian));
  f.defjvp(([y]: Array[], [yDot]: Array[]) => {
    const p = pinvImpl(y!, rtol, hermitian);
    let aa = y!;
    let ad = yDot!;
    if (hermitian) {
      aa = L.symmetrize(aa);
      ad = L.symmetrize(ad);
    }
    const T = L.matrixT;
    const [m, n] = aa.shape.slice(-2) as [number, number];
    let pDot: Array;
    if (m >= n) {
      const s = matmul(matmul(p, T(p)), T(ad));
      const t = matmul(matmul(T(ad), T(p)), p);
      pDot = matmul(matmul(p, ad), p)
        .neg()
        .add(s)
        .sub(matmul(matmul(s, aa), p))
        .add(t)
        .sub(matmul(matmul(p, aa), t));
    } else {
      const s = matmul(p, matmul(T(p), T(ad)));
      const t = matmul(T(ad), matmul(T(p), p));
      pDot = matmul(p, matmul(ad, p))
        .neg()
        .add(s)
        .sub(matmul(s, matmul(aa, p)))
        .add(t)
        .sub(matmul(p, matmul(aa, t)));
    }
    return [p, pDot];
  });
  return f(x);
}

/**
 * `jnp.linalg.lstsq(a, b, rcond=None, numpy_resid=False)` → [x, resid, rank, s] for 2-D a and
 * 1-D or 2-D b, through the SVD as JAX.
 */
export function lstsq(
  a: ArrayLike,
  b: ArrayLike,
  rcond: number | null = null,
  opts: { numpyResid?: boolean } = {},
): [Array, Array, Array, Array] {
  const [x, b0] = promoteArgsInexact(a, b) as [Array, Array];
  let y = b0;
  if (x.shape[0] !== y.shape[0])
    throw new ValueError("Leading dimensions of input arrays must match");
  const bVec = y.ndim === 1;
  if (bVec) y = expandDims(y, -1);
  if (x.ndim !== 2)
    throw new TypeError(`${x.ndim}-dimensional array given. Array must be two-dimensional`);
  if (y.ndim !== 2)
    throw new TypeError(`${y.ndim}-dimensional array given. Array must be one or two-dimensional`);
  const [m, n] = x.shape as [number, number];
  let sol: Array;
  let rank: Array;
  let s: Array;
  if (x.size === 0) {
    s = lax.full([0], 0, x.dtype);
    rank = lax.full([], 0, lax.int32);
    sol = lax.full([n, ...y.shape.slice(1)], 0, x.dtype);
  } else {
    const rc = rcond === null ? epsOf(x) * Math.max(n, m) : rcond < 0 ? epsOf(x) : rcond;
    const { U: u, S: sv, Vh: vt } = svd(x, { fullMatrices: false }) as SVDResult;
    s = sv;
    const mask = s.gt(0).and(s.ge(s.get(0).mul(rc)));
    rank = sum(mask).astype("int32");
    const safe = where(mask, s, 1);
    const sInv = expandDims(where(mask, lax.div(lax.fullLike(safe, 1), safe), 0), -1);
    sol = matmul(L.matrixT(vt), sInv.mul(matmul(L.matrixT(u), y)));
  }
  let resid: Array;
  if (opts.numpyResid)
    throw new NotImplementedError(
      "lstsq numpy_resid=True (data-dependent residual shape) is not supported",
    );
  else {
    const r = y.sub(matmul(x, sol));
    resid = sum(r.mul(r), 0);
  }
  if (bVec) sol = sol.reshape([sol.size]);
  return [sol, resid, rank, s];
}

/** `jnp.linalg.matrix_rank(M, rtol=None, hermitian=False, tol=None)` (int32). */
export function matrixRank(
  M: ArrayLike,
  opts: { rtol?: ArrayLike | null; hermitian?: boolean; tol?: ArrayLike | null } = {},
): Array {
  let rtol = opts.rtol ?? null;
  if (opts.tol !== undefined && opts.tol !== null) {
    if (rtol !== null)
      throw new ValueError("matrix_rank: only one of tol or rtol may be specified.");
    rtol = opts.tol;
  }
  const [x] = promoteArgsInexact(M) as [Array];
  if (x.ndim < 2) return any(x.ne(0)).astype("int32");
  const s = svd(x, {
    fullMatrices: false,
    computeUv: false,
    hermitian: opts.hermitian ?? false,
  }) as Array;
  const tol =
    rtol === null ? amax(s, -1).mul(Math.max(...x.shape.slice(-2)) * epsOf(s)) : asarray(rtol);
  return sum(s.gt(expandDims(tol, tol.ndim)), -1);
}

/** jnp.linalg.eig's EigResult(eigenvalues, eigenvectors). */
export class EigResult extends Named {
  constructor(
    readonly eigenvalues: Array,
    readonly eigenvectors: Array,
  ) {
    super([eigenvalues, eigenvectors]);
  }
}

/**
 * `jnp.linalg.eig(a)` → EigResult(w, v): eigenvalues and right eigenvectors (columns, unit
 * 2-norm, largest component real), complex, through `lax.linalg.eig` without left vectors.
 */
export function eig(a: ArrayLike): EigResult {
  const [x] = promoteArgsInexact(asarray(a)) as [Array];
  const [w, v] = L.eig(x, { computeLeftEigenvectors: false });
  return new EigResult(w!, v!);
}

/** `jnp.linalg.eigvals(a)`: the eigenvalues (complex), `lax.linalg.eig` without vectors. */
export function eigvals(a: ArrayLike): Array {
  const [x] = promoteArgsInexact(asarray(a)) as [Array];
  return L.eig(x, { computeLeftEigenvectors: false, computeRightEigenvectors: false })[0]!;
}
