/**
 * jax.tree / jax.tree_util names beyond map/flatten: key paths, reductions, broadcast,
 * transpose, registration helpers and Partial. Expected values are those of JAX's docstring
 * examples (jax/_src/tree.py, tree_util.py at jax-v0.11.0), with JS arrays for tuples.
 */
import { describe, expect, it } from "vitest";
import {
  Array as JaxArray,
  jit,
  numpy as jnp,
  tree,
  treeUtil,
  ValueError,
} from "../../src/index.js";

const strs = (paths: [unknown[], unknown][]): string[] => paths.map(([p]) => treeUtil.keystr(p));

describe("key paths", () => {
  const t = { foo: { bar: { bat: [1, 2], baz: 3 } } };
  it("leavesWithPath and keystr, as JAX's keystr example", () => {
    const pairs = tree.leavesWithPath(t);
    expect(strs(pairs)).toEqual([
      "['foo']['bar']['bat'][0]",
      "['foo']['bar']['bat'][1]",
      "['foo']['bar']['baz']",
    ]);
    expect(pairs.map(([p]) => treeUtil.keystr(p, { simple: true, separator: "/" }))).toEqual([
      "foo/bar/bat/0",
      "foo/bar/bat/1",
      "foo/bar/baz",
    ]);
    expect(pairs.map(([, x]) => x)).toEqual([1, 2, 3]);
    const [k0] = pairs[0]![0] as unknown[];
    expect(k0).toBeInstanceOf(treeUtil.DictKey);
  });
  it("flattenWithPath gives flatten's structure; isLeaf stops the walk", () => {
    const [pairs, def] = tree.flattenWithPath([1, { k: [2, 3] }]);
    expect(def.toString()).toBe(tree.structure([1, { k: [2, 3] }]).toString());
    expect(strs(pairs)).toEqual(["[0]", "[1]['k'][0]", "[1]['k'][1]"]);
    const stopped = tree.leavesWithPath(
      [1, { k: [2, 3] }],
      (x) => Array.isArray(x) && x.length === 2 && x[0] === 2,
    );
    expect(strs(stopped)).toEqual(["[0]", "[1]['k']"]);
  });
  it("mapWithPath passes the path first, then the leaves of every tree", () => {
    const out = tree.mapWithPath(
      (p, x: number, y: number) => `${treeUtil.keystr(p)}=${x + y}`,
      { a: 1, b: [2] },
      { a: 10, b: [20] },
    );
    expect(out).toEqual({ a: "['a']=11", b: ["['b'][0]=22"] });
  });
  it("registered classes: keyed children, or flattened indices", () => {
    class Pair {
      constructor(
        readonly x: unknown,
        readonly y: unknown,
      ) {}
    }
    treeUtil.registerPytreeWithKeys(
      Pair,
      (p) => [
        [
          [new treeUtil.GetAttrKey("x"), p.x],
          [new treeUtil.GetAttrKey("y"), p.y],
        ],
        null,
      ],
      (_aux, [x, y]) => new Pair(x, y),
    );
    class Box {
      constructor(readonly v: unknown) {}
    }
    tree.registerPytreeNode(
      Box,
      (b) => [[b.v], null],
      (_a, [v]) => new Box(v),
    );
    expect(strs(tree.leavesWithPath([new Pair(1, new Box(2))]))).toEqual([
      "[0].x",
      "[0].y[<flat index 0>]",
    ]);
    expect(tree.leaves(new Pair(1, 2))).toEqual([1, 2]);
    expect(treeUtil.flattenOneLevelWithKeys(new Pair(1, 2))[0].map(([k]) => String(k))).toEqual([
      ".x",
      ".y",
    ]);
  });
  it("flattenOneLevel: children and aux; a leaf raises ValueError", () => {
    expect(treeUtil.flattenOneLevel({ a: 1, b: { c: 3 } })).toEqual([
      [1, { c: 3 }],
      ["a", "b"],
    ]);
    expect(treeUtil.flattenOneLevel([1, 2])).toEqual([[1, 2], null]);
    expect(() => treeUtil.flattenOneLevel(1)).toThrow(ValueError);
    expect(() => treeUtil.flattenOneLevel(1)).toThrow("can't tree-flatten type: <class 'number'>");
  });
});

