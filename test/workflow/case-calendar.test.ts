import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { calendarChangedUpdate, submitRootCauseUpdate } from '../../workflows/rectification-case/messages.ts';
import { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import {
  actorOf,
  caseInput,
  caseMails,
  saveHistory,
  settle,
  shanghai,
  startCase,
  useCaseStack,
} from '../support/case-harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';
import type { CaseInput, CaseView } from '../../domain/case-model.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import type { WorkflowHandle } from '@temporalio/client';

const { EventType } = temporal.api.enums.v1;

// Monday 1 March 2027: the bundled official calendar ends with 2026 and this test's worker has
// no calendar file declaring 2027, so working-day deadlines there count weekends only.
const stack = useCaseStack({ startAt: new Date('2027-03-01T09:00:00+08:00') });

describe('a deadline in a year without official calendar data', () => {
  it('is flagged approximate, with a bilingual note, in the case view', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'evaluation' });
      const { handle } = await startCase(env, tq, input);
      const v = await viewAfterStep(
        handle,
        handle.executeUpdate(submitRootCauseUpdate, {
          args: [
            {
              actor: actorOf(dir, 'sup-wang'),
              causes: ['照明损坏'],
              responsibleId: 'staff-zhou',
              plan: '更换灯具',
            },
          ],
        }),
      );
      // Analysis runs on the clock (24 hours): exact whatever the year.
      const analysing = v.deadlines.find((d) => d.stage === 'analysing');
      expect(analysing).toMatchObject({ approximate: false });
      expect(analysing?.note).toBeUndefined();
      // Sign-off is one working day: counted without 2027's holidays, and it says so.
      const signoff = v.deadlines.find((d) => d.stage === 'awaiting_signoff');
      expect(signoff).toMatchObject({ approximate: true });
      expect(shanghai(signoff?.due ?? '')).toBe('2027-03-02 18:00');
      // It says why (not entered when the case opened) and promises no later correction: the case keeps its calendar.
      expect(signoff?.note?.zh).toMatch(/2027 年.*尚未录入.*只按周末计算工作日/);
      expect(signoff?.note?.zh).not.toMatch(/以实际为准|暂按/);
      expect(signoff?.note?.en).toMatch(/2027.*not in the calendar yet.*weekends only/);
      expect(signoff?.note?.en).not.toMatch(/until/);
    });
  });

  it('is exact in the stored record once 2027 is entered, though the due does not move', async () => {
    const { dir, env, deps } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'evaluation' });
      const { handle } = await startCase(env, tq, input);
      const signoff = await signOffDeadline(handle, dir);
      expect(signoff).toMatchObject({ approximate: true });
      const stored = () => getCaseRecord(deps.ddb, deps.tables, input.caseId);
      const measures = (v: CaseView | null) => v?.clocks?.find((c) => c.id === 'evaluation_measures');
      expect((await stored())?.deadlines.find((d) => d.stage === 'awaiting_signoff')).toMatchObject({
        approximate: true,
      });
      const clock = measures(await stored());
      expect(clock).toMatchObject({ approximate: true });

      // The admin enters 2027 (no holiday near): the sign-off stays due Tuesday at the end of the day.
      await handle.executeUpdate(calendarChangedUpdate, {
        args: [{ version: 1, overrides: { years: [2027] } }],
      });
      await settle(handle);
      const record = await stored();
      const after = record?.deadlines.find((d) => d.stage === 'awaiting_signoff');
      // What the lists, digests, the workbench and the morning brief read says what the case page does.
      expect(after).toMatchObject({ due: signoff?.due, approximate: false });
      expect(after?.note).toBeUndefined();
      expect(measures(record)).toMatchObject({ due: clock?.due, approximate: false });
      expect(record?.timeline.filter((e) => e.action === 'deadline_recounted')).toHaveLength(1);
    });
  });
});

/** The names of the markers in a history, in order (patches and local activities). */
const markerNames = (events: temporal.api.history.v1.IHistoryEvent[] | null | undefined) =>
  (events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED)
    .map((e) => e.markerRecordedEventAttributes?.markerName);

