/**
 * A static server for the browser smoke test (node:http): serves the built package (dist/) at
 * /dist/ and the test page (page.html, page.js) at /. With `isolated`, every response carries
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`,
 * so the page is cross-origin isolated (SharedArrayBuffer, worker threads); without it the page
 * is an ordinary one (no SharedArrayBuffer: the wasm device runs single-threaded).
 */
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "../..");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** Requests answered with 404 (paths). */
  notFound: string[];
  close(): Promise<void>;
}

/** Map a request path to a file under dist/ or this folder; undefined if not allowed. */
function fileFor(pathname: string): string | undefined {
  if (pathname === "/" || pathname === "/index.html") return join(here, "page.html");
  if (pathname === "/page.js") return join(here, "page.js");
  if (pathname.startsWith("/dist/")) {
    const dist = join(root, "dist");
    const file = normalize(join(dist, decodeURIComponent(pathname.slice("/dist/".length))));
    return file.startsWith(dist + sep) ? file : undefined;
  }
  return undefined;
}

/** The Content-Security-Policy a security-minded site sets: no eval, WebAssembly allowed. */
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'";

export async function startServer(opts: {
  isolated: boolean;
  /** A Content-Security-Policy header for every response. */
  csp?: string;
}): Promise<TestServer> {
  const notFound: string[] = [];
  const server: Server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    if (opts.isolated) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    if (opts.csp) headers["Content-Security-Policy"] = opts.csp;
    if (pathname === "/favicon.ico") {
      res.writeHead(204, headers).end();
      return;
    }
    const file = fileFor(pathname);
    const fail = () => {
      notFound.push(pathname);
      res.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("not found");
    };
    if (!file) return fail();
    readFile(file).then(
      (body) => {
        headers["Content-Type"] = TYPES[extname(file)] ?? "application/octet-stream";
        res.writeHead(200, headers).end(body);
      },
      () => fail(),
    );
  });
  await new Promise<void>((ok, bad) => {
    server.once("error", bad);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("server has no port");
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    notFound,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
