/**
 * jnp.linalg.det and slogdet, as JAX computes them: closed forms for 2×2 and 3×3 (det) and
 * 1×1 / 2×2 (slogdet), LU otherwise, with JAX's custom JVPs (d log|det A| = tr(A⁻¹ Ȧ); the
 * sign's tangent is zero). det's JVP for n > 3 is det(A)·tr(A⁻¹ Ȧ) (JAX's cofactor solve,
 * which also covers singular matrices, is not reproduced: at a singular A it gives NaN).
 * method="qr" is JAX's: geqrf's R diagonal and reflector count.
 */
import { int32 } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import * as lax from "../../primitives/index.js";
import * as L from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import { bind1 } from "../../trace/trace.js";
import { customJvp } from "../../transforms/custom-derivatives.js";
import { promoteArgsInexact } from "../coerce.js";
import { diagonal, trace } from "../diagonal.js";
import { solve } from "./solve.js";

/** jnp.linalg.slogdet's result: JAX's SlogdetResult(sign, logabsdet), iterable as a pair. */
export class SlogdetResult {
  constructor(
    readonly sign: Array,
    readonly logabsdet: Array,
  ) {}
  *[Symbol.iterator](): Iterator<Array> {
    yield this.sign;
    yield this.logabsdet;
  }
}

/** Element (i, j) of every trailing matrix. */
function at(a: Array, i: number, j: number): Array {
  const nd = a.ndim;
  const start = a.shape.map((_, k) => (k === nd - 2 ? i : k === nd - 1 ? j : 0));
  const limit = a.shape.map((d, k) => (k === nd - 2 ? i + 1 : k === nd - 1 ? j + 1 : d));
  return lax.reshape(lax.slice(a, start, limit), a.shape.slice(0, -2));
}

function det2(a: Array): Array {
  return lax.sub(lax.mul(at(a, 0, 0), at(a, 1, 1)), lax.mul(at(a, 0, 1), at(a, 1, 0)));
}

function det3(a: Array): Array {
  const e = (i: number, j: number): Array => at(a, i, j);
  const m3 = (x: Array, y: Array, z: Array): Array => lax.mul(lax.mul(x, y), z);
  let s = m3(e(0, 0), e(1, 1), e(2, 2));
  s = lax.add(s, m3(e(0, 1), e(1, 2), e(2, 0)));
  s = lax.add(s, m3(e(0, 2), e(1, 0), e(2, 1)));
  s = lax.sub(s, m3(e(0, 2), e(1, 1), e(2, 0)));
  s = lax.sub(s, m3(e(0, 0), e(1, 2), e(2, 1)));
  return lax.sub(s, m3(e(0, 1), e(1, 0), e(2, 2)));
}

/** sign and log|det| from an LU factorization (zero pivot: sign 0, log −inf). */
function slogdetLuImpl(a: Array): [Array, Array] {
  const [lu, pivots] = L.lu(a);
  const d = diagonal(lu, 0, -2, -1);
  const isZero = bind1(lax.reduceOrP, [lax.eq(d, lax.scalarLike(d, 0))], { axes: [d.ndim - 1] });
  const iota = lax.iota(int32, pivots.shape, pivots.ndim - 1);
  const count = (b: Array): Array => lax.reduceSum(lax.convertElementType(b, int32), [b.ndim - 1]);
  const parity = lax.add(count(lax.ne(pivots, iota)), count(lax.lt(d, lax.scalarLike(d, 0))));
  const odd = lax.eq(
    lax.rem(parity, lax.scalarConstantOf(2, int32)),
    lax.scalarConstantOf(1, int32),
  );
  const one = lax.fullLike(isZero, 1, a.dtype);
  const sign = lax.selectN(
    isZero,
    lax.selectN(odd, one, lax.neg(one)),
    lax.fullLike(isZero, 0, a.dtype),
  );
  const logdet = lax.selectN(
    isZero,
    lax.reduceSum(lax.log(lax.abs(d)), [d.ndim - 1]),
    lax.fullLike(isZero, -Infinity, a.dtype),
  );
  return [sign, logdet];
}

const slogdetLu = customJvp(slogdetLuImpl);
slogdetLu.defjvp(([x]: Array[], [g]: Array[]) => {
  const [sign, ans] = slogdetLuImpl(x!);
  const ansDot = trace(solve(x!, g!), 0, -1, -2);
  return [
    [sign, ans],
    [lax.fullLike(sign, 0), ansDot],
  ];
});

