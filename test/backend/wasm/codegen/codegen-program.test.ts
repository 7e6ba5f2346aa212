/**
 * Whole programs through compileWasmProgram: the module contract (validation, exports,
 * trip counts, scratch, shared memory), what falls back to the JS codegen (custom kernels,
 * control flow, float16 / 64-bit dtypes, int dots), programs mixing compiled and fallback
 * kernels, and outputs written at an offset.
 */
import { describe, expect, it } from "vitest";
import { bool, float32, int32, int8, uint16 } from "../../../../src/core/dtype.js";
import {
  binary,
  cast,
  constant,
  idx,
  reduce,
  ridx,
  select,
  unary,
} from "../../../../src/kernel/expr.js";
import { ixAdd, ixMul, loadAt } from "../../../../src/kernel/index.js";
import type { Program } from "../../../../src/kernel/kernel.js";
import {
  compileWasmProgram,
  flattenKernels,
} from "../../../../src/backend/wasm/codegen/codegen.js";
import { type Array, lax, numpy as jnp } from "../../../../src/index.js";
import { build, check, loopProgram, runJs, runWasm } from "./codegen-harness.js";
import { floatArray as F, floats } from "./codegen-values.js";

const MEM = { shared: false, initialPages: 1, maximumPages: 1024 };

describe("module contract", () => {
  const b = build(
    (x: Array, y: Array) => jnp.tanh(jnp.matmul(x, y)).sum({ axis: 0 }),
    F([70, 20]),
    F([20, 30], 2),
  );
  const prog = compileWasmProgram(b.program, MEM);

  it("validates, imports env.memory and exports (table, begin, end) functions", () => {
    expect(WebAssembly.validate(prog.bytes)).toBe(true);
    const mod = new WebAssembly.Module(prog.bytes);
    expect(WebAssembly.Module.imports(mod)).toEqual([
      { module: "env", name: "memory", kind: "memory" },
    ]);
    const names = WebAssembly.Module.exports(mod).map((e) => e.name);
    expect(names).toEqual(prog.kernels.map((k) => k.exportName));
    expect(prog.kernels.map((k) => k.index)).toEqual([0, 1]);
  });

  it("reports trips, work and scratch per kernel, and a readable summary", () => {
    const [dot, loop] = prog.kernels;
    expect(dot!.trip).toBe(2); // 70 rows in blocks of 64
    expect(dot!.scratchBytes).toBeGreaterThan(0);
    expect(dot!.scratchBytes % 16).toBe(0);
    expect(loop!.trip).toBe(30);
    expect(loop!.scratchBytes).toBe(0);
    expect(loop!.workPerIter).toBeGreaterThan(70);
    expect(prog.text.split("\n")).toHaveLength(2);
    expect(prog.text).toMatch(/kernel 0 \(k0\): dot/);
    expect(prog.text).toMatch(/kernel 1 \(k1\): loop \[30\]/);
  });

  it("runs on shared memory", () => {
    const r = check(b, { rtol: 1e-5, atol: 1e-4 }, { shared: true });
    expect(r.error).toBeUndefined();
    expect(
      WebAssembly.Module.imports(
        new WebAssembly.Module(compileWasmProgram(b.program, { ...MEM, shared: true }).bytes),
      ),
    ).toHaveLength(1);
  });
});

describe("fallback", () => {
  const reasons = (f: (...a: Array[]) => Array | Array[], ...args: Array[]) => {
    const b = build(f, ...args);
    const r = check(b, { rtol: 1e-5, atol: 1e-5 });
    expect(r.error).toBeUndefined();
    return r.run.compiled;
  };
  it("custom kernels (sort, cumulative, scatter) run in order between compiled kernels", () => {
    // float32 sort/cumsum compile (custom-*.ts); int8 ones and eigh stay on the JS path.
    const c = reasons((x) => jnp.sort(x.mul(2)).add(jnp.cumsum(x)).sum(), F([37]));
    expect(c.fallback).toEqual([]);
    expect(c.text).toMatch(/sort 1 operand\(s\) by 1 key\(s\)/);
    expect(c.text).toMatch(/cumulative sum float32/);
    const i8 = reasons(
      (x) => jnp.sort(x.mul(2).astype("int8")).add(lax.cumsum(x.astype("int8"))),
      F([37]),
    );
    expect(i8.fallback.length).toBeGreaterThanOrEqual(2);
    expect(i8.kernels.length).toBeGreaterThanOrEqual(1);
    expect(i8.text).toMatch(/js fallback \(sort by int8 keys\)/);
    expect(i8.text).toMatch(/js fallback \(cumulative over int8\)/);
    const eig = reasons(
      (x) => jnp.linalg.eigh(x.reshape([6, 6]).add(x.reshape([6, 6]).T)).eigenvalues,
      F([36]),
    );
    expect(eig.text).toMatch(/js fallback \(custom 'eigh' kernel\)/);
    reasons(
      (x) =>
        x
          .at(jnp.array([1, 3, 5]))
          .add(1)
          .mul(2),
      F([9]),
    );
  });
  it("control flow kernels: the runtime drives them; their nested kernels are compiled", () => {
    const b = build((x) => lax.foriLoop(0, 3, (_i, v: Array) => v.mul(0.5).add(1), x), F([9]));
    const c = compileWasmProgram(b.program, MEM);
    const top = b.program.kernels.length;
    const loop = b.program.kernels.findIndex((k) => k.kind === "while");
    expect(loop).toBeGreaterThanOrEqual(0);
    expect(c.fallback).not.toContain(loop);
    expect(c.kernels.some((k) => k.index === loop)).toBe(false);
    // The while's cond and body kernels follow the top-level ones (flattenKernels order).
    const nested = c.kernels.filter((k) => k.index >= top);
    expect(nested.length).toBeGreaterThanOrEqual(2);
    expect(flattenKernels(b.program.kernels).length).toBeGreaterThan(top);
    expect(check(b, { rtol: 1e-6 }).error).toBeUndefined();
  });
  it("float16 and other unsupported dtypes", () => {
    const c = reasons((x) => x.astype("float16").mul(2).astype("float32"), F([9]));
    expect(c.text).toMatch(/float16/);
  });
});

