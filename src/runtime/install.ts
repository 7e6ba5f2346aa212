/** Wire the runtime into the layers above it: eager execution and constant creation. */
import { ShapedArray } from "../core/aval.js";
import { setConstantFactory } from "../trace/constants.js";
import { scalarArray } from "./array.js";

setConstantFactory((value, dtype, weakType) => {
  const v = dtype.isBool ? Boolean(value) : dtype.isBig ? BigInt(value) : Number(value);
  return scalarArray(v, new ShapedArray([], dtype, weakType));
});
