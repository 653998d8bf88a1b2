/**
 * Do the actions seen match the actions asked, in the asked order and each in its time window?
 * Pure. Blinks happen on their own, so a spontaneous blink never counts against a session; a
 * deliberate action (turn, nod, open mouth) asked later but done before the one asked now means
 * the person (or the recording) follows another script: wrong order.
 */
import type { LivenessAction } from './challenge.ts';
import type { ActionEvent, LivenessReason } from './liveness.ts';

export const sequenceLimits = {
  /** The first action must peak within this long after the first frame, ms. */
  firstWithinMs: 6000,
  /** Each further action must peak within this long after the previous one ended, ms. */
  nextWithinMs: 5000,
  /** Two actions may overlap by this much (a head coming back while the eyes blink), ms. */
  overlapMs: 250,
} as const;

export interface SequenceResult {
  asked: { action: LivenessAction; found: ActionEvent | null }[];
  reasons: LivenessReason[];
}

export function matchSequence(asked: LivenessAction[], events: ActionEvent[], firstFrameMs = 0): SequenceResult {
  const result: SequenceResult['asked'] = asked.map((action) => ({ action, found: null }));
  const reasons = new Set<LivenessReason>();
  let cursor = firstFrameMs, prevEnd: number | undefined;
  for (const [i, action] of asked.entries()) {
    const later = new Set<LivenessAction>(asked.slice(i + 1).filter((a) => a !== 'blink'));
    const candidates = events.filter((e) => e.action === action && e.startMs >= cursor - sequenceLimits.overlapMs);
    const hit = candidates[0];
    if (!hit) {
      reasons.add(events.some((e) => e.action === action) ? 'liveness.wrong_order' : 'liveness.action_missing');
      break;
    }
    // a later-asked deliberate action done (wholly) before this one: another script
    if (events.some((e) => later.has(e.action) && e.peakMs >= cursor && e.endMs < hit.startMs)) {
      reasons.add('liveness.wrong_order');
      break;
    }
    const window = prevEnd === undefined ? sequenceLimits.firstWithinMs : sequenceLimits.nextWithinMs;
    if (hit.peakMs - (prevEnd ?? firstFrameMs) > window) {
      reasons.add('liveness.too_slow');
      break;
    }
    result[i]!.found = hit;
    prevEnd = hit.endMs;
    cursor = hit.endMs;
  }
  return { asked: result, reasons: [...reasons] };
}
