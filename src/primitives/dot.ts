/**
 * dot_general: contraction over `dimension_numbers = ((lhs_contract, rhs_contract),
 * (lhs_batch, rhs_batch))`. Lowered to a dot kernel reading strided views of its operands
 * (a transposed or broadcast operand is not copied when its dims merge into one stride).
 */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtype.js";
import { shapeStr, sizeOf } from "../core/shape.js";
import { PyList } from "../ir/jaxpr.js";
import { bufferLazy, remapLazy } from "../kernel/lazy.js";
import type { BufferView, LazyArray, LowerContext } from "../kernel/lowering-types.js";
import type { DotOperand } from "../kernel/kernel.js";
import type { Array } from "../trace/array.js";
import { type Primitive, UndefinedPrimal } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { moveAxis } from "./batch-rules.js";
import { definePrimitive } from "./define.js";
import { transpose } from "./shape/transpose.js";
import { bilinearJvp } from "./add-any.js";

export type DimensionNumbers = [[number[], number[]], [number[], number[]]];
type DotParams = {
  dimension_numbers: DimensionNumbers;
  precision: null;
  preferred_element_type: DType | null;
};

const range = (a: number, b: number) => globalThis.Array.from({ length: b - a }, (_, i) => a + i);
const remaining = (n: number, ...taken: number[][]) =>
  range(0, n).filter((i) => !taken.some((t) => t.includes(i)));

function checkDims(name: string, dims: readonly number[], ndim: number): void {
  if (dims.some((d) => d < 0 || d >= ndim) || new Set(dims).size !== dims.length) {
    throw new TypeError(
      `dot_general requires ${name} dimensions to be unique and in range, got ${shapeStr(dims)} for rank ${ndim}.`,
    );
  }
}

