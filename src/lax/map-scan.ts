/**
 * `lax.map(f, xs, { batchSize })` (a scan over the leading axis; with a batch size, a scan
 * over batches of `vmap(f)` plus a vmapped remainder, as JAX) and
 * `lax.associativeScan(fn, elems, { reverse, axis })` (JAX's parallel prefix: combine adjacent
 * pairs, recurse on the half-length result, fill in the even positions, interleave — O(log n)
 * depth of `fn` applications on strided slices).
 */
import { ValueError } from "../core/errors.js";
import { type TreeDef, treeFlatten, treeUnflatten } from "../core/pytree.js";
import { normalizeAxis } from "../core/shape.js";
import { Array } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import { concatenate } from "../primitives/shape/concatenate.js";
import { reshape } from "../primitives/shape/reshape.js";
import { revP } from "../primitives/shape/rev.js";
import { slice } from "../primitives/shape/slice-pad.js";
import { vmap } from "../transforms/vmap.js";
import { asarray } from "../numpy/coerce.js";
import { scan } from "./control-flow.js";

const isLeaf = (x: unknown) => x instanceof Array;
const toArray = (l: unknown): Array => (l instanceof Array ? l : asarray(l as number));

type Tree = unknown;

/** `jax.lax.map`: `f` applied to each slice of `xs` along its leading axis, stacked. */
export function map<X, Y>(f: (x: X) => Y, xs: X, opts: { batchSize?: number } = {}): Y {
  return mapImpl(f as (x: Tree) => Tree, xs, opts) as Y;
}

function mapImpl(f: (x: Tree) => Tree, xs: Tree, opts: { batchSize?: number }): Tree {
  if (typeof f !== "function") throw new TypeError("lax.map: f must be a function.");
  const bs = opts.batchSize;
  if (bs === undefined) return scan((_c: [], x: Tree): [[], Tree] => [[], f(x)], [], xs)[1];
  if (!Number.isInteger(bs) || bs < 1) {
    throw new ValueError(`lax.map: batch_size must be a positive integer, got ${String(bs)}.`);
  }
  const [leaves, tree] = treeFlatten<unknown>(xs, isLeaf);
  const arrs = leaves.map(toArray);
  const n = arrs[0]?.shape[0] ?? 0;
  const nb = Math.floor(n / bs);
  const rem = n - nb * bs;
  const vf = vmap(f as (...a: unknown[]) => unknown);
  const parts: Tree[] = [];
  if (nb > 0) {
    const batched = arrs.map((a) =>
      reshape(
        slice(
          a,
          a.shape.map(() => 0),
          [nb * bs, ...a.shape.slice(1)],
        ),
        [nb, bs, ...a.shape.slice(1)],
      ),
    );
    const ys = scan(
      (_c: [], x: Tree): [[], Tree] => [[], vf(x)],
      [],
      treeUnflatten(tree, batched),
    )[1];
    const [yl, yt] = treeFlatten<unknown>(ys, isLeaf);
    parts.push(
      treeUnflatten(
        yt,
        (yl as Array[]).map((y) => reshape(y, [nb * bs, ...y.shape.slice(2)])),
      ),
    );
  }
  if (rem > 0) {
    const tail = arrs.map((a) =>
      slice(a, [nb * bs, ...a.shape.slice(1).map(() => 0)], [n, ...a.shape.slice(1)]),
    );
    parts.push(vf(treeUnflatten(tree, tail)));
  }
  if (parts.length === 1) return parts[0];
  const [al, at] = treeFlatten<unknown>(parts[0], isLeaf);
  const [bl] = treeFlatten<unknown>(parts[1], isLeaf);
  return treeUnflatten(
    at,
    (al as Array[]).map((a, i) => concatenate([a, bl[i] as Array], 0)),
  );
}

