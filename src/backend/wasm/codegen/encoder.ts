/**
 * A small WebAssembly binary emitter: builds module bytes directly, with no toolchain at run time.
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
 *   format name, e.g. `f.op("f32x4.add")`. The names and opcodes live in the typed tables below
 *   ({@link PLAIN_OPS}); the name type {@link PlainOp} makes typos a compile error.
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

export type NumType = "i32" | "i64" | "f32" | "f64";
export type ValType = NumType | "v128";
/** Block result type: no result, or a single value. */
export type BlockType = "void" | ValType;

export const VALTYPE_CODE: Readonly<Record<ValType, number>> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
};
const BLOCKTYPE_VOID = 0x40;

// ---------------------------------------------------------------------------------------------
// Opcode tables
// ---------------------------------------------------------------------------------------------

/** Opcode prefixes: 0 = single-byte core opcode. */
export type Prefix = 0 | 0xfc | 0xfd | 0xfe;

/** An instruction without variable immediates; `imm` holds fixed trailing bytes (memory index). */
export interface Opcode {
  readonly prefix: Prefix;
  readonly code: number;
  readonly imm?: readonly number[];
}

const core = (code: number, imm?: readonly number[]): Opcode =>
  imm ? { prefix: 0, code, imm } : { prefix: 0, code };
const misc = (code: number, imm?: readonly number[]): Opcode =>
  imm ? { prefix: 0xfc, code, imm } : { prefix: 0xfc, code };
const simd = (code: number): Opcode => ({ prefix: 0xfd, code });
const atomic = (code: number, imm?: readonly number[]): Opcode =>
  imm ? { prefix: 0xfe, code, imm } : { prefix: 0xfe, code };

