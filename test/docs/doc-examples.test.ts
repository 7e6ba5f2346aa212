/**
 * Doc comments' examples are run: every `@example` block in src/ (and README.md's TypeScript
 * blocks) is transpiled and executed with the package's exports in scope (`jnp` = `numpy`).
 * An expression statement followed by `//` comment lines is checked: `String(value)` must equal
 * those lines' text (multi-line output: one `//` line each). Other statements just have to run.
 */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as jaxts from "../../src/index.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Example {
  where: string;
  code: string;
}

/** The `@example` blocks of one source file's doc comments. */
function examplesIn(file: string): Example[] {
  const text = readFileSync(`${ROOT}/${file}`, "utf8");
  const out: Example[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const lines = m[1]!.split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
    let at = lines.findIndex((l) => l.trimStart().startsWith("@example"));
    while (at >= 0) {
      const end = lines.findIndex((l, k) => k > at && l.trimStart().startsWith("@"));
      const body = lines.slice(at + 1, end < 0 ? undefined : end);
      const code = body
        .join("\n")
        .replace(/^```\w*\n|```\s*$/gm, "")
        .trim();
      const line = text.slice(0, m.index).split("\n").length + at;
      if (code) out.push({ where: `${file}:${line}`, code });
      at = end;
    }
  }
  return out;
}

function allExamples(): Example[] {
  const files = readdirSync(`${ROOT}/src`, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `src/${f.replaceAll("\\", "/")}`)
    .sort();
  return files.flatMap(examplesIn);
}

/**
 * The example as a function body: each checked expression statement becomes
 * `__check(k, expr)`, with its expected text recorded in `expected[k]`.
 */
function instrument(code: string): { js: string; expected: string[] } {
  const sf = ts.createSourceFile("example.ts", code, ts.ScriptTarget.Latest, true);
  const expected: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  for (const st of sf.statements) {
    if (!ts.isExpressionStatement(st)) continue;
    const comments = (ts.getTrailingCommentRanges(code, st.end) ?? []).concat(
      ts.getLeadingCommentRanges(code, st.end) ?? [],
    );
    const lines = comments
      .filter((c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia)
      .map((c) => code.slice(c.pos + 2, c.end).replace(/^ /, ""));
    if (lines.length === 0) continue;
    edits.push({
      start: st.getStart(sf),
      end: st.end,
      text: `__check(${expected.length}, (${st.expression.getText(sf)}));`,
    });
    expected.push(lines.join("\n"));
  }
  let out = code;
  for (const e of edits.reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const js = ts.transpileModule(out, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  return { js, expected };
}

/** Run an example with the package's exports in scope; returns [got, want] per check. */
function run(code: string): [string, string][] {
  const { js, expected } = instrument(code);
  // `export` (jax.export) is a reserved word: examples reach it as `jax.export`.
  const names = Object.keys(jaxts).filter(
    (n) => n !== "Array" && n !== "default" && n !== "export",
  );
  const got: string[] = [];
  const body = `const { ${names.join(", ")} } = __jaxts; const jnp = numpy;\n${js}`;
  new Function("__jaxts", "__check", body)(jaxts, (k: number, v: unknown) => (got[k] = String(v)));
  return expected.map((want, k) => [got[k] ?? "(not reached)", want]);
}

describe("doc comments' @example blocks run and print what they say", () => {
  const examples = allExamples();
  it("there are examples to run", () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  for (const ex of examples) {
    it(ex.where, () => {
      for (const [got, want] of run(ex.code)) expect(got).toBe(want);
    });
  }
});

describe("the checker", () => {
  it("fails an example whose comment disagrees with the value", () => {
    expect(run("jnp.arange(3)\n// [0 1 2]")).toEqual([["[0 1 2]", "[0 1 2]"]]);
    expect(run("jnp.arange(3).sum()\n// 4")).toEqual([["3", "4"]]);
    expect(() => run("jnp.undefinedThing(1)")).toThrow(TypeError);
  });
});
