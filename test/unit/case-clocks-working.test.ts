import { describe, expect, it } from 'vitest';
import type { CaseAction } from '../../domain/case-action.ts';
import {
  CLOCK_DAYS_AFTER_DUE,
  clockStatus,
  clockWorkingTime,
  heldDue,
  MAX_PAUSE_MS,
  type CaseClock,
  type PauseRecord,
} from '../../domain/case-clocks.ts';
import {
  addDays,
  computeDeadline,
  createCalendar,
  localTimeToInstant,
  type CalendarOverrides,
  type Duration,
} from '../../domain/calendar.ts';
import { workingOptions } from '../../domain/deadline-plan.ts';

// A pause holds a case clock of working days by the working time it covered (working hours,
// 08:00-20:00 by default, on working days), as it holds a working-day stage deadline; a clock of
// hours by its clock length.
const TZ = 'Asia/Shanghai';
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (date: string, time: string) => localTimeToInstant(date, time, TZ);
const ms = (date: string, time: string) => Date.parse(at(date, time));

/** A complaint's "written result within 5 working days" clock from `start`, as planClocks keeps it. */
function writtenResult(start: string, overrides: CalendarOverrides = {}, amount = 5): CaseClock {
  const calendar = createCalendar(overrides);
  const limit: Duration = { unit: 'working_days', amount };
  const due = computeDeadline({ start, duration: limit, tz: TZ, calendar }).due;
  return {
    id: 'complaint_written_result',
    label: { zh: '投诉5个工作日内出具处理结果', en: 'written result' },
    seed: '002',
    limit,
    metBy: ['review_passed'],
    startedAt: start,
    due,
    approximate: false,
    working: clockWorkingTime({ startedAt: start, due }, calendar, TZ),
  };
}

/** The 24-hour "small repair done" clock from `start`. */
const smallRepair = (start: string): CaseClock => ({
  id: 'small_repair_done',
  label: { zh: '零星维修24小时内完成', en: 'small repair' },
  seed: '000',
  limit: { unit: 'hours', amount: 24 },
  metBy: ['rectification_reported'],
  startedAt: start,
  due: new Date(Date.parse(start) + 24 * HOUR).toISOString(),
  approximate: false,
});

const pause = (from: string, to?: string, n = 1): PauseRecord => ({
  n,
  reason: 'waiting_for_parts',
  note: '',
  requestedBy: 'staff-zhou',
  requestedAt: from,
  state: to ? 'ended' : 'approved',
  decidedBy: 'sup-wang',
  decidedAt: from,
  endsBy: new Date(Date.parse(from) + MAX_PAUSE_MS.waiting_for_parts).toISOString(),
  ...(to ? { endedAt: to, endedHow: 'resumed' as const } : {}),
});

const statusOf = (
  clock: CaseClock,
  pauses: PauseRecord[],
  now: number,
  timeline: { at: string; action: CaseAction }[] = [],
) => clockStatus(clock, { clocks: [clock], pauses, timeline }, now);

// Monday 2 November 2026, 10:00: five working days run to Monday 9 November, 18:00.
const MONDAY = at('2026-11-02', '10:00');

