/**
 * The code emitter for one WebAssembly function (see encoder.ts for the naming of
 * instructions): locals, control flow with labels, constants, memory and lane instructions.
 */
import { ByteWriter } from "./byte-writer.js";
import {
  LANE_OPS,
  type LaneOp,
  MEM_LANE_OPS,
  MEM_OPS,
  type MemLaneOp,
  type MemOp,
  type MemOpcode,
  OP,
  PLAIN_OPS,
  type PlainOp,
} from "./opcodes.js";
import type { Opcode, Prefix } from "./opcode.js";
import {
  BLOCKTYPE_VOID,
  type BlockType,
  type FuncType,
  type Label,
  type MemArg,
  VALTYPE_CODE,
  type ValType,
  log2Exact,
} from "./wasm-types.js";

/**
 * Emits the body of one function. Parameters occupy local indices `0 .. params.length-1`;
 * {@link addLocal} appends further locals. {@link acquireLocal}/{@link releaseLocal} manage a
 * pool of scratch locals so that code generators that run many times in one function (e.g. the
 * SIMD math emitters) reuse the same locals instead of declaring new ones each time.
 */
export class FunctionBuilder {
  readonly type: FuncType;
  /** Function index in the module's function index space (imports first). */
  readonly index: number;
  private readonly localTypes: ValType[] = [];
  private readonly free = new Map<ValType, number[]>();
  private readonly code = new ByteWriter();
  private readonly controls: Label[] = [];
  private finished = false;
  /**
   * Whether code generators may emit relaxed SIMD instructions into this function (fused
   * multiply-add, lane select); inherited from {@link ModuleBuilder.relaxedSimd}.
   */
  readonly relaxedSimd: boolean;
  /**
   * Whether `v128.const` is emitted once, at function entry, into a local that each use reads
   * (see {@link ModuleBuilder.hoistV128Constants}).
   */
  readonly hoistV128Constants: boolean;
  /** Hoisted constants: their 16 bytes (as a key) → the local holding them, in first-use order. */
  private readonly v128Locals = new Map<string, { local: number; bytes: number[] }>();

  constructor(type: FuncType, index: number, relaxedSimd = false, hoistV128Constants = false) {
    this.type = type;
    this.index = index;
    this.relaxedSimd = relaxedSimd;
    this.hoistV128Constants = hoistV128Constants;
  }

  /** Number of parameters + declared locals. */
  get localCount(): number {
    return this.type.params.length + this.localTypes.length;
  }

  /** Type of local `index` (parameters first). */
  localType(index: number): ValType {
    const p = this.type.params;
    const t = index < p.length ? p[index] : this.localTypes[index - p.length];
    if (t === undefined) throw new RangeError(`no local ${index}`);
    return t;
  }

  /** Declares a new local and returns its index. */
  addLocal(type: ValType): number {
    this.localTypes.push(type);
    return this.type.params.length + this.localTypes.length - 1;
  }

  /** Takes a scratch local of `type` from the pool (declaring one if the pool is empty). */
  acquireLocal(type: ValType): number {
    const pool = this.free.get(type);
    const idx = pool?.pop();
    return idx ?? this.addLocal(type);
  }

  /** Returns scratch locals to the pool. Their values are dead from here on. */
  releaseLocal(...indices: number[]): void {
    for (const index of indices) {
      const type = this.localType(index);
      let pool = this.free.get(type);
      if (!pool) this.free.set(type, (pool = []));
      if (pool.includes(index)) throw new Error(`local ${index} released twice`);
      pool.push(index);
    }
  }

  /** Current number of open blocks (block/loop/if), not counting the function body. */
  get depth(): number {
    return this.controls.length;
  }

  // ---- raw emission ----

  private opcode(prefix: Prefix, code: number): this {
    if (prefix === 0) this.code.byte(code);
    else this.code.byte(prefix).u32(code);
    return this;
  }

  /** Emits an instruction without variable immediates, by text-format name. */
  op(name: PlainOp): this {
    const d: Opcode = PLAIN_OPS[name];
    if (d === undefined) throw new Error(`unknown instruction ${name}`);
    this.opcode(d.prefix, d.code);
    if (d.imm) this.code.bytes(d.imm);
    return this;
  }

  /** Emits several immediate-free instructions in order. */
  ops(...names: PlainOp[]): this {
    for (const n of names) this.op(n);
    return this;
  }

