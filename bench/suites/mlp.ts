/**
 * Row 7: one SGD training step of an MLP 784-512-512-10 (relu, softmax cross-entropy), batch
 * 128: `jit(valueAndGrad(loss))` then the update `p - lr·g` applied eagerly leaf by leaf, in
 * jaxts and in jax-js written the same way. Also the step of examples/mlp.ts (its own group).
 */
import { type Array as JArray, jit, numpy as jnp, tree, valueAndGrad } from "../../src/index.js";
import type { Prepared } from "../harness.js";
import { type Row, isNA, uniform } from "../rows.js";

const BATCH = 128;
const SIZES = [784, 512, 512, 10] as const;
const LR = 0.01;
const GROUP = "MLP 784-512-512-10 SGD step, batch 128";
const GROUP_EXAMPLE = "examples/mlp.ts (spirals, 2-64-64-3, Adam)";
/** Matmul flops of one step: forward (1×) + backward (2×: input and weight gradients). */
const FLOPS = 3 * 2 * BATCH * (784 * 512 + 512 * 512 + 512 * 10);

interface HostParams {
  w: Float32Array[];
  b: Float32Array[];
}

function hostData(): { params: HostParams; x: Float32Array; y: Float32Array } {
  const w: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (let l = 0; l < 3; l++) {
    const fanIn = SIZES[l]!;
    const fanOut = SIZES[l + 1]!;
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    w.push(uniform(fanIn * fanOut, 10 + l, -lim, lim));
    b.push(new Float32Array(fanOut));
  }
  const x = uniform(BATCH * 784, 99, 0, 1);
  const y = new Float32Array(BATCH * 10);
  for (let i = 0; i < BATCH; i++) y[i * 10 + ((i * 7) % 10)] = 1;
  return { params: { w, b }, x, y };
}

interface JParams {
  w1: JArray;
  b1: JArray;
  w2: JArray;
  b2: JArray;
  w3: JArray;
  b3: JArray;
}

function jaxtsLoss(p: JParams, x: JArray, y: JArray): JArray {
  const h1 = jnp.maximum(jnp.matmul(x, p.w1).add(p.b1), 0);
  const h2 = jnp.maximum(jnp.matmul(h1, p.w2).add(p.b2), 0);
  const logits = jnp.matmul(h2, p.w3).add(p.b3);
  const m = jnp.max(logits, { axis: -1, keepdims: true });
  const shifted = logits.sub(m);
  const lse = jnp.log(jnp.sum(jnp.exp(shifted), { axis: -1, keepdims: true }));
  const logp = shifted.sub(lse);
  return jnp.mean(jnp.sum(logp.mul(y), { axis: -1 })).neg();
}

