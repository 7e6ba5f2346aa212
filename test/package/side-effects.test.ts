/**
 * package.json's `sideEffects` is accurate: it names the modules whose top-level code changes
 * state outside themselves (registering primitives, transformation rules, devices, array
 * methods, the eager executor; bare `import "./x.js"`), so that bundlers may drop every other
 * module a program does not use — and never one of these. Checked over src/ with the
 * TypeScript parser: a module with a top-level statement other than declarations must be
 * listed, or be in LOCAL_EFFECTS below with the reason its effect is invisible when no one
 * imports it; each pattern must still match a module. (The patterns start with `*` so they
 * hold for dist/*.js and src/*.ts alike: bundle-size.test.ts bundles the sources.)
 */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { sideEffects: unknown };

/** Top-level effects that only touch the module's own values: unseen if the module is dropped. */
const LOCAL_EFFECTS: Record<string, string> = {
  "src/core/dtype.ts": "fills its own name → dtype table",
  "src/lax/index.ts": "nameExports: names its own exports' functions",
  "src/nn/index.ts": "nameExports: names its own exports' functions",
  "src/numpy/index.ts": "nameExports: names its own exports' functions",
  "src/numpy/fft/index.ts": "nameExports: names its own exports' functions",
  "src/numpy/linalg/index.ts": "nameExports: names its own exports' functions",
  "src/lax/linalg/index.ts": "nameExports: names its own exports' functions",
  "src/scipy/linalg/index.ts": "nameExports: names its own exports' functions",
  "src/scipy/signal/index.ts": "nameExports: names its own exports' functions",
  "src/scipy/special/index.ts": "nameExports: names its own exports' functions",
  "src/nn/functions.ts": "defjvps on its own custom-JVP functions",
  "src/numpy/logaddexp.ts": "attaches JVPs to its own custom-JVP functions",
  "src/numpy/sinc.ts": "defjvp on its own custom-JVP function",
  "src/numpy/linalg/det.ts": "defjvp on its own custom-JVP functions",
  "src/scipy/special/namespace.ts": "defjvp on its own custom-JVP functions",
  "src/random/keys.ts": "registers its own KeyArray class as a pytree node (none exist without it)",
  "src/tree/register.ts": "registers its own Partial class as a pytree node",
  "src/transforms/jit/cache.ts": "clears its own caches on config changes",
  "src/lax/special/bessel.ts": "names and defjvp on its own custom-JVP functions",
  "src/lax/special/betainc.ts": "names and defjvp on its own custom-JVP function",
  "src/lax/special/igamma.ts": "defjvp on its own custom-JVP functions",
  "src/scipy/special/dawsn.ts": "names and defjvp on its own custom-JVP function",
  "src/scipy/special/exponential-integrals.ts": "names and defjvp on its own custom-JVP functions",
  "src/scipy/special/gamma-family.ts": "names and defjvp on its own custom-JVP function",
  "src/scipy/special/normal.ts": "names and defjvp on its own custom-JVP function",
  "src/scipy/stats/kde.ts": "shares its own class's prototype with its factory function",
};

/** A `sideEffects` glob as a RegExp over paths relative to the package root. */
function globRegExp(glob: string): RegExp {
  const parts = glob.replace(/^\.\//, "").split(/(\*\*\/|\*\*|\*)/);
  const regex: Record<string, string> = { "**/": "(?:.*/)?", "**": ".*", "*": "[^/]*" };
  const body = parts.map((p) => regex[p] ?? p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("");
  return new RegExp(`^${body}$`);
}

function sourceFiles(): string[] {
  return readdirSync(`${ROOT}/src`, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => `src/${f.replaceAll("\\", "/")}`)
    .sort();
}

const isDeclaration = (st: ts.Statement): boolean =>
  ts.isFunctionDeclaration(st) ||
  ts.isClassDeclaration(st) ||
  ts.isInterfaceDeclaration(st) ||
  ts.isTypeAliasDeclaration(st) ||
  ts.isEnumDeclaration(st) ||
  ts.isModuleDeclaration(st) ||
  ts.isExportDeclaration(st) ||
  ts.isEmptyStatement(st);

const effectsCache = new Map<string, string[]>();
/** What a module does at its top level besides declaring things (empty: nothing). */
function topLevelEffects(file: string): string[] {
  const cached = effectsCache.get(file);
  if (cached) return cached;
  const text = readFileSync(`${ROOT}/${file}`, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const effects: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      if (!st.importClause) effects.push(`import ${st.moduleSpecifier.getText(sf)}`);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer?.getText(sf) ?? "";
        if (/^(definePrimitive|registerDevice|provideRules)\b/.test(init))
          effects.push(init.slice(0, 40));
      }
    } else if (!isDeclaration(st)) {
      effects.push(st.getText(sf).slice(0, 40).replace(/\s+/g, " "));
    }
  }
  effectsCache.set(file, effects);
  return effects;
}

describe("package.json sideEffects", () => {
  const patterns = pkg.sideEffects as string[];
  const listed = (file: string) => patterns.some((p) => globRegExp(p).test(file));

  it("is a list of patterns, not `true`", () => {
    expect(Array.isArray(patterns)).toBe(true);
  });

  it("the glob reading used here matches as bundlers do", () => {
    expect(globRegExp("*/index.*").test("src/index.ts")).toBe(true);
    expect(globRegExp("*/index.*").test("dist/index.js")).toBe(true);
    expect(globRegExp("*/index.*").test("src/numpy/index.ts")).toBe(false);
    expect(globRegExp("*/primitives/**").test("dist/primitives/shape/rev.js")).toBe(true);
    expect(globRegExp("*/transforms/ad/*-rules.*").test("src/transforms/ad/scan-rules.ts")).toBe(
      true,
    );
  });

  it("lists every module with effects outside itself", () => {
    const missing = sourceFiles()
      .map((f) => ({ f, effects: topLevelEffects(f) }))
      .filter(({ f, effects }) => effects.length > 0 && !listed(f) && !(f in LOCAL_EFFECTS))
      .map(({ f, effects }) => `${f}: ${effects.join("; ")}`);
    expect(missing).toEqual([]);
  });

  it("lists nothing stale: each pattern matches a module with effects", () => {
    const withEffects = sourceFiles().filter((f) => topLevelEffects(f).length > 0);
    const stale = patterns.filter((p) => !withEffects.some((f) => globRegExp(p).test(f)));
    expect(stale).toEqual([]);
    for (const f of Object.keys(LOCAL_EFFECTS)) expect(topLevelEffects(f), f).not.toEqual([]);
  });
});