  /** Appends raw bytes (escape hatch for instructions not covered by the tables). */
  raw(bytes: ArrayLike<number>): this {
    this.code.bytes(bytes);
    return this;
  }

  private memarg(naturalLog2: number, arg: MemArg | undefined, atomic: boolean): void {
    const offset = arg?.offset ?? 0;
    const alignLog2 = arg?.align === undefined ? naturalLog2 : log2Exact(arg.align);
    if (alignLog2 > naturalLog2) throw new RangeError("alignment exceeds natural alignment");
    if (atomic && alignLog2 !== naturalLog2)
      throw new RangeError("atomic accesses require natural alignment");
    this.code.u32(alignLog2).u32(offset);
  }

  // ---- control ----

  private blockType(bt: BlockType): void {
    this.code.byte(bt === "void" ? BLOCKTYPE_VOID : VALTYPE_CODE[bt]);
  }

  private open(kind: Label["kind"], opcode: number, bt: BlockType): Label {
    this.code.byte(opcode);
    this.blockType(bt);
    const label: Label = { kind, level: this.controls.length + 1 };
    this.controls.push(label);
    return label;
  }

  block(bt: BlockType = "void"): Label {
    return this.open("block", OP.block, bt);
  }

  loop(bt: BlockType = "void"): Label {
    return this.open("loop", OP.loop, bt);
  }

  /** Pops an i32 condition; enters the then-branch if it is non-zero. */
  if(bt: BlockType = "void"): Label {
    return this.open("if", OP.if, bt);
  }

  else(): this {
    const top = this.controls[this.controls.length - 1];
    if (!top || top.kind !== "if") throw new Error("else without if");
    this.code.byte(OP.else);
    return this;
  }

  /** Closes the innermost block/loop/if. */
  end(): this {
    if (this.controls.pop() === undefined) throw new Error("end without open block");
    this.code.byte(OP.end);
    return this;
  }

  private relDepth(target: Label | number): number {
    if (typeof target === "number") return target;
    const idx = this.controls.indexOf(target);
    if (idx < 0) throw new Error("branch to a label that is not open");
    return this.controls.length - 1 - idx;
  }

  br(target: Label | number): this {
    this.code.byte(OP.br).u32(this.relDepth(target));
    return this;
  }

  br_if(target: Label | number): this {
    this.code.byte(OP.br_if).u32(this.relDepth(target));
    return this;
  }

  br_table(targets: readonly (Label | number)[], defaultTarget: Label | number): this {
    this.code.byte(OP.br_table).u32(targets.length);
    for (const t of targets) this.code.u32(this.relDepth(t));
    this.code.u32(this.relDepth(defaultTarget));
    return this;
  }

  return(): this {
    return this.op("return");
  }

  unreachable(): this {
    return this.op("unreachable");
  }

  call(funcIndex: number): this {
    this.code.byte(OP.call).u32(funcIndex);
    return this;
  }

  /** Typed select (`select t`, single result type). */
  selectTyped(type: ValType): this {
    this.code.byte(OP.select_t).u32(1).byte(VALTYPE_CODE[type]);
    return this;
  }

  // ---- variables ----

  localGet(index: number): this {
    this.code.byte(OP["local.get"]).u32(index);
    return this;
  }

  localSet(index: number): this {
    this.code.byte(OP["local.set"]).u32(index);
    return this;
  }

  localTee(index: number): this {
    this.code.byte(OP["local.tee"]).u32(index);
    return this;
  }

  globalGet(index: number): this {
    this.code.byte(OP["global.get"]).u32(index);
    return this;
  }

  globalSet(index: number): this {
    this.code.byte(OP["global.set"]).u32(index);
    return this;
  }

  // ---- constants ----

  i32Const(v: number): this {
    this.code.byte(OP["i32.const"]).s32(v);
    return this;
  }

  i64Const(v: bigint | number): this {
    this.code.byte(OP["i64.const"]).s64(v);
    return this;
  }

  f32Const(v: number): this {
    this.code.byte(OP["f32.const"]).f32(v);
    return this;
  }

  f64Const(v: number): this {
    this.code.byte(OP["f64.const"]).f64(v);
    return this;
  }

