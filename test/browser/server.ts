/**
 * The browser smoke test's server: the built package (dist/) at /dist/ and the test page
 * (page.html, page.js) at /, through static-server.ts. With `isolated`, every response carries
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`,
 * so the page is cross-origin isolated (SharedArrayBuffer, worker threads); without it the page
 * is an ordinary one (no SharedArrayBuffer: the wasm device runs single-threaded).
 */
import { join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type ServeOptions, type StaticServer, serveFiles } from "./static-server.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "../..");

export type TestServer = StaticServer;

/** Map a request path to a file under dist/ or this folder; undefined if not allowed. */
function fileFor(pathname: string): string | undefined {
  if (pathname === "/" || pathname === "/index.html") return join(here, "page.html");
  if (pathname === "/page.js") return join(here, "page.js");
  if (pathname.startsWith("/dist/")) {
    const dist = join(root, "dist");
    const file = normalize(join(dist, pathname.slice("/dist/".length)));
    return file.startsWith(dist + sep) ? file : undefined;
  }
  return undefined;
}

/** The Content-Security-Policy a security-minded site sets: no eval, WebAssembly allowed. */
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'";

export function startServer(opts: ServeOptions): Promise<TestServer> {
  return serveFiles(fileFor, opts);
}
