/**
 * The package as a user gets it: `npm run build`, `npm pack`, the tarball installed (offline;
 * it has no runtime dependencies) into fresh temp projects, then run and type-checked there:
 * an ESM project and a default (CommonJS) `npm init -y` project under Node; TypeScript strict,
 * `skipLibCheck: false`, with `module: nodenext` (ESM and CommonJS files) and with
 * `moduleResolution: bundler`, each with and without the DOM libs. TypeScript is this repo's,
 * by absolute path. Slow (a build and several tsc runs): one generous timeout.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const TIMEOUT = 300_000;

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let work: string;
let tarball: string;
let packed: PackResult;

const execFileAsync = promisify(execFile);

/** Runs a command (asynchronously: a blocked worker would miss vitest's heartbeats). */
async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  return stdout;
}

/** A fresh project holding `files` (path → text) with the tarball installed. */
async function project(name: string, pkg: object, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], dir);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

/** Runs this repo's tsc in `dir` with a strict tsconfig; returns its output ("" when clean). */
async function typecheck(
  dir: string,
  name: string,
  options: Record<string, unknown>,
  files: string[],
): Promise<string> {
  const config = {
    compilerOptions: {
      strict: true,
      target: "ES2022",
      skipLibCheck: false,
      noEmit: true,
      types: [],
      ...options,
    },
    files,
  };
  const file = `tsconfig.${name}.json`;
  writeFileSync(join(dir, file), JSON.stringify(config));
  try {
    return await run(process.execPath, [TSC, "-p", file], dir);
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

/** Typed use of the public API: the README's kind of code, strict, with no casts. */
const TYPED = `import { numpy as jnp, jit, grad, random, config, type Array } from "jaxts";
const f = (x: Array): Array => jnp.sum(x.mul(x));
export const y: Array = jit(f)(jnp.arange(3));
export const g: Array = grad(f)(jnp.arange(3).astype("float32"));
export const [k1, k2] = random.split(random.key(0));
export const rows: number[][] = [];
for (const row of jnp.ones([2, 2])) rows.push([...row.shape]);
export const json: string = JSON.stringify(y);
export const x64: boolean = config.enableX64;
export function release(a: Array): void {
  a[Symbol.dispose]();
}
`;

const LIBS = { "with DOM": ["ES2022", "DOM"], "without DOM": ["ES2022"] };

beforeAll(async () => {
  await run("npm", ["run", "build"], ROOT);
  work = mkdtempSync(join(tmpdir(), "jaxts-package-"));
  const out = await run("npm", ["pack", "--json", "--pack-destination", work], ROOT);
  packed = (JSON.parse(out) as PackResult[])[0]!;
  tarball = join(work, packed.filename);
}, TIMEOUT);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it(
    "ships dist, the docs and LICENSE, and no source maps",
    () => {
      const paths = packed.files.map((f) => f.path);
      for (const p of ["LICENSE", "README.md", "FEATURES.md", "ARCHITECTURE.md"])
        expect(paths).toContain(p);
      expect(paths).toContain("dist/index.js");
      expect(paths).toContain("dist/index.d.ts");
      expect(paths.filter((p) => p.endsWith(".map"))).toEqual([]);
      expect(paths.filter((p) => !p.startsWith("dist/") && p !== "package.json").sort()).toEqual([
        "ARCHITECTURE.md",
        "FEATURES.md",
        "LICENSE",
        "README.md",
      ]);
    },
    TIMEOUT,
  );

  it(
    "runs in an ESM project and type-checks there (nodenext and bundler, with and without DOM)",
    async () => {
      const dir = await project(
        "esm",
        { name: "esm-user", version: "1.0.0", type: "module" },
        {
          "main.js": `import { numpy as jnp, jit } from "jaxts";
const f = jit((x) => jnp.sum(x.mul(x)));
console.log(JSON.stringify({ value: f(jnp.arange(4)).item(), list: jnp.arange(3) }));
`,
          "typed.ts": TYPED,
        },
      );
      expect(JSON.parse(await run(process.execPath, ["main.js"], dir))).toEqual({
        value: 14,
        list: [0, 1, 2],
      });
      const checks = Object.entries(LIBS).flatMap(([label, lib]) => [
        [`nodenext ${label}`, { module: "nodenext", moduleResolution: "nodenext", lib }] as const,
        [`bundler ${label}`, { module: "esnext", moduleResolution: "bundler", lib }] as const,
      ]);
      const results = await Promise.all(
        checks.map(([, opts], i) => typecheck(dir, `check${i}`, opts, ["typed.ts"])),
      );
      checks.forEach(([label], i) => expect(results[i], label).toBe(""));
    },
    TIMEOUT,
  );

  it(
    "works with require() in a default CommonJS project, and type-checks there",
    async () => {
      const dir = await project(
        "cjs",
        { name: "cjs-user", version: "1.0.0", main: "index.js", license: "ISC" },
        {
          "index.js": `const { numpy: jnp, grad } = require("jaxts");
const g = grad((x) => x.mul(x))(jnp.float32(3));
console.log(JSON.stringify({ value: g.item(), exports: typeof require("jaxts").jit }));
`,
          "typed.ts": TYPED,
        },
      );
      expect(JSON.parse(await run(process.execPath, ["index.js"], dir))).toEqual({
        value: 6,
        exports: "function",
      });
      const nodenext = { module: "nodenext", moduleResolution: "nodenext", lib: LIBS["with DOM"] };
      expect(await typecheck(dir, "check", nodenext, ["typed.ts"])).toBe("");
    },
    TIMEOUT,
  );
});
