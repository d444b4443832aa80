import { describe, expect, it } from 'vitest';
import { checkedFile, EvidenceError } from '../../store/evidence.ts';
import { fakeFiles } from '../support/evidence-files.ts';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => (err instanceof EvidenceError ? err : Promise.reject(err)),
  );

describe('checkedFile where only photos are taken', () => {
  it('says a text file sent as a JPEG is no photo, whatever its name', async () => {
    const text = new File(['just some notes'], 'notes.txt', { type: 'image/jpeg' });
    const err = await refusal(checkedFile({ file: text, photosOnly: true }));
    expect(err?.text.zh).toContain('只能上传照片');
    expect(err?.text.en).toContain('only photos');
    expect(err?.field).toBe('file');
  });

  // A phone names and declares a photo as it likes: a real photo under another photo's name is
  // kept as what its bytes are, its name taking the right extension (store/evidence.ts keptAs).
  it('keeps a real photo under another photo extension as what it is', async () => {
    const jpeg = new File([fakeFiles.jpeg()], 'photo.png', { type: 'image/png' });
    const checked = await checkedFile({ file: jpeg, photosOnly: true });
    expect(checked.declared.contentType).toBe('image/jpeg');
    expect(checked.declared.fileName).toBe('photo.jpg');
  });

  it('still tells a real photo under a name that is no photo’s about its name', async () => {
    const jpeg = new File([fakeFiles.jpeg()], 'photo.pdf', { type: 'image/jpeg' });
    const err = await refusal(checkedFile({ file: jpeg, photosOnly: true }));
    expect(err?.field).toBe('fileName');
    expect(err?.text.zh).toContain('扩展名');
  });

  it('takes a photo as it is', async () => {
    const jpeg = new File([fakeFiles.jpeg()], 'photo.jpg', { type: 'image/jpeg' });
    const checked = await checkedFile({ file: jpeg, photosOnly: true });
    expect(checked.declared.contentType).toBe('image/jpeg');
  });
});
