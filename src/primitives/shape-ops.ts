/**
 * Structural primitives: broadcast_in_dim, reshape, squeeze, transpose, rev, slice, pad,
 * concatenate, iota. All are linear; their lowerings are index remappings (views of buffers
 * when possible), so they fuse into whatever consumes them.
 */
import { ShapedArray } from "../core/aval.js";
import { type DType, bool, int32 } from "../core/dtype.js";
import { shapeStr, sizeOf, stridesOf } from "../core/shape.js";
import { ValueError } from "../core/errors.js";
import { binary, cast, constant, select, type Expr } from "../kernel/expr.js";
import { flatIndex, ix, ixAdd, ixFloorDiv, ixMod, ixMul, unflatIndex } from "../kernel/index.js";
import { genLazy, mapLazy, remapLazy } from "../kernel/lazy.js";
import type { Array } from "../trace/array.js";
import {
  type Primitive,
  type Tangent,
  UndefinedPrimal,
  Zero,
  notBatchable,
  notLinear,
} from "../trace/primitive.js";
import { scalarConstant } from "../trace/constants.js";
import { primitiveByName } from "./define.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { batchAtFront, moveAxis } from "./batch-rules.js";
import { definePrimitive } from "./define.js";
import { broadcastOperand } from "./lowering-helpers.js";

const range = (n: number) => Array_from(n);
const Array_from = (n: number) => globalThis.Array.from({ length: n }, (_, i) => i);
const tup = shapeStr;

/** JVP of a linear primitive: the same primitive on the tangent. */
function linearJvp(prim: () => Primitive) {
  return (primals: Array[], tangents: Tangent[], params: any): [Array[], Tangent[]] => {
    const out = bind1(prim(), primals, params);
    const t = tangents[0]!;
    return [[out], [isZero(t) ? new Zero(out.aval) : bind1(prim(), [t], params)]];
  };
}

// ---------------------------------------------------------------- broadcast_in_dim

export const broadcastInDimP: Primitive<{ shape: number[]; broadcast_dimensions: number[] }> =
  definePrimitive<{ shape: number[]; broadcast_dimensions: number[] }>({
    name: "broadcast_in_dim",
    abstractEval([x], { shape, broadcast_dimensions: bd }) {
      const s = x!.shape;
      if (s.length !== bd.length) {
        throw new TypeError(
          `broadcast_in_dim broadcast_dimensions must have length equal to operand ndim; got ` +
            `broadcast_dimensions ${tup(bd)} for operand ndim ${s.length}.`,
        );
      }
      if (shape.length < s.length) {
        throw new TypeError(
          `broadcast_in_dim target broadcast shape must have equal or higher rank to the operand ` +
            `shape; got operand ndim ${s.length} and target broadcast ndim ${shape.length}.`,
        );
      }
      for (let i = 0; i < bd.length; i++) {
        const d = bd[i]!;
        if (d < 0 || d >= shape.length || (i > 0 && d <= bd[i - 1]!)) {
          throw new TypeError(
            `broadcast_in_dim broadcast_dimensions must be strictly increasing and in range; got ` +
              `broadcast_dimensions ${tup(bd)} for shape ${tup(shape)}.`,
          );
        }
        if (s[i] !== 1 && s[i] !== shape[d]) {
          throw new TypeError(
            `broadcast_in_dim operand dimension sizes must either be 1, or be equal to their ` +
              `corresponding dimensions in the target broadcast shape; got operand of shape ` +
              `${tup(s)}, target broadcast shape ${tup(shape)}, broadcast_dimensions ${tup(bd)}.`,
          );
        }
      }
      return [new ShapedArray(shape, x!.dtype, x!.weakType)];
    },
    lower(ctx, [x], { shape, broadcast_dimensions: bd }, [out]) {
      const s = x!.aval.shape;
      const kept = (i: number) => !(s[i] === 1 && shape[bd[i]!] !== 1);
      return [
        remapLazy(
          ctx,
          x!,
          out!,
          (coords) => bd.map((d, i) => (kept(i) ? coords[d]! : ix(0))),
          (v) => {
            const strides = shape.map(() => 0);
            bd.forEach((d, i) => {
              if (kept(i)) strides[d] = v.strides[i]!;
            });
            return { ...v, strides };
          },
        ),
      ];
    },
    jvp: linearJvp(() => broadcastInDimP),
    transpose([ct], [x], { shape, broadcast_dimensions: bd }) {
      if (isZero(ct)) return [ct];
      const operand = x as { aval: ShapedArray };
      const s = operand.aval.shape;
      const summed = range(shape.length).filter(
        (d) => !bd.includes(d) || (s[bd.indexOf(d)] === 1 && shape[d] !== 1),
      );
      let r = reduceSumRef()(ct as Array, summed);
      if (r.ndim !== s.length || r.shape.some((d, i) => d !== s[i])) r = reshape(r, s);
      return [r];
    },
    batch([x], [d], { shape, broadcast_dimensions: bd }, size) {
      const xf = batchAtFront(x!, d!);
      const bdim = xf.shape[0] === 1 && d === null ? 1 : size;
      return [
        [broadcastInDim(xf, [bdim === 1 ? 1 : size, ...shape], [0, ...bd.map((k) => k + 1)])],
        [0],
      ];
    },
  });

