import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeDeadline, createCalendar } from '../../domain/calendar.ts';
import { calendarYear, overridesFrom, parseCalendarFile } from '../../domain/calendar-file.ts';

const ok = (text: string) => {
  const r = parseCalendarFile(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.file;
};
const errorsOf = (text: string) => {
  const r = parseCalendarFile(text);
  return r.ok ? [] : r.errors.map((e) => [e.line, e.message.en]);
};

// A fixture year far from any real one: the arrangement below is test data, not a published notice.
const FIXTURE = `
official 2031 test fixture notice
holiday 2031-01-23..2031-01-29 春节
workday 2031-01-19 春节调休
closure 2031-07-01..2031-08-31 暑假
term 2031-02-24..2031-06-27 spring term
`;

describe('the calendar file', () => {
  it('reads the demo campus file that npm start uses', () => {
    const text = readFileSync(path.resolve(import.meta.dirname, '../../infra/local/calendar.txt'), 'utf8');
    const file = ok(text);
    expect(file.terms.length).toBeGreaterThanOrEqual(3);
    expect(file.official).toEqual([]);
  });

  it('names the line of every mistake', () => {
    expect(errorsOf('holiday 2026-10-01 国庆\nholiday 2026-10-01 again')).toEqual([
      [2, 'line 2: 2026-10-01 is already listed on line 1'],
    ]);
    expect(errorsOf('\n\nworkday 2026-10-02 bad')).toEqual([
      [3, 'line 3: 2026-10-02 is an official holiday and cannot be a make-up working day'],
    ]);
    expect(errorsOf('holiday 2031-02-30 x')[0]?.[0]).toBe(1);
    expect(errorsOf('holiday 2031-02-30 x')[0]?.[1]).toMatch(/not a valid YYYY-MM-DD date/);
    expect(errorsOf('closure 2027-03-02..2027-03-01 x')[0]?.[1]).toMatch(/ends before it starts/);
    expect(errorsOf('vacation 2027-03-01 x')[0]?.[1]).toMatch(/unknown kind 'vacation'/);
    expect(errorsOf('term 2027-03-01..2027-04-01')[0]?.[1]).toMatch(/give it a name/);
    expect(errorsOf('official 2031 a\nofficial 2031 b')).toEqual([
      [2, 'line 2: 2031 is already declared on line 1'],
    ]);
  });

  it('never takes an official arrangement for a year without its declared source', () => {
    expect(errorsOf('holiday 2031-01-23 春节')).toEqual([
      [1, "line 1: declare the source of 2031's arrangement first with 'official 2031 <notice title>'"],
    ]);
    // Closures and terms are the school's own and need no notice.
    expect(errorsOf('closure 2031-01-23 校庆')).toEqual([]);
  });

  it('answers a year as official, configured or missing', () => {
    const file = ok(FIXTURE);
    const y2026 = calendarYear(2026, file);
    expect(y2026.source).toBe('official');
    expect(y2026.holidays).toContain('2026-10-01');
    const y2031 = calendarYear(2031, file);
    expect(y2031.source).toBe('configured');
    expect(y2031.holidays).toContain('2031-01-23');
    expect(y2031.holidays).toContain('2031-07-15');
    expect(y2031.workdays).toEqual(['2031-01-19']);
    expect(y2031.terms).toEqual([{ name: 'spring term', from: '2031-02-24', to: '2031-06-27' }]);
    expect(calendarYear(2032, file).source).toBe('missing');
  });

  it('moves working-day deadlines across a configured Spring Festival', () => {
    const cal = createCalendar(overridesFrom(ok(FIXTURE)));
    expect(cal.hasOfficialData(2031)).toBe(true);
    expect(cal.isWorkingDay('2031-01-23')).toBe(false);
    expect(cal.isWorkingDay('2031-01-19')).toBe(true); // a Sunday worked in exchange
    const bare = createCalendar();
    expect(bare.hasOfficialData(2031)).toBe(false);
    expect(cal.version).not.toBe(bare.version);
    // 3 working days from Wednesday 2031-01-22: the festival (23rd-29th) and the weekend are skipped.
    const start = '2031-01-22T10:00:00+08:00';
    const duration = { unit: 'working_days', amount: 3 } as const;
    const withFile = computeDeadline({ start, duration, tz: 'Asia/Shanghai', calendar: cal });
    const without = computeDeadline({ start, duration, tz: 'Asia/Shanghai', calendar: bare });
    expect(withFile.approximate).toBe(false);
    expect(without.approximate).toBe(true);
    expect(withFile.due.slice(0, 10)).toBe('2031-02-03'); // Thu 30, Fri 31, Mon 3
    expect(without.due.slice(0, 10) < withFile.due.slice(0, 10)).toBe(true);
  });
});
