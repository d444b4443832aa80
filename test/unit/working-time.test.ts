import { describe, expect, it } from 'vitest';
import { createCalendar, localTimeToInstant } from '../../domain/calendar.ts';
import { addWorkingTime, workingDayMs, workingTimeBetween } from '../../domain/working-time.ts';

const tz = 'Asia/Shanghai';
const at = (date: string, time: string) => localTimeToInstant(date, time, tz);
const HOUR = 3_600_000;
const calendar = createCalendar();
const opts = { timeZone: tz, isWorkingDay: (d: string) => calendar.isWorkingDay(d) };

describe('addWorkingTime (08:00-20:00 on working days)', () => {
  it('counts within one working day', () => {
    expect(addWorkingTime(at('2026-11-03', '09:00'), 2 * HOUR, opts)).toBe(at('2026-11-03', '11:00'));
    expect(addWorkingTime(at('2026-11-03', '09:00'), 11 * HOUR, opts)).toBe(at('2026-11-03', '20:00'));
  });
  it('skips the night', () => {
    expect(addWorkingTime(at('2026-11-03', '19:00'), 2 * HOUR, opts)).toBe(at('2026-11-04', '09:00'));
    expect(addWorkingTime(at('2026-11-03', '02:00'), HOUR, opts)).toBe(at('2026-11-03', '09:00'));
  });
  it('skips weekends and official holidays, and counts make-up working days', () => {
    // Friday 19:00 plus 2 hours: Monday 09:00.
    expect(addWorkingTime(at('2026-11-06', '19:00'), 2 * HOUR, opts)).toBe(at('2026-11-09', '09:00'));
    // National Day 2026: 1-7 October off; Saturday 10 October is a make-up working day.
    expect(addWorkingTime(at('2026-09-30', '19:00'), 2 * HOUR, opts)).toBe(at('2026-10-08', '09:00'));
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(addWorkingTime(at('2026-10-09', '19:00'), 2 * HOUR, opts)).toBe(at('2026-10-10', '09:00'));
  });
  it('one working day of working time is the next working day at the same hour', () => {
    expect(addWorkingTime(at('2026-11-06', '10:00'), workingDayMs(), opts)).toBe(at('2026-11-09', '10:00'));
  });
  it('zero is the start itself, even outside working hours; all-day hours count every hour of a working day', () => {
    expect(addWorkingTime(at('2026-11-07', '23:00'), 0, opts)).toBe(at('2026-11-07', '23:00'));
    const allDay = { ...opts, hours: { from: '00:00', to: '24:00' } };
    expect(workingDayMs(allDay.hours)).toBe(24 * HOUR);
    expect(addWorkingTime(at('2026-11-06', '23:00'), 2 * HOUR, allDay)).toBe(at('2026-11-09', '01:00'));
  });
  it('refuses a negative time, bad hours and a calendar without working days', () => {
    expect(() => addWorkingTime(at('2026-11-03', '09:00'), -1, opts)).toThrow(RangeError);
    expect(() => workingDayMs({ from: '20:00', to: '08:00' })).toThrow(RangeError);
    expect(() =>
      addWorkingTime(at('2026-11-03', '09:00'), HOUR, { ...opts, isWorkingDay: () => false }),
    ).toThrow(/no working hours/);
  });
});

describe('workingTimeBetween (08:00-20:00 on working days)', () => {
  it('counts the working hours inside a stretch, none of the night, weekend or holidays', () => {
    expect(workingTimeBetween(at('2026-11-03', '09:00'), at('2026-11-03', '11:30'), opts)).toBe(2.5 * HOUR);
    expect(workingTimeBetween(at('2026-11-03', '19:00'), at('2026-11-04', '09:00'), opts)).toBe(2 * HOUR);
    // Friday 19:00 to Monday 09:00: one hour on Friday, one on Monday, the weekend none.
    expect(workingTimeBetween(at('2026-11-06', '19:00'), at('2026-11-09', '09:00'), opts)).toBe(2 * HOUR);
    expect(workingTimeBetween(at('2026-11-07', '09:00'), at('2026-11-08', '18:00'), opts)).toBe(0);
    // National Day: 30 September 19:00 to 8 October 09:00 holds two working hours.
    expect(workingTimeBetween(at('2026-09-30', '19:00'), at('2026-10-08', '09:00'), opts)).toBe(2 * HOUR);
    expect(workingTimeBetween(at('2026-11-03', '11:00'), at('2026-11-03', '09:00'), opts)).toBe(0);
  });

  it('is what addWorkingTime adds: a stretch from a working instant ends where the sum says', () => {
    for (const [date, time, hours] of [
      ['2026-11-03', '09:00', 3],
      ['2026-11-06', '15:00', 9],
      ['2026-09-30', '10:00', 30],
    ] as const) {
      const start = at(date, time);
      const end = addWorkingTime(start, hours * HOUR, opts);
      expect(workingTimeBetween(start, end, opts)).toBe(hours * HOUR);
    }
  });
});
