/**
 * The fuzzer's control-flow ops: `lax.cond` and `lax.switch` (predicate/index from a fresh
 * scalar input, so vmap batches it into a select), `lax.whileLoop` with a counter,
 * `lax.foriLoop` using its index, and `lax.scan` (forward or reverse, carry or stacked ys) —
 * each with small bodies that keep the carry's dtype and weak type (JS literals are weak), so
 * every dtype the generator makes can flow through them. Bodies that call a transcendental are
 * approximate (generate.ts sees the `jnp.sin` in the text).
 */
import { type Ctx, type Value, shapeText } from "./context.js";
import type { OpMaker } from "./ops-elementwise.js";
import { isFloat } from "./program.js";

/** A one-operand body `t => ...` keeping t's dtype (every float body is differentiable). */
function body(c: Ctx, a: Value): string {
  const d = a.aval.dtype;
  const r = c.r;
  if (d === "bool") return r.pick(["(t) => jnp.logicalNot(t)", "(t) => t"]);
  if (isFloat(d)) {
    return r.pick([
      "(t) => jnp.multiply(t, 0.5)",
      "(t) => jnp.add(t, 1)",
      "(t) => jnp.negative(t)",
      "(t) => jnp.sin(t)",
    ]);
  }
  return r.pick(["(t) => jnp.add(t, 1)", "(t) => jnp.multiply(t, 2)", "(t) => jnp.negative(t)"]);
}

/** A predicate: a fresh scalar bool input (batched under vmap), or a literal in grad programs. */
function predicate(c: Ctx): string {
  if (c.smooth) return c.r.pick(["true", "false"]);
  return c.newInput({ shape: [], dtype: "bool" });
}

export const controlOps: OpMaker[] = [
  {
    name: "cond",
    smooth: true,
    make: (c, a) => {
      const pred = predicate(c);
      return `lax.cond(${pred}, ${body(c, a)}, ${body(c, a)}, ${a.name})`;
    },
  },
  {
    name: "switch",
    smooth: true,
    make: (c, a) => {
      // An int32 index (out-of-range values clamp, as JAX's switch does); a literal in grad programs.
      const index = c.smooth ? String(c.r.int(-1, 3)) : c.newInput({ shape: [], dtype: "int32" });
      const branches = [0, 1, 2].map(() => body(c, a)).join(", ");
      return `lax.switch(${index}, [${branches}], ${a.name})`;
    },
  },
  {
    name: "whileLoop",
    smooth: false,
    make: (c, a) => {
      const n = c.r.int(0, 3);
      return (
        `lax.whileLoop(([i, t]) => jnp.less(i, ${n}), ` +
        `([i, t]) => [jnp.add(i, 1), (${body(c, a)})(t)], ` +
        `[jnp.array(0, { dtype: "int32" }), ${a.name}])[1]`
      );
    },
  },
  {
    name: "foriLoop",
    smooth: true,
    make: (c, a) => {
      const lo = c.r.int(-1, 1);
      const hi = lo + c.r.int(0, 3);
      const d = a.aval.dtype;
      return `lax.foriLoop(${lo}, ${hi}, (i, t) => jnp.add((${body(c, a)})(t), i.astype("${d}")), ${a.name})`;
    },
  },
  {
    name: "scan",
    smooth: true,
    make: (c, a) => {
      const s = a.aval.shape;
      if (s.length === 0) return null;
      const d = a.aval.dtype;
      const init = `jnp.zeros(${shapeText(s.slice(1))}, "${d}")`;
      const f = `(carry, x) => [(${body(c, a)})(jnp.add(carry, x)), jnp.multiply(carry, x)]`;
      const reverse = c.r.chance(0.3) ? ", { reverse: true }" : "";
      return `lax.scan(${f}, ${init}, ${a.name}${reverse})[${c.r.int(0, 1)}]`;
    },
  },
];
