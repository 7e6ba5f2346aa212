/**
 * Parameter names of a JS function, parsed from its source: `function f(a, b = 1)`,
 * `(a, {b}) => …`, `a => …`, `async` forms and class methods. Destructured parameters have
 * no name (null); a rest parameter is reported with `rest: true`.
 */
import { ValueError } from "../core/errors.js";

export interface Param {
  name: string | null;
  rest: boolean;
  hasDefault: boolean;
}

/**
 * Strip comments and the contents of string, template and regular-expression literals, so
 * brackets and commas can be counted. Literals become `""`; a template's `${…}` expressions
 * are code (scrubbed recursively: they may hold strings, templates, braces and regexes).
 */
function scrub(src: string): string {
  return new Scrubber(src).code(false);
}

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

class Scrubber {
  private i = 0;
  /** The last significant character or word emitted, to tell a regex from a division. */
  private prev = "";
  constructor(private readonly src: string) {}

  /** Scrub code until the end, or (inTemplate) until the `}` closing a `${`. */
  code(inTemplate: boolean): string {
    const s = this.src;
    let out = "";
    let depth = 0;
    while (this.i < s.length) {
      const c = s[this.i]!;
      const n = s[this.i + 1];
      if (c === "/" && n === "/") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
      } else if (c === "/" && n === "*") {
        const close = s.indexOf("*/", this.i + 2);
        this.i = close < 0 ? s.length : close + 2;
        out += " ";
      } else if (c === '"' || c === "'") {
        this.skipQuoted(c);
        out += '""';
        this.prev = '"';
      } else if (c === "`") {
        this.i++;
        this.template();
        out += '""';
        this.prev = '"';
      } else if (c === "/" && this.regexAllowed()) {
        this.skipRegex();
        out += '""';
        this.prev = '"';
      } else {
        if (inTemplate && c === "}" && depth === 0) {
          this.i++;
          return out;
        }
        if (c === "{") depth++;
        else if (c === "}") depth--;
        const word = /^[A-Za-z_$][\w$]*/.exec(s.slice(this.i, this.i + 32));
        if (word) {
          out += word[0];
          this.i += word[0].length;
          this.prev = word[0];
          continue;
        }
        out += c;
        this.i++;
        if (!/\s/.test(c)) this.prev = c;
      }
    }
    return out;
  }

  private regexAllowed(): boolean {
    const p = this.prev;
    if (p === "") return true;
    if (/^[A-Za-z_$]/.test(p)) return REGEX_AFTER_WORD.has(p);
    return !/[\w$)\]}"]/.test(p);
  }

  private skipQuoted(q: string): void {
    const s = this.src;
    this.i++;
    while (this.i < s.length && s[this.i] !== q) this.i += s[this.i] === "\\" ? 2 : 1;
    this.i++;
  }

  /** After the opening backtick: up to and including the closing one. */
  private template(): void {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === "\\") this.i += 2;
      else if (c === "`") {
        this.i++;
        return;
      } else if (c === "$" && s[this.i + 1] === "{") {
        this.i += 2;
        const prev = this.prev;
        this.prev = "";
        this.code(true);
        this.prev = prev;
      } else this.i++;
    }
  }

  /** A regular-expression literal: `/…/flags`, with escapes and `[…]` classes. */
  private skipRegex(): void {
    const s = this.src;
    this.i++;
    let inClass = false;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === "\\") this.i += 2;
      else {
        this.i++;
        if (c === "[") inClass = true;
        else if (c === "]") inClass = false;
        else if (c === "/" && !inClass) break;
        else if (c === "\n") break;
      }
    }
    while (this.i < s.length && /[\w$]/.test(s[this.i]!)) this.i++;
  }
}

/** The text between the parameter list's parentheses (or the lone arrow parameter). */
function paramText(src: string): string {
  const s = scrub(src).trim();
  const arrow = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(s);
  if (arrow) return arrow[1]!;
  const open = s.indexOf("(");
  if (open < 0) return "";
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return s.slice(open + 1, i);
    }
  }
  return "";
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of s) {
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    if (c === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const parsed = new WeakMap<Function, Param[]>();

export function parseParams(f: Function): Param[] {
  let hit = parsed.get(f);
  if (!hit) parsed.set(f, (hit = parseParamsUncached(f)));
  return hit;
}

function parseParamsUncached(f: Function): Param[] {
  let text: string;
  try {
    text = paramText(Function.prototype.toString.call(f));
  } catch {
    return [];
  }
  return splitTopLevel(text).map((p) => {
    const rest = p.startsWith("...");
    const body = rest ? p.slice(3).trim() : p;
    const eq = body.search(/=(?!>)/);
    const head = (eq >= 0 ? body.slice(0, eq) : body).trim();
    const name = /^[A-Za-z_$][\w$]*$/.test(head) ? head : null;
    return { name, rest, hasDefault: eq >= 0 };
  });
}

export function functionName(f: Function): string {
  return f.name && f.name.length > 0 ? f.name : "<lambda>";
}

/** One value or a list of them, as a list (jit's argnums / argnames options). */
export function asList<T>(x: T | readonly T[] | undefined): T[] {
  return x === undefined ? [] : globalThis.Array.isArray(x) ? [...(x as T[])] : [x as T];
}

/**
 * Positions of the parameters named by jit's `option` (`staticArgnames`, `donateArgnames`):
 * JavaScript has no keyword arguments, so a name stands for its position. A name the function
 * does not have as a plain parameter, or its rest parameter, raises ValueError.
 */
export function argnamePositions(
  fnName: string,
  params: readonly Param[],
  argnames: string | readonly string[] | undefined,
  option: "staticArgnames" | "donateArgnames",
): number[] {
  const list = asList(argnames);
  return list.map((argname) => {
    if (typeof argname !== "string")
      throw new TypeError(`${option} must be strings, got ${String(argname)}.`);
    const i = params.findIndex((p) => p.name === argname);
    if (i < 0) {
      const names = params.map((p) => p.name).filter((n): n is string => n !== null);
      throw new ValueError(
        `jitted function ${fnName} has ${option}=['${list.join("', '")}'], but '${argname}' ` +
          `is not one of its plain parameters (${names.length ? names.join(", ") : "none could be parsed"}). ` +
          `Destructured and rest parameters cannot be named; use ${option.replace("names", "nums")} instead.`,
      );
    }
    if (params[i]!.rest)
      throw new ValueError(`${option} cannot name the rest parameter '${argname}'.`);
    return i;
  });
}
