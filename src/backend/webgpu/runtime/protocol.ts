/**
 * Commands from the WebGPU device object to the executor that owns the GPUDevice (in a worker
 * thread in Node, in the same thread in browsers), and the executor's replies. All values are
 * structured-cloneable: commands travel in batches by postMessage.
 */

export type Command =
  /** A storage buffer of `bytes` bytes (a size class) under handle `id`. */
  | { readonly op: "create"; readonly id: number; readonly bytes: number }
  /** Copy host bytes to the start of buffer `id`. */
  | { readonly op: "write"; readonly id: number; readonly data: ArrayBuffer }
  | { readonly op: "destroy"; readonly id: number }
  /** Compile WGSL into compute pipeline `id` (entry point `main`). */
  | { readonly op: "pipeline"; readonly id: number; readonly code: string }
  | { readonly op: "unload"; readonly id: number }
  /** Dispatch pipeline `pipeline` with buffers `bind` at bindings 0…n-1 of group 0. */
  | {
      readonly op: "dispatch";
      readonly pipeline: number;
      readonly bind: readonly number[];
      readonly groups: readonly [number, number, number];
    }
  /** Reply with the first `bytes` bytes of buffer `id` once all earlier work is done. */
  | { readonly op: "read"; readonly id: number; readonly bytes: number; readonly seq: number }
  /** Reply once all earlier work is done. */
  | { readonly op: "sync"; readonly seq: number }
  | { readonly op: "shutdown"; readonly seq: number }
  /** Destroy the GPUDevice as a driver loss would (tests of the device-loss path). */
  | { readonly op: "lose" };

export interface Reply {
  readonly seq: number;
  readonly data?: ArrayBuffer;
  /** GPU errors (validation, out-of-memory, device lost) reported since the last reply. */
  readonly error?: string;
  /** Set once the GPU device is lost: why. */
  readonly lost?: string;
}

/** What the executor reports once it has its device. */
export interface InitReply {
  readonly ok: boolean;
  readonly error?: string;
  readonly adapter?: string;
  readonly limits?: {
    readonly maxBufferSize: number;
    readonly maxStorageBufferBindingSize: number;
    readonly maxStorageBuffersPerShaderStage: number;
    readonly maxComputeWorkgroupsPerDimension: number;
  };
}

/** The device object's view of its executor, wherever it runs. */
export interface GpuHost {
  readonly init: InitReply;
  /** Queue a command (sent with the next batch). */
  send(cmd: Command, transfer?: ArrayBuffer): void;
  /** The first `bytes` bytes of buffer `id`, waiting for the GPU (Node only). */
  readSync(id: number, bytes: number): ArrayBuffer;
  readAsync(id: number, bytes: number): Promise<ArrayBuffer>;
  /** Wait for all queued work (Node only); throws errors the GPU reported. */
  syncWait(): void;
  syncAsync(): Promise<void>;
  shutdown(): void;
  /** Set once a reply said the GPU device was lost: why. */
  readonly lost: string | undefined;
  /** Stop using a lost device's executor (no reply expected). */
  abandon(): void;
}
