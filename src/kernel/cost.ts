/**
 * Cost analysis of a kernel program (what `Lowered.costAnalysis()` reports): floating-point
 * and integer operations, transcendental operations, and bytes accessed, per kernel, summed.
 *
 * The rules follow XLA's HloCostAnalysis where our IR allows:
 *  - an elementwise op (unary, binary, select, cast, comparison) is one flop per evaluation;
 *    exp, log, pow, sqrt, rsqrt, cbrt, tanh, logistic, trig, hyperbolic and the erf/gamma
 *    family count as transcendentals instead; bitcasts, loads, constants and index arithmetic
 *    (load addresses, `lin` forms) are free;
 *  - an op's evaluations are the product of the loop (and reduction) extents it depends on,
 *    so an op on a broadcast operand counts at the operand's size, as XLA counts it at its
 *    HLO shape;
 *  - a reduction adds one flop per element reduced; a dot kernel is 2·batch·m·n·k flops plus
 *    its epilogue per output element;
 *  - bytes accessed per kernel = the bytes of every buffer it reads plus the bytes it writes;
 *  - custom kernels (sort, scatter, factorizations) contribute their bytes, no flops (as XLA's
 *    custom calls); a `cond` counts its costliest branch; a `while` counts its condition and
 *    body once (the trip count is not known statically, as XLA).
 */
import { type Expr, type UnaryOp, topoSort } from "./expr.js";
import { ACC_BUFFER, type BufferInfo, type Kernel, type Program } from "./kernel.js";

export interface KernelCost {
  readonly flops: number;
  readonly transcendentals: number;
  readonly bytesAccessed: number;
}

const TRANSCENDENTAL: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  "sqrt", "rsqrt", "cbrt", "exp", "exp2", "expm1", "log", "log1p", "tanh", "logistic",
  "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
  "erf", "erfc", "erf_inv", "lgamma", "digamma",
]); // prettier-ignore

const ZERO: KernelCost = { flops: 0, transcendentals: 0, bytesAccessed: 0 };

function add(a: KernelCost, b: KernelCost): KernelCost {
  return {
    flops: a.flops + b.flops,
    transcendentals: a.transcendentals + b.transcendentals,
    bytesAccessed: a.bytesAccessed + b.bytesAccessed,
  };
}

/** Ops of value expressions (not addresses): flops and transcendentals over `extents`. */
function exprOps(roots: readonly Expr[], extents: ReadonlyMap<string, number>) {
  // Axes each node depends on ("i0", "r1", …), memoized per node.
  const deps = new Map<Expr, ReadonlySet<string>>();
  const depsOf = (e: Expr): ReadonlySet<string> => {
    let d = deps.get(e);
    if (d) return d;
    const s = new Set<string>();
    for (const n of topoSort([e])) {
      if (n.op === "idx") s.add(`i${n.axis}`);
      else if (n.op === "ridx") s.add(`r${n.axis}`);
    }
    if (e.op === "reduce") for (const k of [...s]) if (k.startsWith("r")) s.delete(k);
    deps.set(e, (d = s));
    return d;
  };
  const count = (e: Expr, rExtents: readonly number[]) => {
    let c = 1;
    for (const k of depsOf(e)) {
      c *= k.startsWith("i") ? (extents.get(k) ?? 1) : (rExtents[Number(k.slice(1))] ?? 1);
    }
    return c;
  };
  let flops = 0;
  let transcendentals = 0;
  const seen = new Set<Expr>();
  const visit = (e: Expr, rExtents: readonly number[]): void => {
    if (seen.has(e)) return;
    seen.add(e);
    switch (e.op) {
      case "const":
      case "idx":
      case "ridx":
      case "lin":
      case "load": // its address is index arithmetic
        return;
      case "bitcast":
        return visit(e.x, rExtents);
      case "unary":
        if (TRANSCENDENTAL.has(e.fn)) transcendentals += count(e, rExtents);
        else flops += count(e, rExtents);
        return visit(e.x, rExtents);
      case "binary":
        if (e.fn === "pow" || e.fn === "atan2") transcendentals += count(e, rExtents);
        else flops += count(e, rExtents);
        visit(e.a, rExtents);
        return visit(e.b, rExtents);
      case "select":
        flops += count(e, rExtents);
        visit(e.cond, rExtents);
        visit(e.a, rExtents);
        return visit(e.b, rExtents);
      case "cast":
        flops += count(e, rExtents);
        return visit(e.x, rExtents);
      case "reduce":
        // One combine per element reduced; the body over the reduction's extents.
        flops += count(e, rExtents) * e.sizes.reduce((p, s) => p * s, 1);
        return visit(e.body, e.sizes);
    }
  };
  for (const r of roots) visit(r, []);
  return { flops, transcendentals };
}

