import { createHash, randomBytes } from 'node:crypto';

/**
 * Small files built like each accepted type (signature, header, end marker: what the store checks),
 * with random bytes inside so every call gives a different file and hash. `size` is exact.
 */
const build = (head: number[] | string, tail: number[] | string, size: number): Buffer => {
  const bytes = (x: number[] | string) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x));
  const [start, end] = [bytes(head), bytes(tail)];
  return Buffer.concat([start, randomBytes(Math.max(0, size - start.length - end.length)), end]);
};

const JPEG_HEAD = [
  ...[0xff, 0xd8],
  ...[
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ],
  // A 16×16 frame of one component, then the scan's header.
  ...[0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00],
  ...[0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00],
];

const png = (size: number) => {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const ihdr = [
    0,
    0,
    0,
    13,
    ...Buffer.from('IHDR'),
    0,
    0,
    0,
    16,
    0,
    0,
    0,
    16,
    8,
    2,
    0,
    0,
    0,
    0x90,
    0x91,
    0x68,
    0x36,
  ];
  const iend = [0, 0, 0, 0, ...Buffer.from('IEND'), 0xae, 0x42, 0x60, 0x82];
  const data = Math.max(0, size - signature.length - ihdr.length - iend.length - 12);
  const idat = Buffer.alloc(8);
  idat.writeUInt32BE(data);
  idat.write('IDAT', 4, 'latin1');
  return build([...signature, ...ihdr, ...idat], [...randomBytes(4), ...iend], size);
};

export const fakeFiles = {
  jpeg: (size = 2048) => {
    const b = build(JPEG_HEAD, [0xff, 0xd9], size);
    // Coded scan data never holds a bare 0xFF (a real one is stuffed as FF 00): none before the end marker.
    for (let i = JPEG_HEAD.length; i < b.length - 2; i++) if (b[i] === 0xff) b[i] = 0x7f;
    return b;
  },
  png: (size = 2048) => png(size),
  webp: (size = 2048) => {
    const b = build('RIFF\0\0\0\0WEBPVP8 \0\0\0\0', '', size);
    b.writeUInt32LE(size - 8, 4);
    b.writeUInt32LE(size - 20, 16);
    return b;
  },
  pdf: (size = 2048) => build('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', '\n%%EOF\n', size),
  text: (size = 2048) => Buffer.from('这不是照片 not a photo\n'.repeat(Math.ceil(size / 20)).slice(0, size)),
  /** A PNG's signature before bytes that are no PNG: what a probe calls a photo. */
  signatureOnlyPng: () => Buffer.from('\x89PNG\r\n\x1a\nnotreally', 'latin1'),
};

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A PUT to a presigned URL the way a browser's fetch sends it (Content-Length from the body). */
export async function putTo(url: string, body: Uint8Array, contentType: string) {
  const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': contentType } });
  return { status: res.status, text: await res.text() };
}
