/**
 * An executable of the wasm device: a compiled program that runs itself. A run binds buffers
 * (the inputs, adopted from other devices when needed; outputs, possibly taking over donated
 * inputs; temporaries in planned slots), writes the kernel tables, and then either queues one
 * task per kernel for the workers ("async": the call returns at once) or runs the kernels on
 * the calling thread ("sync"), still splitting large ones across the workers. It asks the
 * buffer store for memory and the scheduler for queueing; neither calls back into it except
 * through a queued task's `runHere`.
 */
import type { DeviceError as DeviceErrorType } from "../../../core/errors.js";
import { DeviceError } from "../../../core/errors.js";
import type { Program } from "../../../kernel/kernel.js";
import type { DeviceBuffer, Executable, RunOptions } from "../../device.js";
import { f2h } from "../../js/codegen/helpers.js";
import type { WasmCompiler } from "../codegen/codegen.js";
import type { BufferStore } from "./buffer-store.js";
import { HostBuffer, WasmBuffer } from "./buffers.js";
import { CompiledProgram } from "./compiled-program.js";
import { ASYNC_MIN_WORK, SPLIT_MIN_WORK } from "./dispatch-policy.js";
import type { Pool } from "./pool.js";
import type { RunRecord, Scheduler } from "./scheduler.js";
import type { Step } from "./steps.js";

/** A run of an executable: its buffers by program buffer id, and what a failure poisons. */
interface Run extends RunRecord {
  readonly bufs: WasmBuffer[];
  readonly inputs: WasmBuffer[];
  readonly outputs: WasmBuffer[];
}

type Table = { addr: number; bytes: number };

const inputFailed = (e: DeviceErrorType) =>
  new DeviceError(`An input of the computation producing this array failed: ${e.message}`);

const registry = new FinalizationRegistry<{ scheduler: Scheduler; pid: number; table: Table }>(
  ({ scheduler, pid, table }) => {
    // Collected: unload the program from the workers, free its table.
    scheduler.pool?.unload(pid);
    if (table.bytes > 0) scheduler.freeAfter(table.addr, table.bytes, scheduler.tail);
  },
);

export class WasmExecutable implements Executable {
  readonly compiled: CompiledProgram;
  /** Kernel table reused by sync runs (freed with the executable). */
  readonly syncTable: Table = { addr: -1, bytes: 0 };
  private sourceCache: string | undefined;

  constructor(
    readonly program: Program,
    private readonly store: BufferStore,
    private readonly scheduler: Scheduler,
    compiler: WasmCompiler | undefined,
  ) {
    this.compiled = new CompiledProgram(program, compiler, store.memory);
    registry.register(this, { scheduler, pid: this.compiled.pid, table: this.syncTable });
  }

  /** The generated code: per-kernel plan, the module as WebAssembly text, JS fallbacks. */
  get source(): string {
    return (this.sourceCache ??= this.compiled.sourceText());
  }

