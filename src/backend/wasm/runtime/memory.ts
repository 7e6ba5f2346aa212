/**
 * The wasm device's linear memory: one `WebAssembly.Memory`, shared (a SharedArrayBuffer that
 * worker threads map too) when the environment allows it — SharedArrayBuffer exists and, in
 * browsers, the page is cross-origin isolated — and unshared otherwise. It only grows, on
 * demand, up to the configured limit (at most 65535 pages = 4 GiB − 64 KiB).
 *
 * Views: `gen` changes whenever the underlying buffer object may have changed (each growth), so
 * cached typed-array views compare their generation and are rebuilt when stale. (An unshared
 * memory's old ArrayBuffer is detached by growth; a shared one's old views stay valid but do
 * not cover the new bytes.)
 */

export const PAGE = 65536;
export const MAX_PAGES = 65535;

export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  // Node has no `crossOriginIsolated`; browsers only give SharedArrayBuffer to isolated pages.
  return g.crossOriginIsolated === undefined || g.crossOriginIsolated === true;
}

export class WasmMemory {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly maxPages: number;
  /** Bumped on every growth. */
  gen = 0;
  private buf: ArrayBuffer | SharedArrayBuffer;
  private _i32: Int32Array;
  private _u8: Uint8Array;

  constructor(opts: { shared: boolean; initialBytes: number; maxBytes: number }) {
    const initial = Math.max(1, Math.ceil(opts.initialBytes / PAGE));
    const wanted = Math.min(MAX_PAGES, Math.max(initial, Math.floor(opts.maxBytes / PAGE)));
    let mem: WebAssembly.Memory | undefined;
    let shared = false;
    let maxPages = wanted;
    if (opts.shared) {
      // A shared memory reserves its maximum up front; reserve the whole 4 GiB address space
      // when possible (so the limit can be raised later), else the configured limit.
      for (const m of [MAX_PAGES, wanted]) {
        try {
          mem = new WebAssembly.Memory({ initial, maximum: m, shared: true });
          shared = true;
          maxPages = m;
          break;
        } catch {
          /* try smaller */
        }
      }
    }
    if (!mem) {
      maxPages = MAX_PAGES;
      mem = new WebAssembly.Memory({ initial, maximum: maxPages });
    }
    this.memory = mem;
    this.shared = shared;
    this.maxPages = maxPages;
    this.buf = mem.buffer;
    this._i32 = new Int32Array(this.buf);
    this._u8 = new Uint8Array(this.buf);
  }

  get bytes(): number {
    return this.buf.byteLength;
  }

  get maxBytes(): number {
    return this.maxPages * PAGE;
  }

  /** The current buffer (refreshed after growth). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.buf;
  }

  /** An Int32Array over the whole memory. */
  get i32(): Int32Array {
    return this._i32;
  }
  get u8(): Uint8Array {
    return this._u8;
  }

  /** Grow to at least `bytes`; false if impossible. Grows by at least half the current size. */
  grow(bytes: number): boolean {
    if (bytes <= this.bytes) return true;
    const cur = this.bytes / PAGE;
    const need = Math.ceil(bytes / PAGE);
    if (need > this.maxPages) return false;
    const target = Math.min(this.maxPages, Math.max(need, cur + Math.ceil(cur / 2)));
    try {
      this.memory.grow(target - cur);
    } catch {
      try {
        this.memory.grow(need - cur);
      } catch {
        return false;
      }
    }
    this.refresh();
    return true;
  }

  private refresh(): void {
    this.buf = this.memory.buffer;
    this._i32 = new Int32Array(this.buf);
    this._u8 = new Uint8Array(this.buf);
    this.gen++;
  }
}