describe("reductions", () => {
  it("all, with numpy's truth value for arrays", () => {
    expect(tree.all([true, { a: 1 }])).toBe(true);
    expect(tree.all([true, { a: 0 }])).toBe(false);
    expect(tree.all([])).toBe(true);
    expect(tree.all([jnp.array(true), jnp.array([1])])).toBe(true);
    expect(() => tree.all([jnp.array([1, 1])])).toThrow(/more than one element is ambiguous/);
  });
  it("reduce folds left; an empty tree needs an initializer", () => {
    expect(tree.reduce((a: number, b: number) => a + b, [1, [2, 3], { x: 4 }])).toBe(10);
    expect(tree.reduce((a: string, b: string) => a + b, ["a", ["b", "c"]], ">")).toBe(">abc");
    expect(() => tree.reduce((a: number, b: number) => a + b, [])).toThrow(TypeError);
    expect(tree.reduce((a: number, b: number) => a + b, [], 7)).toBe(7);
  });
  it("reduceAssociative: JAX's example gives 21, pairing in a balanced tree", () => {
    expect(tree.reduceAssociative((a: number, b: number) => a + b, [1, [2, 3], [4, 5, 6]])).toBe(
      21,
    );
    const order = tree.reduceAssociative(
      (a: string, b: string) => `(${a}${b})`,
      ["a", "b", "c", "d", "e"],
    );
    expect(order).toBe("(((ab)(cd))e)");
    expect(() => tree.reduceAssociative((a: number, b: number) => a + b, [])).toThrow(ValueError);
    expect(tree.reduceAssociative((a: number, b: number) => a + b, [], { identity: 0 })).toBe(0);
  });
});

