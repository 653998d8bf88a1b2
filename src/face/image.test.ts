import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { encode as encodeBmp } from 'bmp-ts';
import { decodeImage } from './image.ts';
import { photos, read } from './face.fixtures.ts';

const rejects = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);

test('decodes a JPEG into RGB pixels', async () => {
  const img = await decodeImage(read(photos.obama240p));
  const meta = await sharp(read(photos.obama240p)).metadata();
  assert.deepEqual([img.width, img.height], [meta.width, meta.height]);
  assert.equal(img.data.length, img.width * img.height * 3);
});

test('applies the EXIF orientation (a phone photo taken sideways comes out upright)', async () => {
  const upright = await sharp(read(photos.obama240p)).jpeg().toBuffer();
  // Orientation 6: the stored pixels must be turned 90° clockwise to display
  const stored = await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
  const a = await decodeImage(upright), b = await decodeImage(stored);
  assert.deepEqual([b.width, b.height], [a.width, a.height]);
});

test('drops the alpha channel of a 32-bit PNG', async () => {
  const img = await decodeImage(read(photos.png32bit));
  assert.equal(img.data.length, img.width * img.height * 3);
});

test('decodes a BMP, the format chip readers deliver', async () => {
  const { data, info } = await sharp(read(photos.obama240p)).resize(102, 126).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  // bmp-ts encodes from ABGR byte order
  const abgr = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i += 4) { abgr[i] = 255; abgr[i + 1] = data[i + 2]!; abgr[i + 2] = data[i + 1]!; abgr[i + 3] = data[i]!; }
  const bmp = encodeBmp({ width: info.width, height: info.height, data: abgr, bitPP: 24 }).data;
  const img = await decodeImage(bmp);
  assert.deepEqual([img.width, img.height], [102, 126]);
  // the pixels survive: compare one with sharp's own decode of the source
  const i = (60 * 102 + 50) * 3;
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(img.data[i + c]! - data[(60 * 102 + 50) * 4 + c]!) <= 1);
});

test('refuses what is not an image, and damaged images', async () => {
  await rejects(decodeImage(Buffer.from('definitely not a photo')), 'face.image_invalid');
  await rejects(decodeImage(new Uint8Array(0)), 'face.image_invalid');
  await rejects(decodeImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')), 'face.image_invalid');
  const jpeg = read(photos.obama240p);
  await rejects(decodeImage(jpeg.subarray(0, jpeg.length / 3)), 'face.image_invalid');
  await rejects(decodeImage(Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)])), 'face.image_invalid');
});

test('refuses images above the byte and pixel limits before decoding them', async () => {
  const jpeg = read(photos.obama240p);
  await rejects(decodeImage(jpeg, { maxBytes: 1000, maxPixels: 1e8 }), 'face.image_too_large');
  await rejects(decodeImage(jpeg, { maxBytes: 1e8, maxPixels: 10_000 }), 'face.image_too_large');
  // a tiny file that claims a huge canvas (decompression bomb)
  const bomb = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
  assert.ok(bomb.length < 1_000_000);
  await rejects(decodeImage(bomb, { maxBytes: 8e6, maxPixels: 24e6 }), 'face.image_too_large');
});
