/**
 * Train an MLP classifier on a generated dataset (three interleaved spirals; no downloads),
 * with `jit(valueAndGrad(loss))` and Adam written with `tree.map`. Run: `npm run example:mlp`.
 */
import { type Array, jit, nn, numpy as jnp, random, valueAndGrad } from "jaxts";
import { adamDefaults, adamInit, adamUpdate } from "./adam.js";

type Params = { w: Array; b: Array }[];

/** Three spirals in the plane: n points per class, with noise. */
function spirals(key: ReturnType<typeof random.key>, n: number): { x: Array; y: Array } {
  const [k1, k2] = random.split(key);
  const t = jnp.linspace(0, 1, n);
  const xs: Array[] = [];
  const ys: Array[] = [];
  for (let c = 0; c < 3; c++) {
    const r = t.mul(5);
    const theta = t.mul(4).add((c * 2 * Math.PI) / 3);
    xs.push(jnp.stack([r.mul(jnp.cos(theta)), r.mul(jnp.sin(theta))], 1));
    ys.push(jnp.full([n], c, "int32"));
  }
  const x = jnp.concatenate(xs).add(random.normal(k1, [3 * n, 2]).mul(0.15));
  const perm = random.permutation(k2, 3 * n);
  return { x: x.get(perm), y: jnp.concatenate(ys).get(perm) };
}

function init(key: ReturnType<typeof random.key>, sizes: number[]): Params {
  const keys = random.split(key, sizes.length - 1);
  return sizes.slice(1).map((out, i) => ({
    w: nn.initializers.heNormal()(keys.get(i), [sizes[i]!, out]),
    b: jnp.zeros([out]),
  }));
}

function predict(params: Params, x: Array): Array {
  let h = x;
  params.forEach(({ w, b }, i) => {
    h = jnp.matmul(h, w).add(b);
    if (i < params.length - 1) h = nn.relu(h);
  });
  return h;
}

function loss(params: Params, x: Array, y: Array): Array {
  const logp = nn.logSoftmax(predict(params, x));
  return nn.oneHot(y, 3).mul(logp).sum({ axis: -1 }).mean().neg();
}

const adam = { ...adamDefaults, lr: 0.01 };

/** One jitted training step: value and gradient of the loss, then an Adam update. */
export const step = jit(function step(
  params: Params,
  m: Params,
  v: Params,
  x: Array,
  y: Array,
  t: Array,
) {
  const [value, g] = valueAndGrad(loss)(params, x, y);
  const next = adamUpdate(params, g, m, v, t, adam);
  return [next.params, next.m, next.v, value] as const;
});

/** The data and the initial training state (parameters and Adam moments). */
export function setup(): { x: Array; y: Array; params: Params; m: Params; v: Params } {
  const [kData, kInit] = random.split(random.key(0));
  const { x, y } = spirals(kData, 300);
  const params = init(kInit, [2, 64, 64, 3]);
  return { x, y, params, ...adamInit(params) };
}

export { predict };

function main(): void {
  const s = setup();
  let { params, m, v } = s;
  const { x, y } = s;
  console.log(
    `Training a 2-64-64-3 MLP on ${x.shape[0]} points of three spirals (Adam, lr ${adam.lr}).`,
  );
  const t0 = performance.now();
  for (let t = 1; t <= 600; t++) {
    const out = step(params, m, v, x, y, jnp.float32(t));
    [params, m, v] = out;
    if (t % 100 === 0 || t === 1) {
      console.log(`step ${String(t).padStart(4)}  loss ${out[3].item()}`);
    }
  }
  const ms = performance.now() - t0;
  const accuracy = jnp.argmax(predict(params, x), { axis: 1 }).eq(y).mean().itemNumber();
  console.log(
    `final accuracy ${(accuracy * 100).toFixed(1)}%  (${(ms / 600).toFixed(2)} ms per step)`,
  );
}

// Run when executed directly (npm run example:mlp), not when imported by the bench.
const invoked =
  typeof process === "object" && process.argv[1]?.replace(/\.ts$/, "").endsWith("examples/mlp");
if (invoked) main();
