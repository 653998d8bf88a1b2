/**
 * A ROC plot as PNG: true-accept rate against false-match rate on a log axis (1e-4 to 1),
 * one line per pipeline, marks at FMR 1e-3 and 1e-2. Drawn as SVG, rasterised by sharp.
 */
import sharp from 'sharp';
import { rocCurve } from './metrics.ts';

export interface Curve { label: string; genuine: number[]; impostor: number[] }

const W = 960, H = 640, left = 80, right = 24, top = 56, bottom = 190;
const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function renderRocPng(curves: Curve[], opts: { title: string; path: string; minTar?: number }): Promise<void> {
  const minFmr = 1e-4;
  const rocs = curves.map((c) => rocCurve(c.genuine, c.impostor));
  const lowest = Math.min(...rocs.map((r) => r.find((p) => p.fmr >= minFmr)?.tar ?? 1));
  const minTar = opts.minTar ?? Math.max(0, Math.floor(Math.min(0.9, lowest) * 20) / 20);
  const pw = W - left - right, ph = H - top - bottom;
  const x = (fmr: number) => left + ((Math.log10(Math.max(fmr, minFmr)) + 4) / 4) * pw;
  const y = (tar: number) => top + (1 - (Math.max(tar, minTar) - minTar) / (1 - minTar)) * ph;
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="32" font-size="20" text-anchor="middle" font-family="sans-serif">${esc(opts.title)}</text>`];
  for (const e of [-4, -3, -2, -1, 0]) {
    parts.push(`<line x1="${x(10 ** e)}" y1="${top}" x2="${x(10 ** e)}" y2="${top + ph}" stroke="#ddd"/>`,
      `<text x="${x(10 ** e)}" y="${top + ph + 22}" font-size="15" text-anchor="middle" font-family="sans-serif">1e${e}</text>`);
  }
  for (let t = minTar; t <= 1 + 1e-9; t += (1 - minTar) / 5) {
    parts.push(`<line x1="${left}" y1="${y(t)}" x2="${left + pw}" y2="${y(t)}" stroke="#ddd"/>`,
      `<text x="${left - 8}" y="${y(t) + 5}" font-size="15" text-anchor="end" font-family="sans-serif">${(t * 100).toFixed(0)}%</text>`);
  }
  for (const f of [1e-3, 1e-2]) parts.push(`<line x1="${x(f)}" y1="${top}" x2="${x(f)}" y2="${top + ph}" stroke="#999" stroke-dasharray="6 4"/>`);
  parts.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${left + pw / 2}" y="${top + ph + 46}" font-size="16" text-anchor="middle" font-family="sans-serif">false-match rate (log scale; dashed: 1e-3 and 1e-2)</text>`,
    `<text transform="translate(22 ${top + ph / 2}) rotate(-90)" font-size="16" text-anchor="middle" font-family="sans-serif">true-accept rate</text>`);
  rocs.forEach((roc, i) => {
    const pts = [{ fmr: minFmr, tar: roc.filter((p) => p.fmr <= minFmr).at(-1)?.tar ?? 0 }, ...roc.filter((p) => p.fmr > minFmr)];
    // a step curve: TAR holds until the next impostor is accepted
    const d = pts.map((p, k) => (k === 0 ? `M${x(p.fmr).toFixed(1)},${y(p.tar).toFixed(1)}` : `H${x(p.fmr).toFixed(1)}V${y(p.tar).toFixed(1)}`)).join('');
    const colour = colours[i % colours.length]!;
    parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2.2"/>`);
    const ly = top + ph + 70 + i * 20, lx = left + (i >= 6 ? pw / 2 : 0), row = i >= 6 ? ly - 120 : ly;
    parts.push(`<line x1="${lx}" y1="${row - 5}" x2="${lx + 28}" y2="${row - 5}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${lx + 36}" y="${row}" font-size="14" font-family="sans-serif">${esc(curves[i]!.label)}</text>`);
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(opts.path);
}
