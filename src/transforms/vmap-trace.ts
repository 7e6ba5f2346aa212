/**
 * Batching (vmap) as a trace: a `BatchTracer` is a value with one extra axis (`batchDim`, or
 * null when the value is the same for every example); each primitive's `batch` rule maps
 * batched inputs to batched outputs.
 */
import { transformNameStack } from "../core/name-stack.js";
import { ShapedArray } from "../core/aval.js";
import { NotImplementedError } from "../core/errors.js";
import type { ClosedJaxpr, Params } from "../ir/jaxpr.js";
import type { Array } from "../trace/array.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import type { Primitive } from "../trace/primitive.js";
import {
  type MainTrace,
  Trace,
  Tracer,
  type Value,
  bind,
  fullLower,
  fullRaise,
  withMainTrace,
} from "../trace/trace.js";
import { broadcastInDim } from "../primitives/shape/index.js";
import { moveAxis } from "../primitives/batch-rules.js";
import { batchRuleOf } from "../primitives/define.js";
import { collectiveBatchRuleOf, paramsUseAxis } from "../primitives/collectives/index.js";
import { withAxisFrame } from "../trace/axis-env.js";
import { DerivedCache, asArray, constsAreConcrete, evalClosed, hoistConsts } from "./eval-jaxpr.js";

export type BatchDim = number | null;

export interface BatchPayload {
  readonly axisSize: number;
  /** The `axisName` of the vmap (collectives over it are batched by this trace). */
  readonly axisName?: string | undefined;
}

/**
 * The axis name of the batch trace whose primitive rule is running: batching rules that batch
 * a nested jaxpr (pjit, cond, while, scan) keep it for the jaxpr's own batch trace
 * (JAX passes `axis_data` to `batch_jaxpr`).
 */
let ruleAxisName: string | undefined;

export class BatchTracer extends Tracer {
  private _aval?: ShapedArray;
  constructor(
    readonly _trace: BatchTrace,
    readonly val: Array,
    readonly batchDim: BatchDim,
  ) {
    super();
  }
  get aval(): ShapedArray {
    if (!this._aval) {
      const a = this.val.aval;
      this._aval =
        this.batchDim === null
          ? a
          : new ShapedArray(
              a.shape.filter((_, i) => i !== this.batchDim),
              a.dtype,
              a.weakType,
            );
    }
    return this._aval;
  }
  override fullLower(): Value {
    return this.batchDim === null ? fullLower(this.val) : this;
  }
}

export class BatchTrace extends Trace {
  override get name(): string {
    return "BatchTrace";
  }
  get axisSize(): number {
    return (this.main.payload as BatchPayload).axisSize;
  }
  pure(x: Value): Tracer {
    return new BatchTracer(this, asArray(x), null);
  }
  lift(t: Tracer): Tracer {
    return new BatchTracer(this, t, null);
  }
  get axisName(): string | undefined {
    return (this.main.payload as BatchPayload).axisName;
  }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Value[] {
    const ts = tracers as BatchTracer[];
    const vals = ts.map((t) => t.val);
    const dims = ts.map((t) => t.batchDim);
    const collective = collectiveBatchRuleOf(prim);
    if (collective) {
      const axis = { name: this.axisName, size: this.axisSize };
      const [out, outDim] = collective(axis, vals, dims, params);
      return [new BatchTracer(this, asArray(out), outDim)];
    }
    const name = this.axisName;
    const unbatched = dims.every((d) => d === null);
    if (unbatched && (name === undefined || !paramsUseAxis(params, name))) {
      return bind(prim, vals, params);
    }
    const rule = batchRuleOf(prim);
    if (!rule) throw new NotImplementedError(`Batching rule for '${prim.name}' not implemented`);
    const prevName = ruleAxisName;
    ruleAxisName = this.axisName;
    try {
      const [outs, outDims] = rule(vals, dims, params, this.axisSize);
      return outs.map((o, i) => new BatchTracer(this, asArray(o), outDims[i] ?? null));
    } finally {
      ruleAxisName = prevName;
    }
  }
}

