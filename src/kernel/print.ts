/**
 * Readable text of a kernel program, device-neutral: each loop kernel as a loop nest of
 * assignments (`b2[i0] = logistic(b0[i0])`), dots, custom kernels and control flow.
 */
import type { Expr } from "./expr.js";
import { flatIndex, ixAdd } from "./index.js";
import { idx } from "./expr.js";
import { ACC_BUFFER, type Kernel, type Program } from "./kernel.js";

function exprText(root: Expr): string {
  const go = (e: Expr): string => {
    let t: string;
    switch (e.op) {
      case "const":
        t = String(e.value);
        break;
      case "idx":
        t = `i${e.axis}`;
        break;
      case "ridx":
        t = `r${e.axis}`;
        break;
      case "load":
        // The dot accumulator of an epilogue is always read at the element being stored.
        t = e.buffer === ACC_BUFFER ? "acc" : `b${e.buffer}[${go(e.index)}]`;
        break;
      case "unary":
        t = `${e.fn}(${go(e.x)})`;
        break;
      case "binary":
        t = `${e.fn}(${go(e.a)}, ${go(e.b)})`;
        break;
      case "select":
        t = `select(${go(e.cond)}, ${go(e.a)}, ${go(e.b)})`;
        break;
      case "cast":
        t = `${e.dtype.short}(${go(e.x)})`;
        break;
      case "bitcast":
        t = `bitcast<${e.dtype.short}>(${go(e.x)})`;
        break;
      case "lin":
        t = [String(e.lin.c0), ...e.lin.terms.map(([c, x]) => (c === 1 ? go(x) : `${c}*${go(x)}`))]
          .filter((p, i) => i > 0 || p !== "0")
          .join(" + ");
        break;
      case "reduce":
        t = `${e.fn}[${e.sizes.join(",")}](${go(e.body)})`;
        break;
    }
    return t;
  };
  return go(root);
}

function kernelText(k: Kernel, ind: string): string {
  switch (k.kind) {
    case "loop": {
      const coords = k.shape.map((d, a) => idx(a, d));
      const flat = flatIndex(coords, k.shape);
      const loops = k.shape.map((d, a) => `i${a}<${d}`).join(", ");
      const body = k.outputs
        .map(
          (o) =>
            `b${o.buffer}[${exprText(o.offset ? ixAdd(o.offset, flat) : flat)}] = ${exprText(o.expr)}`,
        )
        .join("; ");
      return `${ind}loop[${loops}] ${body}`;
    }
    case "dot": {
      const shape = [...k.batch, k.m, k.n];
      const a = `b${k.a.buffer}${k.a.im2col ? " im2col" : ""}`;
      const head = `${a} · b${k.b.buffer} (k=${k.k}, ${k.accDtype.short})`;
      if (!k.epilogue) return `${ind}dot b${k.out}[${shape.join(",")}] = ${head}`;
      const flat = exprText(
        flatIndex(
          shape.map((d, a) => idx(a, d)),
          shape,
        ),
      );
      const stores = [
        ...(k.out !== undefined ? [`b${k.out}[${flat}] = acc`] : []),
        `b${k.epilogue.out}[${flat}] = ${exprText(k.epilogue.expr)}`,
      ];
      return `${ind}dot acc[${shape.join(",")}] = ${head}; ${stores.join("; ")}`;
    }
    case "custom":
      return `${ind}${k.op}(${k.inputs.map((i) => `b${i}`).join(", ")}) -> ${k.outputs.map((i) => `b${i}`).join(", ")}`;
    case "cond":
      return `${ind}cond b${k.index}:\n${k.branches
        .map(
          (b, i) => `${ind}  branch ${i}:\n${b.map((x) => kernelText(x, `${ind}    `)).join("\n")}`,
        )
        .join("\n")}`;
    case "while":
      return `${ind}while:\n${ind}  cond -> b${k.predicate}:\n${k.cond.map((x) => kernelText(x, `${ind}    `)).join("\n")}\n${ind}  body:\n${k.body.map((x) => kernelText(x, `${ind}    `)).join("\n")}`;
  }
}

export function programText(p: Program): string {
  const bufs = p.buffers.map((b) => `b${b.id}:${b.dtype.short}[${b.size}] ${b.kind}`).join(", ");
  return `buffers: ${bufs}\n${p.kernels.map((k) => kernelText(k, "")).join("\n")}`;
}
