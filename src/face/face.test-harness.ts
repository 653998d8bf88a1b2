/**
 * Test harness only: a FaceVerifier whose decisions the test scripts, for exercising the
 * workflow around the face step before and independently of the real engine. It refuses to
 * exist unless PORTRAIT_TEST_HARNESS (config.testHarness) is on, and the server never wires it.
 */
import type { FaceDecision, FaceImages, FaceVerifier } from './face.ts';

export interface ScriptedFaceVerifier extends FaceVerifier {
  /** Queue the next decisions (match or not); when empty, `fallback` decides. */
  next(...matches: boolean[]): void;
  calls: FaceImages[];
}

export function scriptedFaceVerifier(opts: { testHarness: boolean; fallback?: boolean }): ScriptedFaceVerifier {
  if (!opts.testHarness) throw new Error('The scripted face verifier exists only in the test harness');
  const queue: boolean[] = [];
  const calls: FaceImages[] = [];
  return {
    calls,
    next(...matches) { queue.push(...matches); },
    async verify(images, targetFmr): Promise<FaceDecision> {
      calls.push(images);
      const match = queue.shift() ?? opts.fallback ?? true;
      return {
        match, compared: true, score: match ? 0.82 : 0.21, threshold: 0.5, targetFmr, estimatedFmr: match ? 1e-6 : 0.3,
        engine: 'test-harness/scripted', reasons: match ? [] : ['face.no_match'],
      };
    },
  };
}
