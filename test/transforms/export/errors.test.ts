/**
 * jax.export's errors: bytes of another format, a newer version, truncated and bit-flipped
 * bytes, crafted headers (unknown or injecting primitive names, `__proto__` keys, huge shapes,
 * arrays outside the data section) — each a ValueError, nothing run, no prototype touched —
 * and calls with the wrong structure, shape, dtype or platform.
 */
import { describe, expect, it } from "vitest";
import {
  namedScope,
  ValueError,
  jit,
  numpy as jnp,
  export as jexport,
  type Array,
} from "../../../src/index.js";
import { on } from "../../backend/differential-helpers.js";
import { readContainer, writeContainer } from "../../../src/transforms/export/container.js";
import { type Json } from "../../../src/transforms/export/codec.js";

const f = (x: Array, y: Array) =>
  jnp.add(jnp.multiply(x, jnp.array([1, 2, 3], { dtype: "float32" })), y);
const x = () => jnp.array([1, 2, 3], { dtype: "float32" });
const exported = () => jexport.export(jit(f))(x(), x());

/** The artifact with its header rewritten (checksum recomputed, so only the schema can reject it). */
function reframe(bytes: Uint8Array, edit: (header: Record<string, Json>) => void): Uint8Array {
  const { header, data } = readContainer(bytes);
  const h = header as Record<string, Json>;
  edit(h);
  return writeContainer(h, [data]);
}
type Eq = { prim: string; params: Record<string, Json> };
const eqns = (h: Record<string, Json>) =>
  (h.jaxpr as { jaxpr: { eqns: Json[] } }).jaxpr.eqns as unknown as Eq[];

