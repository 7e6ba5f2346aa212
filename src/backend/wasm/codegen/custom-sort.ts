/**
 * The sort custom kernel compiled to WebAssembly when its keys are float32/int32/uint32 (other
 * operands of any 1/2/4/8-byte dtype ride along): a stable LSD radix sort of (key, position)
 * pairs, keys last to first, so ties in every key keep their original order — the JS kernel's
 * stable comparator (`return i - j`). Each key is mapped to an unsigned integer with the same
 * order as the JS comparator: float32 -0.0 is +0.0, every NaN maps to 0xFFFFFFFF (after +inf,
 * NaNs equal), negative floats flip all bits and the rest flip the sign bit; int32 flips the
 * sign bit; uint32 is itself.
 *
 * The parallel range is over rows (every index but the sorted dimension): one call sorts its
 * rows one after another in its scratch — keys and permutation twice (ping-pong) and three
 * 2048-bucket histograms, counted while the keys are loaded. Passes of 11, 11 and 10 bits;
 * a pass whose digit is the same for every key is skipped. Rows of ≤ 32 use insertion sort.
 * Finally every operand is gathered through the permutation (keys from their input: the
 * original bits, -0.0 and NaN payloads kept).
 */
import type { DType } from "../../../core/dtype.js";
import type { CustomKernel } from "../../../kernel/kernel.js";
import {
  BEGIN,
  type CustomPlan,
  END,
  copyElement,
  forUp,
  i32Locals,
  loadBufferAddress,
} from "./custom-emit.js";
import type { FunctionBuilder } from "./function-builder.js";

interface SortParams {
  readonly dimension: number;
  readonly numKeys: number;
  readonly shape: readonly number[];
  readonly dtypes: readonly string[];
}

const KEY_DTYPES: ReadonlySet<string> = new Set(["float32", "int32", "uint32"]);
/** Rows up to this length are insertion-sorted (no histograms to clear). */
const SMALL = 32;
const BUCKETS = 2048;
const HIST_BYTES = 3 * BUCKETS * 4;

const keyCount = (p: SortParams, operands: number) => Math.max(1, Math.min(p.numKeys, operands));

/** Why the sort kernel stays on the JS path (undefined: it compiles). */
export function sortReason(k: CustomKernel, dt: (id: number) => DType): string | undefined {
  const p = k.params as unknown as SortParams;
  const nk = keyCount(p, k.inputs.length);
  for (let q = 0; q < nk; q++) {
    const d = dt(k.inputs[q]!).name;
    if (!KEY_DTYPES.has(d)) return `sort by ${d} keys`;
  }
  for (const id of [...k.inputs, ...k.outputs]) {
    if (![1, 2, 4, 8].includes(dt(id).itemsize)) return `sort operand of ${dt(id).name}`;
  }
  return undefined;
}

export function compileSort(
  f: FunctionBuilder,
  k: CustomKernel,
  scratchIndex: number,
  dt: (id: number) => DType,
): CustomPlan {
  const p = k.params as unknown as SortParams;
  const { shape, dimension } = p;
  const prod = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);
  const n = shape[dimension]!;
  const inner = prod(shape.slice(dimension + 1));
  const rows = prod(shape.slice(0, dimension)) * inner;
  const nk = keyCount(p, k.inputs.length);
  const strategy = n <= SMALL ? "insertion sort" : "LSD radix sort (11+11+10 bits)";
  const summary = `sort ${k.inputs.length} operand(s) by ${nk} key(s) along dim ${dimension} of (${shape.join(", ")}): ${strategy} per row`;
  if (n === 0 || rows === 0) return { trip: 0, workPerIter: 0, scratchBytes: 0, summary };
  const scratchBytes = Math.ceil((16 * n + (n > SMALL ? HIST_BYTES : 0)) / 16) * 16;
  new SortEmitter(f, k, p, dt, { n, inner, nk, scratchIndex }).emit();
  return {
    trip: rows,
    workPerIter: n * (n > SMALL ? 12 : Math.max(4, n)),
    scratchBytes,
    summary: `${summary}; scratch ${scratchBytes} B`,
  };
}

interface SortGeometry {
  readonly n: number;
  readonly inner: number;
  readonly nk: number;
  readonly scratchIndex: number;
}

const LOCALS = [
  "S",
  "H",
  "K",
  "K2",
  "P",
  "P2",
  "r",
  "base",
  "i",
  "j",
  "key",
  "pos",
  "t",
  "c",
] as const;
type SortLocals = Record<(typeof LOCALS)[number], number>;

class SortEmitter {
  /** The emitter's i32 locals by name. */
  private readonly v: SortLocals;

  constructor(
    private readonly f: FunctionBuilder,
    private readonly k: CustomKernel,
    private readonly p: SortParams,
    private readonly dt: (id: number) => DType,
    private readonly g: SortGeometry,
  ) {
    const locals = i32Locals(f, LOCALS.length);
    this.v = Object.fromEntries(LOCALS.map((nm, i) => [nm, locals[i]!])) as SortLocals;
  }

