/**
 * Dot epilogues: "dot_general is its own tiled kernel, with simple elementwise consumers fused
 * as an epilogue". After lowering (and before loop coalescing), a loop kernel that consumes a
 * dot's product elementwise at the same shape — it reads the product only at the element it
 * stores, has no reduction, and may read any other buffer (a bias broadcast along rows or
 * columns, another operand of the output's shape) — is folded into the dot kernel as its
 * epilogue. Devices then apply it to the accumulator as each output tile is stored.
 *
 * The raw product is still written when anything else reads it (or it is a program output):
 * in a training step the backward pass recomputes relu masks from the pre-activations, so the
 * forward layer `relu(x @ w + b)` keeps writing `x @ w` and additionally writes the activation
 * from the same registers — one product store either way, and the separate pass that re-read
 * the product (and its kernel launch) is gone. Otherwise the product is never materialized.
 *
 * The fused kernel runs where the consumer ran (the dot moves down) or where the dot ran (the
 * consumer moves up), whichever keeps every kernel in between independent of the moved one.
 */
import type { DType } from "../core/dtype.js";
import { type Expr, idx, rawLoad, topoSort } from "./expr.js";
import { flatIndex, ix, unflatIndex } from "./index.js";
import {
  ACC_BUFFER,
  type BufferInfo,
  type DotKernel,
  type Kernel,
  type OutputSource,
  type Program,
} from "./kernel.js";
import { kernelReads, kernelWrites } from "./kernel-io.js";
import { substitute } from "./rewrite.js";

/**
 * Devices compute epilogues in 32-bit lanes (the wasm device's SIMD code has no 64-bit or
 * half-precision values): a consumer that converts a float32 product to float16 or 64 bits
 * stays a separate kernel, so the dot itself keeps its compiled form.
 */
function laneDtype(d: DType, dot: DType): boolean {
  return d === dot || (d.itemsize <= 4 && !(d.isFloat && d.itemsize < 4));
}

/** `e` with every loop index of size 1 replaced by 0 (so index comparisons ignore them). */
function dropUnitAxes(e: Expr): Expr {
  return substitute([e], (x) => (x.op === "idx" && x.size === 1 ? ix(0) : undefined))[0]!;
}

/** The epilogue expression of consumer `l` of dot `d`, if `l` qualifies. */
function epilogueOf(d: DotKernel, l: Kernel, buffers: readonly BufferInfo[]): Expr | undefined {
  if (l.kind !== "loop" || l.outputs.length !== 1 || d.out === undefined) return undefined;
  const o = l.outputs[0]!;
  const shape = [...d.batch, d.m, d.n];
  const size = shape.reduce((a, b) => a * b, 1);
  if (o.offset || o.buffer === d.out) return undefined;
  if (l.shape.reduce((a, b) => a * b, 1) !== size || buffers[o.buffer]!.size !== size)
    return undefined;
  for (const e of topoSort([o.expr])) {
    if (e.op === "reduce" || (e.op === "load" && e.buffer === o.buffer)) return undefined;
    if (!laneDtype(e.dtype, d.accDtype)) return undefined;
  }
  if (!laneDtype(o.expr.dtype, d.accDtype)) return undefined;
  // The product must be read at the element stored: at the consumer's own flat index (compared
  // in the consumer's loop indices, so merged dims, e.g. a conv's (n, h, w) rows, need no
  // simplification of unflatten-then-flatten). Its loads become a placeholder first.
  const own = dropUnitAxes(
    flatIndex(
      l.shape.map((n, a) => idx(a, n)),
      l.shape,
    ),
  );
  const placeholder = rawLoad(ACC_BUFFER, ix(0), buffers[d.out]!.dtype);
  let elementwise = true;
  const [marked] = substitute([o.expr], (e) => {
    if (e.op !== "load" || e.buffer !== d.out) return undefined;
    if (dropUnitAxes(e.index) !== own) elementwise = false;
    return placeholder;
  });
  if (!elementwise) return undefined;
  // The consumer's loop indices in terms of the dot's output coordinates [batch..., m, n].
  const flat = flatIndex(
    shape.map((n, a) => idx(a, n)),
    shape,
  );
  const coords = unflatIndex(flat, l.shape);
  const [moved] = substitute([marked!], (e) => (e.op === "idx" ? coords[e.axis] : undefined));
  const acc = rawLoad(ACC_BUFFER, flat, buffers[d.out]!.dtype);
  return substitute([moved!], (e) => (e === placeholder ? acc : undefined))[0];
}

/** Whether kernel `x` can move across `others` (no buffer one writes is touched by the other). */
function commutes(x: Kernel, others: readonly Kernel[]): boolean {
  const xr = new Set(kernelReads(x));
  const xw = new Set(kernelWrites(x));
  return others.every(
    (k) =>
      !kernelWrites(k).some((b) => xr.has(b) || xw.has(b)) &&
      !kernelReads(k).some((b) => xw.has(b)),
  );
}

/** Number of leaf kernels (loop, dot, custom; at any nesting) reading each buffer. */
function readerCounts(kernels: readonly Kernel[], out = new Map<number, number>()) {
  for (const k of kernels) {
    if (k.kind === "cond") k.branches.forEach((b) => readerCounts(b, out));
    else if (k.kind === "while") {
      readerCounts(k.cond, out);
      readerCounts(k.body, out);
      out.set(k.predicate, (out.get(k.predicate) ?? 0) + 1);
    } else for (const b of kernelReads(k)) out.set(b, (out.get(b) ?? 0) + 1);
    if (k.kind === "cond") out.set(k.index, (out.get(k.index) ?? 0) + 1);
  }
  return out;
}

