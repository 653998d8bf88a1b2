/**
 * Test support for the browser tests with a camera: the fake camera file Chromium plays (made
 * by ffmpeg from a real webcam clip of liveness/replay-apfol in ../shared/data), the chip-like
 * ID photo of the same person for a card reader's JSON, and the person on that card.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { residentId } from '../../src/registration/registration.fixtures.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const replayData = path.resolve(root, '../shared/data/liveness/replay-apfol');
export const clip = path.join(replayData, 'videos/real2.webm');
/** The person of the clip, as their (made-up) ID card says. */
export const person = { name: '李明', number: residentId('19900307', 417) };
/** Seconds the camera file holds still on its first frame before the clip plays (see liveCameraFile). */
export const STILL_LEAD_S = 5;
/** The test presses start this long after the camera opened (the file restarts then). */
export const CLICK_AFTER_OPEN_MS = 1000;

/**
 * The camera file: real2.webm from 0.2 s to 2.6 s (still, turn left at 0.7-1.6 s, turn right at
 * 1.8-2.3 s), played at 2/3 speed, after 5 s held still on its first frame and followed by 3 s
 * on its last. It restarts when the camera opens; the test presses start 1 s after that, the
 * app counts 3-2-1 and captures 6 s (1 s looking, 2.5 s per action), so the capture covers
 * about 4.1-10.1 s of the file: the turns fall at about 1.7-3 s and 3.3-4.1 s of the capture.
 * At full speed, the uneven frame spacing of a browser on a busy machine (100-200 ms instead of
 * 100) made the fast turns look like jumps (liveness.motion_discontinuous) in some runs.
 */
export function liveCameraFile(out: string): string {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-ss', '0.2', '-t', '2.4', '-i', clip, '-vf',
    `setpts=1.5*PTS,scale=640:480,fps=30,tpad=start_duration=${STILL_LEAD_S}:start_mode=clone:stop_duration=3:stop_mode=clone`, '-pix_fmt', 'yuv420p', out]);
  return out;
}

/**
 * A photo held up to the camera: one still frame of the same clip (at 10 s, the person looking
 * at the camera), 3 s of it at 30 fps. Liveness must refuse it (no movement, no asked action).
 */
export function stillCameraFile(out: string): string {
  const still = out.replace(/\.y4m$/, '') + '.png';
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-ss', '10.0', '-i', clip, '-frames:v', '1', still]);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-t', '3', '-i', still, '-vf', 'scale=640:480,fps=30', '-pix_fmt', 'yuv420p', out]);
  return out;
}

/** A chip-like ID photo from a tight face crop: margins of a plain background, 102x126, washed out, JPEG. */
export async function chipPhoto(crop = path.join(replayData, 'dataset/real/0.png')): Promise<Buffer> {
  const { width = 170, height = 230 } = await sharp(crop).metadata();
  return sharp(crop)
    .extend({ top: Math.round(height * 0.25), bottom: Math.round(height * 0.12), left: Math.round(width * 0.3), right: Math.round(width * 0.3), background: '#dfe4e8' })
    .resize(102, 126, { fit: 'cover' }).modulate({ saturation: 0.5, brightness: 1.05 }).jpeg({ quality: 60 }).toBuffer();
}

/** The JSON a card reader's software writes for `person`'s card, with the chip photo. */
export async function cardReaderJson(): Promise<string> {
  const chip = await chipPhoto();
  return JSON.stringify({ name: person.name, sex: '男', nation: '汉', idNumber: person.number, issuer: '北京市公安局东城分局', photo: chip.toString('base64') });
}
