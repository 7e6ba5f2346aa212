/**
 * lax.reduceWindow's staged jaxprs (JAX's text for reduce_window_max and the generic
 * reduce_window with its reducer jaxpr) and its errors (JAX's classes and messages).
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  ValueError,
  lax,
  makeJaxpr,
  numpy as jnp,
} from "../../src/index.js";

describe("reduceWindow jaxprs", () => {
  it("stages reduce_window_max for lax.max with -inf, as JAX prints it", () => {
    const f = (x: Array) =>
      lax.reduceWindow(
        x,
        -Infinity,
        lax.max,
        [2, 3],
        [2, 1],
        [
          [0, 1],
          [1, 1],
        ],
        { baseDilation: [1, 2] },
      );
    expect(makeJaxpr(f)(jnp.zeros([4, 5])).toString()).toBe(
      [
        "{ lambda ; a:f32[4,5]. let",
        "    b:f32[2,9] = reduce_window_max[",
        "      base_dilation=(1, 2)",
        "      padding=((0, 1), (1, 1))",
        "      window_dilation=(1, 1)",
        "      window_dimensions=(2, 3)",
        "      window_strides=(2, 1)",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("stages the generic reduce_window with its reducer jaxpr", () => {
    const f = (x: Array) => lax.reduceWindow(x, 1, lax.mul, [2], null, "SAME");
    expect(makeJaxpr(f)(jnp.zeros([3])).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = reduce_window[",
        "      base_dilation=(1,)",
        "      consts=()",
        "      jaxpr={ lambda ; c:f32[] d:f32[]. let e:f32[] = mul c d in (e,) }",
        "      padding=((0, 1),)",
        "      window_dilation=(1,)",
        "      window_dimensions=(2,)",
        "      window_strides=(1,)",
        "    ] a 1.0",
        "  in (b,) }",
      ].join("\n"),
    );
  });
});

describe("reduceWindow errors (JAX's)", () => {
  const x = jnp.zeros([4, 5]);
  it("window rank mismatch", () => {
    expect(() => lax.reduceWindow(x, 0, lax.add, [2], [1])).toThrow(
      new TypeError(
        "reduce_window got the wrong number of window_dimensions for operand: got operand shape (4, 5) with window_dimensions (2,).",
      ),
    );
  });
  it("strides of another length", () => {
    expect(() => lax.reduceWindow(x, 0, lax.add, [2, 2], [1])).toThrow(
      new TypeError(
        "reduce_window got inconsistent window_strides and window_dimensions: got window_strides (1,) and window_dimensions (2, 2).",
      ),
    );
  });
  it("non-positive strides and windows", () => {
    expect(() => lax.reduceWindow(x, 0, lax.add, [2, 2], [1, 0])).toThrow(
      new TypeError(
        "reduce_window window_strides must have every element be strictly positive, got (1, 0).",
      ),
    );
    expect(() => lax.reduceWindow(x, 0, lax.add, [0, 2])).toThrow(
      new TypeError(
        "reduce_window window_dimensions must have every element be strictly positive, got (0, 2).",
      ),
    );
  });
  it("init value of another dtype for a generic computation", () => {
    expect(() => lax.reduceWindow(x, true, lax.mul, [2, 2])).toThrow(
      new TypeError(
        "reduce_window got inconsistent dtypes for operands and init_values: got operand dtypes [dtype('float32')] and init_value dtypes [dtype('bool')].",
      ),
    );
  });
  it("an unknown padding name", () => {
    expect(() => lax.reduceWindow(x, 0, lax.add, [2, 2], [1, 1], "FULL")).toThrow(
      "Unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got FULL.",
    );
  });
  it("operand and init trees must match", () => {
    expect(() =>
      lax.reduceWindow(
        [x, x],
        [0],
        lax.add as unknown as (a: Array[], b: Array[]) => Array[],
        [2, 2],
      ),
    ).toThrow(ValueError);
  });
  it("generic computations over windows too large to unroll are named", () => {
    expect(() => lax.reduceWindow(jnp.ones([70, 70]), 1, lax.mul, [65, 65])).toThrow(
      NotImplementedError,
    );
  });
});
