/** The shape of a WebAssembly opcode in the tables (opcodes.ts, opcodes-simd.ts). */

/** Opcode prefixes: 0 = single-byte core opcode. */
export type Prefix = 0 | 0xfc | 0xfd | 0xfe;

/** An instruction without variable immediates; `imm` holds fixed trailing bytes (memory index). */
export interface Opcode {
  readonly prefix: Prefix;
  readonly code: number;
  readonly imm?: readonly number[];
}
