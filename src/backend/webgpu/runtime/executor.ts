/**
 * The executor: owns the GPUDevice and runs command batches (protocol.ts) in order. In Node it
 * runs inside a worker thread (node-host.ts turns this class's source text into the worker's
 * program), so it must stay self-contained: no imports but types, no module-level helpers.
 */
import type {
  GpuBuffer,
  GpuCommandEncoder,
  GpuComputePass,
  GpuComputePipeline,
  GpuDevice,
} from "./gpu-api.js";
import type { Command, Reply } from "./protocol.js";

export class GpuExecutor {
  private readonly buffers = new Map<number, GpuBuffer>();
  private readonly pipelines = new Map<number, GpuComputePipeline>();
  private encoder: GpuCommandEncoder | undefined;
  private pass: GpuComputePass | undefined;
  private errors: string[] = [];
  private lost: string | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly device: GpuDevice,
    private readonly reply: (r: Reply) => void,
  ) {
    device.addEventListener("uncapturederror", (e) => this.errors.push(e.error.message));
    void device.lost.then((info) => {
      if (!this.closing)
        this.lost = `the GPU device was lost (${info.reason}): ${info.message || "no message"}`;
    });
  }

  /** Queue a batch behind the ones before it. */
  enqueue(batch: readonly Command[]): void {
    this.chain = this.chain.then(() => this.run(batch));
  }

  private async run(batch: readonly Command[]): Promise<void> {
    for (const c of batch) {
      try {
        await this.step(c);
      } catch (e) {
        this.errors.push(e instanceof Error ? e.message : String(e));
        if (c.op === "read" || c.op === "sync" || c.op === "shutdown") this.answer(c.seq);
      }
    }
  }

  private answer(seq: number, data?: ArrayBuffer): void {
    const msgs = this.lost ? [this.lost, ...this.errors] : this.errors;
    this.errors = [];
    const error = msgs.length ? [...new Set(msgs)].join("\n") : undefined;
    const lost = this.lost ? { lost: this.lost } : {};
    this.reply({ seq, ...(data ? { data } : {}), ...(error ? { error } : {}), ...lost });
  }

  private submit(): void {
    if (this.pass) this.pass.end();
    this.pass = undefined;
    if (this.encoder) this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
  }

  private buffer(id: number): GpuBuffer {
    const b = this.buffers.get(id);
    if (!b) throw new Error(`internal error: no GPU buffer ${id}`);
    return b;
  }

  private async step(c: Command): Promise<void> {
    const d = this.device;
    switch (c.op) {
      case "create": {
        d.pushErrorScope("out-of-memory");
        // STORAGE | COPY_SRC | COPY_DST
        this.buffers.set(c.id, d.createBuffer({ size: c.bytes, usage: 0x80 | 0x4 | 0x8 }));
        void d.popErrorScope().then((e) => {
          if (e) this.errors.push(`out of GPU memory allocating ${c.bytes} bytes: ${e.message}`);
        });
        return;
      }
      case "write":
        this.submit();
        d.queue.writeBuffer(this.buffer(c.id), 0, c.data);
        return;
      case "destroy":
        this.submit();
        this.buffer(c.id).destroy();
        this.buffers.delete(c.id);
        return;
      case "pipeline": {
        const module = d.createShaderModule({ code: c.code });
        d.pushErrorScope("validation");
        const p = d.createComputePipeline({
          layout: "auto",
          compute: { module, entryPoint: "main" },
        });
        const err = await d.popErrorScope();
        if (err) {
          const info = await module.getCompilationInfo();
          const lines = info.messages.map((m) => `${m.type} line ${m.lineNum}: ${m.message}`);
          throw new Error(`WGSL pipeline failed: ${err.message}\n${lines.join("\n")}`);
        }
        this.pipelines.set(c.id, p);
        return;
      }
      case "unload":
        this.pipelines.delete(c.id);
        return;
      case "dispatch": {
        const p = this.pipelines.get(c.pipeline);
        if (!p) throw new Error(`a kernel was dispatched whose pipeline failed to compile`);
        const group = d.createBindGroup({
          layout: p.getBindGroupLayout(0),
          entries: c.bind.map((id, binding) => ({
            binding,
            resource: { buffer: this.buffer(id) },
          })),
        });
        this.encoder ??= d.createCommandEncoder();
        this.pass ??= this.encoder.beginComputePass();
        this.pass.setPipeline(p);
        this.pass.setBindGroup(0, group);
        this.pass.dispatchWorkgroups(c.groups[0], c.groups[1], c.groups[2]);
        return;
      }
      case "read": {
        this.submit();
        const size = Math.max(4, Math.ceil(c.bytes / 4) * 4);
        const staging = d.createBuffer({ size, usage: 0x1 | 0x8 }); // MAP_READ | COPY_DST
        const enc = d.createCommandEncoder();
        enc.copyBufferToBuffer(this.buffer(c.id), 0, staging, 0, size);
        d.queue.submit([enc.finish()]);
        await staging.mapAsync(0x1);
        const data = staging.getMappedRange().slice(0, c.bytes);
        staging.unmap();
        staging.destroy();
        this.answer(c.seq, data);
        return;
      }
      case "sync":
        this.submit();
        await d.queue.onSubmittedWorkDone();
        this.answer(c.seq);
        return;
      case "lose":
        this.submit();
        this.lost = "the GPU device was lost (destroyed by loseDeviceForTesting)";
        d.destroy();
        return;
      case "shutdown":
        this.closing = true;
        this.submit();
        await d.queue.onSubmittedWorkDone();
        for (const b of this.buffers.values()) b.destroy();
        this.buffers.clear();
        this.pipelines.clear();
        d.destroy();
        this.answer(c.seq);
        return;
    }
  }
}
