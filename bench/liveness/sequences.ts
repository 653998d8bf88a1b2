/**
 * The sessions `npm run bench:liveness` submits: genuine sequences cut from the real clips in
 * ../shared/data at their labelled actions (src/liveness/fixtures/clips.labels.json), and attack
 * sequences generated from real images and videos there. Every attack is derived from real
 * material; how, is said next to each builder. Random choices come from one seeded generator, so
 * a run is repeatable.
 */
import path from 'node:path';
import sharp from 'sharp';
import type { LivenessAction } from '../../src/liveness/challenge.ts';
import type { FrameInput } from '../../src/liveness/liveness.ts';
import { decodeVideo } from '../../src/liveness/video.ts';

export const attackTypes = [
  'static_photo', 'screen_replay', 'replay_verbatim', 'replay_reencoded', 'nonce_reuse', 'splice_same_person', 'identity_switch',
  'wrong_order', 'shuffled_frames', 'impossible_timestamps', 'too_few_frames',
] as const;
export type AttackType = typeof attackTypes[number];

export interface Sequence {
  kind: 'genuine' | AttackType;
  name: string;
  actions: LivenessAction[];
  frames: FrameInput[];
  /** For replays: the genuine sequence whose upload this repeats (submitted first). */
  of?: string;
  /** How long capturing took, ms, when the frames' times say otherwise (forged times). */
  captureMs?: number;
}

/** Seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Genuine windows: each holds exactly the listed actions as labelled (clear), in that order.
 * shenasa's look up and look down are its only pitch excursions; no clip holds a true nod, so
 * `nod` is measured on them (up and back, down and back).
 */
export const genuineWindows: { clip: string; from: number; to: number; actions: LivenessAction[] }[] = [
  { clip: 'liveness/clips/shenasa_sample.gif', from: 0, to: 3.2, actions: ['turn_left', 'turn_right'] },
  { clip: 'liveness/clips/shenasa_sample.gif', from: 0, to: 5.0, actions: ['turn_left', 'turn_right', 'nod'] },
  { clip: 'liveness/clips/shenasa_sample.gif', from: 1.6, to: 5.0, actions: ['turn_right', 'nod'] },
  { clip: 'liveness/clips/shenasa_sample.gif', from: 3.0, to: 6.2, actions: ['nod'] },
  { clip: 'liveness/replay-apfol/videos/real2.webm', from: 0.2, to: 2.7, actions: ['turn_left', 'turn_right'] },
  { clip: 'liveness/replay-apfol/videos/real2.webm', from: 2.7, to: 4.7, actions: ['turn_left', 'turn_right'] },
  { clip: 'liveness/replay-apfol/videos/real2.webm', from: 10.1, to: 11.65, actions: ['blink'] },
  { clip: 'liveness/clips/repeating_video.mp4', from: 0, to: 1.5, actions: ['blink'] },
  { clip: 'liveness/clips/repeating_video.mp4', from: 1.1, to: 2.7, actions: ['blink'] },
  { clip: 'liveness/clips/repeating_video.mp4', from: 2.7, to: 4.3, actions: ['blink'] },
  { clip: 'liveness/clips/repeating_video.mp4', from: 4.0, to: 5.6, actions: ['blink'] },
  { clip: 'liveness/clips/repeating_video.mp4', from: 8.4, to: 9.9, actions: ['blink'] },
  { clip: 'liveness/clips/repeating_video.mp4', from: 9.5, to: 10.9, actions: ['blink'] },
  { clip: 'liveness/clips/hippoyd_yawn_output_video.gif', from: 0, to: 3.0, actions: ['open_mouth'] },
];

/** Screen replays of a live session (replay-apfol's fake2.webm: the same person shown on a screen and filmed), at its labelled actions. */
const screenWindows: { from: number; to: number; actions: LivenessAction[] }[] = [
  { from: 0.4, to: 3.6, actions: ['turn_left', 'turn_right'] },
  { from: 3.6, to: 7.0, actions: ['turn_left', 'turn_right'] },
  { from: 7.5, to: 10.0, actions: ['blink', 'turn_left'] },
];

