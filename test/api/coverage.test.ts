/**
 * FEATURES.md's coverage table is generated from JAX's name lists (scripts/jax-api/): this
 * fails when it is stale (rerun `npx tsx scripts/count-api.ts`), and checks the mapping rules.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  answers,
  camel,
  countAll,
  currentBlock,
  jsPath,
  renderCoverage,
} from "../../scripts/jax-api/coverage.js";
import names from "../../scripts/jax-api/jax-names.json" with { type: "json" };
import impossible from "../../scripts/jax-api/js-impossible.json" with { type: "json" };
import placeholders from "../../scripts/jax-api/placeholders.json" with { type: "json" };
import * as jax from "../../src/index.js";
import { NotImplementedError } from "../../src/index.js";

const features = readFileSync(fileURLToPath(new URL("../../FEATURES.md", import.meta.url)), "utf8");

describe("JAX API coverage count", () => {
  it("FEATURES.md's table matches the exports (rerun `npx tsx scripts/count-api.ts`)", () => {
    expect(currentBlock(features)).toBe(renderCoverage());
  });

  it("maps JAX names to camelCase JS exports", () => {
    expect(camel("log_softmax")).toBe("logSoftmax");
    expect(camel("atleast_1d")).toBe("atleast1d");
    expect(camel("bool_")).toBe("bool_");
    expect(camel("PRNGKey")).toBe("PRNGKey");
    expect(camel("weibull_min")).toBe("weibullMin");
    expect(jsPath("jax.scipy.stats.norm")).toEqual(["scipy", "stats", "norm"]);
    expect(jsPath("jax.tree_util")).toEqual(["treeUtil"]);
  });

  it("answers by walking exports, class prototypes and factory probes", () => {
    expect(answers("jax.numpy", "sum")).toBe(true);
    expect(answers("jax.numpy", "ndarray.at")).toBe(true);
    expect(answers("jax", "Array.reshape")).toBe(true);
    expect(answers("jax", "Array.shape")).toBe(true);
    expect(answers("jax", "custom_jvp.defjvp")).toBe(true);
    expect(answers("jax.nn", "log_softmax")).toBe(true);
    expect(answers("jax.numpy", "no_such_function")).toBe(false);
    expect(answers("jax.scipy.stats.nosuch", "pdf")).toBe(false);
  });

  it("counts every listed name once; JS-impossible names are real JAX names", () => {
    const rows = countAll();
    const total = Object.values(names.modules).reduce((s, l) => s + l.length, 0);
    expect(rows.reduce((s, r) => s + r.total, 0)).toBe(total);
    for (const key of Object.keys(impossible.names)) {
      const [module, name] = key.split(":") as [string, string];
      expect((names.modules as Record<string, string[]>)[module]).toContain(name);
      expect(answers(module, name)).toBe(false);
    }
  });

  it("placeholders are exported, raise NotImplementedError, and count as missing", () => {
    const m = jax.numpy.eye(2);
    for (const key of Object.keys(placeholders.names)) {
      const [module, name] = key.split(":") as [string, string];
      expect((names.modules as Record<string, string[]>)[module]).toContain(name);
      expect(answers(module, name)).toBe(true);
      let target: unknown = jax;
      for (const part of [...jsPath(module), camel(name)]) {
        target = (target as Record<string, unknown>)[part];
      }
      expect(() => (target as (...a: unknown[]) => unknown)(m, m), key).toThrow(
        NotImplementedError,
      );
      const row = countAll().find((r) => r.row === module)!;
      expect(row.missing, key).toContain(name);
    }
  });
});
