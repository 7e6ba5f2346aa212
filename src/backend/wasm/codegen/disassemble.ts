/**
 * WebAssembly text (WAT-style, folded per instruction line) of a module this project emitted:
 * what `lower(...).asText()` shows for the wasm device. Decodes the sections the encoder
 * writes (type, import, function, memory, global, export, code) and every instruction in its
 * tables (encoder.ts), so the text is exactly what V8 compiles. Not a general-purpose tool:
 * an opcode outside the encoder's tables is printed as raw bytes and decoding stops there.
 */
import type { Opcode } from "./opcode.js";
import { LANE_OPS, MEM_LANE_OPS, MEM_OPS, PLAIN_OPS } from "./opcodes.js";
import { VALTYPE_CODE, type ValType } from "./wasm-types.js";

type Decoded =
  | { readonly kind: "plain"; readonly name: string; readonly imm: number }
  | { readonly kind: "mem"; readonly name: string; readonly align: number }
  | { readonly kind: "lane"; readonly name: string }
  | { readonly kind: "memlane"; readonly name: string; readonly align: number };

const key = (prefix: number, code: number) => prefix * 0x10000 + code;

const TABLE: ReadonlyMap<number, Decoded> = (() => {
  const m = new Map<number, Decoded>();
  for (const [name, op] of Object.entries(PLAIN_OPS) as [string, Opcode][])
    m.set(key(op.prefix, op.code), { kind: "plain", name, imm: op.imm?.length ?? 0 });
  for (const [name, op] of Object.entries(MEM_OPS))
    m.set(key(op.prefix, op.code), { kind: "mem", name, align: op.align });
  for (const [name, op] of Object.entries(LANE_OPS))
    m.set(key(0xfd, op.code), { kind: "lane", name });
  for (const [name, op] of Object.entries(MEM_LANE_OPS))
    m.set(key(0xfd, op.code), { kind: "memlane", name, align: op.align });
  return m;
})();

const VALTYPE_NAME = new Map<number, ValType>(
  (Object.entries(VALTYPE_CODE) as [ValType, number][]).map(([n, c]) => [c, n]),
);

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new Error("disassemble: unexpected end of module");
    return this.b[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const x = this.byte();
      result += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return result;
      shift += 7;
    }
  }
  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    let x: number;
    do {
      x = this.byte();
      result |= BigInt(x & 0x7f) << shift;
      shift += 7n;
    } while (x & 0x80);
    if (x & 0x40) result -= 1n << shift;
    return result;
  }
  bytes(n: number): Uint8Array {
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name(): string {
    return new TextDecoder().decode(this.bytes(this.u32()));
  }
  valtype(): ValType {
    const c = this.byte();
    const t = VALTYPE_NAME.get(c);
    if (!t) throw new Error(`disassemble: unknown value type 0x${c.toString(16)}`);
    return t;
  }
}

interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

const view = new DataView(new ArrayBuffer(16));

