/**
 * Global configuration, as `jax.config`: `config.update("jax_enable_x64", true)` or
 * `config.update("enableX64", true)`. Read with `config.read(name)` or the typed fields.
 * A value of the wrong type raises TypeError; one out of its option's range raises ValueError
 * and leaves the option as it was.
 */
import { ValueError } from "./errors.js";

export interface ConfigValues {
  /** 64-bit types (float64, int64, uint64). Off by default, as in JAX. */
  enableX64: boolean;
  /** Log each jit compilation: function name, signature, time taken. */
  logCompiles: boolean;
  /** Explain why a jitted call missed its cache. */
  explainCacheMisses: boolean;
  /** Disable jit: run jitted functions op by op (jax_disable_jit). */
  disableJit: boolean;
  /** Check every primitive output for NaN (jax_debug_nans). */
  debugNans: boolean;
  /** Check every primitive output for ±inf (jax_debug_infs). */
  debugInfs: boolean;
  /** Default device name: "wasm" or "js". */
  defaultDevice: string;
  /**
   * Worker threads used by the wasm device (0 = number of CPUs; 1 = none: everything runs on
   * the calling thread, which also takes chunks of split kernels while it waits).
   */
  threads: number;
  /** Upper bound on the wasm device's memory in bytes (at most 4 GiB − 64 KiB). */
  memoryLimitBytes: number;
  /** Entries kept per jitted function's compilation cache. */
  jitCacheSize: number;
  /**
   * Let the wasm device use relaxed SIMD (fused multiply-add, lane select) where the engine
   * has it — in Node 20 by turning on V8's flag for it. Applies to programs compiled afterwards.
   */
  wasmRelaxedSimd: boolean;
  /**
   * Watchdog of the wasm device's worker threads, in milliseconds (0: off, the default). A call
   * waiting on a kernel that a worker has not finished for this long fails that kernel's arrays
   * with a DeviceError naming it; the worker is replaced.
   */
  workerTimeoutMs: number;
  /**
   * Evaluate operations on concrete values eagerly even while staging (JAX's
   * `jax_eager_constant_folding`; `ensureCompileTimeEval` sets it).
   */
  eagerConstantFolding: boolean;
}

const defaults: ConfigValues = {
  enableX64: false,
  logCompiles: false,
  explainCacheMisses: false,
  disableJit: false,
  debugNans: false,
  debugInfs: false,
  defaultDevice: "wasm",
  threads: 0,
  memoryLimitBytes: 2 ** 31,
  jitCacheSize: 256,
  wasmRelaxedSimd: true,
  workerTimeoutMs: 0,
  eagerConstantFolding: false,
};

const MAX_MEMORY = 2 ** 32 - 2 ** 16;

/** An integer in [lo, hi], or why not. */
const integerIn =
  (lo: number, hi: number, what: string) =>
  (v: number): string | undefined =>
    Number.isInteger(v) && v >= lo && v <= hi ? undefined : `expects ${what}, got ${v}`;

/** Range checks of the numeric options (a device may add checks: `config.addCheck`). */
const checks: { [K in keyof ConfigValues]?: (v: ConfigValues[K]) => string | undefined } = {
  threads: integerIn(0, 256, "an integer from 0 (one per CPU) to 256"),
  memoryLimitBytes: integerIn(
    2 ** 16,
    MAX_MEMORY,
    `a whole number of bytes from 65,536 to ${MAX_MEMORY.toLocaleString("en-US")} (4 GiB − 64 KiB, the most a 32-bit WebAssembly memory holds)`,
  ),
  jitCacheSize: integerIn(1, 2 ** 30, "a positive integer"),
  workerTimeoutMs: integerIn(
    0,
    2 ** 31 - 1,
    "0 (no timeout) or a whole number of milliseconds up to 2,147,483,647",
  ),
};

/** JAX's flag names (`jax_enable_x64`) map onto our camelCase ones. */
const aliases: Record<string, keyof ConfigValues> = {
  jax_enable_x64: "enableX64",
  jax_log_compiles: "logCompiles",
  jax_explain_cache_misses: "explainCacheMisses",
  jax_disable_jit: "disableJit",
  jax_debug_nans: "debugNans",
  jax_debug_infs: "debugInfs",
  jax_default_device: "defaultDevice",
  jax_eager_constant_folding: "eagerConstantFolding",
};

type Listener = (name: keyof ConfigValues, value: unknown) => void;

class Config {
  readonly values: ConfigValues = { ...defaults };
  private listeners: Listener[] = [];

  get enableX64(): boolean {
    return this.values.enableX64;
  }

  update(name: string, value: unknown): void {
    const key = (aliases[name] ?? name) as keyof ConfigValues;
    if (!(key in defaults)) {
      throw new Error(
        `Unrecognized config option: ${name}. Known options: ${Object.keys(defaults).join(", ")}.`,
      );
    }
    const expected = typeof defaults[key];
    if (typeof value !== expected) {
      throw new TypeError(
        `config.update("${name}", …) expects a ${expected}, got ${typeof value}.`,
      );
    }
    const check = (checks as Record<string, ((v: unknown) => string | undefined) | undefined>)[key];
    const why = check?.(value);
    if (why !== undefined) throw new ValueError(`config.update("${name}", …) ${why}.`);
    (this.values as unknown as Record<string, unknown>)[key] = value;
    for (const l of this.listeners) l(key, value);
  }

  read<K extends keyof ConfigValues>(name: K): ConfigValues[K] {
    return this.values[name];
  }

  /** Internal: check an option's values (`why` returns the reason a value is refused). */
  addCheck<K extends keyof ConfigValues>(
    name: K,
    why: (v: ConfigValues[K]) => string | undefined,
  ): void {
    const prev = checks[name];
    (checks as Record<string, unknown>)[name] = (v: ConfigValues[K]) => prev?.(v) ?? why(v);
  }

  /** Internal: be told when an option changes (caches keyed on config). */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }
}

export const config = new Config();
