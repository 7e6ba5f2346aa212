/**
 * One home for error classes (core/errors.ts, re-exported from the package root), used with
 * JAX's classes: ValueError where JAX/numpy raise ValueError, AxisError for bad axes.
 */
import { describe, expect, it } from "vitest";
import {
  AxisError,
  IndexError,
  JaxError,
  NonConcreteBooleanIndexError,
  ValueError,
  numpy as jnp,
} from "../../src/index.js";

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("error classes", () => {
  it("ValueError/IndexError/AxisError are JaxErrors named as in Python", () => {
    const e = new AxisError("axis 2 is out of bounds for array of dimension 1");
    expect(e).toBeInstanceOf(JaxError);
    expect(e).toBeInstanceOf(ValueError);
    expect(e).toBeInstanceOf(IndexError);
    expect(e.name).toBe("AxisError");
    expect(new ValueError("x")).not.toBeInstanceOf(IndexError);
    expect(new IndexError("x")).not.toBeInstanceOf(ValueError);
    expect(new NonConcreteBooleanIndexError("x")).toBeInstanceOf(IndexError);
    expect(new NonConcreteBooleanIndexError("x")).not.toBeInstanceOf(AxisError);
  });

  it("value errors of jnp functions are ValueErrors with numpy's/JAX's wording", () => {
    const cases: [() => unknown, string][] = [
      [
        () => jnp.stack([jnp.ones([3]), jnp.ones([4])]),
        "All input arrays must have the same shape.",
      ],
      [
        () => jnp.squeeze(jnp.ones([2, 3]), 0),
        "cannot select an axis to squeeze out which has size not equal to one",
      ],
      [() => jnp.split(jnp.ones([5]), 2), "array split does not result in an equal division"],
      [
        () => jnp.broadcastTo(jnp.ones([3]), [4]),
        "Incompatible shapes for broadcasting: (3,) and requested shape (4,)",
      ],
      [
        () => jnp.where(jnp.array([true, false]), jnp.ones([3]), 0),
        "Incompatible shapes for broadcasting: (2,), (3,), ()",
      ],
      [
        () =>
          jnp
            .zeros([3])
            .at(":")
            .set(jnp.ones([2])),
        "Incompatible shapes for broadcasting: (2,) and requested shape (3,)",
      ],
      [() => jnp.reshape(jnp.ones([4]), [-1, -1]), "can only specify one unknown dimension"],
      [() => jnp.concatenate([]), "need at least one array to concatenate"],
    ];
    for (const [f, msg] of cases) {
      const e = thrown(f);
      expect(e, msg).toBeInstanceOf(ValueError);
      expect(e.message).toContain(msg);
    }
  });

  it("axis errors are AxisErrors (not RangeError)", () => {
    for (const f of [
      () => jnp.swapaxes(jnp.ones([2, 3]), 0, 5),
      () => jnp.expandDims(jnp.ones([2, 3]), 4),
      () => jnp.concatenate([jnp.ones([2]), jnp.ones([2])], 3),
      () => jnp.transpose(jnp.ones([2, 3]), [0, 2]),
    ]) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(AxisError);
      expect(e).not.toBeInstanceOf(RangeError);
      expect(e.message).toMatch(/is out of bounds for array of dimension/);
    }
  });
});