/** Every instruction that has no variable immediate, keyed by its text-format name. */
export const PLAIN_OPS = {
  // control / parametric
  unreachable: core(0x00),
  nop: core(0x01),
  return: core(0x0f),
  drop: core(0x1a),
  select: core(0x1b),
  // memory management
  "memory.size": core(0x3f, [0x00]),
  "memory.grow": core(0x40, [0x00]),
  "memory.copy": misc(0x0a, [0x00, 0x00]),
  "memory.fill": misc(0x0b, [0x00]),
  "atomic.fence": atomic(0x03, [0x00]),

  // i32 comparisons
  "i32.eqz": core(0x45),
  "i32.eq": core(0x46),
  "i32.ne": core(0x47),
  "i32.lt_s": core(0x48),
  "i32.lt_u": core(0x49),
  "i32.gt_s": core(0x4a),
  "i32.gt_u": core(0x4b),
  "i32.le_s": core(0x4c),
  "i32.le_u": core(0x4d),
  "i32.ge_s": core(0x4e),
  "i32.ge_u": core(0x4f),
  // i64 comparisons
  "i64.eqz": core(0x50),
  "i64.eq": core(0x51),
  "i64.ne": core(0x52),
  "i64.lt_s": core(0x53),
  "i64.lt_u": core(0x54),
  "i64.gt_s": core(0x55),
  "i64.gt_u": core(0x56),
  "i64.le_s": core(0x57),
  "i64.le_u": core(0x58),
  "i64.ge_s": core(0x59),
  "i64.ge_u": core(0x5a),
  // f32 / f64 comparisons
  "f32.eq": core(0x5b),
  "f32.ne": core(0x5c),
  "f32.lt": core(0x5d),
  "f32.gt": core(0x5e),
  "f32.le": core(0x5f),
  "f32.ge": core(0x60),
  "f64.eq": core(0x61),
  "f64.ne": core(0x62),
  "f64.lt": core(0x63),
  "f64.gt": core(0x64),
  "f64.le": core(0x65),
  "f64.ge": core(0x66),
  // i32 arithmetic / bit ops
  "i32.clz": core(0x67),
  "i32.ctz": core(0x68),
  "i32.popcnt": core(0x69),
  "i32.add": core(0x6a),
  "i32.sub": core(0x6b),
  "i32.mul": core(0x6c),
  "i32.div_s": core(0x6d),
  "i32.div_u": core(0x6e),
  "i32.rem_s": core(0x6f),
  "i32.rem_u": core(0x70),
  "i32.and": core(0x71),
  "i32.or": core(0x72),
  "i32.xor": core(0x73),
  "i32.shl": core(0x74),
  "i32.shr_s": core(0x75),
  "i32.shr_u": core(0x76),
  "i32.rotl": core(0x77),
  "i32.rotr": core(0x78),
  // i64 arithmetic / bit ops
  "i64.clz": core(0x79),
  "i64.ctz": core(0x7a),
  "i64.popcnt": core(0x7b),
  "i64.add": core(0x7c),
  "i64.sub": core(0x7d),
  "i64.mul": core(0x7e),
  "i64.div_s": core(0x7f),
  "i64.div_u": core(0x80),
  "i64.rem_s": core(0x81),
  "i64.rem_u": core(0x82),
  "i64.and": core(0x83),
  "i64.or": core(0x84),
  "i64.xor": core(0x85),
  "i64.shl": core(0x86),
  "i64.shr_s": core(0x87),
  "i64.shr_u": core(0x88),
  "i64.rotl": core(0x89),
  "i64.rotr": core(0x8a),
  // f32 arithmetic
  "f32.abs": core(0x8b),
  "f32.neg": core(0x8c),
  "f32.ceil": core(0x8d),
  "f32.floor": core(0x8e),
  "f32.trunc": core(0x8f),
  "f32.nearest": core(0x90),
  "f32.sqrt": core(0x91),
  "f32.add": core(0x92),
  "f32.sub": core(0x93),
  "f32.mul": core(0x94),
  "f32.div": core(0x95),
  "f32.min": core(0x96),
  "f32.max": core(0x97),
  "f32.copysign": core(0x98),
  // f64 arithmetic
  "f64.abs": core(0x99),
  "f64.neg": core(0x9a),
  "f64.ceil": core(0x9b),
  "f64.floor": core(0x9c),
  "f64.trunc": core(0x9d),
  "f64.nearest": core(0x9e),
  "f64.sqrt": core(0x9f),
  "f64.add": core(0xa0),
  "f64.sub": core(0xa1),
  "f64.mul": core(0xa2),
  "f64.div": core(0xa3),
  "f64.min": core(0xa4),
  "f64.max": core(0xa5),
  "f64.copysign": core(0xa6),
  // conversions
  "i32.wrap_i64": core(0xa7),
  "i32.trunc_f32_s": core(0xa8),
  "i32.trunc_f32_u": core(0xa9),
  "i32.trunc_f64_s": core(0xaa),
  "i32.trunc_f64_u": core(0xab),
  "i64.extend_i32_s": core(0xac),
  "i64.extend_i32_u": core(0xad),
  "i64.trunc_f32_s": core(0xae),
  "i64.trunc_f32_u": core(0xaf),
  "i64.trunc_f64_s": core(0xb0),
  "i64.trunc_f64_u": core(0xb1),
  "f32.convert_i32_s": core(0xb2),
  "f32.convert_i32_u": core(0xb3),
  "f32.convert_i64_s": core(0xb4),
  "f32.convert_i64_u": core(0xb5),
  "f32.demote_f64": core(0xb6),
  "f64.convert_i32_s": core(0xb7),
  "f64.convert_i32_u": core(0xb8),
  "f64.convert_i64_s": core(0xb9),
  "f64.convert_i64_u": core(0xba),
  "f64.promote_f32": core(0xbb),
  "i32.reinterpret_f32": core(0xbc),
  "i64.reinterpret_f64": core(0xbd),
  "f32.reinterpret_i32": core(0xbe),
  "f64.reinterpret_i64": core(0xbf),
  "i32.extend8_s": core(0xc0),
  "i32.extend16_s": core(0xc1),
  "i64.extend8_s": core(0xc2),
  "i64.extend16_s": core(0xc3),
  "i64.extend32_s": core(0xc4),
  // non-trapping float-to-int (0xFC prefix)
  "i32.trunc_sat_f32_s": misc(0x00),
  "i32.trunc_sat_f32_u": misc(0x01),
  "i32.trunc_sat_f64_s": misc(0x02),
  "i32.trunc_sat_f64_u": misc(0x03),
  "i64.trunc_sat_f32_s": misc(0x04),
  "i64.trunc_sat_f32_u": misc(0x05),
  "i64.trunc_sat_f64_s": misc(0x06),
  "i64.trunc_sat_f64_u": misc(0x07),

  // ---- SIMD128 (0xFD prefix) ----
  "i8x16.swizzle": simd(0x0e),
  "i8x16.splat": simd(0x0f),
  "i16x8.splat": simd(0x10),
  "i32x4.splat": simd(0x11),
  "i64x2.splat": simd(0x12),
  "f32x4.splat": simd(0x13),
  "f64x2.splat": simd(0x14),
  // comparisons
  "i8x16.eq": simd(0x23),
  "i8x16.ne": simd(0x24),
  "i8x16.lt_s": simd(0x25),
  "i8x16.lt_u": simd(0x26),
  "i8x16.gt_s": simd(0x27),
  "i8x16.gt_u": simd(0x28),
  "i8x16.le_s": simd(0x29),
  "i8x16.le_u": simd(0x2a),
  "i8x16.ge_s": simd(0x2b),
  "i8x16.ge_u": simd(0x2c),
  "i16x8.eq": simd(0x2d),
  "i16x8.ne": simd(0x2e),
  "i16x8.lt_s": simd(0x2f),
  "i16x8.lt_u": simd(0x30),
  "i16x8.gt_s": simd(0x31),
  "i16x8.gt_u": simd(0x32),
  "i16x8.le_s": simd(0x33),
  "i16x8.le_u": simd(0x34),
  "i16x8.ge_s": simd(0x35),
  "i16x8.ge_u": simd(0x36),
  "i32x4.eq": simd(0x37),
  "i32x4.ne": simd(0x38),
  "i32x4.lt_s": simd(0x39),
  "i32x4.lt_u": simd(0x3a),
  "i32x4.gt_s": simd(0x3b),
  "i32x4.gt_u": simd(0x3c),
  "i32x4.le_s": simd(0x3d),
  "i32x4.le_u": simd(0x3e),
  "i32x4.ge_s": simd(0x3f),
  "i32x4.ge_u": simd(0x40),
  "f32x4.eq": simd(0x41),
  "f32x4.ne": simd(0x42),
  "f32x4.lt": simd(0x43),
  "f32x4.gt": simd(0x44),
  "f32x4.le": simd(0x45),
  "f32x4.ge": simd(0x46),
  "f64x2.eq": simd(0x47),
  "f64x2.ne": simd(0x48),
  "f64x2.lt": simd(0x49),
  "f64x2.gt": simd(0x4a),
  "f64x2.le": simd(0x4b),
  "f64x2.ge": simd(0x4c),
  // bitwise
  "v128.not": simd(0x4d),
  "v128.and": simd(0x4e),
  "v128.andnot": simd(0x4f),
  "v128.or": simd(0x50),
  "v128.xor": simd(0x51),
  "v128.bitselect": simd(0x52),
  "v128.any_true": simd(0x53),
  // f32x4 <-> f64x2
  "f32x4.demote_f64x2_zero": simd(0x5e),
  "f64x2.promote_low_f32x4": simd(0x5f),
  // i8x16
  "i8x16.abs": simd(0x60),
  "i8x16.neg": simd(0x61),
  "i8x16.popcnt": simd(0x62),
  "i8x16.all_true": simd(0x63),
  "i8x16.bitmask": simd(0x64),
  "i8x16.narrow_i16x8_s": simd(0x65),
  "i8x16.narrow_i16x8_u": simd(0x66),
  "f32x4.ceil": simd(0x67),
  "f32x4.floor": simd(0x68),
  "f32x4.trunc": simd(0x69),
  "f32x4.nearest": simd(0x6a),
  "i8x16.shl": simd(0x6b),
  "i8x16.shr_s": simd(0x6c),
  "i8x16.shr_u": simd(0x6d),
  "i8x16.add": simd(0x6e),
  "i8x16.add_sat_s": simd(0x6f),
  "i8x16.add_sat_u": simd(0x70),
  "i8x16.sub": simd(0x71),
  "i8x16.sub_sat_s": simd(0x72),
  "i8x16.sub_sat_u": simd(0x73),
  "f64x2.ceil": simd(0x74),
  "f64x2.floor": simd(0x75),
  "i8x16.min_s": simd(0x76),
  "i8x16.min_u": simd(0x77),
  "i8x16.max_s": simd(0x78),
  "i8x16.max_u": simd(0x79),
  "f64x2.trunc": simd(0x7a),
  "i8x16.avgr_u": simd(0x7b),
  // i16x8
  "i16x8.abs": simd(0x80),
  "i16x8.neg": simd(0x81),
  "i16x8.all_true": simd(0x83),
  "i16x8.bitmask": simd(0x84),
  "i16x8.narrow_i32x4_s": simd(0x85),
  "i16x8.narrow_i32x4_u": simd(0x86),
  "i16x8.extend_low_i8x16_s": simd(0x87),
  "i16x8.extend_high_i8x16_s": simd(0x88),
  "i16x8.extend_low_i8x16_u": simd(0x89),
  "i16x8.extend_high_i8x16_u": simd(0x8a),
  "i16x8.shl": simd(0x8b),
  "i16x8.shr_s": simd(0x8c),
  "i16x8.shr_u": simd(0x8d),
  "i16x8.add": simd(0x8e),
  "i16x8.add_sat_s": simd(0x8f),
  "i16x8.add_sat_u": simd(0x90),
  "i16x8.sub": simd(0x91),
  "i16x8.sub_sat_s": simd(0x92),
  "i16x8.sub_sat_u": simd(0x93),
  "f64x2.nearest": simd(0x94),
  "i16x8.mul": simd(0x95),
  "i16x8.min_s": simd(0x96),
  "i16x8.min_u": simd(0x97),
  "i16x8.max_s": simd(0x98),
  "i16x8.max_u": simd(0x99),
  // i32x4
  "i32x4.abs": simd(0xa0),
  "i32x4.neg": simd(0xa1),
  "i32x4.all_true": simd(0xa3),
  "i32x4.bitmask": simd(0xa4),
  "i32x4.extend_low_i16x8_s": simd(0xa7),
  "i32x4.extend_high_i16x8_s": simd(0xa8),
  "i32x4.extend_low_i16x8_u": simd(0xa9),
  "i32x4.extend_high_i16x8_u": simd(0xaa),
  "i32x4.shl": simd(0xab),
  "i32x4.shr_s": simd(0xac),
  "i32x4.shr_u": simd(0xad),
  "i32x4.add": simd(0xae),
  "i32x4.sub": simd(0xb1),
  "i32x4.mul": simd(0xb5),
  "i32x4.min_s": simd(0xb6),
  "i32x4.min_u": simd(0xb7),
  "i32x4.max_s": simd(0xb8),
  "i32x4.max_u": simd(0xb9),
  "i32x4.dot_i16x8_s": simd(0xba),
  // i64x2
  "i64x2.abs": simd(0xc0),
  "i64x2.neg": simd(0xc1),
  "i64x2.all_true": simd(0xc3),
  "i64x2.bitmask": simd(0xc4),
  "i64x2.extend_low_i32x4_s": simd(0xc7),
  "i64x2.extend_high_i32x4_s": simd(0xc8),
  "i64x2.extend_low_i32x4_u": simd(0xc9),
  "i64x2.extend_high_i32x4_u": simd(0xca),
  "i64x2.shl": simd(0xcb),
  "i64x2.shr_s": simd(0xcc),
  "i64x2.shr_u": simd(0xcd),
  "i64x2.add": simd(0xce),
  "i64x2.sub": simd(0xd1),
  "i64x2.mul": simd(0xd5),
  "i64x2.eq": simd(0xd6),
  "i64x2.ne": simd(0xd7),
  "i64x2.lt_s": simd(0xd8),
  "i64x2.gt_s": simd(0xd9),
  "i64x2.le_s": simd(0xda),
  "i64x2.ge_s": simd(0xdb),
  // f32x4
  "f32x4.abs": simd(0xe0),
  "f32x4.neg": simd(0xe1),
  "f32x4.sqrt": simd(0xe3),
  "f32x4.add": simd(0xe4),
  "f32x4.sub": simd(0xe5),
  "f32x4.mul": simd(0xe6),
  "f32x4.div": simd(0xe7),
  "f32x4.min": simd(0xe8),
  "f32x4.max": simd(0xe9),
  "f32x4.pmin": simd(0xea),
  "f32x4.pmax": simd(0xeb),
  // f64x2
  "f64x2.abs": simd(0xec),
  "f64x2.neg": simd(0xed),
  "f64x2.sqrt": simd(0xef),
  "f64x2.add": simd(0xf0),
  "f64x2.sub": simd(0xf1),
  "f64x2.mul": simd(0xf2),
  "f64x2.div": simd(0xf3),
  "f64x2.min": simd(0xf4),
  "f64x2.max": simd(0xf5),
  "f64x2.pmin": simd(0xf6),
  "f64x2.pmax": simd(0xf7),
  // conversions
  "i32x4.trunc_sat_f32x4_s": simd(0xf8),
  "i32x4.trunc_sat_f32x4_u": simd(0xf9),
  "f32x4.convert_i32x4_s": simd(0xfa),
  "f32x4.convert_i32x4_u": simd(0xfb),
  "i32x4.trunc_sat_f64x2_s_zero": simd(0xfc),
  "i32x4.trunc_sat_f64x2_u_zero": simd(0xfd),
  "f64x2.convert_low_i32x4_s": simd(0xfe),
  "f64x2.convert_low_i32x4_u": simd(0xff),
  // relaxed SIMD (WebAssembly 3.0; behind --experimental-wasm-relaxed-simd in Node 20)
  "i8x16.relaxed_swizzle": simd(0x100),
  "i32x4.relaxed_trunc_f32x4_s": simd(0x101),
  "i32x4.relaxed_trunc_f32x4_u": simd(0x102),
  "i32x4.relaxed_trunc_f64x2_s_zero": simd(0x103),
  "i32x4.relaxed_trunc_f64x2_u_zero": simd(0x104),
  "f32x4.relaxed_madd": simd(0x105),
  "f32x4.relaxed_nmadd": simd(0x106),
  "f64x2.relaxed_madd": simd(0x107),
  "f64x2.relaxed_nmadd": simd(0x108),
  "i8x16.relaxed_laneselect": simd(0x109),
  "i16x8.relaxed_laneselect": simd(0x10a),
  "i32x4.relaxed_laneselect": simd(0x10b),
  "i64x2.relaxed_laneselect": simd(0x10c),
  "f32x4.relaxed_min": simd(0x10d),
  "f32x4.relaxed_max": simd(0x10e),
  "f64x2.relaxed_min": simd(0x10f),
  "f64x2.relaxed_max": simd(0x110),
  "i16x8.relaxed_q15mulr_s": simd(0x111),
  "i16x8.relaxed_dot_i8x16_i7x16_s": simd(0x112),
  "i32x4.relaxed_dot_i8x16_i7x16_add_s": simd(0x113),
} as const satisfies Record<string, Opcode>;

