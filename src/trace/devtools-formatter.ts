/**
 * A custom formatter for Chrome's (and Edge's, Firefox's) developer tools, so that an array in
 * the browser console shows its value as JAX's repr instead of the class's internals: the header
 * line is `Array([1, 2, 3], dtype=int32)` (long values cut at 120 characters, with the whole
 * `str` form in the expandable body). DevTools reads `globalThis.devtoolsFormatters` when
 * "Enable custom formatters" is on in its settings. Node's `console.log` already prints the repr
 * (util.inspect.custom). Reading values for the header uses the synchronous read; where a
 * device cannot read synchronously the header says why and shows shape and dtype.
 */
import { Array } from "./array.js";

/** Chrome DevTools' JsonML: [tag, attributes, ...children]. */
export type JsonML = [string, Record<string, unknown>, ...(JsonML | string)[]];

export interface DevtoolsFormatter {
  header(value: unknown): JsonML | null;
  hasBody(value: unknown): boolean;
  body(value: unknown): JsonML | null;
}

const HEADER_CHARS = 120;
const mono = { style: "font-family: monospace" };

function summary(x: Array): string {
  return `Array(shape=[${x.shape.join(", ")}], dtype=${String(x.dtype)})`;
}

function readable(read: () => string, x: Array): { text: string; ok: boolean } {
  try {
    return { text: read(), ok: true };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { text: `${summary(x)} — value not shown: ${why}`, ok: false };
  }
}

/** The formatter object DevTools calls; only jaxts arrays are formatted, others pass (null). */
export const arrayFormatter: DevtoolsFormatter = {
  header(value) {
    if (!(value instanceof Array)) return null;
    const { text } = readable(() => value.repr(), value);
    const oneLine = text.replace(/\s*\n\s*/g, " ");
    const cut = oneLine.length > HEADER_CHARS ? `${oneLine.slice(0, HEADER_CHARS - 1)}…` : oneLine;
    return ["span", mono, cut];
  },
  hasBody(value) {
    return value instanceof Array && !value.isDeleted();
  },
  body(value) {
    if (!(value instanceof Array)) return null;
    const { text } = readable(() => String(value), value);
    return [
      "div",
      {},
      ["div", { style: "font-family: monospace; white-space: pre" }, text],
      ["div", { style: "color: gray" }, summary(value)],
    ];
  },
};

type FormatterHost = { devtoolsFormatters?: unknown };

/**
 * Add `arrayFormatter` to `host.devtoolsFormatters` (creating the list if absent), once.
 * Called on import in pages (where `document` exists); harmless elsewhere.
 */
export function installDevtoolsFormatter(host: FormatterHost = globalThis as FormatterHost): void {
  const list = host.devtoolsFormatters;
  if (list === undefined) host.devtoolsFormatters = [arrayFormatter];
  else if (globalThis.Array.isArray(list) && !list.includes(arrayFormatter))
    list.push(arrayFormatter);
}

if (typeof (globalThis as { document?: unknown }).document !== "undefined") {
  installDevtoolsFormatter();
}
