/**
 * Run a Node child process without blocking the test worker (spawnSync would stall its event
 * loop for the child's whole run, past vitest's RPC timeout on a loaded machine).
 */
import { execFile } from "node:child_process";

export interface NodeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node ...args`, resolved when it exits (a non-zero exit is a status, not a rejection). */
export function runNode(args: readonly string[], timeoutMs: number): Promise<NodeRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...args],
      { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? null : 0;
        resolve({ status: code, stdout, stderr });
      },
    );
  });
}
