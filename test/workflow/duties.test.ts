import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { issueLocalToken } from '../../api/auth.ts';
import type { CaseView } from '../../domain/case-model.ts';
import type { DutyOccurrence } from '../../domain/duties.ts';
import { citation, standardItem } from '../../domain/standards/catalogue.ts';
import { getOccurrence } from '../../store/duties.ts';
import { dutyOccurrenceQuery } from '../../workflows/duty/messages.ts';
import { dutyCalendar } from '../../workflows/duty/workflow.ts';
import { caseViewQuery } from '../../workflows/rectification-case/messages.ts';
import { emailOf, plainClient, settle, useCaseStack } from '../support/case-harness.ts';
import { appDepsFor } from '../support/feedback-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';

// 07:00 on Thursday 2015-01-15 in Shanghai, the day before the autumn term ends: January to
// March 2015 belong to this file.
// Each test walks a day or two of campus time through several workflows; on a shared two-core
// machine that takes minutes.
const LONG = 600_000;
const START = new Date('2015-01-14T23:00:00.000Z');
const at = (shanghai: string) => Date.parse(`${shanghai}+08:00`);

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

describe('the duty calendar (例行职责)', () => {
  it(
    'reminds before a daily duty is due, and a missed one opens a case citing its item',
    async () => {
      const deps = appDepsFor(stack.deps, stack.env.client);
      const app = createApp(deps);
      const store = { ddb: stack.deps.ddb, tables: stack.deps.tables };
      const call = async (personId: string, method: string, path: string, body?: unknown) => {
        const token = await issueLocalToken(deps.jwtSecret ?? '', personId);
        const res = await app.request(path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, body: (await res.json()) as unknown };
      };
      const stored = async (id: string) => {
        for (let i = 0; i < 300; i++) {
          const o = await getOccurrence(store, id);
          if (o) return o;
          await new Promise((r) => setTimeout(r, 100));
        }
        const h = await stack.env.client.workflow
          .getHandle(id)
          .fetchHistory()
          .catch((e: unknown) => String(e));
        throw new Error(`${id} was never stored: ${JSON.stringify(h).slice(-3000)}`);
      };
      const remindersTo = async (subject: string) =>
        (await sentEmails((e) => e.subject.includes('【职责提醒】') && e.subject.includes(subject))).flatMap(
          (m) => m.to,
        );

      await stack.withWorker(async (taskQueue) => {
        // A plain client: awaiting a result through the time-skipping one would leap to the next timer.
        const run = await plainClient(stack.env).start(dutyCalendar, {
          taskQueue,
          workflowId: uniqueId('duties'),
          args: [{ buildingIds: ['bldg-a'], dutyIds: ['daily-equipment-check', 'manager-round'] }],
        });
        const check = 'duty.daily-equipment-check.bldg-a.2015-01-15';
        const round = 'duty.manager-round.bldg-a.2015-01-15';
        // No date given: the run takes its own start's campus date.
        expect((await run.result()).sort()).toEqual([check, round]);
        expect((await stack.now()).getTime()).toBeLessThan(at('2015-01-15T08:00'));
        expect((await stored(check)).ownerIds).toEqual(['staff-zhao']);

        // The manager records the round; the duty staff may not, and the check needs its record.
        expect(
          (await call('staff-qian', 'POST', `/api/duties/occurrences/${round}/completions`, {})).status,
        ).toBe(403);
        const done = await call('staff-zhao', 'POST', `/api/duties/occurrences/${round}/completions`, {
          note: '3-5 楼巡视',
        });
        expect(done.status).toBe(200);
        expect((done.body as DutyOccurrence).status).toBe('completed');
        const refused = await call('staff-zhao', 'POST', `/api/duties/occurrences/${check}/completions`, {
          note: '忘了记录',
        });
        expect(refused.status).toBe(422);
        expect(JSON.stringify(refused.body)).toContain('检查记录');
        expect(
          (await call('staff-zhao', 'POST', `/api/duties/occurrences/${round}/completions`, {})).status,
        ).toBe(409);

        // Nothing is sent when a daily duty opens; at 16:01, two hours before it is due at 18:00 and
        // still open, the manager is reminded of the check (the round is done: no reminder for it).
        const checkWf = stack.env.client.workflow.getHandle(check);
        expect(await remindersTo('设备设施每日检查 2015-01-15')).toEqual([]);
        await stack.advanceTo(at('2015-01-15T16:01'), checkWf);
        expect(await remindersTo('设备设施每日检查 2015-01-15')).toEqual([emailOf(stack.dir, 'staff-zhao')]);
        expect(await remindersTo('管理员每日巡视宿舍 2015-01-15')).toEqual([]);
        expect(await checkWf.query(dutyOccurrenceQuery)).toMatchObject({ status: 'open', remindersSent: 1 });

        // 18:01: the check was missed and opened a case citing 规范 10, assigned to the manager.
        await stack.advanceTo(at('2015-01-15T18:01'), checkWf);
        const missed = await getOccurrence(store, check);
        expect(missed?.status).toBe('missed');
        expect(missed?.caseId).toMatch(/^ZG-2015-\d+$/);
        const item = standardItem('6t.management.10');
        const view: CaseView = await stack.env.client.workflow
          .getHandle(missed?.caseId ?? '')
          .query(caseViewQuery);
        expect(view).toMatchObject({
          source: 'inspection',
          category: '6t.management.10',
          assigneeId: 'staff-zhao',
          location: { buildingId: 'bldg-a' },
        });
        expect(view.title).toContain(item ? citation(item).zh : '?');
        await endCase(missed?.caseId);

        // The calendar for the day: one of two done; the missed one's page names its case.
        const listed = await call(
          'wg-chen',
          'GET',
          '/api/duties/occurrences?buildingId=bldg-a&from=2015-01-15&to=2015-01-15',
        );
        expect(listed.status).toBe(200);
        expect((listed.body as { completion: unknown }).completion).toEqual({ num: 1, den: 2, rate: 0.5 });
        expect(
          (await call('wg-chen', 'GET', '/api/duties/occurrences?from=2015-01-15&to=2014-01-15')).status,
        ).toBe(400);
        const token = await issueLocalToken(deps.jwtSecret ?? '', 'sup-wang');
        const page = await app.request(`/duties/${check}`, { headers: { authorization: `Bearer ${token}` } });
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(`逾期已立案 ${missed?.caseId ?? ''}`);
      });
    },
    LONG,
  );

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
        await stack.advanceTo(at('2015-01-16T18:01'), handle);
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
