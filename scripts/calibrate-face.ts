/**
 * `npm run calibrate`: measure how often different people score above each similarity, and
 * write src/face/calibration/calibration.json, which the engine loads.
 *
 * Impostor pairs are every pair of photos of two different people within a set:
 *   lfw          all 6,152 LFW photos (3,391 people), full resolution against full resolution
 *   lfw-chip     a chip-like ID photo (102x126, washed out, JPEG q30) of each person's first
 *                photo against every photo of everyone else: the registration case
 *   east-asian   the 256 photos of 43 East-Asian people in ../shared/data/lfw-east-asian,
 *                full against full and chip against full, where impostors score highest
 * For every score the curve keeps the highest false-match rate of the sets (the strictest).
 *
 * Usage: npm run calibrate [-- --data ../shared/data --out FILE --workers 2]
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { calibrationFormat, defaultCalibrationPath, thresholdFor, type Calibration, type CalibrationSet } from '../src/face/calibration.ts';
import { toChipPhoto } from '../src/face/evaluation/chip-photo.ts';
import { createFacePool } from '../src/face/face.pool.ts';
import { defaultAnalyzeSettings, pipelineId } from '../src/face/engine.ts';

const { values } = parseArgs({ options: {
  data: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/data') },
  out: { type: 'string', default: defaultCalibrationPath },
  workers: { type: 'string', default: '2' },
} });
const dataDir = values.data!;

interface Photo { person: string; file: string; embedding?: Float32Array; chip?: Float32Array }

async function listPhotos(imagesDir: string): Promise<Photo[]> {
  const out: Photo[] = [];
  for (const person of (await readdir(imagesDir)).sort()) {
    for (const f of (await readdir(path.join(imagesDir, person))).sort()) out.push({ person, file: path.join(imagesDir, person, f) });
  }
  return out;
}

const pool = await createFacePool({ size: Number(values.workers), calibrated: false, maxQueue: 100_000 });
let done = 0, failed = 0;
const refused = new Map<string, number>();
const started = performance.now();
async function embed(bytes: Uint8Array, kind: 'id' | 'live'): Promise<Float32Array | undefined> {
  const a = await pool.analyze(bytes, kind);
  if (++done % 500 === 0) console.error(`  ${done} photos analysed, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (!a.embedding) failed++;
  else if (a.refusals.length) refused.set(a.refusals.join(), (refused.get(a.refusals.join()) ?? 0) + 1);
  return a.embedding;
}

const lfw = await listPhotos(path.join(dataDir, 'lfw/images'));
const eastAsian = await listPhotos(path.join(dataDir, 'lfw-east-asian/images'));
const seen = new Set<string>();
const firstOfPerson = new Set(lfw.filter((p) => !seen.has(p.person) && seen.add(p.person)));
console.error(`analysing ${lfw.length} LFW photos (+${firstOfPerson.size} chip copies) and ${eastAsian.length} East-Asian photos (+ chip copies) on ${pool.size} workers`);

await Promise.all([...lfw, ...eastAsian].map(async (p) => {
  const bytes = await readFile(p.file);
  p.embedding = await embed(bytes, 'live');
  if (firstOfPerson.has(p) || eastAsian.includes(p)) p.chip = await embed(await toChipPhoto(bytes), 'id');
}));
await pool.close();
console.error(`analysed ${done} photos in ${((performance.now() - started) / 1000).toFixed(0)} s; ${failed} without a face (left out); scored although refused as a live capture: ${JSON.stringify(Object.fromEntries(refused))}`);

/** Histogram of impostor scores, 0.0005 wide bins over [-1, 1]. */
const bins = 4000;
const bin = (s: number) => Math.max(0, Math.min(bins - 1, Math.floor((s + 1) * bins / 2)));
const binLow = (i: number) => (i * 2) / bins - 1;
function dot(a: Float32Array, b: Float32Array): number { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return s; }

