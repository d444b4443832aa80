import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  computeDeadline,
  createCalendar,
  dayOfWeek,
  durationMs,
  fnv1a,
  isValidDate,
  localDate,
  localTime,
  localTimeToInstant,
  parseInstant,
  pinCalendar,
  pinnedCalendar,
  type Duration,
  type WorkingCalendar,
} from '../../domain/calendar.ts';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const calendar = createCalendar();

const wd = (amount: number): Duration => ({ unit: 'working_days', amount });

function deadline(start: string, duration: Duration, cal: WorkingCalendar = calendar, tz = SH) {
  return computeDeadline({ start, duration, tz, calendar: cal });
}

describe('official calendar data (chinese-days)', () => {
  it('knows the 2026 National Day / Mid-Autumn holiday and its make-up working days', () => {
    // Mid-Autumn 2026-09-25..27, National Day 2026-10-01..07 off.
    for (const d of ['2026-09-25', '2026-09-26', '2026-09-27']) expect(calendar.isWorkingDay(d)).toBe(false);
    for (let i = 1; i <= 7; i++) expect(calendar.isWorkingDay(`2026-10-0${i}`)).toBe(false);
    // 调休: a Sunday and a Saturday worked in exchange.
    expect(dayOfWeek('2026-09-20')).toBe(0);
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(dayOfWeek('2026-10-10')).toBe(6);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('knows Spring Festival 2026 (Feb 15-23 off, Feb 14 and Feb 28 worked)', () => {
    for (let d = 15; d <= 23; d++) expect(calendar.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
  });

  it('treats plain weekdays as working and plain weekends as off', () => {
    expect(calendar.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-03-09')).toBe(true); // Monday
  });

  it('reports which years it has official data for', () => {
    expect(calendar.hasOfficialData(2026)).toBe(true);
    expect(calendar.hasOfficialData(2004)).toBe(true);
    expect(calendar.hasOfficialData(2027)).toBe(false);
    expect(calendar.hasOfficialData(2003)).toBe(false);
  });

  it('uses weekends only in a year without official data', () => {
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true); // a Friday; New Year unknown yet
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2027-10-01')).toBe(true);
  });

  it('refuses malformed dates', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-01', '20260101', '', '2026-02-28T00:00Z']) {
      expect(() => calendar.isWorkingDay(bad)).toThrow(RangeError);
    }
  });
});

describe('overrides', () => {
  it('adds a school holiday', () => {
    const cal = createCalendar({ holidays: ['2026-03-09'] });
    expect(cal.isWorkingDay('2026-03-09')).toBe(false);
    expect(cal.isWorkingDay('2026-03-10')).toBe(true);
  });

  it('adds a make-up working day that beats a weekend and an official holiday', () => {
    const cal = createCalendar({ workdays: ['2026-03-07', '2026-10-02'] });
    expect(cal.isWorkingDay('2026-03-07')).toBe(true);
    expect(cal.isWorkingDay('2026-10-02')).toBe(true);
  });

  it('lets a declared workday beat an override holiday on the same date', () => {
    const cal = createCalendar({ workdays: ['2026-03-09'], holidays: ['2026-03-09'] });
    expect(cal.isWorkingDay('2026-03-09')).toBe(true);
  });

  it('closes an inclusive range of days, official make-up days included', () => {
    const cal = createCalendar({ closures: [{ from: '2026-10-08', to: '2026-10-10' }] });
    expect(cal.isWorkingDay('2026-10-07')).toBe(false);
    expect(cal.isWorkingDay('2026-10-08')).toBe(false);
    expect(cal.isWorkingDay('2026-10-09')).toBe(false);
    expect(cal.isWorkingDay('2026-10-10')).toBe(false); // official 调休 Saturday, but the school is closed
    expect(cal.isWorkingDay('2026-10-12')).toBe(true);
  });

  it('keeps a single declared workday open inside a closure', () => {
    const cal = createCalendar({
      closures: [{ from: '2026-07-01', to: '2026-08-31' }],
      workdays: ['2026-07-15'],
    });
    expect(cal.isWorkingDay('2026-07-14')).toBe(false);
    expect(cal.isWorkingDay('2026-07-15')).toBe(true);
  });

  it('declares extra years complete', () => {
    const cal = createCalendar({ years: [2027], holidays: ['2027-01-01'] });
    expect(cal.hasOfficialData(2027)).toBe(true);
    expect(cal.hasOfficialData(2028)).toBe(false);
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
  });

  it('refuses malformed overrides', () => {
    expect(() => createCalendar({ holidays: ['2026-02-30'] })).toThrow(RangeError);
    expect(() => createCalendar({ workdays: ['tomorrow'] })).toThrow(RangeError);
    expect(() => createCalendar({ closures: [{ from: '2026-05-02', to: '2026-05-01' }] })).toThrow(
      RangeError,
    );
    expect(() => createCalendar({ closures: [{ from: '2026-05-01', to: '2026-5-2' }] })).toThrow(RangeError);
    expect(() => createCalendar({ years: [2027.5] })).toThrow(RangeError);
  });
});

describe('a pinned calendar (what a case keeps of the calendar when it opens)', () => {
  const daysOf = (year: number) => {
    const out: string[] = [];
    for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) out.push(d);
    return out;
  };
  const school = {
    holidays: ['2026-03-02'],
    workdays: ['2026-10-10'],
    closures: [{ from: '2026-07-20', to: '2026-07-24' }],
  };

  it('answers every day of its two years as the full calendar does, school changes included', () => {
    const pinned = pinnedCalendar(pinCalendar(school, 2025));
    const full = createCalendar(school);
    for (const d of [...daysOf(2025), ...daysOf(2026)])
      expect(pinned.isWorkingDay(d), d).toBe(full.isWorkingDay(d));
    expect(pinned.version).toBe(full.version);
    expect(pinned.hasOfficialData(2025)).toBe(true);
    expect(pinned.hasOfficialData(2026)).toBe(true);
  });

  it('never reads the bundled data: a year outside the pin counts weekends only, and says so', () => {
    const pinned = pinnedCalendar(pinCalendar({}, 2025));
    // National Day 2024 is official, but not in a pin of 2025 and 2026.
    expect(createCalendar().isWorkingDay('2024-10-01')).toBe(false);
    expect(pinned.isWorkingDay('2024-10-01')).toBe(true);
    expect(pinned.hasOfficialData(2024)).toBe(false);
  });

  it('keeps what it pinned even if the official days it was given differ from the bundled data', () => {
    const pin = pinCalendar({}, 2026);
    // As if a later package corrected 2026: the case still counts with what it pinned.
    const edited = {
      ...pin,
      official: { ...pin.official, holidays: pin.official.holidays.filter((d) => d !== '2026-10-01') },
    };
    expect(pinnedCalendar(edited).isWorkingDay('2026-10-01')).toBe(true);
    expect(pinnedCalendar(pin).isWorkingDay('2026-10-01')).toBe(false);
  });

  it('pins only the years the data has (next year may not be published yet)', () => {
    const pin = pinCalendar({}, 2026);
    expect(pin.official.years.every((y) => createCalendar().hasOfficialData(y))).toBe(true);
    expect(pin.official.holidays.every((d) => pin.official.years.includes(Number(d.slice(0, 4))))).toBe(true);
    expect(pinCalendar({}, 2020).official.years).toEqual([2020, 2021]);
  });

  it('refuses a pin whose days are not dates', () => {
    const pin = pinCalendar({}, 2026);
    expect(() => pinnedCalendar({ ...pin, official: { ...pin.official, holidays: ['2026-13-01'] } })).toThrow(
      RangeError,
    );
  });
});

