/**
 * A dependency-free SVG line plot for the examples: one panel per series (each with its own
 * y range, ticks at the ends), x = 1 … n. Good enough to see a training curve at a glance.
 */

export type Series = { name: string; values: readonly number[] };

const panelWidth = 320;
const panelHeight = 220;
const margin = { left: 52, right: 16, top: 36, bottom: 40 };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function tick(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : v.toPrecision(3);
}

function panel(series: Series, xLabel: string, dx: number): string {
  const { values } = series;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || Math.abs(hi) || 1;
  const w = panelWidth - margin.left - margin.right;
  const h = panelHeight - margin.top - margin.bottom;
  const x = (i: number) =>
    dx + margin.left + (values.length > 1 ? (i / (values.length - 1)) * w : w / 2);
  const y = (v: number) => margin.top + h - ((v - lo) / span) * h;
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const left = dx + margin.left;
  const bottom = margin.top + h;
  return [
    `<text x="${left + w / 2}" y="22" text-anchor="middle" font-weight="bold">${escapeXml(series.name)}</text>`,
    `<rect x="${left}" y="${margin.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
    `<polyline points="${points}" fill="none" stroke="#1f77b4" stroke-width="2"/>`,
    ...values.map(
      (v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="#1f77b4"/>`,
    ),
    `<text x="${left - 6}" y="${margin.top + 4}" text-anchor="end">${tick(hi)}</text>`,
    `<text x="${left - 6}" y="${bottom}" text-anchor="end">${tick(lo)}</text>`,
    `<text x="${left}" y="${bottom + 16}" text-anchor="middle">1</text>`,
    `<text x="${left + w}" y="${bottom + 16}" text-anchor="middle">${values.length}</text>`,
    `<text x="${left + w / 2}" y="${bottom + 32}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
  ].join("\n");
}

/** An SVG document with a title and one panel per series, side by side. */
export function linePlotSvg(title: string, xLabel: string, series: readonly Series[]): string {
  const width = panelWidth * series.length;
  const height = panelHeight + 24;
  const panels = series.map((s, k) => panel(s, xLabel, k * panelWidth));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<g transform="translate(0, 24)">`,
    ...panels,
    `</g>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
