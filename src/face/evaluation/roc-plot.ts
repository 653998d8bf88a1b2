/**
 * The benchmark's ROC plot as PNG: true-accept rate (linear, zoomed to where the curves are)
 * against false-match rate (log scale, 1e-4 to 1), one step line per curve, dashed marks at
 * FMR 1e-3 and 1e-2 with each curve's TAR there in the legend. Drawn as an SVG string and
 * rasterised by sharp (librsvg), so no plotting dependency.
 *
 * Below FMR 1/N (N impostor scores) the data cannot resolve the rate: that stretch of a curve
 * is dotted, and a TAR marker at an FMR the sample cannot reach is drawn hollow.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { rocCurve, tarAtFmr } from './metrics.ts';

export interface RocCurveInput { label: string; genuine: number[]; impostor: number[] }
/** `minTar` forces the bottom of the TAR axis (rounded down to one of the preset ranges: 0.99, 0.98, 0.95, 0.9, 0.8, 0.5, 0); by default the axis starts just below the lowest curve at FMR 1e-4. */
export interface RocPlotOptions { title: string; path: string; minTar?: number }

const W = 900, minH = 600, rowH = 21;
const box = { left: 84, right: 24, top: 52 };
const minFmr = 1e-4, marks = [1e-3, 1e-2];
const colours = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const font = 'font-family="DejaVu Sans, Liberation Sans, sans-serif"';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number, digits: number) => `${(x * 100).toFixed(digits)}%`;
const r1 = (v: number) => Math.round(v * 10) / 10;
const superscript: Record<string, string> = { '-': '⁻', 1: '¹', 2: '²', 3: '³', 4: '⁴' };
/** 10^e as text with superscript characters (DejaVu Sans, librsvg's usual default, has them). */
const pow10 = (e: number) => (e === 0 ? '1' : `10${[...String(e)].map((c) => superscript[c] ?? c).join('')}`);

/** Lower end of the TAR axis and its tick step: the tightest range that still shows every curve at FMR 1e-4. */
function tarRange(lowest: number, forced?: number): { min: number; step: number; digits: number } {
  const ranges = [
    { min: 0.99, step: 0.002, digits: 1 }, { min: 0.98, step: 0.004, digits: 1 }, { min: 0.95, step: 0.01, digits: 0 },
    { min: 0.9, step: 0.02, digits: 0 }, { min: 0.8, step: 0.04, digits: 0 }, { min: 0.5, step: 0.1, digits: 0 },
    { min: 0, step: 0.2, digits: 0 },
  ];
  if (forced !== undefined) return ranges.find((r) => r.min <= forced) ?? ranges.at(-1)!;
  return ranges.find((r) => r.min <= lowest - 0.002) ?? ranges.at(-1)!;
}

