/**
 * Child process of cross-process.test.ts: reads an artifact written by the parent, rebuilds it
 * without the source function, calls it on the parent's inputs and prints the results as JSON.
 */
import { readFileSync } from "node:fs";
import { numpy as jnp, export as jexport, type Array } from "../../../src/index.js";

const [artifactPath] = process.argv.slice(2);
const exp = jexport.deserialize(new Uint8Array(readFileSync(artifactPath!)));
const inputs = exp.inAvals.map((a, i) =>
  jnp.reshape(jnp.add(jnp.arange(a.size).astype(a.dtype), i), a.shape as number[]),
);
const { treeUnflatten } = await import("../../../src/core/pytree.js");
const args = treeUnflatten<unknown[]>(exp.inTree, inputs);
const out = exp.call(...args) as Record<string, Array>;
const values = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.tolist()]));
process.stdout.write(
  JSON.stringify({ funName: exp.funName, text: exp.jaxpr.toString(), values }) + "\n",
);
