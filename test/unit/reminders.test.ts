import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMs, parseInstant } from '../../domain/calendar.ts';
import { DEFAULT_REMINDER_FRACTIONS, escalationInstants, reminderInstants } from '../../domain/reminders.ts';

const HOUR = 3_600_000;

describe('reminderInstants', () => {
  it('reminds at half-time and at 90% by default', () => {
    expect(DEFAULT_REMINDER_FRACTIONS).toEqual([0.5, 0.9]);
    expect(reminderInstants({ start: '2026-03-06T00:00:00Z', due: '2026-03-06T10:00:00Z' })).toEqual([
      '2026-03-06T05:00:00.000Z',
      '2026-03-06T09:00:00.000Z',
    ]);
  });

  it('accepts instants with offsets and answers in UTC', () => {
    expect(
      reminderInstants({ start: '2026-09-25T10:00:00+08:00', due: '2026-09-26T10:00:00+08:00' }),
    ).toEqual(['2026-09-25T14:00:00.000Z', '2026-09-25T23:36:00.000Z']);
  });

  it('sorts and deduplicates custom fractions', () => {
    expect(
      reminderInstants({
        start: '2026-03-06T00:00:00Z',
        due: '2026-03-06T10:00:00Z',
        fractions: [0.9, 0.25, 0.5, 0.25, 0.5],
      }),
    ).toEqual(['2026-03-06T02:30:00.000Z', '2026-03-06T05:00:00.000Z', '2026-03-06T09:00:00.000Z']);
  });

  it('keeps only instants strictly between start and due', () => {
    expect(
      reminderInstants({
        start: '2026-03-06T00:00:00Z',
        due: '2026-03-06T10:00:00Z',
        fractions: [0, 1, -0.5, 1.5, 0.1],
      }),
    ).toEqual(['2026-03-06T01:00:00.000Z']);
  });

  it('gives nothing when the due is not after the start or the span is too short', () => {
    expect(reminderInstants({ start: '2026-03-06T10:00:00Z', due: '2026-03-06T10:00:00Z' })).toEqual([]);
    expect(reminderInstants({ start: '2026-03-06T10:00:00Z', due: '2026-03-06T09:00:00Z' })).toEqual([]);
    expect(reminderInstants({ start: '2026-03-06T10:00:00.000Z', due: '2026-03-06T10:00:00.001Z' })).toEqual(
      [],
    );
    expect(
      reminderInstants({ start: '2026-03-06T00:00:00Z', due: '2026-03-06T10:00:00Z', fractions: [] }),
    ).toEqual([]);
  });

  it('refuses non-finite fractions and malformed instants', () => {
    expect(() =>
      reminderInstants({
        start: '2026-03-06T00:00:00Z',
        due: '2026-03-06T10:00:00Z',
        fractions: [Number.NaN],
      }),
    ).toThrow(RangeError);
    expect(() => reminderInstants({ start: '2026-03-06', due: '2026-03-06T10:00:00Z' })).toThrow(RangeError);
    expect(() => reminderInstants({ start: '2026-03-06T00:00:00Z', due: 'soon' })).toThrow(RangeError);
  });

  it('always answers sorted, unique instants strictly inside the window (property)', () => {
    const instant = fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2035-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    fc.assert(
      fc.property(
        instant,
        instant,
        fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { maxLength: 8 }),
        (start, due, fractions) => {
          const out = reminderInstants({ start, due, fractions });
          const ms = out.map(parseInstant);
          for (const t of ms) {
            expect(t).toBeGreaterThan(parseInstant(start));
            expect(t).toBeLessThan(parseInstant(due));
          }
          for (let i = 1; i < ms.length; i++) expect(ms[i]).toBeGreaterThan(ms[i - 1] ?? -Infinity);
          expect(out.length).toBeLessThanOrEqual(fractions.length);
        },
      ),
    );
  });
});

describe('escalationInstants', () => {
  it('escalates at the due instant and then once per period', () => {
    expect(
      escalationInstants({
        due: '2026-10-22T10:00:00.000Z',
        period: durationMs({ unit: 'hours', amount: 24 }),
        count: 3,
      }),
    ).toEqual(['2026-10-22T10:00:00.000Z', '2026-10-23T10:00:00.000Z', '2026-10-24T10:00:00.000Z']);
  });

  it('accepts an offset in the due instant', () => {
    expect(escalationInstants({ due: '2026-10-22T18:00:00+08:00', period: 30 * 60_000, count: 2 })).toEqual([
      '2026-10-22T10:00:00.000Z',
      '2026-10-22T10:30:00.000Z',
    ]);
  });

  it('gives nothing for a count of zero', () => {
    expect(escalationInstants({ due: '2026-10-22T10:00:00Z', period: HOUR, count: 0 })).toEqual([]);
  });

  it('refuses a non-positive period or a bad count', () => {
    const due = '2026-10-22T10:00:00Z';
    expect(() => escalationInstants({ due, period: 0, count: 1 })).toThrow(RangeError);
    expect(() => escalationInstants({ due, period: -HOUR, count: 1 })).toThrow(RangeError);
    expect(() => escalationInstants({ due, period: Number.POSITIVE_INFINITY, count: 1 })).toThrow(RangeError);
    expect(() => escalationInstants({ due, period: HOUR, count: -1 })).toThrow(RangeError);
    expect(() => escalationInstants({ due, period: HOUR, count: 1.5 })).toThrow(RangeError);
    expect(() => escalationInstants({ due: 'later', period: HOUR, count: 1 })).toThrow(RangeError);
  });

  it('answers count strictly increasing instants, evenly spaced from the due (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 7 * 24 * HOUR }),
        fc.integer({ min: 0, max: 20 }),
        (dueDate, period, count) => {
          const due = dueDate.toISOString();
          const ms = escalationInstants({ due, period, count }).map(parseInstant);
          expect(ms).toHaveLength(count);
          ms.forEach((t, k) => expect(t).toBe(dueDate.getTime() + k * period));
        },
      ),
    );
  });
});