export function broadcastInDim(x: Array, shape: readonly number[], dims: readonly number[]): Array {
  return bind1(broadcastInDimP, [x], { shape: [...shape], broadcast_dimensions: [...dims] });
}

// late-bound to avoid an import cycle with reductions.ts
let reduceSumImpl: ((x: Array, axes: number[]) => Array) | undefined;
export function setReduceSum(f: (x: Array, axes: number[]) => Array): void {
  reduceSumImpl = f;
}
const reduceSumRef = () => reduceSumImpl!;

// ---------------------------------------------------------------- reshape

/**
 * reshape[new_sizes, dimensions]: as JAX's reshape_p, `dimensions` (a permutation, or null) is
 * a transpose applied before the row-major reshape (lax.reshape's `dimensions` argument).
 */
export type ReshapeParams = {
  new_sizes: number[];
  dimensions: number[] | null;
};

export const reshapeP: Primitive<ReshapeParams> = definePrimitive<ReshapeParams>({
  name: "reshape",
  abstractEval([x], { new_sizes, dimensions }) {
    if (new_sizes.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new TypeError(
        `reshape new_sizes must be non-negative integers, got ${tup(new_sizes)}.`,
      );
    }
    if (sizeOf(new_sizes) !== x!.size) {
      throw new TypeError(
        `reshape total size must be unchanged, got new_sizes ${tup(new_sizes)} (size ` +
          `${sizeOf(new_sizes)}) for shape ${tup(x!.shape)} (size ${x!.size}).`,
      );
    }
    if (dimensions !== null) {
      const sorted = [...dimensions].sort((a, b) => a - b);
      if (dimensions.length !== x!.ndim || sorted.some((v, i) => v !== i)) {
        throw new TypeError(
          `reshape dimensions must be a permutation of operand dimensions, got dimensions ` +
            `${tup(dimensions)} for shape ${tup(x!.shape)}.`,
        );
      }
    }
    return [x!.update({ shape: new_sizes })];
  },
  lower(ctx, [x], { new_sizes, dimensions }, [out]) {
    const old = x!.aval.shape;
    if (dimensions !== null) {
      // Row-major reshape of the transposed operand: coordinates of the transposed array are
      // the operand's, permuted.
      const permuted = dimensions.map((d) => old[d]!);
      return [
        remapLazy(
          ctx,
          x!,
          out!,
          (coords) => {
            const t = unflatIndex(flatIndex(coords, new_sizes), permuted);
            const xc = new globalThis.Array<(typeof t)[number]>(old.length);
            dimensions.forEach((d, k) => (xc[d] = t[k]!));
            return xc;
          },
          () => undefined,
        ),
      ];
    }
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) => unflatIndex(flatIndex(coords, new_sizes), old),
        (v) => {
          const contiguous = stridesOf(old).every((st, k) => old[k] === 1 || st === v.strides[k]);
          return contiguous ? { ...v, strides: stridesOf(new_sizes) } : undefined;
        },
      ),
    ];
  },
  jvp: linearJvp(() => reshapeP),
  transpose([ct], [x], { dimensions }) {
    if (isZero(ct)) return [ct];
    const shape = (x as { aval: ShapedArray }).aval.shape;
    if (dimensions === null) return [reshape(ct as Array, shape)];
    // JAX's _reshape_transpose_rule: back to the transposed shape, then undo the permutation.
    const inverse = dimensions.map((_, i) => dimensions.indexOf(i));
    return [
      transpose(
        reshape(
          ct as Array,
          dimensions.map((d) => shape[d]!),
        ),
        inverse,
      ),
    ];
  },
  batch([x], [d], { new_sizes, dimensions }) {
    const xf = moveAxis(x!, d!, 0);
    return [
      [
        bind1(reshapeP, [xf], {
          new_sizes: [xf.shape[0]!, ...new_sizes],
          dimensions: dimensions === null ? null : [0, ...dimensions.map((k) => k + 1)],
        }),
      ],
      [0],
    ];
  },
});

