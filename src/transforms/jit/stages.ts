/**
 * Ahead-of-time stages, as `jax.stages`: `f.lower(x)` → Lowered → `.compile()` → Compiled.
 * A Compiled is callable, as JAX's: `f.lower(x).compile()(x)`. It runs on the device it was
 * compiled for, and only on its compiled signature.
 */
import { printJaxpr } from "../../ir/print.js";
import { programText } from "../../kernel/print.js";
import { treeUnflatten, type TreeDef } from "../../core/pytree.js";
import { type ClosedJaxpr, Jaxpr } from "../../ir/jaxpr.js";
import type { Device } from "../../backend/device.js";
import type { Value } from "../../trace/trace.js";
import type { ArrayImpl } from "../../runtime/array.js";
import type { CacheEntry, DeviceCode, Signature } from "./cache.js";

/** What the stages need of a jitted function (jit-function.ts's JitFunction). */
export interface StagedFunction {
  readonly name: string;
  analyze(args: readonly unknown[]): { readonly signature: Signature; readonly leaves: Value[] };
  compiled(entry: CacheEntry): DeviceCode;
  execute(entry: CacheEntry, leaves: Value[], donated: undefined, code: DeviceCode): ArrayImpl[];
}

export class Lowered<A extends unknown[] = unknown[], R = unknown> {
  constructor(
    private readonly jf: StagedFunction,
    private readonly entry: CacheEntry,
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
}

type Stateful = { readonly [STATE]: CompiledState };

/** The prototype of Compiled functions (a Function prototype, so call/apply/bind remain). */
const compiledProto = Object.create(Function.prototype, {
  asText: {
    value(this: Stateful) {
      return codeText(this[STATE].code);
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
  return treeUnflatten(entry.outTree, jf.execute(entry, info.leaves, undefined, code));
}
