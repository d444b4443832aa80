import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { getDigest } from '../../store/digests.ts';
import type { AreaSummary, StaffDigest } from '../../domain/digest.ts';
import { weekBounds } from '../../domain/digest.ts';
import { WeeklyFailure } from '../../workflows/weekly-feedback/messages.ts';
import { weeklyFeedback } from '../../workflows/weekly-feedback/workflow.ts';
import { failureOfRun, useCaseStack } from '../support/case-harness.ts';
import { putCases, recipients, weekMails } from '../support/feedback-harness.ts';
import { uniqueId } from '../support/stack.ts';
import { at, view } from '../support/views.ts';

// Weeks 2015-W20..W22 belong to this file. The clock starts on Monday 2015-05-18 08:00 Shanghai.
const START = new Date('2015-05-18T00:00:00.000Z');
const WEEKS = ['2015-W20', '2015-W21', '2015-W22'] as const;
const MAX_HISTORY = 50;

const stack = useCaseStack({ startAt: START });

const A105 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A105' };
const B205 = { buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B205' };

/** Tuesday 10:00 local of a week, plus `hours`. */
const tuesday = (week: string, hours = 0) => at(weekBounds(week, 'Asia/Shanghai').from, 24 + 10 + hours);

describe('the weekly feedback over several weeks', () => {
  it('builds each week from its cases, escalates unhandled follow-ups, and keeps every run’s history small', async () => {
    const ids: Record<string, string[]> = {};
    for (const [i, week] of WEEKS.entries()) {
      const plumbing = view({
        caseId: uniqueId(`P${i}`),
        openedAt: tuesday(week),
        location: A105,
        // A grid member's report on the room's hygiene: its students' department follows it up.
        source: 'grid_report',
        category: 'cleanliness',
        deadlines: [['analysing', 'met']],
        closedAt: tuesday(week, 20),
      });
      // Building B: one case in the first week, two in the second, none in the third.
      const others = Array.from({ length: [1, 2, 0][i] ?? 0 }, (_, j) =>
        view({
          caseId: uniqueId(`B${i}${j}`),
          openedAt: tuesday(week, j),
          location: B205,
          responsibleId: 'staff-wu',
          assigneeId: 'staff-wu',
          stage: 'rectifying',
          deadlines: [
            ['analysing', 'breached', 3],
            ['rectifying', 'pending'],
          ],
        }),
      );
      ids[week] = [plumbing.caseId, ...others.map((o) => o.caseId)];
      await putCases(stack.deps, [plumbing, ...others]);
    }
    const store = { ddb: stack.deps.ddb, tables: stack.deps.tables };

    await stack.withWorker(async (taskQueue) => {
      for (const [i, week] of WEEKS.entries()) {
        const handle = await stack.env.client.workflow.start(weeklyFeedback, {
          taskQueue,
          workflowId: uniqueId(`weekly-${week}`),
          args: [
            {
              // The first run finds its week from its start; the others are named.
              ...(i === 0 ? {} : { week }),
              config: {
                reminderAfterHours: 12,
                escalateAfterHours: 24,
                departmentReminderEveryHours: 6,
                trackingHorizonDays: 3,
                maxHistoryEvents: MAX_HISTORY,
              },
            },
          ],
        });
        const result = await handle.result();
        // CS never marks the hygiene case handled: twelve reminders, then the working group hears of it.
        expect(result).toMatchObject({ week, departments: 1, departmentOutcome: 'escalated' });
        expect(result.runs).toBeGreaterThan(1);

        // Walk the chain of runs: each stayed under the bound though together they went far past it.
        const lengths: number[] = [];
        let runId: string | undefined = handle.firstExecutionRunId;
        while (runId) {
          const history = await stack.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
          const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
          lengths.push(events.length);
          runId =
            events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
        }
        expect(lengths).toHaveLength(result.runs);
        for (const n of lengths) expect(n).toBeLessThanOrEqual(MAX_HISTORY + 30);
        expect(lengths.reduce((a, b) => a + b, 0)).toBeGreaterThan(MAX_HISTORY + 30);

        const zhou = await getDigest<StaffDigest>(store, week, 'staff', 'staff-zhou');
        expect(zhou?.digest.counts).toMatchObject({ opened: 1, closed: 1, late: 0 });
        expect(recipients(await weekMails(week, '院系跟进未完成'))).toEqual([
          'chen.ming@demo.edu.cn',
          'yang.fan@demo.edu.cn',
        ]);
        expect(recipients(await weekMails(week, '【提醒 Reminder】【学生情况反馈'))).toHaveLength(11);
      }

      // Week over week and repeat problems, from the stored summaries.
      const a = await Promise.all(WEEKS.map((w) => getDigest<AreaSummary>(store, w, 'building', 'bldg-a')));
      expect(a.map((s) => s?.digest.repeats.map((r) => [r.place, r.count]))).toEqual([
        [],
        [['bldg-a/a-f1/A105', 2]],
        [['bldg-a/a-f1/A105', 3]],
      ]);
      expect(a[2]?.digest.repeats[0]?.caseIds).toEqual(WEEKS.map((w) => ids[w]?.[0]).sort());
      const b = await Promise.all(WEEKS.map((w) => getDigest<AreaSummary>(store, w, 'building', 'bldg-b')));
      expect(
        b.map((s) => [s?.digest.counts.opened, s?.digest.previous.opened, s?.digest.change.opened]),
      ).toEqual([
        [1, 0, 1],
        [2, 1, 1],
        [0, 2, -2],
      ]);
      expect(b.map((s) => s?.digest.counts.late)).toEqual([1, 2, 0]);
      expect(b.map((s) => s?.digest.kpiChange.find((k) => k.id === 'on_time_analysing'))).toMatchObject([
        { value: 0, previous: null, delta: null },
        { value: 0, previous: 0, delta: 0 },
        { value: null, previous: 0, delta: null },
      ]);
    });
  }, 240_000);

  it('fails a run named with a bad week at once, with a typed non-retryable failure', async () => {
    await stack.withWorker(async (taskQueue) => {
      const err = await failureOfRun(stack.env, taskQueue, weeklyFeedback, [{ week: '2015-W99' }]);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause).toMatchObject({ type: WeeklyFailure.InvalidWeek, nonRetryable: true });
    });
  });
});
