/**
 * `await y.ready()` keeps a Node process alive until the result is computed: Atomics.waitAsync
 * holds no event-loop handle and the worker threads are unref'd, so without the device's timer
 * a script whose only pending work is that await exited with code 13 (unsettled top-level
 * await) before printing anything.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

it("a script awaiting only y.ready() runs to completion", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "jaxts-ready-"));
  try {
    const script = path.join(dir, "main.mts");
    const index = path.join(root, "src/index.ts");
    writeFileSync(
      script,
      [
        `import { jit, numpy as jnp } from ${JSON.stringify(index)};`,
        `const f = jit((a) => jnp.tanh(jnp.exp(a.mul(1e-7))));`,
        `const y = f(jnp.arange(2e7).astype("float32"));`,
        `await y.ready();`,
        `console.log("ready", y.shape.join(","));`,
      ].join("\n"),
    );
    const r = spawnSync(process.execPath, ["--import", "tsx", script], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("ready 20000000");
    expect(r.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
