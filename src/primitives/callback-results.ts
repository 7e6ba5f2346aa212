/**
 * `pure_callback` and `io_callback`: host callbacks with outputs of declared shapes
 * (`result_avals`). pure_callback has no effect, so DCE removes it when its outputs are unused
 * (ir/effects.ts); io_callback has the IO effect (OrderedIO with `ordered`) and is always kept.
 * Neither is differentiable (JAX's ValueErrors). Batching: pure_callback follows `vmap_method`
 * ("sequential": a scan over the examples, as JAX's lax.map; "expand_dims": one call with the
 * unbatched operands given a size-1 batch axis; "broadcast_all": one call with every operand
 * broadcast to the batch size; none: NotImplementedError); io_callback is sequential, and an
 * ordered one cannot be vmapped.
 */
import type { ShapedArray } from "../core/aval.js";
import { NotImplementedError, ValueError } from "../core/errors.js";
import type { Params } from "../ir/jaxpr.js";
import type { Array } from "../trace/array.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import type { BatchRule, Primitive } from "../trace/primitive.js";
import { bind } from "../trace/trace.js";
import { type HostCallback, runsOnHost } from "./callback.js";
import { definePrimitive } from "./define.js";
import { scanP } from "./scan.js";
import { broadcastInDim } from "./shape/broadcast.js";
import { reshape } from "./shape/reshape.js";
import { moveAxis } from "./shape/transpose.js";

export type VmapMethod = "sequential" | "expand_dims" | "broadcast_all" | null;

export interface PureCallbackParams extends Params {
  readonly callback: HostCallback;
  readonly result_avals: readonly ShapedArray[];
  readonly sharding: null;
  readonly vmap_method: VmapMethod;
}

export interface IoCallbackParams extends Params {
  readonly callback: HostCallback;
  readonly ordered: boolean;
  readonly result_avals: readonly ShapedArray[];
  readonly sharding: null;
}

/** Batched operands moved to axis 0 (or, with `fill`, unbatched ones broadcast or expanded). */
function toFront(
  args: readonly Array[],
  dims: readonly (number | null)[],
  n: number,
  fill: "none" | "expand" | "broadcast",
): Array[] {
  return args.map((a, k) => {
    const d = dims[k];
    if (d !== null && d !== undefined) return d === 0 ? a : moveAxis(a, d, 0);
    if (fill === "none") return a;
    const shape = [fill === "expand" ? 1 : n, ...a.shape];
    return fill === "expand"
      ? reshape(a, shape)
      : broadcastInDim(
          a,
          shape,
          a.shape.map((_, i) => i + 1),
        );
  });
}

/** The primitive once per example, as a scan over the batched operands (JAX's lax.map). */
function sequential<P extends Params>(prim: Primitive<P>, resultAvals: readonly ShapedArray[]) {
  const rule: BatchRule<P> = (args, dims, params, n) => {
    const front = toFront(args, dims, n, "none");
    const batched = dims.map((d) => d !== null);
    const consts = front.filter((_, k) => !batched[k]);
    const xs = front.filter((_, k) => batched[k]);
    const body = traceToJaxpr(
      (vals) => {
        const c = vals.slice(0, consts.length);
        const x = vals.slice(consts.length);
        let ci = 0;
        let xi = 0;
        return bind(
          prim,
          batched.map((b) => (b ? x[xi++]! : c[ci++]!)),
          params,
        );
      },
      [...consts.map((c) => c.aval), ...xs.map((x) => x.aval.update({ shape: x.shape.slice(1) }))],
    );
    if (body.consts.length) throw new Error("callback batching: unexpected consts");
    const outs = bind(scanP, [...consts, ...xs], {
      _split_transpose: false,
      jaxpr: body,
      length: n,
      linear: front.map(() => false),
      num_carry: 0,
      num_consts: consts.length,
      reverse: false,
      unroll: 1,
    });
    return [outs, resultAvals.map(() => 0)];
  };
  return rule;
}

export const pureCallbackP: Primitive<PureCallbackParams> = definePrimitive<PureCallbackParams>({
  name: "pure_callback",
  abstractEval: (_avals, { result_avals }) => [...result_avals],
  lower: runsOnHost,
  jvp() {
    throw new ValueError(
      "Pure callbacks do not support JVP. Please use `jax.custom_jvp` to use callbacks while taking gradients.",
    );
  },
  transpose() {
    throw new ValueError(
      "Pure callbacks do not support transpose. Please use `jax.custom_vjp` to use callbacks while taking gradients.",
    );
  },
  batch(args, dims, params, n) {
    const method = params.vmap_method;
    if (method === "sequential")
      return sequential(pureCallbackP, params.result_avals)(args, dims, params, n);
    if (method === "expand_dims" || method === "broadcast_all") {
      const front = toFront(args, dims, n, method === "expand_dims" ? "expand" : "broadcast");
      const avals = params.result_avals.map((a) => a.update({ shape: [n, ...a.shape] }));
      const outs = bind(pureCallbackP, front, { ...params, result_avals: avals });
      return [outs, outs.map(() => 0)];
    }
    throw new NotImplementedError(
      "vmap is only supported for pure_callback when vmap_method is specified: pass " +
        'vmapMethod: "sequential", "expand_dims" or "broadcast_all" to pureCallback.',
    );
  },
});

export const ioCallbackP: Primitive<IoCallbackParams> = definePrimitive<IoCallbackParams>({
  name: "io_callback",
  abstractEval: (_avals, { result_avals }) => [...result_avals],
  lower: runsOnHost,
  jvp() {
    throw new ValueError("IO callbacks do not support JVP.");
  },
  transpose() {
    throw new ValueError("IO callbacks do not support transpose.");
  },
  batch(args, dims, params, n) {
    if (params.ordered) throw new ValueError("Cannot `vmap` ordered IO callback.");
    return sequential(ioCallbackP, params.result_avals)(args, dims, params, n);
  },
});