/** Photos held in front of the camera: people from LFW and face_recognition, live frames of the clips, and silent-face's own spoof photos. */
const stillPhotos = [
  'lfw/images/Wen_Jiabao/Wen_Jiabao_0001.jpg', 'lfw/images/Jiang_Zemin/Jiang_Zemin_0001.jpg', 'lfw/images/Hu_Jintao/Hu_Jintao_0004.jpg',
  'lfw/images/Serena_Williams/Serena_Williams_0001.jpg', 'lfw/images/Tony_Blair/Tony_Blair_0018.jpg', 'lfw/images/Gloria_Macapagal_Arroyo/Gloria_Macapagal_Arroyo_0003.jpg',
  'faces/face-recognition/examples/obama.jpg', 'faces/face-recognition/examples/biden.jpg', 'faces/face-recognition/examples/alex-lacamoire.png',
  'faces/face-recognition/examples/lin-manuel-miranda.png', 'liveness/silent-face/images/image_F1.jpg', 'liveness/silent-face/images/image_F2.jpg',
  'liveness/silent-face/images/image_T1.jpg',
];
const stillFrames: { clip: string; at: number }[] = [
  { clip: 'liveness/replay-apfol/videos/real2.webm', at: 0.3 }, { clip: 'liveness/replay-apfol/videos/real2.webm', at: 10.8 },
  { clip: 'liveness/clips/shenasa_sample.gif', at: 3.0 }, { clip: 'liveness/clips/repeating_video.mp4', at: 2.2 },
  { clip: 'liveness/clips/proctoringai_center_focus.mp4', at: 1.5 }, { clip: 'liveness/clips/hippoyd_yawn_output_video.gif', at: 0.2 },
  { clip: 'liveness/clips/eyeblink8_v4_concentrated.mp4', at: 1.0 },
];

export interface Material { data: string; fps: number[] }

const sliceFrames = (frames: FrameInput[], fromMs: number, toMs: number) => rebase(frames.filter((f) => f.t >= fromMs && f.t <= toMs));
const rebase = (frames: FrameInput[]) => frames.map((f) => ({ t: f.t - frames[0]!.t, bytes: f.bytes }));

/**
 * A photo moved in front of the camera, held close (up to 370 px in the frame, the face usually
 * 150 px or more): 3 s at 15 fps on a 640x480 scene, following a smooth
 * random path (shift up to 8% of the frame, zoom 0.9-1.12, rotation up to 6°, a horizontal
 * squeeze up to 10% as when the photo is tilted), with a pixel of jitter per frame and JPEG
 * compression like a webcam's.
 */
export async function movedPhoto(photo: Buffer, random: () => number): Promise<FrameInput[]> {
  const W = 640, H = 480, n = 45;
  const fit = await sharp(photo).rotate().resize({ width: 370, height: 370, fit: 'inside' }).png().toBuffer();
  const phase = Array.from({ length: 5 }, () => random() * Math.PI * 2);
  const frames: FrameInput[] = [];
  for (let i = 0; i < n; i++) {
    const u = i / n * Math.PI * 2;
    const zoom = 1.01 + 0.11 * Math.sin(u + phase[0]!);
    const angle = 6 * Math.sin(u * 0.7 + phase[1]!);
    const squeeze = 1 - 0.1 * Math.abs(Math.sin(u * 0.5 + phase[2]!));
    const dx = 0.08 * W * Math.sin(u + phase[3]!) + (random() - 0.5) * 2, dy = 0.08 * H * Math.sin(u * 1.3 + phase[4]!) + (random() - 0.5) * 2;
    const meta = await sharp(fit).metadata();
    const w = Math.max(8, Math.round(meta.width! * zoom * squeeze)), h = Math.max(8, Math.round(meta.height! * zoom));
    const moved = await sharp(fit).resize(w, h, { fit: 'fill' }).rotate(angle, { background: '#6a6f74' }).png().toBuffer();
    const m = await sharp(moved).metadata();
    const left = Math.round(W / 2 - m.width! / 2 + dx), top = Math.round(H / 2 - m.height! / 2 + dy);
    const scene = await sharp({ create: { width: W, height: H, channels: 3, background: '#6a6f74' } })
      .composite([{ input: moved, left: Math.max(-m.width! + 1, left), top: Math.max(-m.height! + 1, top) }]).jpeg({ quality: 82 }).toBuffer();
    frames.push({ t: Math.round(i * 1000 / 15), bytes: scene });
  }
  return frames;
}

/** The same frames after a round trip through another encoder: 90% size, JPEG quality 70. */
export async function reencoded(frames: FrameInput[]): Promise<FrameInput[]> {
  return Promise.all(frames.map(async (f) => {
    const m = await sharp(f.bytes).metadata();
    return { t: f.t + 7, bytes: await sharp(f.bytes).resize(Math.round(m.width! * 0.9)).jpeg({ quality: 70 }).toBuffer() };
  }));
}

