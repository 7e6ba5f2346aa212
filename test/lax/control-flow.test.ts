import { describe, expect, it } from "vitest";
import { type Array, float, grad, jit, lax, makeJaxpr, numpy as jnp } from "../../src/index.js";

describe("control flow", () => {
  it("stages cond with both branches as JAX prints it", () => {
    const f = (x: Array) =>
      lax.cond(
        x.gt(0),
        (y: Array) => jnp.sin(y),
        (y: Array) => y.neg(),
        x,
      );
    expect(makeJaxpr(f)(float(1)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:bool[] = gt a 0.0",
        "    c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b",
        "    d:f32[] = cond[",
        "      branches=(",
        "        { lambda ; e:f32[]. let f:f32[] = neg e in (f,) }",
        "        { lambda ; g:f32[]. let h:f32[] = sin g in (h,) }",
        "      )",
        "    ] c a",
        "  in (d,) }",
      ].join("\n"),
    );
    expect(jit(f)(float(1)).item()).toBeCloseTo(Math.sin(1), 6);
    expect(jit(f)(float(-2)).item()).toBe(2);
    expect(f(float(-2)).item()).toBe(2);
  });

  it("switch clamps the index and passes closed-over arrays as operands", () => {
    const w = jnp.array([1, 2, 3], "float32");
    const branches = [(x: Array) => x.add(w), (x: Array) => x.mul(w), (x: Array) => x.sub(w)];
    const f = jit((i: Array, x: Array) => lax.switch(i, branches, x));
    const x = jnp.ones([3]);
    expect(f(jnp.int32(0), x).tolist()).toEqual([2, 3, 4]);
    expect(f(jnp.int32(1), x).tolist()).toEqual([1, 2, 3]);
    expect(f(jnp.int32(7), x).tolist()).toEqual([0, -1, -2]);
    expect(f(jnp.int32(-3), x).tolist()).toEqual([2, 3, 4]);
  });

  it("while loops carry pytrees and compile into the program", () => {
    const fib = jit((n: Array) =>
      lax.whileLoop(
        (s: { i: Array; a: Array; b: Array }) => s.i.lt(n),
        (s: { i: Array; a: Array; b: Array }) => ({ i: s.i.add(1), a: s.b, b: s.a.add(s.b) }),
        { i: jnp.int32(0), a: jnp.int32(0), b: jnp.int32(1) },
      ),
    );
    const r = fib(jnp.int32(20)) as { a: Array };
    expect(r.a.item()).toBe(6765);
    // The wasm device drives the loop; its cond and body are compiled kernels.
    expect(fib.lower(jnp.int32(20)).asText()).toMatch(
      /kernel \d+: while loop driven by the runtime: cond \[k\d+\], predicate b\d+, body \[k\d+(, k\d+)*\]/,
    );
  });

  it("fori_loop sums, with a traced trip count", () => {
    const f = jit((n: Array) =>
      lax.foriLoop(0, n, (i: Array, acc: Array) => acc.add(i), jnp.int32(0)),
    );
    expect(f(jnp.int32(100)).item()).toBe(4950);
    expect(f(jnp.int32(0)).item()).toBe(0);
  });

  it("nests cond inside while (Collatz steps)", () => {
    const steps = jit((n: Array) => {
      const [, count] = lax.whileLoop(
        ([v]: [Array, Array]) => v.gt(1),
        ([v, c]: [Array, Array]) => [
          lax.cond(
            v.mod(2).eq(0),
            (u: Array) => u.floorDiv(2),
            (u: Array) => u.mul(3).add(1),
            v,
          ),
          c.add(1),
        ],
        [n, jnp.int32(0)],
      ) as [Array, Array];
      return count;
    });
    expect(steps(jnp.int32(27)).item()).toBe(111);
  });

  it("raises clear errors for mismatched branches and bodies", () => {
    expect(() =>
      lax.cond(
        true,
        (x: Array) => x,
        (x: Array) => x.astype("int32"),
        jnp.ones([2]),
      ),
    ).toThrow(/branches of cond must have identical output types/);
    expect(() =>
      lax.cond(
        jnp.ones([2]),
        (x: Array) => x,
        (x: Array) => x,
        jnp.ones([2]),
      ),
    ).toThrow(/Pred must be a scalar/);
    expect(() =>
      lax.whileLoop(
        (x: Array) => x.lt(3),
        (x: Array) => x.astype("float32"),
        jnp.int32(0),
      ),
    ).toThrow(/body_fun output and input must have identical types/);
    expect(() =>
      lax.whileLoop(
        (x: Array) => x,
        (x: Array) => x,
        jnp.int32(0),
      ),
    ).toThrow(/cond_fun must return a boolean scalar/);
  });

  it("scan stages JAX's scan and compiles carries and stacked outputs", () => {
    const cumsum = (xs: Array) =>
      lax.scan(
        (c: Array, x: Array) => {
          const n = c.add(x);
          return [n, n];
        },
        jnp.float32(0),
        xs,
      );
    expect(makeJaxpr(cumsum)(jnp.arange(3).astype("float32")).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[] c:f32[3] = scan[",
        "      _split_transpose=False",
        "      jaxpr={ lambda ; d:f32[] e:f32[]. let f:f32[] = add d e in (f, f) }",
        "      length=3",
        "      linear=(False, False)",
        "      num_carry=1",
        "      num_consts=0",
        "      reverse=False",
        "      unroll=1",
        "    ] 0.0 a",
        "  in (b, c) }",
      ].join("\n"),
    );
    const [c, ys] = jit(cumsum)(jnp.arange(5).astype("float32")) as [Array, Array];
    expect([c.item(), ys.tolist()]).toEqual([10, [0, 1, 3, 6, 10]]);
    const rev = jit((xs: Array) =>
      lax.scan((c: Array, x: Array) => [c.mul(2).add(x), c], jnp.float32(0), xs, { reverse: true }),
    );
    const [rc, rys] = rev(jnp.ones([4])) as [Array, Array];
    expect([rc.item(), rys.tolist()]).toEqual([15, [7, 3, 1, 0]]);
  });

  it("scan over pytrees with closed-over weights (an RNN) equals a JS loop", () => {
    const w = jnp.array(
      [
        [0.5, -0.25],
        [0.125, 0.75],
      ],
      "float32",
    );
    const step = (h: Array, x: { a: Array; b: Array }): [Array, Array] => {
      const h2 = jnp.tanh(jnp.matmul(w, h).add(x.a).sub(x.b));
      return [h2, h2.sum()];
    };
    const xs = { a: jnp.linspace(0, 1, 6).reshape(3, 2), b: jnp.ones([3, 2]).mul(0.5) };
    const [h, ys] = jit((h0: Array) => lax.scan(step, h0, xs))(jnp.zeros([2])) as [Array, Array];
    let hRef = jnp.zeros([2]);
    const ysRef: number[] = [];
    for (let t = 0; t < 3; t++) {
      const [hn, y] = step(hRef, { a: xs.a.get(t), b: xs.b.get(t) });
      hRef = hn;
      ysRef.push(y.item() as number);
    }
    (h.tolist() as number[]).forEach((v, i) =>
      expect(v).toBeCloseTo((hRef.tolist() as number[])[i]!, 6),
    );
    (ys.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(ysRef[i]!, 6));
  });

  it("scan rejects mismatched lengths", () => {
    expect(() =>
      lax.scan((c: Array, x: Array) => [c, x], jnp.float32(0), [
        jnp.ones([3]),
        jnp.ones([4]),
      ] as never),
    ).toThrow(/different leading axis sizes/);
  });

  it("fori_loop with a static trip count stages scan, so reverse mode works", () => {
    const f = (x: Array) =>
      lax.foriLoop(0, 3, (i: Array, acc: Array) => acc.mul(x).add(i), float(1));
    expect(makeJaxpr(f)(float(2)).toString()).toContain("scan[");
    expect(jit(f)(float(2)).item()).toBe(12);
    expect((grad(f)(float(2)) as Array).item()).toBe(13);
  });
});
