/**
 * Type-level pytrees: what the transforms do to the structure of the user's values, so that
 * `grad`, `vmap`, `lax.scan`, `tree.map` and friends return the user's own types.
 *
 * A leaf is an Array, a JS scalar (number, boolean, bigint) or a TypedArray; tuples, lists and
 * plain objects are nodes (their shape is kept, readonly-ness included); null and undefined
 * are empty subtrees. Anything else (functions, strings) passes through unchanged.
 */
import type { TypedArray } from "../core/dtype.js";
import type { Array } from "./array.js";

/** Any function: the constraint of a transform's argument (its types are read, not called). */
export type AnyFunction = (...args: never[]) => unknown;
/** How an implementation calls a user function whose arguments its public signature checked. */
export type UncheckedFunction = (...args: unknown[]) => unknown;

/** The JS values a leaf may be besides an Array (the transforms convert them to Arrays). */
export type LeafScalar = number | boolean | bigint | TypedArray;

/** How deep the type-level maps look into a tree (deeper subtrees keep their declared type). */
type Depth = [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown];

/**
 * `T` with every leaf an Array: a transform's output where it took or traced a `T`. A union
 * that admits both an Array and a number (e.g. `ArrayLike`) is taken as one leaf.
 */
export type ArrayTree<T, D extends unknown[] = []> = D["length"] extends Depth["length"]
  ? T
  : [Array | number] extends [T]
    ? Array
    : T extends Array | LeafScalar
      ? Array
      : T extends AnyFunction
        ? T
        : T extends object
          ? { [K in keyof T]: ArrayTree<T[K], [...D, unknown]> }
          : T;

/**
 * What a transform accepts where `f` takes a `T`: an Array leaf may also be passed as a JS
 * scalar or TypedArray (a union that admits
 * both an Array and a number, e.g. `ArrayLike`, is kept, with those added).
 */
export type ArrayTreeInput<T, D extends unknown[] = []> = D["length"] extends Depth["length"]
  ? T
  : [Array | number] extends [T]
    ? T | LeafScalar
    : T extends Array
      ? T | LeafScalar
      : T extends AnyFunction
        ? T
        : T extends object
          ? { [K in keyof T]: ArrayTreeInput<T[K], [...D, unknown]> }
          : T;

/** A transformed function's arguments, for `f`'s parameters `P` (each as `ArrayTreeInput`). */
export type ArgsInput<P extends unknown[]> = { [K in keyof P]: ArrayTreeInput<P[K]> };

/** `tree`'s structure with every leaf replaced by `R` (the type of `tree.map(f, tree)`). */
export type MapLeaves<T, R, D extends unknown[] = []> = D["length"] extends Depth["length"]
  ? unknown
  : [Array | number] extends [T]
    ? R
    : T extends Array | LeafScalar
      ? R
      : T extends null | undefined
        ? T
        : T extends AnyFunction
          ? R
          : T extends object
            ? { [K in keyof T]: MapLeaves<T[K], R, [...D, unknown]> }
            : R;

/** The leaf types of a tree `T` (null and undefined are empty subtrees: no leaves). */
export type LeafOf<T, D extends unknown[] = []> = D["length"] extends Depth["length"]
  ? unknown
  : [Array | number] extends [T]
    ? T
    : T extends Array | LeafScalar | AnyFunction
      ? T
      : T extends null | undefined
        ? never
        : T extends object
          ? { [K in keyof T]-?: LeafOf<T[K], [...D, unknown]> }[keyof T &
              (T extends readonly unknown[] ? number : PropertyKey)]
          : T;

/** The `N`th element of `P` from the end (1 is the last); unknown positions give the union. */
type FromEnd<
  P extends readonly unknown[],
  N extends number,
  Seen extends unknown[] = [unknown],
> = P extends readonly [...infer Rest, infer Last]
  ? Seen["length"] extends N
    ? Last
    : FromEnd<Rest, N, [...Seen, unknown]>
  : P[number];

/** A tuple's element `I`, counting from the end when negative (as Python indexes). */
export type ElementAt<P extends readonly unknown[], I> = I extends number
  ? number extends I
    ? P[number]
    : `${I}` extends `-${infer N extends number}`
      ? FromEnd<P, N>
      : P[I]
  : never;
