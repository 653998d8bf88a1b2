/**
 * Finding the challenge actions in a series of frame measurements. Pure: it reads head pose,
 * eye and mouth state per frame (frame-signals.ts) and returns action events with their times.
 *
 * Everything is measured against the person's rest pose (the session's median pose): cameras
 * are often off-axis, so a frontal face can read 15° of yaw. Thresholds were set on the labelled real
 * clips (fixtures/clips.labels.json) and are checked by the tests and the benchmark.
 */
import type { LivenessAction } from './challenge.ts';
import type { ActionEvent } from './liveness.ts';

/** The per-frame measurements actions are read from (a face was found in the frame). */
export interface PoseSample {
  t: number;
  yawDeg: number;
  pitchDeg: number;
  /** Probability that each eye is open; undefined when the face is too small to tell (no blink is read there). */
  eyes: [number, number] | undefined;
  mouth: number;
  /** Eye aspect ratio from the landmarks. */
  ear: number;
}

export interface Rest { yawDeg: number; pitchDeg: number; mouth: number; ear: number }

export const actionThresholds = {
  /** Yaw away from rest (degrees) at which a turn starts, and that its peak must reach. */
  turnEnterDeg: 14, turnPeakDeg: 20,
  /** Pitch away from rest for a nod (down or up and back); yaw must stay below this share of it. */
  nodEnterDeg: 11, nodPeakDeg: 15, nodMaxYawShare: 0.8,
  /** Mouth opening (inner-lip gap over mouth width): above rest by, and at least, these. */
  mouthAboveRest: 0.15, mouthMin: 0.25,
  /** Both eyes below this open-probability = closed; above `eyesOpen` = open. */
  eyesClosed: 0.45, eyesOpen: 0.7,
  /** A blink's closure lasts at most this long (longer is eyes held shut), ms. */
  blinkMaxMs: 500,
  /** Open eyes must be seen within this long before and after the closure, ms. */
  blinkOpenWithinMs: 450,
  /** In a blink the landmarks' eye aspect ratio also drops below this share of its rest value. */
  blinkEarRatio: 0.85,
  /** Eyes are judged only with the head within this many degrees of rest (turned heads fool the eye model). */
  blinkFrontalDeg: 15,
  /** An event needs this many frames beyond its entry threshold. */
  minFrames: 2,
} as const;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/**
 * The rest pose: the median pose and eye aspect ratio over the session (actions are brief
 * excursions from it and come in both directions), and the mouth's 20th percentile. Measured alternatives: the first
 * second (sessions cut from real clips often start mid-action) and the densest pose cluster
 * (picked a held half-turn in apfol_real2) both missed turns in the labelled clips.
 */
export function restPose(samples: PoseSample[]): Rest {
  return {
    yawDeg: median(samples.map((s) => s.yawDeg)), pitchDeg: median(samples.map((s) => s.pitchDeg)),
    mouth: percentile(samples.map((s) => s.mouth), 0.2), ear: median(samples.map((s) => s.ear)),
  };
}

/**
 * Runs where `value` stays at or above `enter`, extended while it stays above half of it,
 * kept when the peak reaches `peak` over at least `minFrames` frames above `enter`.
 */
function excursions(samples: PoseSample[], value: (s: PoseSample) => number, enter: number, peak: number,
  accept: (peakSample: PoseSample) => boolean = () => true): { start: number; end: number; peakAt: number; strength: number; returned: boolean }[] {
  const out: { start: number; end: number; peakAt: number; strength: number; returned: boolean }[] = [];
  let i = 0;
  while (i < samples.length) {
    if (value(samples[i]!) < enter) { i++; continue; }
    let lo = i;
    while (lo > 0 && value(samples[lo - 1]!) >= enter / 2) lo--;
    let hi = i, above = 0, best = i;
    while (hi < samples.length && value(samples[hi]!) >= enter / 2) {
      if (value(samples[hi]!) >= enter) above++;
      if (value(samples[hi]!) > value(samples[best]!)) best = hi;
      hi++;
    }
    const strength = value(samples[best]!);
    if (strength >= peak && above >= actionThresholds.minFrames && accept(samples[best]!)) {
      out.push({ start: samples[lo]!.t, end: samples[hi - 1]!.t, peakAt: samples[best]!.t, strength, returned: hi < samples.length });
    }
    i = hi;
  }
  return out;
}

