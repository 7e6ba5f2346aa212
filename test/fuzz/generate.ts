/**
 * Grows a random program from a seed: inputs of random shapes (0- and 1-sized and odd dims,
 * ranks 0–3) and dtypes, then 1–6 ops, each made by a maker from ops-*.ts on a recent value and
 * run at once on the reference (the js device, eagerly) — which gives the avals the next maker
 * needs and the reference outputs. The program returns its sinks (values nothing reads).
 */
import type { Array } from "../../src/index.js";
import { type Ctx, DIMS, type Value } from "./context.js";
import { binaryOps, reduceOps, unaryOps, type OpMaker } from "./ops-elementwise.js";
import { controlOps } from "./ops-control.js";
import { structureOps } from "./ops-structure.js";
import {
  type Aval,
  type Input,
  type Line,
  type Program,
  Rng,
  evalLine,
  inputExpr,
  isFloat,
  on,
  sizeOf,
} from "./program.js";

export interface GenOptions {
  readonly x64: boolean;
  /** Gradient programs: float64 inputs without ties, differentiable ops only. */
  readonly smooth: boolean;
  /** Op names left out of the generator (a known bug's construct, named where it is listed). */
  readonly exclude?: readonly string[];
}

export interface Generated {
  readonly program: Program;
  /** The reference (js device, eager) outputs. */
  readonly reference: Array[];
  /** Set when the reference run itself raised on a line (the program ends at that line). */
  readonly referenceError?: unknown;
}

const ALL_OPS: OpMaker[] = [
  ...unaryOps,
  ...binaryOps,
  ...reduceOps,
  ...structureOps,
  ...controlOps,
];
/** Transcendental calls inside an expression (control-flow bodies carry them in their text). */
const TRANSCENDENTAL = /\bjnp\.(sin|cos|tanh|exp|expm1|log1p|sqrt|divide|arctan2|mean)\(/;
/** Makers whose float results may differ between devices in the last ulp. */
const APPROXIMATE = new Set([
  "sin",
  "cos",
  "tanh",
  "exp",
  "expm1",
  "log1p_abs",
  "sqrt_abs",
  "divide",
  "arctan2",
  "mean",
]);
/** Results larger than this are not kept (broadcasts of broadcasts grow fast). */
const MAX_ELEMENTS = 4096;

export function dtypesFor(o: GenOptions): string[] {
  if (o.smooth) return ["float64"];
  const base = ["float32", "float32", "int32", "bool", "uint8", "float16"];
  return o.x64 ? [...base, "float64", "float64", "int64"] : base;
}

export function generate(seed: number, o: GenOptions): Generated {
  const r = new Rng(seed);
  const dtypes = dtypesFor(o);
  const inputs: Input[] = [];
  const lines: Line[] = [];
  const env = new Map<string, Array>();
  const values: Value[] = [];
  const ctx: Ctx = {
    r,
    x64: o.x64,
    smooth: o.smooth,
    dtypes,
    values: () => values,
    newInput(aval: Aval): string {
      const name = `x${inputs.length}`;
      const expr = inputExpr(r, aval, o.smooth ? "smooth" : "grid");
      inputs.push({ name, aval, expr });
      env.set(
        name,
        on("js", () => evalLine(expr, new Map())),
      );
      values.push({ name, aval });
      return name;
    },
  };
  const randomShape = () => [...globalThis.Array(r.int(0, 3))].map(() => r.pick(DIMS));
  for (let i = r.int(1, 2); i > 0; i--)
    ctx.newInput({ shape: randomShape(), dtype: r.pick(dtypes) });
  const makers = ALL_OPS.filter((m) => (!o.smooth || m.smooth) && !o.exclude?.includes(m.name));
  const nOps = r.int(1, 6);
  for (let k = 0; k < nOps; k++) {
    for (let attempt = 0; attempt < 12; attempt++) {
      const recent = values.slice(-2);
      const a = r.chance(0.6) ? r.pick(recent) : r.pick(values);
      const maker = r.pick(makers);
      const expr = maker.make(ctx, a);
      if (expr === null) continue;
      const name = `v${lines.length}`;
      let out: Array;
      try {
        out = on("js", () => evalLine(expr, env));
      } catch (e) {
        lines.push({ name, expr, aval: { shape: [], dtype: "?" } });
        const program = { x64: o.x64, inputs, lines, outputs: [name] };
        return { program, reference: [], referenceError: e };
      }
      if (sizeOf(out.shape) > MAX_ELEMENTS) continue;
      const aval = { shape: out.shape, dtype: out.dtype.name };
      lines.push({ name, expr, aval });
      env.set(name, out);
      const refs: string[] = expr.match(/\b[xv]\d+\b/g) ?? [];
      const approx =
        APPROXIMATE.has(maker.name) ||
        TRANSCENDENTAL.test(expr) ||
        values.some((v) => v.approx && refs.includes(v.name));
      values.push({ name, aval, approx: approx && isFloat(aval.dtype) });
      break;
    }
  }
  if (lines.length === 0) {
    const x = inputs[0]!;
    const aval = x.aval;
    lines.push({ name: "v0", expr: `jnp.add(${x.name}, ${x.name})`, aval });
    env.set(
      "v0",
      on("js", () => evalLine(`jnp.add(${x.name}, ${x.name})`, env)),
    );
  }
  const used = new Set(lines.flatMap((l) => l.expr.match(/\b[xv]\d+\b/g) ?? []));
  const outputs = lines.map((l) => l.name).filter((n) => !used.has(n));
  const program: Program = { x64: o.x64, inputs, lines, outputs };
  return { program, reference: outputs.map((n) => env.get(n)!) };
}
