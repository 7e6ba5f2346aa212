/**
 * numpy's per-element formatters for printing an array: the dtype's kind, and for each kind the
 * formatter numpy builds from the elements that will be shown (common int width, bool padding,
 * float positional-vs-scientific choice and column padding with default precision=8).
 *
 * Float layout follows numpy <= 2.2 (JAX 0.4.x era): scientific notation is
 * chosen when the largest shown magnitude is >= 1e8, the smallest non-zero one
 * is < 1e-4, or their ratio exceeds 1e3, regardless of the float width.
 */

import { type FloatDType, roundToFloatDType } from "./float16.js";
import { formatPositional, formatScientific } from "./format-float.js";

/** A complex element: its parts (interleaved storage is unpacked into these for printing). */
export interface ComplexValue {
  readonly re: number;
  readonly im: number;
}
export type FormatValue = number | bigint | boolean | ComplexValue;
export type FormatValues = ArrayLike<FormatValue>;

export type ElementFormatter = (value: FormatValue) => string;
type DTypeKind = "bool" | "int" | "float" | "complex" | "float0";

const PRECISION = 8;

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

/** The kind of `dtype` that picks the formatter; throws on a dtype numpy printing lacks here. */
export function dtypeKind(dtype: string): DTypeKind {
  if (dtype === "bool") return "bool";
  if (INT_DTYPES.has(dtype)) return "int";
  if (FLOAT_DTYPES.has(dtype)) return "float";
  if (dtype === "float0") return "float0";
  if (dtype === "complex64" || dtype === "complex128") return "complex";
  throw new Error(`format: unsupported dtype '${dtype}'`);
}

/** A bool element's truth (ints and floats stand in for bools as 0 / non-0). */
export function toBool(v: FormatValue): boolean {
  return typeof v === "boolean" ? v : Number(v) !== 0;
}