const slogdetSmall = customJvp((a: Array): [Array, Array] => {
  const det = a.shape[a.ndim - 1] === 1 ? at(a, 0, 0) : det2(a);
  return [lax.sign(det), lax.log(lax.abs(det))];
});
slogdetSmall.defjvp(([x]: Array[], [g]: Array[]) => {
  const a = x!;
  const t = g!;
  const det = a.shape[a.ndim - 1] === 1 ? at(a, 0, 0) : det2(a);
  const ansDot =
    a.shape[a.ndim - 1] === 1
      ? lax.div(at(t, 0, 0), det)
      : lax.div(
          lax.add(
            lax.sub(
              lax.sub(lax.mul(at(t, 0, 0), at(a, 1, 1)), lax.mul(at(t, 0, 1), at(a, 1, 0))),
              lax.mul(at(t, 1, 0), at(a, 0, 1)),
            ),
            lax.mul(at(t, 1, 1), at(a, 0, 0)),
          ),
          det,
        );
  const sign = lax.sign(det);
  return [
    [sign, lax.log(lax.abs(det))],
    [lax.fullLike(sign, 0), ansDot],
  ];
});

/**
 * slogdet by QR (JAX's method='qr'): log|det| = Σ log|R_ii| from geqrf, the sign from R's
 * diagonal and one −1 per Householder reflector actually applied (τ ≠ 0; the last one of an
 * n×n matrix is always the identity).
 */
function slogdetQrImpl(a: Array): [Array, Array] {
  const n = a.shape[a.ndim - 1]!;
  const [r, taus] = L.geqrf(a);
  const d = diagonal(r, 0, -2, -1);
  const last = d.ndim - 1;
  const logabsdet = lax.reduceSum(lax.log(lax.abs(d)), [last]);
  const prod = (x: Array): Array => bind1(lax.reduceProdP, [x], { axes: [x.ndim - 1] });
  const signDiag = prod(lax.sign(d));
  const head = lax.slice(
    taus,
    taus.shape.map(() => 0),
    [...taus.shape.slice(0, -1), Math.max(n - 1, 0)],
  );
  const flips = lax.selectN(
    lax.ne(head, lax.scalarLike(head, 0)),
    lax.fullLike(head, 1),
    lax.fullLike(head, -1),
  );
  return [lax.mul(signDiag, prod(flips)), logabsdet];
}
const slogdetQr = customJvp(slogdetQrImpl);
slogdetQr.defjvp(([x]: Array[], [g]: Array[]) => {
  const [sign, ans] = slogdetQrImpl(x!);
  return [
    [sign, ans],
    [lax.fullLike(sign, 0), trace(solve(x!, g!), 0, -1, -2)],
  ];
});

/** `jnp.linalg.slogdet(a, method=None)` → SlogdetResult(sign, logabsdet). */
export function slogdet(a: ArrayLike, opts: { method?: "lu" | "qr" | null } = {}): SlogdetResult {
  const [x] = promoteArgsInexact(a) as [Array];
  if (x.ndim < 2 || x.shape[x.ndim - 1] !== x.shape[x.ndim - 2])
    throw new ValueError(
      `Argument to slogdet() must have shape [..., n, n], got ${shapeStr(x.shape)}`,
    );
  const method = opts.method ?? "lu";
  if (method === "qr") {
    const [sign, logabsdet] = slogdetQr(x) as [Array, Array];
    return new SlogdetResult(sign, logabsdet);
  }
  if (method !== "lu")
    throw new ValueError(
      `Unknown slogdet method '${String(method)}'. Supported methods are 'lu' (\`None\`), and 'qr'.`,
    );
  const n = x.shape[x.ndim - 1]!;
  const [sign, logabsdet] = (n === 1 || n === 2 ? slogdetSmall(x) : slogdetLu(x)) as [Array, Array];
  return new SlogdetResult(sign, logabsdet);
}

const detLu = customJvp((a: Array): Array => {
  const [sign, logdet] = slogdetLuImpl(a);
  return lax.mul(sign, lax.exp(logdet));
});
detLu.defjvp(([x]: Array[], [g]: Array[]) => {
  const [sign, logdet] = slogdetLuImpl(x!);
  const y = lax.mul(sign, lax.exp(logdet));
  return [y, lax.mul(y, trace(solve(x!, g!), 0, -1, -2))];
});

/** `jnp.linalg.det(a)`. */
export function det(a: ArrayLike): Array {
  const [x] = promoteArgsInexact(a) as [Array];
  const s = x.shape;
  const n = s[s.length - 1];
  if (s.length >= 2 && n === s[s.length - 2]) {
    if (n === 2) return det2(x);
    if (n === 3) return det3(x);
    return detLu(x) as Array;
  }
  throw new ValueError(`Argument to _det() must have shape [..., n, n], got ${shapeStr(s)}`);
}
