/**
 * A direct-loop float64 reference for conv_general_dilated, written from XLA's Conv semantics
 * (dilate lhs, pad, slide the dilated window with strides; feature groups split lhs features
 * and rhs outputs; batch groups split lhs batch and rhs outputs), and random cases for the
 * property tests.
 */
export interface ConvCase {
  lhsShape: number[];
  rhsShape: number[];
  strides: number[];
  padding: [number, number][];
  lhsDilation: number[];
  rhsDilation: number[];
  dn: [string, string, string];
  featureGroupCount: number;
  batchGroupCount: number;
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const stridesOf = (s: readonly number[]) => s.map((_, i) => prod(s.slice(i + 1)));

/** Canonical (batch, feature, spatial…) positions of each layout string's dims. */
function perm(spec: string, a: string, b: string, rhsSpec: string): number[] {
  const spatial = [...spec]
    .map((c, i) => [c, i] as const)
    .filter(([c]) => c !== a && c !== b)
    .sort((p, q) => rhsSpec.indexOf(p[0]) - rhsSpec.indexOf(q[0]))
    .map(([, i]) => i);
  return [spec.indexOf(a), spec.indexOf(b), ...spatial];
}

/** The output shape and values (row-major, float64). */
export function referenceConv(
  c: ConvCase,
  lhs: readonly number[],
  rhs: readonly number[],
): { shape: number[]; data: Float64Array } {
  const [ls, rs, os] = c.dn;
  const lp = perm(ls, "N", "C", rs);
  const rp = perm(rs, "O", "I", rs);
  const op = perm(os, "N", "C", rs);
  const nsp = c.lhsShape.length - 2;
  const L = lp.map((d) => c.lhsShape[d]!);
  const K = rp.map((d) => c.rhsShape[d]!);
  const lst = stridesOf(c.lhsShape);
  const rst = stridesOf(c.rhsShape);
  const G = c.featureGroupCount;
  const B = c.batchGroupCount;
  const N = L[0]! / B;
  const O = K[0]!;
  const cin = K[1]!;
  const outSp = Array.from({ length: nsp }, (_, s) => {
    const dl = L[2 + s]! === 0 ? 0 : (L[2 + s]! - 1) * c.lhsDilation[s]! + 1;
    const dk = K[2 + s]! === 0 ? 0 : (K[2 + s]! - 1) * c.rhsDilation[s]! + 1;
    const padded = dl + c.padding[s]![0] + c.padding[s]![1];
    return Math.max(0, Math.floor((padded - dk) / c.strides[s]!) + 1);
  });
  const canon = [N, O, ...outSp];
  const shape = new Array<number>(canon.length);
  op.forEach((d, i) => (shape[d] = canon[i]!));
  const ost = stridesOf(shape);
  const data = new Float64Array(prod(shape));
  const win = K.slice(2);
  const nWin = prod(win);
  const outPos = new Array<number>(nsp).fill(0);
  for (let flat = 0; flat < prod(outSp); flat++) {
    let r = flat;
    for (let s = nsp - 1; s >= 0; s--) {
      outPos[s] = r % outSp[s]!;
      r = Math.floor(r / outSp[s]!);
    }
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        const gf = G > 1 ? Math.floor(o / (O / G)) : 0;
        const gb = B > 1 ? Math.floor(o / (O / B)) : 0;
        let acc = 0;
        for (let i = 0; i < cin; i++) {
          for (let wf = 0; wf < nWin; wf++) {
            let wr = wf;
            let lOff = (gb * N + n) * lst[lp[0]!]! + (gf * cin + i) * lst[lp[1]!]!;
            let rOff = o * rst[rp[0]!]! + i * rst[rp[1]!]!;
            let ok = true;
            for (let s = nsp - 1; s >= 0; s--) {
              const w = wr % win[s]!;
              wr = Math.floor(wr / win[s]!);
              const pos = outPos[s]! * c.strides[s]! + w * c.rhsDilation[s]! - c.padding[s]![0];
              const ld = c.lhsDilation[s]!;
              if (pos < 0 || pos % ld !== 0 || pos / ld >= L[2 + s]!) ok = false;
              lOff += (pos / ld) * lst[lp[2 + s]!]!;
              rOff += w * rst[rp[2 + s]!]!;
            }
            if (ok) acc += lhs[lOff]! * rhs[rOff]!;
          }
        }
        let outOff = n * ost[op[0]!]! + o * ost[op[1]!]!;
        for (let s = 0; s < nsp; s++) outOff += outPos[s]! * ost[op[2 + s]!]!;
        data[outOff] = acc;
      }
    }
  }
  return { shape, data };
}

/** A random layout string: N/C (or O/I) and spatial letters in a random order. */
function layout(r: () => number, a: string, b: string, spatial: string): string {
  const chars = [a, b, ...spatial];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

/** A random valid case: 1–3 spatial dims, strides, dilations, padding, groups, layouts. */
export function randomCase(r: () => number): ConvCase {
  const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const nsp = pick(1, 3);
  const spatial = "HWD".slice(0, nsp);
  const mode = r();
  const G = mode < 0.25 ? pick(2, 3) : 1;
  const B = mode > 0.8 ? pick(2, 3) : 1;
  const cin = pick(1, 3);
  const O = pick(1, 2) * G * B;
  const N = pick(1, 2) * B;
  const maxSize = nsp === 3 ? 4 : nsp === 2 ? 6 : 9;
  const win = Array.from({ length: nsp }, () => pick(1, 3));
  const rhsDilation = Array.from({ length: nsp }, () => (r() < 0.3 ? 2 : 1));
  const lhsDilation = Array.from({ length: nsp }, () => (r() < 0.25 ? pick(2, 3) : 1));
  const strides = Array.from({ length: nsp }, () => (r() < 0.35 ? pick(2, 3) : 1));
  const sizes = Array.from({ length: nsp }, (_, s) =>
    Math.max(pick(1, maxSize), (win[s]! - 1) * rhsDilation[s]! + 1),
  );
  // Negative padding (cropping) only where the input is at least 3 long.
  const padding = sizes.map((n) => [pick(n >= 3 ? -1 : 0, 2), pick(n >= 3 ? -1 : 0, 2)]) as [
    number,
    number,
  ][];
  const dn: [string, string, string] = [
    layout(r, "N", "C", spatial),
    layout(r, "O", "I", spatial),
    layout(r, "N", "C", spatial),
  ];
  const canonL = [N, cin * G, ...sizes];
  const canonR = [O, cin, ...win];
  const place = (spec: string, a: string, b: string, canon: number[]) =>
    [...spec].map((ch) =>
      ch === a ? canon[0]! : ch === b ? canon[1]! : canon[2 + spatial.indexOf(ch)]!,
    );
  return {
    lhsShape: place(dn[0], "N", "C", canonL),
    rhsShape: place(dn[1], "O", "I", canonR),
    strides,
    padding,
    lhsDilation,
    rhsDilation,
    dn,
    featureGroupCount: G,
    batchGroupCount: B,
  };
}
