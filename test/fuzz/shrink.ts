/**
 * Shrinks a failing program to a smaller one that still fails (any failure counts): keep one
 * output, drop lines and inputs nothing reads, bypass a line by one of its operands of the same
 * aval, then make input data zeros. Greedy, to a fixed point; each try re-runs the four ways.
 */
import type { Input, Line, Program } from "./program.js";

const refs = (expr: string): string[] => expr.match(/\b[xv]\d+\b/g) ?? [];

/** `p` without the lines and inputs its outputs do not need. */
export function prune(p: Program): Program {
  const need = new Set(p.outputs);
  for (let i = p.lines.length - 1; i >= 0; i--) {
    const l = p.lines[i]!;
    if (need.has(l.name)) for (const n of refs(l.expr)) need.add(n);
  }
  return {
    ...p,
    lines: p.lines.filter((l) => need.has(l.name)),
    inputs: p.inputs.filter((i) => need.has(i.name)),
  };
}

const replaceName = (expr: string, from: string, to: string): string =>
  expr.replace(new RegExp(`\\b${from}\\b`, "g"), to);

/** Variants of `p` one step smaller, most promising first. */
function* candidates(p: Program): Generator<Program> {
  if (p.outputs.length > 1) for (const o of p.outputs) yield prune({ ...p, outputs: [o] });
  // Bypass line i: its readers read one of its operands of the same aval instead.
  for (let i = p.lines.length - 1; i >= 0; i--) {
    const l = p.lines[i]!;
    const avalOf = new Map<string, string>([
      ...p.inputs.map((x): [string, string] => [x.name, JSON.stringify(x.aval)]),
      ...p.lines.map((x): [string, string] => [x.name, JSON.stringify(x.aval)]),
    ]);
    for (const op of new Set(refs(l.expr))) {
      if (avalOf.get(op) !== JSON.stringify(l.aval)) continue;
      const lines: Line[] = p.lines
        .filter((_, k) => k !== i)
        .map((x) => ({ ...x, expr: replaceName(x.expr, l.name, op) }));
      const outputs = p.outputs.map((o) => (o === l.name ? op : o));
      if (outputs.some((o) => o.startsWith("x"))) continue;
      yield prune({ ...p, lines, outputs });
    }
  }
  // Simpler data: zeros of the same shape and dtype.
  for (let k = 0; k < p.inputs.length; k++) {
    const x = p.inputs[k]!;
    const zeros = `jnp.zeros([${x.aval.shape.join(", ")}], "${x.aval.dtype}")`;
    if (x.expr === zeros) continue;
    const inputs: Input[] = p.inputs.map((y, j) => (j === k ? { ...y, expr: zeros } : y));
    yield { ...p, inputs };
  }
}

const size = (p: Program): number =>
  p.lines.length * 1000 + p.inputs.reduce((n, x) => n + x.expr.length, 0);

/** The smallest failing variant of `p` greedy steps reach (`fails` re-runs the check). */
export function shrink(p: Program, fails: (q: Program) => boolean, budget = 200): Program {
  let best = prune(p);
  let tries = 0;
  for (let progress = true; progress && tries < budget;) {
    progress = false;
    for (const q of candidates(best)) {
      if (++tries > budget) break;
      if (size(q) < size(best) && fails(q)) {
        best = q;
        progress = true;
        break;
      }
    }
  }
  return best;
}
