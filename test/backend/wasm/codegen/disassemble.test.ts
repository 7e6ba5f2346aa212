/**
 * The WebAssembly text shown by `lower(...).asText()` on the wasm device: every instruction the
 * encoder can emit decodes back to its name and immediates (a round trip over the encoder's
 * tables), and a compiled kernel program reads as its module.
 */
import { describe, expect, it } from "vitest";
import {
  LANE_OPS,
  MEM_LANE_OPS,
  MEM_OPS,
  PLAIN_OPS,
  type LaneOp,
  type MemLaneOp,
  type MemOp,
  type PlainOp,
} from "../../../../src/backend/wasm/codegen/opcodes.js";
import { ModuleBuilder } from "../../../../src/backend/wasm/codegen/encoder.js";
import { disassemble } from "../../../../src/backend/wasm/codegen/disassemble.js";
import { jit, numpy as jnp, type Array } from "../../../../src/index.js";

/** The instruction lines of the module's first defined function, indentation removed. */
function body(text: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("(func"));
  const out = lines.slice(start + 1).map((l) => l.trim());
  out[out.length - 1] = out[out.length - 1]!.replace(/\)$/, ""); // the function's closing paren
  return out;
}

describe("disassemble", () => {
  it("decodes every instruction of the encoder's tables (names and immediates)", () => {
    // Not a valid function (no stack discipline); decoding does not validate.
    const m = new ModuleBuilder();
    m.importMemory({ initial: 1, maximum: 2, shared: true });
    const f = m.addFunction(["i32", "v128"], ["v128"]);
    const want: string[] = [];
    for (const name of Object.keys(PLAIN_OPS) as PlainOp[]) {
      f.op(name);
      want.push(name);
    }
    for (const name of Object.keys(MEM_OPS) as MemOp[]) {
      const natural = MEM_OPS[name].align;
      f.mem(name, { offset: 48 });
      want.push(`${name} offset=48`);
      if (natural > 0 && !("atomic" in MEM_OPS[name])) {
        f.mem(name, { align: 1 });
        want.push(`${name} align=1`);
      }
    }
    for (const name of Object.keys(LANE_OPS) as LaneOp[]) {
      f.lane(name, 1);
      want.push(`${name} 1`);
    }
    for (const name of Object.keys(MEM_LANE_OPS) as MemLaneOp[]) {
      f.memLane(name, 1, { offset: 8 });
      want.push(`${name} offset=8 1`);
    }
    f.i32Const(-7)
      .i64Const(-(2n ** 40n))
      .f32Const(0.1)
      .f64Const(-2.5);
    want.push("i32.const -7", "i64.const -1099511627776", "f32.const 0.1", "f64.const -2.5");
    f.f32x4Const(1.5)
      .i32x4Const(1, 2, 3, 4)
      .shuffle([0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]);
    want.push(
      "v128.const f32x4 1.5",
      "v128.const i32x4 1 2 3 4",
      "i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23",
    );
    f.localGet(0).localSet(1).localTee(0);
    want.push("local.get 0", "local.set 1", "local.tee 0");
    const outer = f.block();
    const loop = f.loop("i32");
    f.br_if(outer).br(loop);
    f.if();
    f.else();
    f.end().end().end();
    want.push("block", "loop (result i32)", "br_if 1", "br 0", "if", "else", "end", "end", "end");
    m.exportFunction("everything", f);
    const text = disassemble(m.toBytes());
    expect(text.split("\n")[0]).toBe('(import "env" "memory" (memory 1 2 shared))');
    expect(text).toContain("(func $everything (param i32 v128) (result v128)");
    expect(body(text)).toEqual(want);
  });

  it("shows a jitted kernel's module: sigmoid is one vector loop with a division", () => {
    const f = jit((x: Array) => jnp.divide(1, jnp.exp(x.neg()).add(1)));
    const text = f.lower(jnp.arange(1000).astype("float32")).asText();
    const wat = text.slice(text.indexOf(";; WebAssembly"));
    expect(wat).toContain("(func $k0 (param i32 i32 i32)");
    expect(wat).toContain("f32x4.div");
    expect(wat).toContain("v128.store");
    expect(wat).not.toContain("undecoded");
    // every block/loop/if is closed (a function's last line carries its closing paren)
    const lines = body(wat).filter((l) => !l.startsWith("(func"));
    const opened = lines.filter((l) => /^(block|loop|if)\b/.test(l)).length;
    const closed = lines.filter((l) => /^end\)?$/.test(l)).length;
    expect(opened).toBeGreaterThan(0);
    expect(closed).toBe(opened);
  });
});

describe("hoisted vector constants (ModuleBuilder hoistV128Constants)", () => {
  // f(x) = (x · 3 + 3) · 0.5 over f32x4, with the constant 3 used twice.
  const build = (hoist: boolean) => {
    const m = new ModuleBuilder(false, hoist);
    const f = m.addFunction(["f32"], ["f32"]);
    f.f32x4Const(0);
    f.localGet(0).lane("f32x4.replace_lane", 0); // x in lane 0
    f.f32x4Const(3).op("f32x4.mul").f32x4Const(3).op("f32x4.add");
    f.f32x4Const(0.5).op("f32x4.mul").lane("f32x4.extract_lane", 0);
    m.exportFunction("f", f);
    return m.toBytes();
  };

  it("sets each distinct constant once at entry and reads a local at each use", () => {
    const lines = body(disassemble(build(true)));
    const consts = lines.filter((l) => l.startsWith("v128.const"));
    expect(consts).toHaveLength(3); // 0, 3 and 0.5
    expect(consts[1]).toBe("v128.const f32x4 3");
    expect(consts[2]).toBe("v128.const f32x4 0.5");
    // All at the top, each followed by its local.set; the body then only reads locals.
    expect(lines.slice(0, 6).filter((l) => l.startsWith("local.set"))).toHaveLength(3);
    expect(lines.slice(6).some((l) => l.startsWith("v128.const"))).toBe(false);
    expect(lines.slice(6).filter((l) => /^local\.get [1-3]$/.test(l))).toHaveLength(4);
    expect(body(disassemble(build(false))).filter((l) => l.startsWith("v128.const"))).toHaveLength(
      4,
    );
  });

  it("computes the same values as inline constants", () => {
    const run = (bytes: Uint8Array<ArrayBuffer>) =>
      new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports["f"] as (x: number) => number;
    const [hoisted, inline] = [run(build(true)), run(build(false))];
    for (const x of [0, 1, -2.5, 1e30, Number.NaN]) {
      expect(Object.is(hoisted(x), inline(x))).toBe(true);
      const r = Math.fround;
      if (!Number.isNaN(x)) expect(hoisted(x)).toBe(r(r(r(r(x) * 3) + 3) * 0.5));
    }
  });
});
