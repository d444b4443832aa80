import { describe, expect, it } from 'vitest';
import { remindersAfterRecount } from '../../domain/recount-reminders.ts';

const at = (h: number) => new Date(Date.UTC(2026, 11, 8, h)).toISOString();
const now = Date.parse(at(12));
const reminders = [
  { index: 0, at: at(8) },
  { index: 1, at: at(10) },
  { index: 2, at: at(14) },
];
const idx = (rs: { index: number }[]) => rs.map((r) => r.index);

describe('reminders after a recount', () => {
  it('keeps every reminder when none has passed', () => {
    expect(idx(remindersAfterRecount(reminders, (r) => r.at, at(18), Date.parse(at(6))))).toEqual([0, 1, 2]);
  });

  it('sends only the latest passed reminder, once, with those still ahead', () => {
    expect(idx(remindersAfterRecount(reminders, (r) => r.at, at(18), now))).toEqual([1, 2]);
  });

  it('sends none of the passed ones once the due itself has passed', () => {
    expect(idx(remindersAfterRecount(reminders.slice(0, 2), (r) => r.at, at(11), now))).toEqual([]);
    expect(idx(remindersAfterRecount(reminders, (r) => r.at, at(12), now))).toEqual([2]);
  });

  it('reads each reminder’s time through wakeOf (a pause may have moved it)', () => {
    const moved = (r: { at: string }) => new Date(Date.parse(r.at) + 3 * 3_600_000).toISOString();
    // 08→11 passed, 10→13 and 14→17 ahead.
    expect(idx(remindersAfterRecount(reminders, moved, at(18), now))).toEqual([0, 1, 2]);
  });

  it('keeps an empty list empty', () => {
    expect(remindersAfterRecount([], (r: { at: string }) => r.at, at(18), now)).toEqual([]);
  });
});
