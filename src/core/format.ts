/**
 * numpy-exact printing of arrays and scalars.
 *
 *  - `formatScalar`: `str()` of a numpy scalar (also used for jaxpr literals)
 *  - `formatArray`:  `str()` of a numpy array with default print options
 *                    (precision=8, threshold=1000, edgeitems=3, linewidth=75,
 *                    floatmode='maxprec', suppress=False, sign='-')
 *  - `reprArray`:    JAX 0.4.x `repr()` of a `jax.Array` (numpy's `repr()` for float0,
 *                    which JAX returns as numpy arrays)
 *
 * Float layout follows numpy <= 2.2 (JAX 0.4.x era): scientific notation is
 * chosen when the largest shown magnitude is >= 1e8, the smallest non-zero one
 * is < 1e-4, or their ratio exceeds 1e3, regardless of the float width.
 */

import {
  formatFloatScalar,
  formatPositional,
  formatScientific,
  roundToFloatDType,
  type FloatDType,
} from "./format-float.js";

export {
  formatFloatScalar,
  roundToFloat16,
  shortestFloat16,
  shortestFloat32,
} from "./format-float.js";

export type FormatValue = number | bigint | boolean;
export type FormatValues = ArrayLike<FormatValue>;

type ElementFormatter = (value: FormatValue) => string;
type DTypeKind = "bool" | "int" | "float" | "float0";

const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 75;

const INT_DTYPES = new Set([
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
]);
const FLOAT_DTYPES = new Set(["float16", "float32", "float64"]);

function dtypeKind(dtype: string): DTypeKind {
  if (dtype === "bool") return "bool";
  if (INT_DTYPES.has(dtype)) return "int";
  if (FLOAT_DTYPES.has(dtype)) return "float";
  if (dtype === "float0") return "float0";
  throw new Error(`format: unsupported dtype '${dtype}'`);
}

function toBool(v: FormatValue): boolean {
  return typeof v === "boolean" ? v : Number(v) !== 0;
}

