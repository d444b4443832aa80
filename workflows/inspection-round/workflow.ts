import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { InspectionActivities } from '../../activities/inspection.ts';
import { localDate, localTimeToInstant } from '../../domain/calendar.ts';
import {
  checklistFor,
  entriesChangingCases,
  mergeSavedRound,
  periodOf,
  roundId,
  sameCheck,
  scoreRound,
  unansweredItems,
  type CheckEntry,
  type InspectionRound,
  type RoundInput,
  type RoundsInput,
} from '../../domain/inspection.ts';
import { scheduledStart } from '../schedule-time.ts';
import {
  InspectionRoundFailure,
  inspectionRoundQuery,
  recordChecksUpdate,
  type RecordChecksInput,
} from './messages.ts';

/**
 * patched() id: a failed item's result is on the round as soon as its case is open, and a post
 * that fails part way (a later item's case cannot be opened) saves the round before it fails, so
 * the cases it did open are not left off the round until the post is repeated.
 */
export const ITEM_RESULT_WITH_CASE_PATCH = 'inspection-item-result-with-case';
/**
 * patched() id: a round finishes once. The validator refuses a post while a finish is running
 * (validators do not run on replay, so that needs no patch); a second finish an older run had
 * already accepted changes nothing when it lands on the completed round.
 */
export const FINISH_ONCE_PATCH = 'inspection-finish-once';

const acts = proxyActivities<InspectionActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['InspectionNoDirectory', 'InspectionBadEntry'] },
});

