/**
 * The public API as the TypeScript compiler sees it: every name reachable from src/index.ts
 * (namespaces such as `numpy` expanded, `numpy.linalg.solve` etc.), with whether its
 * declaration carries a doc comment. Used by test/docs/doc-comments.test.ts and
 * scripts/docs/undocumented.ts.
 */
import ts from "typescript";

export type PublicExport = { name: string; kind: string; documented: boolean };

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.Variable) return "variable";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.ValueModule) return "namespace";
  return "other";
}

function hasDoc(symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  if (symbol.getDocumentationComment(checker).length > 0) return true;
  // A documented overload, or JSDoc tags alone (e.g. only `@example`), also count.
  return (symbol.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
}

/** All public exports of `entry` (default: src/index.ts under `root`), sorted by name. */
export function publicExports(root: string, entry = "src/index.ts"): PublicExport[] {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists, "tsconfig.build.json")!;
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  const entryPath = ts.sys.resolvePath(`${root}/${entry}`);
  const program = ts.createProgram([entryPath], { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entryPath)!;
  const out: PublicExport[] = [];
  const seen = new Set<ts.Symbol>();
  const visit = (moduleSymbol: ts.Symbol, prefix: string): void => {
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = prefix + exported.getName();
      const kind = kindOf(symbol);
      if (kind === "namespace" && symbol.flags & ts.SymbolFlags.ValueModule) {
        if (seen.has(symbol)) continue;
        seen.add(symbol);
        visit(symbol, `${name}.`);
        continue;
      }
      out.push({ name, kind, documented: hasDoc(symbol, checker) || hasDoc(exported, checker) });
    }
  };
  visit(checker.getSymbolAtLocation(source)!, "");
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
