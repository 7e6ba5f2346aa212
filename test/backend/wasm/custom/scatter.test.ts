/**
 * The wasm device's compiled scatters (custom-scatter.ts) against the js device, bit for bit:
 * scatter, scatter-add/mul/min/max of float32/int32/uint32 rows (embedding-gradient shape),
 * single elements, 2-D index vectors and windows of trailing operand dims; repeated indices
 * (so the order of float sums counts), out-of-bounds starts dropped (FILL_OR_DROP) or clamped
 * (CLIP); `.at[].add` through numpy indexing; jit and eager; operands split across threads.
 */
import { describe, it } from "vitest";
import { type Array, config, lax, numpy as jnp } from "../../../../src/index.js";
import { getDevice } from "../../../../src/runtime/devices.js";
import type { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";
import { agree, data, expectCompiled, rng, withThreads } from "./helpers.js";

withThreads();

const SDN = lax.ScatterDimensionNumbers;
const FNS = ["scatter", "scatterAdd", "scatterMul", "scatterMin", "scatterMax"] as const;

/** int32 indices of shape [n, k] in [lo, hi) (repeats when n > hi - lo). */
function indices(n: number, k: number, lo: number, hi: number, seed: number): Array {
  const r = rng(seed);
  const v = new Int32Array(n * k).map(() => lo + Math.floor(r() * (hi - lo)));
  return jnp.array(v).reshape([n, k]);
}

interface Form {
  name: string;
  operand: number[];
  window: number[];
  dn: ReturnType<typeof SDN.of>;
  k: number;
}

const rows = (operand: number[]): Form => ({
  name: `rows of (${operand})`,
  operand,
  window: operand.slice(1),
  dn: SDN.of({
    update_window_dims: operand.slice(1).map((_, j) => j + 1),
    inserted_window_dims: [0],
    scatter_dims_to_operand_dims: [0],
  }),
  k: 1,
});
const FORMS: Form[] = [
  rows([7, 5]),
  rows([9]),
  rows([3, 4, 6]),
  rows([40, 16]),
  {
    name: "2-D index into (6, 5, 3)",
    operand: [6, 5, 3],
    window: [3],
    dn: SDN.of({
      update_window_dims: [1],
      inserted_window_dims: [0, 1],
      scatter_dims_to_operand_dims: [0, 1],
    }),
    k: 2,
  },
];

describe("scatter family: wasm equals the js device bit for bit", () => {
  for (const dtype of ["float32", "int32", "uint32"] as const) {
    it(`${dtype}: every combiner, mode and form, repeated and out-of-bounds indices`, () => {
      for (const form of FORMS) {
        for (const n of [0, 1, 30]) {
          const args = () => [
            data(form.operand, dtype, 5, { levels: 64 }),
            indices(n, form.k, -2, form.operand[0]! + 2, 7 + n),
            data([n, ...form.window], dtype, 9, { levels: 64 }),
          ];
          for (const fn of FNS) {
            for (const mode of ["drop", "clip"] as const) {
              const f = (x: Array, i: Array, u: Array) => lax[fn](x, i, u, form.dn, { mode });
              agree(`${fn} ${dtype} ${form.name} n=${n} ${mode}`, f, args);
            }
          }
        }
      }
    });
  }

  it("compiles the kernel (no JS fallback), and .at[].add / eager agree", () => {
    const f = (x: Array, i: Array, u: Array) => lax.scatterAdd(x, i, u, FORMS[3]!.dn);
    const args = () => [
      data([40, 16], "float32", 1),
      indices(100, 1, 0, 40, 2),
      data([100, 16], "float32", 3),
    ];
    expectCompiled(f, args, /scatter-add float32 \(FILL_OR_DROP\): 100 windows of 16/);
    agree("scatter-add eager", f, args, { eager: true });
    const at = (x: Array, u: Array) => x.at(jnp.array([3, 1, 3, 0, 3])).add(u);
    agree(".at[].add", at, () => [data([6, 4], "float32", 4), data([5, 4], "float32", 5)], {
      eager: true,
    });
  });

  it("an embedding gradient split across the worker threads agrees (1e5 updates)", () => {
    const f = (x: Array, i: Array, u: Array) => lax.scatterAdd(x, i, u, FORMS[3]!.dn);
    const args = () => [
      data([2000, 16], "float32", 1, { special: false }),
      indices(100_000, 1, 0, 2000, 2),
      data([100_000, 16], "float32", 3, { special: false }),
    ];
    expectCompiled(f, args, /operand split in 4 ranges/);
    agree("embedding gradient", f, args);
  });

  it("a 1.28 MB output: split across threads and on one thread", async () => {
    // 20000×16 float32; repeated rows, out-of-bounds rows, several combiners.
    for (const [fn, mode] of [
      ["scatterAdd", "drop"],
      ["scatterAdd", "clip"],
      ["scatter", "drop"],
      ["scatterMax", "clip"],
    ] as const) {
      const f = (x: Array, i: Array, u: Array) => lax[fn](x, i, u, FORMS[3]!.dn, { mode });
      const args = () => [
        data([20000, 16], "float32", 1, { levels: 256 }),
        indices(30_000, 1, -50, 20050, 2),
        data([30_000, 16], "float32", 3, { levels: 256 }),
      ];
      expectCompiled(f, args, /operand split in 4 ranges/);
      agree(`bucketed ${fn} ${mode} (threads)`, f, args);
      config.update("threads", 1);
      try {
        agree(`bucketed ${fn} ${mode} (one thread)`, f, args);
      } finally {
        config.update("threads", 2);
        await (getDevice("wasm") as WasmDevice).whenThreadsReady();
      }
    }
  });

  it("other forms and dtypes keep the JS kernel (and still agree)", () => {
    const dn = SDN.of({
      update_window_dims: [0],
      inserted_window_dims: [1],
      scatter_dims_to_operand_dims: [1],
    });
    const f = (x: Array, i: Array, u: Array) => lax.scatterAdd(x, i, u, dn);
    agree("column scatter", f, () => [
      data([4, 6], "float32", 1),
      indices(3, 1, 0, 6, 2),
      data([4, 3], "float32", 3),
    ]);
    agree(
      "int8 scatter-add",
      (x, i, u) => lax.scatterAdd(x.astype("int8"), i, u.astype("int8"), FORMS[0]!.dn),
      () => [
        data([7, 5], "int32", 1, { levels: 20 }),
        indices(9, 1, 0, 7, 2),
        data([9, 5], "int32", 3, { levels: 20 }),
      ],
    );
  });
});