describe('calendar version', () => {
  it('names the data and the overrides', () => {
    expect(calendar.version).toMatch(/^chinese-days@\d{4}-\d{4}\.[0-9a-f]{8}\+[0-9a-f]{8}$/);
  });

  it('is stable for the same data, whatever the order or duplication of overrides', () => {
    expect(createCalendar().version).toBe(createCalendar({}).version);
    expect(createCalendar({ holidays: [], workdays: [], closures: [], years: [] }).version).toBe(
      calendar.version,
    );
    const a = createCalendar({
      holidays: ['2026-03-09', '2026-03-10'],
      closures: [
        { from: '2026-07-01', to: '2026-08-31' },
        { from: '2026-01-20', to: '2026-02-10' },
      ],
      years: [2028, 2027],
    });
    const b = createCalendar({
      years: [2027, 2028, 2027],
      closures: [
        { from: '2026-01-20', to: '2026-02-10' },
        { from: '2026-07-01', to: '2026-08-31' },
      ],
      holidays: ['2026-03-10', '2026-03-09', '2026-03-10'],
    });
    expect(a.version).toBe(b.version);
  });

  it('changes when the overrides change', () => {
    const versions = new Set([
      calendar.version,
      createCalendar({ holidays: ['2026-03-09'] }).version,
      createCalendar({ workdays: ['2026-03-09'] }).version,
      createCalendar({ closures: [{ from: '2026-03-09', to: '2026-03-09' }] }).version,
      createCalendar({ years: [2027] }).version,
    ]);
    expect(versions.size).toBe(5);
    const prefix = calendar.version.split('+')[0];
    for (const v of versions) expect(v.split('+')[0]).toBe(prefix);
  });

  it('uses FNV-1a 32', () => {
    expect(fnv1a('')).toBe('811c9dc5');
    expect(fnv1a('a')).toBe('e40c292c');
    expect(fnv1a('foobar')).toBe('bf9cf968');
  });
});

