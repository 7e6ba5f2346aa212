/**
 * The bad-input catalogue (issue 16): every entry is a call with wrong input to a public
 * function; each must raise JAX's error class with a message naming the problem (never return
 * a value, hang or crash), leave the shared operands unchanged, and leave the device usable
 * (a follow-up computation in the same test proves it).
 */
import { describe, expect, it } from "vitest";
import { numpy as jnp } from "../../src/index.js";
import { type BadInput, fx } from "./case.js";
import { miscCases } from "./cases-misc.js";
import { numpyCases } from "./cases-numpy.js";
import { transformCases } from "./cases-transforms.js";

const all: BadInput[] = [...numpyCases, ...transformCases, ...miscCases];
const snapshot = Object.entries(fx).map(([k, v]) => [k, JSON.stringify(v.tolist())] as const);

describe("bad-input catalogue", () => {
  it("has at least 200 distinct cases", () => {
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(200);
  });
  for (const c of all) {
    it(c.name, () => {
      let thrown: unknown = undefined;
      let returned: unknown = undefined;
      try {
        returned = c.call();
      } catch (e) {
        thrown = e;
      }
      if (thrown === undefined)
        expect.fail(`returned ${String(returned)} instead of raising ${c.error.name}`);
      expect(thrown, String(thrown)).toBeInstanceOf(c.error);
      expect((thrown as Error).message).toMatch(c.message);
      for (const [k, v] of snapshot)
        expect(JSON.stringify(fx[k as keyof typeof fx].tolist()), k).toBe(v);
      expect(jnp.arange(3).add(1).tolist()).toEqual([1, 2, 3]);
      expect((globalThis as { pwned?: unknown }).pwned, "code ran from a string").toBeUndefined();
      expect(({} as { axis?: unknown }).axis, "Object.prototype polluted").toBeUndefined();
    });
  }
});
