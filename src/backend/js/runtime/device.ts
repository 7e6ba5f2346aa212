/**
 * The JavaScript device: kernels compiled with `new Function` over TypedArrays. Portable
 * (any JS engine), and the reference the other devices are tested against.
 */
import { compileGenerated } from "../../generated-js.js";
import { type DType, storedScalar, type TypedArray } from "../../../core/dtype.js";
import type { Device, DeviceBuffer, Executable, MemoryStats } from "../../device.js";
import { SiteTable, isRecordingSites } from "../../allocation-sites.js";
import type { Program } from "../../../kernel/kernel.js";
import { planBuffers } from "../../../kernel/buffer-plan.js";
import { generateProgramSource } from "../codegen/codegen.js";
import * as helpers from "../codegen/helpers.js";
import { customKernels } from "../codegen/custom-kernels.js";

export class JsBuffer implements DeviceBuffer {
  /** References held by arrays (memoryStats counts the buffers some array holds). */
  refs = 0;
  constructor(
    readonly dtype: DType,
    readonly data: TypedArray,
    readonly device: Device,
  ) {}
  get size(): number {
    return this.data.length;
  }
}

const rt = { ...helpers, kernels: customKernels };

class JsExecutable implements Executable {
  private readonly fn: (b: TypedArray[], rt: unknown, P: unknown) => void;
  /**
   * Temporaries live as long as the executable (no per-call allocation beyond outputs), in
   * slots shared by temporaries whose lifetimes do not overlap.
   */
  private temps: TypedArray[] | undefined;

  constructor(
    private readonly program: Program,
    private readonly device: JsDevice,
    readonly source: string,
    private readonly params: Record<string, unknown>,
  ) {
    this.fn = compileGenerated<typeof this.fn>(
      ["b", "rt", "P"],
      `"use strict";\n${source}`,
      "the js device's kernel program",
    );
  }

  run(inputs: readonly DeviceBuffer[]): DeviceBuffer[] {
    const p = this.program;
    const bufs = new Array<TypedArray>(p.buffers.length);
    p.inputs.forEach((id, i) => {
      const b = inputs[i]!;
      // Buffers of another device (e.g. wasm) are read through that device.
      bufs[id] = b instanceof JsBuffer ? b.data : b.device.toHost(b);
    });
    if (!this.temps) {
      const plan = planBuffers(p);
      const slots = plan.slotBytes.map((n) => new ArrayBuffer(n));
      this.temps = p.buffers.map((b) =>
        b.kind === "temp" ? new b.dtype.storage(slots[plan.slotOf[b.id]!]!, 0, b.size) : undefined!,
      );
    }
    for (const b of p.buffers) {
      if (b.kind === "temp") bufs[b.id] = this.temps[b.id]!;
      else if (b.kind === "output") bufs[b.id] = new b.dtype.storage(b.size);
    }
    this.fn(bufs, rt, this.params);
    return p.outputs.map((o) => {
      switch (o.kind) {
        case "buffer":
          return new JsBuffer(p.buffers[o.buffer]!.dtype, bufs[o.buffer]!, this.device);
        case "input":
          return inputs[o.index]!;
        case "literal": {
          const data = new o.dtype.storage(1);
          data[0] = storedScalar(o.value, o.dtype) as never;
          return new JsBuffer(o.dtype, data, this.device);
        }
      }
    });
  }
}

export class JsDevice implements Device {
  readonly name = "js";
  // Memory accounting only: the JS garbage collector owns the memory.
  private liveBuffers = 0;
  private liveBytes = 0;
  private peakBytes = 0;
  private readonly sites = new SiteTable<JsBuffer>();

  /**
   * An array took a reference to `buf`. The JS garbage collector owns this device's memory, so
   * counting it for memoryStats needs a finalizer per array, which doubles the cost of eager
   * dispatch (5.5 → 11 µs per small op): buffers are counted only while allocation sites are
   * recorded (`recordAllocationSites(true)`); otherwise no reference is taken.
   */
  retain(buf: DeviceBuffer): boolean {
    if (!(buf instanceof JsBuffer) || !isRecordingSites()) return false;
    if (buf.refs++ === 0) {
      this.liveBuffers++;
      this.liveBytes += buf.data.byteLength;
      this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
      this.sites.note(buf, buf.data.byteLength);
    }
    return true;
  }

  /** An array dropped its reference (disposed, or collected). */
  release(buf: DeviceBuffer): void {
    if (!(buf instanceof JsBuffer) || buf.refs <= 0) return;
    if (--buf.refs === 0) {
      this.liveBuffers--;
      this.liveBytes -= buf.data.byteLength;
      this.sites.drop(buf);
    }
  }

  memoryStats(options: { bySite: boolean }): MemoryStats {
    return {
      device: this.name,
      liveBuffers: this.liveBuffers,
      liveBytes: this.liveBytes,
      peakBytes: this.peakBytes,
      ...(options.bySite ? { bySite: this.sites.summary() } : {}),
    };
  }

  compile(program: Program): Executable {
    const { source, customParams } = generateProgramSource(program);
    return new JsExecutable(program, this, source, customParams);
  }
  fromHost(data: TypedArray, dtype: DType): DeviceBuffer {
    const copy = new dtype.storage(data.length);
    copy.set(data as never);
    return new JsBuffer(dtype, copy, this);
  }
  toHost(buf: DeviceBuffer): TypedArray {
    return (buf as JsBuffer).data;
  }
  /** Wrap host data without copying (the caller gives up the array). */
  adopt(data: TypedArray, dtype: DType): DeviceBuffer {
    return new JsBuffer(dtype, data, this);
  }
}
