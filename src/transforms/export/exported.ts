/**
 * `jax.export` for jaxts: `export(jit(f))(...argsOrShapeDtypeStructs)` → an `Exported` (the
 * traced closed jaxpr with its avals and pytree structure) that `serialize()`s to bytes and
 * `deserialize(bytes)` rebuilds — in another process, without `f` — to `call(...args)`.
 * The artifact is jaxts's own versioned format (container.ts, codec.ts), not StableHLO.
 */
import { ShapedArray } from "../../core/aval.js";
import { float16, storageLanes } from "../../core/dtype.js";
import { float16Bits } from "../../core/float16.js";
import { ValueError } from "../../core/errors.js";
import { TreeDef, customNodeByName, treeFlatten, treeUnflatten } from "../../core/pytree.js";
import type { ClosedJaxpr } from "../../ir/jaxpr.js";
import { type ArrayImpl, arrayFromHost } from "../../runtime/array.js";
import { defaultBackend } from "../../runtime/device-api.js";
import { Array as JaxArray } from "../../trace/array.js";
import { type Value, scalarAval } from "../../trace/trace.js";
import { evalClosed } from "../eval-jaxpr.js";
import { type Jitted, jit } from "../jit/jit.js";
import { ShapeDtypeStruct } from "../../core/shape-dtype-struct.js";
import {
  type Json,
  MAX_ELEMENTS,
  bad,
  decodeAval,
  decodeClosedJaxpr,
  decodeDType,
  encodeAval,
  encodeClosedJaxpr,
} from "./codec.js";
import { readContainer, writeContainer } from "./container.js";

/** The platform jaxts exports for by default (the default device's name, as JAX's). */
export function defaultExportPlatform(): string {
  return defaultBackend();
}

function encodeTree(t: TreeDef): Json {
  switch (t.kind) {
    case "leaf":
      return "*";
    case "none":
      return null;
    case "list":
      return t.children.map(encodeTree);
    case "dict":
      return { keys: [...(t.meta as string[])], children: t.children.map(encodeTree) };
    case "custom": {
      const aux = t.meta;
      const plain =
        aux === null || aux === undefined || ["string", "number", "boolean"].includes(typeof aux);
      if (!plain || customNodeByName(t.node!.name) !== t.node) {
        throw new ValueError(
          `Cannot export a function whose arguments or results contain the registered pytree ` +
            `node ${t.node!.name}: the export format holds lists, objects, None and registered ` +
            `nodes with a unique class name and a string, number, boolean or null aux.`,
        );
      }
      return {
        node: t.node!.name,
        aux: (aux ?? null) as Json,
        undef: aux === undefined,
        children: t.children.map(encodeTree),
      };
    }
  }
}

function decodeTree(x: unknown, depth = 0): TreeDef {
  if (depth > 64) throw bad("a pytree nests too deeply");
  if (x === "*") return new TreeDef("leaf", []);
  if (x === null) return new TreeDef("none", []);
  if (Array.isArray(x))
    return new TreeDef(
      "list",
      x.map((c) => decodeTree(c, depth + 1)),
    );
  if (typeof x === "object") {
    const o = x as { keys?: unknown; children?: unknown };
    if (Object.prototype.hasOwnProperty.call(o, "node")) return decodeCustomTree(o, depth);
    const keys = Object.prototype.hasOwnProperty.call(o, "keys") ? o.keys : undefined;
    const children = Object.prototype.hasOwnProperty.call(o, "children") ? o.children : undefined;
    if (!Array.isArray(keys) || !Array.isArray(children) || keys.length !== children.length) {
      throw bad("a pytree dict is malformed");
    }
    for (const k of keys) {
      if (typeof k !== "string" || k === "__proto__") throw bad("a pytree dict key is invalid");
    }
    return new TreeDef(
      "dict",
      children.map((c) => decodeTree(c, depth + 1)),
      [...keys],
    );
  }
  throw bad("a pytree has no known form");
}

/** A registered node, found by class name in this process's registry (never created). */
function decodeCustomTree(o: object, depth: number): TreeDef {
  const name = own(o, "node");
  const aux = own(o, "aux");
  const children = own(o, "children");
  const node = typeof name === "string" ? customNodeByName(name) : undefined;
  if (!node) throw bad(`pytree node ${JSON.stringify(name)?.slice(0, 60)} is not registered here`);
  if (aux !== null && !["string", "number", "boolean"].includes(typeof aux)) {
    throw bad("a pytree node's aux is not a string, number, boolean or null");
  }
  if (!Array.isArray(children)) throw bad("a pytree node's children are not a list");
  const meta = own(o, "undef") === true ? undefined : aux;
  return new TreeDef(
    "custom",
    children.map((c) => decodeTree(c, depth + 1)),
    meta,
    node,
  );
}

