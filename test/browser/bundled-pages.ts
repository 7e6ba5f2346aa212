/**
 * Test pages built from TypeScript entries (issue 16), run by `npm run test:browser` after the
 * smoke test, in headless Chromium on a cross-origin isolated page:
 *
 *   fuzz    the program fuzzer's fast tier (fuzz-entry.ts): FUZZ_PAGE_COUNT programs (default
 *           300) from a seed new each run (FUZZ_PAGE_SEED replays one), printed
 *   faults  a hung and a terminated Web Worker (fault-entry.ts)
 *
 * Each entry is bundled with esbuild; imports of the repository's src/ stay external and load
 * from the built /dist/ (so the page runs the package as an application would, and the
 * workers start as they do there). Any failed check, page error, console error or 404 fails.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type BrowserContext } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.js";
import type { PageResult } from "./page-result.js";
import { startServer } from "./server.js";

const count = Number(process.env.FUZZ_PAGE_COUNT ?? 300);
const seed = Number(process.env.FUZZ_PAGE_SEED ?? 20_000_000 + (Date.now() % 1_000_000_000));
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS ?? 300_000);
const here = fileURLToPath(new URL(".", import.meta.url));
const src = resolve(here, "../../src");

const PAGES = [
  { name: "fuzz", entry: "fuzz-entry.ts", query: `?first=${seed}&count=${count}` },
  { name: "faults", entry: "fault-entry.ts", query: "" },
];

/** The entry bundled, with every import of src/X.js left as an import of /dist/X.js. */
async function bundle(entry: string, dir: string): Promise<string> {
  const outfile = join(dir, `${entry}.js`);
  await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    format: "esm",
    outfile,
    logLevel: "error",
    plugins: [
      {
        name: "jaxts-from-dist",
        setup(b) {
          b.onResolve({ filter: /\/src\// }, (args) => {
            const file = resolve(args.resolveDir, args.path);
            if (!file.startsWith(src)) return undefined;
            return { path: `/dist/${relative(src, file)}`, external: true };
          });
        },
      },
    ],
  });
  return readFile(outfile, "utf8");
}

const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cache-Control": "no-store",
};

async function runPage(
  context: BrowserContext,
  base: string,
  name: string,
  script: string,
  query: string,
): Promise<string[]> {
  const failures: string[] = [];
  const page = await context.newPage();
  await page.route(`**/${name}/page.html*`, (r) =>
    r.fulfill({
      status: 200,
      headers: { ...ISOLATION, "Content-Type": "text/html; charset=utf-8" },
      body: `<!doctype html><meta charset="utf-8"><title>jaxts ${name}</title><script type="module" src="/${name}/page.js"></script>`,
    }),
  );
  await page.route(`**/${name}/page.js`, (r) =>
    r.fulfill({
      status: 200,
      headers: { ...ISOLATION, "Content-Type": "text/javascript; charset=utf-8" },
      body: script,
    }),
  );
  page.on("console", (m) => {
    if (m.type() === "error") failures.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => failures.push(`page error: ${e.stack ?? e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) failures.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  try {
    await page.goto(`${base}${name}/page.html${query}`);
    await page.waitForFunction(
      () => (window as { __result?: PageResult }).__result?.done === true,
      undefined,
      { timeout: timeoutMs, polling: 250 },
    );
    const r = await page.evaluate(() => (window as { __result?: PageResult }).__result!);
    const isolated = await page.evaluate(() => crossOriginIsolated);
    console.log(`${name} page (cross-origin isolated ${isolated}): ${r.summary}`);
    for (const c of r.checks) {
      console.log(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}${c.ok ? "" : `: ${c.detail}`}`);
      if (!c.ok) failures.push(`${c.name}: ${c.detail}`);
    }
    if (r.fatal) failures.push(`page script failed: ${r.fatal}`);
    if (r.checks.length === 0) failures.push("no checks ran");
    if (!isolated) failures.push("the page is not cross-origin isolated");
  } catch (e) {
    failures.push(String((e as Error).message));
  } finally {
    await page.close();
  }
  return failures.map((f) => `[${name}] ${f}`);
}

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`bundled pages: no Chromium at ${CHROMIUM_PATH}`);
    return 2;
  }
  const dir = await mkdtemp(join(tmpdir(), "jaxts-bundled-pages-"));
  const failures: string[] = [];
  const server = await startServer({ isolated: true });
  const context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    for (const p of PAGES) {
      const script = await bundle(p.entry, dir);
      failures.push(...(await runPage(context, server.url, p.name, script, p.query)));
    }
  } finally {
    await context.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  for (const p of server.notFound) failures.push(`404 from the server: ${p}`);
  if (failures.length) {
    console.error(`\nbundled pages FAILED (${failures.length}):`);
    for (const f of failures) console.error(`  - ${f}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bundled pages FAILED: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
