/**
 * The webgpu device does not keep Node alive: a process that used it exits on its own (Dawn
 * runs in an unref'd worker that holds the `create()` object), and after `shutdown()` too.
 * Also the browser host's rules, with a stand-in `navigator.gpu`: a synchronous read raises an
 * error that says to await, and a missing adapter is reported by the first read.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { DeviceError } from "../../../src/core/errors.js";
import { BrowserHost } from "../../../src/backend/webgpu/runtime/browser-host.js";
import { describeWebgpu } from "./webgpu-env.js";

const script = fileURLToPath(new URL("./exit-script.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

describeWebgpu("webgpu: Node exits after using the device", () => {
  it.each([[[]], [["shutdown"]]])("with arguments %j", (args) => {
    const r = spawnSync(tsx, [script, ...args], { encoding: "utf8", timeout: 120_000 });
    expect(r.error).toBeUndefined(); // a timeout would be an error here
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("values [0. 2. 4. 6. 8.] 0,2,4,6,8");
  });
});

it("browser host: no navigator.gpu → DeviceError saying WebGPU is missing", () => {
  expect(() => new BrowserHost()).toThrow(/no navigator.gpu/);
});

it("browser host: synchronous reads say to await; no adapter is reported by the first read", async () => {
  const nav = globalThis as { navigator?: unknown };
  const saved = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  Object.defineProperty(globalThis, "navigator", {
    value: { gpu: { requestAdapter: () => Promise.resolve(null) } },
    configurable: true,
  });
  try {
    const host = new BrowserHost();
    expect(() => host.readSync()).toThrow(DeviceError);
    expect(() => host.readSync()).toThrow(/await x.data\(\)/);
    expect(() => host.syncWait()).toThrow(/cannot wait for the GPU/);
    await expect(host.readAsync(1, 4)).rejects.toThrow(/no GPU adapter/);
  } finally {
    if (saved) Object.defineProperty(globalThis, "navigator", saved);
    else delete nav.navigator;
  }
});
