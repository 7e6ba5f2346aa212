/** Formatting: the aligned table, its footnotes, and the JSON document. */
import type { Stats } from "./harness.js";
import type { Row, Target } from "./rows.js";

export interface Result {
  readonly row: Row;
  readonly status: "ok" | "n/a" | "error";
  readonly reason?: string;
  readonly stats?: Stats;
}

export interface Derived {
  readonly rate?: { readonly value: number; readonly unit: "GB/s" | "GFLOP/s" };
  readonly vsLabel?: string;
  readonly ratio?: number;
  readonly ratioNote?: string;
  readonly target?: { readonly text: string; readonly met: boolean | undefined };
}

/** Seconds as IPython prints them: 3 significant digits in s, ms, µs or ns. */
export function formatTime(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  const units: [number, string][] = [
    [1, "s"],
    [1e-3, "ms"],
    [1e-6, "µs"],
    [1e-9, "ns"],
  ];
  for (const [scale, unit] of units) {
    if (s >= scale || unit === "ns") {
      const v = s / scale;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
    }
  }
  return `${s} s`;
}

function formatNumber(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function targetText(t: Target): string {
  const op = t.op === "<=" ? "≤" : "≥";
  return t.on === "ratio"
    ? `${op}${Number(t.value.toPrecision(3))}x`
    : `${op}${formatTime(t.value).replace(/\.0+ /, " ").replace(" ", "")}`;
}

export function derive(r: Result, byId: ReadonlyMap<string, Result>): Derived {
  const out: {
    rate?: Derived["rate"];
    vsLabel?: string;
    ratio?: number;
    ratioNote?: string;
    target?: Derived["target"];
  } = {};
  const s = r.stats;
  const { row } = r;
  if (s && row.work?.flops) out.rate = { value: row.work.flops / s.median / 1e9, unit: "GFLOP/s" };
  else if (s && row.work?.bytes)
    out.rate = { value: row.work.bytes / s.median / 1e9, unit: "GB/s" };
  if (row.vs) {
    const ref = row.vs.ref;
    const refName = typeof ref === "string" ? (byId.get(ref)?.row.name ?? ref) : ref.label;
    out.vsLabel = row.vs.formula === "this/ref" ? `this ÷ ${refName}` : `${refName} ÷ this`;
    const refSeconds = typeof ref === "string" ? byId.get(ref)?.stats?.median : ref.seconds;
    if (s && refSeconds !== undefined) {
      out.ratio = row.vs.formula === "this/ref" ? s.median / refSeconds : refSeconds / s.median;
    } else if (typeof ref === "string") {
      const refResult = byId.get(ref);
      out.ratioNote = !refResult ? "n/a (not run)" : "n/a";
    }
  }
  if (row.target) {
    const t = row.target;
    const v = t.on === "ratio" ? out.ratio : s?.median;
    const met = v === undefined ? undefined : t.op === "<=" ? v <= t.value : v >= t.value;
    out.target = { text: targetText(t), met };
  }
  return out;
}

interface Column {
  readonly title: string;
  readonly align: "l" | "r";
}

const COLUMNS: Column[] = [
  { title: "name", align: "l" },
  { title: "n", align: "r" },
  { title: "median", align: "r" },
  { title: "min", align: "r" },
  { title: "max", align: "r" },
  { title: "rate", align: "r" },
  { title: "vs", align: "l" },
  { title: "ratio", align: "r" },
  { title: "target", align: "l" },
];

/** The table, grouped, each row's name carrying its footnote number; then the footnotes. */
export function renderTable(results: readonly Result[], header: readonly string[]): string {
  const byId = new Map(results.map((r) => [r.row.id, r]));
  const lines: string[][] = [];
  const groups: { title: string; start: number }[] = [];
  const notes: string[] = [];
  let lastGroup = "";
  for (const r of results) {
    if (r.row.group !== lastGroup) {
      groups.push({ title: r.row.group, start: lines.length });
      lastGroup = r.row.group;
    }
    notes.push(r.row.what);
    const name = `${r.row.name} [${notes.length}]`;
    const d = derive(r, byId);
    if (r.status !== "ok" || !r.stats) {
      const label = r.status === "error" ? `error (${r.reason})` : `n/a (${r.reason})`;
      lines.push([name, "", label, "", "", "", d.vsLabel ?? "", "", d.target ? d.target.text : ""]);
      continue;
    }
    const s = r.stats;
    lines.push([
      name,
      s.inner > 1 ? `${s.samples.length}×${s.inner}` : String(s.samples.length),
      formatTime(s.median),
      formatTime(s.min),
      formatTime(s.max),
      d.rate ? `${formatNumber(d.rate.value)} ${d.rate.unit}` : "",
      d.vsLabel ?? "",
      d.ratio !== undefined ? `${formatNumber(d.ratio)}x` : (d.ratioNote ?? ""),
      d.target
        ? `${d.target.text} ${d.target.met === undefined ? "?" : d.target.met ? "ok" : "MISS"}`
        : "",
    ]);
  }
  // Widths: n/a and error texts span the columns after "n", so they do not widen "median".
  const widths = COLUMNS.map((c) => c.title.length);
  lines.forEach((cells, i) => {
    const r = results[i]!;
    if (r.status !== "ok") {
      widths[0] = Math.max(widths[0]!, [...cells[0]!].length);
      return;
    }
    cells.forEach((cell, j) => {
      widths[j] = Math.max(widths[j]!, [...cell].length);
    });
  });
  const pad = (cell: string, j: number) => {
    const w = widths[j]!;
    const len = [...cell].length;
    return COLUMNS[j]!.align === "l"
      ? cell + " ".repeat(Math.max(0, w - len))
      : " ".repeat(Math.max(0, w - len)) + cell;
  };
  const sep = " | ";
  const out: string[] = [...header, ""];
  out.push(
    COLUMNS.map((c, j) => pad(c.title, j))
      .join(sep)
      .trimEnd(),
  );
  out.push(widths.map((w) => "-".repeat(w)).join("-+-"));
  let g = 0;
  for (const [i, cells] of lines.entries()) {
    if (g < groups.length && groups[g]!.start === i) {
      out.push(`${groups[g]!.title}:`);
      g++;
    }
    const r = results[i]!;
    if (r.status !== "ok") {
      out.push([pad(cells[0]!, 0), pad("", 1), cells[2]!].join(sep).trimEnd());
      continue;
    }
    out.push(
      cells
        .map((c, j) => pad(c, j))
        .join(sep)
        .trimEnd(),
    );
  }
  out.push("");
  out.push(
    "What each row times (one call = one sample unless n shows samples×calls; times are per call):",
  );
  notes.forEach((n, i) => out.push(`[${i + 1}] ${n}`));
  return out.join("\n") + "\n";
}

export function toJson(results: readonly Result[], meta: Record<string, unknown>): unknown {
  const byId = new Map(results.map((r) => [r.row.id, r]));
  return {
    ...meta,
    units: "seconds per call",
    rows: results.map((r) => {
      const d = derive(r, byId);
      const s = r.stats;
      return {
        id: r.row.id,
        group: r.row.group,
        name: r.row.name,
        lib: r.row.lib,
        what: r.row.what,
        status: r.status,
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
        ...(s
          ? {
              median: s.median,
              min: s.min,
              max: s.max,
              samples: s.samples.length,
              callsPerSample: s.inner,
              timedSeconds: s.total,
              sampleSeconds: s.samples,
            }
          : {}),
        ...(d.rate ? { rate: d.rate } : {}),
        ...(r.row.vs
          ? {
              vs: {
                ref: r.row.vs.ref,
                formula: r.row.vs.formula,
                label: d.vsLabel,
                ratio: d.ratio ?? null,
              },
            }
          : {}),
        ...(r.row.target ? { target: { ...r.row.target, met: d.target?.met ?? null } } : {}),
      };
    }),
  };
}
