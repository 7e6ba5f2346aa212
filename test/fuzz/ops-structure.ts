/**
 * The fuzzer's structural ops: reshape (with -1), transpose, expandDims/squeeze/flip/swapaxes,
 * broadcastTo, basic indexing (int, slice strings with negative steps and empty or out-of-range
 * bounds, null, "..."), integer-array gathers (`get`, `take` with modes), scatters (`.at()`),
 * concatenate/stack, matmul/dot with batch dims and size-0 dims, cumsum/cumprod, sort/argsort.
 */
import { type Ctx, DIMS, axisOf, operandOfShape, shapeText } from "./context.js";
import type { OpMaker } from "./ops-elementwise.js";
import { isFloat, sizeOf } from "./program.js";

const intArray = (vals: number[], shape?: number[]): string => {
  const data = `jnp.array([${vals.join(", ")}], { dtype: "int32" })`;
  return shape && shape.length !== 1 ? `${data}.reshape(${shapeText(shape)})` : data;
};

/** A shape of `size` elements with 0–4 dims (one written -1 sometimes). */
function reshapeTarget(c: Ctx, size: number): string {
  const dims: number[] = [];
  let rest = size;
  const nd = c.r.int(0, 4);
  for (let i = 0; i < nd - 1 && rest > 1; i++) {
    const divs = [1, 2, 3, 5].filter((d) => rest % d === 0);
    const d = c.r.pick(divs);
    dims.push(d);
    rest /= d;
  }
  if (size === 0) dims.push(...c.r.shuffle([0, c.r.pick([1, 2, 3])]));
  else if (rest !== 1 || dims.length === 0) dims.push(rest);
  const sh = c.r.shuffle(dims);
  if (size > 0 && sh.length && c.r.chance(0.3)) sh[c.r.int(0, sh.length - 1)] = -1;
  return shapeText(sh);
}

/** One basic index item for a dim of size n: a slice string, an int, or ":". */
function indexItem(c: Ctx, n: number): string {
  const r = c.r;
  const roll = r.next();
  if (roll < 0.2 && n > 0) return String(r.int(-n, n - 1));
  if (roll < 0.3) return `":"`;
  const bound = () => (r.chance(0.25) ? "" : String(r.int(-n - 2, n + 2)));
  const step = r.pick(["", "", "1", "2", "-1", "-2", "3"]);
  return `"${bound()}:${bound()}${step ? `:${step}` : ""}"`;
}

/** Integer indices into a dim of size n > 0, in bounds (negatives too); `unique` after wrapping. */
function indices(c: Ctx, n: number, count: number, unique: boolean): number[] {
  const pool = c.r.shuffle([...Array(n).keys()]);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = unique ? pool[i]! : c.r.int(0, n - 1);
    out.push(c.r.chance(0.3) ? k - n : k);
  }
  return out;
}