/** An integer element's decimal digits (bigints exactly; numbers past 1e21 without exponent). */
export function intToString(v: FormatValue): string {
  if (typeof v === "bigint") return v.toString();
  const n = Number(v);
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

/**
 * JAX's float0 is numpy's structured dtype `[('float0', 'V')]` (one zero-byte void field); numpy
 * prints each element as the record `(b'',)`. JAX hands float0 values out as numpy arrays, so
 * their repr is numpy's `array(..., dtype=[('float0', 'V')])`, not `Array(...)`.
 */
export const FLOAT0_ELEMENT = "(b'',)";

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

/** Whether `x` prints with a sign under sign='+' (numpy prints '+' on +0 too). */
const isNegative = (x: number) => x < 0 || Object.is(x, -0);
/** A formatted number with '+' in front of non-negative values when `plus`. */
const signed = (text: string, x: number, plus: boolean) =>
  plus && !isNegative(x) ? "+" + text : text;

function scientificLayout(finite: number[], dtype: FloatDType, plus: boolean): FloatLayout {
  const strs = finite.map((x) =>
    signed(
      formatScientific(x, dtype, {
        precision: PRECISION,
        minDigits: -1,
        trim: ".",
        padLeft: -1,
        expDigits: -1,
      }),
      x,
      plus,
    ),
  );
  const mantissas = strs.map((s) => s.slice(0, s.indexOf("e")));
  const exps = strs.map((s) => s.slice(s.indexOf("e") + 1));
  const expSize = maxLength(exps) - 1;
  const precision = maxLength(mantissas.map((s) => s.slice(s.indexOf(".") + 1)));
  const padLeft = maxLength(mantissas.map((s) => s.slice(0, s.indexOf("."))));
  return { scientific: true, precision, padLeft, padRight: expSize + 2 + precision, expSize };
}

function positionalLayout(finite: number[], dtype: FloatDType, plus: boolean): FloatLayout {
  const strs = finite.map((x) =>
    signed(
      formatPositional(x, dtype, {
        precision: PRECISION,
        minDigits: -1,
        trim: ".",
        padLeft: -1,
        padRight: -1,
      }),
      x,
      plus,
    ),
  );
  const padLeft = maxLength(strs.map((s) => s.slice(0, s.indexOf("."))));
  const padRight = maxLength(strs.map((s) => s.slice(s.indexOf(".") + 1)));
  return { scientific: false, precision: PRECISION, padLeft, padRight, expSize: -1 };
}

function floatLayout(shown: number[], dtype: FloatDType, plus: boolean): FloatLayout {
  const finite = shown.filter(Number.isFinite);
  let layout: FloatLayout;
  if (finite.length === 0) {
    layout = { scientific: false, precision: PRECISION, padLeft: 0, padRight: 0, expSize: -1 };
  } else if (needsScientific(finite, dtype)) {
    layout = scientificLayout(finite, dtype, plus);
  } else {
    layout = positionalLayout(finite, dtype, plus);
  }
  if (finite.length !== shown.length) {
    // Make room for "nan", "inf" and "-inf" in the combined column width.
    const negInf = plus || shown.some((v) => v === -Infinity) ? 1 : 0;
    const offset = layout.padRight + 1;
    layout.padLeft = Math.max(layout.padLeft, 3 - offset, 3 + negInf - offset);
  }
  return layout;
}

/**
 * numpy's FloatingFormat for the `shown` values; `plus` is its sign='+' (every value signed,
 * as the imaginary parts of complex numbers are printed).
 */
function makeFloatFormatter(
  shown: FormatValue[],
  dtype: FloatDType,
  plus = false,
): ElementFormatter {
  const values = shown.map((v) => roundToFloatDType(Number(v), dtype));
  const layout = floatLayout(values, dtype, plus);
  const { padLeft, padRight, precision, expSize } = layout;
  const padTo = (text: string) => {
    const point = text.search(/[.e]/);
    const left = point < 0 ? text.length : point;
    return " ".repeat(Math.max(0, padLeft - left)) + text;
  };
  return (raw) => {
    const x = roundToFloatDType(Number(raw), dtype);
    if (!Number.isFinite(x)) {
      const text = Number.isNaN(x)
        ? plus
          ? "+nan"
          : "nan"
        : x < 0
          ? "-inf"
          : plus
            ? "+inf"
            : "inf";
      return " ".repeat(Math.max(0, padLeft + padRight + 1 - text.length)) + text;
    }
    if (layout.scientific) {
      const opts = { precision, minDigits: precision, trim: "k" as const, expDigits: expSize };
      if (!plus) return formatScientific(x, dtype, { ...opts, padLeft });
      return padTo(signed(formatScientific(x, dtype, { ...opts, padLeft: -1 }), x, plus));
    }
    const opts = { precision, minDigits: 0, trim: "." as const, padRight };
    if (!plus) return formatPositional(x, dtype, { ...opts, padLeft });
    return padTo(signed(formatPositional(x, dtype, { ...opts, padLeft: -1 }), x, plus));
  };
}

/** The part dtype name of a complex dtype name. */
export function complexPartDType(dtype: string): FloatDType {
  return dtype === "complex128" ? "float64" : "float32";
}

/**
 * numpy's ComplexFloatingFormat: the real parts laid out as a float column, the imaginary parts
 * as a signed one, `j` placed before the imaginary part's trailing padding.
 */
function makeComplexFormatter(shown: FormatValue[], dtype: string): ElementFormatter {
  const part = complexPartDType(dtype);
  const cs = shown as ComplexValue[];
  const re = makeFloatFormatter(
    cs.map((c) => c.re),
    part,
  );
  const im = makeFloatFormatter(
    cs.map((c) => c.im),
    part,
    true,
  );
  return (v) => {
    const c = v as ComplexValue;
    const i = im(c.im);
    const end = i.trimEnd().length;
    return re(c.re) + i.slice(0, end) + "j" + i.slice(end);
  };
}

/** The formatter for `dtype`, laid out for the `shown` elements (`zeroDim`: a 0-d array). */
export function makeFormatter(
  dtype: string,
  shown: FormatValue[],
  zeroDim: boolean,
): ElementFormatter {
  const kind = dtypeKind(dtype);
  if (kind === "float0") return () => FLOAT0_ELEMENT;
  if (kind === "bool") return makeBoolFormatter(zeroDim);
  if (kind === "int") return makeIntFormatter(shown);
  if (kind === "complex") return makeComplexFormatter(shown, dtype);
  return makeFloatFormatter(shown, dtype as FloatDType);
}
