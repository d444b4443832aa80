import { describe, expect, it } from 'vitest';
import { placeInCell, reportGist, zeroReportBody } from '../../domain/zero-report.ts';

describe('zero report entries', () => {
  it('refuses hostile text in any field, by its path', () => {
    const fields = (body: unknown) => {
      const r = zeroReportBody.safeParse(body);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(fields({ late: [{ room: 'A101', name: '\u202eevil\u0000', note: '\u200b\u200b' }] })).toEqual([
      'late.0.name',
      'late.0.note',
    ]);
    expect(fields({ absent: [{ room: '\u200b' }] })).toEqual(['absent.0.room']);
    expect(fields({ absent: [{ room: 'A101\r\n' + 'A102' }] })).toEqual(['absent.0.room']);
    // A note may run over lines, and may be left empty.
    expect(fields({ absent: [{ room: 'A101', name: '李四', note: '未归\n电话不通' }] })).toEqual([]);
    expect(fields({ absent: [{ room: 'A101', note: '' }] })).toEqual([]);
  });

  it('places rooms in the cell, spelt as the directory spells them, and lists the others', () => {
    const placed = placeInCell(['A101', 'A102'], {
      late: [{ room: 'a101' }, { room: 'ZZZ999', name: '王五' }],
      absent: [{ room: 'A102', name: '李四' }, { room: 'A206' }],
    });
    expect(placed.late[0]).toEqual({ room: 'A101' });
    expect(placed.outside).toEqual([
      { field: 'late.1.room', room: 'ZZZ999' },
      { field: 'absent.1.room', room: 'A206' },
    ]);
  });

  it('says what a report holds in both languages', () => {
    expect(reportGist({ late: [], absent: [{ room: 'A102', name: '李四', note: 'x' }] })).toEqual({
      zh: '未归 1 人（A102 李四）',
      en: '1 absent (A102 李四)',
    });
    expect(reportGist({ late: [{ room: 'A101' }], absent: [] }).zh).toBe('晚归 1 人（A101）');
    expect(reportGist({ late: [], absent: [] })).toEqual({ zh: '无晚归、未归', en: 'nobody late or absent' });
  });
});
