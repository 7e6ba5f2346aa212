/**
 * IPython's `%time` and `%timeit`, for the tour: same output format, same rules (autorange to
 * ≥ 0.2 s per measurement, best of 5, the "slowest run" warning when worst > 4 × best).
 */
import { cpuUsage } from "node:process";

/** IPython's `_format_time`: "%.3g" in s, ms, µs or ns. */
export function formatTime(seconds: number): string {
  const units = ["s", "ms", "µs", "ns"];
  const order = seconds > 0 ? Math.min(-Math.floor(Math.floor(Math.log10(seconds)) / 3), 3) : 3;
  const v = seconds * 1000 ** Math.max(0, order);
  return `${Number(v.toPrecision(3))} ${units[Math.max(0, order)]}`;
}

/** `%time stmt`: run once, print CPU (user/sys) and wall time, each followed by `what` it measured. */
export function time<T>(stmt: () => T, what: string): T {
  const c0 = cpuUsage();
  const t0 = performance.now();
  const out = stmt();
  const wall = (performance.now() - t0) / 1e3;
  const c = cpuUsage(c0);
  const user = c.user / 1e6;
  const sys = c.system / 1e6;
  console.log(
    `CPU times: user ${formatTime(user)}, sys: ${formatTime(sys)}, total: ${formatTime(user + sys)} — ${what}`,
  );
  console.log(`Wall time: ${formatTime(wall)} — ${what}`);
  return out;
}

let sink: unknown;
export const lastResult = () => sink;

/**
 * `%timeit stmt`: best per-loop time of 5 repeats, the line followed by `what` one loop does;
 * returns seconds per loop.
 */
export function timeit(stmt: () => unknown, what: string, repeat = 5): number {
  const run = (n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink = stmt(); // kept, so the engine cannot drop the work
    return (performance.now() - t0) / 1e3;
  };
  let loops = 1;
  for (;;) {
    const t = run(loops);
    if (t >= 0.2 || loops >= 1e7) break;
    loops *= 10;
  }
  const times: number[] = [];
  for (let r = 0; r < repeat; r++) times.push(run(loops) / loops);
  const best = Math.min(...times);
  const worst = Math.max(...times);
  if (worst > 4 * best && best > 0 && worst > 1e-6) {
    console.log(
      `The slowest run took ${(worst / best).toFixed(2)} times longer than the fastest. This could mean that an intermediate result is being cached.`,
    );
  }
  console.log(
    `${loops} loop${loops === 1 ? "" : "s"}, best of ${repeat}: ${formatTime(best)} per loop — ${what}`,
  );
  return best;
}
