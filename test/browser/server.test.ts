/** The browser smoke test's static server (no browser needed): isolation headers, paths. */
import { get as httpGet } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./server.js";

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/** Status of a request for a raw path (not normalized, unlike fetch). */
function rawStatus(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((ok, bad) => {
    httpGet({ hostname, port, path }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    }).on("error", bad);
  });
}

async function get(isolated: boolean, path: string): Promise<Response> {
  const s = await startServer({ isolated });
  servers.push(s);
  return fetch(new URL(path, s.url));
}

describe("browser test server", () => {
  it("isolates the page with COOP/COEP only when asked", async () => {
    const iso = await get(true, "/");
    expect(iso.status).toBe(200);
    expect(iso.headers.get("content-type")).toMatch(/^text\/html/);
    expect(iso.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(iso.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect(await iso.text()).toContain('src="/page.js"');
    const plain = await get(false, "/page.js");
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(plain.headers.get("cross-origin-opener-policy")).toBeNull();
    expect(plain.headers.get("cross-origin-embedder-policy")).toBeNull();
  });

  it("serves nothing outside dist/ and the page, and records 404s", async () => {
    const s = await startServer({ isolated: false });
    servers.push(s);
    const paths = ["/package.json", "/dist/../package.json", "/dist/..%2fpackage.json", "/src/"];
    for (const p of paths) expect(await rawStatus(s.url, p)).toBe(404);
    // Recorded as the server read them: URL-resolved ("/dist/../x" is "/x"), then decoded (an
    // encoded "/" is a "/" — still refused: the file it names lies outside dist/).
    expect(s.notFound).toEqual([
      "/package.json",
      "/package.json",
      "/dist/../package.json",
      "/src/",
    ]);
  });
});
