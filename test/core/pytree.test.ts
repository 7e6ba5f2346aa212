/**
 * jax.tree.map: the first tree is a prefix of the others (flatten_up_to), is_leaf, and jaxlib's
 * mismatch messages (ValueError), as `jax.tree.map` in JAX 0.4.x.
 */
import { describe, expect, it } from "vitest";
import { ValueError, numpy as jnp, tree } from "../../src/index.js";

const pair = (a: unknown, b: unknown) => [a, b];
const fix = (k: number, def: string) =>
  ` (tree.map: rest[${k}] must have the first tree's structure ${def} as a prefix; make them ` +
  "match, or pass isLeaf to stop flattening the first tree earlier.)";

describe("tree.map", () => {
  it("same structures map leaf by leaf", () => {
    expect(
      tree.map((a: number, b: number) => a + b, { x: 1, y: [2, 3] }, { x: 10, y: [20, 30] }),
    ).toEqual({ x: 11, y: [22, 33] });
  });
  it("the first tree only needs to be a prefix: subtrees of the others are passed whole", () => {
    // jax.tree.map(lambda a, b: (a, b), {'x': 1}, {'x': [1, 2]}) == {'x': (1, [1, 2])}
    expect(tree.map(pair, { x: 1 }, { x: [1, 2] })).toEqual({ x: [1, [1, 2]] });
    expect(tree.map(pair, [1, { a: 2 }], [{ p: 1, q: 2 }, { a: null }])).toEqual([
      [1, { p: 1, q: 2 }],
      { a: [2, null] },
    ]);
    const row = jnp.array([1, 2]);
    const out = tree.map((s: number, v: unknown) => [s, v], { w: 1 }, { w: { m: row, v: row } });
    expect((out.w[1] as { m: unknown }).m).toBe(row);
  });
  it("isLeaf stops flattening the first tree (as is_leaf)", () => {
    const isList = (x: unknown) => Array.isArray(x);
    expect(tree.map((x: number[]) => x.length, { a: [1, 2], b: [3] }, { isLeaf: isList })).toEqual({
      a: 2,
      b: 1,
    });
    expect(
      tree.map(
        (x: number[], y: number) => x.length * y,
        { a: [1, 2] },
        { a: 5 },
        { isLeaf: isList },
      ),
    ).toEqual({ a: 10 });
    expect(tree.map((x: number) => x * 2, [1, 2], { isLeaf: null })).toEqual([2, 4]);
  });
  it("incompatible structures raise ValueError with jaxlib's messages", () => {
    const cases: [unknown, unknown, string, string][] = [
      [{ x: 1 }, { y: 1 }, "Dict key mismatch; expected keys: ['x']; dict: {'y': 1}.", "{'x': *}"],
      [[1, 2], [1], "List arity mismatch: 1 != 2; list: [1].", "[*, *]"],
      [[1, 2], 3, "Expected list, got 3.", "[*, *]"],
      [{ a: 1 }, [1], "Expected dict, got [1].", "{'a': *}"],
      [[null, 1], [2, 1], "Expected None, got 2.", "[None, *]"],
      [
        [[1], 2],
        [jnp.array([1, 2]), 1],
        "Expected list, got Array([1, 2], dtype=int32).",
        "[[*], *]",
      ],
    ];
    for (const [a, b, msg, def] of cases) {
      expect(() => tree.map(pair, a, b)).toThrow(ValueError);
      expect(() => tree.map(pair, a, b)).toThrow(msg + fix(0, `PyTreeDef(${def})`));
    }
    expect(() => tree.map(pair, [1], [1], [1, 2])).toThrow(
      "List arity mismatch: 2 != 1; list: [1, 2]." + fix(1, "PyTreeDef([*])"),
    );
  });
  it("None in another tree at a leaf of the first is passed as a leaf", () => {
    expect(tree.map(pair, [1, 2], [null, 1])).toEqual([
      [1, null],
      [2, 1],
    ]);
  });
  it("registered nodes must match type and aux data", () => {
    class Box {
      constructor(
        readonly v: unknown,
        readonly tag: string,
      ) {}
    }
    class Other {}
    tree.registerPytreeNode(
      Box,
      (b: Box) => [[b.v], b.tag],
      (tag: string, [v]: unknown[]) => new Box(v, tag),
    );
    const out = tree.map(pair, new Box(1, "t"), new Box([1, 2], "t")) as unknown as Box;
    expect(out).toBeInstanceOf(Box);
    expect(out.v).toEqual([1, [1, 2]]);
    expect(() => tree.map(pair, new Box(1, "t"), new Other())).toThrow(
      "Custom node type mismatch; expected type: Box; value: <Other object>.",
    );
    expect(() => tree.map(pair, new Box(1, "t"), new Box(1, "u"))).toThrow(
      'Mismatch custom node data: "t" != "u"; value: <Box object>.',
    );
  });
});