describe("broadcast and transpose", () => {
  it("broadcast repeats prefix leaves over the full tree (JAX's example)", () => {
    expect(tree.broadcast([1, 2, 3], [0, { a: 0, b: 0 }, [0, 0]])).toEqual([
      1,
      { a: 2, b: 2 },
      [3, 3],
    ]);
    expect(() => tree.broadcast([1, 2], [0, 0, 0])).toThrow(ValueError);
  });
  it("transpose swaps outer and inner structure (JAX's example), inferring inner", () => {
    const t = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const inner = tree.structure(["*", "*", "*"]);
    const outer = tree.structure(["*", "*"]);
    expect(tree.transpose(outer, inner, t)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(tree.transpose(outer, null, t)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(
      tree.transpose(tree.structure({ a: 0, b: 0 }), null, {
        a: { x: 1, y: 2 },
        b: { x: 3, y: 4 },
      }),
    ).toEqual({
      x: { a: 1, b: 3 },
      y: { a: 2, b: 4 },
    });
    expect(() => tree.transpose(outer, tree.structure([0, 0]), t)).toThrow(
      "Mismatch\nPyTreeDef([[*, *, *], [*, *, *]])\n != \nPyTreeDef([[*, *], [*, *]])",
    );
  });
});

describe("tree_util structure helpers", () => {
  it("treedef children, leaf test, tuple", () => {
    const def = tree.structure([[1, 2], 3, { a: 4 }]);
    expect(treeUtil.treedefChildren(def).map(String)).toEqual([
      "PyTreeDef([*, *])",
      "PyTreeDef(*)",
      "PyTreeDef({'a': *})",
    ]);
    expect(treeUtil.treedefTuple(treeUtil.treedefChildren(def)).toString()).toBe(def.toString());
    expect(treeUtil.treedefIsLeaf(tree.structure(1))).toBe(true);
    expect(treeUtil.treedefIsLeaf(tree.structure(null))).toBe(true);
    expect(treeUtil.treedefIsLeaf(tree.structure([1]))).toBe(false);
  });
  it("allLeaves and isTreeNode", () => {
    expect(treeUtil.allLeaves([1, 2, jnp.ones([2])])).toBe(true);
    expect(treeUtil.allLeaves([1, [2]])).toBe(false);
    expect(treeUtil.allLeaves([1, [2]], (x) => Array.isArray(x) && x.length === 1)).toBe(true);
    // isLeaf sees the list itself first, as JAX's: a list-is-leaf predicate makes it one leaf.
    expect(treeUtil.allLeaves([1, [2]], (x) => Array.isArray(x))).toBe(false);
    class Unregistered {}
    expect(treeUtil.isTreeNode(Array)).toBe(true);
    expect(treeUtil.isTreeNode(Object)).toBe(true);
    expect(treeUtil.isTreeNode(Unregistered)).toBe(false);
    expect(treeUtil.isTreeNode(treeUtil.Partial)).toBe(true);
  });
  it("the legacy tree_* names are the jax.tree functions", () => {
    expect(treeUtil.treeMap((x: number) => x * 2, [1, { a: 2 }])).toEqual([2, { a: 4 }]);
    expect(treeUtil.treeLeaves([1, [2]])).toEqual([1, 2]);
    expect(treeUtil.treeAll([1, 1])).toBe(true);
    expect(treeUtil.treeReduce((a: number, b: number) => a * b, [2, 3])).toBe(6);
    expect(strs(treeUtil.treeLeavesWithPath([5]))).toEqual(["[0]"]);
  });
});

describe("registration helpers", () => {
  it("registerPytreeNodeClass uses treeFlatten / static treeUnflatten", () => {
    class Special {
      constructor(
        readonly x: unknown,
        readonly y: unknown,
      ) {}
      treeFlatten(): [unknown[], unknown] {
        return [[this.x, this.y], null];
      }
      static treeUnflatten(_aux: unknown, [x, y]: unknown[]): Special {
        return new Special(x, y);
      }
    }
    expect(treeUtil.registerPytreeNodeClass(Special)).toBe(Special);
    const out = tree.map(
      (v) => (v as number) + 1,
      new Special(1, 2) as unknown,
    ) as unknown as Special;
    expect(out).toBeInstanceOf(Special);
    expect([out.x, out.y]).toEqual([2, 3]);
  });
  it("registerStatic: no leaves, the instance is the structure", () => {
    class Cfg {
      constructor(readonly mode: string) {}
    }
    treeUtil.registerStatic(Cfg);
    const c = new Cfg("fast");
    const [leaves, def] = tree.flatten([c, 1]);
    expect(leaves).toEqual([1]);
    expect((tree.unflatten(def, [2]) as unknown[])[0]).toBe(c);
  });
  it("registerDataclass: data fields are leaves, meta fields aux", () => {
    class MyOp {
      constructor(
        readonly x: unknown,
        readonly y: unknown,
        readonly op = "add",
      ) {}
    }
    treeUtil.registerDataclass(MyOp, ["x", "y"], ["op"]);
    const m = new MyOp(jnp.ones([3]), jnp.arange(3));
    const [leaves, def] = tree.flatten(m);
    expect(leaves).toHaveLength(2);
    expect(def.toString()).toBe('PyTreeDef(CustomNode(MyOp[["add"]], [*, *]))');
    const back = tree.unflatten(def, [1, 2]) as MyOp;
    expect(back).toBeInstanceOf(MyOp);
    expect([back.x, back.y, back.op]).toEqual([1, 2, "add"]);
    expect(() => treeUtil.registerDataclass(MyOp)).toThrow(/pass dataFields and metaFields/);
    expect(() => treeUtil.registerDataclass(MyOp, ["x"], ["x"])).toThrow(ValueError);
  });
  it("Partial: callable, its bound arguments are leaves, and it crosses jit", () => {
    const add = (a: JaxArray, b: JaxArray): JaxArray => a.add(b);
    const p = new treeUtil.Partial(add, jnp.array([1, 2]));
    expect(p).toBeInstanceOf(treeUtil.Partial);
    expect(typeof p).toBe("function");
    expect((p(jnp.array([10, 20])) as JaxArray).tolist()).toEqual([11, 22]);
    expect(tree.leaves(p)).toHaveLength(1);
    const call = jit((f: treeUtil.Partial, x: JaxArray) => f(x) as JaxArray);
    expect(call(p, jnp.array([1, 1])).tolist()).toEqual([2, 3]);
    const q = new treeUtil.Partial(add, jnp.array([5, 5]));
    expect(call(q, jnp.array([1, 1])).tolist()).toEqual([6, 6]); // same trace, new leaves
    expect(() => new treeUtil.Partial(3 as never)).toThrow(TypeError);
  });
});
