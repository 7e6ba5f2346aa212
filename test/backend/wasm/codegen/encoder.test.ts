import { describe, expect, it } from "vitest";
import { Worker } from "node:worker_threads";
import { ByteWriter } from "../../../../src/backend/wasm/codegen/byte-writer.js";
import { FunctionBuilder } from "../../../../src/backend/wasm/codegen/function-builder.js";
import { ModuleBuilder } from "../../../../src/backend/wasm/codegen/encoder.js";
import { PLAIN_OPS, type PlainOp } from "../../../../src/backend/wasm/codegen/opcodes.js";
import { type ValType } from "../../../../src/backend/wasm/codegen/wasm-types.js";

type Exports = Record<string, (...args: any[]) => any>;

function instantiate(m: ModuleBuilder, imports: WebAssembly.Imports = {}): Exports {
  const bytes = m.toBytes();
  expect(WebAssembly.validate(bytes)).toBe(true);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports as Exports;
}

const f32 = Math.fround;

describe("ByteWriter", () => {
  const enc = (fn: (w: ByteWriter) => void) => {
    const w = new ByteWriter();
    fn(w);
    return [...w.toBytes()];
  };

  it("encodes unsigned LEB128", () => {
    expect(enc((w) => w.u32(0))).toEqual([0]);
    expect(enc((w) => w.u32(127))).toEqual([0x7f]);
    expect(enc((w) => w.u32(128))).toEqual([0x80, 0x01]);
    expect(enc((w) => w.u32(624485))).toEqual([0xe5, 0x8e, 0x26]);
    expect(enc((w) => w.u32(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => enc((w) => w.u32(-1))).toThrow();
  });

  it("encodes signed LEB128", () => {
    expect(enc((w) => w.s32(0))).toEqual([0]);
    expect(enc((w) => w.s32(-1))).toEqual([0x7f]);
    expect(enc((w) => w.s32(63))).toEqual([0x3f]);
    expect(enc((w) => w.s32(64))).toEqual([0xc0, 0x00]);
    expect(enc((w) => w.s32(-64))).toEqual([0x40]);
    expect(enc((w) => w.s32(-65))).toEqual([0xbf, 0x7f]);
    expect(enc((w) => w.s32(-123456))).toEqual([0xc0, 0xbb, 0x78]);
    expect(enc((w) => w.s32(-0x80000000))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
    expect(enc((w) => w.s64(-1n))).toEqual([0x7f]);
    expect(enc((w) => w.s64(-(2n ** 63n)))).toEqual([
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f,
    ]);
  });

  it("encodes floats little-endian", () => {
    expect(enc((w) => w.f32(1))).toEqual([0, 0, 0x80, 0x3f]);
    expect(enc((w) => w.f64(-2))).toEqual([0, 0, 0, 0, 0, 0, 0, 0xc0]);
  });
});

describe("ModuleBuilder", () => {
  it("emits an empty module", () => {
    const bytes = new ModuleBuilder().toBytes();
    expect([...bytes]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it("deduplicates function types", () => {
    const m = new ModuleBuilder();
    const a = m.addType(["i32"], ["i32"]);
    const b = m.addType(["i32"], ["i32"]);
    const c = m.addType(["f32"], ["i32"]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    m.addFunction(["i32"], ["i32"]).localGet(0);
    m.addFunction(["i32"], ["i32"]).localGet(0);
    expect(m.typeCount).toBe(2);
    expect(WebAssembly.validate(m.toBytes())).toBe(true);
  });

  it("requires a maximum for shared memory", () => {
    expect(() => new ModuleBuilder().importMemory({ initial: 1, shared: true })).toThrow(/maximum/);
  });

  it("rejects function imports after definitions", () => {
    const m = new ModuleBuilder();
    m.addFunction([], []);
    expect(() => m.importFunction("env", "f", [], [])).toThrow();
  });

  it("detects unclosed blocks", () => {
    const m = new ModuleBuilder();
    m.addFunction([], []).block();
    expect(() => m.toBytes()).toThrow(/unclosed/);
  });

  it("calls imported functions, uses globals and exports them", () => {
    const m = new ModuleBuilder();
    const log: number[] = [];
    const imp = m.importFunction("env", "log", ["f64"], []);
    const g = m.addGlobal({ type: "i32", mutable: true, init: 5 });
    const f = m.addFunction(["f64"], ["i32"]);
    f.localGet(0).call(imp);
    f.globalGet(g).i32Const(1).op("i32.add").globalSet(g);
    f.globalGet(g);
    m.exportFunction("f", f).exportGlobal("g", g);
    const ex = instantiate(m, { env: { log: (x: number) => log.push(x) } });
    expect(ex.f!(2.5)).toBe(6);
    expect(ex.f!(-1)).toBe(7);
    expect(log).toEqual([2.5, -1]);
    expect((ex.g as unknown as WebAssembly.Global).value).toBe(7);
  });

  it("declares locals with params first and reuses scratch locals", () => {
    const m = new ModuleBuilder();
    const f = m.addFunction(["i32", "f32"], ["f64"]);
    const a = f.addLocal("f64");
    const b = f.addLocal("v128");
    const c = f.addLocal("f64");
    expect([a, b, c]).toEqual([2, 3, 4]);
    const s1 = f.acquireLocal("f64");
    f.releaseLocal(s1);
    const s2 = f.acquireLocal("f64");
    expect(s2).toBe(s1);
    const s3 = f.acquireLocal("f64");
    expect(s3).not.toBe(s2);
    expect(() => f.releaseLocal(s2, s2)).toThrow(/twice/);
    f.localGet(1).op("f64.promote_f32").localGet(0).op("f64.convert_i32_s").op("f64.add");
    f.localTee(a).localGet(a).op("f64.add");
    m.exportFunction("f", f);
    expect(instantiate(m).f!(3, 0.5)).toBe(7);
  });
});

describe("FunctionBuilder: scalar instructions", () => {
  it("control flow: loop, block, br_if, if/else with results, return", () => {
    const m = new ModuleBuilder();
    // sum of 1..n with a loop
    const sum = m.addFunction(["i32"], ["i32"]);
    const acc = sum.addLocal("i32");
    const out = sum.block();
    const top = sum.loop();
    sum.localGet(0).op("i32.eqz").br_if(out);
    sum.localGet(acc).localGet(0).op("i32.add").localSet(acc);
    sum.localGet(0).i32Const(1).op("i32.sub").localSet(0);
    sum.br(top);
    sum.end().end();
    sum.localGet(acc);
    m.exportFunction("sum", sum);
    // abs via if/else with an f64 result
    const abs = m.addFunction(["f64"], ["f64"]);
    abs.localGet(0).f64Const(0).op("f64.lt");
    abs.if("f64");
    abs.localGet(0).op("f64.neg").else().localGet(0).end();
    m.exportFunction("abs", abs);
    // early return + unreachable
    const early = m.addFunction(["i32"], ["i32"]);
    early.localGet(0).if();
    early.i32Const(1).return().end();
    early.i32Const(2).return().unreachable();
    m.exportFunction("early", early);
    // br_table
    const sw = m.addFunction(["i32"], ["i32"]);
    const b0 = sw.block();
    const b1 = sw.block();
    const b2 = sw.block();
    sw.localGet(0).br_table([b2, b1], b0);
    sw.end().i32Const(10).return();
    sw.end().i32Const(11).return();
    sw.end().i32Const(12);
    m.exportFunction("sw", sw);
    // trap
    const trap = m.addFunction([], []);
    trap.unreachable();
    m.exportFunction("trap", trap);

    const ex = instantiate(m);
    expect(ex.sum!(100)).toBe(5050);
    expect(ex.abs!(-3.5)).toBe(3.5);
    expect(ex.abs!(2)).toBe(2);
    expect(ex.early!(1)).toBe(1);
    expect(ex.early!(0)).toBe(2);
    expect([0, 1, 2, 7].map((i) => ex.sw!(i))).toEqual([10, 11, 12, 12]);
    expect(() => ex.trap!()).toThrow(WebAssembly.RuntimeError);
  });

  it("constants: i32/i64 signed LEB, f32/f64 IEEE bits", () => {
    const m = new ModuleBuilder();
    const i32s = [0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 123456789];
    i32s.forEach((v, i) => m.exportFunction(`i${i}`, m.addFunction([], ["i32"]).i32Const(v)));
    const i64s = [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 1234567890123n];
    i64s.forEach((v, i) => m.exportFunction(`l${i}`, m.addFunction([], ["i64"]).i64Const(v)));
    const fs = [0, -0, 1.5, -Infinity, Infinity, 3.4028234663852886e38, 1e-45];
    fs.forEach((v, i) => {
      m.exportFunction(`f${i}`, m.addFunction([], ["f32"]).f32Const(v));
      m.exportFunction(`d${i}`, m.addFunction([], ["f64"]).f64Const(v === 1e-45 ? 5e-324 : v));
    });
    m.exportFunction("nan", m.addFunction([], ["f32"]).f32Const(NaN));
    const ex = instantiate(m);
    i32s.forEach((v, i) => expect(ex[`i${i}`]!()).toBe(v));
    i64s.forEach((v, i) => expect(ex[`l${i}`]!()).toBe(v));
    fs.forEach((v, i) => {
      expect(Object.is(ex[`f${i}`]!(), f32(v))).toBe(true);
      expect(Object.is(ex[`d${i}`]!(), v === 1e-45 ? 5e-324 : v)).toBe(true);
    });
    expect(ex.nan!()).toBeNaN();
  });

  it("numeric ops: arithmetic, bit ops, comparisons, select, conversions", () => {
    const m = new ModuleBuilder();
    const bin = (name: PlainOp, t: ValType, r: ValType = t) => {
      const f = m.addFunction([t, t], [r]);
      f.localGet(0).localGet(1).op(name);
      m.exportFunction(name, f);
    };
    const un = (name: PlainOp, t: ValType, r: ValType) => {
      const f = m.addFunction([t], [r]);
      f.localGet(0).op(name);
      m.exportFunction(name, f);
    };
    for (const n of ["add", "sub", "mul", "div_s", "div_u", "rem_s", "and", "or", "xor"] as const)
      bin(`i32.${n}`, "i32");
    for (const n of ["shl", "shr_s", "shr_u", "rotl", "rotr"] as const) bin(`i32.${n}`, "i32");
    for (const n of ["eq", "ne", "lt_s", "lt_u", "gt_s", "ge_u"] as const) bin(`i32.${n}`, "i32");
    for (const n of ["add", "mul", "shr_s", "shr_u", "and"] as const) bin(`i64.${n}`, "i64");
    bin("i64.lt_u", "i64", "i32");
    for (const n of ["add", "sub", "mul", "div", "min", "max", "copysign"] as const)
      bin(`f32.${n}`, "f32");
    for (const n of ["add", "div", "min"] as const) bin(`f64.${n}`, "f64");
    bin("f32.lt", "f32", "i32");
    bin("f64.ge", "f64", "i32");
    un("i32.clz", "i32", "i32");
    un("i32.ctz", "i32", "i32");
    un("i32.popcnt", "i32", "i32");
    un("i32.eqz", "i32", "i32");
    un("i32.extend8_s", "i32", "i32");
    un("f32.sqrt", "f32", "f32");
    un("f32.nearest", "f32", "f32");
    un("f32.floor", "f32", "f32");
    un("f64.trunc", "f64", "f64");
    un("i32.wrap_i64", "i64", "i32");
    un("i64.extend_i32_s", "i32", "i64");
    un("i64.extend_i32_u", "i32", "i64");
    un("i32.trunc_sat_f32_s", "f32", "i32");
    un("i32.trunc_sat_f32_u", "f32", "i32");
    un("i64.trunc_sat_f64_s", "f64", "i64");
    un("i32.trunc_f32_s", "f32", "i32");
    un("f32.convert_i32_u", "i32", "f32");
    un("f64.convert_i64_s", "i64", "f64");
    un("f32.demote_f64", "f64", "f32");
    un("f64.promote_f32", "f32", "f64");
    un("i32.reinterpret_f32", "f32", "i32");
    un("f32.reinterpret_i32", "i32", "f32");
    un("i64.reinterpret_f64", "f64", "i64");
    const sel = m.addFunction(["f32", "f32", "i32"], ["f32"]);
    sel.localGet(0).localGet(1).localGet(2).op("select");
    m.exportFunction("select", sel);
    const selT = m.addFunction(["f64", "f64", "i32"], ["f64"]);
    selT.localGet(0).localGet(1).localGet(2).selectTyped("f64");
    m.exportFunction("select_t", selT);

    const ex = instantiate(m);
    expect(ex["i32.add"]!(0x7fffffff, 1)).toBe(-0x80000000);
    expect(ex["i32.sub"]!(3, 5)).toBe(-2);
    expect(ex["i32.mul"]!(65536, 65537)).toBe(65536);
    expect(ex["i32.div_s"]!(-7, 2)).toBe(-3);
    expect(ex["i32.div_u"]!(-1, 2)).toBe(0x7fffffff);
    expect(ex["i32.rem_s"]!(-7, 2)).toBe(-1);
    expect(() => ex["i32.div_s"]!(1, 0)).toThrow();
    expect(ex["i32.and"]!(12, 10)).toBe(8);
    expect(ex["i32.or"]!(12, 10)).toBe(14);
    expect(ex["i32.xor"]!(12, 10)).toBe(6);
    expect(ex["i32.shl"]!(1, 33)).toBe(2);
    expect(ex["i32.shr_s"]!(-8, 1)).toBe(-4);
    expect(ex["i32.shr_u"]!(-8, 28)).toBe(15);
    expect(ex["i32.rotl"]!(0x80000001, 1)).toBe(3);
    expect(ex["i32.rotr"]!(3, 1)).toBe(0x80000001 | 0);
    expect(ex["i32.eq"]!(3, 3)).toBe(1);
    expect(ex["i32.ne"]!(3, 3)).toBe(0);
    expect(ex["i32.lt_s"]!(-1, 0)).toBe(1);
    expect(ex["i32.lt_u"]!(-1, 0)).toBe(0);
    expect(ex["i32.gt_s"]!(1, 0)).toBe(1);
    expect(ex["i32.ge_u"]!(-1, 5)).toBe(1);
    expect(ex["i64.add"]!(2n ** 62n, 2n ** 62n)).toBe(-(2n ** 63n));
    expect(ex["i64.mul"]!(3n, -5n)).toBe(-15n);
    expect(ex["i64.shr_s"]!(-16n, 2n)).toBe(-4n);
    expect(ex["i64.shr_u"]!(-1n, 60n)).toBe(15n);
    expect(ex["i64.and"]!(6n, 3n)).toBe(2n);
    expect(ex["i64.lt_u"]!(1n, -1n)).toBe(1);
    expect(ex["f32.add"]!(0.1, 0.2)).toBe(f32(f32(0.1) + f32(0.2)));
    expect(ex["f32.sub"]!(1, 3)).toBe(-2);
    expect(ex["f32.mul"]!(1e30, 1e30)).toBe(Infinity);
    expect(ex["f32.div"]!(1, 3)).toBe(f32(1 / 3));
    expect(Object.is(ex["f32.min"]!(0, -0), -0)).toBe(true);
    expect(ex["f32.max"]!(1, NaN)).toBeNaN();
    expect(ex["f32.copysign"]!(2, -0)).toBe(-2);
    expect(ex["f64.add"]!(0.1, 0.2)).toBe(0.1 + 0.2);
    expect(ex["f64.div"]!(1, 0)).toBe(Infinity);
    expect(ex["f64.min"]!(-1, 2)).toBe(-1);
    expect(ex["f32.lt"]!(1, 2)).toBe(1);
    expect(ex["f64.ge"]!(NaN, 2)).toBe(0);
    expect(ex["i32.clz"]!(1)).toBe(31);
    expect(ex["i32.ctz"]!(8)).toBe(3);
    expect(ex["i32.popcnt"]!(0xff)).toBe(8);
    expect(ex["i32.eqz"]!(0)).toBe(1);
    expect(ex["i32.extend8_s"]!(0xff)).toBe(-1);
    expect(ex["f32.sqrt"]!(2)).toBe(f32(Math.SQRT2));
    expect(ex["f32.nearest"]!(2.5)).toBe(2);
    expect(ex["f32.nearest"]!(3.5)).toBe(4);
    expect(ex["f32.floor"]!(-1.5)).toBe(-2);
    expect(ex["f64.trunc"]!(-1.7)).toBe(-1);
    expect(ex["i32.wrap_i64"]!(2n ** 32n + 5n)).toBe(5);
    expect(ex["i64.extend_i32_s"]!(-2)).toBe(-2n);
    expect(ex["i64.extend_i32_u"]!(-2)).toBe(2n ** 32n - 2n);
    expect(ex["i32.trunc_sat_f32_s"]!(1e20)).toBe(0x7fffffff);
    expect(ex["i32.trunc_sat_f32_s"]!(NaN)).toBe(0);
    expect(ex["i32.trunc_sat_f32_u"]!(-5)).toBe(0);
    expect(ex["i64.trunc_sat_f64_s"]!(-1e300)).toBe(-(2n ** 63n));
    expect(() => ex["i32.trunc_f32_s"]!(NaN)).toThrow();
    expect(ex["f32.convert_i32_u"]!(-1)).toBe(4294967296);
    expect(ex["f64.convert_i64_s"]!(-3n)).toBe(-3);
    expect(ex["f32.demote_f64"]!(0.1)).toBe(f32(0.1));
    expect(ex["f64.promote_f32"]!(f32(0.1))).toBe(f32(0.1));
    expect(ex["i32.reinterpret_f32"]!(1)).toBe(0x3f800000);
    expect(ex["f32.reinterpret_i32"]!(0x40490fdb)).toBe(f32(Math.PI));
    expect(ex["i64.reinterpret_f64"]!(-0)).toBe(-(2n ** 63n));
    expect(ex.select!(1, 2, 1)).toBe(1);
    expect(ex.select!(1, 2, 0)).toBe(2);
    expect(ex.select_t!(1, 2, 0)).toBe(2);
  });

  it("memory: loads/stores of every width, memarg offsets, size/grow, copy/fill", () => {
    const m = new ModuleBuilder();
    m.importMemory({ initial: 1, maximum: 4 });
    const loads = [
      ["i32.load", "i32"],
      ["i64.load", "i64"],
      ["f32.load", "f32"],
      ["f64.load", "f64"],
      ["i32.load8_s", "i32"],
      ["i32.load8_u", "i32"],
      ["i32.load16_s", "i32"],
      ["i32.load16_u", "i32"],
      ["i64.load8_s", "i64"],
      ["i64.load8_u", "i64"],
      ["i64.load16_s", "i64"],
      ["i64.load16_u", "i64"],
      ["i64.load32_s", "i64"],
      ["i64.load32_u", "i64"],
    ] as const;
    for (const [name, t] of loads) {
      const f = m.addFunction(["i32"], [t]);
      f.localGet(0).mem(name, { offset: 8 });
      m.exportFunction(name, f);
    }
    const stores = [
      ["i32.store", "i32"],
      ["i64.store", "i64"],
      ["f32.store", "f32"],
      ["f64.store", "f64"],
      ["i32.store8", "i32"],
      ["i32.store16", "i32"],
      ["i64.store8", "i64"],
      ["i64.store16", "i64"],
      ["i64.store32", "i64"],
    ] as const;
    for (const [name, t] of stores) {
      const f = m.addFunction(["i32", t], []);
      f.localGet(0).localGet(1).mem(name, { offset: 4, align: 1 });
      m.exportFunction(name, f);
    }
    const size = m.addFunction([], ["i32"]).op("memory.size");
    const grow = m.addFunction(["i32"], ["i32"]);
    grow.localGet(0).op("memory.grow");
    const copy = m.addFunction(["i32", "i32", "i32"], []);
    copy.localGet(0).localGet(1).localGet(2).op("memory.copy");
    const fill = m.addFunction(["i32", "i32", "i32"], []);
    fill.localGet(0).localGet(1).localGet(2).op("memory.fill");
    m.exportFunction("size", size).exportFunction("grow", grow);
    m.exportFunction("copy", copy).exportFunction("fill", fill);

    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const ex = instantiate(m, { env: { memory } });
    const dv = () => new DataView(memory.buffer);
    // loads read at addr + 8
    dv().setBigUint64(108, 0x8182838485868788n, true);
    expect(ex["i32.load"]!(100)).toBe(0x85868788 | 0);
    expect(ex["i64.load"]!(100)).toBe(BigInt.asIntN(64, 0x8182838485868788n));
    expect(ex["i32.load8_s"]!(100)).toBe(0x88 - 256);
    expect(ex["i32.load8_u"]!(100)).toBe(0x88);
    expect(ex["i32.load16_s"]!(100)).toBe(0x8788 - 65536);
    expect(ex["i32.load16_u"]!(100)).toBe(0x8788);
    expect(ex["i64.load8_s"]!(100)).toBe(BigInt(0x88 - 256));
    expect(ex["i64.load8_u"]!(100)).toBe(0x88n);
    expect(ex["i64.load16_s"]!(100)).toBe(BigInt(0x8788 - 65536));
    expect(ex["i64.load16_u"]!(100)).toBe(0x8788n);
    expect(ex["i64.load32_s"]!(100)).toBe(BigInt(0x85868788 | 0));
    expect(ex["i64.load32_u"]!(100)).toBe(0x85868788n);
    dv().setFloat32(208, 1.25, true);
    dv().setFloat64(216, -2.5, true);
    expect(ex["f32.load"]!(200)).toBe(1.25);
    expect(ex["f64.load"]!(208)).toBe(-2.5);
    // stores write at addr + 4
    ex["i32.store"]!(300, -2);
    expect(dv().getInt32(304, true)).toBe(-2);
    ex["i64.store"]!(300, -3n);
    expect(dv().getBigInt64(304, true)).toBe(-3n);
    ex["f32.store"]!(300, 0.5);
    expect(dv().getFloat32(304, true)).toBe(0.5);
    ex["f64.store"]!(300, 0.1);
    expect(dv().getFloat64(304, true)).toBe(0.1);
    dv().setBigUint64(304, 0n);
    ex["i32.store8"]!(300, 0x1ff);
    expect(dv().getBigUint64(304, true)).toBe(0xffn);
    ex["i32.store16"]!(300, 0x12345);
    expect(dv().getBigUint64(304, true)).toBe(0x2345n);
    ex["i64.store8"]!(300, 0x77n);
    expect(dv().getUint8(304)).toBe(0x77);
    ex["i64.store16"]!(300, 0x1234n);
    expect(dv().getUint16(304, true)).toBe(0x1234);
    ex["i64.store32"]!(300, 0x1_2345_6789n);
    expect(dv().getBigUint64(304, true)).toBe(0x23456789n);
    // bulk memory
    ex.fill!(1000, 7, 10);
    expect([...new Uint8Array(memory.buffer, 999, 12)]).toEqual([0, ...Array(10).fill(7), 0]);
    ex.copy!(2000, 1000, 5);
    expect([...new Uint8Array(memory.buffer, 2000, 6)]).toEqual([7, 7, 7, 7, 7, 0]);
    expect(() => ex.copy!(65535, 0, 2)).toThrow();
    // size/grow
    expect(ex.size!()).toBe(1);
    expect(ex.grow!(2)).toBe(1);
    expect(ex.size!()).toBe(3);
    expect(ex.grow!(5)).toBe(-1);
  });

  it("rejects bad alignment", () => {
    const f = new FunctionBuilder({ params: [], results: [] }, 0);
    expect(() => f.mem("i32.load", { align: 8 })).toThrow(/natural/);
    expect(() => f.mem("i32.atomic.load", { align: 2 })).toThrow(/atomic/);
    expect(() => f.mem("i32.load", { align: 3 })).toThrow(/power of two/);
  });
});

// ---------------------------------------------------------------------------------------------
// SIMD: every table op is executed against a lane-wise JS reference.
// ---------------------------------------------------------------------------------------------

type LaneKind = "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "i64" | "f32" | "f64";

function lanes(buf: ArrayBuffer, off: number, k: LaneKind): (number | bigint)[] {
  const dv = new DataView(buf, off, 16);
  const out: (number | bigint)[] = [];
  const n = { i8: 16, u8: 16, i16: 8, u16: 8, i32: 4, u32: 4, i64: 2, f32: 4, f64: 2 }[k];
  for (let i = 0; i < n; i++) {
    switch (k) {
      case "i8":
        out.push(dv.getInt8(i));
        break;
      case "u8":
        out.push(dv.getUint8(i));
        break;
      case "i16":
        out.push(dv.getInt16(2 * i, true));
        break;
      case "u16":
        out.push(dv.getUint16(2 * i, true));
        break;
      case "i32":
        out.push(dv.getInt32(4 * i, true));
        break;
      case "u32":
        out.push(dv.getUint32(4 * i, true));
        break;
      case "i64":
        out.push(dv.getBigInt64(8 * i, true));
        break;
      case "f32":
        out.push(dv.getFloat32(4 * i, true));
        break;
      case "f64":
        out.push(dv.getFloat64(8 * i, true));
        break;
    }
  }
  return out;
}

const same = (a: number | bigint, b: number | bigint) =>
  typeof a === "number" && typeof b === "number"
    ? (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b)
    : a === b;

const nearestEven = (x: number) => {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  const res = Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
  return res === 0 ? (Object.is(x, -0) || x < 0 ? -0 : 0) : res;
};
const wrap = (bits: number) => (x: number) => {
  const m = 2 ** bits;
  let v = ((x % m) + m) % m;
  if (v >= m / 2) v -= m;
  return v;
};
const satS = (x: number) =>
  Number.isNaN(x) ? 0 : Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(x))) + 0;
const satU = (x: number) =>
  Number.isNaN(x) ? 0 : Math.max(0, Math.min(2 ** 32 - 1, Math.trunc(x))) + 0;
const mask = (c: boolean) => (c ? -1 : 0);

interface SimdCase {
  op: PlainOp;
  /** lane view used for inputs a, b */
  inK: LaneKind;
  /** lane view used for the result */
  outK: LaneKind;
  arity: 1 | 2 | 3;
  /** lane-wise reference: (a, b, i) => result lane; or whole-vector reference */
  ref: (a: any[], b: any[], c: any[]) => (number | bigint)[];
  /** i32 scalar result (any_true, all_true, bitmask) */
  scalar?: boolean;
  /** shift: second operand is an i32 */
  shift?: boolean;
}

const lw = (fn: (x: any, y: any) => number | bigint) => (a: any[], b: any[]) =>
  a.map((x, i) => fn(x, b[i]));

const F32_BIN: [string, (x: number, y: number) => number][] = [
  ["add", (x, y) => f32(x + y)],
  ["sub", (x, y) => f32(x - y)],
  ["mul", (x, y) => f32(x * y)],
  ["div", (x, y) => f32(x / y)],
  ["min", (x, y) => Math.min(x, y)],
  ["max", (x, y) => Math.max(x, y)],
  ["pmin", (x, y) => (y < x ? y : x)],
  ["pmax", (x, y) => (x < y ? y : x)],
  ["eq", (x, y) => mask(x === y)],
  ["ne", (x, y) => mask(x !== y)],
  ["lt", (x, y) => mask(x < y)],
  ["gt", (x, y) => mask(x > y)],
  ["le", (x, y) => mask(x <= y)],
  ["ge", (x, y) => mask(x >= y)],
];
const F_UN: [string, (x: number) => number][] = [
  ["abs", Math.abs],
  ["neg", (x) => -x],
  ["sqrt", Math.sqrt],
  ["ceil", Math.ceil],
  ["floor", Math.floor],
  ["trunc", Math.trunc],
  ["nearest", nearestEven],
];
type IntRef = [string, (x: number, y: number) => number];
const intBin = (bits: number): IntRef[] => {
  const w = wrap(bits);
  const u = (x: number) => (x < 0 ? x + 2 ** bits : x);
  const out: IntRef[] = [
    ["add", (x, y) => w(x + y)],
    ["sub", (x, y) => w(x - y)],
    ["eq", (x, y) => mask(x === y)],
    ["ne", (x, y) => mask(x !== y)],
    ["lt_s", (x, y) => mask(x < y)],
    ["lt_u", (x, y) => mask(u(x) < u(y))],
    ["gt_s", (x, y) => mask(x > y)],
    ["gt_u", (x, y) => mask(u(x) > u(y))],
    ["le_s", (x, y) => mask(x <= y)],
    ["le_u", (x, y) => mask(u(x) <= u(y))],
    ["ge_s", (x, y) => mask(x >= y)],
    ["ge_u", (x, y) => mask(u(x) >= u(y))],
    ["min_s", (x, y) => Math.min(x, y)],
    ["max_s", (x, y) => Math.max(x, y)],
    ["min_u", (x, y) => (u(x) <= u(y) ? x : y)],
    ["max_u", (x, y) => (u(x) >= u(y) ? x : y)],
  ];
  if (bits === 32) out.push(["mul", (x, y) => Math.imul(x, y)]);
  if (bits === 16) out.push(["mul", (x, y) => w(x * y)]);
  return out;
};

function simdCases(): SimdCase[] {
  const cases: SimdCase[] = [];
  for (const [n, fn] of F32_BIN) {
    const cmp = ["eq", "ne", "lt", "gt", "le", "ge"].includes(n);
    cases.push({
      op: `f32x4.${n}` as PlainOp,
      inK: "f32",
      outK: cmp ? "i32" : "f32",
      arity: 2,
      ref: lw(fn),
    });
    const f64fn =
      n === "add"
        ? (x: number, y: number) => x + y
        : n === "sub"
          ? (x: number, y: number) => x - y
          : n === "mul"
            ? (x: number, y: number) => x * y
            : n === "div"
              ? (x: number, y: number) => x / y
              : fn;
    cases.push({
      op: `f64x2.${n}` as PlainOp,
      inK: "f64",
      outK: cmp ? "i64" : "f64",
      arity: 2,
      ref: cmp ? lw((x, y) => BigInt(f64fn(x, y))) : lw(f64fn),
    });
  }
  for (const [n, fn] of F_UN) {
    cases.push({
      op: `f32x4.${n}` as PlainOp,
      inK: "f32",
      outK: "f32",
      arity: 1,
      ref: (a) => a.map((x) => f32(fn(x))),
    });
    cases.push({
      op: `f64x2.${n}` as PlainOp,
      inK: "f64",
      outK: "f64",
      arity: 1,
      ref: (a) => a.map(fn),
    });
  }
  for (const [bits, k] of [
    [32, "i32"],
    [16, "i16"],
    [8, "i8"],
  ] as const) {
    for (const [n, fn] of intBin(bits)) {
      const op = `i${bits}x${128 / bits}.${n}`;
      if (!(op in PLAIN_OPS)) continue;
      cases.push({ op: op as PlainOp, inK: k, outK: k, arity: 2, ref: lw(fn) });
    }
    const w = wrap(bits);
    cases.push({
      op: `i${bits}x${128 / bits}.neg` as PlainOp,
      inK: k,
      outK: k,
      arity: 1,
      ref: (a) => a.map((x) => w(-x)),
    });
    cases.push({
      op: `i${bits}x${128 / bits}.abs` as PlainOp,
      inK: k,
      outK: k,
      arity: 1,
      ref: (a) => a.map((x) => w(Math.abs(x))),
    });
    for (const [n, fn] of [
      ["shl", (x: number, s: number) => w(x * 2 ** (s % bits))],
      ["shr_s", (x: number, s: number) => Math.floor(x / 2 ** (s % bits))],
      [
        "shr_u",
        (x: number, s: number) => w(Math.floor((x < 0 ? x + 2 ** bits : x) / 2 ** (s % bits))),
      ],
    ] as const)
      cases.push({
        op: `i${bits}x${128 / bits}.${n}` as PlainOp,
        inK: k,
        outK: k,
        arity: 2,
        shift: true,
        ref: (a, b) => a.map((x) => fn(x, b[0] as number)),
      });
    cases.push({
      op: `i${bits}x${128 / bits}.all_true` as PlainOp,
      inK: k,
      outK: k,
      arity: 1,
      scalar: true,
      ref: (a) => [a.every((x) => x !== 0) ? 1 : 0],
    });
    cases.push({
      op: `i${bits}x${128 / bits}.bitmask` as PlainOp,
      inK: k,
      outK: k,
      arity: 1,
      scalar: true,
      ref: (a) => [a.reduce((acc: number, x: number, i: number) => acc | (x < 0 ? 1 << i : 0), 0)],
    });
  }
  // i64x2
  const w64 = (x: bigint) => BigInt.asIntN(64, x);
  for (const [n, fn] of [
    ["add", (x: bigint, y: bigint) => w64(x + y)],
    ["sub", (x: bigint, y: bigint) => w64(x - y)],
    ["mul", (x: bigint, y: bigint) => w64(x * y)],
    ["eq", (x: bigint, y: bigint) => BigInt(mask(x === y))],
    ["ne", (x: bigint, y: bigint) => BigInt(mask(x !== y))],
    ["lt_s", (x: bigint, y: bigint) => BigInt(mask(x < y))],
    ["gt_s", (x: bigint, y: bigint) => BigInt(mask(x > y))],
    ["le_s", (x: bigint, y: bigint) => BigInt(mask(x <= y))],
    ["ge_s", (x: bigint, y: bigint) => BigInt(mask(x >= y))],
  ] as const)
    cases.push({ op: `i64x2.${n}` as PlainOp, inK: "i64", outK: "i64", arity: 2, ref: lw(fn) });
  cases.push({
    op: "i64x2.neg",
    inK: "i64",
    outK: "i64",
    arity: 1,
    ref: (a) => a.map((x: bigint) => w64(-x)),
  });
  cases.push({
    op: "i64x2.abs",
    inK: "i64",
    outK: "i64",
    arity: 1,
    ref: (a) => a.map((x) => w64(x < 0n ? -x : x)),
  });
  for (const [n, fn] of [
    ["shl", (x: bigint, s: number) => w64(x << BigInt(s % 64))],
    ["shr_s", (x: bigint, s: number) => x >> BigInt(s % 64)],
    ["shr_u", (x: bigint, s: number) => w64(BigInt.asUintN(64, x) >> BigInt(s % 64))],
  ] as const)
    cases.push({
      op: `i64x2.${n}` as PlainOp,
      inK: "i64",
      outK: "i64",
      arity: 2,
      shift: true,
      ref: (a, b) => a.map((x) => fn(x, b[0])),
    });
  // bitwise (viewed as i32 lanes)
  cases.push({ op: "v128.and", inK: "i32", outK: "i32", arity: 2, ref: lw((x, y) => x & y) });
  cases.push({ op: "v128.or", inK: "i32", outK: "i32", arity: 2, ref: lw((x, y) => x | y) });
  cases.push({ op: "v128.xor", inK: "i32", outK: "i32", arity: 2, ref: lw((x, y) => x ^ y) });
  cases.push({ op: "v128.andnot", inK: "i32", outK: "i32", arity: 2, ref: lw((x, y) => x & ~y) });
  cases.push({ op: "v128.not", inK: "i32", outK: "i32", arity: 1, ref: (a) => a.map((x) => ~x) });
  cases.push({
    op: "v128.bitselect",
    inK: "i32",
    outK: "i32",
    arity: 3,
    ref: (a, b, c) => a.map((x, i) => (x & c[i]) | (b[i] & ~c[i])),
  });
  cases.push({
    op: "v128.any_true",
    inK: "i32",
    outK: "i32",
    arity: 1,
    scalar: true,
    ref: (a) => [a.some((x) => x !== 0) ? 1 : 0],
  });
  // conversions
  cases.push({
    op: "f32x4.convert_i32x4_s",
    inK: "i32",
    outK: "f32",
    arity: 1,
    ref: (a) => a.map(f32),
  });
  cases.push({
    op: "f32x4.convert_i32x4_u",
    inK: "u32",
    outK: "f32",
    arity: 1,
    ref: (a) => a.map(f32),
  });
  cases.push({
    op: "i32x4.trunc_sat_f32x4_s",
    inK: "f32",
    outK: "i32",
    arity: 1,
    ref: (a) => a.map(satS),
  });
  cases.push({
    op: "i32x4.trunc_sat_f32x4_u",
    inK: "f32",
    outK: "u32",
    arity: 1,
    ref: (a) => a.map(satU),
  });
  cases.push({
    op: "i32x4.trunc_sat_f64x2_s_zero",
    inK: "f64",
    outK: "i32",
    arity: 1,
    ref: (a) => [...a.map(satS), 0, 0],
  });
  cases.push({
    op: "i32x4.trunc_sat_f64x2_u_zero",
    inK: "f64",
    outK: "u32",
    arity: 1,
    ref: (a) => [...a.map(satU), 0, 0],
  });
  cases.push({
    op: "f64x2.convert_low_i32x4_s",
    inK: "i32",
    outK: "f64",
    arity: 1,
    ref: (a) => a.slice(0, 2),
  });
  cases.push({
    op: "f64x2.convert_low_i32x4_u",
    inK: "u32",
    outK: "f64",
    arity: 1,
    ref: (a) => a.slice(0, 2),
  });
  cases.push({
    op: "f64x2.promote_low_f32x4",
    inK: "f32",
    outK: "f64",
    arity: 1,
    ref: (a) => a.slice(0, 2),
  });
  cases.push({
    op: "f32x4.demote_f64x2_zero",
    inK: "f64",
    outK: "f32",
    arity: 1,
    ref: (a) => [...a.map(f32), 0, 0],
  });
  cases.push({
    op: "i64x2.extend_low_i32x4_s",
    inK: "i32",
    outK: "i64",
    arity: 1,
    ref: (a) => a.slice(0, 2).map(BigInt),
  });
  cases.push({
    op: "i64x2.extend_high_i32x4_s",
    inK: "i32",
    outK: "i64",
    arity: 1,
    ref: (a) => a.slice(2).map(BigInt),
  });
  cases.push({
    op: "i64x2.extend_low_i32x4_u",
    inK: "u32",
    outK: "i64",
    arity: 1,
    ref: (a) => a.slice(0, 2).map(BigInt),
  });
  cases.push({
    op: "i64x2.extend_high_i32x4_u",
    inK: "u32",
    outK: "i64",
    arity: 1,
    ref: (a) => a.slice(2).map(BigInt),
  });
  cases.push({
    op: "i32x4.extend_low_i16x8_s",
    inK: "i16",
    outK: "i32",
    arity: 1,
    ref: (a) => a.slice(0, 4),
  });
  cases.push({
    op: "i32x4.extend_high_i16x8_u",
    inK: "u16",
    outK: "i32",
    arity: 1,
    ref: (a) => a.slice(4),
  });
  cases.push({
    op: "i16x8.extend_low_i8x16_s",
    inK: "i8",
    outK: "i16",
    arity: 1,
    ref: (a) => a.slice(0, 8),
  });
  cases.push({
    op: "i16x8.extend_high_i8x16_u",
    inK: "u8",
    outK: "i16",
    arity: 1,
    ref: (a) => a.slice(8),
  });
  const sat = (lo: number, hi: number) => (x: number) => Math.max(lo, Math.min(hi, x));
  cases.push({
    op: "i16x8.narrow_i32x4_s",
    inK: "i32",
    outK: "i16",
    arity: 2,
    ref: (a, b) => [...a, ...b].map(sat(-32768, 32767)),
  });
  cases.push({
    op: "i8x16.narrow_i16x8_u",
    inK: "i16",
    outK: "u8",
    arity: 2,
    ref: (a, b) => [...a, ...b].map(sat(0, 255)),
  });
  for (const [bits, s, u] of [
    [8, "i8", "u8"],
    [16, "i16", "u16"],
  ] as const) {
    const sh = `i${bits}x${128 / bits}`;
    const [lo, hi, uhi] = [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1, 2 ** bits - 1];
    cases.push({
      op: `${sh}.add_sat_s` as PlainOp,
      inK: s,
      outK: s,
      arity: 2,
      ref: lw((x, y) => sat(lo, hi)(x + y)),
    });
    cases.push({
      op: `${sh}.sub_sat_s` as PlainOp,
      inK: s,
      outK: s,
      arity: 2,
      ref: lw((x, y) => sat(lo, hi)(x - y)),
    });
    cases.push({
      op: `${sh}.add_sat_u` as PlainOp,
      inK: u,
      outK: u,
      arity: 2,
      ref: lw((x, y) => sat(0, uhi)(x + y)),
    });
    cases.push({
      op: `${sh}.sub_sat_u` as PlainOp,
      inK: u,
      outK: u,
      arity: 2,
      ref: lw((x, y) => sat(0, uhi)(x - y)),
    });
  }
  cases.push({
    op: "i8x16.narrow_i16x8_s",
    inK: "i16",
    outK: "i8",
    arity: 2,
    ref: (a, b) => [...a, ...b].map(sat(-128, 127)),
  });
  cases.push({
    op: "i16x8.narrow_i32x4_u",
    inK: "i32",
    outK: "u16",
    arity: 2,
    ref: (a, b) => [...a, ...b].map(sat(0, 65535)),
  });
  for (const [op, inK, half] of [
    ["i16x8.extend_low_i8x16_u", "u8", 0],
    ["i16x8.extend_high_i8x16_s", "i8", 1],
    ["i32x4.extend_low_i16x8_u", "u16", 0],
    ["i32x4.extend_high_i16x8_s", "i16", 1],
  ] as const) {
    const outK = op.startsWith("i16") ? "i16" : "i32";
    cases.push({
      op,
      inK,
      outK,
      arity: 1,
      ref: (a) => (half ? a.slice(a.length / 2) : a.slice(0, a.length / 2)),
    });
  }
  cases.push({
    op: "i8x16.popcnt",
    inK: "u8",
    outK: "u8",
    arity: 1,
    ref: (a) => a.map((x) => x.toString(2).split("1").length - 1),
  });
  cases.push({
    op: "i8x16.avgr_u",
    inK: "u8",
    outK: "u8",
    arity: 2,
    ref: lw((x, y) => (x + y + 1) >> 1),
  });
  cases.push({
    op: "i32x4.dot_i16x8_s",
    inK: "i16",
    outK: "i32",
    arity: 2,
    ref: (a, b) => [0, 1, 2, 3].map((i) => (a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1]) | 0),
  });
  cases.push({
    op: "i8x16.swizzle",
    inK: "u8",
    outK: "u8",
    arity: 2,
    ref: (a, b) => b.map((j) => (j < 16 ? a[j] : 0)),
  });
  return cases;
}

/** Inputs: each row is 48 bytes (a, b, c vectors). */
function simdInputs(): Uint8Array[] {
  const rows: Uint8Array[] = [];
  const f32s = [
    0,
    -0,
    1,
    -1.5,
    2.5,
    -2.5,
    3.5,
    0.49999997,
    NaN,
    Infinity,
    -Infinity,
    1e-45,
    -3e38,
    3.4e38,
    7,
    1e10,
    -1e10,
    4294967040,
    2147483520,
    0.1,
  ];
  const f64s = [
    0,
    -0,
    1.5,
    -2.5,
    NaN,
    Infinity,
    -Infinity,
    5e-324,
    1e300,
    -1e300,
    0.1,
    3e9,
    -3e9,
    2.5,
    4.5,
    7,
  ];
  const i32s = [
    0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678, -0x789abcd, 255, 65535, -65536, 3, 17,
    0x40000000, -7,
  ];
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0;
  for (let r = 0; r < 40; r++) {
    const row = new DataView(new ArrayBuffer(48));
    for (let v = 0; v < 3; v++) {
      const mode = (r + v) % 4;
      for (let l = 0; l < 4; l++) {
        const off = 16 * v + 4 * l;
        if (mode === 0) row.setFloat32(off, f32s[rnd() % f32s.length]!, true);
        else if (mode === 1) row.setInt32(off, i32s[rnd() % i32s.length]!, true);
        else if (mode === 2) row.setUint32(off, rnd(), true);
        else if (l % 2 === 0) row.setFloat64(off, f64s[rnd() % f64s.length]!, true);
      }
    }
    rows.push(new Uint8Array(row.buffer));
  }
  return rows;
}

describe("FunctionBuilder: SIMD128", () => {
  it("every table op matches a lane-wise reference", () => {
    const cases = simdCases();
    const m = new ModuleBuilder();
    m.importMemory({ initial: 1 });
    cases.forEach((c, i) => {
      // (a at 0, b at 16, c at 32) -> result at 48 (v128) or returned i32
      const f = m.addFunction([], c.scalar ? ["i32"] : []);
      if (!c.scalar) f.i32Const(48);
      f.i32Const(0).mem("v128.load");
      if (c.arity >= 2) {
        if (c.shift) f.i32Const(16).mem("i32.load");
        else f.i32Const(16).mem("v128.load");
      }
      if (c.arity === 3) f.i32Const(32).mem("v128.load");
      f.op(c.op);
      if (!c.scalar) f.mem("v128.store");
      m.exportFunction(`op${i}`, f);
    });
    const memory = new WebAssembly.Memory({ initial: 1 });
    const ex = instantiate(m, { env: { memory } });
    const mem8 = new Uint8Array(memory.buffer);
    let checked = 0;
    for (const row of simdInputs()) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i]!;
        mem8.set(row, 0);
        if (c.shift) new DataView(memory.buffer).setInt32(16, row[16]! % 70, true);
        const a = lanes(memory.buffer, 0, c.inK);
        const b = c.shift
          ? [new DataView(memory.buffer).getInt32(16, true)]
          : lanes(memory.buffer, 16, c.inK);
        const cc = lanes(memory.buffer, 32, c.inK);
        const want = c.ref(a, b, cc);
        const r = ex[`op${i}`]!();
        const got = c.scalar ? [r] : lanes(memory.buffer, 48, c.outK);
        const ok = want.every((w, j) => same(got[j]!, w));
        if (!ok) throw new Error(`${c.op}: a=${a} b=${b} got ${got} want ${want}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("v128.const, splat, extract/replace lane, shuffle, lane loads/stores", () => {
    const m = new ModuleBuilder();
    m.importMemory({ initial: 1 });
    // extract lanes from a constant
    const c = m.addFunction([], ["f32"]);
    c.f32x4Const(1, 2, 3, 4).lane("f32x4.extract_lane", 2);
    const ci = m.addFunction([], ["i32"]);
    ci.i32x4Const(-5, 6, 7, 8).lane("i32x4.extract_lane", 0);
    const cd = m.addFunction([], ["f64"]);
    cd.f64x2Const(0.5, -0.25).lane("f64x2.extract_lane", 1);
    const cl = m.addFunction([], ["i64"]);
    cl.i64x2Const(-9n, 2n ** 40n).lane("i64x2.extract_lane", 1);
    const c8 = m.addFunction([], ["i32"]);
    c8.i32x4Const(0xff).lane("i8x16.extract_lane_s", 0);
    const c8u = m.addFunction([], ["i32"]);
    c8u.i32x4Const(0xff).lane("i8x16.extract_lane_u", 0);
    const c16 = m.addFunction([], ["i32"]);
    c16.i32x4Const(0xffff8000).lane("i16x8.extract_lane_s", 0);
    // splat + replace lane
    const sp = m.addFunction(["f32", "f32"], ["f32"]);
    sp.localGet(0).op("f32x4.splat").localGet(1).lane("f32x4.replace_lane", 3);
    sp.f32x4Const(0, 0, 0, 1).op("f32x4.mul").lane("f32x4.extract_lane", 3);
    const spi = m.addFunction(["i32"], ["i32"]);
    spi
      .localGet(0)
      .op("i32x4.splat")
      .i32Const(100)
      .lane("i32x4.replace_lane", 1)
      .lane("i32x4.extract_lane", 2);
    const rep8 = m.addFunction([], ["i32"]);
    rep8.i32x4Const(0).i32Const(7).lane("i8x16.replace_lane", 5).lane("i32x4.extract_lane", 1);
    const rep16 = m.addFunction([], ["i32"]);
    rep16.i32x4Const(0).i32Const(-2).lane("i16x8.replace_lane", 1).lane("i32x4.extract_lane", 0);
    const rep64 = m.addFunction([], ["f64"]);
    rep64.f64x2Const(1).f64Const(9).lane("f64x2.replace_lane", 0).lane("f64x2.extract_lane", 0);
    const repl = m.addFunction([], ["i64"]);
    repl.i64x2Const(1n).i64Const(-4n).lane("i64x2.replace_lane", 1).lane("i64x2.extract_lane", 1);
    const splats = m.addFunction([], []);
    splats.i32Const(0).i32Const(3).op("i8x16.splat").mem("v128.store");
    splats.i32Const(16).i32Const(-3).op("i16x8.splat").mem("v128.store");
    splats.i32Const(32).i64Const(-7n).op("i64x2.splat").mem("v128.store");
    splats.i32Const(48).f64Const(2.5).op("f64x2.splat").mem("v128.store");
    // shuffle: reverse the four i32 lanes of a
    const sh = m.addFunction([], []);
    sh.i32Const(64).i32Const(0).mem("v128.load").i32Const(16).mem("v128.load");
    sh.shuffle([12, 13, 14, 15, 8, 9, 10, 11, 20, 21, 22, 23, 16, 17, 18, 19]).mem("v128.store");
    // load32_splat, load32_zero, load_lane / store_lane on lane 0, extending loads
    const ls = m.addFunction([], []);
    ls.i32Const(80).i32Const(0).mem("v128.load32_splat", { offset: 4 }).mem("v128.store");
    ls.i32Const(96).i32Const(0).mem("v128.load32_zero", { offset: 8 }).mem("v128.store");
    ls.i32Const(112).i32Const(0).f32x4Const(9).memLane("v128.load32_lane", 0).mem("v128.store");
    ls.i32Const(128).i32Const(16).mem("v128.load").memLane("v128.store32_lane", 0);
    ls.i32Const(144).i32Const(0).mem("v128.load16x4_s").mem("v128.store");
    ls.i32Const(160).i32Const(0).mem("v128.load64_splat").mem("v128.store");
    ls.i32Const(176).i32Const(0).mem("v128.load", { offset: 4, align: 4 }).mem("v128.store");
    const names = [
      "c",
      "ci",
      "cd",
      "cl",
      "c8",
      "c8u",
      "c16",
      "sp",
      "spi",
      "rep8",
      "rep16",
      "rep64",
      "repl",
      "splats",
      "sh",
      "ls",
    ];
    [c, ci, cd, cl, c8, c8u, c16, sp, spi, rep8, rep16, rep64, repl, splats, sh, ls].forEach(
      (f, i) => m.exportFunction(names[i]!, f),
    );
    const memory = new WebAssembly.Memory({ initial: 1 });
    const ex = instantiate(m, { env: { memory } });
    expect(ex.c!()).toBe(3);
    expect(ex.ci!()).toBe(-5);
    expect(ex.cd!()).toBe(-0.25);
    expect(ex.cl!()).toBe(2n ** 40n);
    expect(ex.c8!()).toBe(-1);
    expect(ex.c8u!()).toBe(255);
    expect(ex.c16!()).toBe(-32768);
    expect(ex.sp!(2, 5)).toBe(5);
    expect(ex.spi!(42)).toBe(42);
    expect(ex.rep8!()).toBe(7 << 8);
    expect(ex.rep16!()).toBe(-2 << 16);
    expect(ex.rep64!()).toBe(9);
    expect(ex.repl!()).toBe(-4n);
    ex.splats!();
    expect([...new Int8Array(memory.buffer, 0, 16)]).toEqual(Array(16).fill(3));
    expect([...new Int16Array(memory.buffer, 16, 8)]).toEqual(Array(8).fill(-3));
    expect([...new BigInt64Array(memory.buffer, 32, 2)]).toEqual([-7n, -7n]);
    expect([...new Float64Array(memory.buffer, 48, 2)]).toEqual([2.5, 2.5]);
    const i32 = new Int32Array(memory.buffer);
    i32.set([1, 2, 3, 4, 5, 6, 7, 8], 0);
    ex.sh!();
    expect([...i32.subarray(16, 20)]).toEqual([4, 3, 6, 5]);
    ex.ls!();
    expect([...i32.subarray(20, 24)]).toEqual([2, 2, 2, 2]);
    expect([...i32.subarray(24, 28)]).toEqual([3, 0, 0, 0]);
    expect([...new Float32Array(memory.buffer, 112, 4)]).toEqual([
      f32(1.401298464324817e-45),
      9,
      9,
      9,
    ]);
    expect(i32[32]).toBe(5);
    expect([...new Int32Array(memory.buffer, 144, 4)]).toEqual([1, 0, 2, 0]);
    expect([...i32.subarray(40, 44)]).toEqual([1, 2, 1, 2]);
    expect([...i32.subarray(44, 48)]).toEqual([2, 3, 4, 5]);
  });
});

// ---------------------------------------------------------------------------------------------
// Threads: shared memory + atomics
// ---------------------------------------------------------------------------------------------

function atomicsModule(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory({ initial: 1, maximum: 2, shared: true });
  const add = m.addFunction(["i32", "i32"], ["i32"]); // (addr, n): n atomic increments
  const i = add.addLocal("i32");
  const out = add.block();
  const top = add.loop();
  add.localGet(i).localGet(1).op("i32.ge_u").br_if(out);
  add.localGet(0).i32Const(1).mem("i32.atomic.rmw.add").op("drop");
  add.localGet(i).i32Const(1).op("i32.add").localSet(i).br(top);
  add.end().end();
  add.localGet(0).mem("i32.atomic.load");
  const cas = m.addFunction(["i32", "i32", "i32"], ["i32"]);
  cas.localGet(0).localGet(1).localGet(2).mem("i32.atomic.rmw.cmpxchg");
  const store = m.addFunction(["i32", "i32"], []);
  store.localGet(0).localGet(1).mem("i32.atomic.store");
  const wait = m.addFunction(["i32", "i32", "i64"], ["i32"]);
  wait.localGet(0).localGet(1).localGet(2).mem("memory.atomic.wait32");
  const notify = m.addFunction(["i32", "i32"], ["i32"]);
  notify.localGet(0).localGet(1).mem("memory.atomic.notify");
  const fence = m.addFunction([], []).op("atomic.fence");
  m.exportFunction("add", add).exportFunction("cas", cas).exportFunction("store", store);
  m.exportFunction("wait", wait).exportFunction("notify", notify).exportFunction("fence", fence);
  return m.toBytes();
}

const WORKER_SRC = `
const { parentPort, workerData } = require("node:worker_threads");
const { bytes, memory, role, n } = workerData;
const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
if (role === "adder") {
  ex.add(0, n);
  parentPort.postMessage("done");
} else {
  parentPort.postMessage("ready");
  // Wait while flag at address 8 is 0 (timeout 10 s); report wait's result code.
  const r = ex.wait(8, 0, 10000000000n);
  parentPort.postMessage(r);
}
`;

function runWorker(data: object, onMessage: (msg: unknown, w: Worker) => void): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_SRC, { eval: true, workerData: data });
    const msgs: unknown[] = [];
    w.on("message", (msg) => {
      msgs.push(msg);
      onMessage(msg, w);
    });
    w.on("error", reject);
    w.on("exit", () => resolve(msgs));
  });
}

describe("FunctionBuilder: threads", () => {
  it("validates and runs atomics on shared memory (single thread)", () => {
    const bytes = atomicsModule();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })
      .exports as Exports;
    expect(ex.add!(0, 10)).toBe(10);
    expect(ex.cas!(0, 10, 99)).toBe(10);
    expect(ex.cas!(0, 10, 5)).toBe(99);
    ex.store!(4, 123);
    expect(new Int32Array(memory.buffer)[1]).toBe(123);
    ex.fence!();
    expect(ex.notify!(0, 1)).toBe(0); // nobody waiting
    expect(ex.wait!(4, 0, 0n)).toBe(1); // "not-equal"
    expect(ex.wait!(4, 123, 1000n)).toBe(2); // "timed-out" after 1 µs
    expect(() => ex.wait!(2, 0, 0n)).toThrow(); // unaligned
  });

  it("atomic adds from two workers and wait/notify across threads", async () => {
    const bytes = atomicsModule();
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })
      .exports as Exports;
    const n = 20000;
    await Promise.all([
      runWorker({ bytes, memory, role: "adder", n }, () => {}),
      runWorker({ bytes, memory, role: "adder", n }, () => {}),
    ]);
    expect(new Int32Array(memory.buffer)[0]).toBe(2 * n);

    const msgs = await runWorker({ bytes, memory, role: "waiter" }, (msg) => {
      if (msg !== "ready") return;
      // Retry notify until the waiter is actually blocked in wait32 and gets woken.
      let tries = 0;
      const wake = () => {
        if (ex.notify!(8, 1) === 1 || ++tries > 1000) return;
        setTimeout(wake, 5);
      };
      setTimeout(wake, 5);
    });
    expect(msgs).toEqual(["ready", 0]); // 0 = "ok" (woken by notify)
  });
});
