/**
 * Bundler test (`npm run test:browser`, after the smoke test): bundles the app in
 * test/browser/bundle-app/ — which imports "jaxts" by name, resolved to this package's built
 * dist/ through its package.json (exports, sideEffects) — with esbuild and with vite
 * (production, minified; their programmatic APIs, default options) into a temporary folder,
 * serves each build from a plain static server (test/browser/static-server.ts) and opens it
 * in headless Chromium (playwright-core, /usr/bin/chromium as the smoke test):
 *
 *   esbuild, isolated   COOP/COEP headers and nothing else: worker threads must start from the
 *   vite, isolated      bundle, big kernels must run on them (a JS kernel needing the workers'
 *                       helpers too), printEnvironmentInfo() must say so
 *   esbuild, plain      no headers: single-threaded, same values
 *   esbuild, blocked    isolated, with a Content-Security-Policy refusing blob: workers: the
 *                       workers cannot start, which must be said (one jaxts console warning,
 *                       printEnvironmentInfo's FAILED TO START), and the values stay right
 *
 * Any failed check, page error, console error, jaxts console warning (a worker that could not
 * start), failed request or 404 fails the run. Without Chromium it says so and exits 0, unless
 * JAXTS_REQUIRE_BROWSER=1 (CI), where that is a failure. Prints the bundles' sizes.
 * Environment: CHROMIUM (default /usr/bin/chromium), SMOKE_TIMEOUT_MS (per page, 120000).
 */
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build as esbuild } from "esbuild";
import { chromium, type BrowserContext, type ConsoleMessage } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.js";
import { build as viteBuild } from "vite";
import { serveFolder } from "./static-server.js";

const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS ?? 120_000);
const root = fileURLToPath(new URL("../..", import.meta.url));
const appSource = fileURLToPath(new URL("./bundle-app/", import.meta.url));
/** Checks the app reports on an isolated page (a plain page: one fewer). */
const CHECKS = 7;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
interface AppResult {
  done: boolean;
  env?: Record<string, unknown>;
  checks: Check[];
  fatal?: string;
}

/** The app folder: its sources, and node_modules/jaxts linking to this package. */
async function prepareApp(tmp: string): Promise<string> {
  const app = join(tmp, "app");
  await cp(appSource, app, { recursive: true });
  await mkdir(join(app, "node_modules"));
  await symlink(root, join(app, "node_modules", "jaxts"), "dir");
  return app;
}

async function bundleWithEsbuild(app: string, out: string): Promise<void> {
  await esbuild({
    entryPoints: [join(app, "main.js")],
    outdir: out,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    logLevel: "error",
  });
  await cp(join(app, "index.html"), join(out, "index.html"));
}

async function bundleWithVite(app: string, out: string): Promise<void> {
  await viteBuild({
    root: app,
    configFile: false,
    logLevel: "error",
    build: { outDir: out, emptyOutDir: true, minify: true },
  });
}

/** The .js files of a build and their sizes: minified bytes and gzip. */
async function jsSizes(dir: string): Promise<{ min: number; gzip: number; files: string[] }> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".js"));
  let min = 0;
  let gzip = 0;
  for (const f of files) {
    const body = await readFile(join(dir, f));
    min += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { min, gzip, files };
}

interface PageRun {
  label: string;
  dir: string;
  isolated: boolean;
  /** A Content-Security-Policy refusing blob: workers: their failure is expected and checked. */
  blockWorkers?: boolean;
}
const BLOCK_WORKERS_CSP = "worker-src 'self'";