/** Elements [start, stop) with `stride` along `axis` (stop may be negative: from the end). */
function sliceInDim(x: Array, start: number, stop: number | null, stride: number, axis: number) {
  const n = x.shape[axis]!;
  const end = stop === null ? n : stop < 0 ? n + stop : stop;
  const starts = x.shape.map((_, d) => (d === axis ? start : 0));
  const limits = x.shape.map((s, d) => (d === axis ? Math.max(start, end) : s));
  const strides = x.shape.map((_, d) => (d === axis ? stride : 1));
  return slice(x, starts, limits, strides);
}

/** a0 b0 a1 b1 …, with a one longer than b or as long. */
function interleave(a: Array, b: Array, axis: number): Array {
  const na = a.shape[axis]!;
  const nb = b.shape[axis]!;
  const head = na === nb ? a : sliceInDim(a, 0, nb, 1, axis);
  const pairShape = [...head.shape.slice(0, axis + 1), 1, ...head.shape.slice(axis + 1)];
  const pairs = concatenate([reshape(head, pairShape), reshape(b, pairShape)], axis + 1);
  const merged = reshape(pairs, [
    ...head.shape.slice(0, axis),
    2 * nb,
    ...head.shape.slice(axis + 1),
  ]);
  return na === nb ? merged : concatenate([merged, sliceInDim(a, nb, null, 1, axis)], axis);
}

/** `jax.lax.associative_scan(fn, elems, reverse=False, axis=0)`. */
export function associativeScan<T>(
  fn: (a: T, b: T) => T,
  elems: T,
  opts: { reverse?: boolean; axis?: number } = {},
): T {
  return associativeScanImpl(fn as (a: Tree, b: Tree) => Tree, elems, opts) as T;
}

function associativeScanImpl(
  fn: (a: Tree, b: Tree) => Tree,
  elems: Tree,
  opts: { reverse?: boolean; axis?: number },
): Tree {
  if (typeof fn !== "function") throw new TypeError("associative_scan: fn must be a function.");
  const [leaves, tree] = treeFlatten<unknown>(elems, isLeaf);
  let flat = leaves.map(toArray);
  if (flat.length === 0) throw new ValueError("associative_scan: elems must not be empty.");
  const axis = normalizeAxis(opts.axis ?? 0, flat[0]!.ndim);
  const sizes = flat.map((e) => e.shape[axis]);
  if (new Set(sizes).size !== 1) {
    throw new ValueError(
      `Array inputs to associative_scan must have the same first dimension. (saw: [${flat.map((e) => `(${e.shape.join(", ")})`).join(", ")}])`,
    );
  }
  const rev = (xs: Array[]) => xs.map((e) => bind1(revP, [e], { dimensions: [axis] }));
  if (opts.reverse) flat = rev(flat);
  const combine = (a: Array[], b: Array[]): Array[] => {
    const c = fn(treeUnflatten(tree, a), treeUnflatten(tree, b));
    const [cl, ct] = treeFlatten<unknown>(c, isLeaf);
    if (!(ct as TreeDef).equals(tree)) {
      throw new TypeError(
        `associative_scan: fn must return the structure of its inputs ${tree.toString()}, got ${ct.toString()}.`,
      );
    }
    return cl.map(toArray);
  };
  const go = (xs: Array[]): Array[] => {
    const n = xs[0]!.shape[axis]!;
    if (n < 2) return xs;
    const reduced = combine(
      xs.map((e) => sliceInDim(e, 0, -1, 2, axis)),
      xs.map((e) => sliceInDim(e, 1, null, 2, axis)),
    );
    const odd = go(reduced);
    const evenRest = xs.map((e) => sliceInDim(e, 2, null, 2, axis));
    const even =
      n % 2 === 0
        ? combine(
            odd.map((e) => sliceInDim(e, 0, -1, 1, axis)),
            evenRest,
          )
        : combine(odd, evenRest);
    const evenFull = even.map((r, i) => concatenate([sliceInDim(xs[i]!, 0, 1, 1, axis), r], axis));
    return evenFull.map((e, i) => interleave(e, odd[i]!, axis));
  };
  let out = go(flat);
  if (opts.reverse) out = rev(out);
  return treeUnflatten(tree, out);
}
