/** The primitive registry: every rule a definition leaves to transforms/ is provided. */
import { describe, expect, it } from "vitest";
import "../../src/index.js";
import { allPrimitives, missingProvidedRules } from "../../src/primitives/define.js";

describe("primitive registry", () => {
  it("after importing the library, every providedByTransforms rule was provided", () => {
    const missing = allPrimitives().flatMap((p) =>
      missingProvidedRules(p).map((kind) => `${p.name}.${kind}`),
    );
    expect(missing).toEqual([]);
  });

  it("the control-flow and call primitives leave their rules to transforms/", () => {
    const byName = new Map(allPrimitives().map((p) => [p.name, p]));
    for (const name of ["pjit", "cond", "while", "scan"]) {
      for (const kind of ["jvp", "transpose", "batch", "partialEval"] as const) {
        expect(byName.get(name)![kind]).toMatchObject({ kind: "providedByTransforms" });
      }
    }
    for (const name of ["checkpoint", "custom_jvp_call", "custom_vjp_call_jaxpr"]) {
      expect(byName.get(name)!.partialEval).toMatchObject({ kind: "providedByTransforms" });
    }
  });
});
