/**
 * Dot epilogues (fuse-epilogues.ts): elementwise consumers of a dot's product folded into the
 * dot kernel. Each case checks three things:
 *  - the fusion happened as described (a dot kernel with an epilogue; the raw product stored
 *    only when something else reads it);
 *  - the JS codegen of the fused program equals the JS codegen of the unfused program
 *    exactly (the epilogue reads the accumulator rounded to float32, as a store would);
 *  - the wasm codegen (register epilogue, edge tiles through scratch, split depth blocks)
 *    equals the JS codegen within the dot tolerance of codegen-dot.test.ts
 *    (rtol 1e-5 + atol 1e-6·k; transcendental epilogues add their ulp bound).
 */
import { describe, expect, it } from "vitest";
import type { TypedArray } from "../../../../src/core/dtype.js";
import type { DotKernel, Program } from "../../../../src/kernel/kernel.js";
import { loweringOptions } from "../../../../src/lower/lower.js";
import { type Array, nn, numpy as jnp } from "../../../../src/index.js";
import { type Built, build, check, runJs } from "./codegen-harness.js";
import { useRelaxedSimd } from "../../../../src/backend/wasm/runtime/features.js";
import { floatArray as F } from "./codegen-values.js";

const everyUnit = (t: number) => globalThis.Array.from({ length: t }, (_, i) => i);

function unfused(f: (...a: Array[]) => Array | Array[], args: Array[]): Built {
  loweringOptions.dotEpilogues = false;
  try {
    return build(f, ...args);
  } finally {
    loweringOptions.dotEpilogues = true;
  }
}

/** The program's outputs, in order. */
function outputs(p: Program, bufs: TypedArray[]): TypedArray[] {
  return p.outputs.map((o) => {
    if (o.kind !== "buffer") throw new Error("expected buffer outputs");
    return bufs[o.buffer]!;
  });
}

function dots(p: Program): DotKernel[] {
  return p.kernels.filter((k): k is DotKernel => k.kind === "dot");
}

interface Expect {
  /** Whether the raw product is still stored (something else reads it). */
  readonly keepsProduct: boolean;
  readonly k: number;
  readonly ulp?: number;
}

function expectEpilogue(f: (...a: Array[]) => Array | Array[], args: Array[], e: Expect) {
  const b = build(f, ...args);
  const ds = dots(b.program);
  expect(ds.length).toBe(1);
  const d = ds[0]!;
  expect(d.epilogue).toBeDefined();
  expect(d.out !== undefined).toBe(e.keepsProduct);
  // fused vs unfused, both on the JS codegen: exactly equal
  const u = unfused(f, args);
  expect(dots(u.program).every((k) => k.epilogue === undefined)).toBe(true);
  const want = outputs(u.program, runJs(u));
  const got = outputs(b.program, runJs(b));
  expect(got.length).toBe(want.length);
  const list = (t: TypedArray) => globalThis.Array.from(t as ArrayLike<number | bigint>);
  got.forEach((g, i) => expect(list(g)).toEqual(list(want[i]!)));
  // wasm vs JS, the epilogue compiled (not a fallback); also with fused multiply-adds
  if (useRelaxedSimd()) {
    const rr = check(
      b,
      { rtol: 1e-5, atol: 1e-6 * Math.max(1, e.k), ulp: e.ulp ?? 0 },
      { split: everyUnit, relaxedSimd: true },
    );
    expect(rr.error).toBeUndefined();
  }
  const r = check(
    b,
    { rtol: 1e-5, atol: 1e-6 * Math.max(1, e.k), ulp: e.ulp ?? 0 },
    {
      split: everyUnit,
    },
  );
  expect(r.error).toBeUndefined();
  const di = b.program.kernels.indexOf(d);
  expect(r.run.compiled.fallback.includes(di)).toBe(false);
  expect(r.run.compiled.text).toContain("epilogue");
  return b;
}

const mm = (a: Array, b: Array) => jnp.matmul(a, b);

describe("dot epilogues", () => {
  it("relu(x·w + b): bias along the columns, product not stored", () => {
    const [m, k, n] = [13, 11, 19];
    const b = expectEpilogue(
      (x, w, bias) => nn.relu(mm(x, w).add(bias)),
      [F([m, k]), F([k, n], 2), F([n], 3)],
      {
        keepsProduct: false,
        k,
      },
    );
    expect(b.program.kernels.length).toBe(1);
  });
  it("bias along the rows, and a second operand of the output's shape", () => {
    const [m, k, n] = [9, 7, 10];
    expectEpilogue(
      (x, w, r, y) =>
        mm(x, w)
          .mul(r.reshape([m, 1]))
          .sub(y),
      [F([m, k]), F([k, n], 2), F([m], 3), F([m, n], 4)],
      { keepsProduct: false, k },
    );
  });
  it("the product is also an output: stored and consumed from the same registers", () => {
    const [m, k, n] = [16, 5, 8];
    expectEpilogue(
      (x, w, bias) => {
        const z = mm(x, w);
        return [z, jnp.maximum(z.add(bias), 0)];
      },
      [F([m, k]), F([k, n], 2), F([n], 3)],
      { keepsProduct: true, k },
    );
  });
  it("full tiles only, edge tiles only, and 1×1", () => {
    for (const [m, k, n] of [
      [8, 4, 16],
      [3, 4, 5],
      [1, 1, 1],
      [17, 9, 33],
    ] as const)
      expectEpilogue((x, w) => mm(x, w).mul(2).add(1), [F([m, k]), F([k, n], 2)], {
        keepsProduct: false,
        k,
      });
  });
  it("depth past one block (k > KC): partial sums, then the epilogue on the last block", () => {
    const [m, k, n] = [70, 600, 21];
    expectEpilogue(
      (x, w, bias) => nn.relu(mm(x, w).add(bias)),
      [F([m, k]), F([k, n], 2), F([n], 3)],
      {
        keepsProduct: false,
        k,
      },
    );
  });
  it("batch dimensions: a per-batch bias", () => {
    const [p, m, k, n] = [3, 6, 5, 7];
    expectEpilogue(
      (x, w, bias) => mm(x, w).add(bias.reshape([p, 1, n])),
      [F([p, m, k]), F([p, k, n], 2), F([p, n], 3)],
      { keepsProduct: false, k },
    );
  });
  it("transcendental and dtype-changing epilogues", () => {
    const [m, k, n] = [10, 6, 12];
    expectEpilogue((x, w) => jnp.tanh(mm(x, w)), [F([m, k]), F([k, n], 2)], {
      keepsProduct: false,
      k,
      ulp: 2,
    });
    expectEpilogue((x, w) => mm(x, w).gt(0), [F([m, k]), F([k, n], 2)], {
      keepsProduct: false,
      k,
    });
  });
  it("k = 0: the epilogue sees a zero product", () => {
    expectEpilogue((x, w, bias) => mm(x, w).add(bias), [F([4, 0]), F([0, 6], 2), F([6], 3)], {
      keepsProduct: false,
      k: 1,
    });
  });
  it("not fused: a consumer that reads the product at other elements (a row sum)", () => {
    const b = build((x, w) => jnp.sum(mm(x, w), { axis: 1 }).add(1), F([5, 4]), F([4, 6], 2));
    expect(dots(b.program)[0]!.epilogue).toBeUndefined();
    expect(check(b, { rtol: 1e-5, atol: 4e-6 }).error).toBeUndefined();
  });
});