/** One fusion somewhere in `list` (or the lists nested in it): the new list, or undefined. */
function fuseOnce(
  list: readonly Kernel[],
  buffers: readonly BufferInfo[],
  readers: ReadonlyMap<number, number>,
  tried: WeakSet<Kernel>,
): Kernel[] | undefined {
  for (let i = 0; i < list.length; i++) {
    const d = list[i]!;
    if (d.kind === "cond") {
      for (let bi = 0; bi < d.branches.length; bi++) {
        const nb = fuseOnce(d.branches[bi]!, buffers, readers, tried);
        if (!nb) continue;
        const branches = d.branches.map((b, j) => (j === bi ? nb : b));
        return list.map((k, j) => (j === i ? { ...d, branches } : k));
      }
      continue;
    }
    if (d.kind === "while") {
      const cond = fuseOnce(d.cond, buffers, readers, tried);
      const body = cond ? undefined : fuseOnce(d.body, buffers, readers, tried);
      if (cond || body)
        return list.map((k, j) =>
          j === i ? { ...d, cond: cond ?? d.cond, body: body ?? d.body } : k,
        );
      continue;
    }
    if (d.kind !== "dot" || d.epilogue || d.out === undefined || tried.has(d)) continue;
    tried.add(d);
    const p = d.out;
    for (let j = i + 1; j < list.length; j++) {
      const l = list[j]!;
      if (!kernelReads(l).includes(p)) continue;
      const expr = epilogueOf(d, l, buffers);
      if (!expr || l.kind !== "loop") continue;
      const keep = buffers[p]!.kind !== "temp" || (readers.get(p) ?? 0) > 1;
      const fused: DotKernel = {
        ...d,
        out: keep ? p : undefined,
        epilogue: { expr, out: l.outputs[0]!.buffer },
      };
      const between = list.slice(i + 1, j);
      if (commutes(d, between)) {
        return [...list.slice(0, i), ...between, fused, ...list.slice(j + 1)];
      }
      if (commutes(l, between)) {
        return [...list.slice(0, i), fused, ...between, ...list.slice(j + 1)];
      }
    }
  }
  return undefined;
}

/** Fold elementwise consumers of dot kernels into them (loop kernels not yet coalesced). */
export function fuseDotEpilogues(
  kernels: readonly Kernel[],
  buffers: readonly BufferInfo[],
): Kernel[] {
  let list = [...kernels];
  const tried = new WeakSet<Kernel>();
  for (;;) {
    const next = fuseOnce(list, buffers, readerCounts(list), tried);
    if (!next) return list;
    list = next;
  }
}

/** `k` with every buffer id mapped through `m` (ACC_BUFFER stays). */
function renameKernel(k: Kernel, m: (id: number) => number): Kernel {
  const memo = new Map<Expr, Expr>();
  const rename = (e: Expr): Expr =>
    substitute([e], (x) => {
      if (x.op !== "load") return undefined;
      let r = memo.get(x);
      if (!r)
        memo.set(
          x,
          (r = rawLoad(x.buffer === ACC_BUFFER ? x.buffer : m(x.buffer), rename(x.index), x.dtype)),
        );
      return r;
    })[0]!;
  const list = (ks: readonly Kernel[]) => ks.map((x) => renameKernel(x, m));
  switch (k.kind) {
    case "loop":
      return {
        ...k,
        outputs: k.outputs.map((o) => ({
          buffer: m(o.buffer),
          expr: rename(o.expr),
          ...(o.offset ? { offset: rename(o.offset) } : {}),
        })),
      };
    case "dot":
      return {
        ...k,
        a: { ...k.a, buffer: m(k.a.buffer) },
        b: { ...k.b, buffer: m(k.b.buffer) },
        out: k.out === undefined ? undefined : m(k.out),
        ...(k.epilogue
          ? { epilogue: { expr: rename(k.epilogue.expr), out: m(k.epilogue.out) } }
          : {}),
      };
    case "custom":
      return { ...k, inputs: k.inputs.map(m), outputs: k.outputs.map(m) };
    case "cond":
      return { ...k, index: m(k.index), branches: k.branches.map(list) };
    case "while":
      return { ...k, predicate: m(k.predicate), cond: list(k.cond), body: list(k.body) };
  }
}

/** The program without temporaries no kernel touches (e.g. products consumed by an epilogue). */
export function dropUnusedTemps(p: Program): Program {
  const used = new Set<number>();
  for (const k of p.kernels) for (const b of [...kernelReads(k), ...kernelWrites(k)]) used.add(b);
  const keep = p.buffers.filter((b) => b.kind !== "temp" || used.has(b.id));
  if (keep.length === p.buffers.length) return p;
  const newId = new Map(keep.map((b, i) => [b.id, i]));
  const m = (id: number) => newId.get(id)!;
  const outputs: OutputSource[] = p.outputs.map((o) =>
    o.kind === "buffer" ? { kind: "buffer", buffer: m(o.buffer) } : o,
  );
  return {
    buffers: keep.map((b, i) => ({ ...b, id: i })),
    kernels: p.kernels.map((k) => renameKernel(k, m)),
    inputs: p.inputs.map(m),
    outputs,
  };
}
