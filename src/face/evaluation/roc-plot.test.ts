import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { renderRocPng } from './roc-plot.ts';

test('writes a PNG plot with one curve per pipeline', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'roc-')), 'roc.png');
  const genuine = Array.from({ length: 500 }, (_, k) => 0.3 + (k % 100) / 150), impostor = Array.from({ length: 5000 }, (_, k) => (k % 1000) / 2000);
  await renderRocPng([{ label: 'a <b>', genuine, impostor }, { label: 'shifted', genuine: genuine.map((s) => s - 0.1), impostor }], { title: 'test', path: file });
  const meta = await sharp(file).metadata();
  assert.equal(meta.format, 'png');
  assert.deepEqual([meta.width, meta.height], [960, 640]);
});