/** An array's elements as little-endian storage bytes (float16 as bits, bool as 0/1). */
function arrayBytes(a: ArrayImpl): Uint8Array {
  let data = a.toTypedArray();
  if (a.dtype === float16) data = Uint16Array.from(data as Float32Array, float16Bits);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

type JittedLeaves = Jitted<(...leaves: Value[]) => Value[]>;

/** A function exported for one signature (JAX's `jax.export.Exported`). */
export class Exported {
  private callable?: JittedLeaves;
  /** @internal Use `export(jit(f))(...)` or `deserialize(bytes)`. */
  constructor(
    /** The exported function's name. */
    readonly funName: string,
    /** The arguments' pytree structure. */
    readonly inTree: TreeDef,
    /** The shapes and dtypes of the flattened arguments. */
    readonly inAvals: readonly ShapedArray[],
    /** The results' pytree structure. */
    readonly outTree: TreeDef,
    /** The shapes and dtypes of the flattened results. */
    readonly outAvals: readonly ShapedArray[],
    /** The platforms (device names) the function was exported for. */
    readonly platforms: readonly string[],
    /** The traced program: a closed jaxpr (jaxts exports jaxprs, not StableHLO). */
    readonly jaxpr: ClosedJaxpr,
  ) {}

  /** The number of devices the function was exported for (always 1 in jaxts). */
  get nrDevices(): number {
    return 1;
  }

  /** The exported function's signature and jaxpr, for printing. */
  toString(): string {
    return `Exported(${this.funName}, in_avals=(${this.inAvals.map((a) => a.str()).join(", ")}), platforms=(${this.platforms.join(", ")}))\n${this.jaxpr.toString()}`;
  }

  /**
   * Call the exported function on arguments of the exported structure, shapes and dtypes
   * (JAX's `Exported.call`). Runs jit-compiled on the default device, which must be one of
   * `platforms`.
   */
  call(...args: unknown[]): unknown {
    const platform = defaultBackend();
    if (!this.platforms.includes(platform)) {
      throw new ValueError(
        `The exported function '${this.funName}' was lowered for platforms ` +
          `(${this.platforms.join(", ")}) but it is used on ${platform}.`,
      );
    }
    const [leaves, tree] = treeFlatten(args);
    if (!tree.equals(this.inTree)) {
      throw new ValueError(
        `The invocation args must have the same pytree structure as when the function ` +
          `'${this.funName}' was exported: expected ${this.inTree.toString()}, got ${tree.toString()}.`,
      );
    }
    leaves.forEach((x, i) => {
      const aval = x instanceof JaxArray ? x.aval : scalarAval(x as number | boolean | bigint);
      const want = this.inAvals[i]!;
      if (aval.dtype !== want.dtype) {
        throw new ValueError(
          `Dtype mismatch for args[${i}]: the exported function '${this.funName}' expects ` +
            `${want.dtype.name} but it is called with ${aval.dtype.name}.`,
        );
      }
      if (
        aval.shape.length !== want.shape.length ||
        aval.shape.some((d, k) => d !== want.shape[k])
      ) {
        throw new ValueError(
          `Shape mismatch for args[${i}]: the exported function '${this.funName}' expects ` +
            `shape (${want.shape.join(", ")}) but it is called with shape (${aval.shape.join(", ")}).`,
        );
      }
    });
    const outs = this.leafFunction()(...(leaves as Value[])) as unknown[];
    return treeUnflatten(this.outTree, outs);
  }

  /** The jaxpr as a jitted function of the flattened arguments. */
  private leafFunction(): JittedLeaves {
    return (this.callable ??= jit((...xs: Value[]) => evalClosed(this.jaxpr, xs)));
  }

  /**
   * @internal Re-derive every equation's output avals by tracing the jaxpr through the
   * primitives' own shape rules; a deserialized jaxpr whose declared avals or params do not
   * type-check is rejected (ValueError) before it ever runs.
   */
  typeCheck(): void {
    let traced: readonly ShapedArray[];
    try {
      const specs = this.inAvals.map(ShapeDtypeStruct.fromAval);
      traced = this.leafFunction().trace(...(specs as never[])).jaxpr.outAvals;
    } catch (e) {
      throw bad(`its jaxpr does not type-check (${e instanceof Error ? e.message : String(e)})`);
    }
    const declared = this.outAvals;
    if (traced.length !== declared.length || traced.some((a, i) => a.key !== declared[i]!.key)) {
      throw bad(
        `its jaxpr computes (${traced.map((a) => a.strShort()).join(", ")}), ` +
          `not the declared (${declared.map((a) => a.strShort()).join(", ")})`,
      );
    }
  }

  /** The artifact as bytes (the format in container.ts); `deserialize` reads it back. */
  serialize(): Uint8Array {
    const table = { arrays: [] as unknown[] };
    const jaxpr = encodeClosedJaxpr(this.jaxpr, table);
    const payloads: Uint8Array[] = [];
    let offset = 0;
    const arrays = (table.arrays as ArrayImpl[]).map((a) => {
      const bytes = arrayBytes(a);
      payloads.push(bytes);
      const entry: Json = { aval: encodeAval(a.aval), offset, length: bytes.length };
      offset += bytes.length;
      return entry;
    });
    const header: Json = {
      funName: this.funName,
      platforms: [...this.platforms],
      inTree: encodeTree(this.inTree),
      outTree: encodeTree(this.outTree),
      inAvals: this.inAvals.map(encodeAval),
      outAvals: this.outAvals.map(encodeAval),
      arrays,
      jaxpr,
    };
    return writeContainer(header, payloads);
  }
}

function own(o: object, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined;
}

/** One array of the data section, checked against its aval and the section's extent. */
function readArray(spec: unknown, data: Uint8Array): ArrayImpl {
  if (typeof spec !== "object" || spec === null) throw bad("an array entry is not an object");
  const aval = decodeAval(own(spec, "aval"));
  decodeDType(aval.dtype.name);
  const offset = own(spec, "offset");
  const length = own(spec, "length");
  const storage = aval.dtype.storage;
  const want = aval.size * storageLanes(aval.dtype) * storage.BYTES_PER_ELEMENT;
  if (aval.size > MAX_ELEMENTS || length !== want) {
    throw bad(`an array of ${aval.str()} claims ${String(length)} bytes, not ${want}`);
  }
  if (
    typeof offset !== "number" ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    offset + want > data.length
  ) {
    throw bad(`an array's bytes lie outside the data section (truncated)`);
  }
  const copy = data.slice(offset, offset + want);
  const values = new storage(copy.buffer, 0, want / storage.BYTES_PER_ELEMENT);
  return arrayFromHost(values, aval.shape, aval.dtype, aval.weakType);
}

/**
 * Rebuild an `Exported` from `Exported.serialize()`'s bytes (JAX's `jax.export.deserialize`).
 * Bytes of another format, a newer version, truncated or corrupted bytes, or content that does
 * not fit the schema raise a ValueError; nothing in the bytes is ever run as code.
 */
export function deserialize(bytes: Uint8Array): Exported {
  const { header, data } = readContainer(bytes);
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw bad("its header is not an object");
  }
  const funName = own(header, "funName");
  const platforms = own(header, "platforms");
  if (typeof funName !== "string") throw bad("funName is not a string");
  if (!Array.isArray(platforms) || !platforms.every((p) => typeof p === "string")) {
    throw bad("platforms is not a list of strings");
  }
  const specs = own(header, "arrays");
  if (!Array.isArray(specs)) throw bad("the array table is not a list");
  const arrays: (ArrayImpl | undefined)[] = new Array<ArrayImpl | undefined>(specs.length);
  const lookup = (i: number): ArrayImpl => {
    if (i >= specs.length) throw bad(`array ${i} is not in the array table`);
    return (arrays[i] ??= readArray(specs[i], data));
  };
  const list = (k: string) => {
    const v = own(header, k);
    if (!Array.isArray(v)) throw bad(`${k} is not a list`);
    return v.map(decodeAval);
  };
  const inAvals = list("inAvals");
  const outAvals = list("outAvals");
  const inTree = decodeTree(own(header, "inTree"));
  const outTree = decodeTree(own(header, "outTree"));
  const jaxpr = decodeClosedJaxpr(own(header, "jaxpr"), lookup);
  const sameAvals = (a: readonly ShapedArray[], b: readonly ShapedArray[]) =>
    a.length === b.length && a.every((x, i) => x.key === b[i]!.key);
  if (inTree.numLeaves !== inAvals.length || !sameAvals(inAvals, jaxpr.inAvals)) {
    throw bad("inAvals do not match the jaxpr's inputs and inTree");
  }
  if (outTree.numLeaves !== outAvals.length || !sameAvals(outAvals, jaxpr.outAvals)) {
    throw bad("outAvals do not match the jaxpr's outputs and outTree");
  }
  const platformNames = [...platforms] as string[];
  const exp = new Exported(funName, inTree, inAvals, outTree, outAvals, platformNames, jaxpr);
  exp.typeCheck();
  return exp;
}