describe("deserialize rejects bad bytes with a ValueError", () => {
  it("another format, a newer version, not bytes", () => {
    const good = exported().serialize();
    const wrongMagic = good.slice();
    wrongMagic[0] = 0x50;
    expect(() => jexport.deserialize(wrongMagic)).toThrow(ValueError);
    expect(() => jexport.deserialize(wrongMagic)).toThrow(/export magic 'JAXTSEXP'/);
    const newer = good.slice();
    new DataView(newer.buffer).setUint32(8, 2, true);
    expect(() => jexport.deserialize(newer)).toThrow(
      /format version 2: this jaxts reads versions 1 to 1/,
    );
    expect(() => jexport.deserialize("abc" as never)).toThrow(ValueError);
    expect(() => jexport.deserialize(new Uint8Array(0))).toThrow(/shorter than its header/);
  });

  it("every truncation and a sample of bit flips", () => {
    const good = exported().serialize();
    for (let n = 0; n < good.length; n += 7) {
      expect(() => jexport.deserialize(good.subarray(0, n)), `length ${n}`).toThrow(ValueError);
    }
    for (let i = 20; i < good.length; i += 13) {
      const flipped = good.slice();
      flipped[i]! ^= 1 << (i % 8);
      expect(() => jexport.deserialize(flipped), `byte ${i}`).toThrow(/checksum does not match/);
    }
  });

  it("crafted headers: unknown and injecting primitive names, bad params, huge shapes", () => {
    const good = exported().serialize();
    const cases: [string, (h: Record<string, Json>) => void, RegExp][] = [
      ["unknown primitive", (h) => void (eqns(h)[0]!.prim = "exec"), /unknown primitive "exec"/],
      [
        "injection in a primitive name",
        (h) => void (eqns(h)[0]!.prim = 'mul"); globalThis.pwned = 1; ("'),
        /unknown primitive/,
      ],
      ["__proto__ name", (h) => void (eqns(h)[0]!.prim = "__proto__"), /unknown primitive/],
      [
        "__proto__ param key",
        (h) =>
          void (eqns(h)[0]!.params = JSON.parse('{"__proto__": {"polluted": 1}}') as Record<
            string,
            Json
          >),
        /param key "__proto__" is not a name/,
      ],
      [
        "unknown param tag",
        (h) => void (eqns(h)[0]!.params = { k: { t: "function", v: "() => 1" } }),
        /unknown tag "function"/,
      ],
      [
        "unknown dtype",
        (h) => void (h.inAvals = [["object", [3], false]]),
        /unknown dtype "object"/,
      ],
      [
        "2^60 elements",
        (h) => void (h.inAvals = [["float32", [2 ** 30, 2 ** 30], false]]),
        /more than 2147483647 elements/,
      ],
      [
        "negative dimension",
        (h) => void (h.outAvals = [["float32", [-1], false]]),
        /not an integer/,
      ],
      [
        "array outside the data",
        (h) => void ((h.arrays as { offset: number }[])[0]!.offset = 1e9),
        /outside the data section/,
      ],
      [
        "array of the wrong size",
        (h) => void ((h.arrays as { aval: Json }[])[0]!.aval = ["float32", [1000], false]),
        /claims 12 bytes, not 4000/,
      ],
      [
        "avals that disagree",
        (h) =>
          void (h.inAvals = [
            ["float32", [4], false],
            ["float32", [3], false],
          ]),
        /inAvals do not match/,
      ],
      [
        "__proto__ in a pytree",
        (h) => void (h.outTree = JSON.parse('{"keys": ["__proto__"], "children": ["*"]}') as Json),
        /dict key is invalid/,
      ],
      [
        "unregistered pytree node",
        (h) => void (h.outTree = { node: "Evil", aux: null, children: [] }),
        /"Evil" is not registered/,
      ],
      [
        "variable read before defined",
        (h) => void ((h.jaxpr as { jaxpr: { outvars: Json[] } }).jaxpr.outvars = [99]),
        /variable index is not an integer/,
      ],
      [
        "deep nesting",
        (h) => void (eqns(h)[0]!.params = { k: JSON.parse("[".repeat(0) + nest(100)) as Json }),
        /nest too deeply/,
      ],
    ];
    for (const [name, edit, message] of cases) {
      const bytes = reframe(good, edit);
      expect(() => jexport.deserialize(bytes), name).toThrow(ValueError);
      expect(() => jexport.deserialize(bytes), name).toThrow(message);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });
});

describe("string content of an artifact is data", () => {
  it("injection strings in names and name stacks run nothing, on both devices", () => {
    const inner = jit((v: Array) => jnp.exp(v));
    const g = (v: Array) => namedScope("scope", () => jnp.add(inner(v), 1));
    const good = jexport
      .export(jit(g), { platforms: ["js", "wasm"] })(x())
      .serialize();
    const evil =
      'x*/ globalThis.pwned = 1; /*\n`${(globalThis.pwned = 1)}`"); globalThis.pwned = 1; ("';
    const walk = (node: Json): void => {
      if (globalThis.Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== "object") return;
      const o = node as Record<string, Json>;
      if (typeof o.prim === "string" && o.prim === "pjit") {
        (o.params as Record<string, Json>).name = evil;
      }
      if (globalThis.Array.isArray(o.names))
        o.names = (o.names as Json[][]).map(([k]) => [k!, evil]);
      Object.values(o).forEach(walk);
    };
    const bytes = reframe(good, (h) => walk(h.jaxpr));
    const back = jexport.deserialize(bytes);
    expect(back.jaxpr.toString()).toContain(evil);
    const want = values(jit(g)(x()));
    for (const device of ["js", "wasm"]) {
      expect(on(device, () => values(back.call(x())))).toEqual(want);
    }
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });
});

function values(a: unknown): unknown {
  return (a as Array).tolist();
}

function nest(n: number): string {
  let s = '"leaf"';
  for (let i = 0; i < n; i++) s = `{"t": "tuple", "v": [${s}]}`;
  return s;
}

describe("Exported.call checks its arguments as JAX's", () => {
  it("wrong structure, shape, dtype and platform", () => {
    const exp = jexport.deserialize(exported().serialize());
    expect(() => exp.call(x())).toThrow(
      /same pytree structure .*expected PyTreeDef\(\[\*, \*\]\), got PyTreeDef\(\[\*\]\)/,
    );
    expect(() => exp.call(x(), jnp.ones([4]))).toThrow(
      /Shape mismatch for args\[1\].*expects shape \(3\) but it is called with shape \(4\)/,
    );
    expect(() => exp.call(x(), jnp.array([1, 2, 3], { dtype: "int32" }))).toThrow(
      /Dtype mismatch for args\[1\].*expects float32 but it is called with int32/,
    );
    const elsewhere = jexport.export(jit(f), { platforms: ["cuda"] })(x(), x());
    expect(() => jexport.deserialize(elsewhere.serialize()).call(x(), x())).toThrow(
      /lowered for platforms \(cuda\) but it is used on/,
    );
    expect(() => jexport.export(f as never)).toThrow(/must be the result of `jit`/);
  });
});
