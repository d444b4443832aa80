import { describe, expect, it } from 'vitest';
import { editedSubmissionKey, resentUnchanged, sameReportKey } from '../../domain/report-sameness.ts';

describe('sameReportKey', () => {
  const base = { placeCode: 'A1-101', description: '门锁坏了', contact: 'a@example.org' };

  it('names a refilled form as the same report: whitespace and an address’s case do not matter', () => {
    expect(sameReportKey({ ...base, description: '  门锁\n坏了 ' })).not.toBe(sameReportKey(base));
    expect(sameReportKey({ ...base, description: '门锁 坏了' })).toBe(
      sameReportKey({ ...base, description: ' 门锁\r\n\t坏了  ' }),
    );
    expect(sameReportKey({ ...base, contact: ' A@Example.org ' })).toBe(sameReportKey(base));
    expect(sameReportKey({ ...base, name: '' })).toBe(sameReportKey(base));
  });

  it('compares the contact as it is kept, not as it was typed: one number grouped or not, full-width or not', () => {
    const phone = { ...base, contact: '13800138000' };
    for (const typed of ['138 0013 8000', '138-0013-8000', '１３８００１３８０００', ' 138 0013\t8000 '])
      expect(sameReportKey({ ...phone, contact: typed }), typed).toBe(sameReportKey(phone));
    const landline = { ...base, contact: '01062751234转123' };
    expect(sameReportKey({ ...landline, contact: '(010) 6275-1234 ext. 123' })).toBe(sameReportKey(landline));
    expect(sameReportKey({ ...base, contact: 'A＠Example。org' })).toBe(sameReportKey(base));
    // Another number is still another reporter.
    expect(sameReportKey({ ...phone, contact: '138 0013 8001' })).not.toBe(sameReportKey(phone));
  });

  it('tells different reports apart: another text, place, contact or name', () => {
    const key = sameReportKey(base);
    expect(sameReportKey({ ...base, description: '门锁坏了，窗也坏了' })).not.toBe(key);
    expect(sameReportKey({ ...base, placeCode: 'A1-102' })).not.toBe(key);
    expect(sameReportKey({ ...base, contact: undefined })).not.toBe(key);
    expect(sameReportKey({ ...base, name: '李明' })).not.toBe(key);
  });
});

describe('resentUnchanged: a form sent again under a key that holds a report', () => {
  const h = (c: string) => c.repeat(64);
  const held = {
    placeCode: 'A1-101',
    kind: 'repair',
    description: '门锁坏了',
    contact: '01062751234',
    evidence: [`evidence:ev_abcdefghijklmnop#sha256=${h('a')}`],
  };
  const resent = { ...held, photoSha256: [h('a')] };

  it('is the report when nothing was changed: refolded text, its photo again or not refilled', () => {
    expect(resentUnchanged(held, resent)).toBe(true);
    expect(resentUnchanged(held, { ...resent, description: ' 门锁坏了\r\n' })).toBe(true);
    expect(resentUnchanged(held, { ...resent, photoSha256: [] })).toBe(true);
  });

  it('is an edit when a word, the kind, the name, the contact or a photo is new', () => {
    expect(resentUnchanged(held, { ...resent, description: '门锁坏了，门也关不上' })).toBe(false);
    expect(resentUnchanged(held, { ...resent, kind: 'safety' })).toBe(false);
    expect(resentUnchanged(held, { ...resent, name: '李明' })).toBe(false);
    expect(resentUnchanged(held, { ...resent, contact: '13800138000' })).toBe(false);
    expect(resentUnchanged(held, { ...resent, photoSha256: [h('a'), h('b')] })).toBe(false);
    expect(resentUnchanged(held, { ...resent, photoSha256: [h('b')] })).toBe(false);
  });

  it('keys an edit by the form and what it carries', () => {
    const edit = { ...resent, description: '门锁坏了，门也关不上' };
    expect(editedSubmissionKey('k1', edit)).toBe(editedSubmissionKey('k1', { ...edit }));
    expect(editedSubmissionKey('k1', edit)).not.toBe(editedSubmissionKey('k2', edit));
    expect(editedSubmissionKey('k1', edit)).not.toBe(editedSubmissionKey('k1', { ...edit, kind: 'safety' }));
    expect(editedSubmissionKey('k1', edit)).toBe(
      editedSubmissionKey('k1', { ...edit, photoSha256: [...edit.photoSha256].reverse() }),
    );
  });
});
