/**
 * WebAssembly opcode tables: the instructions without immediates by text-format name
 * (PLAIN_OPS: the scalar ones here, the SIMD ones in opcodes-simd.ts), memory instructions (MEM_OPS), lane instructions (LANE_OPS, MEM_LANE_OPS), the
 * opcodes the emitter writes with their immediates (OP), section ids and external kinds.
 * Shared by the encoder (function-builder.ts, encoder.ts) and the disassembler. Value and
 * function types: wasm-types.ts.
 */

import type { Opcode } from "./opcode.js";
import { SIMD_PLAIN_OPS } from "./opcodes-simd.js";

const core = (code: number, imm?: readonly number[]): Opcode =>
  imm ? { prefix: 0, code, imm } : { prefix: 0, code };
const misc = (code: number, imm?: readonly number[]): Opcode =>
  imm ? { prefix: 0xfc, code, imm } : { prefix: 0xfc, code };
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
  ...SIMD_PLAIN_OPS,
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
export const OP = {
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

export const SECTION = {
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

export const EXTERNAL_KIND = { func: 0x00, table: 0x01, memory: 0x02, global: 0x03 } as const;
