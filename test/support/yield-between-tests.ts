/**
 * Vitest setup: before every test, one turn of the event loop through its poll phase.
 *
 * A vitest worker reports each test to the runner over RPC with a fixed 60 s timeout (not
 * configurable in vitest 3). The runner's reply is only read in the event loop's poll phase,
 * and a file of synchronous tests (the fuzzer's chunks) never reaches it: the runner awaits
 * each test through microtasks only. Past 60 s of such a file the timers phase fires the
 * expired timeout before the reply is read — "Timeout calling onTaskUpdate" fails the run with
 * every test passing (seen in CI at 62.8 s for fuzz-forward.test.ts on a busy machine).
 * setImmediate runs after the poll phase, so awaiting it lets the replies in between tests.
 */
import { beforeEach } from "vitest";

beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