export type PlainOp = keyof typeof PLAIN_OPS;

/** A memory instruction: opcode plus natural alignment as log2(bytes). */
export interface MemOpcode extends Opcode {
  readonly align: number;
  /** Atomic accesses must use exactly the natural alignment. */
  readonly atomic?: boolean;
}

const coreMem = (code: number, align: number): MemOpcode => ({ prefix: 0, code, align });
const simdMem = (code: number, align: number): MemOpcode => ({ prefix: 0xfd, code, align });
const atomicMem = (code: number, align: number): MemOpcode => ({
  prefix: 0xfe,
  code,
  align,
  atomic: true,
});

/** Loads, stores and atomic memory instructions (all take a memarg). */
export const MEM_OPS = {
  "i32.load": coreMem(0x28, 2),
  "i64.load": coreMem(0x29, 3),
  "f32.load": coreMem(0x2a, 2),
  "f64.load": coreMem(0x2b, 3),
  "i32.load8_s": coreMem(0x2c, 0),
  "i32.load8_u": coreMem(0x2d, 0),
  "i32.load16_s": coreMem(0x2e, 1),
  "i32.load16_u": coreMem(0x2f, 1),
  "i64.load8_s": coreMem(0x30, 0),
  "i64.load8_u": coreMem(0x31, 0),
  "i64.load16_s": coreMem(0x32, 1),
  "i64.load16_u": coreMem(0x33, 1),
  "i64.load32_s": coreMem(0x34, 2),
  "i64.load32_u": coreMem(0x35, 2),
  "i32.store": coreMem(0x36, 2),
  "i64.store": coreMem(0x37, 3),
  "f32.store": coreMem(0x38, 2),
  "f64.store": coreMem(0x39, 3),
  "i32.store8": coreMem(0x3a, 0),
  "i32.store16": coreMem(0x3b, 1),
  "i64.store8": coreMem(0x3c, 0),
  "i64.store16": coreMem(0x3d, 1),
  "i64.store32": coreMem(0x3e, 2),
  // SIMD
  "v128.load": simdMem(0x00, 4),
  "v128.load8x8_s": simdMem(0x01, 3),
  "v128.load8x8_u": simdMem(0x02, 3),
  "v128.load16x4_s": simdMem(0x03, 3),
  "v128.load16x4_u": simdMem(0x04, 3),
  "v128.load32x2_s": simdMem(0x05, 3),
  "v128.load32x2_u": simdMem(0x06, 3),
  "v128.load8_splat": simdMem(0x07, 0),
  "v128.load16_splat": simdMem(0x08, 1),
  "v128.load32_splat": simdMem(0x09, 2),
  "v128.load64_splat": simdMem(0x0a, 3),
  "v128.store": simdMem(0x0b, 4),
  "v128.load32_zero": simdMem(0x5c, 2),
  "v128.load64_zero": simdMem(0x5d, 3),
  // atomics (0xFE prefix)
  "memory.atomic.notify": atomicMem(0x00, 2),
  "memory.atomic.wait32": atomicMem(0x01, 2),
  "memory.atomic.wait64": atomicMem(0x02, 3),
  "i32.atomic.load": atomicMem(0x10, 2),
  "i64.atomic.load": atomicMem(0x11, 3),
  "i32.atomic.load8_u": atomicMem(0x12, 0),
  "i32.atomic.load16_u": atomicMem(0x13, 1),
  "i32.atomic.store": atomicMem(0x17, 2),
  "i64.atomic.store": atomicMem(0x18, 3),
  "i32.atomic.store8": atomicMem(0x19, 0),
  "i32.atomic.store16": atomicMem(0x1a, 1),
  "i32.atomic.rmw.add": atomicMem(0x1e, 2),
  "i64.atomic.rmw.add": atomicMem(0x1f, 3),
  "i32.atomic.rmw.sub": atomicMem(0x25, 2),
  "i64.atomic.rmw.sub": atomicMem(0x26, 3),
  "i32.atomic.rmw.and": atomicMem(0x2c, 2),
  "i32.atomic.rmw.or": atomicMem(0x33, 2),
  "i32.atomic.rmw.xor": atomicMem(0x3a, 2),
  "i32.atomic.rmw.xchg": atomicMem(0x41, 2),
  "i32.atomic.rmw.cmpxchg": atomicMem(0x48, 2),
  "i64.atomic.rmw.cmpxchg": atomicMem(0x49, 3),
} as const satisfies Record<string, MemOpcode>;

