/**
 * Parameter names of a JS function, parsed from its source: `function f(a, b = 1)`,
 * `(a, {b}) => …`, `a => …`, `async` forms and class methods. Destructured parameters have
 * no name (null); a rest parameter is reported with `rest: true`.
 */
export interface Param {
  name: string | null;
  rest: boolean;
  hasDefault: boolean;
}

/** Strip comments and string/template contents so brackets and commas can be counted. */
function scrub(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const n = src[i + 1];
    if (c === "/" && n === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && n === "*") {
      i += 2;
      while (i < src.length && !(src[i] === "*" && src[i + 1] === "/")) i++;
      i += 2;
    } else if (c === '"' || c === "'" || c === "`") {
      i++;
      while (i < src.length && src[i] !== c) i += src[i] === "\\" ? 2 : 1;
      i++;
      out += `${c}${c}`;
    } else {
      out += c;
      i++;
    }
  }
  return out;
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