/** The shortest decimal that rounds back to float32 `v` (f64 values print as JS does). */
function f32Text(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (Object.is(v, -0)) return "-0";
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

function floatText(bytes: Uint8Array, width: 4 | 8): string {
  for (let i = 0; i < width; i++) view.setUint8(i, bytes[i]!);
  if (width === 4) return f32Text(view.getFloat32(0, true));
  const v = view.getFloat64(0, true);
  return Number.isNaN(v) ? "nan" : Object.is(v, -0) ? "-0" : String(v);
}

/** A v128 constant as the i32x4 or f32x4 lanes (a splat as one value). */
function v128Text(bytes: Uint8Array): string {
  for (let i = 0; i < 16; i++) view.setUint8(i, bytes[i]!);
  const ints = [0, 1, 2, 3].map((l) => view.getInt32(4 * l, true));
  const floats = [0, 1, 2, 3].map((l) => view.getFloat32(4 * l, true));
  const plainFloat = (f: number) => Number.isFinite(f) && f !== 0 && Math.abs(f) > 1e-30;
  const asFloat =
    floats.every(plainFloat) || floats.every((f) => f === Infinity || f === -Infinity);
  const lanes = asFloat ? floats.map(f32Text) : ints.map((i) => String(i));
  const shown = lanes.every((l) => l === lanes[0]) ? [lanes[0]!] : lanes;
  return `${asFloat ? "f32x4" : "i32x4"} ${shown.join(" ")}`;
}

function blockType(r: Reader): string {
  const c = r.byte();
  if (c === 0x40) return "";
  const t = VALTYPE_NAME.get(c);
  return t ? ` (result ${t})` : ` (type ${c})`;
}

function memarg(r: Reader, natural: number): string {
  const align = r.u32();
  const offset = r.u32();
  return [offset ? `offset=${offset}` : "", align !== natural ? `align=${2 ** align}` : ""]
    .filter(Boolean)
    .join(" ");
}

/** The instructions of one function body (after its locals), one per line. */
function instructions(r: Reader, end: number, funcNames: ReadonlyMap<number, string>): string[] {
  const lines: string[] = [];
  let depth = 1;
  const emit = (s: string) => lines.push(`${"  ".repeat(depth)}${s}`);
  while (r.pos < end) {
    const at = r.pos;
    const c = r.byte();
    switch (c) {
      case 0x02:
      case 0x03:
      case 0x04:
        emit(`${c === 0x02 ? "block" : c === 0x03 ? "loop" : "if"}${blockType(r)}`);
        depth++;
        continue;
      case 0x05:
        depth--;
        emit("else");
        depth++;
        continue;
      case 0x0b:
        depth--;
        if (depth > 0) emit("end");
        continue;
      case 0x0c:
      case 0x0d:
        emit(`${c === 0x0c ? "br" : "br_if"} ${r.u32()}`);
        continue;
      case 0x0e: {
        const n = r.u32();
        const targets = Array.from({ length: n + 1 }, () => r.u32());
        emit(`br_table ${targets.join(" ")}`);
        continue;
      }
      case 0x10: {
        const i = r.u32();
        emit(`call ${funcNames.get(i) ?? i}`);
        continue;
      }
      case 0x1c: {
        const n = r.u32();
        emit(`select (result ${Array.from({ length: n }, () => r.valtype()).join(" ")})`);
        continue;
      }
      case 0x20:
      case 0x21:
      case 0x22:
        emit(`local.${c === 0x20 ? "get" : c === 0x21 ? "set" : "tee"} ${r.u32()}`);
        continue;
      case 0x23:
      case 0x24:
        emit(`global.${c === 0x23 ? "get" : "set"} ${r.u32()}`);
        continue;
      case 0x41:
        emit(`i32.const ${Number(r.s64())}`);
        continue;
      case 0x42:
        emit(`i64.const ${r.s64()}`);
        continue;
      case 0x43:
        emit(`f32.const ${floatText(r.bytes(4), 4)}`);
        continue;
      case 0x44:
        emit(`f64.const ${floatText(r.bytes(8), 8)}`);
        continue;
    }
    const prefixed = c === 0xfc || c === 0xfd || c === 0xfe;
    const code = prefixed ? r.u32() : c;
    if (c === 0xfd && code === 0x0c) {
      emit(`v128.const ${v128Text(r.bytes(16))}`);
      continue;
    }
    if (c === 0xfd && code === 0x0d) {
      emit(`i8x16.shuffle ${Array.from(r.bytes(16)).join(" ")}`);
      continue;
    }
    const d = TABLE.get(key(prefixed ? c : 0, code));
    if (!d) {
      emit(`;; undecoded bytes: ${Array.from(r.b.subarray(at, Math.min(end, at + 8))).join(" ")}`);
      return lines;
    }
    if (d.kind === "plain") {
      r.bytes(d.imm);
      emit(d.name);
    } else if (d.kind === "mem") {
      emit(`${d.name} ${memarg(r, d.align)}`.trimEnd());
    } else if (d.kind === "lane") {
      emit(`${d.name} ${r.byte()}`);
    } else {
      const m = memarg(r, d.align);
      emit(`${d.name} ${m} ${r.byte()}`.replace(/ +/g, " "));
    }
  }
  return lines;
}

/** The module's functions as text (imports and types are summarized in each header). */
export function disassemble(bytes: Uint8Array): string {
  const r = new Reader(bytes);
  r.pos = 8; // magic + version
  const types: FuncType[] = [];
  const funcTypes: number[] = [];
  const funcNames = new Map<number, string>();
  let importedFuncs = 0;
  const out: string[] = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.u32(); n > 0; n--) {
        r.byte(); // 0x60
        const params = Array.from({ length: r.u32() }, () => r.valtype());
        const results = Array.from({ length: r.u32() }, () => r.valtype());
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        const mod = r.name();
        const field = r.name();
        const kind = r.byte();
        if (kind === 0x00) {
          r.u32(); // type index
          funcNames.set(importedFuncs++, `$${mod}.${field}`);
        } else if (kind === 0x02) {
          const flags = r.byte();
          const initial = r.u32();
          const max = flags & 1 ? r.u32() : undefined;
          out.push(
            `(import "${mod}" "${field}" (memory ${initial}${max !== undefined ? ` ${max}` : ""}${flags & 2 ? " shared" : ""}))`,
          );
        }
      }
    } else if (id === 3) {
      for (let n = r.u32(); n > 0; n--) funcTypes.push(r.u32());
    } else if (id === 7) {
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name();
        const kind = r.byte();
        const index = r.u32();
        if (kind === 0x00) funcNames.set(index, `$${name}`);
      }
    } else if (id === 10) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const bodySize = r.u32();
        const bodyEnd = r.pos + bodySize;
        const index = importedFuncs + i;
        const t = types[funcTypes[i]!]!;
        const locals: string[] = [];
        for (let g = r.u32(); g > 0; g--) {
          const count = r.u32();
          const type = r.valtype();
          locals.push(count === 1 ? type : `${type}×${count}`);
        }
        const sig =
          (t.params.length ? ` (param ${t.params.join(" ")})` : "") +
          (t.results.length ? ` (result ${t.results.join(" ")})` : "") +
          (locals.length ? ` (local ${locals.join(" ")})` : "");
        out.push(`(func ${funcNames.get(index) ?? `$f${index}`}${sig}`);
        out.push(...instructions(r, bodyEnd, funcNames));
        out[out.length - 1] += ")";
        r.pos = bodyEnd;
      }
    }
    r.pos = end;
  }
  return out.join("\n");
}