export function mlpRows(): Row[] {
  return [
    {
      id: "mlp/example",
      group: GROUP_EXAMPLE,
      name: "examples/mlp.ts training step",
      lib: "jaxts",
      what: "jaxts: one step of examples/mlp.ts — jit(valueAndGrad + Adam) on a 2-64-64-3 MLP, 900 points; all outputs blockUntilReady()",
      async prepare(): Promise<Prepared> {
        const ex = await import("../../examples/mlp.js");
        let { params, m, v } = ex.setup();
        const { x, y } = ex.setup();
        let t = 1;
        return {
          fn: () => {
            const out = ex.step(params, m, v, x, y, jnp.float32(t++)) as unknown as [
              typeof params,
              typeof m,
              typeof v,
              JArray,
            ];
            [params, m, v] = out;
            for (const leaf of tree.leaves(out) as JArray[]) leaf.blockUntilReady();
            return out[3];
          },
        };
      },
    },
    {
      id: "mlp/jaxts",
      group: GROUP,
      name: "jaxts jit(valueAndGrad) + SGD",
      lib: "jaxts",
      what: "jaxts: [loss, g] = jit(valueAndGrad(loss))(params, x, y); params = tree.map((p, g) => p - 0.01·g); all leaves blockUntilReady(); GFLOP/s counts the matmuls (fwd + 2× bwd)",
      work: { flops: FLOPS },
      async prepare(): Promise<Prepared> {
        const h = hostData();
        const arr = (d: Float32Array, shape: number[]) => jnp.asarray(d).reshape(shape);
        let params: JParams = {
          w1: arr(h.params.w[0]!, [784, 512]),
          b1: arr(h.params.b[0]!, [512]),
          w2: arr(h.params.w[1]!, [512, 512]),
          b2: arr(h.params.b[1]!, [512]),
          w3: arr(h.params.w[2]!, [512, 10]),
          b3: arr(h.params.b[2]!, [10]),
        };
        const x = arr(h.x, [BATCH, 784]);
        const y = arr(h.y, [BATCH, 10]);
        const step = jit(valueAndGrad(jaxtsLoss)) as (
          p: JParams,
          x: JArray,
          y: JArray,
        ) => [JArray, JParams];
        return {
          fn: () => {
            const [loss, grads] = step(params, x, y);
            const next = tree.map(
              (p: JArray, g: JArray) => p.sub(g.mul(LR)),
              params,
              grads,
            ) as JParams;
            for (const leaf of Object.values(next)) (leaf as JArray).blockUntilReady();
            params = next;
            return loss;
          },
          cleanup: (r) => (r as JArray).dispose(),
        };
      },
    },
    {
      id: "mlp/jaxjs",
      group: GROUP,
      name: "jax-js jit(valueAndGrad) + SGD",
      lib: "jax-js",
      what: "jax-js: the same loss, jit(valueAndGrad(loss))(tree.ref(params), x.ref, y.ref), tree.map SGD update, await blockUntilReady(params)",
      vs: { ref: "mlp/jaxts", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 0.5 }, // ≥ 2× faster
      work: { flops: FLOPS },
      async prepare(c): Promise<Prepared> {
        const p = await c.jaxjs();
        if (isNA(p)) return p;
        const { numpy: np, jit: jjit, valueAndGrad, tree: jtree, blockUntilReady } = p.jax;
        type A = ReturnType<typeof np.array>;
        type P = { w1: A; b1: A; w2: A; b2: A; w3: A; b3: A };
        const h = hostData();
        const arr = (d: Float32Array, shape: number[]) => np.array(d, { shape });
        let params: P = {
          w1: arr(h.params.w[0]!, [784, 512]),
          b1: arr(h.params.b[0]!, [512]),
          w2: arr(h.params.w[1]!, [512, 512]),
          b2: arr(h.params.b[1]!, [512]),
          w3: arr(h.params.w[2]!, [512, 10]),
          b3: arr(h.params.b[2]!, [10]),
        };
        const x = arr(h.x, [BATCH, 784]);
        const y = arr(h.y, [BATCH, 10]);
        // Written as jaxtsLoss, with .ref wherever a value is used more than once.
        const loss = (q: P, xb: A, yb: A): A => {
          const h1 = np.maximum(np.matmul(xb, q.w1).add(q.b1), 0);
          const h2 = np.maximum(np.matmul(h1, q.w2).add(q.b2), 0);
          const logits = np.matmul(h2, q.w3).add(q.b3);
          const m = np.max(logits.ref, -1, { keepdims: true });
          const shifted = logits.sub(m);
          const lse = np.log(np.sum(np.exp(shifted.ref), -1, { keepdims: true }));
          const logp = shifted.sub(lse);
          return np.mean(np.sum(logp.mul(yb), -1)).neg();
        };
        const step = jjit(valueAndGrad(loss));
        return {
          fn: async () => {
            const [lossValue, grads] = step(jtree.ref(params), x.ref, y.ref);
            params = jtree.map((w: A, g: A) => w.sub(g.mul(LR)), params, grads as P) as P;
            await blockUntilReady(params);
            return lossValue;
          },
          cleanup: (r) => (r as A).dispose(),
          teardown: () => {
            jtree.dispose(params);
            x.dispose();
            y.dispose();
          },
        };
      },
    },
  ];
}