/** What `export` accepts: a jitted function (`jit(f)`), which has `trace`. */
export interface Traceable {
  trace(...args: never[]): {
    readonly jaxpr: ClosedJaxpr;
    readonly inTree: TreeDef;
    readonly outTree: TreeDef;
    readonly funName: string;
  };
}

/** Options of `export` (JAX's keyword arguments). */
export interface ExportOptions {
  /** The device names to export for; default `[defaultExportPlatform()]`. */
  readonly platforms?: readonly string[];
}

/**
 * JAX's `jax.export.export(jit(f))(...args)`: trace `f` for arguments (arrays or
 * `ShapeDtypeStruct`s) and return the `Exported` function.
 */
export function exportFn(
  fn: Traceable,
  options: ExportOptions = {},
): (...args: unknown[]) => Exported {
  if (typeof (fn as { trace?: unknown } | null)?.trace !== "function") {
    throw new TypeError(
      `Function to be exported must be the result of \`jit\` but is: ${String(fn).slice(0, 80)}`,
    );
  }
  const platforms = [...(options.platforms ?? [defaultExportPlatform()])];
  return (...args: unknown[]) => {
    const traced = fn.trace(...(args as never[]));
    const jaxpr = traced.jaxpr;
    return new Exported(
      traced.funName,
      traced.inTree,
      jaxpr.inAvals,
      traced.outTree,
      jaxpr.outAvals,
      platforms,
      jaxpr,
    );
  };
}