describe('date helpers', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('validates dates', () => {
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
  });

  it('parses only instants with an explicit offset', () => {
    expect(parseInstant('2026-09-25T10:00:00+08:00')).toBe(Date.UTC(2026, 8, 25, 2));
    expect(parseInstant('2026-09-25T02:00Z')).toBe(Date.UTC(2026, 8, 25, 2));
    expect(parseInstant('2026-09-25T02:00:00.123Z')).toBe(Date.UTC(2026, 8, 25, 2, 0, 0, 123));
    // More digits than milliseconds (microseconds from Python, nanoseconds from Go) are instants too.
    expect(parseInstant('2026-09-25T02:00:00.123456Z')).toBe(Date.UTC(2026, 8, 25, 2, 0, 0, 123));
    expect(parseInstant('2026-09-25T10:00:00.000000001+08:00')).toBe(Date.UTC(2026, 8, 25, 2));
    for (const bad of [
      '2026-09-25',
      '2026-09-25T10:00:00',
      '2026-02-30T00:00:00Z',
      'yesterday',
      '2026-09-25T24:00Z',
    ]) {
      expect(() => parseInstant(bad)).toThrow(RangeError);
    }
  });

  it('converts clock durations to milliseconds and refuses working days', () => {
    expect(durationMs({ unit: 'minutes', amount: 30 })).toBe(1_800_000);
    expect(durationMs({ unit: 'hours', amount: 48 })).toBe(172_800_000);
    expect(durationMs({ unit: 'days', amount: 7 })).toBe(604_800_000);
    expect(() => durationMs(wd(1))).toThrow(RangeError);
    expect(() => durationMs({ unit: 'hours', amount: -1 })).toThrow(RangeError);
  });
});

