// The browser console's custom formatter (src/trace/devtools-formatter.ts): JAX's repr in the
// header, the str form in the body, other values left to DevTools, tracers and deleted arrays
// handled, installed once.
import { describe, expect, it } from "vitest";
import { jit, numpy as jnp } from "../../src/index.js";
import { arrayFormatter, installDevtoolsFormatter } from "../../src/trace/devtools-formatter.js";

describe("devtools formatter", () => {
  it("shows JAX's repr in the header and str with shape/dtype in the body", () => {
    const x = jnp.arange(3);
    expect(arrayFormatter.header(x)).toEqual([
      "span",
      { style: "font-family: monospace" },
      "Array([0, 1, 2], dtype=int32)",
    ]);
    expect(arrayFormatter.hasBody(x)).toBe(true);
    expect(arrayFormatter.body(x)).toEqual([
      "div",
      {},
      ["div", { style: "font-family: monospace; white-space: pre" }, "[0 1 2]"],
      ["div", { style: "color: gray" }, "Array(shape=[3], dtype=int32)"],
    ]);
  });

  it("cuts long values to one line of 120 characters", () => {
    const header = arrayFormatter.header(jnp.ones([40, 40]));
    const text = header![2] as string;
    expect(text).toHaveLength(120);
    expect(text.startsWith("Array([[1., 1., 1.,")).toBe(true);
    expect(text.endsWith("…")).toBe(true);
    expect(text).not.toContain("\n");
  });

  it("leaves other values to DevTools (null) and has no body for them", () => {
    for (const v of [{}, [1, 2], "x", 3, null]) {
      expect(arrayFormatter.header(v)).toBeNull();
      expect(arrayFormatter.hasBody(v)).toBe(false);
    }
  });

  it("shows shape and dtype with the reason when the value cannot be read", () => {
    const x = jnp.arange(4).astype("float32");
    x.dispose();
    const header = arrayFormatter.header(x)![2] as string;
    expect(header).toMatch(/^Array\(shape=\[4\], dtype=float32\) — value not shown: /);
    expect(arrayFormatter.hasBody(x)).toBe(false);
  });

  it("prints a tracer as JAX does", () => {
    let seen = "";
    jit((y: ReturnType<typeof jnp.arange>) => {
      seen = arrayFormatter.header(y)![2] as string;
      return y;
    })(jnp.arange(2));
    expect(seen).toBe("Traced<ShapedArray(int32[2])>with<DynamicJaxprTrace(level=0/1)>");
  });

  it("installs once into devtoolsFormatters, creating or extending the list", () => {
    const empty: { devtoolsFormatters?: unknown } = {};
    installDevtoolsFormatter(empty);
    installDevtoolsFormatter(empty);
    expect(empty.devtoolsFormatters).toEqual([arrayFormatter]);
    const other = { header: () => null, hasBody: () => false, body: () => null };
    const host = { devtoolsFormatters: [other] as unknown[] };
    installDevtoolsFormatter(host);
    expect(host.devtoolsFormatters).toEqual([other, arrayFormatter]);
  });
});
