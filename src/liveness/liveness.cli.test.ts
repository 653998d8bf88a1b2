// `portrait liveness analyze` on real recordings from ../shared/data: a video (shenasa_sample.gif:
// turn left, turn right, look up and down) and a folder of frames extracted from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sharedData } from '../face/face.fixtures.ts';
import { runLivenessAnalyze } from './liveness.cli.ts';
import { decodeVideo } from './video.ts';

const clip = `${sharedData}liveness/clips/shenasa_sample.gif`;

async function run(...args: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await runLivenessAnalyze(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('exit 0 and LIVE for the asked actions in order, with their times, the passive score and timings', async () => {
  const r = await run(clip, '--challenge', 'turn_left,turn_right,nod', '--to', '5');
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /decision +LIVE/);
  assert.match(r.out, /asked +turn_left at [\d.]+ s, turn_right at [\d.]+ s, nod at [\d.]+ s/);
  assert.match(r.out, /passive +log10 P\(live\) -?[\d.]+/);
  assert.match(r.out, /timings ms +frames \d+/);
});

test('exit 1 with the reason for the wrong order; --json prints one object', async () => {
  const r = await run(clip, '--challenge', 'turn_right,turn_left', '--to', '3.2', '--json');
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.equal(j.live, false);
  assert.deepEqual(j.reasons, ['liveness.wrong_order']);
  assert.ok(j.events.some((e: { action: string }) => e.action === 'turn_left'));
  assert.equal(j.hashes, undefined, 'no fingerprints in the report');
});

test('a folder of frames, times from their names', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'frames-'));
  const frames = await decodeVideo(clip, { fps: 10, toSec: 3.2 });
  for (const f of frames) writeFileSync(path.join(dir, `frame_${String(f.t).padStart(6, '0')}ms.jpg`), f.bytes);
  const r = await run(dir, '--challenge', 'turn_left,turn_right', '--json');
  assert.equal(r.code, 0, r.out);
  const j = JSON.parse(r.out);
  assert.equal(j.frames, frames.length);
  assert.equal(j.spanMs, frames.at(-1)!.t);
});

test('exit 2 with the reason for bad input and usage', async () => {
  const missing = await run('/nonexistent.mp4');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /does not exist/);
  const notVideo = await run(new URL(import.meta.url).pathname, '--json');
  assert.equal(notVideo.code, 2);
  assert.equal(JSON.parse(notVideo.out).error.code, 'liveness.frames_invalid');
  assert.equal((await run(clip, '--challenge', 'wink')).code, 2);
  assert.equal((await run()).code, 2);
  assert.equal((await run(clip, '--fps', '0')).code, 2);
});

test('the installed command: portrait liveness analyze', () => {
  const out = execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../../bin/portrait.mjs'), 'liveness', 'analyze', clip, '--to', '3.2', '--challenge', 'turn_left,turn_right', '--json']);
  assert.equal(JSON.parse(out.toString()).live, true);
});
