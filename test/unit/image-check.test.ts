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

  it('refuses a WebP whose RIFF size is not the file’s, or without an image chunk', () => {
    const webp = fakeFiles.webp();
    expect(isWellFormed('image/webp', Buffer.concat([webp, Buffer.alloc(8)]))).toBe(false);
    const noImage = Buffer.from(webp);
    noImage.write('JUNK', 12, 'latin1');
    expect(isWellFormed('image/webp', noImage)).toBe(false);
  });

  it('refuses a PDF without its end-of-file marker', () => {
    const pdf = fakeFiles.pdf();
    expect(isWellFormed('application/pdf', pdf.subarray(0, pdf.length - 7))).toBe(false);
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
