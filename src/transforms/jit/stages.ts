/**
 * Ahead-of-time stages, as `jax.stages`: `f.trace(x)` → Traced → `.lower()` → Lowered →
 * `.compile()` → Compiled (`f.lower(x)` skips the first step). A Compiled is callable, as
 * JAX's: `f.lower(x).compile()(x)`. It runs on the device it was compiled for, and only on its
 * compiled signature. Arguments may be `ShapeDtypeStruct`s wherever nothing runs.
 */
import { printJaxpr } from "../../ir/print.js";
import { programText } from "../../kernel/print.js";
import { treeUnflatten, type TreeDef } from "../../core/pytree.js";
import { type ClosedJaxpr, Jaxpr } from "../../ir/jaxpr.js";
import type { Device } from "../../backend/device.js";
import type { Value } from "../../trace/trace.js";
import type { ArrayImpl } from "../../runtime/array.js";
import type { CacheEntry, DeviceCode, Signature } from "./cache.js";
import { ShapeDtypeStruct } from "../../core/shape-dtype-struct.js";
import { rejectShapeDtypeStructs } from "./signature.js";
import { planBuffers } from "../../kernel/buffer-plan.js";
import { programCost } from "../../kernel/cost.js";
import type { Program } from "../../kernel/kernel.js";

/** What the stages need of a jitted function (jit-function.ts's JitFunction). */
export interface StagedFunction {
  readonly name: string;
  analyze(args: readonly unknown[]): { readonly signature: Signature; readonly leaves: Value[] };
  compiled(entry: CacheEntry): DeviceCode;
  execute(entry: CacheEntry, leaves: Value[], donated: undefined, code: DeviceCode): ArrayImpl[];
}

/** The outputs' shapes and dtypes, as a pytree of ShapeDtypeStructs (JAX's `out_info`). */
function outInfoOf(entry: CacheEntry): unknown {
  return treeUnflatten(entry.outTree, entry.jaxpr.outAvals.map(ShapeDtypeStruct.fromAval));
}

/** What `Traced` and `Lowered` share: the cached trace of one signature and its views. */
abstract class StageOfSignature {
  constructor(
    protected readonly jf: StagedFunction,
    protected readonly entry: CacheEntry,
    readonly signature: Signature,
  ) {}

  /** The traced jaxpr. */
  get jaxpr(): ClosedJaxpr {
    return this.entry.jaxpr;
  }
  /** The input pytree structure (of the dynamic arguments). */
  get inTree(): TreeDef {
    return this.signature.inTree;
  }
  /** The outputs as a pytree of ShapeDtypeStructs (what `evalShape` returns). */
  get outInfo(): unknown {
    return outInfoOf(this.entry);
  }
}

/**
 * A function traced for one signature, ready to lower (JAX's `jax.stages.Traced`):
 * `jit(f).trace(x)`. Tracing happens once per signature (shared with calls and `lower`).
 */
export class Traced<A extends unknown[] = unknown[], R = unknown> extends StageOfSignature {
  get funName(): string {
    return this.jf.name;
  }
  get outTree(): TreeDef {
    return this.entry.outTree;
  }
  lower(): Lowered<A, R> {
    return new Lowered<A, R>(this.jf, this.entry, this.signature);
  }
}

/**
 * JAX's cost analysis of a program: `flops`, `transcendentals`, `bytes accessed` (keys as
 * JAX's dict), per kernel of the fused kernel program, summed (kernel/cost.ts has the rules).
 */
export interface CostAnalysis {
  readonly flops: number;
  readonly transcendentals: number;
  readonly "bytes accessed": number;
}

function costOf(program: Program): CostAnalysis {
  const c = programCost(program);
  return {
    flops: c.flops,
    transcendentals: c.transcendentals,
    "bytes accessed": c.bytesAccessed,
  };
}

