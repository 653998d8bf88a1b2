// The browser helper (web/liveness/capture.ts) in Debian's Chromium with a fake camera fed from a
// real webcam clip (liveness/replay-apfol/videos/real2.webm: a person turning left, then right,
// held still for a second before and two after, converted to y4m by ffmpeg). The helper captures
// at its rate; the frames go through the server's own liveness analysis, which must find the
// turns in order and call the session live.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { createFaceAnalyzer } from '../../src/face/engine.ts';
import { analyzeLiveness } from '../../src/liveness/analyze.ts';
import { jpegSize } from '../../src/liveness/frame-decode.ts';
import { chromiumPath, chromiumArgs } from './browser.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** web/liveness/capture.ts as the page sees it (bundled as `portraitCapture`). */
interface PageHelper {
  openCamera(video: unknown): Promise<unknown>;
  captureFrames(video: unknown, opts: { fps: number; durationMs: number; onFrame: (n: number) => void }): Promise<{ frames: { t: number; image: string }[]; width: number; height: number }>;
  closeCamera(stream: unknown): void;
}
const clip = path.resolve(root, '../shared/data/liveness/replay-apfol/videos/real2.webm');

describe('liveness capture helper in Chromium with a fake camera', () => {
  let dir: string, server: Server, browser: Browser, url: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portrait-capture-'));
    const camera = path.join(dir, 'camera.y4m');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-ss', '0.2', '-t', '2.5', '-i', clip,
      '-vf', 'scale=640:480,fps=30,tpad=start_duration=1:start_mode=clone:stop_duration=2:stop_mode=clone', '-pix_fmt', 'yuv420p', camera]);
    const bundle = await build({ entryPoints: [path.join(root, 'web/liveness/capture.ts')], bundle: true, format: 'iife', globalName: 'portraitCapture', write: false });
    const script = bundle.outputFiles[0]!.text;
    server = createServer((req, res) => {
      if (req.url === '/capture.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(script); return; }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><video id="v"></video><script src="/capture.js"></script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    browser = await chromium.launch({ executablePath: chromiumPath(), args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`] });
  });
  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('frames at the asked rate, in order, as JPEG; the server finds the turns in them and calls it live', async () => {
    const page = await browser.newPage();
    // tsx compiles this file keeping function names (esbuild's __name helper), which the
    // functions handed to page.evaluate then call in the page
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(url);
    const capture = await page.evaluate(async () => {
      // the page's globals (this file is type-checked for Node, without the DOM library)
      const g = globalThis as unknown as { document: { getElementById(id: string): unknown }; portraitCapture: PageHelper };
      const w = g;
      const video = g.document.getElementById('v');
      const stream = await w.portraitCapture.openCamera(video);
      const progress: number[] = [];
      const c = await w.portraitCapture.captureFrames(video, { fps: 12, durationMs: 4200, onFrame: (n) => progress.push(n) });
      w.portraitCapture.closeCamera(stream);
      return { ...c, progress: progress.length };
    });
    assert.equal(capture.width, 640);
    assert.equal(capture.height, 480);
    const n = capture.frames.length;
    assert.ok(n >= 40 && n <= 53, `${n} frames in 4.2 s at 12 fps`);
    assert.equal(capture.progress, n);
    const gaps = capture.frames.slice(1).map((f, i) => f.t - capture.frames[i]!.t);
    assert.ok(gaps.every((g) => g > 60 && g < 200), gaps.join());
    const frames = capture.frames.map((f) => ({ t: f.t, bytes: Buffer.from(f.image, 'base64') }));
    assert.deepEqual(jpegSize(frames[0]!.bytes), { width: 640, height: 480 });
    const analyzer = await createFaceAnalyzer({ threads: 1 });
    const r = await analyzeLiveness(analyzer, frames, { actions: ['turn_left', 'turn_right'] });
    assert.deepEqual(r.reasons, [], JSON.stringify(r.events));
    assert.equal(r.live, true);
  });
});
