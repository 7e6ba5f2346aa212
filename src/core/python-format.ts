/**
 * Python's `str.format` for `debug.print`: replacement fields `{}`, `{0}`, `{name}`, `{{`/`}}`
 * escapes, conversions `!s`/`!r`, and the format-spec mini-language
 * `[[fill]align][sign][#][0][width][,|_][.precision][type]` with types `s d n b o x X e E f F
 * g G %` and the empty type. Numbers round as Python does (exactly, ties to even), using the
 * double's exact binary value. Errors are Python's: IndexError for a missing positional
 * field, KeyError for a missing named one, ValueError for a malformed format or spec.
 */
import { IndexError, KeyError, ValueError } from "./errors.js";

/** A value to format: its `str()`, and its Python scalar when it is one (0-d arrays are). */
export interface FormatArg {
  readonly str: string;
  readonly repr: string;
  readonly scalar?: number | bigint | boolean;
  /** The scalar is an integer (an integer dtype): formats as Python's int. */
  readonly integer?: boolean;
}

export interface ParsedField {
  readonly literal: string;
  /** The field (absent after the last literal). */
  readonly field?: { key: number | string; conversion?: string; spec: string };
}

/** Split a format string into literals and fields (automatic numbering resolved). */
export function parseFormat(fmt: string): ParsedField[] {
  const out: ParsedField[] = [];
  let lit = "";
  let auto = 0;
  let mode: "auto" | "manual" | undefined;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === "}") {
      if (fmt[i + 1] === "}") {
        lit += "}";
        i++;
        continue;
      }
      throw new ValueError("Single '}' encountered in format string");
    }
    if (c !== "{") {
      lit += c;
      continue;
    }
    if (fmt[i + 1] === "{") {
      lit += "{";
      i++;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    for (; j < fmt.length && depth > 0; j++) {
      if (fmt[j] === "{") depth++;
      else if (fmt[j] === "}") depth--;
    }
    if (depth > 0) throw new ValueError("expected '}' before end of string");
    const body = fmt.slice(i + 1, j - 1);
    const m = /^([^!:]*)(?:!([^:]*))?(?::(.*))?$/s.exec(body)!;
    const name = m[1]!;
    if (m[2] !== undefined && !/^[rsa]$/.test(m[2])) {
      throw new ValueError(
        m[2] === ""
          ? "end of string while looking for conversion specifier"
          : `Unknown conversion specifier ${m[2]}`,
      );
    }
    if (/[{}]/.test(m[3] ?? "")) {
      throw new ValueError(
        "Nested replacement fields in a format spec are not supported by debug.print",
      );
    }
    let key: number | string;
    if (name === "") {
      if (mode === "manual") {
        throw new ValueError(
          "cannot switch from manual field specification to automatic field numbering",
        );
      }
      mode = "auto";
      key = auto++;
    } else if (/^\d+$/.test(name)) {
      if (mode === "auto") {
        throw new ValueError(
          "cannot switch from automatic field numbering to manual field specification",
        );
      }
      mode = "manual";
      key = Number(name);
    } else {
      if (!/^[A-Za-z_]\w*$/.test(name)) {
        throw new ValueError(
          `debug.print supports plain field names, got '${name}' (attribute and index lookups are not supported)`,
        );
      }
      key = name;
    }
    out.push({ literal: lit, field: { key, conversion: m[2], spec: m[3] ?? "" } });
    lit = "";
    i = j - 1;
  }
  out.push({ literal: lit });
  return out;
}

/** The fields used by `fmt`: positions and names (what debug.print checks at trace time). */
export function checkFormatArgs(fmt: string, nArgs: number, names: readonly string[]): void {
  const used = new Set<number | string>();
  for (const p of parseFormat(fmt)) {
    if (!p.field) continue;
    const k = p.field.key;
    if (typeof k === "number" && k >= nArgs) {
      throw new IndexError(`Replacement index ${k} out of range for positional args tuple`);
    }
    if (typeof k === "string" && !names.includes(k)) throw new KeyError(`'${k}'`);
    used.add(k);
  }
  const unusedPos: number[] = [];
  for (let i = 0; i < nArgs; i++) if (!used.has(i)) unusedPos.push(i);
  if (unusedPos.length) {
    throw new ValueError(
      `Unused positional arguments to \`jax.debug.print\`: argument(s) ${unusedPos.join(", ")}`,
    );
  }
  const unusedNames = names.filter((n) => !used.has(n));
  if (unusedNames.length) {
    throw new ValueError(
      `Unused keyword arguments to \`jax.debug.print\`: [${unusedNames.map((n) => `'${n}'`).join(", ")}]. ` +
        `You may be passing a template literal (\`\${x}\`) into \`jax.debug.print\` and instead should ` +
        `pass in a regular string.`,
    );
  }
}

