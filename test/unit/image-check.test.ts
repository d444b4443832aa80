import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isWellFormed } from '../../store/image-check.ts';
import { checkedFile, EvidenceError } from '../../store/evidence.ts';
import { fakeFiles } from '../support/evidence-files.ts';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('isWellFormed', () => {
  it('takes files built like their type', () => {
    expect(isWellFormed('image/jpeg', fakeFiles.jpeg())).toBe(true);
    expect(isWellFormed('image/png', fakeFiles.png())).toBe(true);
    expect(isWellFormed('image/webp', fakeFiles.webp())).toBe(true);
    expect(isWellFormed('application/pdf', fakeFiles.pdf())).toBe(true);
  });

  it('allows zero padding after a JPEG or PNG end marker', () => {
    const pad = Buffer.alloc(64);
    expect(isWellFormed('image/jpeg', Buffer.concat([fakeFiles.jpeg(), pad]))).toBe(true);
    expect(isWellFormed('image/png', Buffer.concat([fakeFiles.png(), pad]))).toBe(true);
  });

  it('takes a phone’s motion photo: a JPEG with its video after the end marker', () => {
    const video = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42', 'latin1'), Buffer.alloc(256, 0x42)]);
    expect(isWellFormed('image/jpeg', Buffer.concat([fakeFiles.jpeg(), video]))).toBe(true);
  });

  it('refuses a signature before bytes of anything else', () => {
    expect(isWellFormed('image/png', fakeFiles.signatureOnlyPng())).toBe(false);
    expect(isWellFormed('image/jpeg', latin1('\xff\xd8\xffnotreally\xff\xd9'))).toBe(false);
    expect(isWellFormed('image/webp', latin1('RIFF\x0c\0\0\0WEBPnotreally'))).toBe(false);
    expect(isWellFormed('application/pdf', latin1('%PDF-notreally'))).toBe(false);
  });

  it('refuses a PNG without its end, or with a zero width', () => {
    const png = fakeFiles.png();
    expect(isWellFormed('image/png', png.subarray(0, png.length - 12))).toBe(false);
    const flat = Buffer.from(png);
    flat.writeUInt32BE(0, 16);
    expect(isWellFormed('image/png', flat)).toBe(false);
  });

  it('refuses a cut-off JPEG and one whose header holds no frame', () => {
    const jpeg = fakeFiles.jpeg();
    expect(isWellFormed('image/jpeg', jpeg.subarray(0, jpeg.length - 100))).toBe(false);
    const noFrame = Buffer.from(jpeg);
    noFrame[21] = 0xe1; // the frame segment becomes an application segment
    expect(isWellFormed('image/jpeg', noFrame)).toBe(false);
  });

  it('refuses a WebP whose RIFF size claims more than the file holds, or without an image chunk', () => {
    const webp = fakeFiles.webp();
    expect(isWellFormed('image/webp', webp.subarray(0, webp.length - 1))).toBe(false);
    const noImage = Buffer.from(webp);
    noImage.write('JUNK', 12, 'latin1');
    expect(isWellFormed('image/webp', noImage)).toBe(false);
  });

  it('refuses a PDF without its end-of-file marker', () => {
    const pdf = fakeFiles.pdf();
    expect(isWellFormed('application/pdf', pdf.subarray(0, pdf.length - 7))).toBe(false);
  });
});

/** Files built byte by byte the way the readers browsers use (libjpeg, libpng, libwebp) take them. */
const bytes = (...parts: (readonly number[] | Uint8Array | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? latin1(p) : Buffer.from(p))));
const zeros = (n: number) => new Array<number>(n).fill(0);