/**
 * reshape, staged as JAX's lax.reshape: nothing when the shape is unchanged and `dimensions`
 * is absent or the identity; an identity `dimensions` is staged as null.
 */
export function reshape(
  x: Array,
  shape: readonly number[],
  dimensions: readonly number[] | null = null,
): Array {
  const sameDims = dimensions === null || dimensions.every((p, i) => p === i);
  const sameShape = x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]);
  if (sameShape && sameDims) return x;
  return bind1(reshapeP, [x], {
    new_sizes: [...shape],
    dimensions: sameDims ? null : [...dimensions!],
  });
}

// ---------------------------------------------------------------- squeeze

export const squeezeP: Primitive<{ dimensions: number[] }> = definePrimitive<{
  dimensions: number[];
}>({
  name: "squeeze",
  abstractEval([x], { dimensions }) {
    for (const d of dimensions) {
      if (d < 0 || d >= x!.ndim || x!.shape[d] !== 1) {
        throw new ValueError(
          `cannot select an axis to squeeze out which has size not equal to one, got ` +
            `shape=${tup(x!.shape)} and dimensions=${tup(dimensions)}`,
        );
      }
    }
    return [x!.update({ shape: x!.shape.filter((_, i) => !dimensions.includes(i)) })];
  },
  lower(ctx, [x], { dimensions }, [out]) {
    const nd = x!.aval.ndim;
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) => {
          let j = 0;
          return range(nd).map((i) => (dimensions.includes(i) ? ix(0) : coords[j++]!));
        },
        (v) => ({ ...v, strides: v.strides.filter((_, i) => !dimensions.includes(i)) }),
      ),
    ];
  },
  jvp: linearJvp(() => squeezeP),
  transpose([ct], [x]) {
    return [isZero(ct) ? ct : reshape(ct as Array, (x as { aval: ShapedArray }).aval.shape)];
  },
  batch([x], [d], { dimensions }) {
    const xf = moveAxis(x!, d!, 0);
    return [[bind1(squeezeP, [xf], { dimensions: dimensions.map((k) => k + 1) })], [0]];
  },
});

// ---------------------------------------------------------------- transpose

export const transposeP: Primitive<{ permutation: number[] }> = definePrimitive<{
  permutation: number[];
}>({
  name: "transpose",
  abstractEval([x], { permutation: p }) {
    const sorted = [...p].sort((a, b) => a - b);
    if (p.length !== x!.ndim || sorted.some((v, i) => v !== i)) {
      throw new TypeError(
        `transpose permutation isn't a permutation of operand dimensions, got permutation ` +
          `${tup(p)} for operand shape ${tup(x!.shape)}.`,
      );
    }
    return [x!.update({ shape: p.map((i) => x!.shape[i]!) })];
  },
  lower(ctx, [x], { permutation: p }, [out]) {
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) => {
          const c = new globalThis.Array<Expr>(p.length);
          p.forEach((src, k) => (c[src] = coords[k]!));
          return c;
        },
        (v) => ({ ...v, strides: p.map((i) => v.strides[i]!) }),
      ),
    ];
  },
  jvp: linearJvp(() => transposeP),
  transpose([ct], _x, { permutation: p }) {
    if (isZero(ct)) return [ct];
    const inv = new globalThis.Array<number>(p.length);
    p.forEach((src, k) => (inv[src] = k));
    return [transpose(ct as Array, inv)];
  },
  batch([x], [d], { permutation: p }) {
    const xf = moveAxis(x!, d!, 0);
    return [[transpose(xf, [0, ...p.map((k) => k + 1)])], [0]];
  },
});

