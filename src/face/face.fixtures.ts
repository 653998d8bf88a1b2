/**
 * Real photos from ../shared/data used by the face engine's tests (see that folder's README
 * for sources and licences; nothing is copied into the repository).
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';

export const sharedData = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

const faceRecognition = `${sharedData}faces/face-recognition/`;
/** face_recognition's example photos (MIT): two people, one of them at several resolutions. */
export const photos = {
  obama: `${faceRecognition}examples/obama.jpg`,
  obama2: `${faceRecognition}examples/obama2.jpg`,
  obama3: `${faceRecognition}tests/test_images/obama3.jpg`,
  obama240p: `${faceRecognition}examples/obama-240p.jpg`,
  obama1080p: `${faceRecognition}examples/obama-1080p.jpg`,
  obamaPartial: `${faceRecognition}tests/test_images/obama_partial_face.jpg`,
  biden: `${faceRecognition}examples/biden.jpg`,
  twoPeople: `${faceRecognition}examples/two_people.jpg`,
  png32bit: `${faceRecognition}tests/test_images/32bit.png`,
  lfw: (name: string, n: number) => `${sharedData}lfw/images/${name}/${name}_${String(n).padStart(4, '0')}.jpg`,
  /** A phone selfie clip frame with the eyes held shut (liveness/clips/README.md: 5.9-8.1 s). */
  eyesShutClip: `${sharedData}liveness/clips/repeating_video.mp4`,
  /** A man yawning in a car (liveness/clips README: mouth wide open about 0.8-2.3 s). */
  yawnClip: `${sharedData}liveness/clips/hippoyd_yawn_output_video.gif`,
  dogs: `${sharedData}faces/dlib-johns/examples/faces/dogs.jpg`,
  cardSideways: `${sharedData}documents/cn-idcard-synthetic/chineseocr_card_xiaojing.png`,
  cardScreenshot: `${sharedData}documents/cn-idcard-synthetic/chineseocr_card_xiaojing_with_ocr_result_screenshot.png`,
};

export const read = (file: string): Buffer => readFileSync(file);

/** Derived: the lower part of a real photo (suit and background, below the chin), no face in it. */
export async function photoWithoutFace(): Promise<Buffer> {
  const src = read(photos.obama);
  const { width = 0, height = 0 } = await sharp(src).metadata();
  return sharp(src).extract({ left: 0, top: Math.round(height * 0.72), width, height: height - Math.round(height * 0.72) }).jpeg().toBuffer();
}
