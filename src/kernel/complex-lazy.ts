/**
 * Complex values in the kernel IR. Kernels never see a complex dtype: a complex buffer is a
 * buffer of its real part dtype holding interleaved (re, im) pairs (2·size elements), and a
 * complex lazy array is a pair of real lazy arrays, one per part. Complex lowering rules
 * (primitives/complex/) build the pair from real expressions (a complex multiply is four real
 * multiplies and two adds), so both devices' code generators compile complex programs without
 * knowing complex numbers exist. A complex lazy array's own `at` is never called: a real
 * lowering rule that receives one is a bug, caught by `lower/` before it happens.
 */
import { ShapedArray } from "../core/aval.js";
import { realPartDType } from "../core/dtype.js";
import { stridesOf } from "../core/shape.js";
import { type Expr, binary, constant, idx, select } from "./expr.js";
import { viewLazy, constLazy, mapLazy } from "./lazy.js";
import type { BufferView, LazyArray } from "./lowering-types.js";

/** The parts of a complex lazy array: real lazy arrays of the part dtype and the same shape. */
export interface ComplexParts {
  readonly re: LazyArray;
  readonly im: LazyArray;
  /** Set when the value is exactly a view of interleaved storage (offset, strides in pairs). */
  readonly view?: BufferView;
}

/** The real aval of a complex aval's parts (same shape, float32 for complex64). */
export function partAval(aval: ShapedArray): ShapedArray {
  return new ShapedArray(aval.shape, realPartDType(aval.dtype), aval.weakType);
}

/** A complex lazy array of `aval` from its parts. */
export function complexLazy(
  aval: ShapedArray,
  re: LazyArray,
  im: LazyArray,
  view?: BufferView,
): LazyArray {
  const parts: ComplexParts = view ? { re, im, view } : { re, im };
  return {
    aval,
    parts,
    hasReduce: re.hasReduce || im.hasReduce,
    cost: re.cost + im.cost,
    at: () => {
      throw new Error(
        `internal: a complex value (${aval.str()}) was read as a real expression; ` +
          `complex lowering rules must use its parts`,
      );
    },
  };
}

/** The parts of `x`: its own for a complex value, `(x, 0)` for a real one (of the part dtype). */
export function partsOf(x: LazyArray): ComplexParts {
  if (x.parts) return x.parts;
  return { re: x, im: constLazy(0, x.aval) };
}

/**
 * A complex view of interleaved storage: complex element c at pair `offset + Σ c[k]·strides[k]`
 * (offset and strides counted in complex elements) of buffer `buffer` (2·bufferSize elements).
 */
export function complexViewLazy(aval: ShapedArray, view: BufferView): LazyArray {
  const part = partAval(aval);
  const partView = (k: number): BufferView => ({
    buffer: view.buffer,
    bufferSize: 2 * view.bufferSize,
    offset: 2 * view.offset + k,
    strides: view.strides.map((s) => 2 * s),
  });
  return complexLazy(aval, viewLazy(part, partView(0)), viewLazy(part, partView(1)), view);
}

/** A contiguous complex buffer (interleaved pairs, row-major). */
export function complexBufferLazy(buffer: number, aval: ShapedArray): LazyArray {
  return complexViewLazy(aval, {
    buffer,
    bufferSize: aval.size,
    offset: 0,
    strides: stridesOf(aval.shape),
  });
}

/**
 * The element expression of interleaved storage over the shape `[...aval.shape, 2]`: the real
 * part where the last index is 0, the imaginary part where it is 1. A loop kernel of that
 * shape storing it writes the complex value contiguously; each part is computed once per
 * complex element (neither depends on the last loop index, so codegen hoists both).
 */
export function interleavedExpr(x: LazyArray, coords: readonly Expr[]): Expr {
  const { re, im } = partsOf(x);
  const n = coords.length;
  const part = idx(n, 2);
  return select(binary("eq", part, constant(0, part.dtype)), re.at(coords), im.at(coords));
}

/** Elementwise over complex values: `f` maps the inputs' part expressions to the result's. */
export function complexMapLazy(
  aval: ShapedArray,
  inputs: readonly LazyArray[],
  f: (xs: (readonly [Expr, Expr])[]) => readonly [Expr, Expr],
  cost = 2,
): LazyArray {
  const flat = inputs.flatMap((x) => {
    const p = partsOf(x);
    return [p.re, p.im];
  });
  const pairs = (xs: Expr[]) => inputs.map((_, i) => [xs[2 * i]!, xs[2 * i + 1]!] as const);
  const part = partAval(aval);
  return complexLazy(
    aval,
    mapLazy(part, flat, (xs) => f(pairs(xs))[0], cost),
    mapLazy(part, flat, (xs) => f(pairs(xs))[1], cost),
  );
}