  /** Push the address of element `idx` (pushed by `pushIdx`) of the row in a buffer at local `a`. */
  private element(a: number, size: number, pushIdx: () => void): void {
    const { f, g } = this;
    f.localGet(this.v.base);
    pushIdx();
    if (g.inner > 1) f.i32Const(g.inner).op("i32.mul");
    f.op("i32.add");
    if (size > 1) f.i32Const(Math.log2(size)).op("i32.shl");
    f.localGet(a).op("i32.add");
  }

  /** Push the address of word `idx` (local) of the scratch array at local `arr`. */
  private word(arr: number, idx: number): void {
    this.f.localGet(arr).localGet(idx).i32Const(2).op("i32.shl").op("i32.add");
  }

  /** The key's order-preserving unsigned image of the bits in local `key`, left in `key`. */
  private transform(dtype: string): void {
    const { f } = this;
    const key = this.v.key;
    const t = this.v.t;
    if (dtype === "int32")
      f.localGet(key)
        .i32Const(0x80000000 | 0)
        .op("i32.xor")
        .localSet(key);
    if (dtype !== "float32") return;
    // -0.0 → +0.0
    f.i32Const(0)
      .localGet(key)
      .localGet(key)
      .i32Const(0x80000000 | 0)
      .op("i32.eq");
    f.op("select").localSet(key);
    // key ^ ((key >> 31) | 0x80000000), NaN → 0xFFFFFFFF
    f.localGet(key)
      .localGet(key)
      .i32Const(31)
      .op("i32.shr_s")
      .i32Const(0x80000000 | 0);
    f.op("i32.or").op("i32.xor").localSet(t);
    f.i32Const(-1).localGet(t).localGet(key).i32Const(0x7fffffff).op("i32.and");
    f.i32Const(0x7f800000).op("i32.gt_s").op("select").localSet(key);
  }

  emit(): void {
    const { f, k, g } = this;
    const { S, H, K, K2, P, P2, r, base } = this.v;
    const n = g.n;
    const addrs = [...k.inputs, ...k.outputs].map((id) => {
      const a = f.addLocal("i32");
      loadBufferAddress(f, id, a);
      return a;
    });
    loadBufferAddress(f, g.scratchIndex, S);
    f.localGet(S)
      .i32Const(16 * n)
      .op("i32.add")
      .localSet(H);
    forUp(
      f,
      r,
      () => f.localGet(BEGIN),
      () => f.localGet(END),
      () => {
        f.localGet(r)
          .i32Const(g.inner)
          .op("i32.div_u")
          .i32Const(n * g.inner)
          .op("i32.mul");
        f.localGet(r).i32Const(g.inner).op("i32.rem_u").op("i32.add").localSet(base);
        f.localGet(S).localSet(K);
        f.localGet(S)
          .i32Const(4 * n)
          .op("i32.add")
          .localSet(K2);
        f.localGet(S)
          .i32Const(8 * n)
          .op("i32.add")
          .localSet(P);
        f.localGet(S)
          .i32Const(12 * n)
          .op("i32.add")
          .localSet(P2);
        for (let q = g.nk - 1; q >= 0; q--) {
          this.loadKeys(q, addrs[q]!, q === g.nk - 1);
          if (n <= SMALL) this.insertionSort();
          else for (let pass = 0; pass < 3; pass++) this.radixPass(pass);
        }
        const nops = k.inputs.length;
        for (let q = 0; q < nops; q++) this.gather(addrs[q]!, addrs[nops + q]!, this.size(q));
      },
    );
  }

  private size(q: number): number {
    return this.dt(this.k.inputs[q]!).itemsize;
  }

  /** K[i] = image of key q at P[i] (or i for the first key, which also sets P[i] = i). */
  private loadKeys(q: number, A: number, first: boolean): void {
    const { f, g } = this;
    const { K, P, H, i, key } = this.v;
    const dtype = this.dt(this.k.inputs[q]!).name;
    if (g.n > SMALL) {
      f.localGet(H).i32Const(0).i32Const(HIST_BYTES).op("memory.fill");
    }
    forUp(
      f,
      i,
      () => f.i32Const(0),
      () => f.i32Const(g.n),
      () => {
        if (first) {
          this.word(P, i);
          f.localGet(i).mem("i32.store");
          this.element(A, 4, () => f.localGet(i));
        } else {
          this.element(A, 4, () => {
            this.word(P, i);
            f.mem("i32.load");
          });
        }
        f.mem("i32.load").localSet(key);
        this.transform(dtype);
        this.word(K, i);
        f.localGet(key).mem("i32.store");
        if (g.n > SMALL) {
          for (let pass = 0; pass < 3; pass++) {
            // H[pass][digit]++
            f.localGet(key);
            if (pass > 0) f.i32Const(11 * pass).op("i32.shr_u");
            if (pass < 2) f.i32Const(BUCKETS - 1).op("i32.and");
            f.i32Const(2).op("i32.shl").localGet(H).op("i32.add").localTee(this.v.t);
            f.localGet(this.v.t).mem("i32.load", { offset: pass * BUCKETS * 4 });
            f.i32Const(1)
              .op("i32.add")
              .mem("i32.store", { offset: pass * BUCKETS * 4 });
          }
        }
      },
    );
  }

