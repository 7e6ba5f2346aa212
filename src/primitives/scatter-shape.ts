/** The shape rule of the scatters (JAX's `_scatter_shape_rule`, with XLA's checks and wording). */
import type { ShapedArray } from "../core/aval.js";
import { shapeStr } from "../core/shape.js";
import {
  disjoint,
  inRange,
  isSorted,
  noDuplicates,
  sortedInRange,
} from "./gather-scatter-params.js";
import type { ScatterParams } from "./scatter-params.js";

const tup = shapeStr;

/** JAX's `_scatter_shape_rule`. */
export function checkScatter(
  operand: ShapedArray,
  indices: ShapedArray,
  updates: ShapedArray,
  p: ScatterParams,
): void {
  const dn = p.dimension_numbers;
  const uwd = dn.update_window_dims;
  const iwd = dn.inserted_window_dims;
  const obd = dn.operand_batching_dims;
  const sibd = dn.scatter_indices_batching_dims;
  const sdod = dn.scatter_dims_to_operand_dims;
  const ivd = indices.ndim - 1;
  if (ivd < 0) {
    throw new TypeError(
      `Scatter index leaf dimension must be within [0, rank(indices) + 1). rank(indices) is ` +
        `${indices.ndim} and scatter index leaf dimension is ${ivd}.`,
    );
  }
  const expectedRank = indices.ndim - 1 + uwd.length;
  if (updates.ndim !== expectedRank)
    throw new TypeError(`Updates tensor must be of rank ${expectedRank}; got ${updates.ndim}.`);
  isSorted(uwd, "scatter", "update_window_dims");
  noDuplicates(uwd, "scatter", "update_window_dims");
  sortedInRange(uwd, updates.ndim, "scatter", "update_window_dims");
  isSorted(iwd, "scatter", "inserted_window_dims");
  noDuplicates(iwd, "scatter", "inserted_window_dims");
  sortedInRange(iwd, operand.ndim, "scatter", "inserted_window_dims");
  isSorted(obd, "scatter", "operand_batching_dims");
  noDuplicates(obd, "scatter", "operand_batching_dims");
  sortedInRange(obd, operand.ndim, "scatter", "operand_batching_dims");
  disjoint(iwd, obd, "scatter", "inserted_window_dims", "operand_batching_dims");
  disjoint(sdod, obd, "scatter", "scatter_dims_to_operand_dims", "operand_batching_dims");
  noDuplicates(sibd, "scatter", "scatter_indices_batching_dims");
  inRange(sibd, indices.ndim, "scatter", "scatter_indices_batching_dims");
  if (sibd.includes(ivd)) {
    throw new TypeError(
      `Scatter op cannot have the index vector dimension as a batching dimension; got ${tup(sibd)}.`,
    );
  }
  if (obd.length !== sibd.length) {
    throw new TypeError(
      `Scatter op requires equal numbers of operand_batching_dims and scatter_indices_batching_dims, got ${tup(obd)} and ${tup(sibd)}.`,
    );
  }
  const ob = obd.map((d) => operand.shape[d]!);
  const ib = sibd.map((d) => indices.shape[d]!);
  if (ob.some((d, i) => d !== ib[i])) {
    throw new TypeError(
      `Scatter op requires operand batching dimensions and indices batching dimensions to have the same shape, got ${tup(ob)} and ${tup(ib)}.`,
    );
  }
  const window = uwd.length + iwd.length + obd.length;
  if (operand.ndim !== window) {
    throw new TypeError(
      `Scatter op has window of size ${window}; doesn't match operand of rank ${operand.ndim}.`,
    );
  }
  if (sdod.length !== indices.shape[ivd]) {
    throw new TypeError(
      `Scatter op has ${sdod.length} elements in scatter_dims_to_operand_dims and the bound of dimension ` +
        `index_vector_dim=${ivd} of indices is ${indices.shape[ivd]}. These two numbers must be equal`,
    );
  }
  sdod.forEach((d, i) => {
    if (d < 0 || d >= operand.ndim) {
      throw new TypeError(
        `Invalid scatter_dims_to_operand_dims mapping; domain is [0, ${operand.ndim}), got: ${i}->${d}.`,
      );
    }
  });
  noDuplicates(sdod, "scatter", "scatter_dims_to_operand_dims");
  const maxSizes = operand.shape.filter((_, i) => !iwd.includes(i) && !obd.includes(i));
  uwd.forEach((d, i) => {
    if (maxSizes[i]! < updates.shape[d]!) {
      throw new TypeError(
        `Bounds of the window dimensions of updates must not exceed the bounds of the corresponding ` +
          `dimensions of operand. For dimension ${d}, updates bound is ${updates.shape[d]}, operand bound is ${maxSizes[i]}.`,
      );
    }
  });
  let seen = 0;
  for (let i = 0; i < updates.ndim; i++) {
    if (uwd.includes(i)) continue;
    if (updates.shape[i] !== indices.shape[seen]) {
      throw new TypeError(
        `Bounds of the scatter dimensions of updates must be the same as the bounds of the ` +
          `corresponding dimensions of scatter indices. For scatter dimension ${i}, updates bound ` +
          `is ${updates.shape[i]}, indices bound is ${indices.shape[seen]}.`,
      );
    }
    seen++;
  }
}
