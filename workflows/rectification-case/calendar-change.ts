import { setHandler } from '@temporalio/workflow';
import { approximateDeadlineNote } from '../../domain/calendar-note.ts';
import { pinnedCalendar, type WorkingCalendar } from '../../domain/calendar.ts';
import { SYSTEM_ACTOR, isTerminal, type DeadlineView } from '../../domain/case-model.ts';
import type { PlanDeadlineResult } from '../../domain/deadline-plan.ts';
import { calendarChangedUpdate, type CalendarChangeInput } from './messages.ts';
import { refuse, type CaseState } from './state.ts';

/**
 * A calendar saved on the admin page reaches the running cases (a closure day, next year's
 * official holidays entered in December): each case that pinned a calendar keeps its pinned
 * official days and counts the school's days as the new version declares them, its open
 * stage's deadline included. Cases that pinned none count each stage with the calendar in
 * force when it begins, so they refuse the change (their next stage takes it anyway).
 *
 * The update is new: no history recorded before it holds one, so cases replay as they ran.
 * A version the case already took, or an older one arriving late, is refused by the validator
 * and leaves nothing in its history; the broadcaster may send a version twice.
 */
export function registerCalendarChange(s: CaseState): void {
  setHandler(
    calendarChangedUpdate,
    (change) => {
      const next = changedCalendar(s, change);
      s.calendarSaved = change.version;
      if (next.version !== s.calendar?.version) {
        s.calendar = next;
        s.calendarChanges += 1;
      }
      return { caseId: s.view.caseId, version: change.version, calendarVersion: next.version };
    },
    {
      validator: (change) => {
        if (!Number.isInteger(change.version) || change.version < 1)
          refuse({
            kind: 'invalid',
            message: `calendar version must be a whole number from 1, got ${change.version}`,
          });
        if (isTerminal(s.view.stage))
          refuse({
            kind: 'conflict',
            message: `case ${s.view.caseId} is ${s.view.stage}: no deadline to recount`,
          });
        if (change.version <= s.calendarSaved)
          refuse({
            kind: 'conflict',
            message: `case ${s.view.caseId} already counts with calendar version ${s.calendarSaved}`,
          });
        changedCalendar(s, change);
      },
    },
  );
}

function changedCalendar(s: CaseState, change: CalendarChangeInput): WorkingCalendar {
  const pin = s.input.calendar;
  if (!pin || !s.calendar)
    refuse({
      kind: 'conflict',
      message: `case ${s.view.caseId} pinned no calendar: each stage counts with the calendar in force when it begins`,
    });
  try {
    return pinnedCalendar({ official: pin.official, overrides: change.overrides });
  } catch (err) {
    refuse({ kind: 'invalid', message: `calendar version ${change.version}: ${String(err)}` });
  }
}

/**
 * The open stage's deadline counted again from its start with the case's calendar as it is
 * now, moved on by the time pauses held it; recorded (the old due and the new) when it moved.
 */
export async function recountDeadline(
  s: CaseState,
  d: DeadlineView,
  plan: PlanDeadlineResult,
): Promise<void> {
  const previousDue = d.due;
  const due = new Date(Date.parse(plan.due) + (d.heldMs ?? 0)).toISOString();
  d.calendarVersion = plan.calendarVersion;
  s.view.sla.calendarVersion = plan.calendarVersion;
  d.approximate = plan.approximate;
  if (plan.approximate) d.note = approximateDeadlineNote(due, s.policy.timeZone);
  else delete d.note;
  if (due === previousDue) return;
  d.due = due;
  await s.record(SYSTEM_ACTOR, 'deadline_recounted', {
    stage: d.stage,
    round: d.round,
    previousDue,
    due,
    approximate: plan.approximate,
    calendar: s.calendarSaved,
  });
}
