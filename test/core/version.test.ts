// The version jaxts reports (printEnvironmentInfo) is package.json's, and the report has JAX's
// lines for a JS runtime.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/core/version.js";
import { printEnvironmentInfo } from "../../src/index.js";

describe("version and environment info", () => {
  it("VERSION is package.json's version", () => {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it("printEnvironmentInfo(true) returns the report: version, node, devices, platform", () => {
    const text = printEnvironmentInfo(true)!;
    const lines = text.split("\n");
    expect(lines[0]).toBe(`jaxts:  ${VERSION}`);
    expect(lines[1]).toBe(`node:   ${process.versions.node}`);
    expect(text).toContain("device info: wasm-1, 1 local devices");
    expect(text).toContain("process_count: 1");
    expect(text).toContain(`platform: ${process.platform} ${process.arch}`);
  });
});
