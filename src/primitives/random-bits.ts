/**
 * `threefry2x32`: the Threefry-2x32 block cipher with 20 rounds (Salmon et al., SC'11), the
 * hash behind JAX's default PRNG. Four uint32 operands — the key halves k1, k2 and the count
 * halves x1, x2, broadcast together as lax operands — give two uint32 results.
 *
 * It lowers to one elementwise loop kernel that computes and stores both halves (the rounds
 * unrolled into uint32 add/xor/shl/shr_logical/or expressions); it has no derivative (zero
 * tangents, as JAX's `defjvp_zero`) and batches elementwise.
 */
import { ShapedArray } from "../core/aval.js";
import { uint32 } from "../core/dtype.js";
import { type Expr, binary, constant, idx } from "../kernel/expr.js";
import { bufferLazy } from "../kernel/lazy.js";
import type { Array } from "../trace/array.js";
import { type Primitive, Zero, notLinear } from "../trace/primitive.js";
import { type Value, bind } from "../trace/trace.js";
import { elementwiseBatch } from "./batch-rules.js";
import { definePrimitive } from "./define.js";
import { broadcastOperand } from "./lowering-helpers.js";
import { broadcastingShape } from "./shape-rules.js";

/** Rotation distances of Threefry-2x32, applied four per block, alternating sets. */
const ROTATIONS: readonly (readonly number[])[] = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
];
/** Skein's key-schedule parity constant for 32-bit words. */
const PARITY = 0x1bd11bda;

const u32 = (v: number): Expr => constant(v >>> 0, uint32);
const add = (a: Expr, b: Expr): Expr => binary("add", a, b);
const xor = (a: Expr, b: Expr): Expr => binary("xor", a, b);
const rotl = (x: Expr, r: number): Expr =>
  binary("or", binary("shl", x, u32(r)), binary("shr_logical", x, u32(32 - r)));

/** The two output words of Threefry-2x32-20 as kernel expressions. */
export function threefryExprs(k1: Expr, k2: Expr, x1: Expr, x2: Expr): [Expr, Expr] {
  const ks = [k1, k2, xor(xor(k1, k2), u32(PARITY))];
  let a = add(x1, ks[0]!);
  let b = add(x2, ks[1]!);
  for (let block = 0; block < 5; block++) {
    for (const r of ROTATIONS[block % 2]!) {
      a = add(a, b);
      b = xor(a, rotl(b, r));
    }
    // Key injection after every four rounds: words rotate through the schedule.
    a = add(a, ks[(block + 1) % 3]!);
    b = add(add(b, ks[(block + 2) % 3]!), u32(block + 1));
  }
  return [a, b];
}

/** The same cipher on JS numbers (host-side reference; used by tests and constant folding). */
export function threefryHost(k1: number, k2: number, x1: number, x2: number): [number, number] {
  const ks = [k1 >>> 0, k2 >>> 0, (k1 ^ k2 ^ PARITY) >>> 0];
  let a = (x1 + ks[0]!) >>> 0;
  let b = (x2 + ks[1]!) >>> 0;
  for (let block = 0; block < 5; block++) {
    for (const r of ROTATIONS[block % 2]!) {
      a = (a + b) >>> 0;
      b = (a ^ ((b << r) | (b >>> (32 - r)))) >>> 0;
    }
    a = (a + ks[(block + 1) % 3]!) >>> 0;
    b = (b + ks[(block + 2) % 3]! + block + 1) >>> 0;
  }
  return [a, b];
}

export const threefry2x32P: Primitive = definePrimitive({
  name: "threefry2x32",
  abstractEval(avals) {
    if (avals.length !== 4) {
      throw new TypeError(`threefry2x32 takes 4 operands (k1, k2, x1, x2), got ${avals.length}.`);
    }
    if (avals.some((a) => a.dtype !== uint32)) {
      throw new TypeError(
        `Arguments to threefry2x32 must have uint32 type, got ${avals.map((a) => a.str()).join(", ")}.`,
      );
    }
    const out = new ShapedArray(broadcastingShape("threefry2x32", avals), uint32, false);
    return [out, out];
  },
  lower(ctx, inputs, _params, [out]) {
    const shape = out!.shape;
    const coords = shape.map((d, k) => idx(k, d));
    const [k1, k2, x1, x2] = inputs.map((x) => broadcastOperand(ctx, x, shape).at(coords));
    const [a, b] = threefryExprs(k1!, k2!, x1!, x2!);
    const bufA = ctx.newBuffer(out!);
    const bufB = ctx.newBuffer(out!);
    ctx.emit({
      kind: "loop",
      shape,
      outputs: [
        { buffer: bufA, expr: a },
        { buffer: bufB, expr: b },
      ],
    });
    return [bufferLazy(bufA, out!), bufferLazy(bufB, out!)];
  },
  jvp(primals, _tangents, params) {
    const outs = bind(threefry2x32P, primals, params);
    return [outs, outs.map((o) => new Zero(o.aval))];
  },
  transpose: notLinear,
  batch: elementwiseBatch(() => threefry2x32P),
});

/** Apply Threefry-2x32-20 elementwise: `[y1, y2] = threefry2x32(k1, k2, x1, x2)`. */
export function threefry2x32(k1: Value, k2: Value, x1: Value, x2: Value): [Array, Array] {
  const [a, b] = bind(threefry2x32P, [k1, k2, x1, x2]);
  return [a!, b!];
}
