/** The gather that reads back what a scatter writes, for the scatters' JVP and transpose rules. */
import type { Array } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import { gatherP } from "./gather.js";
import {
  GatherDimensionNumbers,
  GatherScatterMode,
  type ScatterDimensionNumbers,
} from "./gather-scatter-params.js";
import type { ScatterParams } from "./scatter-params.js";

/** The gather that reads back what a scatter writes (JAX's gather_dnums and slice_sizes). */
export function inverseGather(
  dn: ScatterDimensionNumbers,
  operandShape: readonly number[],
  updatesShape: readonly number[],
) {
  const gdn = GatherDimensionNumbers.of({
    offset_dims: dn.update_window_dims,
    collapsed_slice_dims: dn.inserted_window_dims,
    start_index_map: dn.scatter_dims_to_operand_dims,
    operand_batching_dims: dn.operand_batching_dims,
    start_indices_batching_dims: dn.scatter_indices_batching_dims,
  });
  let pos = 0;
  const sliceSizes = operandShape.map((_, i) =>
    dn.inserted_window_dims.includes(i) || dn.operand_batching_dims.includes(i)
      ? 1
      : updatesShape[dn.update_window_dims[pos++]!]!,
  );
  return { gdn, sliceSizes };
}

export function gatherBack(
  x: Array,
  indices: Array,
  p: ScatterParams,
  updatesShape: readonly number[],
): Array {
  // As JAX's transpose rules: `gather(t, indices, mode=mode, fill_value=0)`, other options default.
  const { gdn, sliceSizes } = inverseGather(p.dimension_numbers, x.shape, updatesShape);
  return bind1(gatherP, [x, indices], {
    dimension_numbers: gdn,
    slice_sizes: sliceSizes,
    indices_are_sorted: false,
    unique_indices: false,
    mode: p.mode,
    fill_value: p.mode === GatherScatterMode.FILL_OR_DROP ? 0 : null,
  });
}