/** The root cause of a case, and the sign-off deadline it leads to. */
async function signOffDeadline(handle: WorkflowHandle, dir: Parameters<typeof actorOf>[0]) {
  const v = await viewAfterStep(
    handle,
    handle.executeUpdate(submitRootCauseUpdate, {
      args: [
        {
          actor: actorOf(dir, 'sup-wang'),
          causes: ['照明损坏'],
          responsibleId: 'staff-zhou',
          plan: '更换灯具',
        },
      ],
    }),
  );
  return v.deadlines.find((d) => d.stage === 'awaiting_signoff');
}

describe('the calendar a case pins', () => {
  // The school closed Tuesday 2 March 2027 and declared 2027 complete; this test's worker knows
  // neither (its calendar is the bundled official data alone).
  const closed = { closures: [{ from: '2027-03-02', to: '2027-03-02' }], years: [2027] };

  it('counts every deadline with the pinned calendar, in the workflow: no marker at all', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input: CaseInput = caseInput(dir, await stack.now(), { source: 'evaluation', calendar: closed });
      const { handle } = await startCase(env, tq, input);
      const signoff = await signOffDeadline(handle, dir);
      // One working day from Monday, with Tuesday closed: Wednesday at the end of the day.
      expect(shanghai(signoff?.due ?? '')).toBe('2027-03-03 18:00');
      expect(signoff).toMatchObject({ approximate: false });
      expect(signoff?.note).toBeUndefined();
      // The sign-off request states that deadline (decided before it was planned, sent after).
      const request = (await caseMails(input.caseId)).find((m) => m.tag === '待签字');
      expect(request?.text).toContain('签字确认时限：2027/03/03 18:00 (Asia/Shanghai)');
      expect(request?.text).toContain('Sign-off due: 2027/03/03 18:00 (Asia/Shanghai)');
      const { events } = await handle.fetchHistory();
      // Neither a patch marker (the type says which code it runs) nor a local activity's.
      expect(markerNames(events)).toEqual([]);
      expect(events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe(
        'rectificationCaseV2',
      );
      await saveHistory(handle, 'typed-pinned-calendar');
    });
  });

  it('is counted with by a duty’s or inspection’s case too, behind its patch', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      // The older type with a calendar, as activities/item-case.ts prepares one.
      const input = caseInput(dir, await stack.now(), { source: 'evaluation', calendar: closed });
      const { handle } = await startCase(env, tq, input, rectificationCase);
      const signoff = await signOffDeadline(handle, dir);
      expect(shanghai(signoff?.due ?? '')).toBe('2027-03-03 18:00');
      const { events } = await handle.fetchHistory();
      // transition-effects, pinned-calendar and detected-cites-report; no local activity plans a deadline.
      expect(markerNames(events)).toEqual(['core_patch', 'core_patch', 'core_patch']);
      await saveHistory(handle, 'untyped-pinned-calendar');
    });
  });

  it('is not asked of a case without one: the worker plans with the calendar in force', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      // As a duty or an inspection opens a case: the older type, no calendar in its input.
      const input = caseInput(dir, await stack.now(), { source: 'evaluation', calendar: null });
      const { handle } = await startCase(env, tq, input, rectificationCase);
      const signoff = await signOffDeadline(handle, dir);
      expect(shanghai(signoff?.due ?? '')).toBe('2027-03-02 18:00');
      expect(signoff).toMatchObject({ approximate: true });
      // The older type's sign-off request is sent as it always was, without the deadline.
      const request = (await caseMails(input.caseId)).find((m) => m.tag === '待签字');
      expect(request?.text).toContain('请确认案件');
      expect(request?.text).not.toContain('签字确认时限');
      const { events } = await handle.fetchHistory();
      // Its patch markers (transition-effects, detected-cites-report), the opening's plan and the sign-off stage's plan.
      expect(markerNames(events)).toEqual([
        'core_patch',
        'core_patch',
        'core_local_activity',
        'core_local_activity',
      ]);
    });
  });
});
