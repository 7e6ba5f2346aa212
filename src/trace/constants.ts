/**
 * Typed scalar constants for rules and wrappers (JAX's `_const`): concrete 0-d arrays that
 * become jaxpr literals when staged. The runtime installs the factory.
 */
import type { DType } from "../core/dtype.js";
import type { Array } from "./array.js";

type Factory = (value: number | boolean | bigint, dtype: DType, weakType: boolean) => Array;
let factory: Factory | undefined;

export function setConstantFactory(f: Factory): void {
  factory = f;
}

export function scalarConstant(
  value: number | boolean | bigint,
  dtype: DType,
  weakType = false,
): Array {
  if (!factory) throw new Error("jaxts: no runtime installed");
  return factory(value, dtype, weakType);
}
