/**
 * Parameters of gather and scatter as JAX prints them: `GatherDimensionNumbers(...)`,
 * `ScatterDimensionNumbers(...)` and `GatherScatterMode.X`. Instances are interned, so equal
 * parameters are the same object (the jit/eager caches and CSE key objects by identity).
 */
import { ValueError } from "../core/errors.js";
import { shapeStr } from "../core/shape.js";

const tup = (xs: readonly number[]) => shapeStr(xs);

export interface GatherDnumsSpec {
  offset_dims: readonly number[];
  collapsed_slice_dims: readonly number[];
  start_index_map: readonly number[];
  operand_batching_dims?: readonly number[];
  start_indices_batching_dims?: readonly number[];
}

const gatherInterned = new Map<string, GatherDimensionNumbers>();

/** JAX's `lax.GatherDimensionNumbers` (index_vector_dim is always the last indices dim). */
export class GatherDimensionNumbers {
  private constructor(
    readonly offset_dims: readonly number[],
    readonly collapsed_slice_dims: readonly number[],
    readonly start_index_map: readonly number[],
    readonly operand_batching_dims: readonly number[],
    readonly start_indices_batching_dims: readonly number[],
  ) {
    Object.freeze(this);
  }

  static of(s: GatherDnumsSpec): GatherDimensionNumbers {
    const parts = [
      s.offset_dims,
      s.collapsed_slice_dims,
      s.start_index_map,
      s.operand_batching_dims ?? [],
      s.start_indices_batching_dims ?? [],
    ].map((p) => Object.freeze([...p]));
    const key = parts.map((p) => p.join(",")).join("|");
    let d = gatherInterned.get(key);
    if (!d) {
      d = new GatherDimensionNumbers(parts[0]!, parts[1]!, parts[2]!, parts[3]!, parts[4]!);
      gatherInterned.set(key, d);
    }
    return d;
  }

  /** As JAX 0.4.x prints it; the batching fields only when used. */
  toString(): string {
    let s =
      `GatherDimensionNumbers(offset_dims=${tup(this.offset_dims)}, ` +
      `collapsed_slice_dims=${tup(this.collapsed_slice_dims)}, start_index_map=${tup(this.start_index_map)}`;
    if (this.operand_batching_dims.length || this.start_indices_batching_dims.length) {
      s +=
        `, operand_batching_dims=${tup(this.operand_batching_dims)}, ` +
        `start_indices_batching_dims=${tup(this.start_indices_batching_dims)}`;
    }
    return s + ")";
  }
}

export interface ScatterDnumsSpec {
  update_window_dims: readonly number[];
  inserted_window_dims: readonly number[];
  scatter_dims_to_operand_dims: readonly number[];
  operand_batching_dims?: readonly number[];
  scatter_indices_batching_dims?: readonly number[];
}

const scatterInterned = new Map<string, ScatterDimensionNumbers>();

/** JAX's `lax.ScatterDimensionNumbers`. */
export class ScatterDimensionNumbers {
  private constructor(
    readonly update_window_dims: readonly number[],
    readonly inserted_window_dims: readonly number[],
    readonly scatter_dims_to_operand_dims: readonly number[],
    readonly operand_batching_dims: readonly number[],
    readonly scatter_indices_batching_dims: readonly number[],
  ) {
    Object.freeze(this);
  }

  static of(s: ScatterDnumsSpec): ScatterDimensionNumbers {
    const parts = [
      s.update_window_dims,
      s.inserted_window_dims,
      s.scatter_dims_to_operand_dims,
      s.operand_batching_dims ?? [],
      s.scatter_indices_batching_dims ?? [],
    ].map((p) => Object.freeze([...p]));
    const key = parts.map((p) => p.join(",")).join("|");
    let d = scatterInterned.get(key);
    if (!d) {
      d = new ScatterDimensionNumbers(parts[0]!, parts[1]!, parts[2]!, parts[3]!, parts[4]!);
      scatterInterned.set(key, d);
    }
    return d;
  }

  toString(): string {
    let s =
      `ScatterDimensionNumbers(update_window_dims=${tup(this.update_window_dims)}, ` +
      `inserted_window_dims=${tup(this.inserted_window_dims)}, ` +
      `scatter_dims_to_operand_dims=${tup(this.scatter_dims_to_operand_dims)}`;
    if (this.operand_batching_dims.length || this.scatter_indices_batching_dims.length) {
      s +=
        `, operand_batching_dims=${tup(this.operand_batching_dims)}, ` +
        `scatter_indices_batching_dims=${tup(this.scatter_indices_batching_dims)}`;
    }
    return s + ")";
  }
}

/** JAX's `lax.GatherScatterMode`: how out-of-bounds indices are handled. */
export class GatherScatterMode {
  static readonly CLIP = new GatherScatterMode("CLIP");
  static readonly FILL_OR_DROP = new GatherScatterMode("FILL_OR_DROP");
  static readonly PROMISE_IN_BOUNDS = new GatherScatterMode("PROMISE_IN_BOUNDS");
  private constructor(readonly name: "CLIP" | "FILL_OR_DROP" | "PROMISE_IN_BOUNDS") {}
  toString(): string {
    return `GatherScatterMode.${this.name}`;
  }

  /** `GatherScatterMode.from_any`: "clip", "fill"/"drop" (and null), "promise_in_bounds". */
  static fromAny(s: GatherScatterMode | string | null | undefined): GatherScatterMode {
    if (s instanceof GatherScatterMode) return s;
    if (s === "clip") return GatherScatterMode.CLIP;
    if (s === null || s === undefined || s === "fill" || s === "drop")
      return GatherScatterMode.FILL_OR_DROP;
    if (s === "promise_in_bounds") return GatherScatterMode.PROMISE_IN_BOUNDS;
    throw new ValueError(`Unknown gather mode "${s}"`);
  }
}

export type GatherScatterModeLike =
  GatherScatterMode | "clip" | "fill" | "drop" | "promise_in_bounds";

// ---------------------------------------------------------------- checks shared by both

export function isSorted(dims: readonly number[], op: string, name: string): void {
  for (let i = 1; i < dims.length; i++) {
    if (dims[i]! < dims[i - 1]!)
      throw new TypeError(`${name} in ${op} op must be sorted; got ${tup(dims)}`);
  }
}

export function noDuplicates(dims: readonly number[], op: string, name: string): void {
  if (new Set(dims).size !== dims.length)
    throw new TypeError(`${name} in ${op} op must not repeat; got: ${tup(dims)}.`);
}

export function sortedInRange(
  dims: readonly number[],
  rank: number,
  op: string,
  name: string,
): void {
  if (dims.length === 0) return;
  const bad =
    dims[0]! < 0 ? dims[0] : dims[dims.length - 1]! >= rank ? dims[dims.length - 1] : undefined;
  if (bad !== undefined) {
    throw new TypeError(
      `Invalid ${name} set in ${op} op; valid range is [0, ${rank}); got: ${bad}.`,
    );
  }
}

export function inRange(dims: readonly number[], rank: number, op: string, name: string): void {
  for (const d of dims) {
    if (d < 0 || d >= rank)
      throw new TypeError(
        `Invalid ${name} set in ${op} op; valid range is [0, ${rank}); got: ${d}.`,
      );
  }
}

export function disjoint(
  a: readonly number[],
  b: readonly number[],
  op: string,
  na: string,
  nb: string,
): void {
  if (a.some((d) => b.includes(d))) {
    throw new TypeError(
      `${na} and ${nb} in ${op} op must be disjoint; got: ${tup(a)} and ${tup(b)}.`,
    );
  }
}