async function runPage(context: BrowserContext, run: PageRun): Promise<string[]> {
  const failures: string[] = [];
  const server = await serveFolder(
    run.dir,
    run.blockWorkers
      ? { isolated: run.isolated, csp: BLOCK_WORKERS_CSP }
      : { isolated: run.isolated },
  );
  const jaxtsWarnings: string[] = [];
  const page = await context.newPage();
  const onConsole = (where: string) => (m: ConsoleMessage) => {
    const text = m.text();
    // The browser's own report of the refused workers, on the page that refuses them.
    const refused = run.blockWorkers && /Content Security Policy|worker-src/.test(text);
    if (m.type() === "error" && !refused) failures.push(`console error (${where}): ${text}`);
    if (m.type() === "warning" && text.startsWith("jaxts:")) {
      jaxtsWarnings.push(text);
      if (!run.blockWorkers) failures.push(`jaxts warning (${where}): ${text}`);
    }
  };
  page.on("console", onConsole("page"));
  page.on("pageerror", (e) => failures.push(`page error: ${e.stack ?? e.message}`));
  page.on("requestfailed", (r) =>
    failures.push(`request failed: ${r.url()} (${r.failure()?.errorText})`),
  );
  page.on("response", (r) => {
    if (r.status() >= 400) failures.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  let workers = 0;
  page.on("worker", (w) => {
    workers++;
    w.on("console", onConsole(`worker ${w.url().slice(0, 40)}`));
  });
  const lines: string[] = [];
  try {
    await page.goto(run.blockWorkers ? `${server.url}?workers=blocked` : server.url, {
      waitUntil: "load",
    });
    await page
      .waitForFunction(
        () => (window as unknown as { __app?: AppResult }).__app?.done === true,
        undefined,
        { timeout: timeoutMs, polling: 100 },
      )
      .catch((e: Error) => failures.push(`no result within ${timeoutMs} ms: ${e.message}`));
    const app = await page.evaluate(
      () => (window as unknown as { __app?: AppResult }).__app ?? null,
    );
    if (!app) {
      failures.push("the app produced no result");
    } else {
      if (app.fatal) failures.push(`app failed: ${app.fatal}`);
      for (const c of app.checks) {
        lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail.replace(/\n/g, " | ")}`);
        if (!c.ok) failures.push(`${c.name}: ${c.detail}`);
      }
      const want = run.blockWorkers ? CHECKS - 1 : run.isolated ? CHECKS : CHECKS - 1;
      if (app.checks.length < want)
        failures.push(`only ${app.checks.length} of ${want} checks ran`);
      const env = app.env ?? {};
      const expect = (name: string, ok: boolean) => {
        lines.push(`  ${ok ? "ok  " : "FAIL"} ${name}`);
        if (!ok) failures.push(`${name} (env ${JSON.stringify({ ...env, info: undefined })})`);
      };
      const threads = Number(env.threads);
      if (run.blockWorkers) {
        expect(`no worker threads (${threads})`, threads === 0);
        expect("nothing queued to workers", Number(env.queuedTasks) === 0);
        expect(
          `one jaxts warning that workers could not start (${jaxtsWarnings.length}: ${jaxtsWarnings[0] ?? ""})`,
          jaxtsWarnings.length === 1 &&
            jaxtsWarnings[0]!.includes("could not start") &&
            jaxtsWarnings[0]!.includes("its script was refused") &&
            jaxtsWarnings[0]!.includes("worker-src blob:"),
        );
      } else if (run.isolated) {
        expect("crossOriginIsolated", env.crossOriginIsolated === true);
        if (Number(env.hardwareConcurrency) >= 2)
          expect(
            `worker threads > 1 (${threads}), Web Workers started (${workers})`,
            threads > 1 && workers >= threads,
          );
        else expect(`one CPU: single-threaded (${threads})`, threads === 0);
        if (threads > 1) {
          expect(
            `big kernels ran on the workers (${env.queuedTasks} tasks)`,
            Number(env.queuedTasks) > 0,
          );
          expect(
            `a JS kernel needing the workers' helpers ran on them (${env.helperTasks} tasks)`,
            Number(env.helperTasks) > 0,
          );
        }
      } else {
        expect("not crossOriginIsolated", env.crossOriginIsolated === false);
        expect(
          `single-threaded (${threads}), no workers (${workers})`,
          threads === 0 && workers === 0,
        );
        expect("nothing queued to workers", Number(env.queuedTasks) === 0);
      }
    }
  } catch (e) {
    failures.push((e as Error).message);
  } finally {
    await page.close();
    await server.close();
  }
  for (const p of server.notFound) failures.push(`404 from the server: ${p}`);
  console.log([`${run.label}:`, ...lines].join("\n"));
  return failures.map((f) => `[${run.label}] ${f}`);
}

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM_PATH)) {
    const why = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM)`;
    if (process.env.JAXTS_REQUIRE_BROWSER === "1") {
      console.error(`bundler test required (JAXTS_REQUIRE_BROWSER=1) but ${why}`);
      return 1;
    }
    console.log(`bundler test skipped: ${why}`);
    return 0;
  }
  if (!existsSync(join(root, "dist/index.js"))) {
    console.error("dist/ is missing: run `npm run build` first (npm run test:browser does).");
    return 2;
  }
  const tmp = await mkdtemp(join(tmpdir(), "jaxts-bundlers-"));
  const failures: string[] = [];
  let context: BrowserContext | undefined;
  try {
    const app = await prepareApp(tmp);
    const builds = { esbuild: join(tmp, "esbuild"), vite: join(tmp, "vite") };
    await bundleWithEsbuild(app, builds.esbuild);
    await bundleWithVite(app, builds.vite);
    for (const [name, dir] of Object.entries(builds)) {
      const s = await jsSizes(dir);
      console.log(
        `${name} build: ${s.files.length} JS file(s), ${(s.min / 1024).toFixed(1)} KiB minified, ` +
          `${(s.gzip / 1024).toFixed(1)} KiB gzip`,
      );
    }
    context = await chromium.launchPersistentContext(join(tmp, "profile"), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const runs: PageRun[] = [
      { label: "esbuild, isolated", dir: builds.esbuild, isolated: true },
      { label: "vite, isolated", dir: builds.vite, isolated: true },
      { label: "esbuild, not isolated", dir: builds.esbuild, isolated: false },
      {
        label: "esbuild, isolated, blob: workers refused by CSP",
        dir: builds.esbuild,
        isolated: true,
        blockWorkers: true,
      },
    ];
    for (const run of runs) failures.push(...(await runPage(context, run)));
  } finally {
    await context?.close();
    await rm(tmp, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`\nbundler test FAILED (${failures.length}):`);
    for (const f of failures) console.error(`  - ${f}`);
    return 1;
  }
  console.log("\nbundler test passed");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bundler test FAILED: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
