/**
 * The dependency rules of `npm run lint` (.dependency-cruiser.cjs) reject an import cycle,
 * an import from a later layer and a device folder importing another (lint itself checks that
 * src/ passes them).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");
const bin = join(repo, "node_modules/.bin/depcruise");
const config = join(repo, ".dependency-cruiser.cjs");

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(bin, ["src", "--config", config, "--output-type", "err"], {
    cwd,
    encoding: "utf8",
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A throwaway project: tsconfig plus the given files under src/. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "jaxts-layers-"));
  dirs.push(dir);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, "src", path)), { recursive: true });
    writeFileSync(join(dir, "src", path), text);
  }
  return dir;
}
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("layer rules", () => {
  it("reject an import from a later layer", () => {
    const r = cruise(
      fixture({
        "core/shape.ts": 'import { t } from "../trace/trace.js";\nexport const s = t;\n',
        "trace/trace.ts": "export const t = 1;\n",
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/layer-core: src\/core\/shape\.ts → src\/trace\/trace\.ts/);
  }, 60_000);

  it("reject a cycle, type-only imports included", () => {
    const r = cruise(
      fixture({
        "ir/a.ts": 'import type { B } from "./b.js";\nexport interface A { b?: B }\n',
        "ir/b.ts": 'import type { A } from "./a.js";\nexport interface B { a?: A }\n',
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/no-circular/);
  }, 60_000);

  it("reject a device folder importing another or anything above kernel/", () => {
    const r = cruise(
      fixture({
        "backend/webgpu/device.ts":
          'import { w } from "../wasm/runtime/memory.js";\nimport { p } from "../../primitives/add.js";\nexport const d = w + p;\n',
        "backend/wasm/runtime/memory.ts": "export const w = 1;\n",
        "primitives/add.ts": "export const p = 1;\n",
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/devices-do-not-import-each-other/);
    expect(r.out).toMatch(/backend-only-below-kernel/);
  }, 60_000);
});
