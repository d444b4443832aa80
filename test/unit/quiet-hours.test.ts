import { describe, expect, it } from 'vitest';
import { localTimeToInstant } from '../../domain/calendar.ts';
import {
  DEFAULT_WORKING_HOURS,
  escalationInstants,
  isWorkingHours,
  nextNotifyTime,
  reminderTimes,
} from '../../domain/quiet-hours.ts';
import { severities, type Severity } from '../../domain/sla.ts';
import { parseEnv } from '../../infra/config.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const tz = 'Asia/Shanghai';
const at = (date: string, time: string) => localTimeToInstant(date, time, tz);
const opts = { timeZone: tz };
const pad = (n: number) => String(n).padStart(2, '0');

describe('nextNotifyTime (08:00-20:00 by default)', () => {
  // Every minute of a day, for every severity and both kinds of notice.
  const minutes = Array.from({ length: 24 * 60 }, (_, m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`);

  it.each(severities.flatMap((s) => [[s, false] as const, [s, true] as const]))(
    '%s, first notice %s: every minute of a day',
    (severity: Severity, first: boolean) => {
      const exempt = first && severity !== 'routine';
      for (const time of minutes) {
        const instant = at('2026-11-03', time);
        const expected = exempt
          ? instant
          : time < '08:00'
            ? at('2026-11-03', '08:00')
            : time >= '20:00'
              ? at('2026-11-04', '08:00')
              : instant;
        expect([time, nextNotifyTime(instant, severity, first, opts)]).toEqual([time, expected]);
      }
    },
  );

  it('goes out at once at the first minute of working hours, is held from the first minute after', () => {
    expect(nextNotifyTime(at('2026-11-03', '08:00'), 'routine', false, opts)).toBe(at('2026-11-03', '08:00'));
    expect(nextNotifyTime('2026-11-03T11:59:59.999Z', 'routine', false, opts)).toBe(
      '2026-11-03T11:59:59.999Z',
    );
    expect(nextNotifyTime('2026-11-03T12:00:00Z', 'routine', false, opts)).toBe(at('2026-11-04', '08:00'));
    expect(nextNotifyTime('2026-11-03T23:59:59Z', 'routine', false, opts)).toBe(at('2026-11-04', '08:00'));
  });

  it('a reminder due at 00:30 goes out at 08:00 the same morning; across a month and a year end', () => {
    expect(nextNotifyTime(at('2027-01-20', '00:30'), 'routine', false, opts)).toBe(at('2027-01-20', '08:00'));
    expect(nextNotifyTime(at('2026-12-31', '21:00'), 'urgent', false, opts)).toBe(at('2027-01-01', '08:00'));
    expect(nextNotifyTime(at('2026-10-31', '22:15'), 'major', false, opts)).toBe(at('2026-11-01', '08:00'));
  });

  it('takes other hours and another time zone', () => {
    const late = { timeZone: 'Asia/Urumqi', hours: { from: '09:30', to: '22:00' } };
    expect(
      nextNotifyTime(localTimeToInstant('2026-11-03', '21:59', 'Asia/Urumqi'), 'routine', false, late),
    ).toBe(localTimeToInstant('2026-11-03', '21:59', 'Asia/Urumqi'));
    expect(
      nextNotifyTime(localTimeToInstant('2026-11-03', '22:00', 'Asia/Urumqi'), 'routine', false, late),
    ).toBe(localTimeToInstant('2026-11-04', '09:30', 'Asia/Urumqi'));
    expect(
      nextNotifyTime(localTimeToInstant('2026-11-03', '09:00', 'Asia/Urumqi'), 'urgent', false, late),
    ).toBe(localTimeToInstant('2026-11-03', '09:30', 'Asia/Urumqi'));
  });

  it("holds nothing back with '00:00'-'24:00'", () => {
    const always = { timeZone: tz, hours: { from: '00:00', to: '24:00' } };
    for (const time of ['00:00', '00:30', '07:59', '20:00', '23:59'])
      expect(nextNotifyTime(at('2026-11-03', time), 'routine', false, always)).toBe(at('2026-11-03', time));
  });

  it('accepts any offset and answers in UTC', () => {
    expect(nextNotifyTime('2026-11-03T10:00:00+08:00', 'routine', false, opts)).toBe(
      '2026-11-03T02:00:00.000Z',
    );
  });

  it('refuses malformed hours and instants', () => {
    for (const hours of [
      { from: '20:00', to: '08:00' },
      { from: '08:00', to: '08:00' },
      { from: '8:00', to: '20:00' },
      { from: '08:00', to: '24:01' },
      { from: '24:00', to: '24:00' },
    ]) {
      expect(isWorkingHours(hours)).toBe(false);
      expect(() =>
        nextNotifyTime(at('2026-11-03', '10:00'), 'routine', false, { timeZone: tz, hours }),
      ).toThrow(RangeError);
    }
    expect(isWorkingHours(DEFAULT_WORKING_HOURS)).toBe(true);
    expect(() => nextNotifyTime('tonight', 'routine', false, opts)).toThrow(RangeError);
  });
});

describe('reminderTimes', () => {
  const due = at('2027-01-20', '18:00');
  it('holds a night reminder to the morning and keeps a daytime one', () => {
    expect(
      reminderTimes([at('2027-01-20', '00:30'), at('2027-01-20', '14:30')], due, 'routine', opts),
    ).toEqual([
      { index: 0, at: at('2027-01-20', '08:00') },
      { index: 1, at: at('2027-01-20', '14:30') },
    ]);
  });

  it("the first reminder of an urgent or major case is not held; the stage's later ones are", () => {
    const night = [at('2026-11-03', '23:15'), at('2026-11-03', '23:27')];
    const soon = at('2026-11-03', '23:30');
    for (const severity of ['urgent', 'major'] as const)
      expect(reminderTimes(night, soon, severity, opts)).toEqual([{ index: 0, at: night[0] }]);
    // Routine: both held past the deadline, so neither is sent.
    expect(reminderTimes(night, soon, 'routine', opts)).toEqual([]);
  });

  it('sends two reminders held to the same morning once', () => {
    const r = [at('2026-11-03', '01:00'), at('2026-11-03', '05:00')];
    expect(reminderTimes(r, at('2026-11-03', '18:00'), 'routine', opts)).toEqual([
      { index: 0, at: at('2026-11-03', '08:00') },
    ]);
  });
});

describe('escalationInstants', () => {
  const rungs = (...afterHours: number[]) => afterHours.map((h) => ({ afterBreachMs: h * HOUR }));

  it('within working hours every rung goes at its planned instant', () => {
    expect(escalationInstants(at('2026-11-03', '09:00'), rungs(0, 2, 4), 'routine', opts)).toEqual([
      at('2026-11-03', '09:00'),
      at('2026-11-03', '11:00'),
      at('2026-11-03', '13:00'),
    ]);
  });

  it('a held rung moves the later ones with it, keeping their spacing', () => {
    expect(escalationInstants(at('2026-11-03', '18:00'), rungs(0, 2, 4, 6), 'routine', opts)).toEqual([
      at('2026-11-03', '18:00'),
      at('2026-11-04', '08:00'), // 20:00 held
      at('2026-11-04', '10:00'),
      at('2026-11-04', '12:00'),
    ]);
  });

  it('the breach rungs of an urgent or major case go at once at night; a later rung waits for the morning', () => {
    const breach = at('2026-11-03', '23:30');
    expect(
      escalationInstants(
        breach,
        [{ afterBreachMs: 0 }, { afterBreachMs: 0 }, { afterBreachMs: 30 * MIN }],
        'urgent',
        opts,
      ),
    ).toEqual([breach, breach, at('2026-11-04', '08:00')]);
    expect(escalationInstants(breach, rungs(0, 0, 0), 'major', opts)).toEqual([breach, breach, breach]);
    expect(escalationInstants(breach, rungs(0), 'routine', opts)).toEqual([at('2026-11-04', '08:00')]);
  });
});

describe('WORKING_HOURS', () => {
  it('defaults to 08:00-20:00 and takes another window', () => {
    expect(parseEnv({}).WORKING_HOURS).toEqual({ from: '08:00', to: '20:00' });
    expect(parseEnv({ WORKING_HOURS: ' 07:30-21:00 ' }).WORKING_HOURS).toEqual({
      from: '07:30',
      to: '21:00',
    });
  });

  it('00:00-24:00 turns quiet hours off', () => {
    expect(parseEnv({ WORKING_HOURS: '00:00-24:00' }).WORKING_HOURS).toEqual({ from: '00:00', to: '24:00' });
  });

  it.each(['20:00-08:00', '8-20', '08:00-24:30', '08:00–20:00', 'always'])(
    'refuses %s naming the variable',
    (v) => {
      expect(() => parseEnv({ WORKING_HOURS: v })).toThrow(/WORKING_HOURS: must be HH:mm-HH:mm/);
    },
  );
});