export function transpose(x: Array, perm: readonly number[]): Array {
  if (perm.every((p, i) => p === i)) return x;
  return bind1(transposeP, [x], { permutation: [...perm] });
}

// ---------------------------------------------------------------- rev

export const revP: Primitive<{ dimensions: number[] }> = definePrimitive<{ dimensions: number[] }>({
  name: "rev",
  abstractEval([x], { dimensions }) {
    if (
      dimensions.some((d) => d < 0 || d >= x!.ndim) ||
      new Set(dimensions).size !== dimensions.length
    ) {
      throw new TypeError(
        `rev dimensions must be unique and in range, got ${tup(dimensions)} for shape ${tup(x!.shape)}.`,
      );
    }
    return [x!];
  },
  lower(ctx, [x], { dimensions }, [out]) {
    const s = x!.aval.shape;
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) =>
          coords.map((c, k) => (dimensions.includes(k) ? ixAdd(s[k]! - 1, ixMul(c, -1)) : c)),
        (v) => ({
          ...v,
          offset: v.offset + dimensions.reduce((o, k) => o + (s[k]! - 1) * v.strides[k]!, 0),
          strides: v.strides.map((st, k) => (dimensions.includes(k) ? -st : st)),
        }),
      ),
    ];
  },
  jvp: linearJvp(() => revP),
  transpose([ct], _x, params) {
    return [isZero(ct) ? ct : bind1(revP, [ct as Array], params)];
  },
  batch([x], [d], { dimensions }) {
    const xf = moveAxis(x!, d!, 0);
    return [[bind1(revP, [xf], { dimensions: dimensions.map((k) => k + 1) })], [0]];
  },
});

// ---------------------------------------------------------------- slice

export const sliceP: Primitive<{
  start_indices: number[];
  limit_indices: number[];
  strides: number[] | null;
}> = definePrimitive<{
  start_indices: number[];
  limit_indices: number[];
  strides: number[] | null;
}>({
  name: "slice",
  abstractEval([x], { start_indices: st, limit_indices: lim, strides }) {
    const s = x!.shape;
    if (
      st.length !== s.length ||
      lim.length !== s.length ||
      (strides && strides.length !== s.length)
    ) {
      throw new TypeError(
        `slice start_indices ${tup(st)}, limit_indices ${tup(lim)} must have the operand's rank ` +
          `${s.length} (shape ${tup(s)}).`,
      );
    }
    const shape = s.map((d, k) => {
      const step = strides ? strides[k]! : 1;
      if (st[k]! < 0 || lim[k]! > d || st[k]! > lim[k]! || step < 1) {
        throw new TypeError(
          `slice start_indices ${tup(st)}, limit_indices ${tup(lim)} and strides ` +
            `${strides ? tup(strides) : "None"} are invalid for operand shape ${tup(s)}.`,
        );
      }
      return Math.ceil((lim[k]! - st[k]!) / step);
    });
    return [x!.update({ shape })];
  },
  lower(ctx, [x], { start_indices: st, strides }, [out]) {
    const step = (k: number) => (strides ? strides[k]! : 1);
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) => coords.map((c, k) => ixAdd(st[k]!, ixMul(c, step(k)))),
        (v) => ({
          ...v,
          offset: v.offset + st.reduce((o, s0, k) => o + s0 * v.strides[k]!, 0),
          strides: v.strides.map((s1, k) => s1 * step(k)),
        }),
      ),
    ];
  },
  jvp: linearJvp(() => sliceP),
  transpose([ct], [x], { start_indices: st, limit_indices: lim, strides }) {
    if (isZero(ct)) return [ct];
    const s = (x as { aval: ShapedArray }).aval.shape;
    const c = ct as Array;
    const config = s.map((d, k) => {
      const step = strides ? strides[k]! : 1;
      const real = st[k]! + (c.shape[k]! - 1) * step + 1;
      return [st[k]!, d - (c.shape[k]! === 0 ? st[k]! : real), step - 1] as [
        number,
        number,
        number,
      ];
    });
    void lim;
    return [pad(c, zeroScalarRef()(c.dtype), config)];
  },
  batch([x], [d], { start_indices: st, limit_indices: lim, strides }) {
    const xf = moveAxis(x!, d!, 0);
    return [
      [
        bind1(sliceP, [xf], {
          start_indices: [0, ...st],
          limit_indices: [xf.shape[0]!, ...lim],
          strides: strides ? [1, ...strides] : null,
        }),
      ],
      [0],
    ];
  },
});

