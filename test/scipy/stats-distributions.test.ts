/**
 * jax.scipy.stats distributions against scipy.stats 1.17 (test/fixtures/make_stats.py →
 * stats.json): every function of every distribution module, eager and under jit, on the wasm
 * and js devices, in float32 at each case's tolerance (rtol 2e-5 … 1e-3 for the truncated
 * normal's far tail, atol 2e-6 … 1e-5), with broadcasting of x, loc and scale.
 */
import { describe, it } from "vitest";
import { type Array, scipy } from "../../src/index.js";
import fixture from "../fixtures/stats.json" with { type: "json" };
import { type CaseFn, type FixtureCase, runCase } from "../numpy/fixture-cases.js";

type StatsCase = FixtureCase & { rtol: number; atol: number };
const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** "norm.logpdf" → scipy.stats.norm.logpdf applied to the positional arguments. */
function lookup(path: string): CaseFn {
  const [mod, fn] = path.split(".") as [string, string];
  const ns = (scipy.stats as unknown as Record<string, Record<string, unknown>>)[camel(mod)];
  const f = ns?.[fn] as ((...a: unknown[]) => Array) | undefined;
  if (!f) throw new Error(`no scipy.stats.${path}`);
  return (args) => f(...args);
}

const cases = fixture.cases as StatsCase[];
const modules = [...new Set(cases.map((c) => c.fn.split(".")[0]!))];
for (const mod of modules) {
  describe(`stats.${mod} vs scipy`, () => {
    for (const c of cases.filter((k) => k.fn.startsWith(`${mod}.`))) {
      it(c.name, () => runCase(c, { [c.fn]: lookup(c.fn) }, { rtol: c.rtol, atol: c.atol }));
    }
  });
}