function intToString(v: FormatValue): string {
  if (typeof v === "bigint") return v.toString();
  const n = Number(v);
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

/**
 * JAX's float0 is numpy's structured dtype `[('float0', 'V')]` (one zero-byte void field); numpy
 * prints each element as the record `(b'',)`. JAX hands float0 values out as numpy arrays, so
 * their repr is numpy's `array(..., dtype=[('float0', 'V')])`, not `Array(...)`.
 */
const FLOAT0_ELEMENT = "(b'',)";
const FLOAT0_DTYPE_REPR = "[('float0', 'V')]";

/** `str()` of a numpy scalar of the given dtype: `0.5`, `1e-05`, `-7`, `True`. */
export function formatScalar(value: FormatValue, dtype: string): string {
  const kind = dtypeKind(dtype);
  if (kind === "float0") return FLOAT0_ELEMENT;
  if (kind === "bool") return toBool(value) ? "True" : "False";
  if (kind === "int") return intToString(value);
  return formatFloatScalar(Number(value), dtype as FloatDType);
}

// ---------------------------------------------------------------------------
// Element formatters (built from the elements that will be shown)
// ---------------------------------------------------------------------------

function makeBoolFormatter(zeroDim: boolean): ElementFormatter {
  const trueText = zeroDim ? "True" : " True";
  return (v) => (toBool(v) ? trueText : "False");
}

function makeIntFormatter(shown: FormatValue[]): ElementFormatter {
  const width = Math.max(0, ...shown.map((v) => intToString(v).length));
  return (v) => intToString(v).padStart(width, " ");
}

/** Whether numpy switches a float array to scientific notation. */
function needsScientific(finite: number[], dtype: FloatDType): boolean {
  const mags = finite.filter((v) => v !== 0).map(Math.abs);
  if (mags.length === 0) return false;
  const max = Math.max(...mags);
  const min = Math.min(...mags);
  // Comparisons and the ratio are evaluated in the array's own precision.
  const ratio = roundToFloatDType(max / min, dtype);
  return (
    max >= roundToFloatDType(1e8, dtype) || min < roundToFloatDType(1e-4, dtype) || ratio > 1000
  );
}

interface FloatLayout {
  scientific: boolean;
  precision: number;
  padLeft: number;
  padRight: number;
  expSize: number;
}

function maxLength(strs: string[]): number {
  return Math.max(0, ...strs.map((s) => s.length));
}

function scientificLayout(finite: number[], dtype: FloatDType): FloatLayout {
  const strs = finite.map((x) =>
    formatScientific(x, dtype, {
      precision: PRECISION,
      minDigits: -1,
      trim: ".",
      padLeft: -1,
      expDigits: -1,
    }),
  );
  const mantissas = strs.map((s) => s.slice(0, s.indexOf("e")));
  const exps = strs.map((s) => s.slice(s.indexOf("e") + 1));
  const expSize = maxLength(exps) - 1;
  const precision = maxLength(mantissas.map((s) => s.slice(s.indexOf(".") + 1)));
  const padLeft = maxLength(mantissas.map((s) => s.slice(0, s.indexOf("."))));
  return { scientific: true, precision, padLeft, padRight: expSize + 2 + precision, expSize };
}

function positionalLayout(finite: number[], dtype: FloatDType): FloatLayout {
  const strs = finite.map((x) =>
    formatPositional(x, dtype, {
      precision: PRECISION,
      minDigits: -1,
      trim: ".",
      padLeft: -1,
      padRight: -1,
    }),
  );
  const padLeft = maxLength(strs.map((s) => s.slice(0, s.indexOf("."))));
  const padRight = maxLength(strs.map((s) => s.slice(s.indexOf(".") + 1)));
  return { scientific: false, precision: PRECISION, padLeft, padRight, expSize: -1 };
}

function floatLayout(shown: number[], dtype: FloatDType): FloatLayout {
  const finite = shown.filter(Number.isFinite);
  let layout: FloatLayout;
  if (finite.length === 0) {
    layout = { scientific: false, precision: PRECISION, padLeft: 0, padRight: 0, expSize: -1 };
  } else if (needsScientific(finite, dtype)) {
    layout = scientificLayout(finite, dtype);
  } else {
    layout = positionalLayout(finite, dtype);
  }
  if (finite.length !== shown.length) {
    // Make room for "nan", "inf" and "-inf" in the combined column width.
    const negInf = shown.some((v) => v === -Infinity) ? 1 : 0;
    const offset = layout.padRight + 1;
    layout.padLeft = Math.max(layout.padLeft, 3 - offset, 3 + negInf - offset);
  }
  return layout;
}

function makeFloatFormatter(shown: FormatValue[], dtype: FloatDType): ElementFormatter {
  const values = shown.map((v) => roundToFloatDType(Number(v), dtype));
  const layout = floatLayout(values, dtype);
  const { padLeft, padRight, precision, expSize } = layout;
  return (raw) => {
    const x = roundToFloatDType(Number(raw), dtype);
    if (!Number.isFinite(x)) {
      const text = Number.isNaN(x) ? "nan" : x < 0 ? "-inf" : "inf";
      return " ".repeat(Math.max(0, padLeft + padRight + 1 - text.length)) + text;
    }
    if (layout.scientific) {
      return formatScientific(x, dtype, {
        precision,
        minDigits: precision,
        trim: "k",
        padLeft,
        expDigits: expSize,
      });
    }
    return formatPositional(x, dtype, { precision, minDigits: 0, trim: ".", padLeft, padRight });
  };
}

function makeFormatter(dtype: string, shown: FormatValue[], zeroDim: boolean): ElementFormatter {
  const kind = dtypeKind(dtype);
  if (kind === "float0") return () => FLOAT0_ELEMENT;
  if (kind === "bool") return makeBoolFormatter(zeroDim);
  if (kind === "int") return makeIntFormatter(shown);
  return makeFloatFormatter(shown, dtype as FloatDType);
}

// ---------------------------------------------------------------------------
// Nested layout
// ---------------------------------------------------------------------------

interface LayoutContext {
  values: FormatValues;
  shape: readonly number[];
  strides: number[];
  format: ElementFormatter;
  separator: string;
  /** Items kept at each end of an axis when summarizing; 0 when not summarizing. */
  edgeItems: number;
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  return strides;
}

/** Indices shown along an axis of length `n`, with `null` marking the `...`. */
function shownIndices(n: number, edgeItems: number): (number | null)[] {
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  if (edgeItems === 0 || 2 * edgeItems >= n) return range(0, n);
  // Only the shown ends: never materialize the indices of a summarized axis.
  return [...range(0, edgeItems), null, ...range(n - edgeItems, n)];
}

/** Flat offsets of every element that will be printed. */
function shownOffsets(ctx: LayoutContext, axis = 0, base = 0, out: number[] = []): number[] {
  if (axis === ctx.shape.length) {
    out.push(base);
    return out;
  }
  for (const i of shownIndices(ctx.shape[axis]!, ctx.edgeItems)) {
    if (i !== null) shownOffsets(ctx, axis + 1, base + i * ctx.strides[axis]!, out);
  }
  return out;
}

/** Appends `word` to `line`, wrapping first if it would exceed `width`. */
function extendLine(
  out: string[],
  line: string,
  word: string,
  width: number,
  indent: string,
): string {
  const needsWrap = line.length + word.length > width && line.length > indent.length;
  if (needsWrap) {
    out.push(line.trimEnd() + "\n");
    line = indent;
  }
  return line + word;
}

function formatLastAxis(ctx: LayoutContext, base: number, indent: string, width: number): string {
  const axis = ctx.shape.length - 1;
  const stride = ctx.strides[axis]!;
  const elemWidth = width - Math.max(ctx.separator.trimEnd().length, 1);
  const items = shownIndices(ctx.shape[axis]!, ctx.edgeItems);
  const out: string[] = [];
  let line = indent;
  items.forEach((i, k) => {
    const word = i === null ? "..." : ctx.format(ctx.values[base + i * stride]!);
    line = extendLine(out, line, word, elemWidth, indent);
    if (k < items.length - 1) line += ctx.separator;
  });
  return out.join("") + line;
}

function formatOuterAxis(
  ctx: LayoutContext,
  axis: number,
  base: number,
  indent: string,
  width: number,
): string {
  const axesLeft = ctx.shape.length - axis;
  const lineSep = ctx.separator.trimEnd() + "\n".repeat(axesLeft - 1);
  const items = shownIndices(ctx.shape[axis]!, ctx.edgeItems);
  const parts = items.map((i) =>
    i === null
      ? "..."
      : formatNested(ctx, axis + 1, base + i * ctx.strides[axis]!, indent + " ", width - 1),
  );
  return parts.map((p) => indent + p).join(lineSep);
}

function formatNested(
  ctx: LayoutContext,
  axis: number,
  base: number,
  indent: string,
  width: number,
): string {
  if (axis === ctx.shape.length) return ctx.format(ctx.values[base]!);
  const body =
    axis === ctx.shape.length - 1
      ? formatLastAxis(ctx, base, indent, width)
      : formatOuterAxis(ctx, axis, base, indent, width);
  return "[" + body.slice(indent.length) + "]";
}

interface Array2StringOptions {
  separator: string;
  prefix: string;
  suffix: string;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** numpy `array2string` with default print options. */
function array2string(
  values: FormatValues,
  shape: readonly number[],
  dtype: string,
  opts: Array2StringOptions,
): string {
  const n = size(shape);
  if (n === 0) return "[]";
  const edgeItems = n > THRESHOLD ? EDGE_ITEMS : 0;
  const base = {
    values,
    shape,
    strides: rowMajorStrides(shape),
    separator: opts.separator,
    edgeItems,
  };
  const shown = shownOffsets({ ...base, format: () => "" }).map((o) => values[o]!);
  const ctx: LayoutContext = { ...base, format: makeFormatter(dtype, shown, shape.length === 0) };
  const width = LINE_WIDTH - opts.suffix.length;
  return formatNested(ctx, 0, 0, " ".repeat(opts.prefix.length + 1), width);
}

function checkSize(values: FormatValues, shape: readonly number[]): void {
  if (values.length < size(shape)) {
    throw new Error(`format: ${values.length} values for shape (${shape.join(", ")})`);
  }
}

/** numpy `str(array)`: `[ 1.5 -2.   3. ]`, `[[1 2]\n [3 4]]`, `0.5` for 0-d. */
export function formatArray(values: FormatValues, shape: readonly number[], dtype: string): string {
  checkSize(values, shape);
  if (shape.length === 0) return formatScalar(values[0]!, dtype);
  return array2string(values, shape, dtype, { separator: " ", prefix: "", suffix: "" });
}

/** Python's repr of a shape tuple: `(0,)`, `(2, 0)`. */
function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** JAX 0.4.x `repr(jax.Array)`: `Array([1, 2, 3], dtype=int32)`. */
export function reprArray(
  values: FormatValues,
  shape: readonly number[],
  dtype: string,
  weakType: boolean,
): string {
  checkSize(values, shape);
  if (dtype === "float0") return reprNumpyArray(values, shape, FLOAT0_DTYPE_REPR, dtype);
  const prefix = "Array(";
  const dtypeText = weakType ? `dtype=${dtype}, weak_type=True)` : `dtype=${dtype})`;
  const body =
    size(shape) === 0
      ? `[], shape=${pythonTuple(shape)}`
      : array2string(values, shape, dtype, { separator: ", ", prefix, suffix: "," });
  // JAX measures the last line as (its length + 2) and, when the dtype would
  // overflow, pads with spaces on the same line rather than breaking it.
  const lastLineLen = body.length - body.lastIndexOf("\n") + 1;
  const sep = lastLineLen + dtypeText.length + 1 > LINE_WIDTH ? " ".repeat(prefix.length) : " ";
  return `${prefix}${body},${sep}${dtypeText}`;
}

/**
 * numpy 1.x `repr(np.ndarray)` (what JAX returns for float0 values): the dtype goes on a new
 * line, indented under `array(`, when it would overflow the last line.
 */
function reprNumpyArray(
  values: FormatValues,
  shape: readonly number[],
  dtypeRepr: string,
  dtype: string,
): string {
  const prefix = "array(";
  let body: string;
  if (size(shape) === 0) {
    body = shape.length === 1 ? "[]" : `[], shape=${pythonTuple(shape)}`;
  } else {
    body = array2string(values, shape, dtype, { separator: ", ", prefix, suffix: "," });
  }
  const text = `${prefix}${body},`;
  const dtypeText = `dtype=${dtypeRepr})`;
  const lastLineLen = text.length - (text.lastIndexOf("\n") + 1);
  const sep =
    lastLineLen + dtypeText.length + 1 > LINE_WIDTH ? "\n" + " ".repeat(prefix.length) : " ";
  return `${text}${sep}${dtypeText}`;
}
