import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { issueLocalToken } from '../../api/auth.ts';
import type { CaseView } from '../../domain/case-model.ts';
import type { DutyOccurrence } from '../../domain/duties.ts';
import { getOccurrence } from '../../store/duties.ts';
import { dutyOccurrenceQuery } from '../../workflows/duty/messages.ts';
import { dutyCalendar } from '../../workflows/duty/workflow.ts';
import { caseViewQuery } from '../../workflows/rectification-case/messages.ts';
import { emailOf, plainClient, settle, useCaseStack } from '../support/case-harness.ts';
import { appDepsFor } from '../support/feedback-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';

// 07:00 on Thursday 2015-01-15 in Shanghai, the day before the autumn term ends: the term
// duties of January to March 2015 belong to this file.
// Each test walks a day or two of campus time through several workflows; on a shared two-core
// machine that takes minutes.
const LONG = 600_000;
const START = new Date('2015-01-14T23:00:00.000Z');

const stack = useCaseStack({ startAt: START });
/**
 * Ends a case the test is done with once it is at rest: the test server would keep time from
 * skipping for an activity a terminated workflow left in flight.
 */
const endCase = async (caseId: string | undefined) => {
  await settle(stack.env.client.workflow.getHandle(caseId ?? ''));
  await plainClient(stack.env)
    .getHandle(caseId ?? '')
    .terminate('test over');
};
// The school's terms, as the calendar file gives them to the worker.
beforeAll(() => {
  stack.deps.calendarFile = {
    official: [],
    holidays: [],
    workdays: [],
    closures: [],
    terms: [
      { name: '2014秋', from: '2014-09-01', to: '2015-01-16' },
      { name: '2015春', from: '2015-03-02', to: '2015-07-10' },
    ],
  };
});

describe('the duty calendar across a term boundary (学期职责)', () => {
  it(
    'runs a term duty to the end of its term, misses it, and opens the next term afresh',
    async () => {
      const deps = appDepsFor(stack.deps, stack.env.client);
      const app = createApp(deps);
      const store = { ddb: stack.deps.ddb, tables: stack.deps.tables };
      const post = async (personId: string, id: string, body: unknown) => {
        const token = await issueLocalToken(deps.jwtSecret ?? '', personId);
        const res = await app.request(`/api/duties/occurrences/${id}/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as DutyOccurrence };
      };
      const plan = (taskQueue: string, date?: string) =>
        plainClient(stack.env).execute(dutyCalendar, {
          taskQueue,
          workflowId: uniqueId('duties'),
          args: [{ date, buildingIds: ['bldg-a'], dutyIds: ['accommodation-verification'] }],
        });

      await stack.withWorker(async (taskQueue) => {
        const autumn = 'duty.accommodation-verification.bldg-a.term-2014-09-01';
        expect(await plan(taskQueue, '2015-01-15')).toEqual([autumn]);
        const handle = stack.env.client.workflow.getHandle(autumn);
        await settle(handle);
        const open = await handle.query(dutyOccurrenceQuery);
        expect(open).toMatchObject({
          ownerIds: ['grid-a1'],
          due: '2015-01-16T10:00:00.000Z',
          status: 'open',
        });
        // Started a day before it is due, its 21- and 7-day reminders are past and are not sent late.
        expect(open.remindersSent).toBe(0);

        const roster = [{ kind: 'roster', ref: 'rosters/2015-01-a.xlsx' }];
        expect((await post('grid-a1', autumn, { part: 'undergraduate', evidence: roster })).status).toBe(200);
        const once = await post('grid-a1', autumn, { part: 'postgraduate', evidence: roster });
        expect(once.body.status).toBe('open');
        expect(once.body.progress.map((p) => `${p.key} ${p.done}/${p.times}`)).toEqual([
          'undergraduate 1/1',
          'postgraduate 1/2',
        ]);

        // The term ends on Friday 2015-01-16 at 18:00 with postgraduates checked once: missed, a case.
        await handle.result();
        const missed = await getOccurrence(store, autumn);
        expect(missed?.status).toBe('missed');
        const view: CaseView = await stack.env.client.workflow
          .getHandle(missed?.caseId ?? '')
          .query(caseViewQuery);
        expect(view.category).toBe('6t.safety.6');
        expect(view.description).toContain('研究生/Postgraduates 1/2');
        await endCase(missed?.caseId);

        // In the break there is no term duty; the missed one is not planned again.
        expect(await plan(taskQueue, '2015-01-20')).toEqual([]);
        expect(await plan(taskQueue, '2015-01-16')).toEqual([]);

        // The run of the spring term's first day opens its own occurrence, owners told, with its
        // reminders ahead. (Planned by date: the leap to March is not what this test is about.)
        const spring = 'duty.accommodation-verification.bldg-a.term-2015-03-02';
        expect(await plan(taskQueue, '2015-03-02')).toEqual([spring]);
        const next = stack.env.client.workflow.getHandle(spring);
        await settle(next);
        expect(await next.query(dutyOccurrenceQuery)).toMatchObject({
          status: 'open',
          period: 'term-2015-03-02',
          opens: '2015-03-02',
          dueDate: '2015-07-10',
          reminders: ['2015-06-19T10:00:00.000Z', '2015-07-03T10:00:00.000Z'],
          completions: [],
        });
        const told = await sentEmails((e) => e.subject.includes('【待办职责】住宿人员信息核对 2015春'));
        expect(told.flatMap((m) => m.to)).toEqual([emailOf(stack.dir, 'grid-a1')]);
        expect((await getOccurrence(store, autumn))?.status).toBe('missed');
        await settle(next);
        await plainClient(stack.env).getHandle(spring).terminate('test over');
      });
    },
    LONG,
  );
});