export function slice(
  x: Array,
  start: readonly number[],
  limit: readonly number[],
  strides: readonly number[] | null = null,
): Array {
  return bind1(sliceP, [x], {
    start_indices: [...start],
    limit_indices: [...limit],
    strides: strides && strides.some((s) => s !== 1) ? [...strides] : null,
  });
}

let zeroScalarImpl: ((d: DType) => Array) | undefined;
export function setZeroScalar(f: (d: DType) => Array): void {
  zeroScalarImpl = f;
}
const zeroScalarRef = () => zeroScalarImpl!;

// ---------------------------------------------------------------- pad

export type PadConfig = [lo: number, hi: number, interior: number][];

export const padP: Primitive<{ padding_config: PadConfig }> = definePrimitive<{
  padding_config: PadConfig;
}>({
  name: "pad",
  abstractEval([x, v], { padding_config: cfg }) {
    if (v!.ndim !== 0)
      throw new TypeError(`pad padding_value must be a scalar, got shape ${tup(v!.shape)}.`);
    if (x!.dtype !== v!.dtype) {
      throw new TypeError(
        `pad operand and padding_value must have the same dtype, got ${x!.dtype} and ${v!.dtype}.`,
      );
    }
    if (cfg.length !== x!.ndim) {
      throw new TypeError(
        `pad padding_config has ${cfg.length} entries for an operand of rank ${x!.ndim}.`,
      );
    }
    const shape = x!.shape.map((d, k) => {
      const [lo, hi, interior] = cfg[k]!;
      if (interior < 0)
        throw new TypeError(`pad interior padding must be non-negative, got ${interior}.`);
      const n = lo + hi + d + Math.max(0, d - 1) * interior;
      if (n < 0)
        throw new TypeError(
          `Dimension size after padding is not at least 0, got ${n} for padding config ${JSON.stringify(cfg)}.`,
        );
      return n;
    });
    return [x!.update({ shape, weakType: x!.weakType && v!.weakType })];
  },
  lower(ctx, [x, v], { padding_config: cfg }, [out]) {
    const s = x!.aval.shape;
    const src = x!.hasReduce ? ctx.materialize(x!) : x!;
    const pv = v!;
    return [
      genLazy(
        out!,
        (coords) => {
          let inRange: Expr | undefined;
          const inner = coords.map((c, k) => {
            const [lo, , interior] = cfg[k]!;
            const p = ixAdd(c, -lo);
            const step = interior + 1;
            const q = step === 1 ? p : ixFloorDiv(p, step);
            const conds: Expr[] = [binary("ge", p, ix(0)), binary("lt", q, ix(s[k]!))];
            if (step > 1) conds.push(binary("eq", ixMod(p, step), ix(0)));
            for (const cnd of conds) {
              if (cnd.op === "const" && cnd.value) continue;
              inRange = inRange ? binary("and", inRange, cnd) : cnd;
            }
            return q;
          });
          const val = src.at(inner);
          return inRange ? select(inRange, val, pv.at([])) : val;
        },
        src.cost + 2,
      ),
    ];
  },
  jvp([x, v], [tx, tv], params) {
    const out = bind1(padP, [x!, v!], params);
    if (isZero(tx) && isZero(tv)) return [[out], [new Zero(out.aval)]];
    const t = bind1(padP, [instantiate(tx!), instantiate(tv!)], params);
    return [[out], [t]];
  },
  transpose([ct], [x, v], { padding_config: cfg }) {
    const xu = x instanceof UndefinedPrimal;
    const vu = v instanceof UndefinedPrimal;
    if (isZero(ct)) return [xu ? new Zero(x.aval) : null, vu ? new Zero(v.aval) : null];
    const t = ct as Array;
    // The operand's cotangent: undo the edge padding (negated lo/hi), then take every
    // (interior+1)-th element.
    const tOperand = () => {
      const unpadded = pad(
        t,
        zeroScalarRef()(t.dtype),
        cfg.map(([lo, hi]) => [-lo, -hi, 0] as [number, number, number]),
      );
      return slice(
        unpadded,
        unpadded.shape.map(() => 0),
        unpadded.shape,
        cfg.map(([, , interior]) => interior + 1),
      );
    };
    const total = (a: Array) => reduceSumRef()(a, range(a.ndim));
    const to = xu ? tOperand() : null;
    const tv = vu ? bind1(subRef()!, [total(t), total(to ?? tOperand())]) : null;
    return [to, tv];
  },
  batch([x, v], [dx, dv], { padding_config: cfg }, size) {
    const config = [[0, 0, 0] as [number, number, number], ...cfg];
    if (dv === null) {
      const xf = batchAtFront(x!, dx!);
      return [[bind1(padP, [xf, v!], { padding_config: config })], [0]];
    }
    // A batched padding value: pad with zeros, then select the per-example value in where the
    // mask of padded positions is set (as JAX's `_pad_batch_rule`).
    const xf =
      dx === null
        ? broadcastInDim(
            x!,
            [size, ...x!.shape],
            range(x!.ndim).map((k) => k + 1),
          )
        : moveAxis(x!, dx, 0);
    const padded = bind1(padP, [xf, zeroScalarRef()(xf.dtype)], { padding_config: config });
    const ones = broadcastInDim(
      boolScalarRef()(true),
      x!.shape.filter((_, k) => dx === null || k !== dx),
      [],
    );
    const mask = bind1(padP, [ones, boolScalarRef()(false)], { padding_config: cfg });
    const maskB = broadcastInDim(
      mask,
      padded.shape,
      range(mask.ndim).map((k) => k + 1),
    );
    const vb = broadcastInDim(moveAxis(v!, dv, 0), padded.shape, [0]);
    return [[bind1(selectRef()!, [maskB, vb, padded])], [0]];
  },
});

