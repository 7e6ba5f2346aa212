/**
 * One road from compiled code to results, for eager dispatch and jit alike: argument buffers
 * (a JS scalar becomes a temporary unowned buffer), the executable's run, the outputs wrapped
 * as arrays, the temporaries dropped.
 */
import type { ShapedArray } from "../core/aval.js";
import { config } from "../core/config.js";
import { FloatingPointError } from "../core/errors.js";
import type { DeviceBuffer } from "../backend/device.js";
import { Array } from "../trace/array.js";
import type { Value } from "../trace/trace.js";
import { ArrayImpl, scalarData } from "./array.js";
import type { Compiled } from "./device-code.js";

export interface RunArgs {
  /** Leading inputs already on the device (a jitted function's constants). */
  readonly consts?: readonly DeviceBuffer[];
  /** The call's arguments (concrete arrays or JS scalars) and their avals. */
  readonly args: readonly Value[];
  readonly inAvals: readonly ShapedArray[];
  readonly outAvals: readonly ShapedArray[];
  /** Arguments whose buffers the call may reuse for outputs (disposed by the caller after). */
  readonly donated?: ReadonlySet<ArrayImpl>;
  /** What runs, for `debugNans`/`debugInfs` errors: a primitive's name, or `jit(f)`. */
  readonly what?: string;
}

/**
 * `jax_debug_nans` / `jax_debug_infs`: a float or complex output holding a NaN (or ±inf)
 * raises FloatingPointError naming what produced it, as JAX's "invalid value (nan) encountered
 * in log" (reading the outputs waits for them: a debugging mode, as in JAX).
 */
function checkSpecialValues(
  outs: readonly ArrayImpl[],
  what: string,
  nans: boolean,
  infs: boolean,
): void {
  for (const y of outs) {
    const d = y.dtype;
    if (!(d.isFloat || d.isComplex) || y.size === 0) continue;
    const v = y.toTypedArray();
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as number;
      const kind = nans && Number.isNaN(x) ? "nan" : infs && Math.abs(x) === Infinity ? "inf" : "";
      if (kind) {
        const option = kind === "nan" ? "debugNans" : "debugInfs";
        throw new FloatingPointError(
          `invalid value (${kind}) encountered in ${what} (config ${option} is on; turn it ` +
            `off with config.update("${option}", false))`,
        );
      }
    }
  }
}

export function runCompiled(compiled: Compiled, run: RunArgs): ArrayImpl[] {
  if (compiled.host) return compiled.host(run.consts ?? [], run.args);
  const device = compiled.device;
  const { args, inAvals } = run;
  const consts = run.consts ?? [];
  const inputs = consts.slice();
  const temps: DeviceBuffer[] = [];
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (x instanceof ArrayImpl) inputs.push(x.buffer);
    else if (x instanceof Array) throw new Error(`expected a concrete array, got ${String(x)}`);
    else {
      const aval = inAvals[i]!;
      const b = device.fromHost(scalarData(x, aval.dtype), aval.dtype);
      temps.push(b);
      inputs.push(b);
    }
  }
  const donated = run.donated;
  const options =
    donated && donated.size
      ? {
          donate: inputs.map(
            (_, j) => j >= consts.length && donated.has(args[j - consts.length] as ArrayImpl),
          ),
        }
      : undefined;
  const outs = compiled.executable.run(inputs, options);
  const result = outs.map((b, i) => new ArrayImpl(run.outAvals[i]!, b));
  for (const t of temps) device.dropUnowned?.(t);
  const { debugNans, debugInfs } = config.values;
  if (debugNans || debugInfs) {
    checkSpecialValues(result, run.what ?? "a compiled computation", debugNans, debugInfs);
  }
  return result;
}