/** `fmt.format(*args, **kwargs)`. */
export function pyFormat(
  fmt: string,
  args: readonly FormatArg[],
  kwargs: Readonly<Record<string, FormatArg>>,
): string {
  let s = "";
  for (const p of parseFormat(fmt)) {
    s += p.literal;
    if (!p.field) continue;
    const { key, conversion, spec } = p.field;
    const v = typeof key === "number" ? args[key] : kwargs[key];
    if (!v) {
      if (typeof key === "number")
        throw new IndexError(`Replacement index ${key} out of range for positional args tuple`);
      throw new KeyError(`'${key}'`);
    }
    if (conversion)
      s += formatSpec({ str: conversion === "s" ? v.str : v.repr, repr: v.repr }, spec);
    else s += formatSpec(v, spec);
  }
  return s;
}

interface Spec {
  fill: string;
  align?: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping?: string;
  precision?: number;
  type: string;
}

function parseSpec(spec: string): Spec {
  const m =
    /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) throw new ValueError(`Invalid format specifier '${spec}'`);
  return {
    fill: m[1] ?? (m[5] && !m[2] ? "0" : " "),
    align: m[2] ?? (m[5] ? "=" : undefined),
    sign: m[3] ?? "-",
    alt: m[4] !== undefined,
    zero: m[5] !== undefined,
    width: m[6] ? Number(m[6]) : 0,
    grouping: m[7],
    precision: m[8] !== undefined ? Number(m[8]) : undefined,
    type: m[9] ?? "",
  };
}

/** Format one value with a spec (`format(value, spec)`). */
export function formatSpec(v: FormatArg, spec: string): string {
  // A 0-d float formats as its Python float (numpy 2's scalar __format__): the double's repr.
  if (spec === "") {
    return typeof v.scalar === "number" && !v.integer ? pyFloatRepr(v.scalar) : v.str;
  }
  const sp = parseSpec(spec);
  const x = v.scalar;
  if (x === undefined || sp.type === "s") {
    if (x === undefined && sp.type !== "s" && sp.type !== "") {
      throw new TypeError(`unsupported format string passed to numpy.ndarray.__format__`);
    }
    if (x === undefined && (sp.precision !== undefined || sp.sign !== "-")) {
      throw new TypeError(`unsupported format string passed to numpy.ndarray.__format__`);
    }
    const body = sp.precision !== undefined ? v.str.slice(0, sp.precision) : v.str;
    return pad(body, "", sp, "<");
  }
  // Booleans format as Python's ints under a non-empty spec.
  const num =
    typeof x === "boolean" ? BigInt(x ? 1 : 0) : v.integer && typeof x === "number" ? BigInt(x) : x;
  let sign = "";
  let body: string;
  const t = sp.type;
  if ("bdoxXcn".includes(t) && t !== "") {
    if (typeof num === "number" && !Number.isInteger(num)) {
      throw new ValueError(`Unknown format code '${t}' for object of type 'float'`);
    }
    let n = BigInt(num);
    if (n < 0n) {
      sign = "-";
      n = -n;
    } else if (sp.sign !== "-") sign = sp.sign;
    const radix = t === "b" ? 2 : t === "o" ? 8 : t === "x" || t === "X" ? 16 : 10;
    body = n.toString(radix);
    if (t === "X") body = body.toUpperCase();
    if (t === "c") body = String.fromCodePoint(Number(n));
    if (sp.grouping) body = group(body, sp.grouping, radix === 10 ? 3 : 4);
    if (sp.alt && radix !== 10)
      sign += radix === 2 ? "0b" : radix === 8 ? "0o" : t === "X" ? "0X" : "0x";
    return pad(body, sign, sp, ">");
  }
  if (typeof num !== "number") {
    // An integer scalar under a float presentation type, or with the empty type.
    if (t === "") {
      const n = num;
      sign = n < 0n ? "-" : sp.sign !== "-" ? sp.sign : "";
      body = (n < 0n ? -n : n).toString();
      if (sp.grouping) body = group(body, sp.grouping, 3);
      return pad(body, sign, sp, ">");
    }
  }
  const f = Number(num);
  if (t === "" && typeof x !== "number") {
    return pad(String(num), "", sp, ">");
  }
  if (f < 0 || Object.is(f, -0)) sign = "-";
  else if (sp.sign !== "-") sign = sp.sign;
  const a = Math.abs(f);
  body = formatFloat(a, sp);
  if (sp.grouping && /^\d/.test(body)) {
    const [ip, ...rest] = body.split(/(?=[.eE%])/);
    body = group(ip!, sp.grouping, 3) + rest.join("");
  }
  return pad(body, sign, sp, ">");
}

