/**
 * `npm run bench:face`: accuracy and speed of the face engine on real pairs, side by side with
 * the face-api 128-d descriptor (its users' usual pipeline), in one run.
 *
 *   npm run bench:face                              LFW folds 1-8, the East-Asian pairs, the chip-photo path
 *   npm run bench:face -- --pairs F --images D      any list in the LFW pairs format instead of LFW
 *   options: --workers N (2)  --no-baseline  --baseline-limit N (pairs)  --latency-runs N (60)  --out DIR (docs/bench)
 *
 * Scores come from the engine's own pipeline (what the server runs); an image in which no face
 * is found leaves its pair without a score, counted as a non-match. The chip-photo path turns
 * the first photo of every pair into a 102x126 washed-out JPEG (q30) and analyses it as an ID
 * photo. Latency is measured separately: full verifications of two photos, one after another,
 * in this thread, one intra-op thread, nothing else running. The last line printed is one JSON
 * object (LFW or --pairs set, full resolution).
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createFaceEngine } from '../../src/face/engine.ts';
import { createFacePool } from '../../src/face/face.pool.ts';
import { toChipPhoto } from '../../src/face/evaluation/chip-photo.ts';
import { readPairs, type Pair } from '../../src/face/evaluation/pairs.ts';
import { equalErrorRate, kFoldAccuracy, quantile, tarAtFmr } from '../../src/face/evaluation/metrics.ts';
import { renderRocPng } from '../../src/face/evaluation/roc-plot.ts';
import { cosine } from '../../src/face/embed.ts';
import type { Stage } from '../../src/face/analyze.ts';
import { createFaceApiBaseline, faceApiScore } from './face-api.baseline.ts';

const root = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: {
  data: { type: 'string', default: path.resolve(root, '../shared/data') },
  pairs: { type: 'string' }, images: { type: 'string' },
  workers: { type: 'string', default: '2' },
  'no-baseline': { type: 'boolean', default: false },
  'baseline-limit': { type: 'string' },
  'latency-runs': { type: 'string', default: '60' },
  out: { type: 'string', default: path.join(root, 'docs/bench') },
} });
const data = values.data!;
const custom = values.pairs !== undefined;
const mainSet = custom
  ? { name: path.basename(values.pairs!), pairs: await readPairs(values.pairs!, values.images ?? path.dirname(values.pairs!)) }
  : { name: 'LFW folds 1-8', pairs: await readPairs(path.join(data, 'lfw/pairs.txt'), path.join(data, 'lfw/images')) };
const sets = [mainSet];
if (!custom) sets.push({ name: 'LFW East-Asian', pairs: await readPairs(path.join(data, 'lfw-east-asian/pairs.txt'), path.join(data, 'lfw-east-asian/images')) });

const log = (s: string) => process.stderr.write(`${s}\n`);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

// ---- Latency first, while the machine is quiet: full verification of two photos, one thread, in turn
const engine = await createFaceEngine({ threads: 1 });
const latencyPairs = mainSet.pairs.filter((p) => p.same).slice(0, Number(values['latency-runs']));
const verifyMs: number[] = [];
const verifyStages: Partial<Record<string, number[]>> = {};
for (const [i, p] of latencyPairs.entries()) {
  const [a, b] = await Promise.all([readFile(p.a), readFile(p.b)]);
  const r = await engine.verify({ idPhoto: a, livePhoto: b }, 1e-3);
  if (i < 3) continue; // warm-up
  verifyMs.push(r.timings.total!);
  for (const [k, v] of Object.entries(r.timings)) (verifyStages[k] ??= []).push(v);
}
log(`latency: ${verifyMs.length} verifications, median ${quantile(verifyMs, 0.5).toFixed(1)} ms (${elapsed()})`);

// ---- Portrait engine: every distinct photo once (full), first photos of pairs also as chips
interface Analysed { embedding: Float32Array | undefined; timings: Partial<Record<Stage, number>> }
const pool = await createFacePool({ size: Number(values.workers), calibrated: false, maxQueue: 1_000_000 });
const full = new Map<string, Promise<Analysed>>();
const chips = new Map<string, Promise<Analysed>>();
let analysed = 0;
const progress = () => { if (++analysed % 1000 === 0) log(`  ${analysed} photos analysed (${elapsed()})`); };
const analyse = (file: string, asChip: boolean): Promise<Analysed> => {
  const cache = asChip ? chips : full;
  let p = cache.get(file);
  if (!p) {
    p = readFile(file).then(async (bytes) => {
      const a = await pool.analyze(asChip ? await toChipPhoto(bytes) : bytes, asChip ? 'id' : 'live');
      progress();
      return { embedding: a.embedding, timings: a.timings };
    });
    cache.set(file, p);
  }
  return p;
};
log(`Portrait engine on ${sets.map((s) => `${s.name} (${s.pairs.length} pairs)`).join(', ')}, ${pool.size} worker threads`);
type Scored = { fold: number; same: boolean; score: number | null };
async function scoreOurs(pairs: Pair[], chip: boolean): Promise<Scored[]> {
  return Promise.all(pairs.map(async (p) => {
    const [a, b] = await Promise.all([analyse(p.a, chip), analyse(p.b, false)]);
    return { fold: p.fold, same: p.same, score: a.embedding && b.embedding ? cosine(a.embedding, b.embedding) : null };
  }));
}
const ours = await Promise.all(sets.map(async (s) => ({ full: await scoreOurs(s.pairs, false), chip: await scoreOurs(s.pairs, true) })));
await pool.close();
log(`  done: ${analysed} photos (${elapsed()})`);
const stageTimes: Partial<Record<Stage, number[]>> = {};
for (const p of full.values()) for (const [k, v] of Object.entries((await p).timings)) (stageTimes[k as Stage] ??= []).push(v);

// ---- Peer baseline: face-api (SSD MobileNet v1 + 68 landmarks + 128-d ResNet descriptor)
let baseline: { name: string; scored: Scored[][]; missed: number; retried: number; msPerPhoto: number[] } | undefined;
if (!values['no-baseline']) {
  const limit = values['baseline-limit'] ? Number(values['baseline-limit']) : Infinity;
  const api = await createFaceApiBaseline({ paddedRetry: true });
  const cache = new Map<string, { descriptor: Float32Array; retried: boolean } | undefined>();
  const msPerPhoto: number[] = [];
  let missed = 0, retried = 0;
  const describe = async (file: string) => {
    if (!cache.has(file)) {
      const d = await api.describe(await readFile(file));
      if (!d) missed++; else { msPerPhoto.push(d.ms); if (d.retried) retried++; }
      cache.set(file, d);
      if (cache.size % 500 === 0) log(`  face-api: ${cache.size} photos (${elapsed()})`);
    }
    return cache.get(file);
  };
  log('face-api baseline on the same pairs');
  const scored: Scored[][] = [];
  for (const s of sets) {
    const out: Scored[] = [];
    for (const p of s.pairs.slice(0, limit)) {
      const a = await describe(p.a), b = await describe(p.b);
      out.push({ fold: p.fold, same: p.same, score: a && b ? faceApiScore(a.descriptor, b.descriptor) : null });
    }
    scored.push(out);
  }
  await api.close();
  baseline = { name: `face-api 128-d${Number.isFinite(limit) ? ` (first ${limit} pairs per set)` : ''}`, scored, missed, retried, msPerPhoto };
}

const peakRssMb = process.resourceUsage().maxRSS / 1024;

// ---- Figures
interface Figures { pairs: number; accuracy: number; std: number; protocol: string; tar2: number; tar3: number; eer: number; threshold: number; failed: number }
function figures(scored: Scored[]): Figures {
  const k = kFoldAccuracy(scored);
  const genuine = scored.filter((s) => s.same).map((s) => s.score ?? -Infinity);
  const impostor = scored.filter((s) => !s.same).map((s) => s.score ?? -Infinity);
  const mean = k.perFold.reduce((s, f) => s + f.threshold, 0) / k.perFold.length;
  return {
    pairs: scored.length, accuracy: k.mean, std: k.std, protocol: k.protocol,
    tar2: tarAtFmr(genuine, impostor, 1e-2).tar, tar3: tarAtFmr(genuine, impostor, 1e-3).tar,
    eer: equalErrorRate(genuine, impostor).eer, threshold: mean, failed: scored.filter((s) => s.score === null).length,
  };
}
const noFace = (await Promise.all([...full.values()])).filter((a) => !a.embedding).length;
const noFaceChip = (await Promise.all([...chips.values()])).filter((a) => !a.embedding).length;
const calibrated = engine.calibration.thresholds['1e-3']!;
const operating = (() => {
  const s = ours[0]!.full, g = s.filter((x) => x.same), i = s.filter((x) => !x.same);
  return { tar: g.filter((x) => (x.score ?? -2) >= calibrated).length / g.length, fmr: i.filter((x) => (x.score ?? -2) >= calibrated).length / i.length };
})();
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const rows: string[] = [
  '| set | pipeline | pairs | accuracy (± std) | TAR @ FMR 1e-2 | TAR @ FMR 1e-3 | EER | pairs without a face |',
  '|---|---|---:|---:|---:|---:|---:|---:|',
];
const curves: { label: string; genuine: number[]; impostor: number[] }[] = [];
const row = (set: string, label: string, scored: Scored[]) => {
  const f = figures(scored);
  rows.push(`| ${set} | ${label} | ${f.pairs} | ${pct(f.accuracy)} ± ${pct(f.std)}${f.protocol === 'k-fold' ? '' : ' (1 fold: best threshold)'} | ${pct(f.tar2)} | ${pct(f.tar3)} | ${pct(f.eer)} | ${f.failed} |`);
  curves.push({ label: `${set}: ${label}`, genuine: scored.filter((s) => s.same).map((s) => s.score ?? -2), impostor: scored.filter((s) => !s.same).map((s) => s.score ?? -2) });
  return f;
};
const headline = row(sets[0]!.name, 'Portrait, full resolution', ours[0]!.full);
sets.forEach((s, i) => {
  if (i > 0) row(s.name, 'Portrait, full resolution', ours[i]!.full);
  row(s.name, 'Portrait, ID-photo path (chip-like copy vs full)', ours[i]!.chip);
  if (baseline) row(s.name, baseline.name, baseline.scored[i]!);
});

const ms = (xs: number[] | undefined) => xs?.length ? `${quantile(xs, 0.5).toFixed(1)} / ${quantile(xs, 0.95).toFixed(1)}` : '-';
const latency = [
  '| stage | per photo, median / p95 ms (all photos, in the workers) | per verification of two photos, median / p95 ms (one thread) |',
  '|---|---:|---:|',
  ...(['decode', 'detect', 'landmarks', 'align', 'quality', 'embed'] as const).map((s) => `| ${s} | ${ms(stageTimes[s])} | ${ms(verifyStages[s])} |`),
  `| compare | - | ${ms(verifyStages.compare)} |`,
  `| **total** | - | **${ms(verifyMs)}** |`,
];
if (baseline) latency.push(`| face-api (SSD + landmarks + descriptor, one photo) | ${ms(baseline.msPerPhoto)} | - |`);

await mkdir(values.out!, { recursive: true });
const plot = path.join(values.out!, custom ? 'face-roc-custom.png' : 'face-roc.png');
await renderRocPng(curves, { title: `ROC: ${sets.map((s) => s.name).join(' and ')} (higher is better)`, path: plot });
const report = [
  `Run ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, Node ${process.version}; ${pool.size} workers for the accuracy pass, ${elapsed()} in all.`,
  '',
  ...rows, '',
  'Accuracy: LFW protocol (threshold chosen on the other folds, applied to each fold); a single-fold set uses its best threshold.',
  `Portrait: ${full.size} distinct photos and ${chips.size} chip copies analysed, ${noFace} full photos and ${noFaceChip} chip copies without a face. `
    + `At the shipped calibration's FMR 1e-3 threshold (${calibrated.toFixed(4)}), ${sets[0]!.name} full resolution: TAR ${pct(operating.tar)}, FMR ${pct(operating.fmr)}.${baseline ? ` face-api: ${baseline.missed} photos without a face after the padded retry, ${baseline.retried} found only on the retry.` : ''}`,
  '', ...latency, '',
  `Peak RSS of the benchmark process (engine workers, latency engine${baseline ? ', face-api' : ''}): ${peakRssMb.toFixed(0)} MB.`,
  `Plot: ${path.relative(root, plot)}`,
].join('\n');
console.log(report);
if (!custom) await writeFile(path.join(values.out!, 'face.md'), `# Face engine benchmark\n\nPrinted by \`npm run bench:face\`.\n\n${report}\n`);
console.log(JSON.stringify({
  pairs: headline.pairs, accuracy: Number(headline.accuracy.toFixed(5)), tar_at_fmr_1e3: Number(headline.tar3.toFixed(5)),
  eer: Number(headline.eer.toFixed(5)), threshold: Number(headline.threshold.toFixed(4)),
  median_verify_ms: Number(quantile(verifyMs, 0.5).toFixed(1)), failed_to_detect: headline.failed,
}));
