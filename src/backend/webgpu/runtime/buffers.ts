/**
 * The webgpu device's buffers and its size-class pool. Every element is 4 bytes on the GPU
 * (bool as u32). A buffer's capacity is a power of two ≥ 256 bytes; a freed buffer goes back
 * to its class's free list instead of being destroyed (creating GPU buffers is slow), and the
 * pool is emptied when an allocation would pass the memory limit. Reuse needs no fences: every
 * command runs in order on the device's one queue, so work queued before a buffer was freed
 * has read it before work queued after its reuse writes it.
 */
import type { DType } from "../../../core/dtype.js";
import { DeviceError } from "../../../core/errors.js";
import type { Device, DeviceBuffer } from "../../device.js";
import type { GpuHost } from "./protocol.js";

export class WebGpuBuffer implements DeviceBuffer {
  /** Owners (ArrayImpls). */
  refs = 0;
  freed = false;
  constructor(
    readonly dtype: DType,
    readonly size: number,
    readonly device: Device,
    /** The executor's handle. */
    readonly id: number,
    /** Capacity in bytes (its size class). */
    readonly bytes: number,
    /** The device's generation (count of lost GPU devices) when it was made. */
    readonly generation = 0,
  ) {}
}

export const sizeClass = (bytes: number): number =>
  Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));

export class BufferPool {
  private readonly free = new Map<number, number[]>();
  private nextId = 1;
  /** Bytes of buffers in use (not counting the pool). */
  liveBytes = 0;
  liveBuffers = 0;
  peakBytes = 0;
  pooledBytes = 0;

  constructor(
    private readonly host: GpuHost,
    private readonly limit: () => number,
  ) {}

  /** A buffer handle of capacity `sizeClass(bytes)`; DeviceError when over the limit. */
  alloc(bytes: number): { id: number; bytes: number } {
    const cls = sizeClass(bytes);
    const maxBuf = Math.min(
      this.host.init.limits!.maxBufferSize,
      this.host.init.limits!.maxStorageBufferBindingSize,
    );
    if (bytes > maxBuf) {
      throw new DeviceError(
        `webgpu device: out of memory: an array of ${bytes} bytes is larger than the adapter's ` +
          `largest storage buffer (${maxBuf} bytes).`,
      );
    }
    if (this.liveBytes + cls > this.limit()) this.trim(0);
    if (this.liveBytes + cls > this.limit()) {
      throw new DeviceError(
        `webgpu device: out of memory allocating ${bytes} bytes (${cls} with its size class): ` +
          `${this.liveBytes} bytes in use, limit ${this.limit()} bytes (config memoryLimitBytes). ` +
          `Dispose arrays you no longer need (x.dispose(), using, scope).`,
      );
    }
    this.liveBytes += cls;
    this.liveBuffers++;
    this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
    const reuse = this.free.get(cls)?.pop();
    if (reuse !== undefined) {
      this.pooledBytes -= cls;
      return { id: reuse, bytes: cls };
    }
    const id = this.nextId++;
    this.host.send({ op: "create", id, bytes: Math.min(cls, Math.floor(maxBuf / 4) * 4) });
    return { id, bytes: cls };
  }

  /** Return a buffer to its size class (kept for reuse up to a quarter of the limit). */
  release(id: number, bytes: number): void {
    this.liveBytes -= bytes;
    this.liveBuffers--;
    const list = this.free.get(bytes) ?? [];
    this.free.set(bytes, list);
    list.push(id);
    this.pooledBytes += bytes;
    if (this.pooledBytes > this.limit() / 4) this.trim(this.limit() / 8);
  }

  /** Destroy pooled buffers until at most `keep` bytes stay pooled. */
  trim(keep: number): void {
    for (const [cls, list] of [...this.free].sort((a, b) => b[0] - a[0])) {
      while (list.length && this.pooledBytes > keep) {
        this.host.send({ op: "destroy", id: list.pop()! });
        this.pooledBytes -= cls;
      }
    }
  }
}
