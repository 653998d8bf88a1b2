/** Image files chosen by the agent, made ready to send: base64, large photos scaled down first. */

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A photo of a document as JPEG base64, at most `maxSide` px on its longer side (a phone photo of 12 MP is needlessly large). */
export async function photoToBase64(file: Blob, maxSide = 1600): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && file.type === 'image/jpeg') {
    bitmap.close();
    return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
  if (!blob) throw new Error('The browser could not encode the photo');
  return bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
}

/** The MIME type of base64 image bytes, for showing them in an <img>. */
export function imageMime(b64: string): string {
  if (b64.startsWith('/9j/')) return 'image/jpeg';
  if (b64.startsWith('iVBOR')) return 'image/png';
  if (b64.startsWith('Qk')) return 'image/bmp';
  if (b64.startsWith('UklGR')) return 'image/webp';
  return 'application/octet-stream';
}
