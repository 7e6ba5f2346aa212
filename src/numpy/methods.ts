/** Install the Array methods (`x.add(y)`, `x.sum()`, `x.get(...)`, …) on every array and tracer. */
import { installArrayMethods } from "../trace/array.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as u from "./ufuncs.js";
import * as r from "./reductions.js";
import * as s from "./shape.js";
import { matmul } from "./products.js";
import { asarray } from "./coerce.js";
import { atUpdater, getItem } from "./indexing.js";

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
  sum: (x, o) => r.sum(x, o),
  mean: (x, o) => r.mean(x, o),
  max: (x, o) => r.max(x, o),
  min: (x, o) => r.min(x, o),
  prod: (x, o) => r.prod(x, o),
  any: (x, o) => r.any(x, o),
  all: (x, o) => r.all(x, o),
  argmax: (x, o) => r.argmax(x, o),
  argmin: (x, o) => r.argmin(x, o),
  reshape: s.reshape,
  transpose: (x, axes) => s.transpose(x, axes),
  astype: (x, d) => asarray(x, d),
  squeeze: (x, axis) => s.squeeze(x, axis),
  flatten: s.ravel,
  get: getItem,
  at: atUpdater,
});
