/** Scalar float32 ops without a wasm instruction: nextafter and the exact remainder (fmod). */
import type { FunctionBuilder } from "./function-builder.js";
import { withTemps } from "./codegen-values.js";

/** nextafter on float32 (as rt.nextafter32). */
export function nextafter(f: FunctionBuilder, A: () => void, B: () => void): void {
  withTemps(f, ["f32"], (t) => {
    // bits(a) + ((a < b) == (a > 0) ? 1 : -1)
    A();
    f.op("i32.reinterpret_f32");
    A();
    B();
    f.op("f32.lt");
    A();
    f.f32Const(0).op("f32.gt").op("i32.eq").i32Const(1).op("i32.shl").i32Const(1).op("i32.sub");
    f.op("i32.add").op("f32.reinterpret_i32").localSet(t);
    // a == 0 -> smallest subnormal with b's sign
    f.f32Const(1.401298464324817e-45);
    B();
    f.op("f32.copysign").localGet(t);
    A();
    f.f32Const(0).op("f32.eq").op("select").localSet(t);
    B();
    f.localGet(t);
    A();
    B();
    f.op("f32.eq").op("select").localSet(t);
    f.f32Const(NaN).localGet(t);
    A();
    A();
    f.op("f32.ne");
    B();
    B();
    f.op("f32.ne").op("i32.or").op("select");
  });
}

/**
 * Exact float32 remainder with the sign of the dividend (C fmod, as JS `%`), in f64: the
 * divisor is scaled by 2^26 steps so that every partial quotient stays below 2^26 and each
 * step x - q·t is exact.
 */
export function fmod(f: FunctionBuilder, A: () => void, B: () => void): void {
  withTemps(f, ["f64", "f64", "f64", "f64"], (x, y, t, q) => {
    A();
    f.op("f32.abs").op("f64.promote_f32").localSet(x);
    B();
    f.op("f32.abs").op("f64.promote_f32").localSet(y);
    const outer = f.block();
    f.localGet(y).f64Const(0).op("f64.gt").op("i32.eqz").br_if(outer); // b == 0 or NaN
    const again = f.loop();
    f.localGet(x).localGet(y).op("f64.lt").br_if(outer);
    f.localGet(y).localSet(t);
    // grow t by 2^26 while t·2^26 <= x (y finite nonzero here; inf/0/NaN are patched below)
    const grown = f.block();
    const grow = f.loop();
    f.localGet(t)
      .f64Const(67108864)
      .op("f64.mul")
      .localTee(q)
      .localGet(x)
      .op("f64.gt")
      .br_if(grown);
    f.localGet(q).op("f64.abs").f64Const(Infinity).op("f64.eq").br_if(grown);
    f.localGet(q).localSet(t).br(grow);
    f.end();
    f.end();
    f.localGet(x)
      .localGet(x)
      .localGet(t)
      .op("f64.div")
      .op("f64.trunc")
      .localGet(t)
      .op("f64.mul")
      .op("f64.sub")
      .localTee(x);
    f.f64Const(0).op("f64.lt");
    f.if();
    f.localGet(x).localGet(t).op("f64.add").localSet(x);
    f.end();
    // stop on non-finite / NaN inputs (handled by the selects below)
    f.localGet(x).localGet(x).op("f64.ne").br_if(outer);
    f.br(again);
    f.end();
    f.end();
    // result = copysign(x, a); NaN if b == 0, a infinite or either NaN; a if b infinite
    f.f32Const(NaN);
    A();
    f.localGet(x).op("f32.demote_f64");
    A();
    f.op("f32.copysign");
    B();
    f.op("f32.abs").f32Const(Infinity).op("f32.eq").op("select");
    B();
    f.f32Const(0).op("f32.eq");
    A();
    f.op("f32.abs").f32Const(Infinity).op("f32.eq").op("i32.or");
    A();
    A();
    f.op("f32.ne").op("i32.or");
    B();
    B();
    f.op("f32.ne").op("i32.or").op("select");
  });
}
