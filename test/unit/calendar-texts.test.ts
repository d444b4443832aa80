import { describe, expect, it } from 'vitest';
import { approximateDeadlineNote } from '../../domain/calendar-note.ts';
import { missingYearMail, missingYearNotice } from '../../domain/calendar-warning.ts';

// A year entered on the calendar page reaches the running cases (the calendar broadcast): the texts
// say a deadline counts weekends only until then and is recounted once the year is entered, never
// that it stays so for good, and never guess the year's arrangement.
const GUESSES = [/以实际为准/, /暂按/, /until the State Council/];
const FOR_GOOD = [
  /始终/,
  /不改变本期限/,
  /for good/,
  /does not move this deadline/,
  /keeps the calendar it opened with/,
];

describe('texts about a year without official data', () => {
  it('the deadline note says why it counts weekends only and that entering the year recounts it', () => {
    const note = approximateDeadlineNote('2027-03-02T10:00:00.000Z', 'Asia/Shanghai');
    expect(note.zh).toContain('2027 年');
    expect(note.zh).toContain('校历中尚未录入该年的国务院节假日安排');
    expect(note.zh).toContain('只按周末计算工作日');
    expect(note.zh).toContain('本期限若尚未超时，几分钟内即按录入的安排重新计算');
    expect(note.en).toContain('is not in the calendar yet');
    expect(note.en).toContain('counted with weekends only');
    expect(note.en).toContain('if not yet overdue, is recounted with it within minutes');
    for (const p of [...GUESSES, ...FOR_GOOD]) {
      expect(note.zh).not.toMatch(p);
      expect(note.en).not.toMatch(p);
    }
  });

  it('the admins’ notice and mail say that running cases are recounted once the year is entered', () => {
    const n = missingYearNotice(2027);
    expect(n.zh).toContain('落在 2027 年的期限目前只按周末计算工作日');
    expect(n.zh).toContain('进行中的案件也会在几分钟内重新计算尚未超时的期限');
    expect(n.en).toContain('running cases recount their deadlines not yet overdue within minutes');
    for (const p of [...GUESSES, ...FOR_GOOD]) {
      expect(n.zh).not.toMatch(p);
      expect(n.en).not.toMatch(p);
    }
    const mail = missingYearMail('zh-CN', {
      year: 2027,
      date: '2026-11-02',
      name: '徐老师',
      calendarUrl: 'http://localhost:3000/app/admin/calendar',
    });
    expect(mail.text).toContain('进行中的案件也会在几分钟内重新计算尚未超时的期限');
  });
});
