/**
 * An artifact written by this process is deserialized and called by a child Node process
 * (which never sees the source function): same jaxpr text, same values.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Array, grad, jit, numpy as jnp, export as jexport } from "../../../src/index.js";
import { treeUnflatten } from "../../../src/core/pytree.js";
import { runNode } from "../../support/run-node.js";

const child = fileURLToPath(new URL("./child-program.ts", import.meta.url));

type Params = { w: Array; b: Array };
const mlpLoss = (p: Params, x: Array) =>
  jnp.mean(jnp.square(jnp.tanh(jnp.add(jnp.matmul(x, p.w), p.b))));

describe("export across processes", () => {
  it("a child process runs the parent's exported grad", async () => {
    const g = jit(grad(mlpLoss));
    const p = { w: jnp.zeros([3, 2]), b: jnp.zeros([2]) };
    const exp = jexport.export(g)(p, jnp.zeros([4, 3]));
    const dir = mkdtempSync(join(tmpdir(), "jaxts-export-"));
    const file = join(dir, "grad.jaxts");
    writeFileSync(file, exp.serialize());
    // The same inputs the child makes: arange(size) + leaf index, reshaped.
    const inputs = exp.inAvals.map((a, i) =>
      jnp.reshape(jnp.add(jnp.arange(a.size).astype(a.dtype), i), a.shape as number[]),
    );
    const want = g(...treeUnflatten<[Params, Array]>(exp.inTree, inputs)) as Params;
    const run = await runNode(["--import", "tsx", child, file], 120_000);
    expect(run.status, run.stderr).toBe(0);
    const got = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
      funName: string;
      text: string;
      values: Record<string, unknown>;
    };
    expect(got.funName).toBe(exp.funName);
    expect(got.text).toBe(exp.jaxpr.toString());
    expect(got.values).toEqual({ b: want.b.tolist(), w: want.w.tolist() });
  }, 130_000);
});
