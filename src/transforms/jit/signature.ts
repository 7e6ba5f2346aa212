/**
 * A jitted call's signature: the cache key made of the dynamic leaves' avals, the pytree
 * structure, the static arguments' keys and the trace-affecting config; argument names for
 * messages are derived only when needed.
 */
import type { ShapedArray } from "../../core/aval.js";
import { isTypedArray } from "../../core/dtype.js";
import { treeFlatten, treeLeafPaths, type TreeDef } from "../../core/pytree.js";
import { ShapeDtypeStruct } from "../../core/shape-dtype-struct.js";
import { Array } from "../../trace/array.js";
import { type Value, scalarAval } from "../../trace/trace.js";
import type { Signature, TraceConfig } from "./cache.js";
import { functionName } from "../param-names.js";
import { staticKey } from "./static-args.js";

/** A static argument: its cache key now, its display only when asked. */
export class StaticArg {
  readonly key: string;
  constructor(
    readonly pos: number,
    readonly name: string,
    private readonly value: unknown,
    fnName: string,
  ) {
    this.key = staticKey(value, `Static argument ${name} (index ${pos})`, fnName);
  }
  get shown(): string {
    return showStatic(this.value);
  }
}
export const NO_STATICS: StaticArg[] = [];

/** A call's signature; argument names (for messages) are derived only when needed. */
export class CallSignature implements Signature {
  readonly key: string;
  readonly avals: ShapedArray[];
  private names: string[] | undefined;
  constructor(
    private readonly paramNameOf: (pos: number) => string,
    private readonly dynArgs: readonly unknown[],
    private readonly dynPos: number[] | undefined,
    readonly inTree: TreeDef,
    readonly statics: readonly StaticArg[],
    leaves: readonly Value[],
    readonly config: TraceConfig,
  ) {
    const avals = new globalThis.Array<ShapedArray>(leaves.length);
    let key = config.key + inTree.key;
    for (let i = 0; i < leaves.length; i++) {
      const a = leafAval(leaves[i], this, i);
      avals[i] = a;
      key += `|${a.key}`;
    }
    for (const st of statics) key += `|${st.pos}=${st.key}`;
    this.key = key;
    this.avals = avals;
  }
  get argNames(): string[] {
    return (this.names ??= treeLeafPaths(this.dynArgs, isLeafValue).map((p) => {
      const m = /^\[(\d+)\](.*)$/.exec(p);
      if (!m) return p;
      const pos = this.dynPos ? this.dynPos[Number(m[1])]! : Number(m[1]);
      return `${this.paramNameOf(pos)}${m[2]}`;
    }));
  }
}

function leafAval(leaf: unknown, sig: { readonly argNames: string[] }, i: number): ShapedArray {
  if (leaf instanceof Array) return leaf.aval;
  if (leaf instanceof ShapeDtypeStruct) return leaf.aval;
  if (typeof leaf === "number" || typeof leaf === "boolean" || typeof leaf === "bigint")
    return scalarAval(leaf);
  throw new TypeError(
    `Argument '${sig.argNames[i]}' of type ${leaf === null ? "null" : typeof leaf === "object" ? ((leaf as object).constructor?.name ?? "object") : typeof leaf} ` +
      `is not a valid JAX type. Pass arrays, numbers or booleans (or pytrees of them), or mark the ` +
      `argument static with staticArgnums/staticArgnames.`,
  );
}

export const isLeafValue = (x: unknown) =>
  x instanceof Array || isTypedArray(x) || x instanceof ShapeDtypeStruct;

/**
 * A call that runs (not `trace`/`lower`) needs values: a ShapeDtypeStruct leaf raises JAX's
 * TypeError.
 */
export function rejectShapeDtypeStructs(sig: Signature, leaves: readonly unknown[]): void {
  for (let i = 0; i < leaves.length; i++) {
    if (leaves[i] instanceof ShapeDtypeStruct) {
      throw new TypeError(
        `Argument '${sig.argNames[i]}' of type ShapeDtypeStruct is not a valid JAX type: a ` +
          `ShapeDtypeStruct has no values, so it can be traced and lowered ` +
          `(jit(f).trace(...), jit(f).lower(...), evalShape) but not run. Pass an array.`,
      );
    }
  }
}

/** The structure of a flat list of n leaves (cached: it is the common case). */
const flatTreeDefs: TreeDef[] = [];
export function flatTreeDef(n: number): TreeDef {
  return (flatTreeDefs[n] ??= treeFlatten(new globalThis.Array(n).fill(0))[1]);
}

function showStatic(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return `<function ${functionName(v)}>`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
