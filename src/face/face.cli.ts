/**
 * CLI handler for `portrait verify <id-photo> <live-photo> [--fmr 1e-3] [--json]`: one 1:1
 * decision with its score, threshold, estimated false-match rate, quality findings per photo
 * and stage timings. Exit status: 0 match, 1 no match, 2 bad input or usage (with the reason).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isDomainError } from '../errors/errors.ts';
import type { FaceAnalysis } from './analyze.ts';
import { CalibrationError } from './calibration.ts';
import { createFaceEngine, type FaceVerification } from './engine.ts';

export const verifyUsage = `Usage: portrait verify <id-photo> <live-photo> [--fmr 1e-3] [--json]

Compares the face on an ID photo (chip photo or card crop; JPEG, PNG, BMP or WebP) with a live
photo of the person, at a target false-match rate.

Options:
  --fmr F              target false-match rate (default 1e-3; the calibration covers 1e-2 to 1e-4)
  --calibration FILE   calibration file (default: the shipped one)
  --json               print one JSON object

Exit status: 0 match, 1 no match, 2 bad input (unreadable image, no face, poor live photo) or usage.`;

interface Out { stdout(s: string): void; stderr(s: string): void }

export async function runFaceVerify(argv: string[], out: Out): Promise<number> {
  let values: { fmr?: string; json?: boolean; calibration?: string; help?: boolean }, positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
      fmr: { type: 'string' }, json: { type: 'boolean' }, calibration: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (e) {
    out.stderr(`${(e as Error).message}\n\n${verifyUsage}`);
    return 2;
  }
  if (values.help) { out.stdout(verifyUsage); return 0; }
  const fmr = values.fmr === undefined ? 1e-3 : Number(values.fmr);
  if (positionals.length !== 2 || !(fmr > 0 && fmr < 1)) { out.stderr(verifyUsage); return 2; }
  const bad = (reason: string, code = 'face.input_invalid') => {
    if (values.json) out.stdout(JSON.stringify({ error: { code, reason } }));
    else out.stderr(`Bad input: ${reason}`);
    return 2;
  };

  const photos: Uint8Array[] = [];
  for (const file of positionals) {
    try { photos.push(await readFile(file)); } catch (e) { return bad(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'file.unreadable'); }
  }
  let result: FaceVerification;
  try {
    const engine = await createFaceEngine({ threads: 1, calibrationFile: values.calibration });
    result = await engine.verify({ idPhoto: photos[0]!, livePhoto: photos[1]! }, fmr);
  } catch (e) {
    if (isDomainError(e)) return bad(`${e.message}`, e.code);
    if (e instanceof CalibrationError) return bad(e.message, 'face.calibration');
    throw e;
  }

  const d = result.decision;
  if (values.json) {
    const photo = (a: FaceAnalysis) => ({ width: a.width, height: a.height, faces: a.faces, refusals: a.refusals, quality: a.quality, findings: a.findings, timingsMs: a.timings });
    out.stdout(JSON.stringify({ ...d, idPhoto: photo(result.id), livePhoto: photo(result.live), timingsMs: result.timings }));
  } else {
    out.stdout(describe(result));
  }
  return !d.compared ? 2 : d.match ? 0 : 1;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function describePhoto(label: string, a: FaceAnalysis): string {
  const q = a.quality;
  const head = `${label.padEnd(12)}${a.width}x${a.height}, ${a.faces} face${a.faces === 1 ? '' : 's'}`;
  const measures = q ? `, face ${fmt(q.faceWidthPx, 0)} px wide, eyes ${fmt(q.eyeDistancePx, 0)} px apart, sharpness ${fmt(q.sharpness, 0)}, brightness ${fmt(q.brightness, 0)}, yaw ${fmt(q.yawDeg, 0)}°, pitch ${fmt(q.pitchDeg, 0)}°, eyes open ${q.eyesOpen === undefined ? '?' : fmt(q.eyesOpen, 2)}` : '';
  const findings = a.findings.map((f) => `${f.code} (${f.severity}: ${fmt(f.value)} vs ${fmt(f.limit)})`);
  const all = [...new Set([...a.refusals.filter((r) => !r.startsWith('quality.')), ...findings])];
  return `${head}${measures}\n${' '.repeat(12)}${all.length ? all.join('; ') : 'no findings'}`;
}

function describe(r: FaceVerification): string {
  const d = r.decision;
  const verdict = !d.compared ? 'not compared (see the findings)' : d.match ? 'MATCH' : 'NO MATCH';
  return [
    `decision    ${verdict}`,
    `score       ${d.compared ? d.score.toFixed(4) : '-'}   threshold ${d.threshold.toFixed(4)} for target FMR ${d.targetFmr}`,
    `est. FMR    ${d.compared ? d.estimatedFmr.toExponential(1) : '-'} (share of impostor pairs in the calibration scoring this high)`,
    describePhoto('id photo', r.id),
    describePhoto('live photo', r.live),
    `reasons     ${d.reasons.join(', ') || 'none'}`,
    `timings ms  ${Object.entries(r.timings).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`,
    `engine      ${d.engine}`,
  ].join('\n');
}
