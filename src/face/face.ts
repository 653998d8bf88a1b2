/**
 * The face engine as the rest of Portrait sees it: one 1:1 decision between an ID photo and
 * a live capture, at a target false-match rate. The engine itself (detection, alignment,
 * embeddings, calibration) lives behind this interface; without one, the face step refuses
 * and only the manual-review path is open.
 */
export interface FaceImages {
  /** The document's photo: chip photo (about 102x126) or a crop of a photographed card. */
  idPhoto: Uint8Array;
  /** The live capture (best frontal frame of the liveness sequence). */
  livePhoto: Uint8Array;
}

export interface FaceDecision {
  match: boolean;
  /** False when a photo was refused (no face, several faces, poor live capture): `score` is then 0. */
  compared: boolean;
  /** Cosine similarity of the two embeddings (higher = more alike). */
  score: number;
  threshold: number;
  targetFmr: number;
  /** False-match rate estimated at this score from the calibration data. */
  estimatedFmr: number;
  engine: string;
  /** Quality findings and refusal reasons with stable codes (e.g. `face.none_detected`). */
  reasons: string[];
}

export interface FaceVerifier {
  verify(images: FaceImages, targetFmr: number): Promise<FaceDecision>;
}
