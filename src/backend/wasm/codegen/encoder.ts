/**
 * A small WebAssembly binary emitter: builds module bytes directly, with no toolchain at run time.
 * This file holds the module builder; the function emitter is function-builder.ts, the byte
 * encodings byte-writer.ts, the tables opcodes.ts and wasm-types.ts.
 *
 * What it provides
 * - {@link ModuleBuilder}: function types (deduplicated), imported or defined memory (optionally
 *   `shared`, which requires a maximum), imported functions, globals, defined functions, exports,
 *   and {@link ModuleBuilder.toBytes}. Sections are written in the order the spec requires
 *   (type, import, function, memory, global, export, code).
 * - {@link FunctionBuilder}: a code emitter for one function. Locals are declared by type and
 *   addressed by index (parameters come first, then declared locals, in declaration order).
 *   Instructions are appended with chainable methods that return `this` (except `block`, `loop`
 *   and `if`, which return the {@link Label} of the construct they open).
 *
 * Instruction naming
 * - Instructions without immediates are emitted with {@link FunctionBuilder.op} using their text
 *   format name, e.g. `f.op("f32x4.add")`. The names and opcodes live in the typed tables of
 *   opcodes.ts ({@link PLAIN_OPS}); the name type {@link PlainOp} makes typos a compile error.
 * - Loads/stores/atomics take a memarg: `f.mem("v128.load", { offset: 16 })`. The alignment
 *   defaults to the natural alignment and is given in bytes (`{ align: 4 }`); atomics must use
 *   their natural alignment.
 * - Lane instructions: `f.lane("f32x4.extract_lane", 2)`, `f.memLane("v128.load32_lane", 0)`,
 *   `f.shuffle([...16 lane indices])`.
 * - Constants: `i32Const`, `i64Const` (number or bigint, signed LEB128), `f32Const`, `f64Const`
 *   (little-endian IEEE-754 bits), `v128Const` (16 raw bytes) and the splat helpers
 *   `f32x4Const` / `i32x4Const` / `f64x2Const` / `i64x2Const`.
 * - Control: `block`, `loop` and `if` return a {@link Label}; `br`/`br_if` accept either a label
 *   (the relative depth is computed from the current nesting) or a raw relative depth.
 *
 * Encodings used: plain opcodes are one byte; the 0xFC prefix (saturating truncation, bulk
 * memory), 0xFD prefix (SIMD128) and 0xFE prefix (threads/atomics) are followed by the opcode as
 * an unsigned LEB128 integer.
 */
import { ByteWriter } from "./byte-writer.js";
import { FunctionBuilder } from "./function-builder.js";
import { EXTERNAL_KIND, OP, SECTION } from "./opcodes.js";
import { type FuncType, type NumType, VALTYPE_CODE, type ValType } from "./wasm-types.js";

export interface MemoryType {
  /** Initial size in 64 KiB pages. */
  initial: number;
  /** Maximum size in pages (required when `shared`). */
  maximum?: number;
  shared?: boolean;
}

export interface MemoryImport extends MemoryType {
  module?: string;
  name?: string;
}

export interface GlobalDef {
  type: NumType;
  mutable: boolean;
  /** Initial value (constant expression). */
  init: number | bigint;
}

type Export = { name: string; kind: keyof typeof EXTERNAL_KIND; index: number };
type Import =
  | { module: string; name: string; kind: "func"; typeIndex: number }
  | { module: string; name: string; kind: "memory"; mem: MemoryType };

function typeKey(t: FuncType): string {
  return `${t.params.join(",")}->${t.results.join(",")}`;
}

function writeLimits(w: ByteWriter, m: MemoryType): void {
  if (m.shared && m.maximum === undefined) throw new Error("shared memory requires a maximum");
  if (m.maximum !== undefined && m.maximum < m.initial)
    throw new RangeError("memory maximum is smaller than initial");
  const flags = (m.maximum !== undefined ? 1 : 0) | (m.shared ? 2 : 0);
  w.byte(flags).u32(m.initial);
  if (m.maximum !== undefined) w.u32(m.maximum);
}

/** Builds a WebAssembly module. */
export class ModuleBuilder {
  /**
   * @param relaxedSimd whether its functions may use relaxed SIMD (the engine must have it)
   * @param hoistV128Constants whether its functions set each distinct `v128.const` into a local
   *   once at entry and read the local at every use. Same values, and the engines' code differs:
   *   V8 in Chrome 150 rematerializes a constant at each use inside a loop (several
   *   instructions per use: a register-only multiply-add loop ran 6× slower with inline
   *   constants there), while a local set before the loop stays in a register; Node 20's V8
   *   compiles both forms alike.
   */
  constructor(
    readonly relaxedSimd = false,
    readonly hoistV128Constants = false,
  ) {}