describe('time zones', () => {
  it('gives the campus-local date of an instant', () => {
    expect(localDate('2026-09-24T16:00:00Z', SH)).toBe('2026-09-25');
    expect(localDate('2026-09-24T15:59:59.999Z', SH)).toBe('2026-09-24');
    expect(localDate('2026-09-24T16:00:00Z')).toBe('2026-09-25');
    expect(localDate('2026-03-08T04:59:59Z', NY)).toBe('2026-03-07');
    expect(localDate('2026-03-08T05:00:00Z', NY)).toBe('2026-03-08');
    expect(localTime('2026-09-25T10:00:00Z', SH)).toBe('18:00');
  });

  it('converts Shanghai local times (no DST)', () => {
    expect(localTimeToInstant('2026-09-25', '18:00', SH)).toBe('2026-09-25T10:00:00.000Z');
    expect(localTimeToInstant('2026-01-01', '00:00')).toBe('2025-12-31T16:00:00.000Z');
  });

  it('follows New York across the March 2026 change (second Sunday, 8 March)', () => {
    expect(localTimeToInstant('2026-03-07', '12:00', NY)).toBe('2026-03-07T17:00:00.000Z'); // EST
    expect(localTimeToInstant('2026-03-08', '01:59', NY)).toBe('2026-03-08T06:59:00.000Z'); // EST
    expect(localTimeToInstant('2026-03-08', '03:00', NY)).toBe('2026-03-08T07:00:00.000Z'); // EDT
    expect(localTimeToInstant('2026-03-09', '12:00', NY)).toBe('2026-03-09T16:00:00.000Z'); // EDT
  });

  it('moves a time inside the spring gap forward by the gap', () => {
    // 02:30 does not exist on 2026-03-08 in New York; it becomes 03:30 EDT.
    const t = localTimeToInstant('2026-03-08', '02:30', NY);
    expect(t).toBe('2026-03-08T07:30:00.000Z');
    expect(localTime(t, NY)).toBe('03:30');
  });

  it('takes the earlier instant of a time repeated in the autumn overlap', () => {
    // 01:30 happens twice on 2026-11-01 in New York: EDT (05:30Z) then EST (06:30Z).
    expect(localTimeToInstant('2026-11-01', '01:30', NY)).toBe('2026-11-01T05:30:00.000Z');
    expect(localTimeToInstant('2026-11-01', '12:00', NY)).toBe('2026-11-01T17:00:00.000Z');
  });

  it('handles other zones: London, Sydney (southern DST), Kolkata (half-hour offset)', () => {
    expect(localTimeToInstant('2026-07-01', '09:00', 'Europe/London')).toBe('2026-07-01T08:00:00.000Z');
    expect(localTimeToInstant('2026-01-15', '09:00', 'Europe/London')).toBe('2026-01-15T09:00:00.000Z');
    expect(localTimeToInstant('2026-01-15', '09:00', 'Australia/Sydney')).toBe('2026-01-14T22:00:00.000Z');
    expect(localTimeToInstant('2026-07-15', '09:00', 'Australia/Sydney')).toBe('2026-07-14T23:00:00.000Z');
    expect(localTimeToInstant('2026-07-15', '09:00', 'Asia/Kolkata')).toBe('2026-07-15T03:30:00.000Z');
    expect(localTimeToInstant('2026-07-15', '09:00', 'UTC')).toBe('2026-07-15T09:00:00.000Z');
  });

  it('refuses bad times and unknown zones', () => {
    expect(() => localTimeToInstant('2026-07-15', '24:00', SH)).toThrow(RangeError);
    expect(() => localTimeToInstant('2026-07-15', '9:00', SH)).toThrow(RangeError);
    expect(() => localTimeToInstant('2026-07-15', '09:60', SH)).toThrow(RangeError);
    expect(() => localTimeToInstant('2026-07-32', '09:00', SH)).toThrow(RangeError);
    expect(() => localTimeToInstant('2026-07-15', '09:00', 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => localDate('2026-07-15T00:00Z', 'Not/AZone')).toThrow(RangeError);
  });

  const zones = [SH, NY, 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];

  it('round-trips every instant through its local date and time (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2040-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...zones),
        (date, tz) => {
          const minuteMs = Math.floor(date.getTime() / 60_000) * 60_000;
          const iso = new Date(minuteMs).toISOString();
          const back = localTimeToInstant(localDate(iso, tz), localTime(iso, tz), tz);
          // Same wall clock, and never later than the original: overlaps give the earlier one.
          expect(localDate(back, tz)).toBe(localDate(iso, tz));
          expect(localTime(back, tz)).toBe(localTime(iso, tz));
          expect(parseInstant(back)).toBeLessThanOrEqual(minuteMs);
          expect(minuteMs - parseInstant(back)).toBeLessThanOrEqual(60 * 60_000);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is a fixed UTC+8 shift in Shanghai (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1992-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (date, h, m) => {
          const d = date.toISOString().slice(0, 10);
          const hm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
          const expected = Date.UTC(
            Number(d.slice(0, 4)),
            Number(d.slice(5, 7)) - 1,
            Number(d.slice(8, 10)),
            h - 8,
            m,
          );
          expect(localTimeToInstant(d, hm, SH)).toBe(new Date(expected).toISOString());
        },
      ),
    );
  });
});

