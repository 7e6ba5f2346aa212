/**
 * `npm run bench [-- options]`: medians over repeated runs of jaxts, side by side with plain JS
 * baselines, jax-js and TensorFlow.js (wasm), printed as one aligned table.
 *
 *   --only SUBSTR        rows whose id, name or group contains SUBSTR (and the rows they compare to)
 *   --json FILE          also write every row, its samples and ratios to FILE
 *   --device js|wasm     jaxts device (config.update("defaultDevice", …)); must be registered
 *   --peer-threads N     threads for jax-js / tfjs-wasm (default: auto = the jaxts device's threads)
 *   --min-time S         seconds of timed samples per row (default 1)
 *   --min-reps N         samples per row at least (default 10)
 *   --sequential         measure each row on its own (default: a row and the rows compared to it
 *                        are measured in alternation, see measureInterleaved)
 *
 * Only the table goes to stdout; progress, warnings and peers' console output go to stderr.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { config } from "../src/index.js";
import {
  type Budget,
  defaultBudget,
  measureInterleaved,
  type NotAvailable,
  type Timed,
} from "./harness.js";
import { type JaxJsPeer, loadJaxJs } from "./peers/jaxjs.js";
import { type TfjsPeer, loadTfjs } from "./peers/tfjs.js";
import { packageVersion } from "./peers/version.js";
import { type Result, renderTable, toJson } from "./report.js";
import { type Context, type DeviceInfo, type Row, isNA } from "./rows.js";
import { dispatchRows } from "./suites/dispatch.js";
import { matmulRows } from "./suites/matmul.js";
import { mlpRows } from "./suites/mlp.js";
import { sigmoidRows } from "./suites/sigmoid.js";
import { fftRows } from "./suites/fft.js";
import { convSuiteRows } from "./suites/conv.js";
import { customKernelRows } from "./suites/custom-kernels.js";
import { threadRows } from "./suites/threads.js";
import { workloadRows } from "./suites/workloads.js";
import { webgpuRows } from "./suites/webgpu.js";

// Everything but the table goes to stderr (peers print through console.log).
const stdoutWrite = process.stdout.write.bind(process.stdout);
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

const USAGE = `usage: npm run bench -- [--only SUBSTR] [--json FILE] [--device js|wasm] [--peer-threads auto|N] [--min-time S] [--min-reps N] [--sequential]\n`;

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n${USAGE}`);
  process.exit(2);
}

const { values: opts } = (() => {
  try {
    return parseArgs({
      options: {
        only: { type: "string" },
        json: { type: "string" },
        device: { type: "string" },
        "peer-threads": { type: "string", default: "auto" },
        "min-time": { type: "string" },
        "min-reps": { type: "string" },
        sequential: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (e) {
    return fail((e as Error).message);
  }
})();
if (opts.help) {
  stdoutWrite(USAGE);
  process.exit(0);
}

function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} expects a positive number, got '${v}'`);
  return n;
}

const budget: Budget = {
  ...defaultBudget,
  minTime: positive("min-time", opts["min-time"], defaultBudget.minTime),
  minReps: Math.round(positive("min-reps", opts["min-reps"], defaultBudget.minReps)),
};

// ---------------------------------------------------------------- the jaxts device

interface DeviceLike {
  readonly name: string;
  readonly threads?: number;
  setThreads?: (n: number) => void;
  whenThreadsReady?: () => Promise<number>;
}

/** The device registry is internal (src/runtime/devices.ts); read it defensively. */
async function deviceRegistry(): Promise<
  { names: () => string[]; get: () => DeviceLike } | undefined
> {
  try {
    const m = (await import("../src/runtime/devices.js")) as unknown as {
      deviceNames?: () => string[];
      getDevice?: () => DeviceLike;
    };
    if (typeof m.deviceNames === "function" && typeof m.getDevice === "function") {
      return { names: m.deviceNames, get: m.getDevice };
    }
  } catch {
    // fall through
  }
  return undefined;
}

