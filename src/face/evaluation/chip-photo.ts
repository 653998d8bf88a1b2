/**
 * A chip-like ID photo derived from an ordinary face photo, for calibration and the
 * benchmark's ID-photo path: the head-and-shoulders part cropped to the 102x126 format of
 * the chip in a Chinese resident ID card, colour mostly washed out, contrast lowered, brightness
 * raised, and JPEG at low quality — what an old, much-compressed document photo looks like.
 */
import sharp from 'sharp';

export const chipWidth = 102;
export const chipHeight = 126;

/**
 * `photo`: an LFW-style portrait with the face centred (250x250 deep-funneled). The crop keeps
 * the face about 58% of the width, as on ID photos.
 */
export async function toChipPhoto(photo: Uint8Array, quality = 30): Promise<Buffer> {
  const img = sharp(photo);
  const { width = 250, height = 250 } = await img.metadata();
  const cropW = Math.round(width * 0.76), cropH = Math.min(height, Math.round(cropW * chipHeight / chipWidth));
  const left = Math.round((width - cropW) / 2), top = Math.max(0, Math.round((height - cropH) / 2) - Math.round(height * 0.02));
  return sharp(photo)
    .extract({ left, top, width: cropW, height: Math.min(cropH, height - top) })
    .resize(chipWidth, chipHeight, { fit: 'fill' })
    .modulate({ saturation: 0.35, brightness: 1.12 })
    .linear(0.75, 40)
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
}
