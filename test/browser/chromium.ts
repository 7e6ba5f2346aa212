/**
 * How the browser tests start Chromium: the system's binary (CHROMIUM, default
 * /usr/bin/chromium; Playwright's own browsers are not used), headless, with the flags a
 * closed network needs.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  // Without these Chromium's background connections are refused on a closed network.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
