/** Device registry: the default device comes from `config.defaultDevice`. */
import { config } from "../core/config.js";
import type { Device } from "../backend/device.js";
import { JsDevice } from "../backend/js/runtime/device.js";
import { WasmDevice } from "../backend/wasm/runtime/device.js";
import { WebGpuDevice } from "../backend/webgpu/runtime/device.js";

const devices = new Map<string, () => Device>();
const instances = new Map<string, Device>();

export function registerDevice(name: string, make: () => Device): void {
  devices.set(name, make);
}

config.addCheck("defaultDevice", (name) =>
  devices.has(name)
    ? undefined
    : `expects a registered device name (${[...devices.keys()].map((d) => `"${d}"`).join(", ")}), got "${name}"`,
);

registerDevice("js", () => new JsDevice());
registerDevice("wasm", () => new WasmDevice());
// Created on first use: in Node that starts Dawn (the optional `webgpu` package) in a worker.
registerDevice("webgpu", () => new WebGpuDevice());

export function getDevice(name: string = config.read("defaultDevice")): Device {
  let d = instances.get(name);
  if (!d) {
    const make = devices.get(name);
    if (!make) {
      throw new Error(
        `Unknown device '${name}'. Available devices: ${[...devices.keys()].join(", ")}.`,
      );
    }
    d = make();
    instances.set(name, d);
  }
  return d;
}

/** The devices created so far (getDevice creates one on first use). */
export function createdDevices(): Device[] {
  return [...instances.values()];
}

export function deviceNames(): string[] {
  return [...devices.keys()];
}