/** `x` (batched at `src`, or unbatched) with its batch axis at `dst` (broadcast if unbatched). */
export function matchAxis(x: Array, src: BatchDim, dst: number, axisSize: number): Array {
  if (src === null) {
    const shape = [...x.shape];
    shape.splice(dst, 0, axisSize);
    return broadcastInDim(
      x,
      shape,
      x.shape.map((_, i) => (i < dst ? i : i + 1)),
    );
  }
  return moveAxis(x, src, dst);
}

/**
 * Run `fn` (flat lists) batched: `args[i]` has its batch axis at `inDims[i]` (null: unbatched).
 * Returns outputs with their batch dims (null where an output does not depend on the batch).
 */
export function batchFlat(
  fn: (xs: Value[]) => readonly Value[],
  args: readonly Value[],
  inDims: readonly BatchDim[],
  axisSize: number,
  axisName?: string,
): { outs: Array[]; outDims: BatchDim[] } {
  const payload: BatchPayload = { axisSize, axisName };
  return withMainTrace(BatchTrace, payload, (main: MainTrace) => {
    const trace = main.makeTrace() as BatchTrace;
    const ins = args.map((a, i) =>
      inDims[i] === null ? a : new BatchTracer(trace, asArray(a), inDims[i]!),
    );
    const run = () => transformNameStack("vmap", () => fn(ins));
    const raw =
      axisName === undefined ? run() : withAxisFrame({ name: axisName, size: axisSize, main }, run);
    const outs = raw.map((o) => fullRaise(trace, o) as BatchTracer);
    return { outs: outs.map((t) => t.val), outDims: outs.map((t) => t.batchDim) };
  });
}

/** Batched avals: `axisSize` inserted at each input's batch dim. */
export function batchedAval(a: ShapedArray, d: BatchDim, axisSize: number): ShapedArray {
  if (d === null) return a;
  const shape = [...a.shape];
  shape.splice(d, 0, axisSize);
  return a.update({ shape });
}

export interface BatchedJaxpr {
  /** Const-free; inputs: [...consts, ...batched inputs]. */
  jaxpr: ClosedJaxpr;
  consts: Value[];
  outDims: BatchDim[];
}

const batchCache = new DerivedCache<BatchedJaxpr>();

/**
 * A closed jaxpr batched over inputs with batch dims `inDims` (JAX's `batch_jaxpr`). Batched
 * outputs come out at axis 0; `forceBatched` also broadcasts the unbatched ones.
 */
export function batchJaxpr(
  closed: ClosedJaxpr,
  axisSize: number,
  inDims: readonly BatchDim[],
  forceBatched: boolean | readonly boolean[],
): BatchedJaxpr {
  const axisName = ruleAxisName;
  const key = `${axisName === undefined ? "" : JSON.stringify(axisName)}|${axisSize}|${inDims.map((d) => (d === null ? "n" : d)).join(",")}|${typeof forceBatched === "boolean" ? forceBatched : forceBatched.map(Number).join("")}`;
  return batchCache.get(
    closed,
    key,
    () => {
      let outDims: BatchDim[] = [];
      const traced = traceToJaxpr(
        (args) => {
          const r = batchFlat((xs) => evalClosed(closed, xs), args, inDims, axisSize, axisName);
          outDims = r.outDims.map((d, i) =>
            d === null && !(typeof forceBatched === "boolean" ? forceBatched : forceBatched[i])
              ? null
              : 0,
          );
          return r.outs.map((o, i) =>
            outDims[i] === null ? o : matchAxis(o, r.outDims[i]!, 0, axisSize),
          );
        },
        closed.inAvals.map((a, i) => batchedAval(a, inDims[i]!, axisSize)),
      );
      const { jaxpr, consts } = hoistConsts(traced);
      return { jaxpr, consts, outDims };
    },
    (r) => constsAreConcrete(r.consts),
  );
}