describe('computeDeadline: working days', () => {
  it('runs 15 working days from 2026-09-25 across Mid-Autumn, National Day and the 调休 Saturday', () => {
    // Start Fri 09-25 (itself a Mid-Autumn holiday). Counting working days after it:
    // 09-26/27 off; 09-28 #1, 09-29 #2, 09-30 #3; 10-01..07 off; 10-08 #4, 10-09 #5,
    // 10-10 (Saturday, 调休) #6; 10-11 off; 10-12..16 #7-#11; 10-19..22 #12-#15.
    // Due Thu 2026-10-22 18:00 Asia/Shanghai = 10:00Z.
    expect(deadline('2026-09-25T10:00:00+08:00', wd(15))).toEqual({
      due: '2026-10-22T10:00:00.000Z',
      approximate: false,
    });
  });

  it('counts the 调休 Sunday before National Day', () => {
    // From Sat 09-19: Sun 09-20 is a make-up working day, so it is #1.
    expect(deadline('2026-09-19T09:00:00+08:00', wd(1)).due).toBe('2026-09-20T10:00:00.000Z');
    // From Fri 09-18, 6 working days: 09-20 #1, 09-21..24 #2-#5, then 09-25..27 off, 09-28 #6.
    expect(deadline('2026-09-18T09:00:00+08:00', wd(6)).due).toBe('2026-09-28T10:00:00.000Z');
  });

  it('runs across Spring Festival 2026', () => {
    // From Fri 02-13: Sat 02-14 (调休) #1; 02-15..23 off; 02-24 #2; 02-25 #3.
    expect(deadline('2026-02-13T10:00:00+08:00', wd(1)).due).toBe('2026-02-14T10:00:00.000Z');
    expect(deadline('2026-02-13T10:00:00+08:00', wd(3)).due).toBe('2026-02-25T10:00:00.000Z');
    // Starting inside the holiday: the first working day after it is 02-24.
    expect(deadline('2026-02-17T10:00:00+08:00', wd(1)).due).toBe('2026-02-24T10:00:00.000Z');
    // 02-24..27 #1-#4, Sat 02-28 (调休) #5.
    expect(deadline('2026-02-20T10:00:00+08:00', wd(5)).due).toBe('2026-02-28T10:00:00.000Z');
  });

  it('counts from the next working day when the start is a Friday or a weekend', () => {
    expect(deadline('2026-03-06T09:00:00+08:00', wd(1)).due).toBe('2026-03-09T10:00:00.000Z');
    expect(deadline('2026-03-07T09:00:00+08:00', wd(1)).due).toBe('2026-03-09T10:00:00.000Z');
    expect(deadline('2026-03-08T23:59:00+08:00', wd(1)).due).toBe('2026-03-09T10:00:00.000Z');
    expect(deadline('2026-03-07T09:00:00+08:00', wd(5)).due).toBe('2026-03-13T10:00:00.000Z');
  });

  it('uses the campus-local date of the start, not the UTC date', () => {
    // 2026-03-05T17:00Z is already Friday 03-06 01:00 in Shanghai.
    expect(deadline('2026-03-05T17:00:00Z', wd(1)).due).toBe('2026-03-09T10:00:00.000Z');
    expect(deadline('2026-03-05T15:00:00Z', wd(1)).due).toBe('2026-03-06T10:00:00.000Z');
  });

  it('treats 0 working days as "by the end of today\'s working day"', () => {
    expect(deadline('2026-03-06T09:00:00+08:00', wd(0)).due).toBe('2026-03-06T10:00:00.000Z');
    expect(deadline('2026-03-06T17:59:59+08:00', wd(0)).due).toBe('2026-03-06T10:00:00.000Z');
    // At or after the end of the day, the next working day.
    expect(deadline('2026-03-06T18:00:00+08:00', wd(0)).due).toBe('2026-03-09T10:00:00.000Z');
    expect(deadline('2026-03-06T21:00:00+08:00', wd(0)).due).toBe('2026-03-09T10:00:00.000Z');
    // On a non-working day, the next working day.
    expect(deadline('2026-03-07T08:00:00+08:00', wd(0)).due).toBe('2026-03-09T10:00:00.000Z');
    expect(deadline('2026-10-03T08:00:00+08:00', wd(0)).due).toBe('2026-10-08T10:00:00.000Z');
  });

  it('honours a custom end of the working day', () => {
    const r = computeDeadline({
      start: '2026-03-06T09:00:00+08:00',
      duration: wd(1),
      tz: SH,
      calendar,
      endOfWorkingDay: '17:30',
    });
    expect(r.due).toBe('2026-03-09T09:30:00.000Z');
    const today = computeDeadline({
      start: '2026-03-06T17:45:00+08:00',
      duration: wd(0),
      tz: SH,
      calendar,
      endOfWorkingDay: '17:30',
    });
    expect(today.due).toBe('2026-03-09T09:30:00.000Z');
  });

  it('applies overrides: extra holiday, make-up workday, closure', () => {
    const start = '2026-03-06T09:00:00+08:00';
    expect(deadline(start, wd(1), createCalendar({ holidays: ['2026-03-09'] })).due).toBe(
      '2026-03-10T10:00:00.000Z',
    );
    expect(deadline(start, wd(1), createCalendar({ workdays: ['2026-03-07'] })).due).toBe(
      '2026-03-07T10:00:00.000Z',
    );
    expect(
      deadline(start, wd(1), createCalendar({ closures: [{ from: '2026-03-09', to: '2026-03-13' }] })).due,
    ).toBe('2026-03-16T10:00:00.000Z');
    // The National Day case with the school closed 10-08..10-10: three working days later.
    const closed = createCalendar({ closures: [{ from: '2026-10-08', to: '2026-10-10' }] });
    expect(deadline('2026-09-25T10:00:00+08:00', wd(15), closed).due).toBe('2026-10-27T10:00:00.000Z');
  });

  it('is approximate, weekends-only, for a start in 2027 (no official data yet)', () => {
    // Fri 2027-03-05 → Mon 2027-03-08.
    expect(deadline('2027-03-05T09:00:00+08:00', wd(1))).toEqual({
      due: '2027-03-08T10:00:00.000Z',
      approximate: true,
    });
    // 2027-01-01 (a Friday) counts as a working day: the 2027 New Year holiday is unknown.
    expect(deadline('2026-12-31T09:00:00+08:00', wd(1))).toEqual({
      due: '2027-01-01T10:00:00.000Z',
      approximate: true,
    });
    // Not touching 2027 keeps it exact.
    expect(deadline('2026-12-30T09:00:00+08:00', wd(1))).toEqual({
      due: '2026-12-31T10:00:00.000Z',
      approximate: false,
    });
    expect(deadline('2027-03-05T09:00:00+08:00', wd(0)).approximate).toBe(true);
  });

  it('is exact for a year the school declares complete', () => {
    const cal = createCalendar({ years: [2027], holidays: ['2027-01-01'] });
    expect(deadline('2026-12-31T09:00:00+08:00', wd(1), cal)).toEqual({
      due: '2027-01-04T10:00:00.000Z',
      approximate: false,
    });
  });

  it('works in a DST zone', () => {
    // Fri 2026-03-06 noon EST → Mon 03-09 18:00 EDT = 22:00Z.
    expect(deadline('2026-03-06T12:00:00-05:00', wd(1), calendar, NY).due).toBe('2026-03-09T22:00:00.000Z');
    // Before the change: Thu 03-05 → Fri 03-06 18:00 EST = 23:00Z.
    expect(deadline('2026-03-05T12:00:00-05:00', wd(1), calendar, NY).due).toBe('2026-03-06T23:00:00.000Z');
  });

  it('refuses fractional or negative working days and calendars with no working days', () => {
    expect(() => deadline('2026-03-06T09:00:00+08:00', wd(1.5))).toThrow(RangeError);
    expect(() => deadline('2026-03-06T09:00:00+08:00', wd(-1))).toThrow(RangeError);
    expect(() => deadline('2026-03-06T09:00:00+08:00', wd(Number.NaN))).toThrow(RangeError);
    const shut = createCalendar({ closures: [{ from: '2000-01-01', to: '2099-12-31' }] });
    expect(() => deadline('2026-03-06T09:00:00+08:00', wd(1), shut)).toThrow(RangeError);
  });

  it('refuses bad inputs', () => {
    expect(() => deadline('2026-03-06 09:00', wd(1))).toThrow(RangeError);
    expect(() => deadline('2026-03-06T09:00:00', wd(1))).toThrow(RangeError);
    expect(() => deadline('2026-03-06T09:00:00Z', wd(1), calendar, 'Nowhere/Special')).toThrow(RangeError);
    expect(() =>
      computeDeadline({
        start: '2026-03-06T09:00:00Z',
        duration: wd(1),
        tz: SH,
        calendar,
        endOfWorkingDay: '6pm',
      }),
    ).toThrow(RangeError);
  });
});

