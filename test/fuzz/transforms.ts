/**
 * The fuzzer's transformation checks.
 * - grad: a float64 program's scalar loss `Σ_k sum(out_k · w_k)` (w_k = cos(iota + k)) is
 *   differentiated with respect to every float input (eagerly on wasm, jit(grad) on js); the
 *   directional derivative ⟨∇L, v⟩ along a random direction must match the central difference
 *   (L(x + hv) − L(x − hv)) / 2h on the js device (h = 1e-5; |diff| ≤ 1e-6·(1 + |fd|)), and the
 *   two gradients each other (1e-9 relative). Programs whose loss or gradient is not finite
 *   are skipped (JAX's NaN/∞ gradients at such points are not a finite difference's).
 * - vmap: one input gets a batch of 1–3 examples stacked along a random axis; vmap (eager on
 *   wasm, jit(vmap) on js) must equal stacking the program's outputs run per example (js eager).
 */
import { type Array, grad, jit, numpy as jnp, vmap } from "../../src/index.js";
import { type Failure, describeError, difference } from "./check.js";
import {
  type Program,
  Rng,
  buildFunction,
  evalLine,
  inputExpr,
  makeInputs,
  on,
} from "./program.js";

const lossOf =
  (p: Program) =>
  (...xs: Array[]): Array => {
    const outs = buildFunction(p)(...xs);
    let total: Array = jnp.zeros([], "float64");
    outs.forEach((o, k) => {
      const w = jnp.cos(jnp.arange(o.size, { dtype: "float64" }).add(k)).reshape(o.shape);
      total = total.add(jnp.sum(o.astype("float64").mul(w)));
    });
    return total;
  };

const flat = (a: Array): number[] =>
  globalThis.Array.from(a.toTypedArray() as Float64Array, Number);

/** The grad check of a float64 program (x64 on); null when it agrees or was skipped. */
export function checkGrad(p: Program, seed: number): Failure | "skipped" | null {
  const floatArgs = p.inputs.flatMap((x, i) => (x.aval.dtype.startsWith("float") ? [i] : []));
  if (floatArgs.length === 0) return "skipped";
  const loss = lossOf(p);
  const g = grad(loss, { argnums: floatArgs });
  const results: [string, number[][]][] = [];
  for (const [mode, device, jitted] of [
    ["wasm eager grad", "wasm", false],
    ["js jit(grad)", "js", true],
  ] as const) {
    try {
      const gs = on(device, () => {
        const xs = makeInputs(p, device);
        return (jitted ? jit(g) : g)(...xs) as Array[];
      });
      results.push([mode, gs.map(flat)]);
    } catch (e) {
      return { mode, message: `raised ${describeError(e)}` };
    }
  }
  const [[, ga], [modeB, gb]] = results as [[string, number[][]], [string, number[][]]];
  const all = ga.flat();
  if (!all.every(Number.isFinite)) return "skipped";
  const scale = Math.max(1, ...all.map(Math.abs));
  for (let i = 0; i < all.length; i++) {
    const b = gb.flat()[i]!;
    if (!(Math.abs(all[i]! - b) <= 1e-9 * scale))
      return { mode: modeB, message: `gradient element ${i}: ${b} vs wasm eager ${all[i]}` };
  }
  // Directional derivative against the central difference, on the js device.
  const r = new Rng(seed ^ 0x5bd1e995);
  const h = 1e-5;
  return on("js", () => {
    const xs = makeInputs(p, "js");
    const dirs = floatArgs
      .map((i) => xs[i]!.shape.reduce((a, b) => a * b, 1))
      .map((n) => [...globalThis.Array(n)].map(() => r.next() * 2 - 1));
    const shifted = (s: number) =>
      xs.map((x, i) => {
        const k = floatArgs.indexOf(i);
        if (k < 0) return x;
        const v = jnp.array(dirs[k]!, { dtype: "float64" }).reshape(x.shape);
        return x.add(v.mul(s));
      });
    const fd = (Number(loss(...shifted(h)).item()) - Number(loss(...shifted(-h)).item())) / (2 * h);
    if (!Number.isFinite(fd)) return "skipped";
    const dot = ga.reduce(
      (acc, gk, k) => acc + gk.reduce((a, gi, j) => a + gi * dirs[k]![j]!, 0),
      0,
    );
    if (Math.abs(dot - fd) <= 1e-6 * (1 + Math.abs(fd))) return null;
    return {
      mode: "grad vs finite differences",
      message: `⟨∇L, v⟩ = ${dot}, central difference ${fd}`,
    };
  });
}

/** The vmap check: batch input `which` of `p` along `axis` with `size` examples. */
export function checkVmap(p: Program, seed: number): Failure | null {
  const r = new Rng(seed ^ 0x2545f491);
  const which = r.int(0, p.inputs.length - 1);
  const x = p.inputs[which]!;
  const size = r.int(1, 3);
  const axis = r.int(0, x.aval.shape.length);
  const examples = [...globalThis.Array(size)].map(() => inputExpr(r, x.aval, "grid"));
  const f = buildFunction(p);
  const inAxes = p.inputs.map((_, i) => (i === which ? axis : null));
  const how =
    `batching ${x.name} on axis ${axis} (${size} examples): vmap(f, { inAxes: ${JSON.stringify(inAxes)} }) ` +
    `with ${x.name} = jnp.stack([${examples.join(", ")}], ${axis})`;
  // Per example, on the reference.
  let want: Array[];
  try {
    want = on("js", () => {
      const xs = makeInputs(p, "js");
      const per = examples.map((e) =>
        f(...xs.map((v, i) => (i === which ? evalLine(e, new Map()) : v))),
      );
      return per[0]!.map((_, k) => jnp.stack(per.map((o) => o[k]!)));
    });
  } catch {
    return null; // the forward check reports programs the reference cannot run
  }
  for (const [mode, device, jitted] of [
    ["wasm eager vmap", "wasm", false],
    ["js jit(vmap)", "js", true],
  ] as const) {
    try {
      const got = on(device, () => {
        const xs = makeInputs(p, device);
        const batched = jnp.stack(
          examples.map((e) => evalLine(e, new Map())),
          axis,
        );
        const vf = vmap(f, { inAxes });
        return (jitted ? jit(vf) : vf)(...xs.map((v, i) => (i === which ? batched : v))) as Array[];
      });
      for (let k = 0; k < want.length; k++) {
        const d = difference(p, got[k]!, want[k]!);
        if (d !== null)
          return {
            mode,
            message: `${how}: output ${k}: ${d}`,
          };
      }
    } catch (e) {
      return {
        mode,
        message: `${how}: raised ${describeError(e)}`,
      };
    }
  }
  return null;
}