describe('isWellFormed reads what image readers read', () => {
  const SOI = [0xff, 0xd8];
  const APP0 = bytes([0xff, 0xe0, 0x00, 0x10], 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]);
  // A 16×16 frame of one component, then the scan's header and coded data without a bare 0xFF.
  const SOF0 = [0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00];
  const SOS = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
  const SCAN = Array.from({ length: 96 }, (_, k) => (k * 37) % 0xff);
  const EOI = [0xff, 0xd9];

  it('takes a JPEG with stray bytes between its segments, as libjpeg does', () => {
    expect(isWellFormed('image/jpeg', bytes(SOI, APP0, zeros(32), SOF0, SOS, SCAN, EOI))).toBe(true);
    expect(isWellFormed('image/jpeg', bytes(SOI, APP0, [0x0d, 0x0a], SOF0, zeros(3), SOS, SCAN, EOI))).toBe(
      true,
    );
  });

  it('still refuses a JPEG with stray bytes but no frame, no scan, or no end after the scan', () => {
    expect(isWellFormed('image/jpeg', bytes(SOI, APP0, zeros(32), SOS, SCAN, EOI))).toBe(false);
    expect(isWellFormed('image/jpeg', bytes(SOI, APP0, zeros(32), SOF0, zeros(96), EOI))).toBe(false);
    expect(isWellFormed('image/jpeg', bytes(SOI, APP0, zeros(32), SOF0, SOS, SCAN))).toBe(false);
    expect(isWellFormed('image/jpeg', bytes(SOI, APP0, zeros(4096)))).toBe(false);
  });

  it('refuses a frame or scan header whose length is not its component count’s, as libjpeg does', () => {
    const threeComponents = [...SOF0];
    threeComponents[9] = 3; // one component's 3 bytes follow, not three's 9
    expect(isWellFormed('image/jpeg', bytes(SOI, APP0, threeComponents, SOS, SCAN, EOI))).toBe(false);
    const twoComponents = [...SOS];
    twoComponents[4] = 2;
    expect(isWellFormed('image/jpeg', bytes(SOI, APP0, SOF0, twoComponents, SCAN, EOI))).toBe(false);
  });

  it('refuses a megabyte of binary junk after a JPEG signature, stray bytes skipped or not', () => {
    // xorshift32: the same junk on every run. Skipping stray bytes alone lets some of these pass.
    const junk = (seed: number) => {
      const b = Buffer.alloc(1 << 20);
      let x = seed;
      for (let k = 0; k < b.length; k++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        b[k] = x & 0xff;
      }
      b.set([...SOI, 0xff]);
      return b;
    };
    for (let seed = 1; seed <= 32; seed++) expect(isWellFormed('image/jpeg', junk(seed))).toBe(false);
  });

  const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const chunk = (type: string, data: readonly number[]) => {
    const body = bytes(type, data);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 4 + body.length);
    return out;
  };
  // 16×16, 8-bit RGB.
  const ihdr = (width: number) => chunk('IHDR', [0, 0, 0, width, 0, 0, 0, 16, 8, 2, 0, 0, 0]);
  const IDAT = chunk('IDAT', [0x78, 0x9c, ...zeros(40)]);
  const IEND = chunk('IEND', []);
  const TRAILER = latin1('an editor’s trailer after the image\x01');

  it('takes a PNG with data after its IEND chunk, as libpng does', () => {
    expect(isWellFormed('image/png', bytes(PNG_SIGNATURE, ihdr(16), IDAT, IEND, TRAILER))).toBe(true);
  });

  it('still refuses a PNG with data at its end but no IEND chunk, or a bad IHDR', () => {
    expect(isWellFormed('image/png', bytes(PNG_SIGNATURE, ihdr(16), IDAT, TRAILER))).toBe(false);
    const badIend = bytes(IEND.subarray(0, 8), zeros(4)); // its CRC wrong
    expect(isWellFormed('image/png', bytes(PNG_SIGNATURE, ihdr(16), IDAT, badIend, TRAILER))).toBe(false);
    expect(isWellFormed('image/png', bytes(PNG_SIGNATURE, ihdr(0), IDAT, IEND, TRAILER))).toBe(false);
  });

  // A VP8 key frame's header: frame tag, start code, 16×16.
  const VP8 = [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x10, 0x00, 0x10, 0x00, ...zeros(22)];
  const webp = (riffSize: number, chunkSize: number, after: readonly number[]) => {
    const head = Buffer.alloc(20);
    head.write('RIFF', 0, 'latin1');
    head.writeUInt32LE(riffSize, 4);
    head.write('WEBPVP8 ', 8, 'latin1');
    head.writeUInt32LE(chunkSize, 16);
    return bytes(head, VP8, after);
  };
  // "WEBP", the chunk's header and its data.
  const RIFF_SIZE = 4 + 8 + VP8.length;

  it('takes a WebP with a byte after its RIFF, as libwebp does', () => {
    expect(isWellFormed('image/webp', webp(RIFF_SIZE, VP8.length, [0x00]))).toBe(true);
    expect(isWellFormed('image/webp', webp(RIFF_SIZE, VP8.length, [0x0a]))).toBe(true);
  });

  it('still refuses a WebP whose RIFF or image chunk claims more than it holds', () => {
    expect(isWellFormed('image/webp', webp(RIFF_SIZE + 2, VP8.length, [0x00]))).toBe(false);
    expect(isWellFormed('image/webp', webp(RIFF_SIZE, VP8.length + 1, [0x00]))).toBe(false);
    expect(isWellFormed('image/webp', webp(8, 0, [0x00]))).toBe(false);
  });
});

describe('checkedFile with a fake photo', () => {
  it('names the file and says it is not a readable image', async () => {
    const file = new File([fakeFiles.signatureOnlyPng()], 'fake.png', { type: 'image/png' });
    for (const photosOnly of [true, false]) {
      const err = await checkedFile({ file, photosOnly }).then(
        () => null,
        (e: unknown) => (e instanceof EvidenceError ? e : Promise.reject(e)),
      );
      expect(err?.field).toBe('file');
      expect(err?.text.zh).toContain('文件 fake.png 不是可读的 PNG 图片');
      expect(err?.text.en).toContain('the file fake.png is not a readable PNG image');
    }
  });
});