  run(inputs: readonly DeviceBuffer[], options?: RunOptions): DeviceBuffer[] {
    const p = this.program;
    const { store, scheduler: sched } = this;
    const pool = sched.pool;
    if (pool && sched.tail !== sched.processed) sched.poll();
    const bufs = new Array<WasmBuffer>(p.buffers.length);
    let transfers: WasmBuffer[] | undefined;
    const plan = this.compiled.plan;
    // Temporaries' slots and the outputs allocated for this run, so that an allocation failing
    // part-way (out of memory) can give back what was taken before it.
    const slots: number[] = [];
    const fresh: WasmBuffer[] = [];
    let run: Run | undefined;
    const ins = new Array<WasmBuffer>(inputs.length);
    try {
      let waitWrite = 0;
      let inputError: DeviceError | undefined;
      for (let i = 0; i < inputs.length; i++) {
        const x = inputs[i]!;
        const b =
          x instanceof WasmBuffer && x.device === store.device && !x.freed
            ? x
            : store.adopt(x, (transfers ??= []));
        ins[i] = b;
        bufs[p.inputs[i]!] = b;
        if (b.lastWrite > waitWrite) waitWrite = b.lastWrite;
        if (b.error) inputError = b.error;
      }
      // Outputs and temporaries (temporaries share planned slots, allocated per run).
      const outputs: WasmBuffer[] = [];
      for (const n of plan.slotBytes) slots.push(store.allocate(n));
      let waitUse = 0;
      const donate = options?.donate;
      let taken: Set<number> | undefined;
      for (const info of p.buffers) {
        if (info.kind === "output") {
          let b: WasmBuffer | undefined;
          if (donate) {
            for (const pos of this.compiled.inPlace.get(info.id) ?? []) {
              const c = ins[pos]!;
              if (!donate[pos] || c.refs !== 1 || transfers?.includes(c) || taken?.has(pos))
                continue;
              if (ins.some((o, j) => j !== pos && o === c)) continue;
              (taken ??= new Set()).add(pos);
              b = c;
              if (c.lastUse > waitUse) waitUse = c.lastUse;
              break;
            }
          }
          if (!b) fresh.push((b = store.newBuffer(info.dtype, info.size)));
          bufs[info.id] = b;
          outputs.push(b);
        } else if (info.kind === "temp") {
          const addr = slots[plan.slotOf[info.id]!]!;
          bufs[info.id] = new WasmBuffer(info.dtype, info.size, store.device, addr);
        }
      }
      run = { bufs, inputs: ins, outputs, lastSeq: 0 };
      if (inputError) {
        // Known-bad inputs: do not run; the outputs carry the error.
        sched.poison(run, inputFailed(inputError));
      } else if (
        pool &&
        (this.compiled.totalWork >= ASYNC_MIN_WORK ||
          waitWrite > sched.processed ||
          waitUse > sched.processed) &&
        this.canRunAsync(pool)
      ) {
        this.runAsync(run, pool);
      } else {
        this.runSync(run, Math.max(waitWrite, waitUse));
      }
    } catch (e) {
      this.abandonRun(slots, plan.slotBytes, fresh, transfers, run?.lastSeq ?? 0);
      throw e;
    }
    slots.forEach((a, k) => sched.freeAfter(a, plan.slotBytes[k]!, run.lastSeq));
    if (transfers) for (const t of transfers) store.dropUnowned(t);
    const done = run.lastSeq <= sched.processed && !run.outputs.some((b) => b.error);
    let moved: Map<WasmBuffer, DeviceBuffer> | undefined; // an output may be listed twice
    return p.outputs.map((o) => {
      switch (o.kind) {
        case "buffer": {
          const b = bufs[o.buffer]!;
          if (!done) return b;
          let h = moved?.get(b);
          if (!h) (moved ??= new Map()).set(b, (h = store.toHostBuffer(b)));
          return h;
        }
        case "input":
          // The caller's buffer itself (an adopted copy of a host buffer was dropped above).
          return transfers?.includes(ins[o.index]!) ? inputs[o.index]! : ins[o.index]!;
        case "literal": {
          const v = new o.dtype.storage(1);
          v[0] = (
            o.dtype.isBig
              ? BigInt(o.value)
              : o.dtype.name === "float16"
                ? f2h(Number(o.value))
                : Number(o.value)
          ) as never;
          return new HostBuffer(o.dtype, v, store.device);
        }
      }
    });
  }

  /**
   * A run could not be started (an allocation for it failed: out of memory): free what was
   * allocated for it — temporaries' slots, outputs, copies of other devices' inputs — so the
   * failure leaves the device's memory as it was. `until`: 1 + its last queued task (0: none).
   */
  private abandonRun(
    slots: readonly number[],
    slotBytes: readonly number[],
    outputs: readonly WasmBuffer[],
    transfers: readonly WasmBuffer[] | undefined,
    until: number,
  ): void {
    slots.forEach((a, k) => this.scheduler.freeAfter(a, slotBytes[k]!, until));
    for (const b of [...outputs, ...(transfers ?? [])]) {
      if (b.lastUse < until) b.lastUse = until;
      this.store.dropUnowned(b);
    }
  }

  private canRunAsync(pool: Pool): boolean {
    if (pool.readyCount === 0) return false;
    return this.compiled.workersCanRun(pool.rtInWorkers);
  }

  /** Load the program on the workers (once; replayed to respawned workers). */
  private loadOn(pool: Pool): void {
    if (!pool.has(this.compiled.pid)) pool.post(this.compiled.programMessage());
  }

  /** Queue step `i` of `run`; returns its sequence number. */
  private queue(run: Run, i: number, table: number, tstride: number, threads: number): number {
    const s = this.compiled.steps[i]!;
    const compiled = this.compiled;
    return this.scheduler.submit(
      {
        run,
        pid: compiled.pid,
        step: i,
        wasm: s.wasm,
        trip: s.trip,
        work: s.work,
        splittable: s.splittable,
        table,
        tstride,
        desc: s.desc,
        runHere: (begin, end) => compiled.runStep(s, run.bufs, table, begin, end),
      },
      threads,
    );
  }

