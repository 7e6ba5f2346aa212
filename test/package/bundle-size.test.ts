/**
 * Bundle budget: `import { numpy } from "jaxts"` + `numpy.ones`, bundled by esbuild (browser,
 * ESM, minified) with package.json's `sideEffects` applied, must stay within BUDGET_GZIP bytes
 * gzip (level 9) — measured 183,624 B on 2026-12-07 (211,020 B with `sideEffects: true`);
 * 221,538 B on 2026-12-08 after 139 more jnp names, scipy.stats/special and eig landed (numpy's
 * nameExports keeps every numpy export), budget that + ~5%. A numpy-only import must stay smaller than the whole package. And the
 * tree-shaken bundle must still work: bundle-program.ts gives the same output bundled (Node)
 * as from the sources. ("jaxts" resolves to src/index.ts here, as in vitest.config.ts; the
 * sideEffects patterns cover src/ and dist/ alike.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { runNode } from "../support/run-node.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SRC_INDEX = join(ROOT, "src/index.ts");
/** Bytes, gzip of the minified numpy + ones bundle. */
const BUDGET_GZIP = 232_000;

/** `contents` bundled for the browser: its minified and gzip sizes. */
async function bundle(contents: string): Promise<{ min: number; gzip: number }> {
  const r = await build({
    stdin: { contents, resolveDir: ROOT, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    alias: { jaxts: SRC_INDEX },
    logLevel: "error",
    write: false,
  });
  const code = r.outputFiles[0]!.contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const tmp = mkdtempSync(join(tmpdir(), "jaxts-bundle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("bundle size (esbuild, minified, gzip)", () => {
  it(`numpy + ones stays within ${BUDGET_GZIP} B gzip, and under the whole package`, async () => {
    const ones = await bundle(
      `import { numpy } from "jaxts"; console.log(String(numpy.ones([3])));`,
    );
    const all = await bundle(`import * as jaxts from "jaxts"; console.log(jaxts);`);
    console.log(
      `numpy + ones: ${ones.min} B minified, ${ones.gzip} B gzip (budget ${BUDGET_GZIP}); ` +
        `whole package: ${all.min} B, ${all.gzip} B gzip`,
    );
    expect(ones.gzip).toBeLessThanOrEqual(BUDGET_GZIP);
    expect(ones.gzip).toBeLessThan(all.gzip);
  }, 60_000);

  it("the tree-shaken bundle computes what the sources do", async () => {
    const program = join(ROOT, "test/package/bundle-program.ts");
    const outfile = join(tmp, "program.mjs");
    await build({
      entryPoints: [program],
      outfile,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      alias: { jaxts: SRC_INDEX },
      logLevel: "error",
    });
    const [fromSource, bundled] = await Promise.all([
      runNode(["--import", "tsx", program], 90_000),
      runNode([outfile], 90_000),
    ]);
    expect(fromSource.status, fromSource.stderr).toBe(0);
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(fromSource.stdout.split("\n").length).toBeGreaterThan(10);
    expect(bundled.stdout).toBe(fromSource.stdout);
  }, 120_000);
});