describe("outputs at an offset", () => {
  it("stores each element at its row-major position plus the offset", () => {
    const x = floats(6);
    const counter = Int32Array.of(2);
    const program: Program = {
      buffers: [
        { id: 0, dtype: float32, size: 6, kind: "input" },
        { id: 1, dtype: int32, size: 1, kind: "input" },
        { id: 2, dtype: float32, size: 18, kind: "output" },
        { id: 3, dtype: int32, size: 18, kind: "output" },
      ],
      kernels: [
        {
          kind: "loop",
          shape: [6],
          outputs: [
            {
              buffer: 2,
              expr: loadAt(0, ixAdd(5, ixMul(idxOf(6), -1)), 6, float32),
              offset: ixMul(loadAt(1, constant(0, int32), 1, int32), 6),
            },
            // (reads buffer 1 in the expression too: the JS codegen declares only buffers read by expressions)
            {
              buffer: 3,
              expr: binary(
                "add",
                cast(loadAt(0, idxOf(6), 6, float32), int32),
                loadAt(1, constant(0, int32), 1, int32),
              ),
              offset: ixAdd(1, loadAt(1, constant(0, int32), 1, int32)),
            },
          ],
        },
      ],
      inputs: [0, 1],
      outputs: [
        { kind: "buffer", buffer: 2 },
        { kind: "buffer", buffer: 3 },
      ],
    };
    const built = { program, inputs: [x, counter] };
    const want = runJs(built);
    const got = runWasm(built).buffers;
    expect([...got[2]!].slice(12)).toEqual([...want[2]!].slice(12));
    expect([...got[3]!].slice(3, 9)).toEqual([...want[3]!].slice(3, 9));
  });
});

const idxOf = (n: number) => idx(0, n);

describe("hand-built kernels", () => {
  const x = floats(40, 3);
  const w = floats(35, 4);
  const tol = { rtol: 1e-5, atol: 1e-6 };
  it("a reduction placed outside a vectorized loop (depth < innermost)", () => {
    // out[i, j] = x[i, j] + Σ_r w[i, r]: the sum depends on i only
    const b = loopProgram(
      [
        [float32, x],
        [float32, w],
      ],
      [float32],
      [5, 8],
      (load, [i, j]) => [
        binary(
          "add",
          load(0, ixAdd(ixMul(i!, 8), j!)),
          reduce("sum", load(1, ixAdd(ixMul(i!, 7), ridx(0, 7))), [7]),
        ),
      ],
    );
    const r = check(b, tol);
    expect(r.error).toBeUndefined();
    expect(r.run.compiled.text).toMatch(/vector over axis 1/);
  });
  it("a reduction over no axes", () => {
    const b = loopProgram([[float32, x]], [float32, float32], [40], (load, [i]) => [
      reduce("sum", load(0, i!), []),
      reduce("max", unary("exp", load(0, i!)), []),
    ]);
    expect(check(b, tol).error).toBeUndefined();
  });
  it("several outputs of different dtypes from one vectorized kernel", () => {
    const b = loopProgram([[float32, x]], [float32, int8, bool, uint16], [40], (load, [i]) => {
      const v = load(0, i!);
      return [
        unary("exp", v),
        cast(binary("mul", v, constant(50, float32)), int8),
        binary("gt", v, constant(0, float32)),
        cast(unary("abs", binary("mul", v, constant(1e4, float32))), uint16),
      ];
    });
    const r = check(b, { ...tol, ulp: 3 });
    expect(r.error).toBeUndefined();
    expect(r.run.compiled.text).toMatch(/vector over axis 0/);
  });
  it("a load through a computed (gathered) index stays scalar", () => {
    const idxs = Int32Array.from({ length: 40 }, (_, k) => (k * 7) % 40);
    const b = loopProgram(
      [
        [float32, x],
        [int32, idxs],
      ],
      [float32],
      [40],
      (load, [i]) => [load(0, load(1, i!))],
    );
    const r = check(b, tol);
    expect(r.error).toBeUndefined();
    expect(r.run.compiled.text).toMatch(/scalar output loops/);
  });
});

describe("select on a non-bool condition", () => {
  it("selects where the condition is nonzero (int32 and float32 conditions)", () => {
    const c = Int32Array.from({ length: 37 }, (_, k) => (k % 3) - 1);
    const cf = Float32Array.from({ length: 37 }, (_, k) => (k % 4 === 0 ? NaN : (k % 3) - 1));
    const x = floats(37, 1);
    const y = floats(37, 2);
    for (const [d, data] of [
      [int32, c],
      [float32, cf],
    ] as const) {
      for (const rev of [false, true]) {
        const b = loopProgram(
          [
            [d, data],
            [float32, x],
            [float32, y],
          ],
          [float32],
          [37],
          (load, [i]) => {
            const at = rev ? ixAdd(36, ixMul(i!, -1)) : i!;
            return [select(load(0, at), load(1, at), load(2, at))];
          },
        );
        expect(check(b).error).toBeUndefined();
      }
    }
  });
});