function formatFloat(a: number, sp: Spec): string {
  if (!Number.isFinite(a)) {
    const s = Number.isNaN(a) ? "nan" : "inf";
    if (sp.type === "%") return `${s}%`;
    return sp.type === "E" || sp.type === "F" || sp.type === "G" ? s.toUpperCase() : s;
  }
  const p = sp.precision;
  switch (sp.type) {
    case "f":
    case "F":
      return fixed(a, p ?? 6, sp.alt);
    case "%":
      return fixed(a * 100, p ?? 6, sp.alt) + "%";
    case "e":
    case "E": {
      const s = sci(a, p ?? 6, sp.alt);
      return sp.type === "E" ? s.toUpperCase() : s;
    }
    case "g":
    case "G":
    case "n": {
      const s = general(a, p ?? 6, sp.alt, false);
      return sp.type === "G" ? s.toUpperCase() : s;
    }
    default:
      // The empty type: repr without a precision, else 'g' with at least one decimal digit.
      return p === undefined ? pyFloatRepr(a) : general(a, p, sp.alt, true);
  }
}

/** Python's repr of a float (shortest round-trip digits, Python's exponent rules). */
export function pyFloatRepr(a: number): string {
  if (Number.isNaN(a)) return "nan";
  if (!Number.isFinite(a)) return a < 0 ? "-inf" : "inf";
  if (a === 0) return Object.is(a, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = a.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  const digits = mant.replace(".", "").replace("-", "");
  const sign = a < 0 ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp >= digits.length - 1) return `${sign}${digits}${"0".repeat(exp - digits.length + 1)}.0`;
  if (exp >= 0) return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/** round_half_even(a · 10^s) for a finite a ≥ 0, exactly, as a BigInt. */
function roundScaled(a: number, s: number): bigint {
  // a = m · 2^e exactly.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, a);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (s >= 0) num *= 10n ** BigInt(s);
  else den *= 10n ** BigInt(-s);
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

function fixed(a: number, p: number, alt: boolean): string {
  const d = roundScaled(a, p)
    .toString()
    .padStart(p + 1, "0");
  const ip = d.slice(0, d.length - p);
  return p > 0 ? `${ip}.${d.slice(d.length - p)}` : alt ? `${ip}.` : ip;
}

/** Exponent and p+1 significant digits of a > 0, rounded. */
function sigDigits(a: number, p: number): [string, number] {
  if (a === 0) return ["0".repeat(p + 1), 0];
  let k = Math.floor(Math.log10(a));
  for (;;) {
    const n = roundScaled(a, p - k);
    const lim = 10n ** BigInt(p + 1);
    if (n >= lim) k++;
    else if (n < lim / 10n) k--;
    else return [n.toString(), k];
  }
}

function sci(a: number, p: number, alt: boolean): string {
  const [d, k] = sigDigits(a, p);
  const m = p > 0 ? `${d[0]}.${d.slice(1)}` : alt ? `${d}.` : d;
  return `${m}e${k < 0 ? "-" : "+"}${String(Math.abs(k)).padStart(2, "0")}`;
}

function general(a: number, p0: number, alt: boolean, emptyType: boolean): string {
  const p = p0 === 0 ? 1 : p0;
  const [, k] = sigDigits(a, p - 1);
  let s: string;
  if (k >= -4 && k < (emptyType ? p - 1 : p)) s = fixed(a, p - 1 - k, alt);
  else s = sci(a, p - 1, alt);
  if (!alt) s = s.replace(/\.?0+(?=e|$)/, (z) => (z.startsWith(".") || s.includes(".") ? "" : z));
  if (emptyType && !/[.e]/.test(s)) s += ".0";
  return s;
}

function group(digits: string, sep: string, n: number): string {
  let out = "";
  for (let i = digits.length; i > 0; i -= n)
    out = digits.slice(Math.max(0, i - n), i) + (out ? sep + out : "");
  return out;
}

function pad(body: string, sign: string, sp: Spec, defaultAlign: string): string {
  const len = sign.length + body.length;
  if (len >= sp.width) return sign + body;
  const fill = sp.fill.repeat(sp.width - len);
  switch (sp.align ?? defaultAlign) {
    case "<":
      return sign + body + fill;
    case "^": {
      const l = Math.floor(fill.length / 2);
      return fill.slice(0, l) + sign + body + fill.slice(l);
    }
    case "=":
      return sign + fill + body;
    default:
      return fill + sign + body;
  }
}
