import { describe, expect, it } from 'vitest';
import { dueAfterHolds, type PauseRecord } from '../../domain/case-clocks.ts';
import { computeDeadline, createCalendar, localTimeToInstant } from '../../domain/calendar.ts';
import { workingOptions } from '../../domain/deadline-plan.ts';

// A calendar change recounts a stage deadline from its start; the pauses that held it are counted
// again in the new working days (as they were when they ended), not carried over as clock time.
const TZ = 'Asia/Shanghai';
const HOURS = { from: '08:00', to: '18:00' };
const at = (date: string, time: string) => localTimeToInstant(date, time, TZ);
const stage = { startedAt: at('2026-12-09', '09:00'), stage: 'rectifying', state: 'pending' } as const;
const pause = (from: string, to: string, over: Partial<PauseRecord> = {}): PauseRecord => ({
  n: 1,
  reason: 'waiting_for_parts',
  note: '',
  requestedBy: 'staff-zhou',
  requestedAt: from,
  state: 'ended',
  decidedBy: 'sup-wang',
  decidedAt: from,
  endedAt: to,
  holdsStage: true,
  holdsInWorkingTime: true,
  ...over,
});
const twoWorkingDays = (closures: { from: string; to: string }[]) => {
  const calendar = createCalendar({ closures });
  const due = computeDeadline({
    start: stage.startedAt,
    duration: { unit: 'working_days', amount: 2 },
    tz: TZ,
    calendar,
  }).due;
  return { calendar, due, working: workingOptions(calendar, TZ, HOURS) };
};
const now = Date.parse(at('2026-12-09', '15:00'));

describe('a recounted deadline and the pauses that held it', () => {
  // Wed 9 Dec, two working days: Fri 11 Dec 18:00. Two working hours held on Wed morning.
  const held = pause(at('2026-12-09', '10:00'), at('2026-12-09', '12:00'));
  const before = twoWorkingDays([]);

  it('moves the due on by the held working time, into the next working day’s hours', () => {
    expect(before.due).toBe(at('2026-12-11', '18:00'));
    const r = dueAfterHolds(stage, before.due, [held], now, () => before.working);
    // Fri 18:00 + 2 working hours: Mon 14 Dec 10:00 (the weekend holds none).
    expect(r.due).toBe(at('2026-12-14', '10:00'));
    expect(r.heldMs).toBe(Date.parse(r.due) - Date.parse(before.due));
  });

  it('counts the hold again in the new working days when a closure moves the due', () => {
    // Thu 10 Dec closed: two working days end Mon 14 Dec 18:00; the two held hours take Tue 08:00-10:00.
    const after = twoWorkingDays([{ from: '2026-12-10', to: '2026-12-10' }]);
    expect(after.due).toBe(at('2026-12-14', '18:00'));
    const r = dueAfterHolds(stage, after.due, [held], now, () => after.working);
    expect(r.due).toBe(at('2026-12-15', '10:00'));
    // Carrying the old hold over as clock time (64 h from Fri 18:00 to Mon 10:00) would land on Thu 17 Dec.
    const carried = new Date(
      Date.parse(after.due) + (Date.parse(at('2026-12-14', '10:00')) - Date.parse(before.due)),
    );
    expect(r.due).not.toBe(carried.toISOString());
    expect(r.heldMs).toBe(Date.parse(r.due) - Date.parse(after.due));
  });

  it('holds in clock time a pause that counted so, and leaves a running pause to its own end', () => {
    const clock = pause(at('2026-12-09', '10:00'), at('2026-12-09', '12:00'), { holdsInWorkingTime: false });
    expect(dueAfterHolds(stage, before.due, [clock], now, () => undefined).due).toBe(
      at('2026-12-11', '20:00'),
    );
    const running = pause(at('2026-12-09', '13:00'), at('2026-12-09', '14:00'), {
      state: 'approved',
      endedAt: undefined,
    });
    expect(dueAfterHolds(stage, before.due, [running], now, () => before.working)).toEqual({
      due: before.due,
      heldMs: 0,
    });
    // A pause that held no other deadline than an earlier stage's (it ended before this one began) moves nothing.
    const earlier = pause(at('2026-12-08', '10:00'), at('2026-12-08', '12:00'));
    expect(dueAfterHolds(stage, before.due, [earlier], now, () => before.working).heldMs).toBe(0);
  });
});
