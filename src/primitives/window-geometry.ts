/**
 * Window geometry shared by convolutions and windowed reductions: dilated and strided sizes,
 * and JAX's `padtype_to_pads`.
 */

/** `d` dilated by `k` (JAX's dilate_dim): 0 stays 0, else `1 + k·(d − 1)`. */
export const dilateDim = (d: number, k: number): number => (d === 0 ? 0 : 1 + k * (d - 1));

/** `max(0, (d − window) // stride + 1)`. */
export const strideDim = (d: number, window: number, stride: number): number =>
  Math.max(0, Math.floor((d - window) / stride) + 1);

/**
 * JAX's `padtype_to_pads`: 'VALID' is no padding; 'SAME' / 'SAME_LOWER' pad so the output has
 * ceil(in / stride) elements, the odd element at the end (SAME) or the start (SAME_LOWER).
 */
export function padtypeToPads(
  inShape: readonly number[],
  windowShape: readonly number[],
  strides: readonly number[],
  padding: string,
): [number, number][] {
  const kind = padding.toUpperCase();
  if (kind === "VALID") return inShape.map(() => [0, 0]);
  if (kind !== "SAME" && kind !== "SAME_LOWER") {
    throw new Error(
      `Unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got ${padding}.`,
    );
  }
  return inShape.map((d, i) => {
    const s = strides[i]!;
    const out = Math.ceil(d / s);
    const total = Math.max(0, (out - 1) * s + windowShape[i]! - d);
    const half = Math.floor(total / 2);
    return kind === "SAME" ? [half, total - half] : [total - half, half];
  });
}
