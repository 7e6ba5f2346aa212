/**
 * The slice of the WebGPU API this device uses, declared here so that jaxts needs no type
 * package (browsers provide `navigator.gpu`; Node gets the same objects from the optional
 * `webgpu` package, Dawn). Shapes follow the WebGPU specification.
 */

export interface GpuLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupStorageSize: number;
}

export interface GpuAdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
}

export interface GpuAdapter {
  readonly limits: GpuLimits;
  readonly info?: GpuAdapterInfo;
  requestDevice(desc?: { requiredLimits?: Record<string, number> }): Promise<GpuDevice>;
}

export interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapter | null>;
}

export interface GpuBuffer {
  readonly size: number;
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

export interface GpuBindGroupLayout {
  readonly __brand?: "GPUBindGroupLayout";
}
export interface GpuBindGroup {
  readonly __brand?: "GPUBindGroup";
}
export interface GpuComputePipeline {
  getBindGroupLayout(index: number): GpuBindGroupLayout;
}
export interface GpuShaderModule {
  getCompilationInfo(): Promise<{
    messages: readonly { type: string; message: string; lineNum: number }[];
  }>;
}

export interface GpuComputePass {
  setPipeline(p: GpuComputePipeline): void;
  setBindGroup(index: number, g: GpuBindGroup): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}
export interface GpuCommandBuffer {
  readonly __brand?: "GPUCommandBuffer";
}
export interface GpuCommandEncoder {
  beginComputePass(): GpuComputePass;
  copyBufferToBuffer(src: GpuBuffer, so: number, dst: GpuBuffer, doff: number, n: number): void;
  finish(): GpuCommandBuffer;
}
export interface GpuQueue {
  submit(buffers: GpuCommandBuffer[]): void;
  writeBuffer(
    b: GpuBuffer,
    offset: number,
    data: ArrayBuffer,
    dataOffset?: number,
    n?: number,
  ): void;
  onSubmittedWorkDone(): Promise<void>;
}
export interface GpuError {
  readonly message: string;
}

export interface GpuDevice {
  readonly queue: GpuQueue;
  readonly limits: GpuLimits;
  readonly lost: Promise<{ reason: string; message: string }>;
  createBuffer(desc: { size: number; usage: number; mappedAtCreation?: boolean }): GpuBuffer;
  createShaderModule(desc: { code: string }): GpuShaderModule;
  createComputePipeline(desc: {
    layout: "auto";
    compute: { module: GpuShaderModule; entryPoint: string };
  }): GpuComputePipeline;
  createBindGroup(desc: {
    layout: GpuBindGroupLayout;
    entries: { binding: number; resource: { buffer: GpuBuffer } }[];
  }): GpuBindGroup;
  createCommandEncoder(): GpuCommandEncoder;
  pushErrorScope(filter: "validation" | "out-of-memory" | "internal"): void;
  popErrorScope(): Promise<GpuError | null>;
  destroy(): void;
  addEventListener(type: "uncapturederror", f: (e: { error: GpuError }) => void): void;
}

/** WebGPU's usage and map-mode flag values (the spec's constants; no globals needed). */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  STORAGE: 0x0080,
} as const;
export const MapModeRead = 0x0001;
