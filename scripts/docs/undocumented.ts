/**
 * Prints the public exports without a doc comment, or with `--write` stores them in
 * docs/undocumented.txt: the list test/docs/doc-comments.test.ts holds the API to. The list may
 * only shrink — a new export needs its doc comment; documenting a listed one means deleting its
 * line (run this with --write).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { publicExports } from "./public-exports.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const names = publicExports(root)
  .filter((e) => !e.documented)
  .map((e) => e.name);
if (process.argv.includes("--write")) {
  const header =
    "# Public exports still without a doc comment (scripts/docs/undocumented.ts --write).\n" +
    "# This list may only shrink: test/docs/doc-comments.test.ts fails on an undocumented\n" +
    "# export that is not here, and on a line here whose export is documented or gone.\n";
  writeFileSync(`${root}docs/undocumented.txt`, header + names.join("\n") + "\n");
  console.log(`docs/undocumented.txt: ${names.length} names`);
} else {
  console.log(names.join("\n"));
}
