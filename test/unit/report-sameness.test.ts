import { describe, expect, it } from 'vitest';
import { sameReportKey } from '../../domain/report-sameness.ts';

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

  it('tells different reports apart: another text, place, contact or name', () => {
    const key = sameReportKey(base);
    expect(sameReportKey({ ...base, description: '门锁坏了，窗也坏了' })).not.toBe(key);
    expect(sameReportKey({ ...base, placeCode: 'A1-102' })).not.toBe(key);
    expect(sameReportKey({ ...base, contact: undefined })).not.toBe(key);
    expect(sameReportKey({ ...base, name: '李明' })).not.toBe(key);
  });
});
