import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The examples import the package by its name, as users do; in this repo that name is the
  // source (tsconfig.json's `paths` says the same to tsc and tsx).
  resolve: {
    alias: [
      { find: /^jaxts$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    // Lets the worker read the runner's RPC replies between synchronous tests (see the file).
    setupFiles: ["test/support/yield-between-tests.ts"],
  },
});