export type MemOp = keyof typeof MEM_OPS;

/** SIMD lane access instructions: opcode plus number of lanes (the lane immediate's bound). */
export const LANE_OPS = {
  "i8x16.extract_lane_s": { code: 0x15, lanes: 16 },
  "i8x16.extract_lane_u": { code: 0x16, lanes: 16 },
  "i8x16.replace_lane": { code: 0x17, lanes: 16 },
  "i16x8.extract_lane_s": { code: 0x18, lanes: 8 },
  "i16x8.extract_lane_u": { code: 0x19, lanes: 8 },
  "i16x8.replace_lane": { code: 0x1a, lanes: 8 },
  "i32x4.extract_lane": { code: 0x1b, lanes: 4 },
  "i32x4.replace_lane": { code: 0x1c, lanes: 4 },
  "i64x2.extract_lane": { code: 0x1d, lanes: 2 },
  "i64x2.replace_lane": { code: 0x1e, lanes: 2 },
  "f32x4.extract_lane": { code: 0x1f, lanes: 4 },
  "f32x4.replace_lane": { code: 0x20, lanes: 4 },
  "f64x2.extract_lane": { code: 0x21, lanes: 2 },
  "f64x2.replace_lane": { code: 0x22, lanes: 2 },
} as const satisfies Record<string, { code: number; lanes: number }>;

