/** Rebuilding expressions with substituted leaves, re-simplifying index arithmetic. */
import { type Expr, binary, bitcast, cast, rawLoad, reduce, select, unary } from "./expr.js";
import { ixAdd, ixFloorDiv, ixMax, ixMin, ixMod, ixMul } from "./index.js";

/**
 * Rebuild `roots`, replacing any node for which `replace` returns an expression (its operands
 * are then not visited); every other node is rebuilt from its rebuilt operands.
 */
export function substitute(roots: readonly Expr[], replace: (e: Expr) => Expr | undefined): Expr[] {
  const memo = new Map<Expr, Expr>();
  const go = (e: Expr): Expr => {
    const hit = memo.get(e);
    if (hit) return hit;
    let out: Expr | undefined = replace(e);
    if (out) {
      memo.set(e, out);
      return out;
    }
    switch (e.op) {
      case "const":
      case "idx":
      case "ridx":
        out = e;
        break;
      case "load":
        out = rawLoad(e.buffer, go(e.index), e.dtype);
        break;
      case "unary":
        out = unary(e.fn, go(e.x), e.dtype);
        break;
      case "cast":
        out = cast(go(e.x), e.dtype);
        break;
      case "bitcast":
        out = bitcast(go(e.x), e.dtype);
        break;
      case "select":
        out = select(go(e.cond), go(e.a), go(e.b));
        break;
      case "reduce":
        out = reduce(e.fn, go(e.body), e.sizes);
        break;
      case "lin":
        out = ixAdd(e.lin.c0, ...e.lin.terms.map(([c, t]) => ixMul(go(t), c)));
        break;
      case "binary": {
        const a = go(e.a);
        const b = go(e.b);
        if (e.fn === "floordiv" && b.op === "const") out = ixFloorDiv(a, Number(b.value));
        else if (e.fn === "floormod" && b.op === "const") out = ixMod(a, Number(b.value));
        else if (e.fn === "min" && e.dtype.name === "int32" && isIndex(a) && isIndex(b))
          out = ixMin(a, b);
        else if (e.fn === "max" && e.dtype.name === "int32" && isIndex(a) && isIndex(b))
          out = ixMax(a, b);
        else out = binary(e.fn, a, b, e.dtype);
        break;
      }
    }
    memo.set(e, out);
    return out;
  };
  return roots.map(go);
}

/** Nodes built by index arithmetic (as opposed to user-level integer math). */
function isIndex(e: Expr): boolean {
  return (
    e.op === "lin" ||
    e.op === "idx" ||
    e.op === "ridx" ||
    e.op === "const" ||
    (e.op === "binary" &&
      (e.fn === "floordiv" || e.fn === "floormod" || e.fn === "min" || e.fn === "max") &&
      e.dtype.name === "int32")
  );
}