describe('computeDeadline: clock units', () => {
  it('adds elapsed time exactly, ignoring the calendar', () => {
    const start = '2026-09-30T20:00:00+08:00';
    expect(deadline(start, { unit: 'minutes', amount: 30 })).toEqual({
      due: '2026-09-30T12:30:00.000Z',
      approximate: false,
    });
    expect(deadline(start, { unit: 'hours', amount: 24 }).due).toBe('2026-10-01T12:00:00.000Z');
    expect(deadline(start, { unit: 'days', amount: 7 }).due).toBe('2026-10-07T12:00:00.000Z');
    expect(deadline(start, { unit: 'minutes', amount: 0.5 }).due).toBe('2026-09-30T12:00:30.000Z');
    expect(deadline(start, { unit: 'hours', amount: 0 }).due).toBe('2026-09-30T12:00:00.000Z');
  });

  it('counts days as 24 hours even across a DST change', () => {
    expect(deadline('2026-03-07T12:00:00-05:00', { unit: 'days', amount: 1 }, calendar, NY).due).toBe(
      '2026-03-08T17:00:00.000Z',
    );
  });

  it('is never approximate, even in a year without data', () => {
    expect(deadline('2030-01-01T00:00:00Z', { unit: 'hours', amount: 2 }).approximate).toBe(false);
  });

  it('refuses negative or non-finite amounts', () => {
    expect(() => deadline('2026-03-06T09:00:00Z', { unit: 'hours', amount: -2 })).toThrow(RangeError);
    expect(() => deadline('2026-03-06T09:00:00Z', { unit: 'minutes', amount: Infinity })).toThrow(RangeError);
  });
});

