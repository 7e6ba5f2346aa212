/** Which buffers a kernel reads and writes (control-flow kernels: everything inside them). */
import { topoSort } from "./expr.js";
import { ACC_BUFFER, type Kernel } from "./kernel.js";

export function kernelReads(k: Kernel): number[] {
  switch (k.kind) {
    case "loop": {
      const reads = new Set<number>();
      // Output offsets (dynamic-update-slice writes) read buffers too.
      for (const o of k.outputs)
        for (const e of topoSort(o.offset ? [o.expr, o.offset] : [o.expr]))
          if (e.op === "load") reads.add(e.buffer);
      return [...reads];
    }
    case "dot": {
      const reads = new Set([k.a.buffer, k.b.buffer]);
      if (k.epilogue)
        for (const e of topoSort([k.epilogue.expr]))
          if (e.op === "load" && e.buffer !== ACC_BUFFER) reads.add(e.buffer);
      return [...reads];
    }
    case "custom":
      return [...k.inputs];
    case "cond":
      return [...new Set([k.index, ...k.branches.flatMap((b) => b.flatMap(kernelReads))])];
    case "while":
      return [...new Set([k.predicate, ...[...k.cond, ...k.body].flatMap(kernelReads)])];
  }
}

export function kernelWrites(k: Kernel): number[] {
  switch (k.kind) {
    case "loop":
      return k.outputs.map((o) => o.buffer);
    case "dot":
      return [...(k.out !== undefined ? [k.out] : []), ...(k.epilogue ? [k.epilogue.out] : [])];
    case "custom":
      return [...k.outputs];
    case "cond":
      return [...new Set(k.branches.flatMap((b) => b.flatMap(kernelWrites)))];
    case "while":
      return [...new Set([k.predicate, ...[...k.cond, ...k.body].flatMap(kernelWrites)])];
  }
}
