/**
 * numpy's float formatting on top of exact digit generation: `formatPositional` and
 * `formatScientific` mirror numpy's `format_float_positional` and `format_float_scientific` in
 * "unique" mode (trimming, padding, exponent digits); `formatFloatScalar` applies numpy's rule
 * for `str()` of a floating scalar.
 */

import { decompose, type FloatParts, generateDigits } from "./float-digits.js";
import { type FloatDType, roundToFloatDType } from "./float16.js";

/**
 * How trailing zeros / the decimal point are treated after digit generation:
 *  - "k": keep everything (pad with zeros up to the requested digit count)
 *  - ".": trim trailing zeros, keep the decimal point (`1.`)
 *  - "0": trim trailing zeros but leave one zero after the point (`1.0`)
 *  - "-": trim trailing zeros and a bare trailing decimal point (`1`)
 */
export type TrimMode = "k" | "." | "0" | "-";

export interface PositionalOptions {
  /** Maximum number of fractional digits; -1 for no limit. */
  precision: number;
  /** Minimum number of fractional digits to generate; -1 for none. */
  minDigits: number;
  trim: TrimMode;
  /** Pad with spaces until this many characters precede the point; -1 for none. */
  padLeft: number;
  /** Pad with spaces until this many characters follow the point; -1 for none. */
  padRight: number;
}

export interface ScientificOptions {
  /** Maximum number of digits after the leading digit; -1 for no limit. */
  precision: number;
  /** Minimum number of digits after the leading digit; -1 for none. */
  minDigits: number;
  trim: TrimMode;
  /** Pad with spaces until this many characters precede the point; -1 for none. */
  padLeft: number;
  /** Minimum number of exponent digits (default 2 when -1). */
  expDigits: number;
}

function nonFinite(parts: FloatParts): string {
  if (parts.kind === "nan") return "nan";
  return parts.negative ? "-inf" : "inf";
}

/** Trims a fraction per `trim`; returns the new fraction and whether the point stays. */
function applyTrim(frac: string, trim: TrimMode, minFrac: number): [string, boolean] {
  let hasPoint = frac.length > 0 || trim !== "-";
  if (trim === "0" && frac.length === 0) frac = "0";
  else if (trim === "k" && minFrac > frac.length) frac += "0".repeat(minFrac - frac.length);
  if (trim !== "k" && frac.length > 0) {
    frac = frac.replace(/0+$/, "");
    if (frac.length === 0) {
      if (trim === "0") frac = "0";
      else if (trim === "-") hasPoint = false;
    }
  }
  return [frac, hasPoint];
}

/** numpy `format_float_positional(x, unique=True, fractional=True, ...)`. */
export function formatPositional(x: number, dtype: FloatDType, opts: PositionalOptions): string {
  const parts = decompose(x, dtype);
  if (parts.kind !== "finite") return nonFinite(parts);
  const sign = parts.negative ? "-" : "";
  const { digits, exponent } = generateDigits(parts, x, {
    mode: "fraction",
    max: opts.precision,
    min: opts.minDigits,
  });

  let whole: string;
  let frac: string;
  if (exponent >= 0) {
    whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    frac = digits.slice(exponent + 1);
  } else {
    whole = "0";
    frac = "0".repeat(-exponent - 1) + digits;
  }
  const [trimmed, hasPoint] = applyTrim(frac, opts.trim, Math.max(opts.minDigits, 0));

  let text = sign + whole + (hasPoint ? "." : "") + trimmed;
  if (opts.padRight >= trimmed.length) {
    if (opts.trim === "-" && trimmed.length === 0) text += " ";
    text += " ".repeat(opts.padRight - trimmed.length);
  }
  const leftChars = whole.length + sign.length;
  if (opts.padLeft > leftChars) text = " ".repeat(opts.padLeft - leftChars) + text;
  return text;
}

/** numpy `format_float_scientific(x, unique=True, ...)`. */
export function formatScientific(x: number, dtype: FloatDType, opts: ScientificOptions): string {
  const parts = decompose(x, dtype);
  if (parts.kind !== "finite") return nonFinite(parts);
  const sign = parts.negative ? "-" : "";
  const { digits, exponent } = generateDigits(parts, x, {
    mode: "total",
    max: opts.precision < 0 ? -1 : opts.precision + 1,
    min: opts.minDigits < 0 ? -1 : opts.minDigits + 1,
  });

  const leftChars = 1 + sign.length;
  const pad = opts.padLeft > leftChars ? " ".repeat(opts.padLeft - leftChars) : "";
  const [frac, hasPoint] = applyTrim(digits.slice(1), opts.trim, Math.max(opts.minDigits, 0));
  const expDigits = opts.expDigits < 0 ? 2 : Math.min(opts.expDigits, 5);
  const expText = String(Math.abs(exponent)).padStart(expDigits, "0");
  const mantissa = digits[0]! + (hasPoint ? "." : "") + frac;
  return `${pad}${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${expText}`;
}

/**
 * numpy's `str()` of a floating scalar: the shortest round-tripping digits,
 * positional (`1.0`, `0.0001`) when 1e-4 <= |x| < 1e16 or x is zero/nan,
 * otherwise scientific (`1e-05`, `1.5e+20`).
 */
export function formatFloatScalar(x: number, dtype: FloatDType): string {
  const v = roundToFloatDType(x, dtype);
  const a = Math.abs(v);
  if (Number.isNaN(v) || v === 0 || (a >= 1e-4 && a < 1e16)) {
    return formatPositional(v, dtype, {
      precision: -1,
      minDigits: -1,
      trim: "0",
      padLeft: -1,
      padRight: -1,
    });
  }
  return formatScientific(v, dtype, {
    precision: -1,
    minDigits: -1,
    trim: "-",
    padLeft: -1,
    expDigits: -1,
  });
}

/** Shortest round-tripping float32 representation, as numpy's `str(np.float32(x))`. */
export function shortestFloat32(x: number): string {
  return formatFloatScalar(x, "float32");
}

/** Shortest round-tripping float16 representation, as numpy's `str(np.float16(x))`. */
export function shortestFloat16(x: number): string {
  return formatFloatScalar(x, "float16");
}
