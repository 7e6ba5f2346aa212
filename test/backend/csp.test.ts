// Without `eval` (a page with a strict Content-Security-Policy; here Node's
// --disallow-code-generation-from-strings, which makes `new Function` throw the same EvalError):
// the wasm device runs its WebAssembly kernels and its custom kernels (sort, cumsum, linalg),
// which no longer go through generated JS, and control flow (the runtime drives while loops whose
// bodies are compiled kernels); a kernel that does need generated JS (a float64 kernel on the
// wasm device, the whole js device) raises a DeviceError naming the policy and the fix.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runNode } from "../support/run-node.js";

const program = fileURLToPath(new URL("./csp/no-eval-program.ts", import.meta.url));

describe("no code generation from strings (strict CSP)", () => {
  it("runs wasm and custom kernels, and names the policy where generated JS is needed", async () => {
    const run = await runNode(
      ["--disallow-code-generation-from-strings", "--import", "tsx", program],
      120_000,
    );
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, string>;
    expect(out.sort).toBe("[1 2 3]");
    expect(out.cumsum).toBe("[1 3 6]");
    expect(out.cholesky).toBe("[[2. 0.]\n [1. 2.]]");
    expect(out["jit sum of exp"]).toBe("31.192875");
    expect(out["while loop"]).toBe("12");
    for (const key of ["float64 exp", "js device add"]) {
      expect(out[key]).toMatch(/^DeviceError: .* runs as generated JavaScript/);
      expect(out[key]).toContain("Content-Security-Policy without 'unsafe-eval'");
    }
    expect(out["float64 exp"]).toContain("kernel #0 (loop");
  }, 150_000);
});
