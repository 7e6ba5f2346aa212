/**
 * A Wadler–Lindig pretty printer ("strictly pretty"), the layout engine behind JAX's jaxpr
 * text. A group prints flat when the group itself fits in the remaining width; otherwise
 * its breaks become newlines at the current nesting.
 */

export type Doc =
  | { readonly t: "nil" }
  | { readonly t: "text"; readonly s: string; readonly ann?: string }
  | { readonly t: "concat"; readonly docs: readonly Doc[] }
  | { readonly t: "break"; readonly s: string }
  | { readonly t: "group"; readonly doc: Doc }
  | { readonly t: "nest"; readonly n: number; readonly doc: Doc };

export const nil: Doc = { t: "nil" };
export const text = (s: string): Doc => ({ t: "text", s });
/** Text carrying an annotation, printed as a `# …` comment at the end of its line. */
export const annotatedText = (s: string, ann: string): Doc => ({ t: "text", s, ann });
export const brk = (s = " "): Doc => ({ t: "break", s });
export const group = (doc: Doc): Doc => ({ t: "group", doc });
export const nest = (n: number, doc: Doc): Doc => ({ t: "nest", n, doc });
export const concat = (...docs: Doc[]): Doc =>
  docs.length === 1 ? docs[0]! : { t: "concat", docs };

export function join(sep: Doc, docs: readonly Doc[]): Doc {
  if (docs.length === 0) return nil;
  const out: Doc[] = [docs[0]!];
  for (let i = 1; i < docs.length; i++) out.push(sep, docs[i]!);
  return concat(...out);
}

type Mode = "flat" | "break";
type Item = [indent: number, mode: Mode, doc: Doc];

/** Does `doc` (laid out flat) fit in `width` columns, up to its first forced line break? */
function fits(doc: Doc, width: number, indent: number): boolean {
  const agenda: Item[] = [[indent, "flat", doc]];
  while (width >= 0 && agenda.length > 0) {
    const [i, m, d] = agenda.pop()!;
    switch (d.t) {
      case "nil":
        break;
      case "text":
        width -= d.s.length;
        break;
      case "concat":
        for (let k = d.docs.length - 1; k >= 0; k--) agenda.push([i, m, d.docs[k]!]);
        break;
      case "break":
        if (m === "break") return true;
        width -= d.s.length;
        break;
      case "nest":
        agenda.push([i + d.n, m, d.doc]);
        break;
      case "group":
        agenda.push([i, "flat", d.doc]);
        break;
    }
  }
  return width >= 0;
}

/**
 * Lay `doc` out in `width` columns. Annotations (JAX's pretty printer) follow their line as
 * ` # annotation`, all aligned one column after the widest line; a line's further annotations
 * go on lines of their own at that column.
 */
export function format(doc: Doc, width = 80): string {
  const lines: string[] = [];
  const widths: number[] = [];
  const anns: string[][] = [];
  let lineAnns: string[] = [];
  let line = "";
  let k = 0;
  const agenda: Item[] = [[0, "break", doc]];
  while (agenda.length > 0) {
    const [i, m, d] = agenda.pop()!;
    switch (d.t) {
      case "nil":
        break;
      case "text":
        line += d.s;
        k += d.s.length;
        if (d.ann !== undefined) lineAnns.push(d.ann);
        break;
      case "concat":
        for (let j = d.docs.length - 1; j >= 0; j--) agenda.push([i, m, d.docs[j]!]);
        break;
      case "break":
        if (m === "break") {
          lines.push(line);
          widths.push(k);
          anns.push(lineAnns);
          lineAnns = [];
          line = " ".repeat(i);
          k = i;
        } else {
          line += d.s;
          k += d.s.length;
        }
        break;
      case "nest":
        agenda.push([i + d.n, m, d.doc]);
        break;
      case "group":
        agenda.push([i, fits(d.doc, width - k, i) ? "flat" : "break", d.doc]);
        break;
    }
  }
  lines.push(line);
  widths.push(k);
  anns.push(lineAnns);
  if (anns.every((a) => a.length === 0)) return lines.join("\n");
  const maxWidth = Math.max(...widths);
  return lines
    .map((l, n) =>
      [
        l,
        ...anns[n]!.map(
          (a, j) =>
            `${j > 0 ? "\n" : ""}${" ".repeat(j === 0 ? maxWidth - widths[n]! : maxWidth)} # ${a}`,
        ),
      ].join(""),
    )
    .join("\n");
}