/** A scheduled run: opens this kind's round for its period in every building (or those given), and waits for them. */
export async function inspectionRounds(input: RoundsInput): Promise<string[]> {
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  const date = input.date ?? localDate(scheduledStart(), timeZone);
  const { period } = periodOf(input.kind, date);
  const buildings = await acts.inspectionBuildings({ buildingIds: input.buildingIds });
  const ids: string[] = [];
  const running: Promise<unknown>[] = [];
  for (const b of buildings) {
    const id = roundId(input.kind, b.buildingId, period);
    try {
      const child = await startChild(inspectionRound, {
        workflowId: id,
        // A round id runs once, ever: a later run of the schedule (run again by hand, caught up)
        // finds a finished or missed round closed, and must not start it afresh over its record.
        // An option of the start command only: histories replay as before.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ kind: input.kind, buildingId: b.buildingId, date, assigneeIds: b.supervisorIds, timeZone }],
      });
      running.push(child.result());
    } catch (err) {
      // Started already, running or closed (a caught-up or repeated run): that is this period's round.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    ids.push(id);
  }
  // The run lasts as long as its rounds, so the schedule's history shows each period whole.
  await Promise.allSettled(running);
  return ids;
}

/**
 * One building's round for one period: the checklist goes to the building's
 * supervisors; results come as updates; each failed item opens a case citing
 * it; finished, the round is scored per dimension. Not finished by the end of
 * its period, it is recorded as missed.
 */
export async function inspectionRound(input: RoundInput): Promise<InspectionRound> {
  const { period, from, to } = periodOf(input.kind, input.date);
  const round: InspectionRound = {
    roundId: roundId(input.kind, input.buildingId, period),
    kind: input.kind,
    buildingId: input.buildingId,
    period,
    from,
    to,
    due: new Date(Date.parse(localTimeToInstant(to, '23:59', input.timeZone)) + 60_000).toISOString(),
    assigneeIds: [...input.assigneeIds],
    checklist: checklistFor(input.kind).map((i) => i.id),
    status: 'open',
    results: [],
    scores: [],
    cases: {},
  };
  round.scores = scoreRound(round.checklist, round.results);
  // Whose the round's record is: this execution's, by its first run's id, so a reset (a new run
  // of the same execution) keeps saving it, while another execution of the round id is still
  // refused. Only the activities' input changes (no command does): histories replay as before.
  const owner = workflowInfo().firstExecutionRunId;
  /**
   * The round's record is the truth of what was saved: a run reset to an earlier point has lost
   * from its memory the posts it took since, and takes them up from the record when the open or a
   * save answers it (they answer only when it has more than the run). Merged, not taken over: the
   * run may have recorded a post meanwhile. Histories from before they answered carry no answer,
   * and replay as they ran.
   */
  const takeUp = (stored: InspectionRound | undefined | void) => {
    if (!stored) return;
    const merged = mergeSavedRound(stored, round);
    round.results = merged.results;
    round.scores = merged.scores;
    round.cases = merged.cases;
    round.status = merged.status;
    if (merged.completedAt !== undefined) round.completedAt = merged.completedAt;
  };
  const save = async () => takeUp(await acts.saveInspectionRound(round, owner));

  // A finish accepted and still running (opening cases, saving): the validator refuses other posts
  // meanwhile, so a second finish cannot overwrite the first's completedAt, nor a save change a
  // round that is about to be completed.
  let finishing = false;
  // Posts accepted and not yet done: a finish waits for them (its validator refuses meanwhile), so
  // a save still opening its cases cannot land on the round after it is completed.
  let inFlight = 0;
  // Failed items whose cases posts are opening now (the case number not known yet), with the
  // failure that opens it and how many posts are at it. Read by the validator only: a post's
  // handler awaits the opening, and a later post's validator runs meanwhile; without this it
  // would take a pass over a failure whose case is about to open.
  const opening = new Map<string, { entry: CheckEntry; posts: number }>();
  const record = (all: readonly CheckEntry[], by: string, at: string) => {
    // An item whose case is open keeps its failure as recorded (who, when): the same failure
    // sent again (the validator refuses a change) is not recorded anew.
    const entries = all.filter(
      (r) =>
        round.cases[r.itemId] === undefined ||
        !round.results.some((x) => x.itemId === r.itemId && sameCheck(x, r)),
    );
    const given = new Set(entries.map((r) => r.itemId));
    round.results = [
      ...round.results.filter((r) => !given.has(r.itemId)),
      ...entries.map((r) => ({ ...r, by, at })),
    ];
    round.scores = scoreRound(round.checklist, round.results);
  };

  setHandler(inspectionRoundQuery, () => round);
  setHandler(
    recordChecksUpdate,
    async (u: RecordChecksInput): Promise<InspectionRound> => {
      const at = new Date().toISOString();
      // Set before the first await, in the activation whose validator accepted this post.
      if (u.finish) finishing = true;
      inFlight++;
      const withCase = patched(ITEM_RESULT_WITH_CASE_PATCH);
      let opened = 0;
      const failing = u.results.filter((r) => r.result === 'fail' && !round.cases[r.itemId]);
      for (const entry of failing) {
        const was = opening.get(entry.itemId);
        opening.set(entry.itemId, { entry: was?.entry ?? entry, posts: (was?.posts ?? 0) + 1 });
      }
      // Once the cases are open (or their opening failed), round.cases locks the items, or nothing does.
      const released = () => {
        for (const entry of failing) {
          const was = opening.get(entry.itemId);
          if (was && was.posts > 1) opening.set(entry.itemId, { ...was, posts: was.posts - 1 });
          else opening.delete(entry.itemId);
        }
      };
      try {
        for (const entry of failing) {
          let caseInput;
          try {
            caseInput = await acts.prepareInspectionCase({
              round,
              entry,
              by: u.by,
              at,
              timeZone: input.timeZone,
            });
          } catch (err) {
            if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure)
              throw ApplicationFailure.create({
                message: err.cause.message,
                type: InspectionRoundFailure.BadEntry,
              });
            throw err;
          }
          try {
            await startChild('rectificationCase', {
              workflowId: caseInput.caseId,
              args: [caseInput],
              // The case runs its own course, long after the round is over.
              parentClosePolicy: ParentClosePolicy.ABANDON,
            });
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
          round.cases[entry.itemId] = caseInput.caseId;
          // The case exists: its item's result is the round's now, whatever happens to the rest of the post.
          if (withCase) {
            record([entry], u.by, at);
            opened++;
          }
        }
      } catch (err) {
        inFlight--;
        released();
        if (u.finish) finishing = false;
        // The cases opened before the failure are on the round, in the store too; the post fails
        // with its own reason (a save that fails as well is logged by the SDK, not answered).
        if (opened > 0) await save().catch(() => undefined);
        throw err;
      }
      inFlight--;
      released();
      // A second finish accepted (by an older run's validator) while the first was running lands
      // on a completed round: it is a no-op that keeps the first finish's results and time.
      if (u.finish && round.status === 'completed' && patched(FINISH_ONCE_PATCH)) return round;
      record(u.results, u.by, at);
      if (u.finish) {
        round.status = 'completed';
        round.completedAt = at;
      }
      await save();
      // The record was closed before this run knew (a finish or a miss a reset made it lose): it
      // stays as it was, without this post.
      if (!u.finish && round.status !== 'open')
        throw ApplicationFailure.create({
          message: `round ${round.roundId} is ${round.status}`,
          type: InspectionRoundFailure.Closed,
        });
      return round;
    },
    {
      validator: (u: RecordChecksInput) => {
        if (round.status !== 'open')
          throw ApplicationFailure.create({
            message: `round ${round.roundId} is ${round.status}`,
            type: InspectionRoundFailure.Closed,
          });
        if (finishing)
          throw ApplicationFailure.create({
            message: `round ${round.roundId} is being finished`,
            type: InspectionRoundFailure.Finishing,
          });
        if (u.finish && inFlight > 0)
          throw ApplicationFailure.create({
            message: `another post to round ${round.roundId} is being saved`,
            type: InspectionRoundFailure.Busy,
          });
        if (!round.assigneeIds.includes(u.by))
          throw ApplicationFailure.create({
            message: `${u.by} is not assigned to ${round.roundId}`,
            type: InspectionRoundFailure.NotAssigned,
          });
        const off = u.results.filter((r) => !round.checklist.includes(r.itemId)).map((r) => r.itemId);
        if (off.length > 0)
          throw ApplicationFailure.create({
            message: `not on this round's checklist: ${off.join(', ')}`,
            type: InspectionRoundFailure.NotOnChecklist,
          });
        // A failed item whose case another post is opening: a change now would land on the item
        // the case is opened for (the same failure sent again is the same case, and is taken).
        const beingOpened = u.results.filter((r) => {
          const was = opening.get(r.itemId);
          return was !== undefined && !sameCheck(was.entry, r);
        });
        if (beingOpened.length > 0)
          throw ApplicationFailure.create({
            message: `cases are being opened for ${beingOpened.map((r) => r.itemId).join(', ')}: their results can no longer be changed`,
            type: InspectionRoundFailure.CaseOpening,
            details: [beingOpened.map((r) => r.itemId)],
          });
        // A failed item's case handles it now: its result, note, place and photos stay as they
        // opened the case (before, a pass sent later hid the failure and scored the round 100%).
        const locked = entriesChangingCases(round, u.results);
        if (locked.length > 0)
          throw ApplicationFailure.create({
            message: `cases are open for ${locked.map((l) => `${l.itemId} (${l.caseId})`).join(', ')}: their results can no longer be changed`,
            type: InspectionRoundFailure.CaseOpened,
            details: [locked],
          });
        // Decided here, on the round's own results, and not by the page that posted: two
        // supervisors finishing at once, or a client posting to the API, cannot end a round with
        // gaps. Results only ever grow, so what is answered now is still answered when it ends.
        const left = u.finish ? unansweredItems(round.checklist, round.results, u.results) : [];
        if (left.length > 0)
          throw ApplicationFailure.create({
            message: `${left.length} of ${round.checklist.length} items unanswered: ${left.join(', ')}`,
            type: InspectionRoundFailure.Unanswered,
            details: [left],
          });
      },
    },
  );

  takeUp(await acts.openInspectionRound(round, owner));
  await condition(() => round.status !== 'open', Math.max(0, Date.parse(round.due) - Date.now()));
  await condition(allHandlersFinished);
  if (round.status === 'open') {
    round.status = 'missed';
    await save();
  }
  return round;
}
