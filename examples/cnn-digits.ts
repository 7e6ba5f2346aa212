/**
 * A small convolutional network trained on real handwriting: the 1,797 8×8 digit images of the
 * UCI "Optical Recognition of Handwritten Digits" test set (the copy scikit-learn ships as
 * `load_digits`; examples/data/README.md gives its source and licence). Two 3×3 convolutions
 * (`lax.convGeneralDilated`, NHWC/HWIO) with ReLU, a 2×2 average pool (`nn.avgPool`), a dense
 * layer; `jit(valueAndGrad(loss))` with Adam on minibatches; the test accuracy at the end, a
 * confusion matrix, and an SVG of the training curves in examples/out/.
 * Run: `npm run example:cnn`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { type Array, jit, lax, nn, numpy as jnp, random, valueAndGrad } from "jaxts";
import { adamDefaults, adamInit, adamUpdate } from "./adam.js";
import { linePlotSvg } from "./plot.js";

type Params = {
  conv1: { w: Array; b: Array };
  conv2: { w: Array; b: Array };
  dense: { w: Array; b: Array };
};

const dataUrl = new URL("./data/digits.csv.gz", import.meta.url);

/** The digits as float32 images [n, 8, 8, 1] scaled to [0, 1], and their int32 labels. */
export function loadDigits(): { images: Array; labels: Array } {
  const rows = gunzipSync(readFileSync(dataUrl)).toString("utf8").trim().split("\n");
  const pixels = new Float32Array(rows.length * 64);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    const cells = row.split(",").map(Number);
    for (let p = 0; p < 64; p++) pixels[i * 64 + p] = cells[p]! / 16;
    labels[i] = cells[64]!;
  });
  return {
    images: jnp.array(pixels).reshape([rows.length, 8, 8, 1]),
    labels: jnp.array(labels),
  };
}

function init(key: ReturnType<typeof random.key>): Params {
  const [k1, k2, k3] = random.split(key, 3);
  const he = nn.initializers.heNormal();
  return {
    conv1: { w: he(k1!, [3, 3, 1, 8]), b: jnp.zeros([8]) },
    conv2: { w: he(k2!, [3, 3, 8, 16]), b: jnp.zeros([16]) },
    dense: { w: he(k3!, [4 * 4 * 16, 10]), b: jnp.zeros([10]) },
  };
}

const nhwc = { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] as [string, string, string] };

/** Logits [n, 10] for images [n, 8, 8, 1]. */
export function predict(params: Params, images: Array): Array {
  let h = lax.convGeneralDilated(images, params.conv1.w, [1, 1], "SAME", nhwc);
  h = nn.relu(h.add(params.conv1.b));
  h = lax.convGeneralDilated(h, params.conv2.w, [1, 1], "SAME", nhwc);
  h = nn.relu(h.add(params.conv2.b));
  h = nn.avgPool(h, [2, 2], { strides: [2, 2] });
  h = h.reshape([h.shape[0]!, -1]);
  return jnp.matmul(h, params.dense.w).add(params.dense.b);
}

function loss(params: Params, images: Array, labels: Array): Array {
  const logp = nn.logSoftmax(predict(params, images));
  return nn.oneHot(labels, 10).mul(logp).sum({ axis: -1 }).mean().neg();
}

const adam = { ...adamDefaults, lr: 1e-2 };

const step = jit(function step(
  params: Params,
  m: Params,
  v: Params,
  images: Array,
  labels: Array,
  t: Array,
) {
  const [value, g] = valueAndGrad(loss)(params, images, labels);
  const next = adamUpdate(params, g, m, v, t, adam);
  return [next.params, next.m, next.v, value] as const;
});

const accuracy = jit((params: Params, images: Array, labels: Array) =>
  jnp.argmax(predict(params, images), { axis: 1 }).eq(labels).mean(),
);

function confusion(params: Params, images: Array, labels: Array): number[][] {
  const guess = jnp.argmax(predict(params, images), { axis: 1 }).tolist() as number[];
  const truth = labels.tolist() as number[];
  const m = globalThis.Array.from({ length: 10 }, () => new globalThis.Array<number>(10).fill(0));
  guess.forEach((g, i) => m[truth[i]!]![g]!++);
  return m;
}

export type TrainResult = {
  params: Params;
  losses: number[];
  testAccuracy: number[];
  test: { x: Array; y: Array };
};

/** Train for `epochs` epochs; `log` receives one progress line per epoch. */
export function train(epochs: number, log: (line: string) => void = () => {}): TrainResult {
  const { images, labels } = loadDigits();
  const [kSplit, kInit, kShuffle] = random.split(random.key(0), 3);
  const perm = random.permutation(kSplit!, images.shape[0]!);
  const nTest = 450;
  const test = { x: images.get(perm.get(`:${nTest}`)), y: labels.get(perm.get(`:${nTest}`)) };
  const train = { x: images.get(perm.get(`${nTest}:`)), y: labels.get(perm.get(`${nTest}:`)) };
  const nTrain = train.x.shape[0]!;
  log(`Digits: ${nTrain} training and ${nTest} test images of 8×8 pixels, 10 classes.`);
  log(`CNN: conv3×3(8)·relu → conv3×3(16)·relu → avgpool 2×2 → dense(10); Adam ${adam.lr}.`);

  let params = init(kInit!);
  let { m, v } = adamInit(params);
  const batch = 128;
  const losses: number[] = [];
  const testAccuracy: number[] = [];
  let t = 0;
  let key = kShuffle!;
  const t0 = performance.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const [kEpoch, kNext] = random.split(key);
    key = kNext!;
    const order = random.permutation(kEpoch!, nTrain);
    let sum = 0;
    let count = 0;
    for (let s = 0; s + batch <= nTrain; s += batch) {
      const idx = order.get(`${s}:${s + batch}`);
      const out = step(params, m, v, train.x.get(idx), train.y.get(idx), jnp.float32(++t));
      [params, m, v] = out;
      sum += out[3].itemNumber();
      count++;
    }
    losses.push(sum / count);
    testAccuracy.push(accuracy(params, test.x, test.y).itemNumber());
    const secs = ((performance.now() - t0) / 1e3).toFixed(1);
    log(
      `epoch ${String(epoch).padStart(2)}  loss ${(sum / count).toFixed(4)}  ` +
        `test accuracy ${(testAccuracy.at(-1)! * 100).toFixed(1)}%  (${secs} s)`,
    );
  }
  return { params, losses, testAccuracy, test };
}

function main(): void {
  const { params, losses, testAccuracy: testAcc, test } = train(12, console.log);
  console.log(`\nConfusion matrix on the test set (rows: true digit, columns: predicted):`);
  console.log(
    `     ${[...globalThis.Array(10).keys()].map((d) => String(d).padStart(3)).join("")}`,
  );
  confusion(params, test.x, test.y).forEach((row, d) =>
    console.log(`  ${d}: ${row.map((c) => String(c).padStart(3)).join("")}`),
  );
  const outDir = new URL("./out/", import.meta.url);
  mkdirSync(outDir, { recursive: true });
  const svg = linePlotSvg("CNN on 8×8 digits", "epoch", [
    { name: "training loss", values: losses },
    { name: "test accuracy", values: testAcc },
  ]);
  writeFileSync(new URL("cnn-digits.svg", outDir), svg);
  console.log(`\nTraining curves: examples/out/cnn-digits.svg`);
}

const invoked =
  typeof process === "object" &&
  process.argv[1]?.replace(/\.ts$/, "").endsWith("examples/cnn-digits");
if (invoked) main();
