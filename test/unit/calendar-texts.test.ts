import { describe, expect, it } from 'vitest';
import { approximateDeadlineNote } from '../../domain/calendar-note.ts';
import { missingYearMail, missingYearNotice } from '../../domain/calendar-warning.ts';

// A case keeps the calendar it pinned when it opened: no text may promise that entering a
// year's arrangement later corrects the deadlines of a case already open.
const PROMISES = [/以实际为准/, /暂按/, /公布后/, /until the State Council/, /until .* is entered/];

describe('texts about a year without official data', () => {
  it('the deadline note says why it counts weekends only and that the case keeps its calendar', () => {
    const note = approximateDeadlineNote('2027-03-02T10:00:00.000Z', 'Asia/Shanghai');
    expect(note.zh).toContain('2027 年');
    expect(note.zh).toContain('本案立案时校历中尚未录入该年的国务院节假日安排');
    expect(note.zh).toContain('只按周末计算工作日');
    expect(note.zh).toContain('不改变本期限');
    expect(note.en).toContain('was not in the calendar when the case opened');
    expect(note.en).toContain('counted with weekends only');
    expect(note.en).toContain('does not move this deadline');
    for (const p of PROMISES) {
      expect(note.zh).not.toMatch(p);
      expect(note.en).not.toMatch(p);
    }
  });

  it('the admins’ notice and mail say that cases opened before the entry keep weekends only', () => {
    const n = missingYearNotice(2027);
    expect(n.zh).toContain('在录入之前立案的案件');
    expect(n.en).toContain('cases opened before it is entered');
    for (const p of PROMISES.slice(0, 3)) expect(n.zh).not.toMatch(p);
    const mail = missingYearMail('zh-CN', {
      year: 2027,
      date: '2026-11-02',
      name: '徐老师',
      calendarUrl: 'http://localhost:3000/app/admin/calendar',
    });
    expect(mail.text).toContain('案件按立案时的校历计算');
  });
});
