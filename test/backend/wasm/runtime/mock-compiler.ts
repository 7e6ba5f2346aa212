/**
 * A tiny stand-in for the wasm compiler, to exercise the device runtime's wasm path (tables,
 * ranges, threads) independently of codegen.ts: it compiles float32 loop kernels whose
 * expressions are loads at the stored element, f32 constants, add/sub/mul/max and neg, into
 * scalar wasm with the compiler's calling convention `(table, begin, end)`; everything else
 * is left to the JS fallback.
 */
import { float32 } from "../../../../src/core/dtype.js";
import type { WasmCompiler } from "../../../../src/backend/wasm/codegen/codegen.js";
import { type FunctionBuilder } from "../../../../src/backend/wasm/codegen/function-builder.js";
import { ModuleBuilder } from "../../../../src/backend/wasm/codegen/encoder.js";
import type { Expr } from "../../../../src/kernel/expr.js";
import { idx } from "../../../../src/kernel/expr.js";
import type { LoopKernel } from "../../../../src/kernel/kernel.js";

const BIN: Record<string, "f32.add" | "f32.sub" | "f32.mul" | "f32.max"> = {
  add: "f32.add",
  sub: "f32.sub",
  mul: "f32.mul",
  max: "f32.max",
};

function supported(k: LoopKernel): boolean {
  if (k.shape.length !== 1) return false;
  const i0 = idx(0, k.shape[0]!);
  const ok = (e: Expr): boolean => {
    if (e.dtype !== float32) return false;
    switch (e.op) {
      case "load":
        return e.index === i0;
      case "const":
        return true;
      case "binary":
        return e.fn in BIN && ok(e.a) && ok(e.b);
      case "unary":
        return e.fn === "neg" && ok(e.x);
      default:
        return false;
    }
  };
  return k.outputs.every((o) => !o.offset && ok(o.expr));
}

export const mockCompiler: WasmCompiler = (program, opts) => {
  const mb = new ModuleBuilder();
  mb.importMemory({ initial: opts.initialPages, maximum: opts.maximumPages, shared: opts.shared });
  const kernels: { index: number; exportName: string; trip: number; workPerIter: number }[] = [];
  const fallback: number[] = [];
  program.kernels.forEach((k, ki) => {
    if (k.kind !== "loop" || !supported(k)) {
      fallback.push(ki);
      return;
    }
    const f = mb.addFunction(["i32", "i32", "i32"]);
    const [TABLE, BEGIN, END] = [0, 1, 2];
    const i = f.addLocal("i32");
    const base = new Map<number, number>();
    const bufLocal = (b: number): number => {
      let l = base.get(b);
      if (l === undefined) {
        l = f.addLocal("i32");
        base.set(b, l);
      }
      return l;
    };
    for (const o of k.outputs) bufLocal(o.buffer);
    const visit = (e: Expr): void => {
      if (e.op === "load") bufLocal(e.buffer);
      if (e.op === "binary") {
        visit(e.a);
        visit(e.b);
      }
      if (e.op === "unary") visit(e.x);
    };
    k.outputs.forEach((o) => visit(o.expr));
    for (const [b, l] of base) {
      f.localGet(TABLE)
        .mem("i32.load", { offset: 4 * b })
        .localSet(l);
    }
    const emit = (fb: FunctionBuilder, e: Expr): void => {
      switch (e.op) {
        case "load":
          fb.localGet(bufLocal(e.buffer)).localGet(i).i32Const(2).op("i32.shl").op("i32.add");
          fb.mem("f32.load");
          return;
        case "const":
          fb.f32Const(Number(e.value));
          return;
        case "binary":
          emit(fb, e.a);
          emit(fb, e.b);
          fb.op(BIN[e.fn]!);
          return;
        case "unary":
          emit(fb, e.x);
          fb.op("f32.neg");
          return;
        default:
          throw new Error("unsupported");
      }
    };
    f.localGet(BEGIN).localSet(i);
    const out = f.block();
    const loop = f.loop();
    f.localGet(i).localGet(END).op("i32.ge_s").br_if(out);
    for (const o of k.outputs) {
      f.localGet(bufLocal(o.buffer)).localGet(i).i32Const(2).op("i32.shl").op("i32.add");
      emit(f, o.expr);
      f.mem("f32.store");
    }
    f.localGet(i).i32Const(1).op("i32.add").localSet(i).br(loop);
    f.end().end();
    const name = `k${ki}`;
    mb.exportFunction(name, f);
    kernels.push({ index: ki, exportName: name, trip: k.shape[0]!, workPerIter: 4 });
  });
  return {
    bytes: mb.toBytes(),
    kernels,
    fallback,
    text: `;; mock wasm: kernels ${kernels.map((k) => k.index).join(", ")}`,
  };
};
