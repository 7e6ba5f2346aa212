/** jnp.result_type promotes the dtypes as given and canonicalizes only the result (JAX). */
import { describe, expect, it } from "vitest";
import { numpy as jnp } from "../../src/index.js";

describe("result_type without x64", () => {
  it("uint64 with int64 is float64, canonicalized to float32", () => {
    // jax.numpy.result_type('uint64', 'int64') -> float32 (x64 off)
    expect(jnp.resultType("uint64", "int64").name).toBe("float32");
    expect(jnp.resultType("uint32", "int64").name).toBe("int32");
    expect(jnp.resultType("uint64", "int8").name).toBe("float32");
    expect(jnp.resultType("int64").name).toBe("int32");
    // promote_types is not canonicalized
    expect(jnp.promoteTypes("uint64", "int64").name).toBe("float64");
  });
});
