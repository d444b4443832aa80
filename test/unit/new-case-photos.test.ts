import { describe, expect, it } from 'vitest';
import { evidenceRef } from '../../store/evidence.ts';
import {
  PHOTO_LINE,
  photoLineLength,
  photosOfClaim,
  samePhotos,
  withPhotoCount,
  withPhotoLine,
} from '../../api/pages/app/new-case-photos.ts';
import { fakeFiles, sha256 } from '../support/evidence-files.ts';

const ref = (n: number, hash = String(n).repeat(64).slice(0, 64)) =>
  evidenceRef(`ev_${String(n).repeat(16).slice(0, 16)}`, hash);

describe('the new-case photo line', () => {
  it('takes exactly the characters the description is checked against', () => {
    for (const n of [1, 2, 3]) {
      const refs = [1, 2, 3].slice(0, n).map((k) => ref(k));
      expect(withPhotoLine('描述', refs).length - '描述'.length).toBe(photoLineLength(n));
    }
    expect(photoLineLength(0)).toBe(0);
    expect(withPhotoLine('描述', [])).toBe('描述');
  });

  it('is read back from an opened case’s input, and nothing else is', () => {
    const refs = [ref(1), ref(2)];
    const payload = JSON.stringify({ description: withPhotoLine(`看到 ${ref(9)}\n第二行`, refs) });
    expect(photosOfClaim(payload)).toEqual(refs);
    expect(photosOfClaim('{"description":"no photos"}')).toEqual([]);
    expect(photosOfClaim('not json')).toEqual([]);
    expect(withPhotoLine('x', refs).split('\n')[1]?.startsWith(PHOTO_LINE)).toBe(true);
  });

  it('knows a resend of the same photos, or of none, from other photos', async () => {
    const bytes = fakeFiles.jpeg();
    const file = new File([new Uint8Array(bytes)], 'a.jpg', { type: 'image/jpeg' });
    const claimed = [ref(1, sha256(bytes))];
    expect(await samePhotos(claimed, [file], [])).toBe(true);
    expect(await samePhotos(claimed, [], [])).toBe(true);
    expect(await samePhotos(claimed, [], [{ ref: claimed[0]!, fileName: 'a.jpg' }])).toBe(true);
    const other = new File([new Uint8Array(fakeFiles.jpeg())], 'b.jpg', { type: 'image/jpeg' });
    expect(await samePhotos(claimed, [other], [])).toBe(false);
    expect(await samePhotos(claimed, [file, file], [])).toBe(false);
  });
});

describe('the new-case flash', () => {
  it('counts the photos in words, singular and plural', () => {
    expect(withPhotoCount(0)).toEqual({ zh: '', en: '' });
    expect(withPhotoCount(1)).toEqual({ zh: '，附照片 1 张', en: ' with 1 photo' });
    expect(withPhotoCount(2)).toEqual({ zh: '，附照片 2 张', en: ' with 2 photos' });
  });
});