  private readonly types: FuncType[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly imports: Import[] = [];
  private readonly functions: { typeIndex: number; body: FunctionBuilder }[] = [];
  private readonly globals: GlobalDef[] = [];
  private readonly exports: Export[] = [];
  private memory: MemoryType | undefined;
  private hasMemoryImport = false;
  private importedFuncs = 0;

  /** Returns the index of a function type, adding it if new (types are deduplicated). */
  addType(params: readonly ValType[], results: readonly ValType[] = []): number {
    const t: FuncType = { params: [...params], results: [...results] };
    const key = typeKey(t);
    let idx = this.typeIndex.get(key);
    if (idx === undefined) {
      idx = this.types.length;
      this.types.push(t);
      this.typeIndex.set(key, idx);
    }
    return idx;
  }

  get typeCount(): number {
    return this.types.length;
  }

  /** Imports a linear memory (default `env.memory`). At most one memory per module. */
  importMemory(mem: MemoryImport): this {
    if (this.memory || this.hasMemoryImport) throw new Error("module already has a memory");
    if (mem.shared && mem.maximum === undefined)
      throw new Error("shared memory requires a maximum");
    this.imports.push({
      module: mem.module ?? "env",
      name: mem.name ?? "memory",
      kind: "memory",
      mem: { initial: mem.initial, maximum: mem.maximum, shared: mem.shared ?? false },
    });
    this.hasMemoryImport = true;
    return this;
  }

  /** Defines a memory inside the module (instead of importing one). */
  defineMemory(mem: MemoryType): this {
    if (this.memory || this.hasMemoryImport) throw new Error("module already has a memory");
    if (mem.shared && mem.maximum === undefined)
      throw new Error("shared memory requires a maximum");
    this.memory = { ...mem };
    return this;
  }

  /** Imports a function; returns its function index. Must precede {@link addFunction}. */
  importFunction(
    module: string,
    name: string,
    params: readonly ValType[],
    results: readonly ValType[] = [],
  ): number {
    if (this.functions.length > 0)
      throw new Error("import functions before defining any (indices would shift)");
    this.imports.push({ module, name, kind: "func", typeIndex: this.addType(params, results) });
    return this.importedFuncs++;
  }

  /** Adds a global; returns its index. */
  addGlobal(g: GlobalDef): number {
    this.globals.push(g);
    return this.globals.length - 1;
  }

  /** Defines a function and returns its builder (its `index` is the function index). */
  addFunction(params: readonly ValType[], results: readonly ValType[] = []): FunctionBuilder {
    const typeIndex = this.addType(params, results);
    const fb = new FunctionBuilder(
      this.types[typeIndex]!,
      this.importedFuncs + this.functions.length,
      this.relaxedSimd,
      this.hoistV128Constants,
    );
    this.functions.push({ typeIndex, body: fb });
    return fb;
  }

  exportFunction(name: string, fn: FunctionBuilder | number): this {
    this.exports.push({ name, kind: "func", index: typeof fn === "number" ? fn : fn.index });
    return this;
  }

  exportMemory(name: string): this {
    if (!this.memory && !this.hasMemoryImport) throw new Error("module has no memory");
    this.exports.push({ name, kind: "memory", index: 0 });
    return this;
  }

  exportGlobal(name: string, index: number): this {
    this.exports.push({ name, kind: "global", index });
    return this;
  }

  /** Encodes the module. */
  toBytes(): Uint8Array<ArrayBuffer> {
    const out = new ByteWriter();
    out.bytes([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    out.bytes([0x01, 0x00, 0x00, 0x00]); // version 1

    const section = (id: number, fill: (w: ByteWriter) => void): void => {
      const w = new ByteWriter();
      fill(w);
      out.byte(id).sized(w);
    };

    // Bodies first: encoding them may not add types, but it validates block nesting early.
    const bodies = this.functions.map((f) => f.body.encodeBody());

    if (this.types.length > 0)
      section(SECTION.type, (w) => {
        w.u32(this.types.length);
        for (const t of this.types) {
          w.byte(0x60).u32(t.params.length);
          for (const p of t.params) w.byte(VALTYPE_CODE[p]);
          w.u32(t.results.length);
          for (const r of t.results) w.byte(VALTYPE_CODE[r]);
        }
      });

    if (this.imports.length > 0)
      section(SECTION.import, (w) => {
        w.u32(this.imports.length);
        for (const imp of this.imports) {
          w.name(imp.module).name(imp.name);
          if (imp.kind === "func") w.byte(EXTERNAL_KIND.func).u32(imp.typeIndex);
          else {
            w.byte(EXTERNAL_KIND.memory);
            writeLimits(w, imp.mem);
          }
        }
      });

    if (this.functions.length > 0)
      section(SECTION.function, (w) => {
        w.u32(this.functions.length);
        for (const f of this.functions) w.u32(f.typeIndex);
      });

    if (this.memory)
      section(SECTION.memory, (w) => {
        w.u32(1);
        writeLimits(w, this.memory!);
      });

    if (this.globals.length > 0)
      section(SECTION.global, (w) => {
        w.u32(this.globals.length);
        for (const g of this.globals) {
          w.byte(VALTYPE_CODE[g.type]).byte(g.mutable ? 1 : 0);
          switch (g.type) {
            case "i32":
              w.byte(OP["i32.const"]).s32(Number(g.init));
              break;
            case "i64":
              w.byte(OP["i64.const"]).s64(g.init);
              break;
            case "f32":
              w.byte(OP["f32.const"]).f32(Number(g.init));
              break;
            case "f64":
              w.byte(OP["f64.const"]).f64(Number(g.init));
              break;
          }
          w.byte(OP.end);
        }
      });

    if (this.exports.length > 0)
      section(SECTION.export, (w) => {
        w.u32(this.exports.length);
        for (const e of this.exports) w.name(e.name).byte(EXTERNAL_KIND[e.kind]).u32(e.index);
      });

    if (bodies.length > 0)
      section(SECTION.code, (w) => {
        w.u32(bodies.length);
        for (const b of bodies) w.u32(b.length).bytes(b);
      });

    return out.toBytes();
  }
}