  /** `v128.const` from 16 raw little-endian bytes. */
  v128Const(bytes: ArrayLike<number>): this {
    if (bytes.length !== 16) throw new RangeError("v128.const needs 16 bytes");
    if (this.hoistV128Constants) {
      const copy = Array.from(bytes);
      const key = copy.join(",");
      let c = this.v128Locals.get(key);
      if (!c) this.v128Locals.set(key, (c = { local: this.addLocal("v128"), bytes: copy }));
      return this.localGet(c.local);
    }
    this.opcode(0xfd, OP["v128.const"]);
    this.code.bytes(bytes);
    return this;
  }

  /** `v128.const` with four f32 lanes (one value is splatted to all lanes). */
  f32x4Const(a: number, b = a, c = a, d = a): this {
    const v = new DataView(new ArrayBuffer(16));
    [a, b, c, d].forEach((x, i) => v.setFloat32(4 * i, x, true));
    return this.v128Const(new Uint8Array(v.buffer));
  }

  /** `v128.const` with four i32 lanes (one value is splatted to all lanes). */
  i32x4Const(a: number, b = a, c = a, d = a): this {
    const v = new DataView(new ArrayBuffer(16));
    [a, b, c, d].forEach((x, i) => v.setInt32(4 * i, x | 0, true));
    return this.v128Const(new Uint8Array(v.buffer));
  }

  /** `v128.const` with two f64 lanes. */
  f64x2Const(a: number, b = a): this {
    const v = new DataView(new ArrayBuffer(16));
    v.setFloat64(0, a, true);
    v.setFloat64(8, b, true);
    return this.v128Const(new Uint8Array(v.buffer));
  }

  /** `v128.const` with two i64 lanes. */
  i64x2Const(a: bigint, b = a): this {
    const v = new DataView(new ArrayBuffer(16));
    v.setBigInt64(0, BigInt.asIntN(64, a), true);
    v.setBigInt64(8, BigInt.asIntN(64, b), true);
    return this.v128Const(new Uint8Array(v.buffer));
  }

  // ---- memory ----

  /** Load, store or atomic instruction with a memarg. */
  mem(name: MemOp, arg?: MemArg): this {
    const d: MemOpcode = MEM_OPS[name];
    if (d === undefined) throw new Error(`unknown memory instruction ${name}`);
    this.opcode(d.prefix, d.code);
    this.memarg(d.align, arg, d.atomic === true);
    return this;
  }

  /** `v128.loadN_lane` / `v128.storeN_lane`: memarg then lane index. */
  memLane(name: MemLaneOp, lane: number, arg?: MemArg): this {
    const d = MEM_LANE_OPS[name];
    if (!Number.isInteger(lane) || lane < 0 || lane >= d.lanes)
      throw new RangeError(`bad lane ${lane}`);
    this.opcode(0xfd, d.code);
    this.memarg(d.align, arg, false);
    this.code.byte(lane);
    return this;
  }

  // ---- SIMD lanes ----

  /** `extract_lane` / `replace_lane` with a lane immediate. */
  lane(name: LaneOp, lane: number): this {
    const d = LANE_OPS[name];
    if (!Number.isInteger(lane) || lane < 0 || lane >= d.lanes)
      throw new RangeError(`bad lane ${lane}`);
    this.opcode(0xfd, d.code);
    this.code.byte(lane);
    return this;
  }

  /** `i8x16.shuffle`: 16 byte indices in 0..31 (0..15 first operand, 16..31 second). */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31))
      throw new RangeError("i8x16.shuffle needs 16 lane indices in 0..31");
    this.opcode(0xfd, OP["i8x16.shuffle"]);
    this.code.bytes(lanes);
    return this;
  }

  // ---- finishing ----

  /** Encodes locals + body (with the implicit final `end`). Called by ModuleBuilder. */
  encodeBody(): Uint8Array<ArrayBuffer> {
    if (this.controls.length !== 0)
      throw new Error(`function ${this.index}: ${this.controls.length} unclosed block(s)`);
    const w = new ByteWriter();
    // Run-length encode consecutive locals of equal type.
    const groups: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    w.u32(groups.length);
    for (const [n, t] of groups) w.u32(n).byte(VALTYPE_CODE[t]);
    for (const { local, bytes } of this.v128Locals.values()) {
      w.byte(0xfd).u32(OP["v128.const"]).bytes(bytes);
      w.byte(OP["local.set"]).u32(local);
    }
    w.bytes(this.code.toBytes());
    w.byte(OP.end);
    this.finished = true;
    return w.toBytes();
  }

  get isFinished(): boolean {
    return this.finished;
  }
}
