/**
 * Forward mode: the JVP trace. A `JVPTracer` carries a primal and its tangent (possibly a
 * symbolic `Zero`); each primitive's `jvp` rule maps primals and tangents to outputs.
 */
import { transformNameStack } from "../../core/name-stack.js";
import { NotImplementedError } from "../../core/errors.js";
import type { ClosedJaxpr } from "../../ir/jaxpr.js";
import type { Array } from "../../trace/array.js";
import { traceToJaxpr } from "../../trace/jaxpr-trace.js";
import { type Primitive, type Tangent, Zero } from "../../trace/primitive.js";
import { jvpRuleOf } from "../../primitives/define.js";
import {
  type MainTrace,
  Trace,
  Tracer,
  type Value,
  bind,
  fullLower,
  fullRaise,
  withMainTrace,
} from "../../trace/trace.js";
import type { Params } from "../../ir/jaxpr.js";
import {
  DerivedCache,
  asArray,
  constsAreConcrete,
  evalClosed,
  hoistConsts,
} from "../eval-jaxpr.js";
import { instantiateZeros, tangentAval, zeroTangent } from "./tangents.js";

export class JVPTracer extends Tracer {
  constructor(
    readonly _trace: JVPTrace,
    readonly primal: Array,
    readonly tangent: Tangent,
  ) {
    super();
  }
  get aval() {
    return this.primal.aval;
  }
  override fullLower(): Value {
    return this.tangent instanceof Zero ? fullLower(this.primal) : this;
  }
}

export class JVPTrace extends Trace {
  override get name(): string {
    return "JVPTrace";
  }
  pure(x: Value): Tracer {
    const p = asArray(x);
    return new JVPTracer(this, p, zeroTangent(p.aval));
  }
  lift(t: Tracer): Tracer {
    return new JVPTracer(this, t, zeroTangent(t.aval));
  }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Value[] {
    const ts = tracers as JVPTracer[];
    const primals = ts.map((t) => t.primal);
    const tangents = ts.map((t) => t.tangent);
    if (tangents.every((t) => t instanceof Zero)) return bind(prim, primals, params);
    const rule = jvpRuleOf(prim);
    if (!rule)
      throw new NotImplementedError(`Differentiation rule for '${prim.name}' not implemented`);
    const [outs, touts] = rule(primals, tangents, params);
    return outs.map((o, i) => {
      const p = asArray(o);
      const t = touts[i];
      return new JVPTracer(this, p, t === undefined || t instanceof Zero ? zeroTangent(p.aval) : t);
    });
  }
}

/**
 * Push primals and tangents through `fn` (flat lists in and out). Returns the primal and
 * tangent outputs; tangents stay symbolic zeros where known to be zero. The last `nAux`
 * outputs are auxiliary: only their primal values are returned (as `aux`).
 */
export function jvpFlat(
  fn: (xs: Value[]) => readonly Value[],
  primals: readonly Value[],
  tangents: readonly Tangent[],
  nAux: number | (() => number) = 0,
): { primals: Array[]; tangents: Tangent[]; aux: Value[] } {
  return withMainTrace(JVPTrace, undefined, (main: MainTrace) => {
    const trace = main.makeTrace() as JVPTrace;
    const ins = primals.map((p, i) => new JVPTracer(trace, asArray(p), tangents[i]!));
    const outs = transformNameStack("jvp", () => fn(ins));
    const n = outs.length - (typeof nAux === "number" ? nAux : nAux());
    const aux = outs
      .slice(n)
      .map((o) => (o instanceof JVPTracer && o._trace.main === main ? o.primal : o));
    const outTracers = outs.slice(0, n).map((o) => fullRaise(trace, o) as JVPTracer);
    return {
      primals: outTracers.map((t) => t.primal),
      tangents: outTracers.map((t) => t.tangent),
      aux,
    };
  });
}

export interface JvpJaxpr {
  /** Const-free; inputs: [...consts, ...primals, ...nonzero tangents]; outputs: [...primals, ...nonzero tangents]. */
  jaxpr: ClosedJaxpr;
  consts: Value[];
  outNonzero: boolean[];
}

const jvpCache = new DerivedCache<JvpJaxpr>();

/**
 * The JVP of a closed jaxpr as a new jaxpr (JAX's `jvp_jaxpr`): tangents are passed only for
 * `nonzeros` inputs; output tangents known to be zero are dropped unless instantiated.
 */
export function jvpJaxpr(
  closed: ClosedJaxpr,
  nonzeros: readonly boolean[],
  instantiate: boolean | readonly boolean[],
): JvpJaxpr {
  const key = `${nonzeros.map(Number).join("")}|${typeof instantiate === "boolean" ? instantiate : instantiate.map(Number).join("")}`;
  return jvpCache.get(
    closed,
    key,
    () => {
      const inAvals = closed.inAvals;
      const tanAvals = inAvals.flatMap((a, i) => (nonzeros[i] ? [tangentAval(a)] : []));
      let outNonzero: boolean[] = [];
      const traced = traceToJaxpr(
        (args) => {
          const primals = args.slice(0, inAvals.length);
          let k = inAvals.length;
          const tangents = inAvals.map((a, i) =>
            nonzeros[i] ? (args[k++] as Array) : zeroTangent(a),
          );
          const r = jvpFlat((xs) => evalClosed(closed, xs), primals, tangents);
          const touts = r.tangents.map((t, i) =>
            t instanceof Zero && (typeof instantiate === "boolean" ? instantiate : instantiate[i])
              ? instantiateZeros(t)
              : t,
          );
          outNonzero = touts.map((t) => !(t instanceof Zero));
          return [...r.primals, ...(touts.filter((t) => !(t instanceof Zero)) as Array[])];
        },
        [...inAvals, ...tanAvals],
      );
      const { jaxpr, consts } = hoistConsts(traced);
      return { jaxpr, consts, outNonzero };
    },
    (r) => constsAreConcrete(r.consts),
  );
}
