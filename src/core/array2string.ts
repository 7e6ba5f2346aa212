/**
 * numpy's `array2string` with default print options (threshold=1000, edgeitems=3,
 * linewidth=75): nested brackets, line wrapping at the line width, and `...` summarization of
 * arrays over the threshold. Elements are formatted by `format-elements.ts`.
 */

import { sizeOf, stridesOf } from "./shape.js";
import { type ElementFormatter, type FormatValues, makeFormatter } from "./format-elements.js";

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
export const LINE_WIDTH = 75;

interface LayoutContext {
  values: FormatValues;
  shape: readonly number[];
  strides: number[];
  format: ElementFormatter;
  separator: string;
  /** Items kept at each end of an axis when summarizing; 0 when not summarizing. */
  edgeItems: number;
}

/** Indices shown along an axis of length `n`, with `null` marking the `...`. */
function shownIndices(n: number, edgeItems: number): (number | null)[] {
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  if (edgeItems === 0 || 2 * edgeItems >= n) return range(0, n);
  // Only the shown ends: never materialize the indices of a summarized axis.
  return [...range(0, edgeItems), null, ...range(n - edgeItems, n)];
}

/** Flat offsets of every element that will be printed. */
function shownOffsets(ctx: LayoutContext, axis = 0, base = 0, out: number[] = []): number[] {
  if (axis === ctx.shape.length) {
    out.push(base);
    return out;
  }
  for (const i of shownIndices(ctx.shape[axis]!, ctx.edgeItems)) {
    if (i !== null) shownOffsets(ctx, axis + 1, base + i * ctx.strides[axis]!, out);
  }
  return out;
}

/** Appends `word` to `line`, wrapping first if it would exceed `width`. */
function extendLine(
  out: string[],
  line: string,
  word: string,
  width: number,
  indent: string,
): string {
  const needsWrap = line.length + word.length > width && line.length > indent.length;
  if (needsWrap) {
    out.push(line.trimEnd() + "\n");
    line = indent;
  }
  return line + word;
}

function formatLastAxis(ctx: LayoutContext, base: number, indent: string, width: number): string {
  const axis = ctx.shape.length - 1;
  const stride = ctx.strides[axis]!;
  const elemWidth = width - Math.max(ctx.separator.trimEnd().length, 1);
  const items = shownIndices(ctx.shape[axis]!, ctx.edgeItems);
  const out: string[] = [];
  let line = indent;
  items.forEach((i, k) => {
    const word = i === null ? "..." : ctx.format(ctx.values[base + i * stride]!);
    line = extendLine(out, line, word, elemWidth, indent);
    if (k < items.length - 1) line += ctx.separator;
  });
  return out.join("") + line;
}

function formatOuterAxis(
  ctx: LayoutContext,
  axis: number,
  base: number,
  indent: string,
  width: number,
): string {
  const axesLeft = ctx.shape.length - axis;
  const lineSep = ctx.separator.trimEnd() + "\n".repeat(axesLeft - 1);
  const items = shownIndices(ctx.shape[axis]!, ctx.edgeItems);
  const parts = items.map((i) =>
    i === null
      ? "..."
      : formatNested(ctx, axis + 1, base + i * ctx.strides[axis]!, indent + " ", width - 1),
  );
  return parts.map((p) => indent + p).join(lineSep);
}

function formatNested(
  ctx: LayoutContext,
  axis: number,
  base: number,
  indent: string,
  width: number,
): string {
  if (axis === ctx.shape.length) return ctx.format(ctx.values[base]!);
  const body =
    axis === ctx.shape.length - 1
      ? formatLastAxis(ctx, base, indent, width)
      : formatOuterAxis(ctx, axis, base, indent, width);
  return "[" + body.slice(indent.length) + "]";
}

export interface Array2StringOptions {
  separator: string;
  prefix: string;
  suffix: string;
}

/** numpy `array2string` with default print options. */
export function array2string(
  values: FormatValues,
  shape: readonly number[],
  dtype: string,
  opts: Array2StringOptions,
): string {
  const n = sizeOf(shape);
  if (n === 0) return "[]";
  const edgeItems = n > THRESHOLD ? EDGE_ITEMS : 0;
  const base = {
    values,
    shape,
    strides: stridesOf(shape),
    separator: opts.separator,
    edgeItems,
  };
  const shown = shownOffsets({ ...base, format: () => "" }).map((o) => values[o]!);
  const ctx: LayoutContext = { ...base, format: makeFormatter(dtype, shown, shape.length === 0) };
  const width = LINE_WIDTH - opts.suffix.length;
  return formatNested(ctx, 0, 0, " ".repeat(opts.prefix.length + 1), width);
}
