/**
 * `jax.scipy.linalg.expm`: the matrix exponential by scaling and squaring with Padé
 * approximants (Higham 2005), staged as JAX stages it: the 1-norm picks the number of
 * squarings s = max(0, ⌊log₂(‖A‖₁/θ_max)⌋) and, by `lax.switch`, the Padé degree (3/5/7/9/13
 * for float64, 3/5/7 for float32); R = q(A)⁻¹·p(A) by a solve (a triangular one when
 * `upperTriangular`), then squared s times in a `lax.scan` of `lax.cond`s. More than
 * `maxSquarings` squarings give NaN. Batches map over leading dims with vmap.
 */
import { ValueError } from "../../core/errors.js";
import { cond, scan, switch_ } from "../../lax/control-flow.js";
import { asarray, promoteArgsInexact } from "../../numpy/coerce.js";
import { arange, eye, fullLike } from "../../numpy/creation.js";
import { matmul } from "../../numpy/products.js";
import { norm } from "../../numpy/linalg/norms.js";
import { solve } from "../../numpy/linalg/solve.js";
import { sum } from "../../numpy/reductions.js";
import { floor, log2, maximum, power } from "../../numpy/ufuncs.js";
import * as L from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import { vmap } from "../../transforms/vmap.js";

/** Padé numerator/denominator coefficients b₀…b_m for degrees 3, 5, 7, 9, 13. */
const PADE: Record<number, number[]> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
    10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
};

/** U (odd part times A) and V (even part) of the degree-m Padé approximant. */
function padeUV(a: Array, m: number): [Array, Array] {
  const b = PADE[m]!;
  const ident = eye(a.shape[0]!, null, 0, a.dtype);
  const a2 = matmul(a, a);
  const powers = [ident, a2];
  if (m >= 5) powers.push(matmul(a2, a2));
  if (m >= 7) powers.push(matmul(powers[2]!, a2));
  if (m === 9) powers.push(matmul(powers[3]!, a2));
  const comb = (start: number, upto: number): Array => {
    let acc = powers[0]!.mul(b[start]!);
    for (let k = 1; 2 * k + start <= upto; k++) acc = powers[k]!.mul(b[2 * k + start]!).add(acc);
    return acc;
  };
  if (m !== 13) return [matmul(a, comb(1, m)), comb(0, m - 1)];
  const [, p2, p4, p6] = powers as [Array, Array, Array, Array];
  const uHigh = matmul(p6, p6.mul(b[13]!).add(p4.mul(b[11]!)).add(p2.mul(b[9]!)));
  const u = matmul(
    a,
    uHigh.add(p6.mul(b[7]!)).add(p4.mul(b[5]!)).add(p2.mul(b[3]!)).add(ident.mul(b[1]!)),
  );
  const vHigh = matmul(p6, p6.mul(b[12]!).add(p4.mul(b[10]!)).add(p2.mul(b[8]!)));
  const v = vHigh.add(p6.mul(b[6]!)).add(p4.mul(b[4]!)).add(p2.mul(b[2]!)).add(ident.mul(b[0]!));
  return [u, v];
}

function expm2d(a: Array, upperTriangular: boolean, maxSquarings: number): Array {
  const f64 = a.dtype.name === "float64";
  const l1 = norm(a, { ord: 1 });
  const maxnorm = f64 ? 5.371920351148152 : 3.92572478313866;
  const nSquarings = maximum(0, floor(log2(l1.div(maxnorm))));
  const scaled = a.div(power(2, nSquarings.astype(a.dtype)));
  const conds = f64
    ? [1.495585217958292e-2, 2.53939833006323e-1, 9.504178996162932e-1, 2.097847961257068]
    : [4.258730016922831e-1, 1.880152677804762];
  // numpy.digitize: how many thresholds lie at or below ‖A‖₁.
  const idx = sum(asarray(conds, l1.dtype).le(l1)).astype("int32");
  const degrees = f64 ? [3, 5, 7, 9, 13] : [3, 5, 7];
  const [u, v] = switch_(
    idx,
    degrees.map((m) => (x: Array) => padeUV(x, m)),
    scaled,
  ) as [Array, Array];
  const p = u.add(v);
  const q = v.sub(u);
  const compute = (pp: Array, qq: Array, ns: Array): Array => {
    const r = upperTriangular ? L.triangularSolve(qq, pp, { leftSide: true }) : solve(qq, pp);
    const steps = arange(0, maxSquarings, { dtype: ns.dtype });
    const [res] = scan(
      (c: Array, i: Array) =>
        [
          cond(
            i.lt(ns),
            (x: Array) => matmul(x, x),
            (x: Array) => x,
            c,
          ),
          null,
        ] as const,
      r,
      steps,
    );
    return res as Array;
  };
  return cond(
    nSquarings.gt(maxSquarings),
    (pp: Array, _qq: Array, _ns: Array) => fullLike(pp, NaN),
    (pp: Array, qq: Array, ns: Array) => compute(pp, qq, ns),
    p,
    q,
    nSquarings,
  ) as Array;
}

/** `jax.scipy.linalg.expm(A, upper_triangular=False, max_squarings=16)`. */
export function expm(
  A: ArrayLike,
  opts: { upperTriangular?: boolean; maxSquarings?: number } = {},
): Array {
  const [a] = promoteArgsInexact(A) as [Array];
  if (a.ndim < 2 || a.shape[a.ndim - 1] !== a.shape[a.ndim - 2])
    throw new ValueError(
      `Expected A to be a (batched) square matrix, got A.shape=(${a.shape.join(", ")}${a.ndim === 1 ? "," : ""}).`,
    );
  const upper = opts.upperTriangular ?? false;
  const maxSq = opts.maxSquarings ?? 16;
  let f = (x: Array): Array => expm2d(x, upper, maxSq);
  for (let k = 2; k < a.ndim; k++) f = vmap(f) as (x: Array) => Array;
  return f(a);
}