/** JAX's CompiledMemoryStats, camelCased. */
export interface MemoryAnalysis {
  /** Bytes of the executable's parameters: closed-over constants and arguments. */
  readonly argumentSizeInBytes: number;
  /** Bytes of the outputs the executable writes (those that are inputs are aliases). */
  readonly outputSizeInBytes: number;
  /** Bytes of outputs that are inputs passed through (no new memory). */
  readonly aliasSizeInBytes: number;
  /** Bytes of the temporaries' arena: temporaries with disjoint lifetimes share a slot. */
  readonly tempSizeInBytes: number;
  /** Bytes of the generated device code (UTF-8 of the JS source; the wasm module's text). */
  readonly generatedCodeSizeInBytes: number;
}

function memoryOf(code: DeviceCode): MemoryAnalysis {
  const p = code.compiled.program;
  const bytes = (id: number) => p.buffers[id]!.size * p.buffers[id]!.dtype.itemsize;
  const argumentSizeInBytes = p.inputs.reduce((s, id) => s + bytes(id), 0);
  let outputSizeInBytes = 0;
  let aliasSizeInBytes = 0;
  for (const o of p.outputs) {
    if (o.kind === "buffer") outputSizeInBytes += bytes(o.buffer);
    else if (o.kind === "input") aliasSizeInBytes += bytes(p.inputs[o.index]!);
    else outputSizeInBytes += o.dtype.itemsize;
  }
  return {
    argumentSizeInBytes,
    outputSizeInBytes,
    aliasSizeInBytes,
    tempSizeInBytes: planBuffers(p).slotBytes.reduce((s, b) => s + b, 0),
    generatedCodeSizeInBytes: new TextEncoder().encode(code.compiled.executable.source).length,
  };
}

export class Lowered<A extends unknown[] = unknown[], R = unknown> extends StageOfSignature {
  /** Flops, transcendentals and bytes accessed of the fused kernel program. */
  costAnalysis(): CostAnalysis {
    return costOf(this.jf.compiled(this.entry).compiled.program);
  }

  /** The optimized jaxpr and the generated kernel source (for the default device). */
  asText(): string {
    return codeText(this.jf.compiled(this.entry));
  }

  /** Compile for the default device. */
  compile(): Compiled<A, R> {
    return makeCompiled<A, R>(this.jf, this.entry, this.jf.compiled(this.entry));
  }
}

function codeText({ compiled: c, constBuffers }: DeviceCode): string {
  // The code was compiled from the call jaxpr (consts as leading inputs): show them as constvars.
  const j = c.jaxpr;
  const n = constBuffers.length;
  const shown = new Jaxpr(j.invars.slice(0, n), j.invars.slice(n), j.outvars, j.eqns);
  return (
    `# jaxpr (optimized)\n${printJaxpr(shown)}\n\n` +
    `# kernel program: ${c.program.kernels.length} kernel(s)\n${programText(c.program)}\n\n` +
    `# device ${c.device.name}\n${c.executable.source}`
  );
}

const STATE = Symbol("compiled");
interface CompiledState {
  readonly jf: StagedFunction;
  readonly entry: CacheEntry;
  readonly code: DeviceCode;
}

/**
 * A compiled executable for one signature on one device: call it with arguments of that
 * signature. `Function.prototype.call/apply/bind` keep their meaning (`c.call(null, x)`).
 */
export interface Compiled<A extends unknown[] = unknown[], R = unknown> {
  (...args: A): R;
  /** The optimized jaxpr, the kernel program and the device code, as Lowered.asText(). */
  asText(): string;
  /** The device's generated source only. */
  deviceText(): string;
  readonly device: Device;
  readonly signature: Signature;
  /** Input pytree structure (of the dynamic arguments). */
  readonly inTree: TreeDef;
  /** Output pytree structure. */
  readonly outTree: TreeDef;
  /** The traced jaxpr. */
  readonly jaxpr: ClosedJaxpr;
  /** The outputs as a pytree of ShapeDtypeStructs. */
  readonly outInfo: unknown;
  /** As Lowered.costAnalysis(), of the program compiled for this device. */
  costAnalysis(): CostAnalysis;
  /** Argument, output, alias, temporary and code bytes of the executable. */
  memoryAnalysis(): MemoryAnalysis;
}