export const structureOps: OpMaker[] = [
  {
    name: "reshape",
    smooth: true,
    make: (c, a) => `${a.name}.reshape(${reshapeTarget(c, sizeOf(a.aval.shape))})`,
  },
  {
    name: "transpose",
    smooth: true,
    make: (c, a) => {
      const nd = a.aval.shape.length;
      return nd < 2
        ? null
        : `jnp.transpose(${a.name}, [${c.r.shuffle([...Array(nd).keys()]).join(", ")}])`;
    },
  },
  {
    name: "expandDims",
    smooth: true,
    make: (c, a) =>
      `jnp.expandDims(${a.name}, ${c.r.int(-a.aval.shape.length - 1, a.aval.shape.length)})`,
  },
  {
    name: "squeeze",
    smooth: true,
    make: (c, a) => {
      const ones = a.aval.shape.flatMap((d, i) => (d === 1 ? [i] : []));
      return ones.length ? `jnp.squeeze(${a.name}, ${c.r.pick(ones)})` : null;
    },
  },
  {
    name: "flip",
    smooth: true,
    make: (c, a) =>
      a.aval.shape.length ? `jnp.flip(${a.name}, ${axisOf(c, a.aval.shape.length)})` : null,
  },
  {
    name: "swapaxes",
    smooth: true,
    make: (c, a) => {
      const nd = a.aval.shape.length;
      return nd < 2 ? null : `jnp.swapaxes(${a.name}, ${axisOf(c, nd)}, ${axisOf(c, nd)})`;
    },
  },
  {
    name: "broadcastTo",
    smooth: true,
    make: (c, a) => {
      const s = a.aval.shape.map((d) => (d === 1 && c.r.chance(0.5) ? c.r.pick([0, 2, 3]) : d));
      if (s.length < 4 && c.r.chance(0.6)) s.unshift(c.r.pick([1, 2, 3]));
      return `jnp.broadcastTo(${a.name}, ${shapeText(s)})`;
    },
  },
  {
    name: "basicIndex",
    smooth: true,
    make: (c, a) => {
      // k items; with "..." at position p, the items after it index the last k - p dims.
      const shape = a.aval.shape;
      const k = c.r.int(0, shape.length);
      const p = c.r.chance(0.15) ? c.r.int(0, k) : -1;
      const head = shape.slice(0, p < 0 ? k : p).map((n) => indexItem(c, n));
      const tail = p < 0 ? [] : shape.slice(shape.length - (k - p)).map((n) => indexItem(c, n));
      const items = p < 0 ? head : [...head, `"..."`, ...tail];
      if (c.r.chance(0.2)) items.splice(c.r.int(0, items.length), 0, "null");
      return items.length ? `${a.name}.get(${items.join(", ")})` : null;
    },
  },
  {
    name: "gather",
    smooth: true,
    make: (c, a) => {
      const { shape } = a.aval;
      if (!shape.length) return null;
      const ax = c.r.int(0, Math.min(shape.length - 1, 1));
      const n = shape[ax]!;
      if (n === 0) return null;
      const ishape = c.r.pick([[c.r.int(0, 4)], [2, 2], [1]]);
      const idx = indexOrOob(c, n, sizeOf(ishape));
      const arr = intArray(idx, ishape);
      if (c.r.chance(0.35)) {
        const mode = c.r.pick(["clip", "wrap", "fill"]);
        return `jnp.take(${a.name}, ${arr}, ${ax}, { mode: "${mode}" })`;
      }
      return ax === 0 ? `${a.name}.get(${arr})` : `${a.name}.get(":", ${arr})`;
    },
  },
  {
    name: "scatter",
    smooth: true,
    make: (c, a) => {
      const { shape, dtype } = a.aval;
      if (!shape.length || shape[0] === 0) return null;
      // Not mul in gradient programs: JAX differentiates scatter-mul in its updates only with
      // unique_indices=True (NotImplementedError otherwise; see regressions.test.ts).
      const how = c.r.pick(c.smooth ? ["set", "add"] : ["set", "add", "mul", "min", "max"]);
      const count = c.r.int(1, Math.min(shape[0]!, 3));
      const idx = indices(c, shape[0]!, count, how === "set");
      const upd = [count, ...shape.slice(1)];
      const v =
        !c.smooth && c.r.chance(0.3)
          ? dtype === "bool"
            ? "true"
            : isFloat(dtype)
              ? "1.5"
              : "2"
          : operandOfShape(c, c.r.chance(0.3) ? upd.slice(1) : upd, dtype).name;
      return `${a.name}.at(${intArray(idx)}).${how}(${v})`;
    },
  },
  {
    name: "concatenate",
    smooth: true,
    make: (c, a) => {
      const { shape, dtype } = a.aval;
      if (!shape.length) return null;
      const ax = axisOf(c, shape.length);
      const others = [...Array(c.r.int(1, 2))].map(() => {
        const s = [...shape];
        s[(ax + shape.length) % shape.length] = c.r.pick([0, 1, 2, 3]);
        return operandOfShape(c, s, c.smooth ? dtype : c.r.chance(0.7) ? dtype : c.r.pick(c.dtypes))
          .name;
      });
      const all = c.r.shuffle([a.name, ...others]);
      return `jnp.concatenate([${all.join(", ")}], ${ax})`;
    },
  },
  {
    name: "stack",
    smooth: true,
    make: (c, a) => {
      const b = operandOfShape(c, a.aval.shape, a.aval.dtype);
      return `jnp.stack([${a.name}, ${b.name}], ${c.r.int(-a.aval.shape.length - 1, a.aval.shape.length)})`;
    },
  },
  {
    name: "matmul",
    smooth: true,
    make: (c, a) => {
      const { shape, dtype } = a.aval;
      if (!shape.length) return null;
      const k = shape[shape.length - 1]!;
      const n = c.r.pick(DIMS);
      const batch = shape
        .slice(0, -2)
        .map((d) => (c.r.chance(0.3) ? 1 : d === 1 && c.r.chance(0.3) ? c.r.pick([0, 2]) : d));
      const roll = c.r.next();
      const bShape = roll < 0.2 ? [k] : roll < 0.5 ? [k, n] : [...batch, k, n];
      if (shape.length === 1 && roll >= 0.5 && c.r.chance(0.5)) bShape.unshift(c.r.pick([0, 1, 2]));
      const bd = c.smooth ? dtype : c.r.chance(0.7) ? dtype : c.r.pick(c.dtypes);
      const b = operandOfShape(c, bShape, bd).name;
      return c.r.chance(0.75) ? `jnp.matmul(${a.name}, ${b})` : `jnp.dot(${a.name}, ${b})`;
    },
  },
  {
    name: "cumulative",
    smooth: true,
    make: (c, a) => {
      const nd = a.aval.shape.length;
      const fn = c.r.chance(0.7) ? "cumsum" : "cumprod";
      if (nd === 0 || c.r.chance(0.15)) return `jnp.${fn}(${a.name})`;
      return `jnp.${fn}(${a.name}, ${axisOf(c, nd)})`;
    },
  },
  {
    name: "sort",
    smooth: true,
    make: (c, a) => {
      const nd = a.aval.shape.length;
      // argsort positions of values a last ulp apart may swap between devices (Value.approx).
      const fn = c.smooth || a.approx || c.r.chance(0.6) ? "sort" : "argsort";
      const axis = nd === 0 || c.r.chance(0.15) ? "null" : String(axisOf(c, nd));
      return `jnp.${fn}(${a.name}, ${axis})`;
    },
  },
];

/** Gather indices: in bounds mostly, out of bounds now and then (clamped/wrapped/filled). */
function indexOrOob(c: Ctx, n: number, count: number): number[] {
  return [...Array(count)].map(() =>
    c.r.chance(0.1) ? c.r.pick([n, n + 2, -n - 1]) : c.r.int(-n, n - 1),
  );
}
