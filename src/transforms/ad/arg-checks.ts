/**
 * Argument checks of the autodiff API, with JAX's messages: primal/tangent and cotangent
 * agreement (converting JS scalars), `argnums` positions, and the dtypes reverse mode accepts.
 */
import { float0 } from "../../core/dtype.js";
import { shapeStr } from "../../core/shape.js";
import { ValueError } from "../jit/static-args.js";
import type { Array } from "../../trace/array.js";
import { type Tangent, Zero } from "../../trace/primitive.js";
import { type Value, avalOf } from "../../trace/trace.js";
import { full } from "../../primitives/constants.js";
import { asArray } from "../eval-jaxpr.js";
import { tangentAval } from "./tangents.js";

/** Check tangents against their primals; JS-number tangents become arrays of the primal's shape. */
export function checkJvpArgs(primals: readonly Value[], tangents: readonly Value[]): Tangent[] {
  return primals.map((p, i) => {
    const pa = avalOf(p);
    const t = tangents[i]!;
    const ta = avalOf(t);
    const expected = tangentAval(pa).dtype;
    const tdtype = typeof t === "number" ? expected : ta.dtype;
    if (tdtype !== expected) {
      throw new TypeError(
        `primal and tangent arguments to jax.jvp do not match; dtypes must be equal, or in case of int/bool primal ` +
          `dtype the tangent dtype must be float0.Got primal dtype ${pa.dtype.name} and so expected tangent dtype ` +
          `${expected.name}, but got tangent dtype ${tdtype.name} instead.`,
      );
    }
    if (ta.ndim !== pa.ndim || ta.shape.some((d, k) => d !== pa.shape[k])) {
      if (!(typeof t === "number")) {
        throw new ValueError(
          `jvp called with different primal and tangent shapes;Got primal shape ${shapeStr(pa.shape)} and tangent shape as ${shapeStr(ta.shape)}`,
        );
      }
    }
    if (expected === float0) return new Zero(tangentAval(pa));
    if (typeof t === "number") return full(pa.shape, t, expected, pa.weakType);
    return asArray(t);
  });
}

/** Check and convert cotangents for a VJP against the primal outputs. */
export function checkCts(cts: readonly Value[], outs: readonly Array[]): Tangent[] {
  return outs.map((o, i) => {
    const ct = cts[i]!;
    const expected = tangentAval(o.aval);
    if (typeof ct === "number" || typeof ct === "boolean") {
      if (expected.dtype === float0) return new Zero(expected);
      return full(expected.shape, Number(ct), expected.dtype, expected.weakType);
    }
    const ca = avalOf(ct);
    const ctDtype = ca.dtype;
    if (ctDtype !== expected.dtype) {
      throw new TypeError(
        `Type of cotangent input to vjp pullback function (${ctDtype.name}) is not the expected tangent type ` +
          `(${expected.dtype.name}) of corresponding primal output with dtype ${o.dtype.name}.`,
      );
    }
    if (ca.ndim !== o.ndim || ca.shape.some((d, k) => d !== o.shape[k])) {
      throw new ValueError(
        `Shape of cotangent input to vjp pullback function ${shapeStr(ca.shape)} must be the same as the shape of ` +
          `corresponding primal input ${shapeStr(o.shape)}.`,
      );
    }
    if (expected.dtype === float0) return new Zero(expected);
    return asArray(ct);
  });
}

/** The positions of `argnums` in a call with `n` positional arguments. */
export function resolveArgnums(argnums: number | readonly number[], n: number): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  for (const i of list) {
    if (typeof i !== "number" || !Number.isInteger(i))
      throw new TypeError(
        `argnums must be an integer or a list of integers, got ${typeof i === "string" ? `'${i}'` : String(i)}.`,
      );
  }
  const out = list.map((i) => (i < 0 ? i + n : i));
  const bad = out.findIndex((i) => i < 0 || i >= n);
  if (bad >= 0) {
    const shown =
      typeof argnums === "number"
        ? `${argnums}`
        : `(${argnums.join(", ")}${argnums.length === 1 ? "," : ""})`;
    throw new TypeError(
      `differentiating with respect to argnums=${shown} requires at least ${Math.max(...list.map((i) => (i < 0 ? -i : i + 1)))} ` +
        `positional arguments to be passed by the caller, but got only ${n} positional arguments.`,
    );
  }
  return out;
}

export function checkInputDtypeRev(
  name: string,
  allowInt: boolean,
  leaves: readonly Value[],
  holomorphic = false,
): void {
  for (const l of leaves) {
    const d = avalOf(l).dtype;
    if (holomorphic && !d.isComplex) {
      throw new TypeError(
        `${name} with holomorphic=True requires inputs with complex dtype, but got ${d.name}.`,
      );
    }
    if ((d.isInt || d.isBool) && !allowInt) {
      throw new TypeError(
        `${name} requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got ` +
          `${d.name}. If you want to use Boolean- or integer-valued inputs, use vjp or set allowInt: true.`,
      );
    }
    if (!d.isFloat && !d.isComplex && !d.isInt && !d.isBool) {
      throw new TypeError(
        `${name} requires numerical-valued inputs (input dtype that is a sub-dtype of np.bool_ or np.number), but got ${d.name}.`,
      );
    }
  }
}

export function checkOutputDtypeRev(name: string, out: Array, holomorphic = false): void {
  if (holomorphic) {
    if (!out.dtype.isComplex) {
      throw new TypeError(
        `${name} with holomorphic=True requires outputs with complex dtype, but got ${out.dtype.name}.`,
      );
    }
    return;
  }
  if (out.dtype.isComplex) {
    throw new TypeError(
      `${name} requires real-valued outputs (output dtype that is a sub-dtype of np.floating), ` +
        `but got ${out.dtype.name}. For holomorphic differentiation, pass holomorphic=True. For ` +
        `differentiation of non-holomorphic functions involving complex outputs, use jax.vjp directly.`,
    );
  }
  if (!out.dtype.isFloat) {
    throw new TypeError(
      `${name} requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got ` +
        `${out.dtype.name}. For differentiation of functions with integer outputs, use jax.vjp directly.`,
    );
  }
}
