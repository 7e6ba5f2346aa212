// JAX's names for the bitwise primitives (lax.bitwise_and/or/xor/not) are the same functions
// as jaxts's short ones, staging JAX's `and`/`or`/`xor`/`not` primitives.
import { describe, expect, it } from "vitest";
import { lax, makeJaxpr, numpy as jnp } from "../../src/index.js";

describe("lax.bitwise* names", () => {
  it("are the and/or/xor/not functions, with JAX's values and jaxpr", () => {
    expect(lax.bitwiseAnd).toBe(lax.and);
    const a = jnp.array([12, 10], { dtype: "int32" });
    const b = jnp.array([10, 6], { dtype: "int32" });
    expect(String(lax.bitwiseAnd(a, b))).toBe("[8 2]");
    expect(String(lax.bitwiseOr(a, b))).toBe("[14 14]");
    expect(String(lax.bitwiseXor(a, b))).toBe("[ 6 12]");
    expect(String(lax.bitwiseNot(a))).toBe("[-13 -11]");
    expect(makeJaxpr(lax.bitwiseXor)(a, b).toString()).toBe(
      "{ lambda ; a:i32[2] b:i32[2]. let c:i32[2] = xor a b in (c,) }",
    );
  });
});
