/**
 * Rows for the kernels the wasm device compiles as custom kernels (issue 18): sort/argsort of
 * 1e6 float32 vs Float32Array.prototype.sort on a copy, cumsum of 1e7 float32 vs the copy
 * bound, an embedding gradient (scatter-add of 1e6 16-wide rows into 1e5 rows) and an
 * embedding lookup (gather of 64-wide rows) vs the copy bound of the bytes they move.
 */
import { type Array as JArray, jit, lax, numpy as jnp } from "../../src/index.js";
import type { Prepared } from "../harness.js";
import { type Row, copyRow, uniform } from "../rows.js";

const disposeJ = (r: unknown) => (r as JArray).dispose();

function jaxtsRow(
  id: string,
  group: string,
  name: string,
  what: string,
  make: () => { fn: () => JArray; inputs: JArray[] },
  extra: Partial<Row> = {},
): Row {
  return {
    id,
    group,
    name,
    lib: "jaxts",
    what,
    ...extra,
    async prepare(): Promise<Prepared> {
      const { fn, inputs } = make();
      return {
        fn: () => fn().blockUntilReady(),
        cleanup: disposeJ,
        teardown: () => inputs.forEach((x) => x.dispose()),
      };
    },
  };
}

const SORT_N = 1_000_000;
const SORT = "sort 1e6 f32 (uniform in [-1, 1))";

function sortRows(): Row[] {
  const input = () => jnp.array(uniform(SORT_N, 17)).blockUntilReady();
  const vsTyped = { ref: "sort/typed-sort", formula: "ref/this" } as const;
  const target = { on: "ratio", op: ">=", value: 3 } as const; // ≥ 3× faster
  return [
    jaxtsRow(
      "sort/jaxts-jit",
      SORT,
      "jaxts jit(jnp.sort)",
      "jaxts: jit(jnp.sort)(x), x a 1e6 float32 device array; blockUntilReady()",
      () => {
        const x = input();
        const f = jit((a: JArray) => jnp.sort(a));
        return { fn: () => f(x), inputs: [x] };
      },
      { vs: vsTyped, target, work: { bytes: 8 * SORT_N } },
    ),
    jaxtsRow(
      "sort/jaxts-argsort",
      SORT,
      "jaxts jit(jnp.argsort)",
      "jaxts: jit(jnp.argsort)(x) (a two-operand sort carrying int32 positions); blockUntilReady()",
      () => {
        const x = input();
        const f = jit((a: JArray) => jnp.argsort(a));
        return { fn: () => f(x), inputs: [x] };
      },
      { vs: vsTyped, target, work: { bytes: 8 * SORT_N } },
    ),
    {
      id: "sort/typed-sort",
      group: SORT,
      name: "Float32Array.prototype.sort (copy)",
      lib: "baseline",
      what: "plain JS: x.slice().sort() of the same 1e6 float32 values (V8's native typed-array sort)",
      work: { bytes: 8 * SORT_N },
      async prepare(): Promise<Prepared> {
        const x = uniform(SORT_N, 17);
        return { fn: () => x.slice().sort() };
      },
    },
  ];
}

const CUM_N = 10_000_000;
const CUM = "cumsum 1e7 f32";

function cumsumRows(): Row[] {
  return [
    jaxtsRow(
      "cumsum/jaxts-jit",
      CUM,
      "jaxts jit(jnp.cumsum)",
      "jaxts: jit(jnp.cumsum)(x) of 1e7 float32: one sequential float32 chain in scan order (bit-identical to the js device)",
      () => {
        const x = jnp.array(uniform(CUM_N, 5)).blockUntilReady();
        const f = jit((a: JArray) => jnp.cumsum(a));
        return { fn: () => f(x), inputs: [x] };
      },
      { work: { bytes: 8 * CUM_N } },
    ),
    copyRow("cumsum/copy", CUM, 8 * CUM_N, { ref: "cumsum/jaxts-jit", limit: 2 }),
    {
      id: "cumsum/js-chain",
      group: CUM,
      name: "JS float32 running sum (control)",
      lib: "baseline",
      what: "control row, the latency bound of an in-order float32 scan: out = new Float32Array(1e7); acc = Math.fround(acc + x[i]); out[i] = acc (one dependent add per element, the order the js device and jaxts use)",
      vs: { ref: "cumsum/jaxts-jit", formula: "ref/this" },
      work: { bytes: 8 * CUM_N },
      async prepare(): Promise<Prepared> {
        const x = uniform(CUM_N, 5);
        return {
          fn: () => {
            const out = new Float32Array(CUM_N);
            let acc = 0;
            for (let i = 0; i < CUM_N; i++) out[i] = acc = Math.fround(acc + x[i]!);
            return out;
          },
        };
      },
    },
  ];
}

