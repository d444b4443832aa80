import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { activityCalendar, LOCAL_CALENDAR_FILE } from '../../infra/calendar.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { saveCalendarVersion } from '../../store/calendar-versions.ts';
import { calendarBroadcastId } from '../../workflows/calendar-broadcast/workflow.ts';
import { calendarWatch } from '../../workflows/calendar-watch/workflow.ts';
import { plainClient, useCaseStack } from '../support/case-harness.ts';
import { sentEmails, testDeps, testEnv, uniqueId } from '../support/stack.ts';

// 09:00 on Monday 31 October 2095 in Shanghai: days no other test file uses. 2096 has no
// official data (the bundled years end with 2026), so from 1 November the admins are told.
const START = new Date('2095-10-31T01:00:00.000Z');
const DAY = 86_400_000;
const stack = useCaseStack({ startAt: START });

describe('the daily calendar check (schedule rectify-calendar-watch)', () => {
  it('emails every admin once a day from 1 November until next year is entered, then stops', async () => {
    // Calendar versions and the outbox on a table of this file's own: a saved calendar reaches no other test.
    const env = testEnv({ TABLE_OPS: uniqueId('ops-cal') });
    const own = testDeps(env);
    await ensureTables(own.ddb, own.tables);
    stack.deps = { ...stack.deps, ...own, currentCalendar: activityCalendar(env, own) };
    const admins = stack.dir.people.filter((p) => p.roles.includes('admin'));
    expect(admins.length).toBeGreaterThan(0);
    const mails = async (date: string) =>
      sentEmails((e) => e.subject.includes('2096') && e.text.includes(`（${date}）`));

    await stack.withWorker(async (taskQueue) => {
      // As the schedule starts it: no date, the run takes its own (campus) date.
      // A plain client: the time-skipping one leaps to a finished run's timeout, years ahead.
      const run = (date?: string) =>
        plainClient(stack.env).execute(calendarWatch, {
          taskQueue,
          workflowId: uniqueId('calendar-watch'),
          args: [{ date, config: { timeZone: 'Asia/Shanghai' } }],
        });

      expect(await run()).toEqual({ date: '2095-10-31', missingYear: null, sent: 0 });

      await stack.env.sleep(DAY);
      expect(await run()).toEqual({ date: '2095-11-01', missingYear: 2096, sent: admins.length });
      const first = await mails('2095-11-01');
      expect(first.flatMap((m) => m.to).sort()).toEqual(admins.map((a) => a.email).sort());
      expect(first[0]?.subject).toContain('【校历】2096 年法定节假日安排尚未录入');
      expect(first[0]?.text).toContain('/app/admin/calendar');
      // A retried or caught-up run the same day sends nothing twice.
      expect(await run('2095-11-01')).toMatchObject({ missingYear: 2096, sent: 0 });

      await stack.env.sleep(DAY);
      expect(await run()).toEqual({ date: '2095-11-02', missingYear: 2096, sent: admins.length });

      // An admin enters 2096 from its notice (a test fixture): from the next run on, silence.
      const demo = await readFile(LOCAL_CALENDAR_FILE, 'utf8');
      await saveCalendarVersion(own, {
        text: `${demo}\nofficial 2096 测试用通知（夹具）\nholiday 2096-01-01 元旦\n`,
        savedBy: 'admin-xu',
        savedAt: new Date(await stack.env.currentTimeMs()).toISOString(),
      });
      await stack.env.sleep(DAY);
      expect(await run()).toEqual({ date: '2095-11-03', missingYear: null, sent: 0 });
      expect(await mails('2095-11-03')).toEqual([]);
      // Saved without the page (which tells the running cases itself): the daily check starts the telling.
      const broadcast = plainClient(stack.env).getHandle(calendarBroadcastId(taskQueue, 1));
      const started = await broadcast.describe();
      // (This test server lists no workflows, so the telling itself fails here; the API's tests run it.)
      if (started.status.name === 'RUNNING') await broadcast.terminate('cut short');
      // A telling that did not finish is started again by the next day's check.
      await stack.env.sleep(DAY);
      await run();
      const again = await broadcast.describe();
      expect(again.runId).not.toBe(started.runId);
      if (again.status.name === 'RUNNING') await broadcast.terminate('test over');
    });
  });

  it('refuses a date that is not one, without retrying', async () => {
    await stack.withWorker(async (taskQueue) => {
      await expect(
        plainClient(stack.env).execute(calendarWatch, {
          taskQueue,
          workflowId: uniqueId('calendar-watch-bad'),
          args: [{ date: '2095-02-30' }],
        }),
      ).rejects.toMatchObject({ cause: { type: 'CalendarWatchInvalidDate' } });
    });
  });
});
