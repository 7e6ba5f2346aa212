/** Install the Array methods (`x.add(y)`, `x.sum()`, `x.get(...)`, …) on every array and tracer. */
import { installArrayMethods } from "../trace/array.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as u from "./ufuncs.js";
import * as r from "./reductions.js";
import * as c from "./cumulative.js";
import * as s from "./shape.js";
import { matmul } from "./products.js";
import { asarray } from "./coerce.js";
import { atUpdater, getItem } from "./advanced-indexing.js";

installArrayMethods({
  add: u.add,
  sub: u.subtract,
  mul: u.multiply,
  div: u.divide,
  floorDiv: u.floorDivide,
  mod: u.remainder,
  pow: u.power,
  neg: u.negative,
  abs: u.abs,
  gt: u.greater,
  ge: u.greaterEqual,
  lt: u.less,
  le: u.lessEqual,
  eq: u.equal,
  ne: u.notEqual,
  and: (x: Array, y: ArrayLike) => (x.dtype.isBool ? u.logicalAnd(x, y) : u.bitwiseAnd(x, y)),
  or: (x: Array, y: ArrayLike) => (x.dtype.isBool ? u.logicalOr(x, y) : u.bitwiseOr(x, y)),
  xor: (x: Array, y: ArrayLike) => (x.dtype.isBool ? u.logicalXor(x, y) : u.bitwiseXor(x, y)),
  not: (x: Array) => u.bitwiseNot(x),
  matmul,
  sum: (x, axis, o) => r.sum(x, axis, o),
  mean: (x, axis, o) => r.mean(x, axis, o),
  var: (x, axis, o) => r.variance(x, axis, o),
  std: (x, axis, o) => r.std(x, axis, o),
  max: (x, axis, o) => r.max(x, axis, o),
  min: (x, axis, o) => r.min(x, axis, o),
  prod: (x, axis, o) => r.prod(x, axis, o),
  any: (x, axis, o) => r.any(x, axis, o),
  all: (x, axis, o) => r.all(x, axis, o),
  argmax: (x, axis, o) => r.argmax(x, axis, o),
  argmin: (x, axis, o) => r.argmin(x, axis, o),
  cumsum: (x, axis) => c.cumsum(x, axis),
  cumprod: (x, axis) => c.cumprod(x, axis),
  reshape: s.reshape,
  transpose: (x, axes) => s.transpose(x, axes),
  astype: (x, d) => asarray(x, d),
  squeeze: (x, axis) => s.squeeze(x, axis),
  flatten: s.ravel,
  get: getItem,
  at: atUpdater,
});
