import { describe, expect, it } from 'vitest';
import { rangeParts, weekIsOver, type RangePart } from '../../domain/kpi-weeks.ts';

const TZ = 'Asia/Shanghai';
const later = new Date('2026-06-01T00:00:00.000Z');

/** Each part as [from, to, week or null], to read the cut at a glance. */
const cut = (parts: RangePart[]) => parts.map((p) => [p.from, p.to, p.week ?? null]);

/** Each part starts where the one before it ended: the range is covered once, no gap, no overlap. */
function expectCovers(parts: RangePart[], range: { from: string; to: string }) {
  expect(parts[0]!.from).toBe(range.from);
  expect(parts.at(-1)!.to).toBe(range.to);
  parts.slice(1).forEach((p, i) => expect(p.from).toBe(parts[i]!.to));
}

describe('weekIsOver', () => {
  // 2026-W08 is Monday 16 to Monday 23 February, campus time (UTC+8).
  const end = Date.parse('2026-02-22T16:00:00.000Z');

  it('holds a week open for an hour after its end, for cases that reach the index late', () => {
    expect(weekIsOver('2026-W08', TZ, new Date(end - 1))).toBe(false);
    expect(weekIsOver('2026-W08', TZ, new Date(end + 59 * 60_000))).toBe(false);
    expect(weekIsOver('2026-W08', TZ, new Date(end + 60 * 60_000))).toBe(true);
  });
});

describe('rangeParts', () => {
  it('cuts a range starting and ending mid-week into its whole weeks and the two edges', () => {
    // Wednesday 14 January 12:00 to Thursday 19 February 15:00, campus time.
    const range = { from: '2026-01-14T04:00:00.000Z', to: '2026-02-19T07:00:00.000Z', timeZone: TZ };
    const parts = rangeParts(range, later);
    expect(cut(parts)).toEqual([
      ['2026-01-14T04:00:00.000Z', '2026-01-18T16:00:00.000Z', null],
      ['2026-01-18T16:00:00.000Z', '2026-01-25T16:00:00.000Z', '2026-W04'],
      ['2026-01-25T16:00:00.000Z', '2026-02-01T16:00:00.000Z', '2026-W05'],
      ['2026-02-01T16:00:00.000Z', '2026-02-08T16:00:00.000Z', '2026-W06'],
      ['2026-02-08T16:00:00.000Z', '2026-02-15T16:00:00.000Z', '2026-W07'],
      ['2026-02-15T16:00:00.000Z', '2026-02-19T07:00:00.000Z', null],
    ]);
    expectCovers(parts, range);
  });

  it('has no edge where the range starts and ends on a Monday midnight', () => {
    // Across the new year: ISO 2026-W01 starts on Monday 29 December 2025.
    const range = { from: '2025-12-28T16:00:00.000Z', to: '2026-01-11T16:00:00.000Z', timeZone: TZ };
    expect(cut(rangeParts(range, later))).toEqual([
      ['2025-12-28T16:00:00.000Z', '2026-01-04T16:00:00.000Z', '2026-W01'],
      ['2026-01-04T16:00:00.000Z', '2026-01-11T16:00:00.000Z', '2026-W02'],
    ]);
  });

  it('names a closed week for the counters and leaves the open week after it to the index', () => {
    // 2026-W07 and 2026-W08, asked on Friday 20 February: W07 is over, W08 is not.
    const range = { from: '2026-02-08T16:00:00.000Z', to: '2026-02-22T16:00:00.000Z', timeZone: TZ };
    const parts = rangeParts(range, new Date('2026-02-20T04:00:00.000Z'));
    expect(cut(parts)).toEqual([
      ['2026-02-08T16:00:00.000Z', '2026-02-15T16:00:00.000Z', '2026-W07'],
      ['2026-02-15T16:00:00.000Z', '2026-02-22T16:00:00.000Z', null],
    ]);
  });

  it('leaves a whole week to the index until it is over with the margin', () => {
    const range = { from: '2026-02-15T16:00:00.000Z', to: '2026-02-22T16:00:00.000Z', timeZone: TZ };
    expect(rangeParts(range, new Date('2026-02-22T16:30:00.000Z'))[0]!.week).toBeUndefined();
    expect(rangeParts(range, new Date('2026-02-22T17:00:00.000Z'))[0]!.week).toBe('2026-W08');
  });

  it('is one edge for a range inside one week, and nothing for an empty one', () => {
    const inside = { from: '2026-02-17T01:00:00.000Z', to: '2026-02-19T01:00:00.000Z', timeZone: TZ };
    expect(cut(rangeParts(inside, later))).toEqual([[inside.from, inside.to, null]]);
    expect(rangeParts({ ...inside, to: inside.from }, later)).toEqual([]);
  });
});
