import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { DailyBriefFailure } from '../../workflows/daily-brief/messages.ts';
import { dailyBrief } from '../../workflows/daily-brief/workflow.ts';
import { failureOfRun, useCaseStack } from '../support/case-harness.ts';
import { putCases, recipients } from '../support/feedback-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';
import { at, view } from '../support/views.ts';

// Tuesday 2016-03-08 07:30 in Shanghai; the day before and this day belong to this file.
const START = new Date('2016-03-07T23:30:00.000Z');
const YESTERDAY = '2016-03-07T01:00:00.000Z'; // Monday 09:00 local
const stack = useCaseStack({ startAt: START });

describe('the morning brief', () => {
  it('tells each building’s supervisors yesterday’s new, closed and breached cases and today’s deadlines, once', async () => {
    const [opened, closed, breached, dueToday, older] = ['N', 'C', 'B', 'D', 'O'].map((k) =>
      uniqueId(`DB${k}`),
    );
    await putCases(stack.deps, [
      view({
        caseId: opened ?? '',
        openedAt: YESTERDAY,
        stage: 'analysing',
        deadlines: [['analysing', 'pending', 100]],
      }),
      view({
        caseId: closed ?? '',
        openedAt: at(YESTERDAY, -72),
        closedAt: at(YESTERDAY, 5),
        deadlines: [['analysing', 'met']],
      }),
      view({
        caseId: breached ?? '',
        openedAt: at(YESTERDAY, -24),
        stage: 'rectifying',
        deadlines: [['rectifying', 'breached', 30]],
      }),
      // Opened two days ago; its rectification falls due today at 14:00 local (06:00 UTC).
      view({
        caseId: dueToday ?? '',
        openedAt: '2016-03-06T01:00:00.000Z',
        stage: 'rectifying',
        deadlines: [['rectifying', 'pending', 52]],
      }),
      view({ caseId: older ?? '', openedAt: at(YESTERDAY, -24 * 10), closedAt: at(YESTERDAY, -24 * 9) }),
    ]);
    await stack.withWorker(async (taskQueue) => {
      const run = (date?: string) =>
        stack.env.client.workflow.execute(dailyBrief, {
          taskQueue,
          workflowId: uniqueId('brief'),
          args: [{ date }],
        });
      // No date given: the run takes the local date of its start.
      const first = await run();
      expect(first).toMatchObject({ date: '2016-03-08', buildings: 2, sent: 3 });
      const mails = await sentEmails(
        (e) => e.subject.includes('晨会简报') && e.subject.includes('2016-03-08'),
      );
      expect(recipients(mails)).toEqual([
        'anna.smith@demo.edu.cn',
        'li.xiuying@demo.edu.cn',
        'wang.jianguo@demo.edu.cn',
      ]);
      const a = mails.find((m) => m.to.includes('wang.jianguo@demo.edu.cn'))?.text ?? '';
      const section = (head: string) => a.split('\n\n').find((s) => s.startsWith(head)) ?? '';
      expect(section('昨日新开')).toContain(opened);
      expect(section('昨日新开')).not.toContain(closed);
      expect(section('昨日结案')).toContain(closed);
      expect(section('昨日超时')).toContain(breached);
      expect(section('今日到期')).toContain(dueToday);
      // By its stage's label and on the campus clock, not the raw stage and a UTC instant.
      expect(section('今日到期')).toContain(
        `${dueToday} case ${dueToday} (学生公寓A栋 A101) 整改 rectification → 14:00`,
      );
      expect(a).not.toContain(older);
      const b = mails.find((m) => m.to.includes('li.xiuying@demo.edu.cn'))?.text ?? '';
      expect(b).not.toContain(opened);

      // A second run for the same morning (a retry or a caught-up duplicate) sends nothing again.
      expect(await run('2016-03-08')).toMatchObject({ date: '2016-03-08', sent: 0 });
      expect(
        await sentEmails((e) => e.subject.includes('晨会简报') && e.subject.includes('2016-03-08')),
      ).toHaveLength(3);
    });
  });

  it('fails a run named with a date that is no calendar date at once, with a typed non-retryable failure', async () => {
    await stack.withWorker(async (taskQueue) => {
      const err = await failureOfRun(stack.env, taskQueue, dailyBrief, [{ date: '2016-02-30' }]);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(ApplicationFailure);
      expect((err as WorkflowFailedError).cause).toMatchObject({
        type: DailyBriefFailure.InvalidDate,
        nonRetryable: true,
      });
    });
  });
});