export type LaneOp = keyof typeof LANE_OPS;

/** SIMD load/store of a single lane: memarg followed by a lane index. */
export const MEM_LANE_OPS = {
  "v128.load8_lane": { code: 0x54, align: 0, lanes: 16 },
  "v128.load16_lane": { code: 0x55, align: 1, lanes: 8 },
  "v128.load32_lane": { code: 0x56, align: 2, lanes: 4 },
  "v128.load64_lane": { code: 0x57, align: 3, lanes: 2 },
  "v128.store8_lane": { code: 0x58, align: 0, lanes: 16 },
  "v128.store16_lane": { code: 0x59, align: 1, lanes: 8 },
  "v128.store32_lane": { code: 0x5a, align: 2, lanes: 4 },
  "v128.store64_lane": { code: 0x5b, align: 3, lanes: 2 },
} as const satisfies Record<string, { code: number; align: number; lanes: number }>;

export type MemLaneOp = keyof typeof MEM_LANE_OPS;

/** Opcodes with dedicated emitter methods (they carry immediates). */
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  call: 0x10,
  call_indirect: 0x11,
  select_t: 0x1c,
  "local.get": 0x20,
  "local.set": 0x21,
  "local.tee": 0x22,
  "global.get": 0x23,
  "global.set": 0x24,
  "i32.const": 0x41,
  "i64.const": 0x42,
  "f32.const": 0x43,
  "f64.const": 0x44,
  // 0xFD-prefixed
  "v128.const": 0x0c,
  "i8x16.shuffle": 0x0d,
} as const;