interface Tally { name: string; people: Set<string>; photos: number; impostor: Float64Array; n: number; genuine: number[] }
function tally(name: string, probes: Photo[], probeKey: 'embedding' | 'chip', gallery: Photo[], symmetric: boolean): Tally {
  const t: Tally = { name, people: new Set(), photos: 0, impostor: new Float64Array(bins), n: 0, genuine: [] };
  for (let i = 0; i < probes.length; i++) {
    const a = probes[i]![probeKey];
    if (!a) continue;
    t.people.add(probes[i]!.person); t.photos++;
    for (let j = symmetric ? i + 1 : 0; j < gallery.length; j++) {
      const b = gallery[j]!.embedding;
      if (!b || gallery[j] === probes[i]) continue;
      const s = dot(a, b);
      if (gallery[j]!.person === probes[i]!.person) t.genuine.push(s);
      else { t.impostor[bin(s)]!++; t.n++; }
    }
  }
  return t;
}

const tallies = [
  tally('lfw', lfw, 'embedding', lfw, true),
  tally('lfw-chip', [...firstOfPerson], 'chip', lfw, false),
  tally('east-asian', eastAsian, 'embedding', eastAsian, true),
  tally('east-asian-chip', eastAsian, 'chip', eastAsian, false),
];

/** FMR at the lower edge of each bin: impostors at or above it, floored at 1/N (never claim 0). */
function survival(t: Tally): Float64Array {
  const out = new Float64Array(bins);
  let above = 0;
  for (let i = bins - 1; i >= 0; i--) { above += t.impostor[i]!; out[i] = Math.max(above, 1) / t.n; }
  return out;
}
const curves = tallies.map(survival);
const fmrCurve: [number, number][] = [];
for (let i = 0; i < bins; i++) {
  const fmr = Math.max(...curves.map((c) => c[i]!));
  if (fmr >= 1) continue;
  const last = fmrCurve[fmrCurve.length - 1];
  if (last && last[1] === fmr) continue;
  fmrCurve.push([Number(binLow(i).toFixed(4)), fmr]);
}
const minSupportedFmr = Math.max(...tallies.map((t) => 3 / t.n));
const targets = ['1e-2', '1e-3', '1e-4'];
const base = { format: calibrationFormat, pipeline: '', version: '', createdAt: '', sets: [], thresholds: {}, fmrCurve, minSupportedFmr } satisfies Calibration;
const thresholdsOf = (curve: [number, number][]) => Object.fromEntries(targets.map((k) => [k, Number(thresholdFor({ ...base, fmrCurve: curve, minSupportedFmr: 0 }, Number(k)).toFixed(4))]));

const sets: CalibrationSet[] = tallies.map((t, k) => {
  const own: [number, number][] = [];
  curves[k]!.forEach((f, i) => { if (f < 1 && (!own.length || own[own.length - 1]![1] !== f)) own.push([binLow(i), f]); });
  const thresholds = thresholdsOf(own);
  const tar = Object.fromEntries(targets.map((x) => [x, t.genuine.length ? Number((t.genuine.filter((s) => s >= thresholds[x]!).length / t.genuine.length).toFixed(4)) : null]));
  return { name: t.name, identities: t.people.size, images: t.photos, impostorPairs: t.n, genuinePairs: t.genuine.length, thresholds, tarAtThreshold: tar };
});

const previous = await readFile(values.out!, 'utf8').then((s) => JSON.parse(s) as Calibration, () => undefined);
const pipeline = pipelineId(defaultAnalyzeSettings);
const today = new Date().toISOString().slice(0, 10);
const sameDay = previous?.version.startsWith(today) ? Number(previous.version.split('.')[1] ?? 0) + 1 : 1;
const calibration: Calibration = {
  ...base, pipeline, version: `${today}.${sameDay}`, createdAt: new Date().toISOString(), sets, thresholds: thresholdsOf(fmrCurve),
};
await mkdir(path.dirname(values.out!), { recursive: true });
await writeFile(values.out!, JSON.stringify(calibration, null, 1) + '\n');
console.log(`set              people  photos  impostor pairs   thr@1e-2  thr@1e-3  thr@1e-4`);
for (const s of sets) console.log(`${s.name.padEnd(16)} ${String(s.identities).padStart(6)} ${String(s.images).padStart(7)} ${String(s.impostorPairs).padStart(15)}   ${targets.map((k) => s.thresholds[k]!.toFixed(4).padStart(8)).join('  ')}`);
console.log(`stricter (used)  ${' '.repeat(31)}   ${targets.map((k) => calibration.thresholds[k]!.toFixed(4).padStart(8)).join('  ')}`);
console.log(`wrote ${values.out} version ${calibration.version}, pipeline ${pipeline}`);
