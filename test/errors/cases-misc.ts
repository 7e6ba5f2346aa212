/**
 * Bad-input catalogue: lax (dtype rules, slicing, convert, pad), random (non-keys, shapes,
 * dtypes, options), nn, tree (mismatched structures), config, disposed arrays, and hostile
 * strings and keys (prototype pollution, code in names and dtype strings).
 */
import {
  type Array,
  config,
  jit,
  lax,
  nn,
  numpy as jnp,
  random,
  tree,
  vmap,
  AxisError,
  DeviceError,
  ValueError,
} from "../../src/index.js";
import { type BadInput, bad, fx, untyped as u } from "./case.js";

const { v3, m23, i3, s } = fx;
const key = random.key(0);
const disposed = (): Array => {
  const x = jnp.array([1, 2, 3]);
  x.dispose();
  return x;
};

export const miscCases: BadInput[] = [
  // ---- lax
  bad(
    "lax.add: mixed dtypes",
    () => lax.add(v3, i3),
    TypeError,
    /add requires arguments to have the same dtypes, got float32, int32/,
  ),
  bad(
    "lax.add: string",
    () => lax.add(v3, u("1")),
    TypeError,
    /Value '1' of type string is not a valid JAX type/,
  ),
  bad("lax.add: JS list", () => lax.add(v3, u([1, 2, 3])), TypeError, /JS list|asarray/),
  bad(
    "lax.mul: shapes differ",
    () => lax.mul(v3, jnp.ones([2])),
    TypeError,
    /mul got incompatible shapes for broadcasting: \(3,\), \(2,\)/,
  ),
  bad("lax.sin: int operand", () => lax.sin(i3), TypeError, /sin does not accept dtype int32/),
  bad("lax.bitwise_and: floats", () => lax.and(v3, v3), TypeError, /does not accept dtype float32/),
  bad(
    "lax.dynamicSlice: wrong index count",
    () => lax.dynamicSlice(m23, [0], [1, 1]),
    TypeError,
    /start_indices must have length equal to the number of dimensions/,
  ),
  bad(
    "lax.dynamicSlice: size too big",
    () => lax.dynamicSlice(v3, [0], [4]),
    TypeError,
    /slice_sizes|4|3/,
  ),
  bad(
    "lax.dynamicSlice: negative size",
    () => lax.dynamicSlice(v3, [0], [-1]),
    TypeError,
    /slice_sizes must be a sequence of non-negative integers/,
  ),
  bad(
    "lax.dynamicSlice: float index",
    () => lax.dynamicSlice(v3, [jnp.array(0.5)], [1]),
    TypeError,
    /integers/,
  ),
  bad(
    "lax.dynamicSlice: python-spelled option",
    () => lax.dynamicSlice(v3, [0], [1], u({ allow_negative_indices: true })),
    TypeError,
    /allow_negative_indices.*allowNegativeIndices/,
  ),
  bad(
    "lax.dynamicUpdateSlice: update too big",
    () => lax.dynamicUpdateSlice(v3, jnp.ones([4]), [0]),
    TypeError,
    /update shape must be smaller than operand shape/,
  ),
  bad(
    "lax.dynamicUpdateSlice: dtype differs",
    () => lax.dynamicUpdateSlice(v3, jnp.ones([1], "int32"), [0]),
    TypeError,
    /dtype|int32|float32/,
  ),
  bad("lax.slice: start after limit", () => lax.slice(v3, [2], [1]), TypeError, /limit|start|2|1/),
  bad("lax.slice: limit beyond shape", () => lax.slice(v3, [0], [5]), TypeError, /limit|5|3/),
  bad("lax.slice: zero stride", () => lax.slice(v3, [0], [3], [0]), TypeError, /stride|0/),
  bad(
    "lax.reshape: wrong size",
    () => lax.reshape(v3, [2]),
    TypeError,
    /reshape|size|\(3,\)|\(2,\)/,
  ),
  bad("lax.transpose: bad permutation", () => lax.transpose(m23, [1, 1]), TypeError, /permutation/),
  bad(
    "lax.convertElementType: unknown dtype",
    () => lax.convertElementType(v3, u("float31")),
    TypeError,
    /float31/,
  ),
  bad(
    "lax.pad: wrong config length",
    () =>
      lax.pad(v3, 0, [
        [1, 1, 0],
        [0, 0, 0],
      ]),
    TypeError,
    /padding_config|pad|rank|2|1/,
  ),
  bad(
    "lax.pad: negative interior",
    () => lax.pad(v3, jnp.array(0, "float32"), [[0, 0, -1]]),
    TypeError,
    /interior|-1|negative/,
  ),
  bad(
    "lax.broadcastInDim: bad dims",
    () => lax.broadcastInDim(v3, [3, 2], [1]),
    TypeError,
    /broadcast_in_dim|dimension|3|2/,
  ),
  bad(
    "lax.concatenate: dimension out of range",
    () => lax.concatenate([v3, v3], 1),
    TypeError,
    /concatenate dimension out of bounds/,
  ),
  bad(
    "lax.reduceWindow: unknown option",
    () => lax.reduceWindow(v3, 0, lax.add, [2], [1], "VALID", u({ base_dilation: [1] })),
    TypeError,
    /base_dilation|baseDilation/,
  ),
  bad("lax.select: pred not bool", () => lax.select(v3, v3, v3), TypeError, /bool|pred/),
  // ---- random
  bad("random.normal: number key", () => random.normal(u(5)), TypeError, /key/i),
  bad(
    "random.normal: float array key",
    () => random.normal(u(jnp.ones([2]))),
    TypeError,
    /key|uint32|float32/i,
  ),
  bad(
    "random.normal: negative shape",
    () => random.normal(key, [-1]),
    TypeError,
    /-1|non-negative/,
  ),
  bad(
    "random.normal: int dtype",
    () => random.normal(key, [2], u("int32")),
    ValueError,
    /float|int32/,
  ),
  bad(
    "random.uniform: int dtype",
    () => random.uniform(key, [2], u("int32")),
    ValueError,
    /float|int32/,
  ),
  bad(
    "random.randint: float dtype",
    () => random.randint(key, [2], 0, 5, u("float32")),
    TypeError,
    /randint only accepts integer dtypes, got float32/,
  ),
  bad(
    "random.split: negative num",
    () => random.split(key, -1),
    TypeError,
    /num must be a non-negative integer/,
  ),
  bad(
    "random.bernoulli: string p",
    () => random.bernoulli(key, u("0.5")),
    TypeError,
    /0\.5|string/,
  ),
  bad("random.normal: shape not a list", () => random.normal(key, u("3")), TypeError, /shape/),
  bad(
    "random: typed key with raw-key function data",
    () => random.keyData(u(v3)),
    TypeError,
    /key/i,
  ),
  bad("random.split: a float scalar as key", () => random.split(u(s)), TypeError, /key/i),
  // ---- nn
  bad("nn.softmax: axis out of range", () => nn.softmax(v3, 2), AxisError, /axis 2/),
  bad("nn.relu: string", () => nn.relu(u("x")), TypeError, /x|string/),
  bad(
    "nn.oneHot: float classes",
    () => nn.oneHot(i3, 2.5),
    TypeError,
    /2\.5|num_classes|numClasses|integer/,
  ),
  bad(
    "nn.logSoftmax: unknown option",
    () => nn.logSoftmax(v3, u({ axes: 0 })),
    TypeError,
    /axes.*axis/,
  ),
  bad(
    "nn.gelu: string approximate",
    () => nn.gelu(v3, u("yes")),
    TypeError,
    /approximate|yes|bool/,
  ),
  bad(
    "nn.initializers.glorotNormal: axis out of range",
    () => nn.initializers.glorotNormal(5, 6)(key, [2, 3]),
    AxisError,
    /axis|5|6/,
  ),
  // ---- tree
  bad(
    "tree.map: structures differ",
    () => tree.map((a: Array, b: Array) => a.add(b), { a: v3 }, { b: v3 }),
    ValueError,
    /structure|tree|a|b/i,
  ),
  bad(
    "tree.map: list lengths differ",
    () => tree.map((a: Array, b: Array) => a.add(b), [v3, v3], [v3]),
    ValueError,
    /structure|length|2|1/i,
  ),
  bad(
    "tree.map: not a function",
    () => (tree.map as (...a: unknown[]) => unknown)(3, [v3]),
    TypeError,
    /tree.map expects a function, got number/,
  ),
  bad(
    "tree.unflatten: wrong leaf count",
    () => tree.unflatten(tree.structure([v3, v3]), [v3]),
    TypeError,
    /expects 2 leaves, got 1/,
  ),
  // ---- config
  bad(
    "config: wrong type",
    () => config.update("enableX64", u("yes")),
    TypeError,
    /enableX64|boolean|yes/,
  ),
  bad(
    "config: unknown option",
    () => config.update(u("enable_x65"), true),
    Error,
    /Unrecognized config option: enable_x65/,
  ),
  bad("config: threads negative", () => config.update("threads", -1), ValueError, /threads|-1/),
  bad("config: unknown device", () => config.update("defaultDevice", "tpu"), ValueError, /tpu/),
  // ---- disposed arrays
  bad(
    "disposed: add",
    () => jnp.add(disposed(), 1),
    DeviceError,
    /was disposed and its memory freed/,
  ),
  // ---- hostile strings and keys
  bad(
    "dtype string with code",
    () => jnp.zeros([1], u('float32"); globalThis.pwned = 1; ("')),
    TypeError,
    /not a valid dtype|dtype|float32/,
  ),
  bad(
    "astype string with code",
    () => v3.astype(u("int32`;globalThis.pwned=1;`")),
    TypeError,
    /int32|dtype/,
  ),
  bad(
    "options __proto__ key",
    () => jnp.sum(m23, u(JSON.parse('{"__proto__": {"axis": 5}, "axis": 0, "x": 1}'))),
    TypeError,
    /unexpected keyword argument '(__proto__|x)'/,
  ),
  bad(
    "options constructor key",
    () => jnp.sum(m23, u({ constructor: 1 })),
    TypeError,
    /constructor/,
  ),
  bad(
    "vmap options __proto__",
    () => vmap((x: Array) => x, u(JSON.parse('{"__proto__": {"inAxes": 9}, "bad": 1}')))(v3),
    TypeError,
    /bad|__proto__/,
  ),
  bad(
    "jit name with code, bad argument",
    () => {
      const f = (x: Array) => x;
      Object.defineProperty(f, "name", { value: "*/globalThis.pwned=1;/*" });
      return jit(f)(u("not an array"));
    },
    TypeError,
    /not an array|string/,
  ),
  bad(
    "einsum subscripts with a quote",
    () => jnp.einsum("i'->i", v3),
    ValueError,
    /subscript|'|character/,
  ),
  bad(
    "get: __proto__ as index",
    () => v3.get(u("__proto__")),
    ValueError,
    /invalid slice string '__proto__'|__proto__/,
  ),
  // (restored entries)
  bad("random.split: fractional num", () => random.split(key, 1.5), TypeError, /1\.5|integer/),
  bad("random.key: NaN seed", () => random.key(NaN), TypeError, /NaN|seed|integer/),
  bad("random.key: string seed", () => random.key(u("7")), TypeError, /seed|string|'7'/),
  bad("random.key: fractional seed", () => random.key(1.5), TypeError, /1\.5|seed|integer/),
  bad(
    "random.categorical: axis out of range",
    () => random.categorical(key, m23, 5),
    AxisError,
    /axis 5/,
  ),
  bad("disposed: tolist", () => disposed().tolist(), DeviceError, /was disposed/),
  bad(
    "disposed: jit argument",
    () => jit((x: Array) => x.mul(2))(disposed()),
    DeviceError,
    /was disposed/,
  ),
];