const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

const EXTERNAL_KIND = { func: 0x00, table: 0x01, memory: 0x02, global: 0x03 } as const;

// ---------------------------------------------------------------------------------------------
// Byte writer
// ---------------------------------------------------------------------------------------------

const scratchView = new DataView(new ArrayBuffer(8));

/** Growable byte buffer with the primitive encodings used by the binary format. */
export class ByteWriter {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    this.ensure(bs.length);
    for (let i = 0; i < bs.length; i++) this.buf[this.len++] = bs[i]! & 0xff;
    return this;
  }

  /** Unsigned LEB128 of a non-negative integer < 2^32. */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new RangeError(`u32 out of range: ${v}`);
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer (accepts -2^31 .. 2^32-1; the latter wraps). */
  s32(v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff)
      throw new RangeError(`i32 out of range: ${v}`);
    v |= 0; // wrap to signed 32-bit
    while (true) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }

  /** Signed LEB128 of a 64-bit integer (accepts -2^63 .. 2^64-1; the latter wraps). */
  s64(value: bigint | number): this {
    let v = BigInt.asIntN(64, BigInt(value));
    while (true) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }

  f32(v: number): this {
    scratchView.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.byte(scratchView.getUint8(i));
    return this;
  }

  f64(v: number): this {
    scratchView.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.byte(scratchView.getUint8(i));
    return this;
  }

  /** A name: u32 byte length followed by UTF-8 bytes. */
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    return this.bytes(utf8);
  }

  /** Length-prefixed copy of another writer (used for sections and function bodies). */
  sized(w: ByteWriter): this {
    this.u32(w.length);
    return this.bytes(w.toBytes());
  }

  toBytes(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len);
  }
}

// ---------------------------------------------------------------------------------------------
// Function builder
// ---------------------------------------------------------------------------------------------

/** Alignment/offset immediate of memory instructions. `align` is in bytes (a power of two). */
export interface MemArg {
  offset?: number;
  align?: number;
}

/** A control-flow label returned by `block`/`loop`/`if`; pass it to `br`/`br_if`. */
export interface Label {
  readonly kind: "block" | "loop" | "if";
  /** Nesting level at which the label was opened (1 = outermost block in the body). */
  readonly level: number;
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

function log2Exact(n: number): number {
  const l = Math.log2(n);
  if (!Number.isInteger(l) || l < 0) throw new RangeError(`alignment must be a power of two: ${n}`);
  return l;
}

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

// ---------------------------------------------------------------------------------------------
// Module builder
// ---------------------------------------------------------------------------------------------

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
