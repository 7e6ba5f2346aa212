/**
 * The browser tests' static file server (node:http): serves the files a mapping names (one
 * folder for bundled apps; dist/ and the smoke page for server.ts), optionally cross-origin
 * isolated (COOP same-origin + COEP require-corp, the only configuration jaxts asks of a site
 * for worker threads) and optionally with a Content-Security-Policy header, and records every
 * path requested and every 404.
 */
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

export interface StaticServer {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** Paths requested, in order. */
  requested: string[];
  /** Paths answered with 404. */
  notFound: string[];
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly isolated: boolean;
  /** A Content-Security-Policy header for every response. */
  readonly csp?: string;
}

/** Serves folder `root` (`/` is its index.html). */
export function serveFolder(root: string, opts: ServeOptions): Promise<StaticServer> {
  return serveFiles((pathname) => {
    const file = normalize(join(root, pathname === "/" ? "index.html" : pathname));
    return file.startsWith(root + sep) ? file : undefined;
  }, opts);
}

/** Serves the file `fileFor` maps each request path to (undefined: 404). */
export async function serveFiles(
  fileFor: (pathname: string) => string | undefined,
  opts: ServeOptions,
): Promise<StaticServer> {
  const requested: string[] = [];
  const notFound: string[] = [];
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    requested.push(pathname);
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
    readFile(file).then((body) => {
      headers["Content-Type"] = TYPES[extname(file)] ?? "application/octet-stream";
      res.writeHead(200, headers).end(body);
    }, fail);
  });
  await new Promise<void>((ok, bad) => {
    server.once("error", bad);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("server has no port");
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    requested,
    notFound,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
