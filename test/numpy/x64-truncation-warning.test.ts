/**
 * A Float64Array or BigInt64Array given without x64 is truncated to float32/int32 with JAX's
 * warning ("Explicitly requested dtype float64 requested in array is not available…"), printed
 * once per dtype; with x64 on there is no warning.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Array, config, jit, numpy as jnp } from "../../src/index.js";

afterEach(() => {
  vi.restoreAllMocks();
  config.update("enableX64", false);
});

describe("64-bit TypedArray input without x64", () => {
  it("warns once for float64 and once for int64, as JAX", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    config.update("enableX64", true);
    expect(jnp.array(new Float64Array([1, 2])).dtype.name).toBe("float64");
    expect(warn).not.toHaveBeenCalled();
    config.update("enableX64", false);

    const a = jnp.array(new Float64Array([1.5, 2]));
    expect(a.dtype.name).toBe("float32");
    expect(a.tolist()).toEqual([1.5, 2]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      "Explicitly requested dtype float64 requested in array is not available, and will be " +
        "truncated to dtype float32. To enable more dtypes, set the enableX64 configuration " +
        'option: config.update("enableX64", true) (JAX\'s jax_enable_x64).',
    );
    jnp.asarray(new Float64Array([3]));
    jit((x: Array) => x.mul(2))(new Float64Array([1]) as unknown as Array);
    expect(warn).toHaveBeenCalledTimes(1);

    const b = jnp.array(new BigInt64Array([5n]));
    expect(b.dtype.name).toBe("int32");
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toContain(
      "Explicitly requested dtype int64 requested in array is not available, and will be truncated to dtype int32.",
    );
    jnp.array(new Float32Array([1]));
    jnp.array(new Int32Array([1]));
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
