import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { renderRocPng, rocSvg } from './roc-plot.ts';

// deterministic scores: genuine spread over 0.3..0.96, impostors over 0..0.5
const genuine = Array.from({ length: 500 }, (_, k) => 0.3 + (k % 100) / 150);
const impostor = Array.from({ length: 5000 }, (_, k) => (k % 1000) / 2000);

test('writes a 900x600 PNG with one curve per input', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'roc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'nested', 'roc.png');
  await renderRocPng([
    { label: 'a <b> & "c"', genuine, impostor },
    { label: 'shifted, 500 impostors', genuine: genuine.map((s) => s - 0.1), impostor: impostor.slice(0, 500) },
  ], { title: 'test plot', path: file });
  const meta = await sharp(file).metadata();
  assert.equal(meta.format, 'png');
  assert.deepEqual([meta.width, meta.height], [900, 600]);
  const { channels } = await sharp(file).stats();
  assert.ok(channels.some((c) => c.min < 50), 'something dark is drawn'); // not a blank canvas
});

test('the SVG escapes labels, marks FMR 1e-3 and 1e-2, and grows with the legend', () => {
  const svg = rocSvg([{ label: 'a <b> & "c"', genuine, impostor }], { title: 'x' });
  assert.match(svg, /a &lt;b&gt; &amp; &quot;c&quot;/);
  assert.match(svg, />FMR 10⁻³</);
  assert.match(svg, />FMR 10⁻²</);
  assert.equal((svg.match(/<circle /g) ?? []).length, 2);
  const many = rocSvg(Array.from({ length: 6 }, (_, i) => ({ label: `c${i}`, genuine, impostor: impostor.slice(0, 100) })), { title: 'x' });
  assert.match(many, /height="675"/); // 6 curves + the note on hollow markers: 7 legend rows
  assert.throws(() => rocSvg([], { title: 'x' }), RangeError);
});
