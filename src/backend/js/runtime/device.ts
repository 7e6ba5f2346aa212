/**
 * The JavaScript device: kernels compiled with `new Function` over TypedArrays. Portable
 * (any JS engine), and the reference the other devices are tested against.
 */
import { type DType, storedScalar, type TypedArray } from "../../../core/dtype.js";
import type { Device, DeviceBuffer, Executable } from "../../device.js";
import type { Program } from "../../../kernel/kernel.js";
import { planBuffers } from "../../../kernel/buffer-plan.js";
import { generateProgramSource } from "../codegen/codegen.js";
import * as helpers from "../codegen/helpers.js";
import { customKernels } from "../codegen/custom-kernels.js";

export class JsBuffer implements DeviceBuffer {
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
    this.fn = new Function("b", "rt", "P", `"use strict";\n${source}`) as typeof this.fn;
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