function blinks(samples: PoseSample[], rest: Rest): ActionEvent[] {
  const th = actionThresholds;
  const frontal = (s: PoseSample) => Math.abs(s.yawDeg - rest.yawDeg) < th.blinkFrontalDeg && Math.abs(s.pitchDeg - rest.pitchDeg) < th.blinkFrontalDeg;
  const eyes = (s: PoseSample) => (s.eyes ? Math.max(...s.eyes) : undefined);
  const open = (s: PoseSample) => frontal(s) && (eyes(s) ?? 0) >= th.eyesOpen;
  const closed = (s: PoseSample) => frontal(s) && (eyes(s) ?? 1) < th.eyesClosed;
  const out: ActionEvent[] = [];
  let i = 0;
  while (i < samples.length) {
    if (!closed(samples[i]!)) { i++; continue; }
    let j = i;
    while (j + 1 < samples.length && closed(samples[j + 1]!)) j++;
    const start = samples[i]!.t, end = samples[j]!.t;
    const before = samples.slice(0, i).reverse().find((s) => start - s.t <= th.blinkOpenWithinMs && open(s));
    const after = samples.slice(j + 1).find((s) => s.t - end <= th.blinkOpenWithinMs && open(s));
    // the closure must be bracketed by open frames with nothing in between that is neither
    const bracketed = before && after
      && samples.slice(samples.indexOf(before) + 1, i).every((s) => !open(s))
      && samples.slice(j + 1, samples.indexOf(after)).every((s) => !open(s));
    const least = samples.slice(i, j + 1).reduce((m, s) => (eyes(s)! < eyes(m)! ? s : m));
    // the lids must move in the landmarks too: the eye model alone is fooled by glare, glasses and photos
    const lidsMoved = bracketed && Math.min(...samples.slice(i, j + 1).map((s) => s.ear)) <= th.blinkEarRatio * rest.ear;
    if (bracketed && lidsMoved && end - start <= th.blinkMaxMs) {
      out.push({ action: 'blink', startMs: start, endMs: end, peakMs: least.t, strength: 1 - eyes(least)! });
    }
    i = j + 1;
  }
  return out;
}

/** Every action event in the series, in time order. */
export function detectActions(samples: PoseSample[], rest: Rest = restPose(samples)): ActionEvent[] {
  const th = actionThresholds;
  const events: ActionEvent[] = [];
  const push = (action: LivenessAction, runs: ReturnType<typeof excursions>) => {
    for (const r of runs) events.push({ action, startMs: r.start, endMs: r.end, peakMs: r.peakAt, strength: r.strength });
  };
  const dyaw = (s: PoseSample) => s.yawDeg - rest.yawDeg;
  const dpitch = (s: PoseSample) => s.pitchDeg - rest.pitchDeg;
  // turn_left: the person's own left; in an unmirrored camera frame the nose moves to image-right (yaw > 0)
  push('turn_left', excursions(samples, dyaw, th.turnEnterDeg, th.turnPeakDeg));
  push('turn_right', excursions(samples, (s) => -dyaw(s), th.turnEnterDeg, th.turnPeakDeg));
  const nodding = (s: PoseSample) => Math.abs(dyaw(s)) <= th.nodMaxYawShare * Math.abs(dpitch(s));
  const nods = [
    ...excursions(samples, (s) => -dpitch(s), th.nodEnterDeg, th.nodPeakDeg, nodding),
    ...excursions(samples, dpitch, th.nodEnterDeg, th.nodPeakDeg, nodding),
  ].filter((r) => r.returned);
  push('nod', nods);
  push('open_mouth', excursions(samples, (s) => (s.mouth >= th.mouthMin ? s.mouth - rest.mouth : 0), th.mouthAboveRest, th.mouthAboveRest));
  events.push(...blinks(samples, rest));
  return events.sort((a, b) => a.peakMs - b.peakMs);
}