  /**
   * Write the kernel table(s) for a run: buffer addresses, plus per-thread scratch. `reuse`
   * (a sync run's per-executable block) is filled in place when big enough; otherwise a block
   * is allocated (and recorded in `reuse` when given).
   */
  private writeTables(
    run: Run,
    threads: number,
    until: number,
    reuse?: Table,
  ): { table: number; tstride: number; tableBytes: number } {
    const { store, compiled } = this;
    const nbuf = this.program.buffers.length;
    const words = nbuf + 1;
    const tstride = compiled.hasScratch ? Math.ceil((words * 4) / 16) * 16 : 0;
    const count = compiled.hasScratch ? threads + 1 : 1;
    const tableBytes = Math.max(words * 4, tstride * count);
    // Scratch first: allocating may grow (and, unshared, replace) the memory buffer.
    const scratch: number[] = [];
    if (compiled.hasScratch) {
      const need = compiled.scratchBytes;
      for (let t = 0; t < count; t++) scratch.push(store.scratchFor(t, need, until));
    }
    let tableAddr: number;
    if (reuse && reuse.bytes >= tableBytes) tableAddr = reuse.addr;
    else {
      if (reuse && reuse.bytes > 0) {
        this.scheduler.freeAfter(reuse.addr, reuse.bytes, until);
        reuse.addr = -1; // not kept if the allocation below fails
        reuse.bytes = 0;
      }
      tableAddr = store.allocate(tableBytes);
      if (reuse) {
        reuse.addr = tableAddr;
        reuse.bytes = tableBytes;
      }
    }
    const i32 = store.memory.i32;
    // Addresses are unsigned 32-bit: `>> 2` would turn one at or above 2 GiB into a negative
    // index. (Int32Array stores wrap addresses ≥ 2^31 to the same bits, which is what wasm reads.)
    const base = tableAddr >>> 2;
    for (let i = 0; i < nbuf; i++) i32[base + i] = run.bufs[i]?.addr ?? 0;
    i32[base + nbuf] = 0;
    for (let t = 0; t < scratch.length; t++) {
      const tb = base + (t * tstride) / 4;
      if (t > 0) i32.copyWithin(tb, base, base + nbuf);
      i32[tb + nbuf] = scratch[t]!;
    }
    return { table: tableAddr, tstride, tableBytes: reuse ? 0 : tableBytes };
  }

  private runAsync(run: Run, pool: Pool): void {
    const sched = this.scheduler;
    pool.checkHealth();
    sched.throttle();
    this.loadOn(pool);
    const threads = sched.chunkThreads;
    const { table, tstride, tableBytes } = this.writeTables(run, pool.size, sched.tail);
    let last = 0;
    for (let i = 0; i < this.compiled.steps.length; i++) {
      last = this.queue(run, i, table, tstride, threads) + 1;
    }
    run.lastSeq = last;
    sched.addPending(run);
    for (const b of run.inputs) if (b.lastUse < last) b.lastUse = last;
    for (const b of run.outputs) {
      b.lastWrite = last;
      b.lastUse = last;
    }
    sched.freeAfter(table, tableBytes, last);
    // Scratch blocks replaced later are freed after `last` too (scratchFor defers by `until`).
  }

  private runSync(run: Run, waitUntil: number): void {
    const { compiled, scheduler: sched } = this;
    if (waitUntil > sched.processed) {
      sched.waitFor(waitUntil);
      const bad = run.inputs.find((b) => b.error);
      if (bad) {
        sched.poison(run, inputFailed(bad.error!));
        return;
      }
    }
    const pool = sched.pool;
    const ready = pool ? pool.readyCount : 0;
    const needTable = compiled.hasWasm || (ready > 0 && compiled.maxSplitWork >= SPLIT_MIN_WORK);
    let table = 0;
    let tstride = 0;
    let tableBytes = 0;
    if (needTable)
      ({ table, tstride, tableBytes } = this.writeTables(
        run,
        pool ? pool.size : 0,
        sched.tail,
        this.syncTable,
      ));
    let cur = 0;
    try {
      for (; cur < compiled.steps.length; cur++) {
        const s: Step = compiled.steps[cur]!;
        if (
          pool &&
          ready > 0 &&
          s.splittable &&
          s.work >= SPLIT_MIN_WORK &&
          compiled.workerCan(s, pool.rtInWorkers)
        ) {
          this.loadOn(pool);
          const seq = this.queue(run, cur, table, tstride, ready + 1);
          if (run.lastSeq === 0) sched.addPending(run);
          run.lastSeq = seq + 1;
          sched.waitFor(seq + 1);
          if (run.error) break;
        } else {
          compiled.runStep(s, run.bufs, table, 0, s.trip);
        }
      }
    } catch (e) {
      sched.poison(
        run,
        new DeviceError(
          `The computation producing this array failed: ${compiled.steps[cur]?.desc ?? "a kernel"} on the calling thread: ` +
            `${(e as Error)?.message ?? String(e)}. The device recovered; later calls are unaffected.`,
        ),
      );
    }
    if (tableBytes > 0) this.store.allocator.free(table, tableBytes);
  }
}
