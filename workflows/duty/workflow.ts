import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { DutyActivities } from '../../activities/duties.ts';
import { localDate } from '../../domain/calendar.ts';
import { occurrenceRevision } from '../../domain/duty-revision.ts';
import {
  completionProblem,
  dutyById,
  isComplete,
  partOf,
  progressOf,
  sameCompletion,
  type DutyOccurrence,
} from '../../domain/duties.ts';
import { scheduledStart } from '../schedule-time.ts';
import {
  DutyOccurrenceFailure,
  dutyOccurrenceQuery,
  recordDutyUpdate,
  type DutyRunInput,
  type RecordDutyInput,
  type RecordDutyResult,
} from './messages.ts';

/**
 * patched() id: a completion the same person already recorded word for word (a request sent
 * again) answers the occurrence as it stands instead of counting twice. Asked only when such a
 * completion arrives, so a run that never meets one carries no marker.
 */
export const SAME_COMPLETION_PATCH = 'duty-same-completion';

/**
 * patched() id: an occurrence whose latest state no save took (a completion's save that failed
 * for good) is saved once more before the run ends, so the store does not keep an older copy
 * with nothing left to correct it. Asked only then, so a run whose saves all went through
 * carries no marker.
 */
export const LAST_SAVE_PATCH = 'duty-last-save';

const acts = proxyActivities<DutyActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['DutyNoDirectory', 'DutyUnknown'] },
});

/**
 * A scheduled run of the compliance calendar: starts every occurrence whose
 * window holds the day, one workflow each (its id is the occurrence id), and
 * returns; the occurrences run their own course, a term or a year long.
 */
export async function dutyCalendar(input: DutyRunInput): Promise<string[]> {
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  const date = input.date ?? localDate(scheduledStart(), timeZone);
  const planned = await acts.planDuties({
    date,
    timeZone,
    buildingIds: input.buildingIds,
    dutyIds: input.dutyIds,
  });
  const ids: string[] = [];
  for (const occurrence of planned) {
    try {
      await startChild(dutyOccurrence, {
        workflowId: occurrence.occurrenceId,
        args: [{ occurrence }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // A finished occurrence's id must not start over while the server still knows it.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      // Running (or done) already: an earlier run of the window started it.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    ids.push(occurrence.occurrenceId);
  }
  return ids;
}

/**
 * One occurrence of a duty in one building: reminds its owners before it is
 * due, takes completions as updates until every part is done, and, not done
 * by its due time, is recorded as missed and opens a case citing the item.
 */
export async function dutyOccurrence(input: { occurrence: DutyOccurrence }): Promise<DutyOccurrence> {
  const o: DutyOccurrence = JSON.parse(JSON.stringify(input.occurrence)) as DutyOccurrence;
  const duty = dutyById(o.dutyId);
  if (!duty) throw ApplicationFailure.nonRetryable(`no duty ${o.dutyId}`, 'DutyUnknown');

  // The latest revision a save is known to have written (the store keeps the highest it is given).
  let saved = -1;
  const save = async (write: (o: DutyOccurrence) => Promise<void>): Promise<void> => {
    const rev = occurrenceRevision(o);
    await write(o);
    saved = Math.max(saved, rev);
  };

  setHandler(dutyOccurrenceQuery, () => o);
  setHandler(
    recordDutyUpdate,
    async (u: RecordDutyInput): Promise<RecordDutyResult> => {
      const given = { ...u, part: partOf(duty, u) };
      // Said so in the answer (not a command: replay does not compare it), so a caller can tell.
      if (o.completions.some((c) => sameCompletion(c, given)) && patched(SAME_COMPLETION_PATCH))
        return { ...o, duplicate: true };
      const at = new Date().toISOString();
      o.completions.push({
        part: partOf(duty, u),
        note: u.note,
        minutes: u.minutes,
        evidence: u.evidence,
        by: u.by,
        at,
      });
      o.progress = progressOf(duty, o.completions);
      if (isComplete(o.progress)) {
        o.status = 'completed';
        o.completedAt = at;
      }
      await save(acts.saveDutyOccurrence);
      return o;
    },
    {
      validator: (u: RecordDutyInput) => {
        if (o.status !== 'open')
          throw ApplicationFailure.create({
            message: `${o.occurrenceId} is ${o.status}`,
            type: DutyOccurrenceFailure.Closed,
          });
        if (!o.ownerIds.includes(u.by) && !o.supervisorIds.includes(u.by))
          throw ApplicationFailure.create({
            message: `${u.by} is not an owner of ${o.occurrenceId}`,
            type: DutyOccurrenceFailure.NotOwner,
          });
        const problem = completionProblem(duty, u);
        if (problem)
          throw ApplicationFailure.create({
            message: `${problem.zh} / ${problem.en}`,
            type: DutyOccurrenceFailure.BadCompletion,
          });
      },
    },
  );

  await save(acts.openDutyOccurrence);
  for (const [n, at] of o.reminders.entries()) {
    const wait = Date.parse(at) - Date.now();
    // A reminder already past when the occurrence started (a late start) is not sent late.
    if (wait <= 0) continue;
    if (await condition(() => o.status !== 'open', wait)) break;
    await acts.remindDuty({ occurrence: o, n });
    o.remindersSent += 1;
    await save(acts.saveDutyOccurrence);
  }
  await condition(() => o.status !== 'open', Math.max(0, Date.parse(o.due) - Date.now()));
  await condition(allHandlersFinished);
  if (o.status === 'open') {
    o.status = 'missed';
    let caseInput;
    try {
      caseInput = await acts.prepareDutyCase({ occurrence: o, at: new Date().toISOString() });
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) throw err.cause;
      throw err;
    }
    try {
      await startChild('rectificationCase', {
        workflowId: caseInput.caseId,
        args: [caseInput],
        // The case runs its own course, long after the occurrence is over.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    o.caseId = caseInput.caseId;
    await save(acts.saveDutyOccurrence);
  }
  if (saved < occurrenceRevision(o) && patched(LAST_SAVE_PATCH)) await save(acts.saveDutyOccurrence);
  return o;
}
