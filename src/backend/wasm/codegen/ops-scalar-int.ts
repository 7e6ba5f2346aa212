/** Scalar integer binary ops with the JS device's semantics (see ops-scalar.ts). */
import type { DType } from "../../../core/dtype.js";
import type { BinaryOp } from "../../../kernel/expr.js";
import type { FunctionBuilder } from "./function-builder.js";
import type { PlainOp } from "./opcodes.js";
import { bitsOf, maxOf, withTemps, wrapS } from "./codegen-values.js";

const INT_MIN = -2147483648;

export function intBinary(
  f: FunctionBuilder,
  fn: BinaryOp,
  d: DType,
  A: () => void,
  B: () => void,
  nonneg: boolean,
): void {
  const signed = d.isSigned;
  const bits = bitsOf(d);
  const simple = (op: PlainOp, wrap: boolean) => {
    A();
    B();
    f.op(op);
    if (wrap) wrapS(f, d);
  };
  switch (fn) {
    case "add":
      return simple("i32.add", true);
    case "sub":
      return simple("i32.sub", true);
    case "mul":
      return simple("i32.mul", true);
    case "and":
      return simple("i32.and", false);
    case "or":
      return simple("i32.or", false);
    case "xor":
      return simple("i32.xor", false);
    case "max":
    case "min": {
      A();
      B();
      A();
      B();
      const gt = signed ? "i32.gt_s" : "i32.gt_u";
      const lt = signed ? "i32.lt_s" : "i32.lt_u";
      f.op(fn === "max" ? gt : lt).op("select");
      return;
    }
    case "div": {
      // b == 0 -> -1 (unsigned: the type's max); int32 MIN / -1 -> MIN (divide by 1 instead)
      f.i32Const(signed ? -1 : maxOf(d));
      A();
      f.i32Const(1);
      B();
      B();
      f.op("i32.eqz");
      if (signed && bits === 32) {
        A();
        f.i32Const(INT_MIN).op("i32.eq");
        B();
        f.i32Const(-1).op("i32.eq").op("i32.and").op("i32.or");
      }
      f.op("select").op(signed ? "i32.div_s" : "i32.div_u");
      if (signed) wrapS(f, d);
      B();
      f.op("i32.eqz").op("select");
      return;
    }
    case "rem":
      A();
      A();
      f.i32Const(1);
      B();
      B();
      f.op("i32.eqz")
        .op("select")
        .op(signed ? "i32.rem_s" : "i32.rem_u");
      B();
      f.op("i32.eqz").op("select");
      return;
    case "shl":
      f.i32Const(0);
      simple("i32.shl", true);
      B();
      f.i32Const(bits).op("i32.ge_u").op("select");
      return;
    case "shr_logical":
      f.i32Const(0);
      A();
      if (signed && bits < 32) f.i32Const(2 ** bits - 1).op("i32.and");
      B();
      f.op("i32.shr_u");
      wrapS(f, d);
      B();
      f.i32Const(bits).op("i32.ge_u").op("select");
      return;
    case "shr_arith":
      A();
      if (!signed && bits < 32)
        f.i32Const(32 - bits)
          .op("i32.shl")
          .i32Const(32 - bits)
          .op("i32.shr_s");
      f.i32Const(bits - 1);
      B();
      B();
      f.i32Const(bits).op("i32.ge_u").op("select").op("i32.shr_s");
      wrapS(f, d);
      return;
    case "pow":
      return ipow(f, d, A, B);
    case "floordiv":
      // b is a positive constant: floor(a / b) = trunc + (remainder < 0 ? -1 : 0)
      A();
      B();
      f.op("i32.div_s");
      if (!nonneg) {
        A();
        B();
        f.op("i32.rem_s").i32Const(31).op("i32.shr_s").op("i32.add");
      }
      return;
    case "floormod":
      A();
      B();
      f.op("i32.rem_s");
      if (!nonneg) {
        withTemps(f, ["i32"], (r) => {
          f.localTee(r);
          B();
          f.localGet(r).i32Const(31).op("i32.shr_s").op("i32.and").op("i32.add");
        });
      }
      return;
    default:
      throw new Error(`wasm: binary ${fn} on ${d.name}`);
  }
}

/** Integer power by squaring with wrapping; negative exponents give 0 unless |a| = 1 (as rt.ipow). */
function ipow(f: FunctionBuilder, d: DType, A: () => void, B: () => void): void {
  withTemps(f, ["i32", "i32", "i32"], (r, base, e) => {
    f.i32Const(1).localSet(r);
    A();
    f.localSet(base);
    B();
    f.localSet(e);
    if (d.isSigned) {
      B();
      f.i32Const(0).op("i32.lt_s");
      f.if();
      // a == 1 ? 1 : a == -1 ? (b & 1 ? -1 : 1) : 0
      f.i32Const(1);
      f.i32Const(-1).i32Const(1);
      B();
      f.i32Const(1).op("i32.and").op("select");
      f.i32Const(0);
      A();
      f.i32Const(-1).op("i32.eq").op("select");
      A();
      f.i32Const(1).op("i32.eq").op("select").localSet(r);
      f.i32Const(0).localSet(e);
      f.end();
    }
    const out = f.block();
    const top = f.loop();
    f.localGet(e).op("i32.eqz").br_if(out);
    f.localGet(e).i32Const(1).op("i32.and");
    f.if();
    f.localGet(r).localGet(base).op("i32.mul").localSet(r);
    f.end();
    f.localGet(base).localGet(base).op("i32.mul").localSet(base);
    f.localGet(e).i32Const(1).op("i32.shr_u").localSet(e);
    f.br(top);
    f.end();
    f.end();
    f.localGet(r);
    wrapS(f, d);
  });
}
