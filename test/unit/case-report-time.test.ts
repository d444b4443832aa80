import { describe, expect, it } from 'vitest';
import { officialDays, pinCalendar, pinYears, pinnedCalendar } from '../../domain/calendar.ts';
import { REPORT_WINDOW, reportedAtOf, reportTimeRefusal } from '../../domain/case-clocks.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const NOW = Date.parse('2026-12-06T02:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('a report’s time (the case clocks start there)', () => {
  it('is refused far back or ahead: 30 days back at most, a few minutes of clock skew ahead', () => {
    expect(REPORT_WINDOW).toEqual({ pastMs: 30 * DAY, skewMs: 5 * MIN });
    expect(reportTimeRefusal('2001-01-01T00:00:00Z', NOW)).toBe('too_old');
    expect(reportTimeRefusal('2025-09-30T08:00:00+08:00', NOW)).toBe('too_old');
    expect(reportTimeRefusal(iso(NOW - 30 * DAY - 1000), NOW)).toBe('too_old');
    expect(reportTimeRefusal(iso(NOW - 30 * DAY), NOW)).toBeNull();
    expect(reportTimeRefusal(iso(NOW - 10 * MIN), NOW)).toBeNull();
    expect(reportTimeRefusal(iso(NOW + 4 * MIN), NOW)).toBeNull();
    expect(reportTimeRefusal(iso(NOW + 6 * MIN), NOW)).toBe('future');
  });

  it('is shown when it differs from the opening: the view’s, else the clocks’ start', () => {
    const openedAt = iso(NOW);
    expect(reportedAtOf({ openedAt })).toBeUndefined();
    expect(reportedAtOf({ openedAt, reportedAt: iso(NOW - DAY) })).toBe(iso(NOW - DAY));
    expect(reportedAtOf({ openedAt, clocks: [{ startedAt: iso(NOW - 2 * DAY) }] })).toBe(iso(NOW - 2 * DAY));
    expect(reportedAtOf({ openedAt, clocks: [{ startedAt: openedAt }] })).toBeUndefined();
  });

  it('pins the report’s year too: a report of 30 December opened on 2 January', () => {
    const opened = '2027-01-02T01:00:00.000Z';
    const reported = '2026-12-30T01:00:00.000Z';
    expect(pinYears(opened, reported, 'Asia/Shanghai')).toEqual({ year: 2027, from: 2026 });
    expect(pinYears(opened, undefined, 'Asia/Shanghai')).toEqual({ year: 2027, from: 2027 });
    // A time after the opening (clock skew) changes nothing; campus time decides the year.
    expect(pinYears(opened, '2027-01-02T01:03:00.000Z', 'Asia/Shanghai')).toEqual({ year: 2027, from: 2027 });
    expect(pinYears('2026-12-31T17:00:00.000Z', '2026-12-31T15:00:00.000Z', 'Asia/Shanghai')).toEqual({
      year: 2027,
      from: 2026,
    });
    const pin = pinCalendar({}, 2027, 2026);
    expect(pin.official.years).toEqual([2026]);
    expect(pin.official.holidays).toEqual(officialDays(2026).holidays);
    // So a clock from 30 September 2026 over National Day counts the holidays, not weekends only.
    expect(pinnedCalendar(pin).isWorkingDay('2026-10-01')).toBe(false);
    expect(pinnedCalendar(pinCalendar({}, 2027)).isWorkingDay('2026-10-01')).toBe(true);
    expect(pinCalendar({}, 2026, 2025).official.years).toEqual([2025, 2026]);
    expect(pinCalendar({}, 2026, 2027).official.years).toEqual([2026]);
  });
});
