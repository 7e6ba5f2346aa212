/**
 * customJvp's `defjvp(rule, { symbolicZeros: true })`: the rule sees `SymbolicZero` (shape,
 * dtype, no value) for the tangent of each input not being differentiated (grad's argnums,
 * jvp's constants) and may return SymbolicZero output tangents; `symbolic_zeros=True` in the
 * staged params; derivatives against the analytic ones, also under vmap and jit.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  CustomVJPPrimal,
  SymbolicZero,
  customJvp,
  customVjp,
  customVjpPrimalTreeValues,
  grad,
  jit,
  makeJaxpr,
  numpy as jnp,
  vmap,
} from "../../src/index.js";

function makeF(seen: string[]) {
  const f = customJvp((x: Array | number, y: Array | number) => jnp.sin(x).mul(y));
  f.defjvp(
    (primals: [Array, Array], tangents: [Array | SymbolicZero, Array | SymbolicZero]) => {
      const [x, y] = primals;
      const [tx, ty] = tangents;
      seen.push(
        tangents
          .map((t) => (t instanceof SymbolicZero ? `Z${JSON.stringify(t.shape)}` : "T"))
          .join(""),
      );
      let out: Array | SymbolicZero = new SymbolicZero(x.aval);
      if (!(tx instanceof SymbolicZero)) out = jnp.cos(x).mul(tx).mul(y);
      if (!(ty instanceof SymbolicZero)) {
        const c = jnp.sin(x).mul(ty);
        out = out instanceof SymbolicZero ? c : out.add(c);
      }
      return [f(x, y), out];
    },
    { symbolicZeros: true },
  );
  return f;
}

describe("customJvp with symbolicZeros", () => {
  it("grad w.r.t. one argument passes a SymbolicZero for the other", () => {
    const seen: string[] = [];
    const f = makeF(seen);
    const x = 0.7;
    const y = 2.5;
    const gx = grad(f, { argnums: 0 })(x, y) as Array;
    const gy = grad(f, { argnums: 1 })(x, y) as Array;
    expect(Number(gx.item())).toBeCloseTo(Math.cos(x) * y, 5);
    expect(Number(gy.item())).toBeCloseTo(Math.sin(x), 5);
    expect(seen).toEqual(["TZ[]", "Z[]T"]);
    const both = grad(f, { argnums: [0, 1] })(x, y) as Array[];
    expect(seen[2]).toBe("TT");
    expect(Number(both[1]!.item())).toBeCloseTo(Math.sin(x), 5);
  });

  it("a rule returning only SymbolicZeros gives zero tangents; the params say symbolic_zeros=True", () => {
    const g = customJvp((x: Array | number) => jnp.multiply(x, 3));
    g.defjvp(
      (p: [Array], _t: [Array | SymbolicZero]) => [g(p[0]), SymbolicZero.fromPrimalValue(p[0])],
      {
        symbolicZeros: true,
      },
    );
    expect(Number((grad(g)(1.5) as Array).item())).toBe(0);
    expect(makeJaxpr(g)(1.5).toString()).toContain("symbolic_zeros=True");
    expect(makeJaxpr(makeF([]))(1.5, 2.5).toString()).toContain("symbolic_zeros=True");
  });

  it("vmap and jit of grad keep the pattern", () => {
    const seen: string[] = [];
    const f = makeF(seen);
    const xs = jnp.array([0.1, 0.2, 0.3], "float32");
    const g = vmap(grad(f, { argnums: 1 }), [0, null])(xs, 2.5) as Array;
    const want = [0.1, 0.2, 0.3].map(Math.sin);
    [...(g.toTypedArray() as Float32Array)].forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    const j = jit(grad(f))(jnp.array(0.5, "float32"), jnp.array(2, "float32")) as Array;
    expect(Number(j.item())).toBeCloseTo(Math.cos(0.5) * 2, 5);
    expect(seen.every((s) => s === "Z[]T" || s === "TZ[]")).toBe(true);
  });

  it("an unknown defjvp option is a TypeError", () => {
    const g = customJvp((x: Array) => x);
    expect(() =>
      g.defjvp((p: [Array], t: [Array]) => [p[0], t[0]], { symbolic_zeros: true } as never),
    ).toThrow(TypeError);
  });
});

describe("customVjp with symbolicZeros", () => {
  /** f(x, y) = x * y with fwd/bwd recording perturbed flags and symbolic-zero cotangents. */
  function makeG(log: string[]) {
    const g = customVjp((x: Array | number, y: Array | number) => jnp.multiply(x, y));
    g.defvjp(
      (x: CustomVJPPrimal, y: CustomVJPPrimal) => {
        log.push(`fwd ${x.perturbed} ${y.perturbed}`);
        return [jnp.multiply(x.value, y.value), [x.value, y.value]];
      },
      (res: [Array, Array], ct: Array | SymbolicZero) => {
        log.push(`bwd ${ct instanceof SymbolicZero ? "Z" : "T"}`);
        // Returns a SymbolicZero for y's cotangent: y's gradient is taken as zero here.
        return [jnp.multiply(ct as Array, res[1]), new SymbolicZero(res[1].aval)];
      },
      { symbolicZeros: true },
    );
    return g;
  }

  it("fwd sees which primals are perturbed; a SymbolicZero cotangent from bwd is zeros", () => {
    const log: string[] = [];
    const g = makeG(log);
    const gx = grad(g, { argnums: 0 })(1.5, 4) as Array;
    expect(Number(gx.item())).toBe(4);
    expect(log).toEqual(["fwd true false", "bwd T"]);
    const both = grad(g, { argnums: [0, 1] })(1.5, 4.5) as Array[];
    expect(Number(both[1]!.item())).toBe(0);
    expect(log.slice(2)).toEqual(["fwd true true", "bwd T"]);
    expect(makeJaxpr(g)(1.5, 4.5).toString()).toContain("symbolic_zeros=True");
  });

  it("customVjpPrimalTreeValues strips the records; vmap of grad keeps the flags", () => {
    const one = jnp.array(1);
    const v = customVjpPrimalTreeValues([new CustomVJPPrimal(one, false), { a: 2 }]) as unknown[];
    expect(v[0]).toBe(one);
    expect(v[1]).toEqual({ a: 2 });
    const log: string[] = [];
    const g = makeG(log);
    const xs = jnp.array([1, 2, 3], "float32");
    const gx = vmap(grad(g, { argnums: 0 }), [0, null])(xs, 2.5) as Array;
    expect([...(gx.toTypedArray() as Float32Array)]).toEqual([2.5, 2.5, 2.5]);
    expect(log).toContain("fwd true false");
  });

  it("bwd sees a SymbolicZero for an output whose cotangent is zero", () => {
    const log: string[] = [];
    const h = customVjp((x: Array | number) => [jnp.multiply(x, 2), jnp.multiply(x, 3)]);
    h.defvjp(
      (x: CustomVJPPrimal) => [[jnp.multiply(x.value, 2), jnp.multiply(x.value, 3)], []],
      (_res: [], cts: [Array | SymbolicZero, Array | SymbolicZero]) => {
        log.push(cts.map((c) => (c instanceof SymbolicZero ? "Z" : "T")).join(""));
        let g: Array | number = 0;
        if (!(cts[0] instanceof SymbolicZero)) g = jnp.multiply(cts[0], 2);
        if (!(cts[1] instanceof SymbolicZero)) g = jnp.add(g, jnp.multiply(cts[1], 3));
        return [g];
      },
      { symbolicZeros: true },
    );
    expect(Number((grad((x: Array | number) => (h(x) as Array[])[0]!)(1.5) as Array).item())).toBe(
      2,
    );
    expect(Number((grad((x: Array | number) => (h(x) as Array[])[1]!)(1.5) as Array).item())).toBe(
      3,
    );
    expect(log).toEqual(["TZ", "ZT"]);
  });
});
