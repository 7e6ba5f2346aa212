/**
 * The types of the autodiff API (api.ts, jacobian.ts): results carry the structure of the
 * user's values. A gradient has its argument's type with every leaf an Array (a `number`
 * parameter's gradient is an Array); a list `argnums` gives a tuple of those; `hasAux`
 * functions return `[value, aux]` and the transforms hand the aux back as JAX does.
 */
import type {
  ArgsInput,
  ArrayTree,
  ArrayTreeInput,
  ElementAt,
  MapLeaves,
} from "../../trace/pytree-types.js";

export interface AuxOptions {
  hasAux?: boolean;
}

export interface GradOptions extends AuxOptions {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
  /** Allow integer/boolean inputs (their gradients are float0 zeros). */
  allowInt?: boolean;
  /**
   * The function is holomorphic: complex inputs and a complex output, and the gradient is the
   * complex derivative f'(z) (JAX's `holomorphic=True`).
   */
  holomorphic?: boolean;
}

/** The `argnums` of options `O` (default 0). */
export type ArgnumsOf<O> = O extends { argnums?: infer A }
  ? unknown extends A
    ? 0
    : [Exclude<A, undefined>] extends [never]
      ? 0
      : Exclude<A, undefined>
  : 0;
/** Options that ask for an auxiliary output. */
export type WithAux = { hasAux: true };

/** Whether options `O` ask for an auxiliary output. */
export type HasAux<O> = O extends { hasAux: true } ? true : false;

/** The gradient with respect to positions `A` of parameters `P`: one tree, or a tuple for a list. */
export type GradTree<P extends readonly unknown[], A> = A extends number
  ? ArrayTree<ElementAt<P, A>>
  : A extends readonly number[]
    ? { -readonly [K in keyof A]: ArrayTree<ElementAt<P, A[K]>> }
    : never;

/** The value part of a result `R` (`R`'s first element under `hasAux`). */
export type ValueOf<R, Aux extends boolean> = Aux extends true
  ? R extends readonly [infer V, unknown]
    ? ArrayTree<V>
    : R extends readonly (infer E)[]
      ? ArrayTree<E>
      : unknown
  : ArrayTree<R>;
/** The auxiliary part of a `hasAux` result `R`. */
export type AuxOf<R> = R extends readonly [unknown, infer A]
  ? ArrayTree<A>
  : R extends readonly (infer E)[]
    ? ArrayTree<E>
    : unknown;

/** `grad(f, opts)`'s function, for `f: (...args: P) => R`: the gradient, or `[gradient, aux]`. */
export type GradFunction<P extends unknown[], R, O> = (
  ...args: P
) => HasAux<O> extends true ? [GradTree<P, ArgnumsOf<O>>, AuxOf<R>] : GradTree<P, ArgnumsOf<O>>;

/** `valueAndGrad(f, opts)`'s function: `[value, gradient]` or `[[value, aux], gradient]`. */
export type ValueAndGradFunction<P extends unknown[], R, O> = (
  ...args: P
) => HasAux<O> extends true
  ? [[ValueOf<R, true>, AuxOf<R>], GradTree<P, ArgnumsOf<O>>]
  : [ValueOf<R, false>, GradTree<P, ArgnumsOf<O>>];

/** `jvp(f, primals, tangents, opts)`: `[out, tangentOut]`, or `[out, tangentOut, aux]`. */
export type JvpResult<R, O> =
  HasAux<O> extends true
    ? [ValueOf<R, true>, ValueOf<R, true>, AuxOf<R>]
    : [ValueOf<R, false>, ValueOf<R, false>];

/** `linearize(f, ...primals)`: `[out, fJvp]` (`fJvp(...tangents)` → output tangent), or with aux. */
export type LinearizeResult<P extends unknown[], R, Aux extends boolean> = Aux extends true
  ? [ValueOf<R, true>, (...tangents: ArgsInput<P>) => ValueOf<R, true>, AuxOf<R>]
  : [ValueOf<R, false>, (...tangents: ArgsInput<P>) => ValueOf<R, false>];

/** `vjp(f, ...primals)`: `[out, vjpFn]` (`vjpFn(ct)` → one cotangent per primal), or with aux. */
export type VjpResult<P extends unknown[], R, Aux extends boolean> = Aux extends true
  ? [ValueOf<R, true>, (ct: ArrayTreeInput<ValueOf<R, true>>) => ArrayTree<P>, AuxOf<R>]
  : [ValueOf<R, false>, (ct: ArrayTreeInput<ValueOf<R, false>>) => ArrayTree<P>];

/** A Jacobian: the output's structure with, at each leaf, the differentiated inputs' structure. */
export type JacobianTree<P extends unknown[], Out, O> = MapLeaves<Out, GradTree<P, ArgnumsOf<O>>>;

/** `jacfwd`/`jacrev(f, opts)`'s function: the Jacobian, or `[jacobian, aux]` under `hasAux`. */
export type JacobianFunction<P extends unknown[], R, O> = (
  ...args: P
) => HasAux<O> extends true
  ? [JacobianTree<P, ValueOf<R, true>, O>, AuxOf<R>]
  : JacobianTree<P, ValueOf<R, false>, O>;