function shuffled(frames: FrameInput[], random: () => number): FrameInput[] {
  const bytes = frames.map((f) => f.bytes);
  for (let i = bytes.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [bytes[i], bytes[j]] = [bytes[j]!, bytes[i]!]; }
  return frames.map((f, i) => ({ t: f.t, bytes: bytes[i]! }));
}

/** Two recordings joined: `a` then `b`, capture times made continuous. */
function joined(a: FrameInput[], b: FrameInput[], stepMs: number): FrameInput[] {
  const end = a.at(-1)!.t + stepMs;
  return [...a, ...rebase(b).map((f) => ({ t: f.t + end, bytes: f.bytes }))];
}

export async function buildSequences(m: Material): Promise<Sequence[]> {
  const random = rng(20261129);
  const video = new Map<string, FrameInput[]>();
  const clip = async (file: string, fps: number) => {
    const key = `${file}@${fps}`;
    if (!video.has(key)) video.set(key, await decodeVideo(path.join(m.data, file), { fps }));
    return video.get(key)!;
  };
  const window = async (file: string, fps: number, from: number, to: number) => sliceFrames(await clip(file, fps), from * 1000, to * 1000);
  const out: Sequence[] = [];

  // genuine sessions, at each frame rate
  const genuine: Sequence[] = [];
  for (const fps of m.fps) {
    for (const w of genuineWindows) {
      genuine.push({ kind: 'genuine', name: `${path.basename(w.clip)} ${w.from}-${w.to}s @${fps}fps [${w.actions.join(',')}]`, actions: w.actions, frames: await window(w.clip, fps, w.from, w.to) });
    }
  }
  out.push(...genuine);
  const base = genuine.filter((g) => g.name.endsWith(`@${m.fps[0]}fps [${g.actions.join(',')}]`)); // one frame rate for the derived attacks
  const multi = base.filter((g) => g.actions.length > 1);

  // static photos moved in front of the camera, against a random 3-action challenge
  const threeActions: LivenessAction[][] = [['blink', 'turn_left', 'nod'], ['turn_right', 'open_mouth', 'blink'], ['nod', 'turn_left', 'open_mouth']];
  const photos: { name: string; bytes: Buffer }[] = [];
  for (const p of stillPhotos) photos.push({ name: p, bytes: await sharp(path.join(m.data, p)).png().toBuffer() });
  for (const f of stillFrames) photos.push({ name: `${f.clip} frame at ${f.at}s`, bytes: Buffer.from((await window(f.clip, 10, f.at, f.at + 0.05))[0]!.bytes) });
  for (const [i, p] of photos.entries()) out.push({ kind: 'static_photo', name: p.name, actions: threeActions[i % 3]!, frames: await movedPhoto(p.bytes, random) });

  // screen replays of a live session (fake2.webm), at each frame rate
  for (const fps of m.fps) {
    for (const w of screenWindows) out.push({ kind: 'screen_replay', name: `fake2.webm ${w.from}-${w.to}s @${fps}fps`, actions: w.actions, frames: await window('liveness/replay-apfol/videos/fake2.webm', fps, w.from, w.to) });
  }

  // replays of genuine uploads (submitted earlier in the run) to new challenges with the same actions
  for (const g of base) {
    out.push({ kind: 'replay_verbatim', name: g.name, actions: g.actions, frames: g.frames, of: g.name });
    out.push({ kind: 'replay_reencoded', name: g.name, actions: g.actions, frames: await reencoded(g.frames), of: g.name });
  }
  for (const g of base.slice(0, 4)) out.push({ kind: 'nonce_reuse', name: g.name, actions: g.actions, frames: g.frames, of: g.name });

  // splices: the first action from one moment and the second from another moment of the same recording
  const real2 = 'liveness/replay-apfol/videos/real2.webm', shenasa = 'liveness/clips/shenasa_sample.gif';
  const fps0 = m.fps[0]!, step = 1000 / fps0;
  out.push({ kind: 'splice_same_person', name: 'real2 turn left 0.2-1.65s + turn right 3.5-4.7s', actions: ['turn_left', 'turn_right'], frames: joined(await window(real2, fps0, 0.2, 1.65), await window(real2, fps0, 3.5, 4.7), step) });
  out.push({ kind: 'splice_same_person', name: 'real2 turn right 1.6-2.5s + turn left 7.7-9.1s', actions: ['turn_right', 'turn_left'], frames: joined(await window(real2, fps0, 1.6, 2.5), await window(real2, fps0, 7.7, 9.1), step) });
  out.push({ kind: 'splice_same_person', name: 'shenasa turn left 0-1.6s + nod 3.0-4.6s', actions: ['turn_left', 'nod'], frames: joined(await window(shenasa, fps0, 0, 1.6), await window(shenasa, fps0, 3.0, 4.6), step) });
  out.push({ kind: 'splice_same_person', name: 'repeating_video blink 0-1.2s + blink 9.0-10.3s', actions: ['blink'], frames: joined(await window('liveness/clips/repeating_video.mp4', fps0, 0, 1.2), await window('liveness/clips/repeating_video.mp4', fps0, 9.0, 10.3), step) });
  out.push({ kind: 'splice_same_person', name: 'eyeblink8 1.0-6.0s (a splice as published: cuts at 2.3 and 4.5 s)', actions: [], frames: await window('liveness/clips/eyeblink8_v4_concentrated.mp4', fps0, 1.0, 6.0) });

  // a person switched mid-sequence: one person does the first action, another the second
  const repeating = 'liveness/clips/repeating_video.mp4', yawn = 'liveness/clips/hippoyd_yawn_output_video.gif';
  out.push({ kind: 'identity_switch', name: 'shenasa turn left + real2 turn right', actions: ['turn_left', 'turn_right'], frames: joined(await window(shenasa, fps0, 0, 1.6), await window(real2, fps0, 1.6, 2.6), step) });
  out.push({ kind: 'identity_switch', name: 'real2 turn left + shenasa turn right', actions: ['turn_left', 'turn_right'], frames: joined(await window(real2, fps0, 0.2, 1.65), await window(shenasa, fps0, 1.6, 3.0), step) });
  out.push({ kind: 'identity_switch', name: 'repeating_video blink + yawn open mouth', actions: ['blink', 'open_mouth'], frames: joined(await window(repeating, fps0, 0, 1.2), await window(yawn, fps0, 0.3, 3.0), step) });
  out.push({ kind: 'identity_switch', name: 'yawn open mouth + real2 turn left', actions: ['open_mouth', 'turn_left'], frames: joined(await window(yawn, fps0, 0.3, 3.0), await window(real2, fps0, 0.2, 1.65), step) });
  for (const [from, to] of [[0.8, 2.4], [2.9, 4.6], [7.2, 8.8]] as const) {
    out.push({ kind: 'identity_switch', name: `short_hamilton_clip ${from}-${to}s (a cut between people)`, actions: [], frames: await window('faces/face-recognition/examples/short_hamilton_clip.mp4', fps0, from, to) });
  }

  // wrong order: a genuine multi-action session against the reversed challenge
  for (const g of multi) out.push({ kind: 'wrong_order', name: g.name, actions: [...g.actions].reverse(), frames: g.frames });

  // shuffled frames, capture times kept in order
  for (const g of base) if (g.frames.length >= 15) out.push({ kind: 'shuffled_frames', name: g.name, actions: g.actions, frames: shuffled(g.frames, random) });

  // impossible capture times on genuine frames
  for (const g of multi.slice(0, 3)) {
    const captureMs = g.frames.at(-1)!.t;
    out.push({ kind: 'impossible_timestamps', name: `${g.name}: times reversed`, actions: g.actions, captureMs, frames: g.frames.map((f, i) => ({ t: g.frames.at(-1 - i)!.t, bytes: f.bytes })) });
    out.push({ kind: 'impossible_timestamps', name: `${g.name}: 60 fps claimed`, actions: g.actions, captureMs, frames: g.frames.map((f, i) => ({ t: Math.round(i * 1000 / 60), bytes: f.bytes })) });
    out.push({ kind: 'impossible_timestamps', name: `${g.name}: span longer than the challenge lived`, actions: g.actions, captureMs, frames: g.frames.map((f) => ({ t: f.t * 8, bytes: f.bytes })) });
    out.push({ kind: 'impossible_timestamps', name: `${g.name}: repeated times`, actions: g.actions, captureMs, frames: g.frames.map((f, i) => ({ t: g.frames[i - (i % 2)]!.t, bytes: f.bytes })) });
  }

  // too few frames
  for (const g of base.slice(0, 5)) out.push({ kind: 'too_few_frames', name: g.name, actions: g.actions, frames: g.frames.slice(0, 8) });
  return out;
}