/** The plot as an SVG document (exported for tests and for embedding in HTML reports). */
export function rocSvg(curves: RocCurveInput[], opts: { title: string; minTar?: number }): string {
  if (curves.length === 0) throw new RangeError('rocSvg: no curves');
  const data = curves.map((c) => ({
    ...c,
    roc: rocCurve(c.genuine, c.impostor),
    resolvable: 1 / c.impostor.length,
    marks: marks.map((f) => ({ fmr: f, tar: tarAtFmr(c.genuine, c.impostor, f).tar, bounded: f * c.impostor.length < 1 })),
  }));
  const rows = data.map((d) => `${d.label}:  TAR ${d.marks.map((m, k) => `${pct(m.tar, 1)}${m.bounded ? '*' : ''} @ ${k === 0 ? 'FMR ' : ''}${pow10(Math.round(Math.log10(m.fmr)))}`).join(', ')}`);
  if (data.some((d) => d.marks.some((m) => m.bounded))) rows.push('* hollow marker: fewer impostor pairs than 1/FMR, so no impostor may pass there');
  // legend below the axis title; past 3 rows the picture grows instead of squeezing the plot
  const H = Math.max(minH, 528 + rowH * rows.length);
  const pw = W - box.left - box.right, ph = H - box.top - 76 - rowH * rows.length;
  const lowest = Math.min(...data.map((d) => tarAtFmr(d.genuine, d.impostor, minFmr).tar));
  const range = tarRange(lowest, opts.minTar);
  const x = (fmr: number) => box.left + ((Math.log10(Math.max(fmr, minFmr)) + 4) / 4) * pw;
  // a little headroom above 100% so a perfect curve is not hidden under the frame
  const head = 0.025;
  const y = (tar: number) => box.top + ((1 + head - (tar - range.min) / (1 - range.min)) / (1 + head)) * ph;
  const bottom = box.top + ph, right = box.left + pw;

  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<defs><clipPath id="plot"><rect x="${box.left}" y="${box.top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="32" font-size="20" font-weight="bold" text-anchor="middle" ${font}>${esc(opts.title)}</text>`,
  ];
  // grid: decades with minor lines at 2..9, TAR ticks
  for (let e = -4; e <= 0; e++) {
    const xe = r1(x(10 ** e));
    svg.push(`<line x1="${xe}" y1="${box.top}" x2="${xe}" y2="${bottom}" stroke="#c8c8c8"/>`,
      `<text x="${xe}" y="${bottom + 22}" font-size="15" text-anchor="middle" ${font}>${pow10(e)}</text>`);
    if (e < 0) for (let m = 2; m <= 9; m++) svg.push(`<line x1="${r1(x(m * 10 ** e))}" y1="${box.top}" x2="${r1(x(m * 10 ** e))}" y2="${bottom}" stroke="#ededed"/>`);
  }
  for (let k = 0; range.min + k * range.step <= 1 + 1e-9; k++) {
    const t = range.min + k * range.step, yt = r1(y(t));
    svg.push(`<line x1="${box.left}" y1="${yt}" x2="${right}" y2="${yt}" stroke="#c8c8c8"/>`,
      `<text x="${box.left - 8}" y="${yt + 5}" font-size="15" text-anchor="end" ${font}>${pct(t, range.digits)}</text>`);
  }
  for (const f of marks) {
    svg.push(`<line x1="${r1(x(f))}" y1="${box.top}" x2="${r1(x(f))}" y2="${bottom}" stroke="#555" stroke-width="1.5" stroke-dasharray="7 5"/>`,
      `<text x="${r1(x(f)) + 5}" y="${bottom - 8}" font-size="13" fill="#444" ${font}>FMR ${pow10(Math.round(Math.log10(f)))}</text>`);
  }
  svg.push(`<rect x="${box.left}" y="${box.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${box.left + pw / 2}" y="${bottom + 50}" font-size="16" text-anchor="middle" ${font}>false-match rate (log scale; dotted: below 1/N impostor pairs, not resolvable)</text>`,
    `<text transform="translate(24 ${box.top + ph / 2}) rotate(-90)" font-size="16" text-anchor="middle" ${font}>true-accept rate</text>`);

  const lines: string[] = [];
  data.forEach((d, i) => {
    const colour = colours[i % colours.length]!;
    // the curve is drawn from the lowest FMR the sample resolves (1/N) or the axis start, whichever is higher
    const from = Math.max(d.resolvable, minFmr);
    const startTar = d.roc.filter((p) => p.fmr < from).at(-1)?.tar ?? 0;
    if (d.resolvable > minFmr) {
      // where no impostor passes: the same TAR, but the data cannot say the FMR is that low
      lines.push(`<path d="M${r1(x(minFmr))},${r1(y(startTar))}H${r1(x(from))}" fill="none" stroke="${colour}" stroke-width="2.2" stroke-dasharray="2 4"/>`);
    }
    // a step line: TAR holds until the next impostor score is accepted; points within half a pixel merge
    let dPath = `M${r1(x(from))},${r1(y(startTar))}`, lastX = x(from), lastY = y(startTar);
    for (const p of d.roc) {
      if (p.fmr < from) continue;
      const px = x(p.fmr), py = y(p.tar);
      if (Math.abs(px - lastX) < 0.5 && Math.abs(py - lastY) < 0.5) continue;
      dPath += `H${r1(px)}V${r1(py)}`;
      lastX = px; lastY = py;
    }
    lines.push(`<path d="${dPath}" fill="none" stroke="${colour}" stroke-width="2.2" stroke-linejoin="round"/>`);
    for (const m of d.marks) {
      lines.push(`<circle cx="${r1(x(m.fmr))}" cy="${r1(y(m.tar))}" r="4.5" fill="${m.bounded ? 'white' : colour}" stroke="${colour}" stroke-width="2"/>`);
    }
  });
  svg.push(`<g clip-path="url(#plot)">${lines.join('')}</g>`);

  rows.forEach((text, i) => {
    const ty = bottom + 76 + rowH * i + 4;
    const curve = i < data.length;
    if (curve) svg.push(`<line x1="${box.left}" y1="${ty - 5}" x2="${box.left + 28}" y2="${ty - 5}" stroke="${colours[i % colours.length]}" stroke-width="3"/>`);
    svg.push(`<text x="${box.left + (curve ? 36 : 0)}" y="${ty}" font-size="14" ${font}${curve ? '' : ' fill="#444"'}>${esc(text)}</text>`);
  });
  svg.push('</svg>');
  return svg.join('\n');
}

/** Writes the plot to `opts.path` as a PNG, 900x600 up to 3 legend rows and 21 px taller per row past that (creating the folder). */
export async function renderRocPng(curves: RocCurveInput[], opts: RocPlotOptions): Promise<void> {
  await mkdir(path.dirname(opts.path), { recursive: true });
  await sharp(Buffer.from(rocSvg(curves, opts))).png().toFile(opts.path);
}
