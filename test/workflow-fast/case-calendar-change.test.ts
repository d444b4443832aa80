import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { addDays, localDate, pinnedCalendar, type CalendarOverrides } from '../../domain/calendar.ts';
import type { CaseInput, CaseView } from '../../domain/case-model.ts';
import { planDeadline } from '../../domain/deadline-plan.ts';
import { stagePlanInput } from '../../workflows/rectification-case/deadlines.ts';
import {
  CaseFailure,
  calendarChangedUpdate,
  submitRootCauseUpdate,
  type CalendarChangeInput,
  withdrawUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { saveHistory } from '../support/case-harness.ts';
import { actions, caseInput, eventually, people, refusalType, useFastStack } from './harness.ts';

// A calendar saved on the admin page reaches running cases that pinned one: the open stage's
// deadline is counted again from its start, and the case counts with it from then on.
const stack = useFastStack();
const TZ = 'Asia/Shanghai';

/** A case whose analysis lasts `days` working days, counted with its pinned calendar. */
function workingDayCase(days: number): CaseInput {
  const input = caseInput();
  input.policy.stageDurations.analysing = { unit: 'working_days', amount: days };
  return input;
}

/** The due `stagePlanInput` gives the analysing stage from `startedAt` with the school's `overrides`. */
function dueWith(input: CaseInput, startedAt: string, overrides: CalendarOverrides): string {
  const pin = input.calendar;
  if (!pin) throw new Error('the case pinned no calendar');
  const duration = input.policy.stageDurations.analysing;
  const plan = planDeadline(
    {
      ...stagePlanInput({ policy: input.policy, view: { stage: 'analysing' } } as never, startedAt),
      duration,
    },
    pinnedCalendar({ official: pin.official, overrides }),
  );
  return plan.due;
}

const change = (version: number, overrides: CalendarOverrides): { args: [CalendarChangeInput] } => ({
  args: [{ version, overrides }],
});

describe.concurrent('a calendar change reaching a running case', () => {
  it('moves the open stage’s deadline by the closure days, records both dues, and takes each version once', async () => {
    const input = workingDayCase(3);
    const { handle, view } = await stack.start(input);
    const before = view.deadlines[0];
    if (!before) throw new Error('no deadline');
    // Closed from tomorrow (campus date) for a week: the three working days start after it.
    const tomorrow = addDays(localDate(before.startedAt, TZ), 1);
    const closed: CalendarOverrides = { closures: [{ from: tomorrow, to: addDays(tomorrow, 6) }] };
    const expected = dueWith(input, before.startedAt, closed);
    expect(expected).not.toBe(before.due);
    expect(Date.parse(expected)).toBeGreaterThan(Date.parse(before.due));

    const ack = await handle.executeUpdate(calendarChangedUpdate, change(1, closed));
    expect(ack).toMatchObject({ caseId: view.caseId, version: 1 });
    let v = await stack.until(handle, (x) => actions(x).includes('deadline_recounted'));
    expect(v.deadlines).toHaveLength(1);
    expect(v.deadlines[0]).toMatchObject({ stage: 'analysing', state: 'pending', due: expected });
    expect(v.sla.calendarVersion).toBe(ack.calendarVersion);
    await eventually(() => {
      const recorded = stack.of(view.caseId).steps.find((s) => s.action === 'deadline_recounted');
      expect(recorded?.payload).toMatchObject({ previousDue: before.due, due: expected, calendar: 1 });
      // The record the store keeps has the new due too (workbench order, case page).
      expect(stack.of(view.caseId).record?.deadlines[0]?.due).toBe(expected);
    });

    // The same version again (a broadcast retried) and an older one are refused, leaving nothing.
    expect(await refusalType(() => handle.executeUpdate(calendarChangedUpdate, change(1, closed)))).toBe(
      CaseFailure.Conflict,
    );
    // The closure taken back in version 2: the due is counted back to where it was.
    await handle.executeUpdate(calendarChangedUpdate, change(2, {}));
    v = await stack.until(handle, (x) => actions(x).filter((a) => a === 'deadline_recounted').length === 2);
    expect(v.deadlines[0]?.due).toBe(before.due);
    expect(await refusalType(() => handle.executeUpdate(calendarChangedUpdate, change(1, closed)))).toBe(
      CaseFailure.Conflict,
    );
    // A version that changes nothing the stage counts is taken, and recorded as the version the
    // deadline is counted with now, so the stored record says that version too.
    const v3 = await handle.executeUpdate(calendarChangedUpdate, change(3, { holidays: ['2001-05-01'] }));
    await eventually(() => {
      const recounts = stack.of(view.caseId).steps.filter((s) => s.action === 'deadline_recounted');
      expect(recounts[2]?.payload).toEqual({ calendar: 3 });
      expect(stack.of(view.caseId).record?.deadlines[0]).toMatchObject({
        due: before.due,
        calendarVersion: v3.calendarVersion,
      });
    });
    await saveHistory(handle, 'calendar-change-recounted');
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: people.supervisor, reason: 'test over' }] });
    const final = await stack.until(handle, (x) => x.stage === 'withdrawn');
    expect(actions(final).filter((a) => a === 'deadline_recounted')).toHaveLength(3);
    // A case that is over takes no calendar (its run has ended: the broadcaster counts it as gone).
    await expect(handle.executeUpdate(calendarChangedUpdate, change(4, closed))).rejects.toThrow(
      WorkflowNotFoundError,
    );
  });

  it('does not send a reminder again when the watch is taken up after a change', async () => {
    // A four-second analysis: reminders at 2 s and 3.6 s, the breach at 4 s; a change after the
    // first reminder restarts the watch, which must send only the second.
    const { handle, view } = await stack.start(caseInput({ limits: { analysing: 4 } }));
    await stack.until(handle, (x) => actions(x).includes('reminder_sent'));
    await handle.executeUpdate(
      calendarChangedUpdate,
      change(1, { closures: [{ from: '2001-01-02', to: '2001-01-03' }] }),
    );
    const v = await stack.until(handle, (x) => actions(x).includes('escalated'));
    expect(actions(v).filter((a) => a === 'reminder_sent')).toHaveLength(2);
    expect(actions(v).filter((a) => a === 'deadline_breached')).toHaveLength(1);
    // A clock-time stage does not move for a closure: the record says only the version it counts with.
    expect(
      stack
        .of(view.caseId)
        .steps.filter((x) => x.action === 'deadline_recounted')
        .map((x) => x.payload),
    ).toEqual([{ calendar: 1 }]);
    await eventually(() =>
      expect(
        stack
          .of(view.caseId)
          .emails.filter((e) => e.kind === 'reminder')
          .map((e) => e.key),
      ).toEqual(['e1.r1', 'e1.r2']),
    );
    await saveHistory(handle, 'calendar-change-after-reminder');
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: people.supervisor, reason: 'test over' }] });
  });

  it('recounts the working-day clocks not yet met, and leaves a met one as it was', async () => {
    const input = caseInput();
    input.source = 'complaint';
    const { handle, view } = await stack.start(input);
    const clockDue = (v: CaseView, id: string) => v.clocks?.find((c) => c.id === id)?.due;
    const investigation = clockDue(view, 'complaint_investigation');
    const result = clockDue(view, 'complaint_written_result');
    if (!investigation || !result) throw new Error('a complaint has its working-day clocks');
    const tomorrow = addDays(localDate(view.openedAt, TZ), 1);
    const closed: CalendarOverrides = { closures: [{ from: tomorrow, to: addDays(tomorrow, 6) }] };

    await handle.executeUpdate(calendarChangedUpdate, change(1, closed));
    let v = await stack.until(handle, (x) => actions(x).includes('deadline_recounted'));
    expect(Date.parse(clockDue(v, 'complaint_investigation') ?? '')).toBeGreaterThan(
      Date.parse(investigation),
    );
    expect(Date.parse(clockDue(v, 'complaint_written_result') ?? '')).toBeGreaterThan(Date.parse(result));
    await eventually(() => {
      const recorded = stack.of(view.caseId).steps.find((x) => x.action === 'deadline_recounted');
      // The analysis counts in clock hours: only the clocks moved.
      expect(recorded?.payload).toMatchObject({
        clocks: [
          { id: 'complaint_investigation', previousDue: investigation },
          { id: 'complaint_written_result', previousDue: result },
        ],
      });
      expect(recorded?.payload).not.toHaveProperty('stage');
    });

    // The investigation is done (root cause in); the closure taken away moves only the written result back.
    await handle.executeUpdate(submitRootCauseUpdate, {
      args: [
        {
          actor: people.assignee,
          causes: ['态度 manner'],
          responsibleId: people.responsible.id,
          plan: '培训',
        },
      ],
    });
    const movedInvestigation = clockDue(v, 'complaint_investigation');
    await handle.executeUpdate(calendarChangedUpdate, change(2, {}));
    v = await stack.until(handle, (x) => actions(x).filter((a) => a === 'deadline_recounted').length === 2);
    expect(clockDue(v, 'complaint_investigation')).toBe(movedInvestigation);
    expect(clockDue(v, 'complaint_written_result')).toBe(result);
    await saveHistory(handle, 'calendar-change-clocks');
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: people.supervisor, reason: 'test over' }] });
  });

  it('leaves an overdue working-day clock as it was, as an overdue stage keeps its deadline', async () => {
    // Reported long enough ago that the 3-working-day investigation is overdue, the
    // 5-working-day written result not yet: found by counting as the case counts.
    const input = caseInput();
    input.source = 'complaint';
    const pin = input.calendar;
    if (!pin) throw new Error('the case pinned no calendar');
    const cal = pinnedCalendar({ official: pin.official, overrides: {} });
    const dueAfter = (start: string, amount: number) =>
      planDeadline({ start, duration: { unit: 'working_days', amount }, timeZone: TZ, fractions: [] }, cal)
        .due;
    const now = Date.now();
    const hours = Array.from({ length: 24 * 14 }, (_, i) => i + 1).find((h) => {
      const start = new Date(now - h * 3_600_000).toISOString();
      return (
        Date.parse(dueAfter(start, 3)) < now - 3_600_000 && Date.parse(dueAfter(start, 5)) > now + 3_600_000
      );
    });
    if (hours === undefined) throw new Error('no report time puts one clock past due and the other ahead');
    input.reportedAt = new Date(now - hours * 3_600_000).toISOString();
    const { handle, view } = await stack.start(input);
    const clockDue = (v: CaseView, id: string) => v.clocks?.find((c) => c.id === id)?.due ?? '';
    const investigation = clockDue(view, 'complaint_investigation');
    const result = clockDue(view, 'complaint_written_result');
    expect(Date.parse(investigation)).toBeLessThan(Date.now());
    expect(Date.parse(result)).toBeGreaterThan(Date.now());

    // Closed from the day it was reported for a week: both windows hold closure days.
    const from = localDate(input.reportedAt, TZ);
    const closed: CalendarOverrides = {
      closures: [{ from, to: addDays(localDate(new Date().toISOString(), TZ), 6) }],
    };
    await handle.executeUpdate(calendarChangedUpdate, change(1, closed));
    const v = await stack.until(handle, (x) => actions(x).includes('deadline_recounted'));
    expect(clockDue(v, 'complaint_investigation')).toBe(investigation);
    expect(Date.parse(clockDue(v, 'complaint_written_result'))).toBeGreaterThan(Date.parse(result));
    await eventually(() => {
      const recorded = stack.of(view.caseId).steps.find((x) => x.action === 'deadline_recounted');
      expect(recorded?.payload).toMatchObject({
        clocks: [{ id: 'complaint_written_result', previousDue: result }],
      });
    });
    await saveHistory(handle, 'calendar-change-overdue-clock');
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: people.supervisor, reason: 'test over' }] });
  });

  it('records a due its year’s entry makes exact without moving it, so the stored record stops saying approximate', async () => {
    // Opened in a year the bundled official data does not hold yet (as a case opened in January
    // before the package has that year): every working-day due is counted with weekends only.
    const input = workingDayCase(3);
    input.source = 'complaint';
    const pin = input.calendar;
    if (!pin) throw new Error('the case pinned no calendar');
    input.calendar = { official: { ...pin.official, years: [], holidays: [], workdays: [] }, overrides: {} };
    const { handle, view } = await stack.start(input);
    const before = view.deadlines[0];
    if (!before) throw new Error('no deadline');
    expect(before).toMatchObject({ stage: 'analysing', approximate: true });
    expect(before.note?.zh).toContain('尚未录入');
    const clocksBefore = (view.clocks ?? [])
      .filter((c) => c.limit.unit === 'working_days')
      .map((c) => ({ id: c.id, due: c.due, approximate: c.approximate }));
    expect(clocksBefore.map((c) => c.approximate)).toEqual([true, true]);

    // The admin enters the year (and the next): no holiday in the window, so no due moves.
    const year = Number(localDate(view.openedAt, TZ).slice(0, 4));
    await handle.executeUpdate(calendarChangedUpdate, change(1, { years: [year, year + 1] }));
    const v = await stack.until(handle, (x) => actions(x).includes('deadline_recounted'));
    expect(v.deadlines[0]).toMatchObject({ due: before.due, approximate: false });
    expect(v.deadlines[0]?.note).toBeUndefined();
    await eventually(() => {
      const recorded = stack.of(view.caseId).steps.find((x) => x.action === 'deadline_recounted');
      expect(recorded?.payload).toEqual({
        stage: 'analysing',
        round: 1,
        due: before.due,
        previousApproximate: true,
        approximate: false,
        clocks: clocksBefore.map((c) => ({
          id: c.id,
          due: c.due,
          previousApproximate: true,
          approximate: false,
        })),
        calendar: 1,
      });
      // The record the lists, digests and morning brief read: exact, without the note.
      const record = stack.of(view.caseId).record;
      expect(record?.deadlines[0]).toMatchObject({ due: before.due, approximate: false });
      expect(record?.deadlines[0]?.note).toBeUndefined();
      const workingDayClocks = record?.clocks?.filter((c) => c.limit.unit === 'working_days');
      expect(workingDayClocks?.map((c) => c.approximate)).toEqual([false, false]);
    });
    await saveHistory(handle, 'calendar-change-made-exact');
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: people.supervisor, reason: 'test over' }] });
  });

  it('is refused by a case that pinned no calendar (it counts each stage with the calendar in force)', async () => {
    const input = caseInput();
    delete input.calendar;
    const { handle } = await stack.start(input);
    expect(
      await refusalType(() => handle.executeUpdate(calendarChangedUpdate, change(1, { holidays: [] }))),
    ).toBe(CaseFailure.Conflict);
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: people.supervisor, reason: 'test over' }] });
  });
});
