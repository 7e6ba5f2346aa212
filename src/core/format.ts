/**
 * numpy-exact printing of arrays and scalars — the entry points:
 *
 *  - `formatScalar`: `str()` of a numpy scalar (also used for jaxpr literals)
 *  - `formatArray`:  `str()` of a numpy array with default print options
 *                    (precision=8, threshold=1000, edgeitems=3, linewidth=75,
 *                    floatmode='maxprec', suppress=False, sign='-')
 *  - `reprArray`:    JAX 0.4.x `repr()` of a `jax.Array` (numpy's `repr()` for float0,
 *                    which JAX returns as numpy arrays)
 *
 * The nested layout is `array2string.ts`; element formatting is `format-elements.ts`.
 */

import { array2string, LINE_WIDTH } from "./array2string.js";
import { type FloatDType, roundToFloatDType } from "./float16.js";
import { formatFloatScalar } from "./format-float.js";
import {
  type ComplexValue,
  complexPartDType,
  dtypeKind,
  FLOAT0_ELEMENT,
  type FormatValue,
  type FormatValues,
  intToString,
  toBool,
} from "./format-elements.js";
import { sizeOf } from "./shape.js";

/** numpy's repr of JAX's float0 dtype (see `FLOAT0_ELEMENT` in format-elements.ts). */
const FLOAT0_DTYPE_REPR = "[('float0', 'V')]";

/** `str()` of a numpy scalar of the given dtype: `0.5`, `1e-05`, `-7`, `True`. */
export function formatScalar(value: FormatValue, dtype: string): string {
  const kind = dtypeKind(dtype);
  if (kind === "float0") return FLOAT0_ELEMENT;
  if (kind === "bool") return toBool(value) ? "True" : "False";
  if (kind === "int") return intToString(value);
  if (kind === "complex")
    return formatComplexScalar(value as ComplexValue, complexPartDType(dtype));
  return formatFloatScalar(Number(value), dtype as FloatDType);
}

/**
 * numpy's `str()` of a complex scalar, Python's complex style: `(1+2j)`, `-3j` when the real
 * part is +0, parts as the shortest round-tripping text without a trailing `.0`.
 */
function formatComplexScalar(c: ComplexValue, part: FloatDType): string {
  const text = (x: number) => {
    const v = roundToFloatDType(x, part);
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v < 0 ? "-inf" : "inf";
    return formatFloatScalar(v, part).replace(/\.0$/, "").replace(/\.0e/, "e");
  };
  const imText = text(c.im);
  const im = (/^[-]/.test(imText) ? imText : "+" + imText) + "j";
  const re = roundToFloatDType(c.re, part);
  if (re === 0 && !Object.is(re, -0)) return im.startsWith("+") ? im.slice(1) : im;
  return `(${text(c.re)}${im})`;
}

function checkSize(values: FormatValues, shape: readonly number[]): void {
  if (values.length < sizeOf(shape)) {
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
    sizeOf(shape) === 0
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
  if (sizeOf(shape) === 0) {
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
