import { describe, expect, it } from 'vitest';
import { duties, ownerNames, windowsOn, type DutyCalendar } from '../../domain/duties.ts';

describe('duty labels', () => {
  it('a term named in both languages by the calendar gives each reader their half', () => {
    const cal: DutyCalendar = {
      terms: [{ name: '2026-2027学年第一学期 / autumn term 2026', from: '2026-09-07', to: '2027-01-15' }],
      holidays: [],
      isWorkingDay: () => true,
    };
    const termly = duties.find((d) => d.frequency === 'term')!;
    expect(windowsOn(termly, '2026-10-10', cal)[0]?.periodLabel).toEqual({
      zh: '2026-2027学年第一学期',
      en: 'autumn term 2026',
    });
  });
  it('the building’s supervisors are 主管, as everywhere else', () => {
    expect(ownerNames.supervisors.zh).toBe('楼栋主管');
  });
});
