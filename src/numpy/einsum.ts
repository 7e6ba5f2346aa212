/**
 * `jnp.einsum(subscripts, ...operands)`: explicit ("ij,jk->ik") and implicit ("ij,jk")
 * subscripts over any number of operands (contracted left to right). Each pairwise step is
 * one dot_general (shared indices kept in the output are batch dims) followed by a
 * transpose; indices used by only one operand are summed first. Repeated indices within one
 * operand (diagonals) and "..." are not supported yet and raise a clear error.
 */
import { NotImplementedError, ValueError } from "../core/errors.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { promoteArgs } from "./coerce.js";

function parse(subscripts: string, nOps: number): { inputs: string[]; output: string } {
  const s = subscripts.replace(/\s+/g, "");
  if (s.includes(".")) {
    throw new NotImplementedError(
      `einsum: ellipsis ('...') subscripts are not supported yet in jaxts: '${subscripts}'. Use explicit index letters.`,
    );
  }
  const [lhs, out] = s.includes("->") ? (s.split("->") as [string, string]) : [s, undefined];
  const inputs = lhs.split(",");
  if (inputs.length !== nOps) {
    throw new ValueError(
      `einsum: ${inputs.length} operand subscripts in '${subscripts}' for ${nOps} operands.`,
    );
  }
  for (const t of [...inputs, out ?? ""]) {
    if (!/^[a-zA-Z]*$/.test(t))
      throw new ValueError(
        `einsum: invalid subscript '${t}' in '${subscripts}': use letters a-z, A-Z.`,
      );
  }
  for (const t of inputs) {
    if (new Set(t).size !== t.length) {
      throw new NotImplementedError(
        `einsum: repeated index within one operand ('${t}', a diagonal) is not supported yet in jaxts; use jnp.diagonal first.`,
      );
    }
  }
  let output: string;
  if (out === undefined) {
    const counts = new Map<string, number>();
    for (const c of inputs.join("")) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...counts]
      .filter(([, n]) => n === 1)
      .map(([c]) => c)
      .sort()
      .join("");
  } else {
    output = out;
    if (new Set(output).size !== output.length)
      throw new ValueError(`einsum: output subscript '${output}' has a repeated index.`);
    for (const c of output) {
      if (!inputs.some((t) => t.includes(c)))
        throw new ValueError(`einsum: output index '${c}' does not appear in any input.`);
    }
  }
  return { inputs, output };
}

function sizesOf(inputs: string[], ops: Array[]): Map<string, number> {
  const sizes = new Map<string, number>();
  inputs.forEach((t, k) => {
    const a = ops[k]!;
    if (t.length !== a.ndim)
      throw new ValueError(
        `einsum: operand ${k} has ${a.ndim} dimensions but subscript '${t}' names ${t.length}.`,
      );
    [...t].forEach((c, d) => {
      const n = a.shape[d]!;
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== n && prev !== 1 && n !== 1) {
        throw new ValueError(
          `einsum: size of index '${c}' differs between operands: ${prev} vs ${n}.`,
        );
      }
      sizes.set(c, Math.max(prev ?? n, n));
    });
  });
  return sizes;
}

/** Sum `a` (labelled `t`) over labels not in `keep`. */
function sumOut(a: Array, t: string, keep: Set<string>): [Array, string] {
  const axes = [...t].flatMap((c, d) => (keep.has(c) ? [] : [d]));
  if (axes.length === 0) return [a, t];
  return [lax.reduceSum(a, axes), [...t].filter((c) => keep.has(c)).join("")];
}

export function einsum(subscripts: string, ...operands: ArrayLike[]): Array {
  if (operands.length === 0) throw new ValueError("einsum: at least one operand is required.");
  const ops = promoteArgs(...operands);
  const { inputs, output } = parse(subscripts, ops.length);
  const sizes = sizesOf(inputs, ops);
  let terms: [Array, string][] = ops.map((a, k) => [a, inputs[k]!]);
  // Broadcast size-1 dims against the common size.
  terms = terms.map(([a, t]) => {
    const want = [...t].map((c) => sizes.get(c)!);
    return [
      want.every((d, k) => d === a.shape[k])
        ? a
        : lax.broadcastInDim(
            a,
            want,
            want.map((_, k) => k),
          ),
      t,
    ];
  });
  const needed = (rest: [Array, string][]) =>
    new Set([...output, ...rest.map(([, t]) => t).join("")]);
  let [acc, at] = sumOut(terms[0]![0], terms[0]![1], needed(terms.slice(1)));
  for (let k = 1; k < terms.length; k++) {
    const later = needed(terms.slice(k + 1));
    const [b0, bt0] = terms[k]!;
    const [b, bt] = sumOut(b0, bt0, new Set([...later, ...at]));
    [acc, at] = sumOut(acc, at, new Set([...later, ...bt]));
    const shared = [...at].filter((c) => bt.includes(c));
    const batch = shared.filter((c) => later.has(c));
    const contract = shared.filter((c) => !later.has(c));
    const dn: lax.DimensionNumbers = [
      [contract.map((c) => at.indexOf(c)), contract.map((c) => bt.indexOf(c))],
      [batch.map((c) => at.indexOf(c)), batch.map((c) => bt.indexOf(c))],
    ];
    acc = lax.dotGeneral(acc, b, dn);
    at =
      batch.join("") +
      [...at].filter((c) => !shared.includes(c)).join("") +
      [...bt].filter((c) => !shared.includes(c)).join("");
  }
  [acc, at] = sumOut(acc, at, new Set(output));
  const perm = [...output].map((c) => at.indexOf(c));
  return lax.transpose(acc, perm);
}
