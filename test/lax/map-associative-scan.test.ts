/**
 * lax.map (batchSize), lax.associativeScan (reverse, axis, pytrees, non-commutative ops) against
 * sequential loops, and scan/foriLoop `unroll` applied in the kernel program (values unchanged
 * on js and wasm).
 */
import { describe, expect, it } from "vitest";
import { type Array, ValueError, jit, lax, makeJaxpr, numpy as jnp } from "../../src/index.js";
import { floats, on } from "../backend/differential-helpers.js";

const add = (a: Array, b: Array) => a.add(b);

describe("lax.associativeScan", () => {
  it("equals the sequential prefix sum for every length 1..9 (exact on integers), reverse too", () => {
    for (let n = 1; n <= 9; n++) {
      const xs = globalThis.Array.from({ length: n }, (_, i) => (i * 7) % 5);
      const fwd = xs.map((_, i) => xs.slice(0, i + 1).reduce((s, v) => s + v, 0));
      const bwd = xs.map((_, i) => xs.slice(i).reduce((s, v) => s + v, 0));
      const x = jnp.array(xs, "float32");
      expect(lax.associativeScan(add, x).tolist()).toEqual(fwd);
      expect(lax.associativeScan(add, x, { reverse: true }).tolist()).toEqual(bwd);
      expect(jit((v: Array) => lax.associativeScan(add, v))(x).tolist()).toEqual(fwd);
    }
  });

  it("scans along axis 1", () => {
    const x = jnp.arange(12).reshape([3, 4]);
    expect(lax.associativeScan(jnp.maximum, x.mul(-1).add(5), { axis: 1 }).tolist()).toEqual([
      [5, 5, 5, 5],
      [1, 1, 1, 1],
      [-3, -3, -3, -3],
    ]);
    expect(lax.associativeScan(add, x, { axis: -1 }).tolist()).toEqual([
      [0, 1, 3, 6],
      [4, 9, 15, 22],
      [8, 17, 27, 38],
    ]);
  });

  it("composes a non-commutative pytree op in order (linear recurrence h = a·h + b)", () => {
    const n = 11;
    const a = floats([n], 1, 0.5, 1.2);
    const b = floats([n], 2);
    const compose = (p: [Array, Array], q: [Array, Array]): [Array, Array] => [
      p[0].mul(q[0]),
      q[0].mul(p[1]).add(q[1]),
    ];
    const [, hs] = lax.associativeScan(compose, [a, b]) as [Array, Array];
    const av = a.tolist() as number[];
    const bv = b.tolist() as number[];
    let h = 0;
    const ref = av.map((ai, i) => (h = ai * h + bv[i]!));
    (hs.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 4));
  });

  it("rejects elems of different lengths", () => {
    expect(() =>
      lax.associativeScan(
        (p: Array[], q: Array[]) => [add(p[0]!, q[0]!), add(p[1]!, q[1]!)],
        [jnp.ones([3]), jnp.ones([4])],
      ),
    ).toThrow(ValueError);
    expect(() =>
      lax.associativeScan(
        (p: Array[], q: Array[]) => [add(p[0]!, q[0]!), add(p[1]!, q[1]!)],
        [jnp.ones([3]), jnp.ones([4])],
      ),
    ).toThrow(/must have the same first dimension/);
  });
});

describe("lax.map", () => {
  const f = (r: Array) => r.mul(r).sum();
  const xs = jnp.arange(14).reshape([7, 2]).astype("float32");
  const ref = [1, 13, 41, 85, 145, 221, 313];

  it("maps over the leading axis as a scan (JAX's jaxpr)", () => {
    expect((lax.map(f, xs) as Array).tolist()).toEqual(ref);
    expect(makeJaxpr((v: Array) => lax.map(f, v))(jnp.ones([3, 2])).toString()).toBe(
      [
        "{ lambda ; a:f32[3,2]. let",
        "    b:f32[3] = scan[",
        "      _split_transpose=False",
        "      jaxpr={ lambda ; c:f32[2]. let",
        "          d:f32[2] = mul c c",
        "          e:f32[] = reduce_sum[axes=(0,)] d",
        "        in (e,) }",
        "      length=3",
        "      linear=(False,)",
        "      num_carry=0",
        "      num_consts=0",
        "      reverse=False",
        "      unroll=1",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("batchSize: scans over vmapped batches plus a vmapped remainder", () => {
    for (const batchSize of [1, 2, 3, 7, 10]) {
      expect((lax.map(f, xs, { batchSize }) as Array).tolist()).toEqual(ref);
      expect(jit((v: Array) => lax.map(f, v, { batchSize }))(xs).tolist()).toEqual(ref);
    }
    const text = makeJaxpr((v: Array) => lax.map(f, v, { batchSize: 3 }))(xs).toString();
    expect(text).toContain("length=2"); // two batches of 3, then a remainder of 1
    expect(text).toContain("concatenate[dimension=0]");
    expect(() => lax.map(f, xs, { batchSize: 0 })).toThrow(ValueError);
  });
});

describe("scan / foriLoop unroll", () => {
  const body = (c: Array, x: Array): [Array, Array] => [c.mul(0.5).add(x), c.mul(x)];
  const xs = floats([7], 3);
  const run = (unroll: number | boolean, reverse = false) =>
    jit((v: Array) => lax.scan(body, jnp.float32(0), v, { unroll, reverse }));

  for (const device of ["js", "wasm"]) {
    it(`gives the same values for every unroll (${device})`, () => {
      on(device, () => {
        for (const reverse of [false, true]) {
          const [c1, y1] = run(1, reverse)(xs) as [Array, Array];
          for (const u of [2, 3, 7, 8, true]) {
            const [c, y] = run(u, reverse)(xs) as [Array, Array];
            expect(c.item()).toBe(c1.item());
            expect(y.tolist()).toEqual(y1.tolist());
          }
        }
      });
    });
  }

  it("puts `unroll` iterations in the loop body and the remainder after it", () => {
    const counterSteps = (u: number | boolean) => {
      const text = run(u).lower(xs).asText().split("# device")[0]!;
      const whileAt = text.indexOf("while:");
      const inBody = (text.slice(whileAt).match(/= 1 \+ b/g) ?? []).length;
      return { total: (text.match(/= 1 \+ b/g) ?? []).length, loop: whileAt >= 0, inBody };
    };
    expect(counterSteps(1)).toEqual({ total: 1, loop: true, inBody: 1 });
    expect(counterSteps(3).total).toBe(4); // 3 in the body (2 trips), 1 after
    expect(counterSteps(true)).toEqual({ total: 7, loop: true, inBody: 7 });
    expect(() => run(0)(xs)).toThrow("`unroll` must be a `bool` or a positive `int`.");
  });

  it("foriLoop passes unroll to its scan; traced bounds reject it", () => {
    const f = (v: Array) => lax.foriLoop(0, 5, (i: Array, a: Array) => a.add(i), v, { unroll: 2 });
    expect(jit(f)(jnp.float32(1)).item()).toBe(11);
    expect(makeJaxpr(f)(jnp.float32(1)).toString()).toContain("unroll=2");
    expect(() =>
      jit((n: Array) =>
        lax.foriLoop(0, n, (i: Array, a: Array) => a.add(i), jnp.int32(0), { unroll: 2 }),
      )(jnp.int32(3)),
    ).toThrow("Can only use `unroll` in `fori_loop` if the loop bounds are statically known.");
  });
});