export const dotGeneralP: Primitive<DotParams> = definePrimitive<DotParams>({
  name: "dot_general",
  abstractEval([a, b], { dimension_numbers: [[lc, rc], [lb, rb]], preferred_element_type }) {
    checkDims("lhs contracting", lc, a!.ndim);
    checkDims("rhs contracting", rc, b!.ndim);
    checkDims("lhs batch", lb, a!.ndim);
    checkDims("rhs batch", rb, b!.ndim);
    if (lc.length !== rc.length || lb.length !== rb.length) {
      throw new TypeError(
        `dot_general requires equal numbers of lhs and rhs contracting and batch dimensions, got ` +
          `contracting ${shapeStr(lc)} and ${shapeStr(rc)}, batch ${shapeStr(lb)} and ${shapeStr(rb)}.`,
      );
    }
    const lbs = lb.map((d) => a!.shape[d]!);
    const rbs = rb.map((d) => b!.shape[d]!);
    if (lbs.some((d, i) => d !== rbs[i])) {
      throw new TypeError(
        `dot_general requires lhs batch dimensions and rhs batch dimensions to have the same ` +
          `shape, got ${shapeStr(lbs)} and ${shapeStr(rbs)}.`,
      );
    }
    const lcs = lc.map((d) => a!.shape[d]!);
    const rcs = rc.map((d) => b!.shape[d]!);
    if (lcs.some((d, i) => d !== rcs[i])) {
      throw new TypeError(
        `dot_general requires contracting dimensions to have the same shape, got ${shapeStr(lcs)} and ${shapeStr(rcs)}.`,
      );
    }
    if (a!.dtype !== b!.dtype) {
      throw new TypeError(
        `dot_general requires operands of the same dtype, got ${a!.dtype.name} and ${b!.dtype.name}. ` +
          `Use jnp.matmul/jnp.dot, which promote.`,
      );
    }
    const shape = [
      ...lbs,
      ...remaining(a!.ndim, lc, lb).map((d) => a!.shape[d]!),
      ...remaining(b!.ndim, rc, rb).map((d) => b!.shape[d]!),
    ];
    const dtype = preferred_element_type ?? a!.dtype;
    return [new ShapedArray(shape, dtype, a!.weakType && b!.weakType)];
  },
  printParams(p) {
    const [[lc, rc], [lb, rb]] = p["dimension_numbers"] as DimensionNumbers;
    return [
      [
        "dimension_numbers",
        [
          [new PyList(lc), new PyList(rc)],
          [new PyList(lb), new PyList(rb)],
        ],
      ],
      ["precision", p["precision"]],
      ["preferred_element_type", p["preferred_element_type"]],
    ];
  },
  lower(ctx, [a, b], { dimension_numbers: [[lc, rc], [lb, rb]] }, [out]) {
    const lf = remaining(a!.aval.ndim, lc, lb);
    const rf = remaining(b!.aval.ndim, rc, rb);
    const A = operandView(ctx, a!, lb, lf, lc);
    const B = operandView(ctx, b!, rb, rc, rf);
    const buffer = ctx.newBuffer(out!);
    ctx.emit({
      kind: "dot",
      batch: lb.map((d) => a!.aval.shape[d]!),
      m: sizeOf(lf.map((d) => a!.aval.shape[d]!)),
      n: sizeOf(rf.map((d) => b!.aval.shape[d]!)),
      k: sizeOf(lc.map((d) => a!.aval.shape[d]!)),
      a: A,
      b: B,
      out: buffer,
      accDtype: out!.dtype,
    });
    return [bufferLazy(buffer, out!)];
  },
  jvp: bilinearJvp((a, b, params) => bind1(dotGeneralP, [a, b], params)),
  transpose([ct], [x, y], params) {
    if (isZero(ct)) return [null, null];
    const g = ct as Array;
    return [
      x instanceof UndefinedPrimal ? transposeLhs(g, x, y as Array, params, false) : null,
      y instanceof UndefinedPrimal ? transposeRhs(g, x as Array, y, params) : null,
    ];
  },
  batch([a, b], [da, db], params) {
    const [[lc, rc], [lb, rb]] = params.dimension_numbers;
    if (da !== null && db !== null) {
      const af = moveAxis(a!, da, 0);
      const bf = moveAxis(b!, db, 0);
      const sh = (ds: number[]) => ds.map((d) => d + 1);
      const dn: DimensionNumbers = [
        [sh(lc), sh(rc)],
        [
          [0, ...sh(lb)],
          [0, ...sh(rb)],
        ],
      ];
      return [[bind1(dotGeneralP, [af, bf], { ...params, dimension_numbers: dn })], [0]];
    }
    if (da !== null) {
      // The batch dim is a free dim of the lhs: find where it lands in the output.
      const shift = (ds: number[]) => ds.map((d) => (d >= da ? d + 1 : d));
      const dn: DimensionNumbers = [
        [shift(lc), rc],
        [shift(lb), rb],
      ];
      const lf = remaining(a!.ndim, dn[0][0], dn[1][0]);
      return [
        [bind1(dotGeneralP, [a!, b!], { ...params, dimension_numbers: dn })],
        [lb.length + lf.indexOf(da)],
      ];
    }
    const shift = (ds: number[]) => ds.map((d) => (d >= db! ? d + 1 : d));
    const dn: DimensionNumbers = [
      [lc, shift(rc)],
      [lb, shift(rb)],
    ];
    const lf = remaining(a!.ndim, lc, lb);
    const rf = remaining(b!.ndim, dn[0][1], dn[1][1]);
    return [
      [bind1(dotGeneralP, [a!, b!], { ...params, dimension_numbers: dn })],
      [lb.length + lf.length + rf.indexOf(db!)],
    ];
  },
});

const rangesLike = (...xs: number[][]): number[][] => {
  let start = 0;
  return xs.map((x) => {
    const r = range(start, start + x.length);
    start += x.length;
    return r;
  });
};
const argsort = (xs: readonly number[]) =>
  xs
    .map((v, i) => [v, i] as const)
    .sort((p, q) => p[0] - q[0])
    .map(([, i]) => i);

