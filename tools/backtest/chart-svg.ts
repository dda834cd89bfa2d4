/**
 * Alerts per day per preset as an SVG of stacked columns, one per day the
 * logs cover (days without records are not drawn: no data is not zero
 * alerts). Hand-written SVG: no chart library for one picture.
 */
import type { PresetSummary } from "./summary";

/** Colour-blind-safe palette (Okabe-Ito), then greys. */
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000", "#999999", "#666666"];

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function alertsPerDaySvg(days: readonly string[], presets: readonly PresetSummary[]): string {
  const shown = presets.filter((p) => p.alerts > 0);
  const width = 960;
  const height = 420;
  const margin = { top: 40, right: 200, bottom: 60, left: 60 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const totals = days.map((_, i) => shown.reduce((sum, p) => sum + p.perDay[i]![1], 0));
  const max = Math.max(1, ...totals);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const y = (v: number): number => margin.top + plotH - (plotH * v) / top;
  const slot = days.length === 0 ? plotW : plotW / days.length;
  const bar = Math.max(1, Math.min(40, slot * 0.8));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>Alerts per day per preset</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="24" font-size="16" font-weight="bold">Alerts per day, by preset</text>`,
  ];
  for (let v = 0; v <= top; v += step) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#dddddd"/>`,
      `<text x="${margin.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`,
    );
  }
  days.forEach((day, i) => {
    const x = margin.left + slot * i + (slot - bar) / 2;
    let base = 0;
    shown.forEach((preset, k) => {
      const n = preset.perDay[i]![1];
      if (n === 0) return;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${bar.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${COLOURS[k % COLOURS.length]}"><title>${escapeXml(`${day} ${preset.preset}: ${n}`)}</title></rect>`,
      );
      base += n;
    });
  });
  const labelEvery = Math.max(1, Math.ceil(days.length / 10));
  days.forEach((day, i) => {
    if (i % labelEvery !== 0) return;
    const x = margin.left + slot * i + slot / 2;
    parts.push(`<text x="${x.toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle">${escapeXml(day)}</text>`);
  });
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333333"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 16}" text-anchor="middle" fill="#555555">UTC days with records (${days.length})</text>`,
  );
  shown.forEach((preset, k) => {
    const ly = margin.top + 10 + k * 20;
    parts.push(
      `<rect x="${width - margin.right + 20}" y="${ly - 10}" width="12" height="12" fill="${COLOURS[k % COLOURS.length]}"/>`,
      `<text x="${width - margin.right + 38}" y="${ly}">${escapeXml(`${preset.preset} (${preset.alerts})`)}</text>`,
    );
  });
  if (shown.length === 0) parts.push(`<text x="${margin.left + plotW / 2}" y="${margin.top + plotH / 2}" text-anchor="middle">no alerts</text>`);
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** 1, 2 or 5 times a power of ten, for about five grid lines. */
function niceStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? power * 10;
}
