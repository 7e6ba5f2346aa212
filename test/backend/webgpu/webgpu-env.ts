/**
 * Test setup for the webgpu device: finds Mesa's lavapipe ICD the way scripts/setup-webgpu.sh
 * does and sets VK_ICD_FILENAMES / XDG_RUNTIME_DIR when they are unset, then tries to start the
 * device once. Without an adapter the webgpu suites are skipped with the reason printed —
 * except under CI_REQUIRE_WEBGPU=1 (.ci/run), where that is a failing test.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { afterAll, describe, it } from "vitest";
import { getDevice } from "../../../src/runtime/devices.js";
import type { WebGpuDevice } from "../../../src/backend/webgpu/runtime/device.js";

const ICD_DIR = "/usr/share/vulkan/icd.d";
if (!process.env.VK_ICD_FILENAMES && existsSync(ICD_DIR)) {
  const icd = readdirSync(ICD_DIR).find((f) => f.startsWith("lvp_icd") && f.endsWith(".json"));
  if (icd) process.env.VK_ICD_FILENAMES = `${ICD_DIR}/${icd}`;
}
if (!process.env.XDG_RUNTIME_DIR) {
  mkdirSync("/tmp/xdg-runtime", { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = "/tmp/xdg-runtime";
}

let device: WebGpuDevice | undefined;
let reason = "";
try {
  device = getDevice("webgpu") as WebGpuDevice;
} catch (e) {
  reason = e instanceof Error ? e.message : String(e);
}
export const webgpu = device;

/** `describe` for suites that need the device (skipped locally without one, failing in CI). */
export function describeWebgpu(name: string, body: () => void): void {
  if (device) {
    describe(name, body);
    return;
  }
  if (process.env.CI_REQUIRE_WEBGPU === "1") {
    describe(name, () => {
      it("has a WebGPU adapter (CI_REQUIRE_WEBGPU=1)", () => {
        throw new Error(`no webgpu device: ${reason}`);
      });
    });
    return;
  }
  console.warn(`[webgpu] skipping "${name}": ${reason}`);
  describe.skip(`${name} (skipped: no webgpu device: ${reason})`, body);
}

/** Release the GPU when the file's tests are done, so the test process exits at once. */
export function shutdownAfterAll(): void {
  afterAll(() => device?.shutdown());
}
