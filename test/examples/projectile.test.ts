// The differentiable-physics example (examples/projectile.ts): the compiled lax.scan flight
// agrees with a float64 JS loop of the same scheme, its gradient with central differences of
// that float64 reference, and gradient descent on the launch velocity closes in on the target.
import { describe, expect, it } from "vitest";
import { grad, numpy as jnp } from "jaxts";
import {
  aim,
  miss,
  physics,
  target,
  trajectory,
  trajectoryReference,
} from "../../examples/projectile.js";

function missReference(v0: [number, number]): number {
  const [x, y] = trajectoryReference(v0).at(-1)!;
  return (x - target[0]) ** 2 + (y - target[1]) ** 2;
}

describe("examples/projectile", () => {
  const v0 = [7.5, 9.25] as [number, number];

  it("integrates the flight as the float64 reference does (float32: ≤ 1e-4 m)", () => {
    const path = trajectory(jnp.array(v0, { dtype: "float32" })).tolist() as number[][];
    const reference = trajectoryReference(v0);
    expect(path).toHaveLength(physics.steps);
    path.forEach(([x, y], i) => {
      expect(Math.abs(x! - reference[i]![0])).toBeLessThan(1e-4);
      expect(Math.abs(y! - reference[i]![1])).toBeLessThan(1e-4);
    });
  });

  it("differentiates through all 200 scan steps (vs central differences, rel 1e-3)", () => {
    const g = grad(miss)(jnp.array(v0, { dtype: "float32" })).tolist() as number[];
    const h = 1e-5;
    for (let k = 0; k < 2; k++) {
      const up = [...v0] as [number, number];
      const down = [...v0] as [number, number];
      up[k] += h;
      down[k] -= h;
      const fd = (missReference(up) - missReference(down)) / (2 * h);
      expect(Math.abs(g[k]! - fd)).toBeLessThan(1e-3 * Math.abs(fd));
    }
  });

  it("gradient descent brings the miss below 1e-2 m² within 60 iterations", () => {
    const { losses } = aim(60);
    expect(losses[0]!).toBeGreaterThan(10);
    expect(losses.at(-1)!).toBeLessThan(1e-2);
  });
});
