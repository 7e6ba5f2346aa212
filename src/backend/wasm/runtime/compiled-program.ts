/**
 * A program compiled for the wasm device: its steps (wasm exports or JS fallback kernels), the
 * message that loads it on a worker, the buffer plan of its temporaries, and running one step
 * (or a range of its outer iterations) on the calling thread.
 */
import type { TypedArray } from "../../../core/dtype.js";
import { planBuffers } from "../../../kernel/buffer-plan.js";
import type { Program } from "../../../kernel/kernel.js";
import { runControl } from "../../control-plan.js";
import { customKernels } from "../../js/codegen/custom-kernels.js";
import * as helpers from "../../js/codegen/helpers.js";
import type { WasmCompiler } from "../codegen/codegen.js";
import type { WasmBuffer } from "./buffers.js";
import { inPlaceCandidates } from "./in-place.js";
import type { WasmMemory } from "./memory.js";
import type { ProgramMessage } from "./pool.js";
import { type Step, compileSteps, hasCustom, nestedSteps } from "./steps.js";

const rt = { ...helpers, kernels: customKernels };

let nextPid = 1;

export class CompiledProgram {
  /** Program id on the workers. */
  readonly pid = nextPid++;
  readonly steps: readonly Step[];
  readonly module: WebAssembly.Module | undefined;
  /** Builds the text of the generated code. */
  readonly sourceText: () => string;
  readonly totalWork: number;
  /** Per output buffer id: the input positions whose memory it may take when donated. */
  readonly inPlace: Map<number, number[]>;
  /** Temporaries' shared slots. */
  readonly plan: ReturnType<typeof planBuffers>;
  readonly hasScratch: boolean;
  /** Largest per-thread scratch of a step. */
  readonly scratchBytes: number;
  readonly hasWasm: boolean;
  /** Largest work of a splittable step (0: none). */
  readonly maxSplitWork: number;
  private message: ProgramMessage | undefined;
  private stepViews: TypedArray[] | undefined;
  /** Cached typed-array views by buffer id (valid while address and memory generation match). */
  private readonly views: (TypedArray | undefined)[];
  private readonly viewKey: number[];

  constructor(
    readonly program: Program,
    compiler: WasmCompiler | undefined,
    private readonly memory: WasmMemory,
  ) {
    const c = compileSteps(program, compiler, memory);
    this.steps = c.steps;
    this.module = c.module;
    this.sourceText = c.sourceText;
    this.totalWork = this.steps.reduce((a, s) => a + s.work, 0);
    this.hasScratch = this.steps.some((s) => s.scratch > 0);
    this.scratchBytes = Math.max(...this.steps.map((s) => s.scratch));
    const all = this.steps.flatMap((s) => [s, ...(s.control ? nestedSteps(s.control) : [])]);
    this.inPlace = inPlaceCandidates(program);
    this.plan = planBuffers(program);
    this.views = new Array(program.buffers.length);
    this.viewKey = new Array(program.buffers.length).fill(-1);
    this.hasWasm = all.some((s) => s.wasm);
    this.maxSplitWork = Math.max(0, ...this.steps.filter((s) => s.splittable).map((s) => s.work));
  }

  /** The message that loads this program on a worker. */
  programMessage(): ProgramMessage {
    if (!this.message) {
      this.message = {
        type: "program",
        pid: this.pid,
        ...(this.module ? { module: this.module } : {}),
        names: this.steps.map((s) => s.exportName),
        js: this.steps.map((s) => (s.wasm || hasCustom(s.kernel) ? null : s.jsSource)),
        used: this.steps.map((s) => s.used),
        ctors: this.program.buffers.map((b) => b.dtype.storage.name),
        sizes: this.program.buffers.map((b) => b.size),
        params: {},
      };
    }
    return this.message;
  }

  /** Whether workers can run step `s`. */
  workerCan(s: Step, rtInWorkers: boolean): boolean {
    if (s.wasm) return true;
    if (s.control) return false; // driven by the calling thread
    if (hasCustom(s.kernel)) return false;
    return !s.needsRt || rtInWorkers;
  }

  /** Whether workers can run every step. */
  workersCanRun(rtInWorkers: boolean): boolean {
    return this.steps.every((s) => this.workerCan(s, rtInWorkers));
  }

  /**
   * A typed-array view of buffer `id` of a run, cached per buffer id and keyed by address and
   * memory generation: repeated calls get the same addresses back from the allocator.
   */
  private viewOf(b: WasmBuffer, id: number): TypedArray {
    const mem = this.memory;
    const key = b.addr * 4096 + (mem.gen % 4096);
    if (this.viewKey[id] === key) return this.views[id]!;
    const v = new b.dtype.storage(mem.buffer as ArrayBuffer, b.addr, b.size);
    this.views[id] = v;
    this.viewKey[id] = key;
    return v;
  }

  /** Run step `s` (or iterations [begin, end) of it) on the calling thread. */
  runStep(s: Step, bufs: readonly WasmBuffer[], table: number, begin: number, end: number): void {
    if (s.wasm) {
      s.mainFn!(table, begin, end);
      return;
    }
    if (s.control) {
      runControl(
        s.control,
        (steps) => {
          for (const n of steps) this.runStep(n, bufs, table, 0, n.trip);
        },
        (id) => Number(this.viewOf(bufs[id]!, id)[0]),
      );
      return;
    }
    // One views array per program: filled and consumed here, never re-entered.
    const views = (this.stepViews ??= new Array<TypedArray>(this.program.buffers.length));
    for (const id of s.used) views[id] = this.viewOf(bufs[id]!, id);
    s.js!(views, rt, s.params, begin, end);
  }
}