describe('a pause holds a working-day case clock by the working time it covered', () => {
  it('the clock is planned to the end of the fifth working day', () => {
    expect(writtenResult(MONDAY).due).toBe(at('2026-11-09', '18:00'));
  });

  it('over a weekend (Friday 18:30 to Monday 08:00): 1.5 working hours, not 61.5 clock hours', () => {
    const clock = writtenResult(MONDAY);
    const weekend = pause(at('2026-11-06', '18:30'), at('2026-11-09', '08:00'));
    const s = statusOf(clock, [weekend], ms('2026-11-09', '09:00'));
    expect(s).toMatchObject({ state: 'pending', pausedMs: 1.5 * HOUR, due: at('2026-11-09', '19:30') });
    expect(s.plannedDue).toBe(at('2026-11-09', '18:00'));
    // The written result on Tuesday morning is late: by clock time the pause would have let it through.
    const answered = [{ at: at('2026-11-10', '09:00'), action: 'review_passed' as const }];
    expect(statusOf(clock, [weekend], ms('2026-11-11', '09:00'), answered).state).toBe('breached');
    expect(statusOf(clock, [weekend], ms('2026-11-09', '21:00')).state).toBe('breached');
    // The same pause moves a 24-hour clock by its clock length.
    const repair = smallRepair(at('2026-11-06', '17:00'));
    expect(statusOf(repair, [weekend], ms('2026-11-09', '09:00'))).toMatchObject({
      pausedMs: 61.5 * HOUR,
      due: new Date(Date.parse(repair.due) + 61.5 * HOUR).toISOString(),
    });
  });

  it('as a working-day stage deadline does: the same due as heldDue with the same calendar', () => {
    const clock = writtenResult(MONDAY);
    const working = workingOptions(createCalendar(), TZ);
    const spans: [string, string][] = [
      [at('2026-11-06', '18:30'), at('2026-11-09', '08:00')],
      [at('2026-11-03', '10:00'), at('2026-11-03', '14:00')],
      [at('2026-11-07', '09:00'), at('2026-11-08', '20:00')],
      [at('2026-11-04', '19:00'), at('2026-11-05', '09:30')],
      [at('2026-11-02', '08:00'), at('2026-11-06', '12:00')],
    ];
    for (const [from, to] of spans) {
      const stage = heldDue(clock, { from: Date.parse(from), to: Date.parse(to) }, working);
      const s = statusOf(clock, [pause(from, to)], ms('2026-11-20', '08:00'));
      expect(s.due, `${from}..${to}`).toBe(stage?.due ?? clock.due);
    }
  });

  it('a weekend alone holds nothing; nor does a night outside working hours', () => {
    const clock = writtenResult(MONDAY);
    const saturday = pause(at('2026-11-07', '09:00'), at('2026-11-08', '20:00'));
    expect(statusOf(clock, [saturday], ms('2026-11-09', '09:00'))).toMatchObject({
      pausedMs: 0,
      due: clock.due,
    });
    const night = pause(at('2026-11-03', '20:00'), at('2026-11-04', '08:00'));
    expect(statusOf(clock, [night], ms('2026-11-05', '09:00'))).toMatchObject({
      pausedMs: 0,
      due: clock.due,
    });
  });

  it('inside working hours: the held hours, carried from the due into the next working day', () => {
    const clock = writtenResult(MONDAY);
    // Tuesday 10:00-14:00: four hours; Monday 18:00 + 4 working hours = 20:00 (2 h), then Tuesday 10:00.
    const s = statusOf(clock, [pause(at('2026-11-03', '10:00'), at('2026-11-03', '14:00'))], MONDAY_NOW());
    expect(s).toMatchObject({ pausedMs: 4 * HOUR, due: at('2026-11-10', '10:00') });
    // Partly outside: Wednesday 19:00 to Thursday 09:30 holds 1 + 1.5 hours.
    const across = statusOf(
      clock,
      [pause(at('2026-11-04', '19:00'), at('2026-11-05', '09:30'))],
      MONDAY_NOW(),
    );
    expect(across).toMatchObject({ pausedMs: 2.5 * HOUR, due: at('2026-11-10', '08:30') });
  });

  it('over official holidays and a make-up working day (National Day 2026)', () => {
    // Tuesday 29 September: 30 Sep, 8, 9, 10 (a Saturday worked, 调休) and 12 October.
    const clock = writtenResult(at('2026-09-29', '10:00'));
    expect(clock.due).toBe(at('2026-10-12', '18:00'));
    const holidays = pause(at('2026-10-01', '09:00'), at('2026-10-07', '20:00'));
    expect(statusOf(clock, [holidays], ms('2026-10-08', '09:00'))).toMatchObject({
      pausedMs: 0,
      due: clock.due,
    });
    // Friday 20:00 to Sunday 20:00 holds the make-up Saturday's twelve hours.
    const makeUp = pause(at('2026-10-09', '20:00'), at('2026-10-11', '20:00'));
    expect(statusOf(clock, [makeUp], ms('2026-10-12', '09:00'))).toMatchObject({
      pausedMs: 12 * HOUR,
      due: at('2026-10-13', '18:00'),
    });
  });

  it('over a school closure (the calendar file’s own day off)', () => {
    const closed = { closures: [{ from: '2026-11-04', to: '2026-11-04' }] };
    const clock = writtenResult(MONDAY, closed);
    expect(clock.due).toBe(at('2026-11-10', '18:00'));
    const wednesday = pause(at('2026-11-04', '08:00'), at('2026-11-04', '20:00'));
    expect(statusOf(clock, [wednesday], ms('2026-11-05', '09:00'))).toMatchObject({
      pausedMs: 0,
      due: clock.due,
    });
    // Without the closure the same Wednesday holds a whole working day.
    const open = writtenResult(MONDAY);
    expect(statusOf(open, [wednesday], ms('2026-11-05', '09:00')).pausedMs).toBe(12 * HOUR);
  });

  it('an open pause holds the working time up to now', () => {
    const clock = writtenResult(MONDAY);
    const running = pause(at('2026-11-03', '10:00'));
    expect(statusOf(clock, [running], ms('2026-11-03', '15:00'))).toMatchObject({
      state: 'pending',
      pausedMs: 5 * HOUR,
    });
    // Overnight and into Wednesday: Tuesday 10:00-20:00 and Wednesday 08:00-09:00.
    expect(statusOf(clock, [running], ms('2026-11-04', '09:00')).pausedMs).toBe(11 * HOUR);
    // Over the weekend, still open on Monday 09:00: nothing more for Saturday and Sunday.
    const friday = pause(at('2026-11-06', '19:00'));
    expect(statusOf(clock, [friday], ms('2026-11-09', '09:00'))).toMatchObject({
      pausedMs: 2 * HOUR,
      due: at('2026-11-09', '20:00'),
    });
  });

  it('several pauses add up; one begun after the breach or after the clock was met holds nothing', () => {
    const clock = writtenResult(MONDAY);
    const two = [
      pause(at('2026-11-03', '10:00'), at('2026-11-03', '12:00'), 1),
      pause(at('2026-11-05', '18:00'), at('2026-11-06', '09:00'), 2),
    ];
    // Two hours, then 18:00-20:00 and 08:00-09:00: five hours in all, Monday 18:00 -> Tuesday 11:00.
    expect(statusOf(clock, two, MONDAY_NOW())).toMatchObject({
      pausedMs: 5 * HOUR,
      due: at('2026-11-10', '11:00'),
    });
    const late = pause(at('2026-11-09', '19:00'), at('2026-11-10', '12:00'));
    expect(statusOf(clock, [late], ms('2026-11-10', '13:00'))).toMatchObject({
      state: 'breached',
      pausedMs: 0,
    });
    const met = [{ at: at('2026-11-03', '09:00'), action: 'review_passed' as const }];
    expect(
      statusOf(clock, [pause(at('2026-11-03', '10:00'), at('2026-11-03', '14:00'))], MONDAY_NOW(), met),
    ).toMatchObject({ state: 'met', pausedMs: 0 });
  });

  it('a pause begun before the report counts from the report', () => {
    const clock = writtenResult(MONDAY);
    const before = pause(at('2026-11-02', '08:00'), at('2026-11-02', '12:00'));
    expect(statusOf(clock, [before], MONDAY_NOW())).toMatchObject({
      pausedMs: 2 * HOUR,
      due: at('2026-11-09', '20:00'),
    });
  });

  it('keeps the working days well past the due, and a clock planned without them counts weekdays', () => {
    const clock = writtenResult(MONDAY);
    expect(clock.working).toMatchObject({
      timeZone: TZ,
      from: '2026-11-02',
      hours: { from: '08:00', to: '20:00' },
    });
    // 2 November .. 9 November + CLOCK_DAYS_AFTER_DUE, one day a character; Saturday and Sunday are '0'.
    expect(clock.working?.days).toHaveLength(8 + CLOCK_DAYS_AFTER_DUE);
    expect(clock.working?.days.slice(0, 8)).toBe('11111001');
    const legacy: CaseClock = { ...clock, working: undefined };
    const weekend = pause(at('2026-11-06', '18:30'), at('2026-11-09', '08:00'));
    expect(statusOf(legacy, [weekend], ms('2026-11-09', '09:00'))).toMatchObject({
      pausedMs: 1.5 * HOUR,
      due: at('2026-11-09', '19:30'),
    });
    // The kept days are what counts, not the weekday: a closure kept with the clock holds nothing.
    const closed = writtenResult(MONDAY, { closures: [{ from: '2026-11-04', to: '2026-11-04' }] });
    expect(closed.working?.days.slice(0, 4)).toBe('1101');
    expect(addDays('2026-11-02', (clock.working?.days.length ?? 0) - 1)).toBe(
      addDays('2026-11-09', CLOCK_DAYS_AFTER_DUE),
    );
  });

  it('custom working hours are kept with the clock and used for the pause', () => {
    const calendar = createCalendar();
    const base = writtenResult(MONDAY);
    const clock = { ...base, working: clockWorkingTime(base, calendar, TZ, { from: '09:00', to: '17:00' }) };
    // Friday 16:00 to Monday 10:00: one hour on Friday and one on Monday.
    const s = statusOf(
      clock,
      [pause(at('2026-11-06', '16:00'), at('2026-11-09', '10:00'))],
      ms('2026-11-09', '11:00'),
    );
    // Monday 18:00 is after 17:00: two working hours from it run Tuesday 09:00-11:00.
    expect(s).toMatchObject({ pausedMs: 2 * HOUR, due: at('2026-11-10', '11:00') });
  });
});

function MONDAY_NOW(): number {
  return ms('2026-11-09', '12:00');
}
