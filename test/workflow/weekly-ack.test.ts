import { describe, expect, it } from 'vitest';
import { getDigest, listDigests } from '../../store/digests.ts';
import type { AreaSummary, DepartmentDigest, StaffDigest } from '../../domain/digest.ts';
import { weeklyStatusQuery } from '../../workflows/weekly-feedback/messages.ts';
import { weeklyFeedback } from '../../workflows/weekly-feedback/workflow.ts';
import { useCaseStack } from '../support/case-harness.ts';
import {
  appDepsFor,
  clickFeedbackLink,
  linkForCase,
  linksIn,
  putCases,
  recipients,
  weekMails,
} from '../support/feedback-harness.ts';
import { uniqueId } from '../support/stack.ts';
import { at, view } from '../support/views.ts';

// The clock starts on Monday 2017-03-13 08:00 in Shanghai: the run reports 2017-W10
// (Monday 2017-03-06 to Sunday 2017-03-12), a week no other test file uses.
const START = new Date('2017-03-13T00:00:00.000Z');
const WEEK = '2017-W10';
const MON = '2017-03-06T02:00:00.000Z';
const HOUR = 3_600_000;

const stack = useCaseStack({ startAt: START });

const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const A102 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A102' };
const A201 = { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A201' };
const B101 = { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' };

describe('the weekly feedback: digests, acknowledgement, reminder, escalation, department follow-up', () => {
  it('runs one week from digests to every follow-up handled', async () => {
    const id = (n: string) => `${uniqueId('WK')}-${n}`;
    const [k1, k2, k3, k4] = [id('k1'), id('k2'), id('k3'), id('k4')];
    await putCases(stack.deps, [
      view({
        caseId: k1,
        openedAt: MON,
        location: A101,
        // The students' matters: a department follows these up (a repair in their room it would not).
        source: 'grid_report',
        category: 'cleanliness',
        deadlines: [['analysing', 'met']],
        score: 5,
        closedAt: at(MON, 30),
        followUpAt: at(MON, 30),
      }),
      view({
        caseId: k2,
        openedAt: at(MON, 48),
        location: A102,
        source: 'inspection',
        stage: 'rectifying',
        deadlines: [
          ['analysing', 'breached', 50],
          ['rectifying', 'pending'],
        ],
        signOffs: [
          { decision: 'dispute', reason: '不是我的班', by: 'staff-zhou', at: at(MON, 52), round: 1 },
        ],
      }),
      view({
        caseId: k3,
        openedAt: at(MON, -24 * 7),
        location: A201,
        responsibleId: 'staff-qian',
        assigneeId: 'staff-qian',
        stage: 'rectifying',
        deadlines: [
          ['analysing', 'met'],
          ['rectifying', 'met'],
          ['reviewing', 'met'],
          ['rectifying', 'pending'],
        ],
        reviews: [{ round: 1, passed: false, notes: '地面仍有污渍', by: 'sup-wang', at: at(MON, 3) }],
      }),
      view({
        caseId: k4,
        openedAt: at(MON, 72),
        location: B101,
        source: 'complaint',
        responsibleId: 'staff-wu',
        assigneeId: 'staff-wu',
        score: 4,
        closedAt: at(MON, 80),
        followUpAt: at(MON, 80),
      }),
    ]);
    const app = appDepsFor(stack.deps, stack.env.client);
    const store = { ddb: stack.deps.ddb, tables: stack.deps.tables };

    await stack.withWorker(async (taskQueue) => {
      const handle = await stack.env.client.workflow.start(weeklyFeedback, {
        taskQueue,
        workflowId: uniqueId('weekly'),
        // No week given: the run takes the week before its start, on the campus clock.
        args: [{ config: { sendRatePerSecond: 50, concurrency: 2, batchSize: 2, trackingHorizonDays: 14 } }],
      });
      let status = await handle.query(weeklyStatusQuery);
      for (let i = 0; status.phase !== 'track' && i < 300; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await handle.query(weeklyStatusQuery);
      }
      expect(status.week).toBe(WEEK);
      expect(status.phase).toBe('track');
      const sentAt = Date.parse(status.sentAt ?? '');

      // Digests with exact figures, stored.
      const staff = await listDigests<StaffDigest>(store, WEEK, 'staff');
      expect(staff.map((d) => d.personId)).toEqual(['staff-qian', 'staff-wu', 'staff-zhou']);
      const zhou = staff.find((d) => d.personId === 'staff-zhou');
      expect(zhou?.counts).toMatchObject({
        opened: 2,
        closed: 1,
        late: 1,
        disputed: 1,
        failedReviews: 0,
        ratings: 1,
        satisfied: 1,
      });
      expect(staff.find((d) => d.personId === 'staff-qian')?.counts).toMatchObject({
        opened: 0,
        failedReviews: 1,
      });
      const depts = await listDigests<DepartmentDigest>(store, WEEK, 'department');
      expect(depts.map((d) => [d.departmentId, d.items.map((i) => i.caseId)])).toEqual([
        ['cs', [k1, k2]],
        ['me', [k4]],
      ]);
      const a = await getDigest<AreaSummary>(store, WEEK, 'building', 'bldg-a');
      expect(a?.digest.counts).toMatchObject({
        opened: 2,
        closed: 1,
        late: 1,
        disputed: 1,
        failedReviews: 1,
      });
      expect(a?.digest.previous.opened).toBe(1);
      expect(a?.digest.change.opened).toBe(1);

      // One digest email each, with an acknowledgement link.
      const digests = await weekMails(WEEK, '每周反馈');
      expect(recipients(digests)).toEqual([
        'qian.fang@demo.edu.cn',
        'wu.lei@demo.edu.cn',
        'zhou.qiang@demo.edu.cn',
      ]);
      const zhouMail = digests.find((m) => m.to.includes('zhou.qiang@demo.edu.cn'));
      expect(zhouMail?.text).toContain('超时 late: 1');
      expect(recipients(await weekMails(WEEK, '学生情况反馈'))).toEqual([
        'cs.contact@demo.edu.cn',
        'me.contact@demo.edu.cn',
      ]);
      expect(recipients(await weekMails(WEEK, 'Weekly summary'))).toEqual([
        'anna.smith@demo.edu.cn',
        'chen.ming@demo.edu.cn',
        'li.xiuying@demo.edu.cn',
        'wang.jianguo@demo.edu.cn',
        'yang.fan@demo.edu.cn',
      ]);

      // Zhou acknowledges at once; CS marks k1 handled.
      expect(await clickFeedbackLink(app, linksIn(zhouMail?.text ?? '')[0] ?? '')).toContain('acknowledged');
      const csMail = (await weekMails(WEEK, '学生情况反馈')).find((m) =>
        m.to.includes('cs.contact@demo.edu.cn'),
      );
      expect(await clickFeedbackLink(app, linkForCase(csMail?.text ?? '', k1))).toContain('marked handled');

      // Two days on: reminders to the two who did not acknowledge, and to both departments.
      await stack.advanceTo(sentAt + 48 * HOUR + 60_000, handle);
      const reminders = await weekMails(WEEK, '请确认');
      expect(recipients(reminders)).toEqual(['qian.fang@demo.edu.cn', 'wu.lei@demo.edu.cn']);
      const deptReminders = await weekMails(WEEK, '【提醒 Reminder】【学生情况反馈');
      expect(recipients(deptReminders)).toEqual(['cs.contact@demo.edu.cn', 'me.contact@demo.edu.cn']);
      const csReminder = deptReminders.find((m) => m.to.includes('cs.contact@demo.edu.cn'));
      expect(csReminder?.text).not.toContain(k1);
      expect(csReminder?.text).toContain(k2);

      // Wu acknowledges from the reminder; Qian never does.
      const wuReminder = reminders.find((m) => m.to.includes('wu.lei@demo.edu.cn'));
      await clickFeedbackLink(app, linksIn(wuReminder?.text ?? '')[0] ?? '');

      // Four days on: Qian's supervisors hear of it; nobody else is escalated.
      await stack.advanceTo(sentAt + 96 * HOUR + 60_000, handle);
      const escalations = await weekMails(WEEK, '未确认');
      expect(recipients(escalations)).toEqual(['anna.smith@demo.edu.cn', 'wang.jianguo@demo.edu.cn']);
      expect(escalations.every((m) => m.subject.includes('钱芳'))).toBe(true);
      expect((await handle.query(weeklyStatusQuery)).escalated).toBe(true);

      // The departments mark the rest handled: the run finishes without waiting for its horizon.
      const latestCs = (await weekMails(WEEK, '学生情况反馈'))
        .filter((m) => m.to.includes('cs.contact@demo.edu.cn'))
        .at(-1);
      const latestMe = (await weekMails(WEEK, '学生情况反馈'))
        .filter((m) => m.to.includes('me.contact@demo.edu.cn'))
        .at(-1);
      await clickFeedbackLink(app, linkForCase(latestCs?.text ?? '', k2));
      await clickFeedbackLink(app, linkForCase(latestMe?.text ?? '', k4));
      const result = await handle.result();
      expect(result).toMatchObject({
        week: WEEK,
        runs: 1,
        staff: 3,
        departments: 2,
        departmentOutcome: 'all_handled',
      });
      expect(Date.parse((await handle.describe()).closeTime?.toISOString() ?? '') - sentAt).toBeLessThan(
        14 * 24 * HOUR,
      );

      // Nothing went twice.
      expect(recipients(await weekMails(WEEK, '每周反馈'))).toHaveLength(3);
      expect(recipients(await weekMails(WEEK, '请确认'))).toHaveLength(2);
      expect(recipients(await weekMails(WEEK, '未确认'))).toHaveLength(2);
    });
  }, 240_000);
});
