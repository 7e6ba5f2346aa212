/**
 * The wasm device's memory for buffers: allocation (with the retries and the out-of-memory
 * error), buffers' lifetimes (reference counts; a free waits for the queued tasks using the
 * buffer), copies in and out, per-thread scratch blocks, and the small outputs moved to the JS
 * heap. The device (device.ts) and its executables (executable.ts) both allocate through it.
 */
import { config } from "../../../core/config.js";
import type { DType, TypedArray } from "../../../core/dtype.js";
import { DeviceError } from "../../../core/errors.js";
import type { Device, DeviceBuffer } from "../../device.js";
import { SiteTable } from "../../allocation-sites.js";
import { type Allocator, roundUp } from "./allocator.js";
import { HOST_MAX_BYTES, HostBuffer, WasmBuffer } from "./buffers.js";
import type { Collector } from "./collector.js";
import type { WasmMemory } from "./memory.js";
import type { Scheduler } from "./scheduler.js";

const fmt = (n: number) => n.toLocaleString("en-US");

export class BufferStore {
  /** Live device buffers (arrays' memory, not temporaries). */
  liveBuffers = 0;
  /** Creation sites of live buffers made while sites were recorded (memoryStats). */
  readonly sites = new SiteTable<WasmBuffer>();
  private scratch: ({ addr: number; bytes: number } | undefined)[] = [];
  private readonly wholeViews = new Map<unknown, TypedArray>();
  private wholeGen = -1;

  constructor(
    /** The device owning the buffers. */
    readonly device: Device,
    readonly memory: WasmMemory,
    readonly allocator: Allocator,
    private readonly scheduler: Scheduler,
    private readonly collector: Collector,
    /** The usable memory limit. */
    private readonly limitBytes: () => number,
    /** Bytes of device memory in use by buffers, temporaries and tables. */
    private readonly liveBytes: () => number,
  ) {}

  /** Allocate `bytes` or throw the out-of-memory DeviceError. */
  allocate(bytes: number): number {
    const sched = this.scheduler;
    let addr = this.allocator.alloc(bytes);
    if (addr < 0) {
      sched.poll();
      this.allocator.flush();
      addr = this.allocator.alloc(bytes);
    }
    if (addr < 0 && sched.hasDeferred) {
      sched.synchronize();
      addr = this.allocator.alloc(bytes);
    }
    if (addr < 0 && this.collector.canCollectNow) {
      // Unreachable arrays may still hold memory: reclaim them now and retry.
      sched.synchronize();
      this.collector.collect();
      addr = this.allocator.alloc(bytes);
    }
    if (addr < 0) throw this.oomError(bytes);
    this.collector.maybeCollect();
    return addr;
  }

  private oomError(bytes: number): DeviceError {
    const limit = this.limitBytes();
    const live = this.liveBytes();
    const configured = config.read("memoryLimitBytes");
    const largest = this.allocator.largestFree();
    const fragmented =
      this.allocator.freeBytes + Math.max(0, limit - this.allocator.heapTop) >= roundUp(bytes);
    return new DeviceError(
      `Out of memory on the wasm device: cannot allocate ${fmt(bytes)} bytes; ${fmt(live)} bytes are ` +
        `live (in ${fmt(this.liveBuffers)} buffers plus temporaries) and the limit is ${fmt(limit)} bytes` +
        (configured > limit
          ? ` (config.memoryLimitBytes = ${fmt(configured)}, capped by the memory's maximum)`
          : ` (config.memoryLimitBytes)`) +
        `.` +
        (fragmented
          ? ` Free memory is fragmented: the largest free block is ${fmt(largest)} bytes.`
          : "") +
        ` Memory is released when arrays are disposed (x.dispose(), \`using\`), at the end of ` +
        `jax.scope(fn), when donated to a jitted function (donateArgnums), or automatically once ` +
        `they are unreachable and the event loop has turned. Raise the limit with ` +
        `config.update("memoryLimitBytes", n).`,
    );
  }

  newBuffer(dtype: DType, size: number): WasmBuffer {
    const bytes = size * dtype.storage.BYTES_PER_ELEMENT;
    const addr = this.allocate(bytes);
    this.liveBuffers++;
    const b = new WasmBuffer(dtype, size, this.device, addr);
    this.sites.note(b, bytes);
    return b;
  }

  freeBuffer(b: WasmBuffer): void {
    this.collector.noteLive();
    b.freed = true;
    b.view = undefined;
    this.liveBuffers--;
    this.sites.drop(b);
    this.scheduler.freeAfter(b.addr, b.size * b.dtype.storage.BYTES_PER_ELEMENT, b.lastUse);
  }

