/**
 * JAX's device functions at the top level: `devices`, `localDevices`, `deviceCount`,
 * `localDeviceCount`, `defaultBackend`, `devicePut`, `blockUntilReady`, `processIndex`,
 * `processCount`, `processIndices`. jaxts runs in one process with one device per backend
 * ("wasm", "js"): a backend's device list has one entry, with JAX's fields (`platform`, `id`,
 * `processIndex`, `deviceKind`). `devicePut` copies each array leaf of a pytree to the device
 * (arrays already there are returned as they are, as JAX may), and turns JS scalars and
 * TypedArrays into arrays there.
 */
import type { Device as DeviceImpl } from "../backend/device.js";
import { config } from "../core/config.js";
import { type TypedArray, isTypedArray } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { treeFlatten, treeUnflatten } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import { scalarAval } from "../trace/trace.js";
import { ArrayImpl, scalarData, typedArrayToArray } from "./array.js";
import { deviceNames, getDevice } from "./devices.js";

/** A device as `jax.Device` describes one: one per backend in jaxts. */
export class Device {
  /** The backend name ("wasm", "js"): JAX's `platform`. */
  readonly platform: string;
  /** The device's number within its backend (always 0: one device per backend). */
  readonly id = 0;
  /** The process that owns it (always 0: jaxts runs in one process). */
  readonly processIndex = 0;
  /** JAX's `device_kind`: a description of the hardware. */
  readonly deviceKind: string;
  /** @internal the runtime device. */
  readonly impl: DeviceImpl;
  /** @internal */
  constructor(impl: DeviceImpl) {
    this.impl = impl;
    this.platform = impl.name;
    this.deviceKind = impl.name === "wasm" ? "WebAssembly SIMD128" : "JavaScript";
  }
  toString(): string {
    return `${this.platform.charAt(0).toUpperCase()}${this.platform.slice(1)}Device(id=${this.id})`;
  }
}

const wrappers = new Map<DeviceImpl, Device>();
function wrap(impl: DeviceImpl): Device {
  let d = wrappers.get(impl);
  if (!d) wrappers.set(impl, (d = new Device(impl)));
  return d;
}

function backendDevice(backend?: string | null): DeviceImpl {
  const name = backend ?? config.read("defaultDevice");
  if (!deviceNames().includes(name)) {
    throw new ValueError(
      `Backend '${name}' is not in the list of known backends: ${deviceNames().join(", ")}.`,
    );
  }
  return getDevice(name);
}

/** The devices of `backend` (default: the default backend), as `jax.devices`. */
export function devices(backend?: string | null): Device[] {
  return [wrap(backendDevice(backend))];
}

/** This process's devices of `backend`, as `jax.local_devices` (all of them, here). */
export function localDevices(
  options: { processIndex?: number | null; backend?: string | null } = {},
): Device[] {
  const p = options.processIndex ?? 0;
  if (p !== 0) throw new ValueError(`processIndex ${p} out of range: jaxts runs one process (0).`);
  return devices(options.backend);
}

/** The number of devices of `backend`, as `jax.device_count`. */
export function deviceCount(backend?: string | null): number {
  return devices(backend).length;
}

/** The number of this process's devices, as `jax.local_device_count`. */
export function localDeviceCount(backend?: string | null): number {
  return localDevices({ backend }).length;
}

/** The default backend's platform name, as `jax.default_backend` ("wasm" unless configured). */
export function defaultBackend(): string {
  return backendDevice().name;
}

/** This process's index, as `jax.process_index` (always 0). */
export function processIndex(_backend?: string | null): number {
  return 0;
}

/** The number of processes, as `jax.process_count` (always 1). */
export function processCount(_backend?: string | null): number {
  return 1;
}

/** The processes' indices, as `jax.process_indices` ([0]). */
export function processIndices(_backend?: string | null): number[] {
  return [0];
}

function targetDevice(device: Device | string | null | undefined): DeviceImpl {
  if (device instanceof Device) return device.impl;
  return backendDevice(device);
}

function putLeaf(x: unknown, target: DeviceImpl): unknown {
  if (x instanceof ArrayImpl) {
    const src = x.buffer;
    if (src.device === target) return x;
    return new ArrayImpl(x.aval, target.fromHost(src.device.toHost(src), src.dtype));
  }
  if (x instanceof Array) return x; // a tracer: jit places its values on the call's device
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
    const aval = scalarAval(x);
    return new ArrayImpl(aval, target.fromHost(scalarData(x, aval.dtype), aval.dtype));
  }
  if (isTypedArray(x)) return putLeaf(typedArrayToArray(x as TypedArray), target);
  throw new TypeError(`devicePut: a leaf of type ${typeof x} is not a valid JAX type.`);
}

/**
 * Copy `x` (a pytree of arrays, JS scalars, TypedArrays) to `device` (a `Device`, a backend
 * name, or the default device), as `jax.device_put`. Leaves already on that device come back
 * unchanged; under a transformation tracers are returned as they are.
 */
export function devicePut<T>(x: T, device?: Device | string | null): T {
  const target = targetDevice(device);
  const [leaves, def] = treeFlatten(x);
  return treeUnflatten<T>(
    def,
    leaves.map((l) => putLeaf(l, target)),
  );
}

/**
 * Wait until every array in the pytree `x` is computed and return `x`, as
 * `jax.block_until_ready` (a failed computation raises its DeviceError here).
 */
export function blockUntilReady<T>(x: T): T {
  for (const leaf of treeFlatten(x)[0]) if (leaf instanceof Array) leaf.blockUntilReady();
  return x;
}