describe('computeDeadline: properties', () => {
  // Starts within official data, far enough from its end that 40 working days stay inside it.
  const startArb = fc
    .date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2026-10-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString());
  const tzArb = fc.constantFrom(SH, NY, 'Europe/London', 'Australia/Sydney');
  const holidayArb = fc
    .array(
      fc.date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2026-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      {
        maxLength: 20,
      },
    )
    .map((ds) => ds.map((d) => d.toISOString().slice(0, 10)));

  it('always lands at the end of a working day, after the start, exactly', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 40 }), tzArb, holidayArb, (start, n, tz, holidays) => {
        const cal = createCalendar({ holidays });
        const { due, approximate } = computeDeadline({ start, duration: wd(n), tz, calendar: cal });
        expect(cal.isWorkingDay(localDate(due, tz))).toBe(true);
        expect(localTime(due, tz)).toBe('18:00');
        expect(parseInstant(due)).toBeGreaterThan(parseInstant(start));
        expect(approximate).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('is strictly monotonic in N and counts exactly N working days', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 30 }), tzArb, (start, n, tz) => {
        const a = computeDeadline({ start, duration: wd(n), tz, calendar });
        const b = computeDeadline({ start, duration: wd(n + 1), tz, calendar });
        expect(parseInstant(b.due)).toBeGreaterThan(parseInstant(a.due));
        let count = 0;
        for (let d = addDays(localDate(start, tz), 1); d <= localDate(a.due, tz); d = addDays(d, 1)) {
          if (calendar.isWorkingDay(d)) count++;
        }
        expect(count).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('is weekends-only and approximate whenever it touches a year without data', () => {
    fc.assert(
      fc.property(
        fc
          .date({
            min: new Date('2027-01-01T00:00:00Z'),
            max: new Date('2031-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString()),
        fc.integer({ min: 1, max: 20 }),
        (start, n) => {
          const { due, approximate } = computeDeadline({ start, duration: wd(n), tz: SH, calendar });
          expect(approximate).toBe(true);
          expect([0, 6]).not.toContain(dayOfWeek(localDate(due, SH)));
        },
      ),
    );
  });

  it('adds clock durations exactly and never goes back in time', () => {
    fc.assert(
      fc.property(
        startArb,
        fc.constantFrom('minutes' as const, 'hours' as const, 'days' as const),
        fc.integer({ min: 0, max: 10_000 }),
        (start, unit, amount) => {
          const { due } = computeDeadline({ start, duration: { unit, amount }, tz: SH, calendar });
          expect(parseInstant(due) - parseInstant(start)).toBe(durationMs({ unit, amount }));
        },
      ),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 30 }), (start, n) => {
        const again = createCalendar();
        expect(computeDeadline({ start, duration: wd(n), tz: SH, calendar: again })).toEqual(
          computeDeadline({ start, duration: wd(n), tz: SH, calendar }),
        );
      }),
      { numRuns: 50 },
    );
  });
});
