/**
 * `printEnvironmentInfo()`: JAX's `jax.print_environment_info` for a JS runtime — the package
 * version, the JS engine (Node's versions, or the browser's user agent), the default backend's
 * devices and the platform, and what the devices created so far say of themselves (the wasm
 * device: shared memory, worker threads ready, and why they could not start), for bug reports.
 */
import { VERSION } from "../core/version.js";
import { defaultBackend, deviceCount, processCount } from "./device-api.js";
import { createdDevices } from "./devices.js";

interface RuntimeInfo {
  process?: { versions?: Record<string, string | undefined>; platform?: string; arch?: string };
  navigator?: { userAgent?: string; hardwareConcurrency?: number };
}

/** The report's lines, as JAX's (`jaxts: …`, `device info: wasm-1, 1 local devices`, …). */
function environmentLines(): string[] {
  const g = globalThis as RuntimeInfo;
  const versions = g.process?.versions;
  const lines = [`jaxts:  ${VERSION}`];
  if (versions?.node) {
    lines.push(`node:   ${versions.node}`, `v8:     ${versions.v8 ?? "unknown"}`);
  } else if (g.navigator?.userAgent) {
    lines.push(`browser: ${g.navigator.userAgent}`);
  }
  const backend = defaultBackend();
  const n = deviceCount();
  lines.push(`device info: ${backend}-${n}, ${n} local devices`);
  lines.push(`process_count: ${processCount()}`);
  if (g.process?.platform) lines.push(`platform: ${g.process.platform} ${g.process.arch ?? ""}`);
  else if (g.navigator?.hardwareConcurrency)
    lines.push(`hardware concurrency: ${g.navigator.hardwareConcurrency}`);
  for (const d of createdDevices()) lines.push(...(d.environmentLines?.() ?? []));
  return lines;
}

/**
 * JAX's `jax.print_environment_info(return_string=False)`: prints the report with
 * `console.log`, or returns it when `returnString` is true.
 */
export function printEnvironmentInfo(returnString = false): string | undefined {
  const text = environmentLines().join("\n");
  if (returnString) return text;
  console.log(text);
  return undefined;
}
