/**
 * `jax.nn.dot_product_attention` with the semantics of JAX's XLA implementation: logits
 * `q·kᵀ · scale` (scale 1/√H by default) in at least float32, plus `bias`, masked (boolean
 * `mask`, `isCausal`, per-batch sequence lengths, a local window) to −0.7·finfo.max, a float32
 * softmax over the keys, then the weighted sum of values. Grouped-query attention: N query
 * heads share K key/value heads (N a multiple of K).
 */
import { type DType, float32 } from "../core/dtype.js";
import { promoteTypes } from "../core/promotion.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as jnp from "../numpy/index.js";
import { ValueError } from "../transforms/jit/static-args.js";
import { softmax } from "./softmax.js";

/** Options of `dot_product_attention` (JAX's keyword arguments). */
export interface DotProductAttentionOptions {
  bias?: ArrayLike | null;
  mask?: ArrayLike | null;
  scale?: number | null;
  isCausal?: boolean;
  querySeqLengths?: ArrayLike | null;
  keyValueSeqLengths?: ArrayLike | null;
  localWindowSize?: number | readonly [number, number] | null;
  implementation?: "xla" | "cudnn" | null;
}

const largeNegative = (d: DType): number =>
  -0.7 *
  (d.name === "float64" ? Number.MAX_VALUE : d.name === "float16" ? 65504 : 3.4028234663852886e38);

/** Scaled dot-product attention of `query` (B?, T, N, H) over `key`/`value` (B?, S, K, H). */
export function dotProductAttention(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  options: DotProductAttentionOptions = {},
): Array {
  let q = jnp.asarray(query);
  let k = jnp.asarray(key);
  let v = jnp.asarray(value);
  if (options.implementation === "cudnn")
    throw new ValueError(
      "dot_product_attention: implementation 'cudnn' needs a CUDA GPU; use 'xla' or null",
    );
  const unbatched = q.ndim === 3;
  if (unbatched) [q, k, v] = [q, k, v].map((a) => jnp.expandDims(a, 0)) as [Array, Array, Array];
  if (q.ndim !== 4 || k.ndim !== 4 || v.ndim !== 4)
    throw new ValueError(
      `query, key and value must be 3-d or 4-d, got ndims ${q.ndim}, ${k.ndim}, ${v.ndim}`,
    );
  const [B, T, N, H] = q.shape as [number, number, number, number];
  const [, S, K] = k.shape as [number, number, number, number];
  if (k.shape.join() !== v.shape.join())
    throw new ValueError("key and value must have the same shape");
  if (k.shape[0] !== B || k.shape[3] !== H)
    throw new ValueError(
      `key shape (${k.shape.join(", ")}) does not match query shape (${q.shape.join(", ")})`,
    );
  if (N % K !== 0)
    throw new ValueError(
      `The number of query heads must be a multiple of the number of key heads, got ${N} and ${K}`,
    );
  const G = N / K;
  const logitsDtype = promoteTypes(q.dtype, float32);
  const scale = options.scale ?? 1 / Math.sqrt(H);
  // (B, N, T, H) · (B, N, S, H)ᵀ with each key head shared by G query heads.
  const qh = jnp.astype(jnp.transpose(q, [0, 2, 1, 3]), logitsDtype);
  const kh = jnp.astype(jnp.repeat(jnp.transpose(k, [0, 2, 1, 3]), G, 1), logitsDtype);
  const vh = jnp.repeat(jnp.transpose(v, [0, 2, 1, 3]), G, 1);
  let logits = jnp.multiply(
    jnp.matmul(qh, jnp.swapaxes(kh, -1, -2)),
    jnp.asarray(scale, logitsDtype),
  );
  const shape4 = [B, N, T, S];
  const as4 = (x: ArrayLike, name: string): Array => {
    let a = jnp.asarray(x);
    if (unbatched && a.ndim === 3) a = jnp.expandDims(a, 0);
    try {
      return jnp.broadcastTo(a, shape4);
    } catch {
      throw new ValueError(
        `${name} shape (${a.shape.join(", ")}) does not broadcast to (B, N, T, S) = (${shape4.join(", ")})`,
      );
    }
  };
  if (options.bias !== undefined && options.bias !== null)
    logits = jnp.astype(jnp.add(logits, as4(options.bias, "bias")), logitsDtype);
  let keep: Array | null = null;
  const and = (m: Array): void => void (keep = keep === null ? m : jnp.logicalAnd(keep, m));
  if (options.mask !== undefined && options.mask !== null) {
    const m = jnp.asarray(options.mask);
    if (!m.dtype.isBool) throw new ValueError(`mask must be boolean, got ${m.dtype.name}`);
    and(as4(m, "mask"));
  }
  const rows = jnp.reshape(jnp.arange(T), [1, 1, T, 1]);
  const cols = jnp.reshape(jnp.arange(S), [1, 1, 1, S]);
  if (options.isCausal) and(jnp.broadcastTo(jnp.lessEqual(cols, rows), shape4));
  if (options.localWindowSize !== undefined && options.localWindowSize !== null) {
    const w = options.localWindowSize;
    const [left, right] = typeof w === "number" ? [w, w] : w;
    and(
      jnp.broadcastTo(
        jnp.logicalAnd(
          jnp.greaterEqual(cols, jnp.subtract(rows, left)),
          jnp.lessEqual(cols, jnp.add(rows, right)),
        ),
        shape4,
      ),
    );
  }
  if (options.querySeqLengths !== undefined && options.querySeqLengths !== null)
    and(
      jnp.broadcastTo(
        jnp.less(rows, jnp.reshape(jnp.asarray(options.querySeqLengths), [B, 1, 1, 1])),
        shape4,
      ),
    );
  if (options.keyValueSeqLengths !== undefined && options.keyValueSeqLengths !== null)
    and(
      jnp.broadcastTo(
        jnp.less(cols, jnp.reshape(jnp.asarray(options.keyValueSeqLengths), [B, 1, 1, 1])),
        shape4,
      ),
    );
  if (keep !== null) logits = jnp.where(keep, logits, largeNegative(logits.dtype));
  const probs = jnp.astype(softmax(jnp.astype(logits, float32), -1), k.dtype);
  const out = jnp.transpose(jnp.matmul(probs, vh), [0, 2, 1, 3]);
  return unbatched ? jnp.squeeze(out, 0) : out;
}