  /** Push the digit of pass `pass` of the key in local `key`. */
  private digit(pass: number): void {
    const f = this.f;
    f.localGet(this.v.key);
    if (pass > 0) f.i32Const(11 * pass).op("i32.shr_u");
    if (pass < 2) f.i32Const(BUCKETS - 1).op("i32.and");
  }

  /** One stable counting pass by digit `pass` from (K, P) into (K2, P2), then swap. */
  private radixPass(pass: number): void {
    const { f, g } = this;
    const { K, K2, P, P2, H, i, key, pos, t, c } = this.v;
    const hp = f.addLocal("i32");
    f.localGet(H)
      .i32Const(pass * BUCKETS * 4)
      .op("i32.add")
      .localSet(hp);
    // Skip the pass when one bucket holds every key.
    f.localGet(K).mem("i32.load").localSet(key);
    this.digit(pass);
    f.i32Const(2).op("i32.shl").localGet(hp).op("i32.add").mem("i32.load");
    f.i32Const(g.n).op("i32.ne");
    f.if();
    // Exclusive prefix sums.
    f.i32Const(0).localSet(t);
    forUp(
      f,
      i,
      () => f.i32Const(0),
      () => f.i32Const(BUCKETS),
      () => {
        this.word(hp, i);
        f.mem("i32.load").localSet(c);
        this.word(hp, i);
        f.localGet(t).mem("i32.store");
        f.localGet(t).localGet(c).op("i32.add").localSet(t);
      },
    );
    forUp(
      f,
      i,
      () => f.i32Const(0),
      () => f.i32Const(g.n),
      () => {
        this.word(K, i);
        f.mem("i32.load").localSet(key);
        this.digit(pass);
        f.i32Const(2).op("i32.shl").localGet(hp).op("i32.add").localTee(c);
        f.mem("i32.load").localSet(pos);
        f.localGet(c).localGet(pos).i32Const(1).op("i32.add").mem("i32.store");
        this.word(K2, pos);
        f.localGet(key).mem("i32.store");
        this.word(P2, pos);
        this.word(P, i);
        f.mem("i32.load").mem("i32.store");
      },
    );
    for (const [a, b] of [
      [K, K2],
      [P, P2],
    ] as const) {
      f.localGet(a).localGet(b).localSet(a).localSet(b);
    }
    f.end();
  }

  /** Stable insertion sort of (K, P) by K (unsigned). */
  private insertionSort(): void {
    const { f, g } = this;
    const { K, P, i, j, key, pos, t } = this.v;
    forUp(
      f,
      i,
      () => f.i32Const(1),
      () => f.i32Const(g.n),
      () => {
        this.word(K, i);
        f.mem("i32.load").localSet(key);
        this.word(P, i);
        f.mem("i32.load").localSet(pos);
        f.localGet(i).localSet(j);
        const done = f.block();
        const top = f.loop();
        f.localGet(j).op("i32.eqz").br_if(done);
        // t = K[j-1]; stop unless t > key
        f.localGet(K).localGet(j).i32Const(2).op("i32.shl").op("i32.add").localSet(t);
        f.localGet(t).i32Const(4).op("i32.sub").mem("i32.load").localGet(key).op("i32.gt_u");
        f.op("i32.eqz").br_if(done);
        // K[j] = K[j-1]; P[j] = P[j-1]; j--
        f.localGet(t).localGet(t).i32Const(4).op("i32.sub").mem("i32.load").mem("i32.store");
        f.localGet(P).localGet(j).i32Const(2).op("i32.shl").op("i32.add").localTee(t);
        f.localGet(t).i32Const(4).op("i32.sub").mem("i32.load").mem("i32.store");
        f.localGet(j).i32Const(1).op("i32.sub").localSet(j);
        f.br(top);
        f.end();
        f.end();
        this.word(K, j);
        f.localGet(key).mem("i32.store");
        this.word(P, j);
        f.localGet(pos).mem("i32.store");
      },
    );
  }

  /** out[row i] = in[row P[i]] for one operand of `size`-byte elements. */
  private gather(src: number, dst: number, size: number): void {
    const { f, g } = this;
    const { P, i } = this.v;
    forUp(
      f,
      i,
      () => f.i32Const(0),
      () => f.i32Const(g.n),
      () =>
        copyElement(
          f,
          size,
          () => this.element(dst, size, () => f.localGet(i)),
          () =>
            this.element(src, size, () => {
              this.word(P, i);
              f.mem("i32.load");
            }),
        ),
    );
  }
}
