// Every public export has a doc comment, except the names in docs/undocumented.txt, a list that
// may only shrink (scripts/docs/undocumented.ts --write regenerates it). The API reference
// (`npm run docs`, TypeDoc) is built from these comments.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { publicExports } from "../../scripts/docs/public-exports.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function listed(): string[] {
  return readFileSync(`${root}docs/undocumented.txt`, "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"));
}

describe("doc comments on the public API", () => {
  it("documents every export not listed in docs/undocumented.txt, and the list only shrinks", () => {
    const exports = publicExports(root);
    const allowed = new Set(listed());
    const missing = exports.filter((e) => !e.documented && !allowed.has(e.name)).map((e) => e.name);
    const byName = new Map(exports.map((e) => [e.name, e]));
    const stale = [...allowed].filter((n) => byName.get(n)?.documented !== false);
    expect(missing, "new public exports need a doc comment (/** … */ on the declaration)").toEqual(
      [],
    );
    expect(
      stale,
      "documented or removed: delete these lines (npx tsx scripts/docs/undocumented.ts --write)",
    ).toEqual([]);
    expect(exports.length).toBeGreaterThan(500);
  }, 180_000);
});