function transposeLhs(
  g: Array,
  x: { aval: ShapedArray },
  y: Array,
  params: DotParams,
  swapAns: boolean,
): Array {
  const [[xc, yc], [xb, yb]] = params.dimension_numbers;
  const xKept = remaining(x.aval.ndim, xc, xb);
  const yKept = remaining(y.aval.ndim, yc, yb);
  let ansBatch: number[];
  let ansY: number[];
  if (swapAns) [ansBatch, ansY] = rangesLike(xb, yKept, xKept) as [number[], number[]];
  else {
    const r = rangesLike(xb, xKept, yKept);
    ansBatch = r[0]!;
    ansY = r[2]!;
  }
  const dims: DimensionNumbers = [
    [ansY, yKept],
    [ansBatch, yb],
  ];
  const xContractSortedByY = argsort(yc).map((i) => xc[i]!);
  const outAxes = argsort([...xb, ...xKept, ...xContractSortedByY]);
  return transpose(bind1(dotGeneralP, [g, y], { ...params, dimension_numbers: dims }), outAxes);
}

function transposeRhs(g: Array, x: Array, y: { aval: ShapedArray }, params: DotParams): Array {
  const [[xc, yc], [xb, yb]] = params.dimension_numbers;
  return transposeLhs(
    g,
    y,
    x,
    {
      ...params,
      dimension_numbers: [
        [yc, xc],
        [yb, xb],
      ],
    },
    true,
  );
}

/** Stride of a group of dims if they merge into one (size-1 dims ignored), else undefined. */
function mergedStride(
  v: BufferView,
  shape: readonly number[],
  dims: readonly number[],
): number | undefined {
  const ds = dims.filter((d) => shape[d] !== 1);
  if (ds.length === 0) return 0;
  for (let i = 0; i + 1 < ds.length; i++) {
    if (v.strides[ds[i]!] !== v.strides[ds[i + 1]!]! * shape[ds[i + 1]!]!) return undefined;
  }
  return v.strides[ds[ds.length - 1]!]!;
}

/**
 * An operand as a (batch, rows, cols) strided view; `rows`/`cols` are the dims merged into
 * the matrix's rows and columns. Copies into that order only when the view does not merge.
 */
function operandView(
  ctx: LowerContext,
  x: LazyArray,
  batch: number[],
  rows: number[],
  cols: number[],
): DotOperand {
  const shape = x.aval.shape;
  let v = x.hasReduce ? undefined : x.view;
  let b = batch;
  let r = rows;
  let c = cols;
  let rowStride = v && mergedStride(v, shape, r);
  let colStride = v && mergedStride(v, shape, c);
  if (!v || rowStride === undefined || colStride === undefined) {
    const perm = [...batch, ...rows, ...cols];
    const pshape = perm.map((d) => shape[d]!);
    const permuted = remapLazy(ctx, x, new ShapedArray(pshape, x.aval.dtype), (coords) => {
      const out = new globalThis.Array(perm.length);
      perm.forEach((src, k) => (out[src] = coords[k]));
      return out;
    });
    const m = ctx.materialize(permuted);
    v = m.view;
    b = range(0, batch.length);
    r = range(batch.length, batch.length + rows.length);
    c = range(batch.length + rows.length, perm.length);
    rowStride = mergedStride(v, pshape, r)!;
    colStride = mergedStride(v, pshape, c)!;
  }
  return {
    buffer: v.buffer,
    offset: v.offset,
    batchStrides: b.map((d) => v!.strides[d]!),
    rowStride,
    colStride,
  };
}

export function dotGeneral(
  a: Array,
  b: Array,
  dn: DimensionNumbers,
  preferred: DType | null = null,
): Array {
  return bind1(dotGeneralP, [a, b], {
    dimension_numbers: dn,
    precision: null,
    preferred_element_type: preferred,
  });
}
