/**
 * Host callbacks: `debug_callback` (JAX's primitive behind `debug.print`/`debug.callback`: no
 * outputs, an effect, kept by DCE), `pure_callback` (outputs of declared shapes; removable by
 * DCE) and `io_callback` (outputs, an effect). A callback's params hold the JS function
 * (`HostCallback`), called with concrete arrays on the calling thread: programs containing one
 * run through the host interpreter (runtime/host-run.ts), which compiles the callback-free
 * stretches into fused kernels and calls the function between them. They never reach kernel
 * lowering.
 */
import type { ShapedArray } from "../core/aval.js";
import { NotImplementedError } from "../core/errors.js";
import type { Params } from "../ir/jaxpr.js";
import type { LowerRule } from "../kernel/lowering-types.js";
import type { Array } from "../trace/array.js";
import type { Primitive } from "../trace/primitive.js";
import { bind } from "../trace/trace.js";
import { definePrimitive } from "./define.js";
import { reshape } from "./shape/reshape.js";
import { slice } from "./shape/slice-pad.js";

/** A JS function in a callback's params; printed as JAX prints the Python function. */
export class HostCallback {
  constructor(
    /**
     * Called with concrete arrays and the equation's result avals (they change under vmap);
     * returns the outputs (none for debug_callback).
     */
    readonly call: (
      args: readonly Array[],
      resultAvals: readonly ShapedArray[],
    ) => readonly Array[],
    /** What JAX prints, e.g. `debug_callback.<locals>._flat_callback`. */
    readonly label: string,
  ) {}
  toString(): string {
    return `<function ${this.label}>`;
  }
}

/** JAX's `Debug` / `OrderedDebug` effects (and io_callback's `IOEffect`/`OrderedIOEffect`). */
export class Effect {
  private constructor(readonly name: string) {}
  static readonly debug = new Effect("Debug");
  static readonly orderedDebug = new Effect("OrderedDebug");
  toString(): string {
    return this.name;
  }
}

export interface DebugCallbackParams extends Params {
  readonly callback: HostCallback;
  readonly effect: Effect;
}

export const runsOnHost: LowerRule<Params> = (_ctx, _inputs, _params, _out) => {
  throw new NotImplementedError(
    "A host callback reached kernel lowering: programs with callbacks run through the host " +
      "interpreter (runtime/host-run.ts); this is a bug.",
  );
};

/** The i-th example of each batched argument (JAX's unrolled batching of callbacks). */
export function exampleArgs(args: readonly Array[], dims: readonly (number | null)[], i: number) {
  return args.map((a, k) => {
    const d = dims[k];
    if (d === null || d === undefined) return a;
    const start = a.shape.map((_, j) => (j === d ? i : 0));
    const limit = a.shape.map((s, j) => (j === d ? i + 1 : s));
    return reshape(
      slice(a, start, limit),
      a.shape.filter((_, j) => j !== d),
    );
  });
}

export const debugCallbackP: Primitive<DebugCallbackParams> = definePrimitive<DebugCallbackParams>({
  name: "debug_callback",
  abstractEval: (_avals: ShapedArray[]) => [],
  lower: runsOnHost,
  // The callback sees primal values only; it has no outputs, so no tangents.
  jvp(primals, _tangents, params) {
    bind(debugCallbackP, primals, params);
    return [[], []];
  },
  transpose: (_cts, args) => args.map(() => null),
  batch(args, dims, params) {
    const k = dims.findIndex((d) => d !== null);
    const n = args[k]!.shape[dims[k]!]!;
    for (let i = 0; i < n; i++) bind(debugCallbackP, exampleArgs(args, dims, i), params);
    return [[], []];
  },
});
