/**
 * What a bundled test page (bundled-pages.ts) reports: `window.__result`, set once when the
 * page's checks are done.
 */
export interface PageCheck {
  name: string;
  ok: boolean;
  detail: string;
}
export interface PageResult {
  done: boolean;
  summary: string;
  checks: PageCheck[];
  fatal?: string;
}

/** Runs `body` with a `check` callback and publishes the result on `window.__result`. */
export async function report(
  body: (check: (name: string, ok: boolean, detail?: string) => void) => Promise<string>,
): Promise<void> {
  const checks: PageCheck[] = [];
  const w = window as unknown as { __result?: PageResult };
  try {
    const summary = await body((name, ok, detail = "") => checks.push({ name, ok, detail }));
    w.__result = { done: true, summary, checks };
  } catch (e) {
    w.__result = { done: true, summary: "", checks, fatal: String((e as Error).stack ?? e) };
  }
}
