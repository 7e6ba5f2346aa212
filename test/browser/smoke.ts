/**
 * Browser smoke test: `npm run test:browser` (builds dist/ first; bundlers.ts runs after it).
 * Runs the built ESM package in headless Chromium (/usr/bin/chromium, driven by
 * playwright-core; Playwright's own browsers are not used) on pages served by
 * test/browser/server.ts:
 *
 *   isolated     COOP same-origin + COEP require-corp: SharedArrayBuffer, so the wasm device
 *                uses shared memory and Web Workers (worker threads > 0, big kernels queued)
 *   not isolated no SharedArrayBuffer: the wasm device runs single-threaded
 *   strict CSP   not isolated, with `Content-Security-Policy: script-src 'self'
 *                'wasm-unsafe-eval'` (no eval): WebAssembly and custom kernels run, a kernel
 *                that needs generated JS raises a DeviceError naming the policy
 *
 * and checks the values in test/browser/page.js on both. Any failed check, page error, console
 * error, failed request or 404 fails the run with a non-zero exit. `npm test` runs it last
 * (scripts/browser-tests.ts) when Chromium is installed; CI installs it and requires it.
 * Environment: CHROMIUM (executable path, default /usr/bin/chromium),
 * SMOKE_TIMEOUT_MS (per page, default 120000).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type ConsoleMessage } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.js";
import { STRICT_CSP, startServer } from "./server.js";

const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS ?? 120_000);

/** Checks page.js reports on each page. */
const CHECKS = 13;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
interface Smoke {
  done: boolean;
  env?: Record<string, unknown>;
  checks: Check[];
  fatal?: string;
}

interface PageMode {
  label: string;
  isolated: boolean;
  csp?: string;
}
const MODES: PageMode[] = [
  { label: "isolated", isolated: true },
  { label: "not isolated", isolated: false },
  { label: "strict CSP", isolated: false, csp: STRICT_CSP },
];

async function runPage(
  context: BrowserContext,
  mode: PageMode,
): Promise<{ failures: string[]; lines: string[] }> {
  const { label, isolated, csp } = mode;
  const failures: string[] = [];
  const lines: string[] = [];
  const server = await startServer(csp ? { isolated, csp } : { isolated });
  const page = await context.newPage();
  const onConsole = (where: string) => (m: ConsoleMessage) => {
    if (m.type() === "error") failures.push(`console error (${where}): ${m.text()}`);
  };
  page.on("console", onConsole("page"));
  page.on("pageerror", (e) => failures.push(`page error: ${e.stack ?? e.message}`));
  page.on("requestfailed", (r) =>
    failures.push(`request failed: ${r.url()} (${r.failure()?.errorText})`),
  );
  page.on("response", (r) => {
    if (r.status() >= 400) failures.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("worker", (w) => {
    w.on("console", onConsole(`worker ${w.url().slice(0, 40)}`));
  });
  try {
    await page.goto(server.url, { waitUntil: "load" });
    const done = page
      .waitForFunction(
        () => (window as unknown as { __smoke?: Smoke }).__smoke?.done === true,
        undefined,
        { timeout: timeoutMs, polling: 100 },
      )
      .then(
        () => undefined,
        (e: Error) => void failures.push(`no result within ${timeoutMs} ms: ${e.message}`),
      );
    // Stop early on a page error or failed request (the page may never produce a result).
    let poll: NodeJS.Timeout | undefined;
    const broken = new Promise<void>((ok) => {
      poll = setInterval(() => failures.some((f) => !f.startsWith("console")) && ok(), 100);
    });
    await Promise.race([done, broken]);
    clearInterval(poll);
    const smoke = await page.evaluate(
      () => (window as unknown as { __smoke?: Smoke }).__smoke ?? null,
    );
    if (!smoke) {
      failures.push("the page produced no result");
    } else {
      if (smoke.fatal) failures.push(`page script failed: ${smoke.fatal}`);
      const env = smoke.env ?? {};
      lines.push(`  env: ${JSON.stringify(env)}`);
      for (const c of smoke.checks) {
        lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
        if (!c.ok) failures.push(`${c.name}: ${c.detail}`);
      }
      if (smoke.checks.length < CHECKS)
        failures.push(`only ${smoke.checks.length} of ${CHECKS} checks ran`);
      // The threading mode each page must be in.
      const expect = (name: string, ok: boolean) => {
        lines.push(`  ${ok ? "ok  " : "FAIL"} ${name}`);
        if (!ok) failures.push(`${name} (env ${JSON.stringify(env)})`);
      };
      if (smoke.env) {
        const threads = Number(env.threads);
        if (isolated) {
          expect("crossOriginIsolated, SharedArrayBuffer", env.crossOriginIsolated === true);
          expect("shared wasm memory", env.sharedMemory === true);
          expect(`worker threads > 0 (${threads})`, threads > 0);
          expect(
            `big kernels handed to the workers (${env.queuedTasks} tasks)`,
            Number(env.queuedTasks) > 0,
          );
        } else {
          expect("not crossOriginIsolated", env.crossOriginIsolated === false);
          expect("unshared wasm memory", env.sharedMemory === false);
          expect(`single-threaded (threads ${threads})`, threads === 0);
          expect("nothing queued to workers", Number(env.queuedTasks) === 0);
        }
      }
    }
  } catch (e) {
    failures.push(`${(e as Error).message}`);
  } finally {
    await page.close();
    await server.close();
  }
  // The server's own record also covers requests made by workers.
  for (const p of server.notFound) failures.push(`404 from the server: ${p}`);
  return { failures, lines: [`${label} page:`, ...lines] };
}

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(
      `test:browser needs Chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium; ` +
        `or set CHROMIUM=/path/to/chrome).`,
    );
    return 2;
  }
  if (!existsSync(new URL("../../dist/index.js", import.meta.url))) {
    console.error("dist/ is missing: run `npm run build` first (npm run test:browser does).");
    return 2;
  }
  const userDataDir = await mkdtemp(join(tmpdir(), "jaxts-chromium-"));
  let context: BrowserContext | undefined;
  const failures: string[] = [];
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    console.log(`Chromium ${context.browser()?.version() ?? ""} (${CHROMIUM_PATH})`);
    for (const mode of MODES) {
      const r = await runPage(context, mode);
      console.log(r.lines.join("\n"));
      failures.push(...r.failures.map((f) => `[${mode.label}] ${f}`));
    }
  } finally {
    await context?.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`\nbrowser smoke test FAILED (${failures.length}):`);
    for (const f of failures) console.error(`  - ${f}`);
    return 1;
  }
  console.log("\nbrowser smoke test passed");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`browser smoke test FAILED: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
