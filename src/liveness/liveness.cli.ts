/**
 * CLI handler for `portrait liveness analyze <video-or-frame-folder> [--challenge a,b] [--json]`:
 * the server's liveness analysis on a recording: each action found with its time, the passive
 * anti-spoof score, the decision and its reasons. Exit status: 0 live, 1 not live, 2 bad input
 * or usage (with the reason). The replay check needs the server's database and is not run here.
 */
import { parseArgs } from 'node:util';
import { isDomainError } from '../errors/errors.ts';
import { createFaceAnalyzer } from '../face/engine.ts';
import { analyzeLiveness, type LivenessAnalysis } from './analyze.ts';
import { livenessActions, type LivenessAction } from './challenge.ts';
import { livenessReasons } from './liveness.ts';
import { readFrames } from './video.ts';

export const livenessUsage = `Usage: portrait liveness analyze <video-or-frame-folder> [--challenge turn_left,blink,...] [--json]

Analyses a recorded session as the server does: decodes a video (ffmpeg) or reads a folder of
JPEG/PNG frames (in name order; times from names like 000120ms.jpg, else from --fps), finds the
actions (${livenessActions.join(', ')}), and checks the face throughout, one person, the same
person, a face that changes shape, motion without cuts, and the passive anti-spoof score.

Options:
  --challenge LIST   the asked actions, in order; without it every check but the asked actions is made
  --fps N            frame rate to sample a video at, or of a frame folder without times (default 15)
  --from S, --to S   the span of a video to analyse, in seconds
  --json             print one JSON object

Exit status: 0 live, 1 not live, 2 bad input (unreadable video, too many frames) or usage.`;

interface Out { stdout(s: string): void; stderr(s: string): void }

export async function runLivenessAnalyze(argv: string[], out: Out): Promise<number> {
  let values: { challenge?: string; fps?: string; from?: string; to?: string; json?: boolean; help?: boolean }, positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
      challenge: { type: 'string' }, fps: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (e) {
    out.stderr(`${(e as Error).message}\n\n${livenessUsage}`);
    return 2;
  }
  if (values.help) { out.stdout(livenessUsage); return 0; }
  const actions = values.challenge ? values.challenge.split(',').map((a) => a.trim()) : [];
  const numbers = [values.fps, values.from, values.to].map((v) => (v === undefined ? undefined : Number(v)));
  const unknown = actions.filter((a) => !(livenessActions as readonly string[]).includes(a));
  if (positionals.length !== 1 || unknown.length > 0 || numbers.some((n) => n !== undefined && !(n >= 0)) || (numbers[0] !== undefined && !(numbers[0] > 0))) {
    out.stderr(`${unknown.length ? `Unknown action: ${unknown.join(', ')}\n\n` : ''}${livenessUsage}`);
    return 2;
  }
  let result: LivenessAnalysis;
  try {
    const frames = await readFrames(positionals[0]!, { fps: numbers[0], fromSec: numbers[1], toSec: numbers[2] });
    const analyzer = await createFaceAnalyzer({ threads: 1 });
    result = await analyzeLiveness(analyzer, frames, { actions: actions as LivenessAction[] });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (values.json) out.stdout(JSON.stringify({ error: { code: e.code, reason: e.message } }));
    else out.stderr(`Bad input: ${e.message}`);
    return 2;
  }
  const { hashes: _fingerprints, ...report } = result;
  out.stdout(values.json ? JSON.stringify(report) : describe(result));
  return result.live ? 0 : 1;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function describe(r: LivenessAnalysis): string {
  return [
    `decision    ${r.live ? 'LIVE' : 'NOT LIVE'}`,
    `reasons     ${r.reasons.map((x) => `${x} (${livenessReasons[x]})`).join('\n            ') || 'none'}`,
    `asked       ${r.asked.map((a) => `${a.action} ${a.found ? `at ${s(a.found.peakMs)}` : 'not found'}`).join(', ') || '(no challenge given)'}`,
    `actions     ${r.events.map((e) => `${e.action} ${s(e.startMs)}-${s(e.endMs)}`).join(', ') || 'none'}`,
    `passive     ${r.passiveScore === null ? '-' : `log10 P(live) ${r.passiveScore.toFixed(2)}`}`,
    `identity    ${r.identityMin === null ? '-' : `lowest similarity to the best frame ${r.identityMin.toFixed(2)}`}`,
    `frames      ${r.frames} over ${s(r.spanMs)}, a face in ${r.framesWithFace}; best frame ${r.bestFrame ?? '-'}; cuts ${r.measures.cuts.map(s).join(', ') || 'none'}; deformation ${r.measures.deformation?.toFixed(3) ?? '-'}`,
    `timings ms  ${Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`,
  ].join('\n');
}