async function setupDevice(): Promise<DeviceInfo> {
  const reg = await deviceRegistry();
  if (opts.device !== undefined) {
    const names = reg?.names() ?? [];
    if (!names.includes(opts.device)) {
      fail(
        `device '${opts.device}' is not registered (registered: ${names.join(", ") || "unknown"})`,
      );
    }
    config.update("defaultDevice", opts.device);
  }
  const name = config.read("defaultDevice");
  const dev = reg?.get();
  if (!dev || typeof dev.setThreads !== "function" || !("threads" in dev)) {
    return { name, threads: undefined, setThreads: undefined };
  }
  const ready = async () =>
    typeof dev.whenThreadsReady === "function" ? await dev.whenThreadsReady() : (dev.threads ?? 0);
  const threads = await ready();
  return {
    name,
    threads,
    setThreads: async (n: number) => {
      config.update("threads", n);
      return ready();
    },
  };
}

// ---------------------------------------------------------------- run

function forceGc(): () => void {
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    return () => gc();
  } catch {
    return () => {};
  }
}

function machineHeader(device: DeviceInfo): string[] {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const mem = `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  const threads =
    device.threads === undefined
      ? "no thread setting"
      : device.threads === 0
        ? "single-threaded (0 workers)"
        : `${device.threads} worker threads`;
  return [
    `jaxts bench — ${model}, ${cpus.length} cores, ${mem}, ${os.platform()} ${os.arch()}, Node ${process.version}`,
    `jaxts device: ${device.name} (${threads})`,
  ];
}

/** A row that threw (in setup, a call or teardown), with the first line of why. */
function failed(row: Row, e: unknown): Result {
  const msg = (e as Error)?.message ?? String(e);
  process.stderr.write(`bench: ${row.id} failed: ${(e as Error)?.stack ?? msg}\n`);
  return { row, status: "error", reason: msg.split("\n")[0]!.slice(0, 120) };
}

/**
 * Rows measured together: each row with the rows it is compared with (following `vs` to the
 * root of its comparison chain), in the order given. Thread rows change the device's thread
 * count for their whole measurement, so they (and everything with `sequential`) go one by one.
 */
function measuringGroups(order: readonly Row[], sequential: boolean): Row[][] {
  const byId = new Map(order.map((r) => [r.id, r]));
  const alone = (r: Row) => sequential || r.id.startsWith("threads/");
  const root = (r: Row): string => {
    const ref = r.vs?.ref;
    const next = typeof ref === "string" ? byId.get(ref) : undefined;
    return next && !alone(next) ? root(next) : r.id;
  };
  const groups = new Map<string, Row[]>();
  for (const r of order) {
    const key = alone(r) ? `alone:${r.id}` : root(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

async function main(): Promise<void> {
  const device = await setupDevice();
  const peerThreads =
    opts["peer-threads"] === "auto"
      ? Math.max(1, device.threads ?? 1)
      : Math.round(positive("peer-threads", opts["peer-threads"], 1));

  let tfjsP: Promise<TfjsPeer | NotAvailable> | undefined;
  let jaxjsP: Promise<JaxJsPeer | NotAvailable> | undefined;
  const ctx: Context = {
    budget,
    device,
    peerThreads,
    tfjs: () => (tfjsP ??= loadTfjs(peerThreads)),
    jaxjs: () => (jaxjsP ??= loadJaxJs(peerThreads)),
  };

  const all: Row[] = [
    ...sigmoidRows(ctx),
    ...dispatchRows(),
    ...matmulRows(ctx),
    ...mlpRows(),
    ...threadRows(ctx),
    ...fftRows(ctx),
    ...workloadRows(ctx),
    ...convSuiteRows(ctx),
    ...customKernelRows(),
    ...webgpuRows(),
  ];
  const byId = new Map(all.map((r) => [r.id, r]));
  const selected = new Set<string>();
  const needle = opts.only?.toLowerCase();
  const add = (r: Row) => {
    if (selected.has(r.id)) return;
    selected.add(r.id);
    const ref = r.vs?.ref;
    if (typeof ref === "string" && byId.has(ref)) add(byId.get(ref)!);
  };
  for (const r of all) {
    if (!needle || [r.id, r.name, r.group].some((s) => s.toLowerCase().includes(needle))) add(r);
  }
  const rows = all.filter((r) => selected.has(r.id));
  if (rows.length === 0) fail(`--only '${opts.only}' matches no row`);

  // jaxts and plain-JS rows first (thread rows last, as they change the device), then peers.
  // Measured in groups (measuringGroups): a peer row is measured in alternation with the jaxts
  // row it is compared to; with --sequential, one row at a time in this order, so the peers'
  // Worker shim and wasm memories come after every jaxts measurement.
  const rank = (r: Row) =>
    r.lib === "jaxts" || r.lib === "baseline" ? (r.id.startsWith("threads/") ? 1 : 0) : 2;
  const order = [...rows].sort((a, b) => rank(a) - rank(b));
  const gc = forceGc();
  const results = new Map<string, Result>();
  const t0 = performance.now();
  const loadBefore = os.loadavg()[0]!;
  if (loadBefore > os.cpus().length / 2) {
    process.stderr.write(
      `bench: load average ${loadBefore.toFixed(2)} on ${os.cpus().length} cores: other processes will skew the timings\n`,
    );
  }
  const progress = process.stderr.isTTY;
  for (const group of measuringGroups(order, opts.sequential === true)) {
    if (progress) process.stderr.write(`bench: ${group.map((r) => r.id).join(", ")} …\n`);
    gc();
    const prepared: { row: Row; timed: Timed }[] = [];
    try {
      for (const row of group) {
        try {
          const p = await row.prepare(ctx);
          if (isNA(p)) results.set(row.id, { row, status: "n/a", reason: p.na });
          else prepared.push({ row, timed: p });
        } catch (e) {
          results.set(row.id, failed(row, e));
        }
      }
      // Before each slice: collect what the other rows left, and let the event loop turn so
      // that finalizers return device memory — else a row's timed call may pay for that.
      const settle = async () => {
        gc();
        await new Promise((r) => setTimeout(r, 0));
      };
      const measured = await measureInterleaved(
        prepared.map((p) => p.timed),
        budget,
        settle,
      );
      measured.forEach((m, i) => {
        const row = prepared[i]!.row;
        results.set(
          row.id,
          "stats" in m ? { row, status: "ok", stats: m.stats } : failed(row, m.error),
        );
      });
    } finally {
      for (const p of prepared.reverse()) {
        try {
          await p.timed.teardown?.();
        } catch (e) {
          results.set(p.row.id, failed(p.row, e));
        }
      }
    }
  }
  const elapsed = (performance.now() - t0) / 1e3;
  const loadAfter = os.loadavg()[0]!;
  const ordered = rows.map((r) => results.get(r.id)!);

  const header = machineHeader(device);
  const peerMeta: Record<string, unknown> = {};
  const peerShim = peerThreads > 1 ? " via a bench shim" : "";
  if (jaxjsP) {
    const p = await jaxjsP;
    if (isNA(p)) header.push(`jax-js: n/a (${p.na})`);
    else {
      header.push(
        `jax-js ${p.version}: wasm device, ${p.threads === 1 ? "main thread only (Node 20 has no Web Worker global)" : `${p.threads} workers${peerShim}`}`,
      );
      peerMeta["jaxjs"] = { version: p.version, device: "wasm", threads: p.threads, note: p.note };
    }
  }
  if (tfjsP) {
    const p = await tfjsP;
    if (isNA(p)) header.push(`tfjs: n/a (${p.na})`);
    else {
      const threadNote =
        p.threads === 1 && peerThreads === 1
          ? "1 thread (Node: multithreading disabled by tfjs)"
          : `${p.threads} thread${p.threads > 1 ? "s" : ""}${peerShim}`;
      header.push(`tfjs-core/tfjs-backend-wasm ${p.version}: ${p.build}, ${threadNote}`);
      peerMeta["tfjs"] = {
        version: p.version,
        backendWasm: packageVersion("@tensorflow/tfjs-backend-wasm"),
        build: p.build,
        threads: p.threads,
        note: p.note,
      };
    }
  }
  header.push(
    `per row: warmup, then ≥${budget.minReps} samples and ≥${budget.minTime} s of timing (≥${budget.floorReps} samples past ${budget.maxTime} s); total ${elapsed.toFixed(0)} s; 1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
  );

  stdoutWrite(renderTable(ordered, header));

  if (opts.json) {
    const cpus = os.cpus();
    const doc = toJson(ordered, {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus[0]?.model.trim(),
        cores: cpus.length,
        memoryBytes: os.totalmem(),
        platform: os.platform(),
        arch: os.arch(),
        node: process.version,
      },
      jaxts: { device: device.name, threads: device.threads ?? null },
      peers: peerMeta,
      peerThreads,
      budget,
      elapsedSeconds: elapsed,
      loadAverage: { before: loadBefore, after: loadAfter },
    });
    writeFileSync(opts.json, JSON.stringify(doc, null, 2) + "\n");
  }
  const errors = ordered.filter((r) => r.status === "error");
  process.exit(errors.length ? 1 : 0);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
