/**
 * The cumulative-scan custom kernel (cumsum, cumprod, cummax, cummin) along one axis,
 * optionally in reverse. Each step is rounded to the dtype (stored, then read back), as a
 * sequential scan in that dtype.
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { type Scalar, accessor } from "./element-access.js";

export interface CumulativeKernelParams {
  op: "sum" | "prod" | "max" | "min";
  axis: number;
  reverse: boolean;
  shape: number[];
  dtype: string;
}

function combiner(
  op: CumulativeKernelParams["op"],
  dtype: string,
): (a: Scalar, b: Scalar) => Scalar {
  const isFloat = dtype.startsWith("float");
  const isBool = dtype === "bool";
  switch (op) {
    case "sum":
      if (isBool) return (a, b) => ((a as number) | (b as number)) as Scalar;
      return (a, b) => (a as number) + (b as number);
    case "prod":
      if (isBool) return (a, b) => ((a as number) & (b as number)) as Scalar;
      if (dtype === "int32" || dtype === "uint32")
        return (a, b) => Math.imul(a as number, b as number);
      return (a, b) => (a as number) * (b as number);
    case "max":
      if (isFloat) return (a, b) => Math.max(a as number, b as number);
      return (a, b) => (b > a ? b : a);
    case "min":
      if (isFloat) return (a, b) => Math.min(a as number, b as number);
      return (a, b) => (b < a ? b : a);
  }
}

export function cumulativeKernel(
  ins: TypedArray[],
  outs: TypedArray[],
  p: CumulativeKernelParams,
): void {
  const x = ins[0]!;
  const out = outs[0]!;
  const { axis, shape } = p;
  const n = shape[axis] ?? 1;
  let inner = 1;
  for (let k = axis + 1; k < shape.length; k++) inner *= shape[k]!;
  let outer = 1;
  for (let k = 0; k < axis; k++) outer *= shape[k]!;
  const acc = accessor(p.dtype);
  const comb = combiner(p.op, p.dtype);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      const base = o * n * inner + r;
      let prev = -1;
      for (let s = 0; s < n; s++) {
        const i = base + (p.reverse ? n - 1 - s : s) * inner;
        const v = acc.get(x, i);
        acc.set(out, i, prev < 0 ? v : comb(acc.get(out, prev), v));
        prev = i;
      }
    }
  }
}
