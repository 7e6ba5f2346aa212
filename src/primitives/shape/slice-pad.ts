/**
 * slice[start_indices, limit_indices, strides] and pad[padding_config]: each is the other's
 * transpose, so they live together. slice lowers to an index remapping (a strided view);
 * pad to a lazy select between the operand and the padding value.
 */
import type { ShapedArray } from "../../core/aval.js";
import { type DType, bool } from "../../core/dtype.js";
import { shapeStr } from "../../core/shape.js";
import { binary, select, type Expr } from "../../kernel/expr.js";
import { ix, ixAdd, ixFloorDiv, ixMod, ixMul } from "../../kernel/index.js";
import { genLazy, remapLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { scalarConstant } from "../../trace/constants.js";
import { type Primitive, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero, linearJvp } from "../ad-helpers.js";
import { instantiate } from "../constants.js";
import { definePrimitive } from "../define.js";
import { sub } from "../elementwise/index.js";
import { reduceSum } from "../reduce-sum.js";
import { selectNP } from "../select.js";
import { batchAtFront, broadcastInDim } from "./broadcast.js";
import { moveAxis } from "./transpose.js";

const range = (n: number) => globalThis.Array.from({ length: n }, (_, i) => i);
const tup = shapeStr;
/** A 0-d zero of dtype `d` (the padding of transposes). */
const zeroScalar = (d: DType): Array => scalarConstant(0, d);

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
    return [pad(c, zeroScalar(c.dtype), config)];
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
        zeroScalar(t.dtype),
        cfg.map(([lo, hi]) => [-lo, -hi, 0] as [number, number, number]),
      );
      return slice(
        unpadded,
        unpadded.shape.map(() => 0),
        unpadded.shape,
        cfg.map(([, , interior]) => interior + 1),
      );
    };
    const total = (a: Array) => reduceSum(a, range(a.ndim));
    const to = xu ? tOperand() : null;
    const tv = vu ? sub(total(t), total(to ?? tOperand())) : null;
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
    const padded = bind1(padP, [xf, zeroScalar(xf.dtype)], { padding_config: config });
    const ones = broadcastInDim(
      scalarConstant(true, bool),
      x!.shape.filter((_, k) => dx === null || k !== dx),
      [],
    );
    const mask = bind1(padP, [ones, scalarConstant(false, bool)], { padding_config: cfg });
    const maskB = broadcastInDim(
      mask,
      padded.shape,
      range(mask.ndim).map((k) => k + 1),
    );
    const vb = broadcastInDim(moveAxis(v!, dv, 0), padded.shape, [0]);
    return [[bind1(selectNP, [maskB, vb, padded])], [0]];
  },
});

export function pad(x: Array, value: Array, config: PadConfig): Array {
  return bind1(padP, [x, value], {
    padding_config: config.map((c) => [...c] as [number, number, number]),
  });
}
