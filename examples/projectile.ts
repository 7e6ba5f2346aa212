/**
 * Differentiable physics with `lax.scan`: a ball thrown through air with quadratic drag,
 * integrated by semi-implicit Euler for a fixed flight time inside one compiled `scan`; then
 * `grad` through all the steps finds the launch velocity that lands it on a target, by gradient
 * descent. Prints the progress, checks the final trajectory against a float64 simulation of the
 * same scheme written as a plain JS loop, and writes an SVG of the loss and the flight.
 * Run: `npm run example:projectile`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { type Array, grad, jit, lax, numpy as jnp } from "jaxts";
import { linePlotSvg } from "./plot.js";

export const physics = { gravity: 9.81, drag: 0.05, dt: 0.01, steps: 200 };
export const target = [12, 1.5] as const;

type State = { pos: Array; vel: Array };

/** One step: drag against the velocity (∝ |v| v), gravity down; positions from new velocities. */
function stepState({ pos, vel }: State): State {
  const speed = jnp.sqrt(vel.mul(vel).sum());
  const accel = vel
    .mul(speed)
    .mul(-physics.drag)
    .add(jnp.array([0, -physics.gravity]));
  const vel2 = vel.add(accel.mul(physics.dt));
  return { pos: pos.add(vel2.mul(physics.dt)), vel: vel2 };
}

/** Positions [steps, 2] of a flight from the origin with launch velocity `v0` [2]. */
export const trajectory = jit((v0: Array): Array => {
  const [, path] = lax.scan(
    (s: State, _: null) => {
      const next = stepState(s);
      return [next, next.pos] as const;
    },
    { pos: jnp.zeros([2]), vel: v0 },
    null,
    { length: physics.steps },
  );
  return path;
});

/** Squared distance between where the ball is at the end of the flight and the target. */
export function miss(v0: Array): Array {
  const end = trajectory(v0).get(-1);
  const d = end.sub(jnp.array([...target]));
  return d.mul(d).sum();
}

const missGrad = jit(grad(miss));

/** The same flight in float64 JS arithmetic (the reference for the compiled one). */
export function trajectoryReference(v0: readonly [number, number]): [number, number][] {
  let [x, y] = [0, 0];
  let [vx, vy] = v0;
  const out: [number, number][] = [];
  for (let i = 0; i < physics.steps; i++) {
    const speed = Math.hypot(vx, vy);
    vx += -physics.drag * speed * vx * physics.dt;
    vy += (-physics.drag * speed * vy - physics.gravity) * physics.dt;
    x += vx * physics.dt;
    y += vy * physics.dt;
    out.push([x, y]);
  }
  return out;
}

/** Gradient descent on the launch velocity; returns it and the loss after each iteration. */
export function aim(iterations: number, lr = 0.05): { v0: Array; losses: number[] } {
  let v0 = jnp.array([5, 5], { dtype: "float32" });
  const losses: number[] = [];
  for (let i = 0; i < iterations; i++) {
    v0 = v0.sub(missGrad(v0).mul(lr));
    losses.push(miss(v0).itemNumber());
  }
  return { v0, losses };
}

function main(): void {
  const { dt, steps, drag } = physics;
  console.log(
    `A ball with drag ${drag}·|v|·v, ${steps} steps of ${dt} s in one lax.scan; ` +
      `aiming at (${target.join(", ")}) m by gradient descent on the launch velocity.`,
  );
  const iterations = 60;
  const t0 = performance.now();
  const { v0, losses } = aim(iterations);
  losses.forEach((l, i) => {
    if ((i + 1) % 10 === 0)
      console.log(`iteration ${String(i + 1).padStart(3)}  miss² ${l.toExponential(3)} m²`);
  });
  const [vx, vy] = v0.tolist() as [number, number];
  const path = trajectory(v0).tolist() as [number, number][];
  const reference = trajectoryReference([vx, vy]);
  const worst = Math.max(
    ...path.map(([x, y], i) => Math.hypot(x - reference[i]![0], y - reference[i]![1])),
  );
  console.log(
    `launch velocity (${vx.toFixed(3)}, ${vy.toFixed(3)}) m/s lands at ` +
      `(${path.at(-1)![0].toFixed(3)}, ${path.at(-1)![1].toFixed(3)}) m; ` +
      `${((performance.now() - t0) / 1e3).toFixed(2)} s in all`,
  );
  console.log(
    `largest distance from the float64 reference along the flight: ${worst.toExponential(2)} m`,
  );
  const outDir = new URL("./out/", import.meta.url);
  mkdirSync(outDir, { recursive: true });
  const svg = linePlotSvg("Aiming a ball with drag", "iteration / step", [
    { name: "log10 miss² (per iteration)", values: losses.map((l) => Math.log10(l)) },
    { name: "height y (per step)", values: path.map(([, y]) => y) },
  ]);
  writeFileSync(new URL("projectile.svg", outDir), svg);
  console.log(`Plots: examples/out/projectile.svg`);
}

const invoked =
  typeof process === "object" &&
  process.argv[1]?.replace(/\.ts$/, "").endsWith("examples/projectile");
if (invoked) main();
