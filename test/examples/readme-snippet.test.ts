// README.md's first code block is examples/readme-quickstart.ts (which `npm test` type-checks
// strictly): the two must not drift apart.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);

describe("README's first snippet", () => {
  it("is examples/readme-quickstart.ts, verbatim after its header comment", () => {
    const readme = readFileSync(new URL("README.md", root), "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const file = readFileSync(new URL("examples/readme-quickstart.ts", root), "utf8");
    const body = file.replace(/^(\/\/.*\n)+/, "");
    expect(block).toBe(body);
  });
});
