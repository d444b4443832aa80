import { patched, setHandler } from '@temporalio/workflow';
import { approximateDeadlineNote } from '../../domain/calendar-note.ts';
import { pinnedCalendar, type WorkingCalendar } from '../../domain/calendar.ts';
import { SYSTEM_ACTOR, isTerminal, type DeadlineView } from '../../domain/case-model.ts';
import { clockWorkingTime, meetingEvent } from '../../domain/case-clocks.ts';
import { planDeadline } from '../../domain/deadline-plan.ts';
import { RECOUNT_RECORDS_UNMOVED_PATCH, RECOUNT_SPARES_PAST_PATCH, stagePlanInput } from './deadlines.ts';
import { calendarChangedUpdate, type CalendarChangeInput } from './messages.ts';
import { refuse, type CaseState } from './state.ts';

/**
 * A calendar saved on the admin page reaches the running cases (a closure day, next year's
 * official holidays entered in December): each case that pinned a calendar keeps its pinned
 * official days and counts the school's days as the new version declares them, its open
 * stage's deadline and its working-day clocks included. Cases that pinned none count each
 * stage with the calendar in force when it begins, so they refuse the change (their next stage
 * takes it anyway).
 *
 * The update is new: no history recorded before it holds one, so cases replay as they ran.
 * A version the case already took, or an older one arriving late, is refused by the validator
 * and leaves nothing in its history; the broadcaster may send a version twice.
 */
export function registerCalendarChange(s: CaseState): void {
  setHandler(
    calendarChangedUpdate,
    async (change) => {
      const next = changedCalendar(s, change);
      s.calendarSaved = change.version;
      if (next.version !== s.calendar?.version) {
        s.calendar = next;
        // The stage's watch wakes on this and plans its reminders and breach again.
        s.calendarChanges += 1;
        await recount(s, next, change.version);
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

/** What the case shows of a deadline or clock that a recount may change. */
interface Shown {
  due: string;
  approximate: boolean;
}

/** A deadline or clock the recount changed: its due and flag before and after. */
interface Recounted {
  was: Shown;
  now: Shown;
}

/**
 * The open stage's deadline (while it is pending) and the working-day clocks not yet met nor overdue, counted
 * again from their starts with `calendar`; a stage deadline moved on again by the pauses that held it.
 * One record says what moved (each old due and new), none when nothing did. Behind
 * RECOUNT_RECORDS_UNMOVED_PATCH a recount that moves nothing but changes what the case shows of its
 * deadlines (a flag, the stage's note or calendar version) is recorded too: the record is what
 * the lists, digests and the morning brief read, and only a record saves it.
 */
async function recount(s: CaseState, calendar: WorkingCalendar, version: number): Promise<void> {
  const { policy, view } = s;
  const d = s.openStageDeadline();
  const stage = d?.state === 'pending' ? recountStage(s, d, calendar) : undefined;
  const sparePast = patched(RECOUNT_SPARES_PAST_PATCH);
  const clocks = (view.clocks ?? []).flatMap((c) => {
    if (c.limit.unit !== 'working_days' || meetingEvent(c, view.timeline)) return [];
    // An overdue clock keeps its breach, as an overdue stage keeps its deadline.
    if (sparePast && Date.parse(c.due) <= Date.now()) return [];
    const plan = planDeadline(
      { start: c.startedAt, duration: c.limit, timeZone: policy.timeZone, fractions: [] },
      calendar,
    );
    c.working = clockWorkingTime(
      { startedAt: c.startedAt, due: plan.due },
      calendar,
      policy.timeZone,
      policy.workingHours,
    );
    const was = { due: c.due, approximate: c.approximate };
    c.approximate = plan.approximate;
    c.due = plan.due;
    return changed(was, c) ? [{ id: c.id, was, now: { due: c.due, approximate: c.approximate } }] : [];
  });
  const moved = (r: Recounted) => r.was.due !== r.now.due;
  const flipped = (r: Recounted) => r.was.approximate !== r.now.approximate;
  const stageMoved = stage && moved(stage) ? stage : undefined;
  const movedClocks = clocks.filter(moved);
  const shownChanged = (stage !== undefined && stage.shownChanged) || clocks.some(flipped);
  if (!stageMoved && movedClocks.length === 0 && !shownChanged) return;
  if (!(shownChanged && patched(RECOUNT_RECORDS_UNMOVED_PATCH))) {
    // As cases recorded before the patch: the moves alone, nothing when none.
    if (!stageMoved && movedClocks.length === 0) return;
    await s.record(SYSTEM_ACTOR, 'deadline_recounted', {
      ...(stageMoved && d
        ? { stage: d.stage, round: d.round, previousDue: stageMoved.was.due, due: d.due }
        : {}),
      ...(movedClocks.length > 0
        ? { clocks: movedClocks.map((c) => ({ id: c.id, previousDue: c.was.due, due: c.now.due })) }
        : {}),
      calendar: version,
    });
    return;
  }
  // Each due that moved (`previousDue`) or whose flag flipped (`previousApproximate`); an entry
  // with neither says every due stands, counted with the new version.
  const what = (r: Recounted) => ({
    ...(moved(r) ? { previousDue: r.was.due } : {}),
    due: r.now.due,
    ...(flipped(r) ? { previousApproximate: r.was.approximate, approximate: r.now.approximate } : {}),
  });
  await s.record(SYSTEM_ACTOR, 'deadline_recounted', {
    ...(stage && d && (moved(stage) || flipped(stage))
      ? { stage: d.stage, round: d.round, ...what(stage) }
      : {}),
    ...(clocks.length > 0 ? { clocks: clocks.map((c) => ({ id: c.id, ...what(c) })) } : {}),
    calendar: version,
  });
}

const changed = (was: Shown, now: Shown) => was.due !== now.due || was.approximate !== now.approximate;

/**
 * The pending stage deadline with `calendar`, its ended holds counted again: its due and flag
 * before and after, and whether anything else the case shows of it changed (its note, the
 * calendar version it is counted with).
 */
function recountStage(
  s: CaseState,
  d: DeadlineView,
  calendar: WorkingCalendar,
): Recounted & { shownChanged: boolean } {
  const plan = planDeadline(stagePlanInput(s, d.startedAt), calendar);
  const { due, heldMs } = s.dueWithHolds(d, plan.due);
  const was = { due: d.due, approximate: d.approximate };
  const before = JSON.stringify([d.approximate, d.note, d.calendarVersion, s.view.sla.calendarVersion]);
  if (heldMs > 0) d.heldMs = heldMs;
  else delete d.heldMs;
  d.calendarVersion = plan.calendarVersion;
  s.view.sla.calendarVersion = plan.calendarVersion;
  d.approximate = plan.approximate;
  if (plan.approximate) d.note = approximateDeadlineNote(due, s.policy.timeZone);
  else delete d.note;
  d.due = due;
  const after = JSON.stringify([d.approximate, d.note, d.calendarVersion, s.view.sla.calendarVersion]);
  return { was, now: { due, approximate: d.approximate }, shownChanged: before !== after };
}
