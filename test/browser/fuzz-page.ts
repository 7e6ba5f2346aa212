/**
 * The fuzzer's fast tier in headless Chromium (issue 16), run by `npm run test:browser` after
 * the smoke test: bundles fuzz-entry.ts with esbuild (jaxts stays external: the page imports
 * the built /dist/index.js, whose workers load as an application's would), serves it on a cross-origin
 * isolated page, and fails on any disagreement (printing the reproducer), page error, console
 * error or 404. Programs: FUZZ_PAGE_COUNT (default 300) from a seed new each run
 * (FUZZ_PAGE_SEED to replay), printed.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { startServer } from "./server.js";

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const count = Number(process.env.FUZZ_PAGE_COUNT ?? 300);
const first = Number(process.env.FUZZ_PAGE_SEED ?? 20_000_000 + (Date.now() % 1_000_000_000));
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS ?? 300_000);

/** The bundle's text: fuzz-entry.ts and the fuzzer, with jaxts imported from /dist/. */
async function bundle(dir: string): Promise<string> {
  const outfile = join(dir, "fuzz.js");
  await build({
    entryPoints: [new URL("./fuzz-entry.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    outfile,
    logLevel: "error",
    plugins: [
      {
        name: "jaxts-from-dist",
        setup(b) {
          b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({
            path: "/dist/index.js",
            external: true,
          }));
        },
      },
    ],
  });
  return readFile(outfile, "utf8");
}

interface FuzzResult {
  done: boolean;
  programs: number;
  failures: string[];
  ms: number;
  fatal?: string;
}

async function main(): Promise<number> {
  if (!existsSync(executablePath)) {
    console.error(`fuzz page: no Chromium at ${executablePath}`);
    return 2;
  }
  const dir = await mkdtemp(join(tmpdir(), "jaxts-fuzz-page-"));
  const failures: string[] = [];
  const server = await startServer({ isolated: true });
  const context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const script = await bundle(dir);
    const isolation = {
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cache-Control": "no-store",
    };
    const page = await context.newPage();
    await page.route("**/fuzz/page.html*", (r) =>
      r.fulfill({
        status: 200,
        headers: { ...isolation, "Content-Type": "text/html; charset=utf-8" },
        body: `<!doctype html><meta charset="utf-8"><title>jaxts fuzz</title><script type="module" src="/fuzz/fuzz.js"></script>`,
      }),
    );
    await page.route("**/fuzz/fuzz.js", (r) =>
      r.fulfill({
        status: 200,
        headers: { ...isolation, "Content-Type": "text/javascript; charset=utf-8" },
        body: script,
      }),
    );
    page.on("console", (m) => m.type() === "error" && failures.push(`console error: ${m.text()}`));
    page.on("pageerror", (e) => failures.push(`page error: ${e.stack ?? e.message}`));
    page.on(
      "response",
      (r) => r.status() >= 400 && failures.push(`HTTP ${r.status()}: ${r.url()}`),
    );
    await page.goto(`${server.url}fuzz/page.html?first=${first}&count=${count}`);
    await page.waitForFunction(
      () => (window as { __fuzz?: FuzzResult }).__fuzz?.done === true,
      undefined,
      {
        timeout: timeoutMs,
        polling: 250,
      },
    );
    const r = await page.evaluate(() => (window as { __fuzz?: FuzzResult }).__fuzz!);
    const env = await page.evaluate(() => ({ isolated: crossOriginIsolated }));
    console.log(
      `fuzz page (Chromium, cross-origin isolated ${env.isolated}): seeds ${first}..${first + count - 1}: ` +
        `${r.programs} programs in ${(r.ms / 1000).toFixed(1)} s, ${r.failures.length} failing`,
    );
    if (r.fatal) failures.push(`fuzzer failed: ${r.fatal}`);
    if (!env.isolated) failures.push("the page is not cross-origin isolated");
    if (r.programs !== count) failures.push(`ran ${r.programs} of ${count} programs`);
    failures.push(...r.failures);
  } finally {
    await context.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  for (const p of server.notFound) failures.push(`404 from the server: ${p}`);
  if (failures.length) {
    console.error(`\nfuzz page FAILED (${failures.length}):`);
    for (const f of failures) console.error(`  - ${f}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`fuzz page FAILED: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
