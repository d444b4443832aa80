import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { issueLocalToken } from '../../api/auth.ts';
import type { CaseView } from '../../domain/case-model.ts';
import type { DutyOccurrence } from '../../domain/duties.ts';
import { citation, standardItem } from '../../domain/standards/catalogue.ts';
import { getOccurrence } from '../../store/duties.ts';
import { dutyCalendar } from '../../workflows/duty/workflow.ts';
import { caseViewQuery } from '../../workflows/rectification-case/messages.ts';
import { emailOf, plainClient, settle, useCaseStack } from '../support/case-harness.ts';
import { appDepsFor } from '../support/feedback-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';

// 07:00 on Thursday 2015-01-15 in Shanghai: this file's daily duties are that day's.
// (duty-terms.test.ts has its own server and the term duties of January to March 2015.)
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

describe('the duty calendar: daily duties (每日职责)', () => {
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

        // The manager records the round; the duty staff may not; a done round takes nothing more.
        expect(
          (await call('staff-qian', 'POST', `/api/duties/occurrences/${round}/completions`, {})).status,
        ).toBe(403);
        const done = await call('staff-zhao', 'POST', `/api/duties/occurrences/${round}/completions`, {
          note: '3-5 楼巡视',
        });
        expect(done.status).toBe(200);
        expect((done.body as DutyOccurrence).status).toBe('completed');
        // (A completion without its evidence is refused by the workflow's validator: the unit tests
        // cover it; here a refused update left the test server unable to skip time.)
        expect(
          (await call('staff-zhao', 'POST', `/api/duties/occurrences/${round}/completions`, {})).status,
        ).toBe(409);

        // Nothing is sent when a daily duty opens. The check's run goes on to its end (awaited, so
        // the test server skips to each of its timers): one reminder to the manager at 16:00, two
        // hours before it is due at 18:00, none for the round (done); at 18:00 it is missed and
        // opens a case citing 规范 10, assigned to the manager.
        const checkWf = stack.env.client.workflow.getHandle(check);
        expect(await remindersTo('设备设施每日检查 2015-01-15')).toEqual([]);
        const ended = await checkWf.result();
        expect(ended).toMatchObject({ status: 'missed', remindersSent: 1 });
        const reminded = (await checkWf.fetchHistory()).events?.find(
          (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'remindDuty',
        );
        expect(Number(reminded?.eventTime?.seconds) * 1000).toBe(at('2015-01-15T16:00'));
        expect(await remindersTo('设备设施每日检查 2015-01-15')).toEqual([emailOf(stack.dir, 'staff-zhao')]);
        expect(await remindersTo('管理员每日巡视宿舍 2015-01-15')).toEqual([]);
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
});
