/** The shape of one Stockham pass, shared by fft-stockham.ts and fft-radix8.ts. */

/** One Stockham pass. */
export interface Stage {
  readonly radix: number;
  /** Current sequence length L. */
  readonly len: number;
  /** Stride s (product of the radices of earlier stages). */
  readonly stride: number;
  /** Twiddles ω_L^{p·k} for p < L/radix, 1 ≤ k < radix: (re, im) at 2·(p·(radix-1) + k-1). */
  readonly twiddles: Float64Array;
}
