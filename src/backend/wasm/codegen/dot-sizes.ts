/** The blocking sizes of the wasm GEMM driver (dot.ts). */

/**
 * Depth block, column block and row block (= parallel unit and A block) sizes. MB = 64 is not
 * a multiple of MR = 5 (one panel in 13 is padded, 1.6% of the arithmetic), but it splits
 * power-of-two row counts evenly across threads, which a multiple of 5 does not.
 */
export const KC = 256;
export const NC = 512;
export const MB = 64;