const EMB_ROWS = 100_000;
const SCAT_N = 1_000_000;
const SCAT_W = 16;
const SCAT = "scatter-add: 1e6 updates of 16 f32 into 1e5 rows (embedding gradient)";
/** Read updates, indices and the operand; write the output. */
const SCAT_BYTES = 4 * (SCAT_N * SCAT_W + SCAT_N + 2 * EMB_ROWS * SCAT_W);

function indices(n: number, rows: number, seed: number): JArray {
  const u = uniform(n, seed, 0, rows);
  return jnp.array(Int32Array.from(u, (v) => Math.min(rows - 1, Math.floor(v)))).reshape([n, 1]);
}

const rowsDn = () =>
  lax.ScatterDimensionNumbers.of({
    update_window_dims: [1],
    inserted_window_dims: [0],
    scatter_dims_to_operand_dims: [0],
  });

const GATHER_N = 250_000;
const GATHER_W = 64;
const GATHER = "gather: 2.5e5 rows of 64 f32 from a 1e5-row table (embedding lookup)";
const GATHER_BYTES = 4 * (2 * GATHER_N * GATHER_W + GATHER_N);

function embeddingRows(): Row[] {
  return [
    jaxtsRow(
      "scatter/jaxts-jit",
      SCAT,
      "jaxts jit(lax.scatterAdd)",
      "jaxts: jit(lax.scatterAdd)(zeros[1e5,16], idx[1e6,1], upd[1e6,16]) with row dimension numbers; repeated indices; blockUntilReady()",
      () => {
        const x = jnp.zeros([EMB_ROWS, SCAT_W], "float32").blockUntilReady();
        const i = indices(SCAT_N, EMB_ROWS, 3).blockUntilReady();
        const u = jnp.array(uniform(SCAT_N * SCAT_W, 4)).reshape([SCAT_N, SCAT_W]);
        const dn = rowsDn();
        const f = jit((a: JArray, b: JArray, c: JArray) => lax.scatterAdd(a, b, c, dn));
        return { fn: () => f(x, i, u), inputs: [x, i, u] };
      },
      { work: { bytes: SCAT_BYTES } },
    ),
    copyRow("scatter/copy", SCAT, SCAT_BYTES, { ref: "scatter/jaxts-jit", limit: 3 }),
    jaxtsRow(
      "gather/jaxts-jit",
      GATHER,
      "jaxts jit(jnp.take rows)",
      "jaxts: jit((t, i) => jnp.take(t, i, 0))(table[1e5,64], idx[2.5e5]) (a gather loop kernel); blockUntilReady()",
      () => {
        const t = jnp.array(uniform(EMB_ROWS * GATHER_W, 6)).reshape([EMB_ROWS, GATHER_W]);
        const i = indices(GATHER_N, EMB_ROWS, 7).reshape([GATHER_N]);
        const f = jit((a: JArray, b: JArray) => jnp.take(a, b, 0));
        return { fn: () => f(t, i), inputs: [t, i] };
      },
      { work: { bytes: GATHER_BYTES } },
    ),
    copyRow("gather/copy", GATHER, GATHER_BYTES, { ref: "gather/jaxts-jit", limit: 3 }),
  ];
}

export function customKernelRows(): Row[] {
  return [...sortRows(), ...cumsumRows(), ...embeddingRows()];
}
