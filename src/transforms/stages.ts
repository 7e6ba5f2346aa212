/** Ahead-of-time stages, as `jax.stages`: `f.lower(x)` → Lowered → `.compile()` → Compiled. */
import { printJaxpr } from "../ir/print.js";
import { programText } from "../backend/kernel/print.js";
import { treeFlatten, treeUnflatten } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import { isTypedArray } from "../core/dtype.js";
import type { CacheEntry, Signature } from "./jit-cache.js";
import type { JitFunction } from "./jit.js";

export class Lowered {
  constructor(
    private readonly jf: JitFunction,
    private readonly entry: CacheEntry,
    readonly signature: Signature,
  ) {}

  /** The traced jaxpr. */
  get jaxpr() {
    return this.entry.jaxpr;
  }

  /** The optimized jaxpr and the generated kernel source. */
  asText(): string {
    const c = this.jf.compiled(this.entry);
    return (
      `# jaxpr (optimized)\n${printJaxpr(c.jaxpr)}\n\n` +
      `# kernel program: ${c.program.kernels.length} kernel(s)\n${programText(c.program)}\n\n` +
      `# device ${c.device.name}\n${c.executable.source}`
    );
  }

  compile(): Compiled {
    this.jf.compiled(this.entry);
    return new Compiled(this.jf, this.entry);
  }
}

export class Compiled {
  constructor(
    private readonly jf: JitFunction,
    private readonly entry: CacheEntry,
  ) {}

  asText(): string {
    return this.entry.compiled!.executable.source;
  }

  /** Run on arguments of exactly the compiled signature. */
  call(...args: unknown[]): unknown {
    const info = this.jf.analyze(args);
    const sig = this.entry.signature;
    if (info.signature.key !== sig.key) {
      const [, tree] = treeFlatten(args, (x) => x instanceof Array || isTypedArray(x));
      throw new TypeError(
        `Function compiled with input pytree ${sig.inTree.toString()} and signature ` +
          `[${sig.avals.map((a) => a.strShort()).join(", ")}] was called with ${tree.toString()} and ` +
          `[${info.signature.avals.map((a) => a.strShort()).join(", ")}]. Compiled functions run only on ` +
          `their compiled signature; call the jitted function instead to compile for new inputs.`,
      );
    }
    return treeUnflatten(this.entry.outTree, this.jf.execute(this.entry, info.leaves));
  }
}