type Stateful = { readonly [STATE]: CompiledState };

/** The prototype of Compiled functions (a Function prototype, so call/apply/bind remain). */
const compiledProto = Object.create(Function.prototype, {
  asText: {
    value(this: Stateful) {
      return codeText(this[STATE].code);
    },
  },
  costAnalysis: {
    value(this: Stateful) {
      return costOf(this[STATE].code.compiled.program);
    },
  },
  memoryAnalysis: {
    value(this: Stateful) {
      return memoryOf(this[STATE].code);
    },
  },
  outInfo: {
    get(this: Stateful) {
      return outInfoOf(this[STATE].entry);
    },
  },
  deviceText: {
    value(this: Stateful) {
      return this[STATE].code.compiled.executable.source;
    },
  },
  device: {
    get(this: Stateful) {
      return this[STATE].code.compiled.device;
    },
  },
  signature: {
    get(this: Stateful) {
      return this[STATE].entry.signature;
    },
  },
  inTree: {
    get(this: Stateful) {
      return this[STATE].entry.signature.inTree;
    },
  },
  outTree: {
    get(this: Stateful) {
      return this[STATE].entry.outTree;
    },
  },
  jaxpr: {
    get(this: Stateful) {
      return this[STATE].entry.jaxpr;
    },
  },
}) as object;

/** `x instanceof Compiled`: Compiled functions are made only by `Lowered.compile()`. */
export const Compiled = Object.defineProperty(
  function Compiled(): never {
    throw new TypeError("Compiled functions are made by jit(f).lower(...args).compile().");
  },
  Symbol.hasInstance,
  { value: (x: unknown) => typeof x === "function" && STATE in x },
);

function makeCompiled<A extends unknown[], R>(
  jf: StagedFunction,
  entry: CacheEntry,
  code: DeviceCode,
): Compiled<A, R> {
  const fn = function (...args: unknown[]): unknown {
    return runCompiled(jf, entry, code, args);
  };
  Object.defineProperty(fn, "name", { value: jf.name });
  Object.defineProperty(fn, STATE, { value: { jf, entry, code } });
  Object.setPrototypeOf(fn, compiledProto);
  return fn as unknown as Compiled<A, R>;
}

function runCompiled(jf: StagedFunction, entry: CacheEntry, code: DeviceCode, args: unknown[]) {
  const info = jf.analyze(args);
  const sig = entry.signature;
  if (info.signature.key !== sig.key) {
    const now = info.signature;
    if (now.inTree.equals(sig.inTree) && now.avals.every((a, i) => a.equals(sig.avals[i]!))) {
      const show = (s: Signature) =>
        `static ${s.statics.map((t) => `${t.name}=${t.shown}`).join(", ") || "none"}; ` +
        `config ${s.config.key}`;
      throw new TypeError(
        `Function ${jf.name} was compiled for ${show(sig)}, but was called with ${show(now)} ` +
          `(static arguments and trace config such as jax_enable_x64 are part of the compiled ` +
          `signature). Call the jitted function instead to compile for them.`,
      );
    }
    throw new TypeError(
      `Function compiled with input pytree ${sig.inTree.toString()} and signature ` +
        `[${sig.avals.map((a) => a.strShort()).join(", ")}] was called with ${now.inTree.toString()} and ` +
        `[${info.signature.avals.map((a) => a.strShort()).join(", ")}]. Compiled functions run only on ` +
        `their compiled signature; call the jitted function instead to compile for new inputs.`,
    );
  }
  rejectShapeDtypeStructs(sig, info.leaves);
  return treeUnflatten(entry.outTree, jf.execute(entry, info.leaves, undefined, code));
}