  retain(buf: DeviceBuffer): boolean {
    if (buf instanceof HostBuffer) return false; // the JS GC owns it
    const b = buf as WasmBuffer;
    if (b.freed) throw new DeviceError("internal error: retain of a freed wasm buffer");
    b.refs++;
    return true;
  }

  release(buf: DeviceBuffer): void {
    if (buf instanceof HostBuffer) return;
    const b = buf as WasmBuffer;
    if (b.freed) return;
    if (--b.refs <= 0) this.freeBuffer(b);
  }

  /** Free a buffer nobody took ownership of (a call's temporary input). */
  dropUnowned(buf: DeviceBuffer): void {
    if (buf instanceof HostBuffer) return;
    const b = buf as WasmBuffer;
    if (b.device === this.device && !b.freed && b.refs === 0) this.freeBuffer(b);
  }

  fromHost(data: TypedArray, dtype: DType): WasmBuffer {
    const b = this.newBuffer(dtype, data.length);
    const ctor = dtype.storage;
    if (data.length === 1) {
      // Scalars (every call with a JS number argument): through a cached whole-memory view.
      this.wholeView(ctor)[b.addr / ctor.BYTES_PER_ELEMENT] = data[0] as never;
    } else {
      new ctor(this.memory.buffer as ArrayBuffer, b.addr, data.length).set(data as never);
    }
    return b;
  }

  /** A view of the whole memory with element type `ctor` (cached per memory generation). */
  private wholeView(ctor: DType["storage"]): TypedArray {
    if (this.wholeGen !== this.memory.gen) {
      this.wholeViews.clear();
      this.wholeGen = this.memory.gen;
    }
    let v = this.wholeViews.get(ctor);
    if (!v) {
      v = new (ctor as Float64ArrayConstructor)(this.memory.buffer as ArrayBuffer) as TypedArray;
      this.wholeViews.set(ctor, v);
    }
    return v;
  }

  /** The contents of a computed buffer (a view of device memory, or a copy for a scalar). */
  read(b: WasmBuffer): TypedArray {
    if (b.size === 1) {
      // Scalars (item(), printing): copy out through a cached whole-memory view.
      const out = new b.dtype.storage(1);
      out[0] = this.wholeView(b.dtype.storage)[b.addr / b.dtype.storage.BYTES_PER_ELEMENT]!;
      return out;
    }
    if (b.viewGen !== this.memory.gen || !b.view) {
      b.view = new b.dtype.storage(this.memory.buffer as ArrayBuffer, b.addr, b.size);
      b.viewGen = this.memory.gen;
    }
    return b.view;
  }

  /** A finished small output moved to the JS heap (its device memory freed at once). */
  toHostBuffer(b: WasmBuffer): DeviceBuffer {
    const bytes = b.size * b.dtype.itemsize;
    if (bytes > HOST_MAX_BYTES || b.refs !== 0 || b.freed || b.lastUse > this.scheduler.processed)
      return b;
    const data = new b.dtype.storage(b.size);
    const ctor = b.dtype.storage;
    if (b.size === 1) data[0] = this.wholeView(ctor)[b.addr / ctor.BYTES_PER_ELEMENT]! as never;
    else data.set(new ctor(this.memory.buffer as ArrayBuffer, b.addr, b.size) as never);
    this.freeBuffer(b);
    return new HostBuffer(b.dtype, data, this.device);
  }

  /** A buffer of this device holding `buf`'s values (copied when it lives elsewhere). */
  adopt(buf: DeviceBuffer, temps: WasmBuffer[]): WasmBuffer {
    if (buf instanceof WasmBuffer && buf.device === this.device) {
      if (buf.freed)
        throw new DeviceError("internal error: a freed wasm buffer was passed to a kernel");
      return buf;
    }
    const b = this.fromHost(buf.device.toHost(buf), buf.dtype);
    temps.push(b);
    return b;
  }

  /** Scratch block of thread `t` with at least `bytes`. */
  scratchFor(t: number, bytes: number, until: number): number {
    const cur = this.scratch[t];
    if (cur && cur.bytes >= bytes) return cur.addr;
    if (cur) {
      this.scheduler.freeAfter(cur.addr, cur.bytes, until);
      this.scratch[t] = undefined; // not kept if the allocation below fails
    }
    const addr = this.allocate(bytes);
    this.scratch[t] = { addr, bytes: roundUp(bytes) };
    return addr;
  }
}