// late-bound (elementwise/select import this module)
const subRef = () => primitiveByName("sub");
const selectRef = () => primitiveByName("select_n");
const boolScalarRef = () => (b: boolean) => scalarConstant(b, bool);

let instantiateImpl: ((t: Tangent) => Array) | undefined;
export function setInstantiate(f: (t: Tangent) => Array): void {
  instantiateImpl = f;
}
const instantiate = (t: Tangent) => instantiateImpl!(t);

export function pad(x: Array, value: Array, config: PadConfig): Array {
  return bind1(padP, [x, value], {
    padding_config: config.map((c) => [...c] as [number, number, number]),
  });
}

// ---------------------------------------------------------------- concatenate

export const concatenateP: Primitive<{ dimension: number }> = definePrimitive<{
  dimension: number;
}>({
  name: "concatenate",
  abstractEval(avals, { dimension: dim }) {
    if (avals.length === 0) throw new TypeError("concatenate requires at least one operand.");
    const first = avals[0]!;
    if (dim < 0 || dim >= first.ndim) {
      throw new TypeError(
        `concatenate dimension out of bounds: dimension ${dim} for shapes ${avals.map((a) => tup(a.shape)).join(", ")}.`,
      );
    }
    for (const a of avals) {
      if (a.dtype !== first.dtype) {
        throw new TypeError(
          `concatenate requires arguments to have the same dtypes, got ${avals.map((x) => x.dtype.name).join(", ")}.`,
        );
      }
      if (a.ndim !== first.ndim || a.shape.some((d, k) => k !== dim && d !== first.shape[k])) {
        throw new TypeError(
          `Cannot concatenate arrays with shapes that differ in dimensions other than the one ` +
            `being concatenated: concatenating along dimension ${dim} for shapes ` +
            `${avals.map((x) => tup(x.shape)).join(", ")}.`,
        );
      }
    }
    const shape = [...first.shape];
    shape[dim] = avals.reduce((s, a) => s + a.shape[dim]!, 0);
    return [
      new ShapedArray(
        shape,
        first.dtype,
        avals.every((a) => a.weakType),
      ),
    ];
  },
  lower(ctx, inputs, { dimension: dim }, [out]) {
    const srcs = inputs.map((x) => (x.hasReduce ? ctx.materialize(x) : x));
    const starts: number[] = [];
    let acc = 0;
    for (const s of srcs) {
      starts.push(acc);
      acc += s.aval.shape[dim]!;
    }
    return [
      genLazy(
        out!,
        (coords) => {
          // Last operand by default; earlier ones selected by coordinate range.
          let e = srcs[srcs.length - 1]!.at(
            coords.map((c, k) => (k === dim ? ixAdd(c, -starts[srcs.length - 1]!) : c)),
          );
          for (let i = srcs.length - 2; i >= 0; i--) {
            const ci = srcs[i]!.at(coords.map((c, k) => (k === dim ? ixAdd(c, -starts[i]!) : c)));
            e = select(binary("lt", coords[dim]!, ix(starts[i + 1]!)), ci, e);
          }
          return e;
        },
        srcs.reduce((s, x) => s + x.cost, 1),
      ),
    ];
  },
  jvp(primals, tangents, params) {
    const out = bind1(concatenateP, primals, params);
    if (tangents.every((t) => isZero(t))) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1(concatenateP, tangents.map(instantiate), params)]];
  },
  transpose([ct], args, { dimension: dim }) {
    if (isZero(ct))
      return args.map((a) => (a instanceof UndefinedPrimal ? new Zero(a.aval) : null));
    const c = ct as Array;
    let start = 0;
    return args.map((a) => {
      const aval = (a as { aval: ShapedArray }).aval;
      const st = c.shape.map((_, k) => (k === dim ? start : 0));
      const lim = c.shape.map((d, k) => (k === dim ? start + aval.shape[dim]! : d));
      start += aval.shape[dim]!;
      return a instanceof UndefinedPrimal ? slice(c, st, lim) : null;
    });
  },
  batch(args, dims, { dimension }, size) {
    const moved = args.map((a, i) => {
      if (dims[i] !== null) return moveAxis(a, dims[i]!, 0);
      return broadcastInDim(
        a,
        [size, ...a.shape],
        range(a.ndim).map((k) => k + 1),
      );
    });
    return [[bind1(concatenateP, moved, { dimension: dimension + 1 })], [0]];
  },
});

export function concatenate(xs: readonly Array[], dimension: number): Array {
  return bind1(concatenateP, xs, { dimension });
}

// ---------------------------------------------------------------- iota

export const iotaP: Primitive<{ dtype: DType; shape: number[]; dimension: number }> =
  definePrimitive<{ dtype: DType; shape: number[]; dimension: number }>({
    name: "iota",
    abstractEval(_avals, { dtype, shape, dimension }) {
      if (dimension < 0 || dimension >= shape.length) {
        throw new TypeError(
          `iota dimension must be in range [0, ${shape.length}), got dimension=${dimension}.`,
        );
      }
      return [new ShapedArray(shape, dtype, false)];
    },
    lower(_ctx, _inputs, { dimension }, [out]) {
      return [genLazy(out!, (coords) => cast(coords[dimension]!, out!.dtype))];
    },
    jvp(_p, _t, params) {
      const out = bind1(iotaP, [], params);
      return [[out], []];
    },
    transpose: notLinear,
    batch: notBatchable("it has no operands, so it is never batched"),
  });

export function iota(dtype: DType, shape: readonly number[], dimension = 0): Array {
  return bind1(iotaP, [], { dtype, shape: [...shape], dimension });
}

export { broadcastOperand, mapLazy, constant, int32 };