function loadedBuffers(roots: readonly Expr[]): Set<number> {
  const out = new Set<number>();
  for (const e of topoSort(roots))
    if (e.op === "load" && e.buffer !== ACC_BUFFER) out.add(e.buffer);
  return out;
}

function kernelCost(k: Kernel, buffers: readonly BufferInfo[]): KernelCost {
  const bytes = (id: number) => buffers[id]!.size * buffers[id]!.dtype.itemsize;
  switch (k.kind) {
    case "loop": {
      const extents = new Map(k.shape.map((s, i) => [`i${i}`, s] as const));
      const elems = k.shape.reduce((p, s) => p * s, 1);
      const roots = k.outputs.map((o) => o.expr);
      const ops = exprOps(roots, extents);
      let b = 0;
      for (const id of loadedBuffers(roots)) b += bytes(id);
      for (const o of k.outputs) b += elems * buffers[o.buffer]!.dtype.itemsize;
      return { ...ops, bytesAccessed: b };
    }
    case "dot": {
      const batch = k.batch.reduce((p, s) => p * s, 1);
      const outElems = batch * k.m * k.n;
      let flops = 2 * batch * k.m * k.n * k.k;
      let transcendentals = 0;
      const read = new Set([k.a.buffer, k.b.buffer]);
      let b = 0;
      if (k.epilogue) {
        const extents = new Map<string, number>(k.batch.map((s, i) => [`i${i}`, s] as const));
        extents.set(`i${k.batch.length}`, k.m);
        extents.set(`i${k.batch.length + 1}`, k.n);
        const ops = exprOps([k.epilogue.expr], extents);
        flops += ops.flops;
        transcendentals += ops.transcendentals;
        for (const id of loadedBuffers([k.epilogue.expr])) read.add(id);
        b += outElems * buffers[k.epilogue.out]!.dtype.itemsize;
      }
      if (k.out !== undefined) b += bytes(k.out);
      for (const id of read) b += bytes(id);
      return { flops, transcendentals, bytesAccessed: b };
    }
    case "custom": {
      let b = 0;
      for (const id of new Set([...k.inputs, ...k.outputs])) b += bytes(id);
      return { flops: 0, transcendentals: 0, bytesAccessed: b };
    }
    case "cond": {
      let best = ZERO;
      for (const br of k.branches) {
        const c = kernelsCost(br, buffers);
        if (c.flops + c.transcendentals > best.flops + best.transcendentals) best = c;
        else if (best === ZERO) best = c;
      }
      return add(best, { flops: 0, transcendentals: 0, bytesAccessed: bytes(k.index) });
    }
    case "while":
      return add(kernelsCost(k.cond, buffers), kernelsCost(k.body, buffers));
  }
}

function kernelsCost(ks: readonly Kernel[], buffers: readonly BufferInfo[]): KernelCost {
  return ks.reduce((acc, k) => add(acc, kernelCost(k, buffers)), ZERO);
}

/** Each top-level kernel's cost, in program order. */
export function programKernelCosts(p: Program): KernelCost[] {
  return p.kernels.map((k) => kernelCost(k, p.buffers));
}

/** The program's cost: the sum over its kernels. */
export function programCost(p: Program): KernelCost {
  return kernelsCost(p.kernels, p.buffers);
}
