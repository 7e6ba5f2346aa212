/**
 * Buffer planning: temporaries whose lifetimes do not overlap share storage. Liveness is
 * measured in kernel order (a temporary lives from the kernel that writes it to the last
 * kernel that reads it; everything touched inside a control-flow kernel lives across all of
 * it); slots are assigned greedily, best fit first.
 */
import type { Program } from "./kernel.js";
import { kernelReads, kernelWrites } from "./kernel-io.js";

export interface BufferPlan {
  /** Slot of each buffer id (-1 for inputs and outputs). */
  readonly slotOf: readonly number[];
  /** Size in bytes of each slot. */
  readonly slotBytes: readonly number[];
}

export function planBuffers(p: Program): BufferPlan {
  const lastRead = new Map<number, number>();
  p.kernels.forEach((k, i) => kernelReads(k).forEach((b) => lastRead.set(b, i)));
  const slotOf = p.buffers.map(() => -1);
  const slotBytes: number[] = [];
  const free: number[] = [];
  const bytesOf = (id: number) => {
    const b = p.buffers[id]!;
    return Math.max(8, b.size * b.dtype.itemsize);
  };
  p.kernels.forEach((k, i) => {
    for (const w of kernelWrites(k)) {
      if (p.buffers[w]!.kind !== "temp" || slotOf[w] !== -1) continue;
      const need = bytesOf(w);
      // Best fit among free slots; otherwise grow the largest free slot, or open a new one.
      let best = -1;
      for (const s of free)
        if (slotBytes[s]! >= need && (best < 0 || slotBytes[s]! < slotBytes[best]!)) best = s;
      if (best < 0 && free.length) {
        best = free.reduce((a, s) => (slotBytes[s]! > slotBytes[a]! ? s : a), free[0]!);
        slotBytes[best] = need;
      }
      if (best < 0) {
        best = slotBytes.length;
        slotBytes.push(need);
      } else free.splice(free.indexOf(best), 1);
      slotOf[w] = best;
    }
    // Temporaries read for the last time here (or never read) release their slot.
    for (const b of new Set([...kernelReads(k), ...kernelWrites(k)])) {
      if (
        p.buffers[b]!.kind === "temp" &&
        slotOf[b]! >= 0 &&
        (lastRead.get(b) ?? -1) <= i &&
        !free.includes(slotOf[b]!)
      ) {
        free.push(slotOf[b]!);
      }
    }
  });
  return { slotOf, slotBytes };
}
