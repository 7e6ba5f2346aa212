// The browser leg of `npm test`: runs `npm run test:browser` (headless Chromium, see
// test/browser/smoke.ts) when a Chromium is installed; otherwise says why it is skipped and how
// to run it. CI (.ci/run) installs Chromium and sets JAXTS_REQUIRE_BROWSER=1, which turns a
// missing browser into a failure instead of a skip.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const required = process.env.JAXTS_REQUIRE_BROWSER === "1";

if (!existsSync(chromium)) {
  const why = `no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM to its path)`;
  if (required) {
    console.error(`browser tests required (JAXTS_REQUIRE_BROWSER=1) but ${why}`);
    process.exit(1);
  }
  console.log(`browser tests skipped: ${why}`);
  process.exit(0);
}
const run = spawnSync("npm", ["run", "--silent", "test:browser"], { stdio: "inherit" });
process.exit(run.status ?? 1);
