import { createHash, randomBytes } from 'node:crypto';

/**
 * Small files whose first bytes are those of each accepted type (the store sniffs only the
 * start), padded with random bytes so every call gives a different file and hash.
 */
const pad = (head: number[] | string, size: number): Buffer => {
  const start = typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head);
  return Buffer.concat([start, randomBytes(Math.max(0, size - start.length))]);
};

export const fakeFiles = {
  jpeg: (size = 2048) => pad([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], size),
  png: (size = 2048) => pad([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d], size),
  webp: (size = 2048) => {
    const b = pad('RIFF\0\0\0\0WEBPVP8 ', size);
    b.writeUInt32LE(size - 8, 4);
    return b;
  },
  pdf: (size = 2048) => pad('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', size),
  text: (size = 2048) => Buffer.from('这不是照片 not a photo\n'.repeat(Math.ceil(size / 20)).slice(0, size)),
};

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A PUT to a presigned URL the way a browser's fetch sends it (Content-Length from the body). */
export async function putTo(url: string, body: Uint8Array, contentType: string) {
  const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': contentType } });
  return { status: res.status, text: await res.text() };
}
