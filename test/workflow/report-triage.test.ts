import { describe, expect, it } from 'vitest';
import { stopTriageChase } from '../../api/report-notices.ts';
import { placeCode } from '../../domain/places.ts';
import { reportTriageWorkflowId, triageChaseInput, triageRecipients } from '../../domain/report-triage.ts';
import { newReportId, recordTriage, saveReport, type Report } from '../../store/reports.ts';
import { reportTriageQuery } from '../../workflows/report-triage/messages.ts';
import { reportTriage } from '../../workflows/report-triage/workflow.ts';
import { emailOf, plainClient, settle, useCaseStack } from '../support/case-harness.ts';
import { appDepsFor } from '../support/feedback-harness.ts';
import { sentEmails } from '../support/stack.ts';

// 19:00 on Wednesday 2016-04-13 in Shanghai: a date no other test file uses.
const START = new Date('2016-04-13T19:00:00+08:00');
const local = (date: string, time: string) => Date.parse(`${date}T${time}:00+08:00`);
const MIN = 60_000;
const HOUR = 60 * MIN;

const stack = useCaseStack({ startAt: START });

/** Saves a report made now (the test server's clock) at room A101 and starts its chase. */
async function reportAndChase(taskQueue: string, kind: Report['kind'] = 'repair') {
  const location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
  const { report } = await saveReport(stack.deps, {
    reportId: newReportId(),
    placeCode: placeCode(location),
    location,
    kind,
    description: '水龙头漏水',
    evidence: [],
    receivedAt: (await stack.now()).toISOString(),
  });
  const handle = await stack.env.client.workflow.start(reportTriage, {
    taskQueue,
    workflowId: reportTriageWorkflowId(report.reportId),
    args: [
      {
        reportId: report.reportId,
        receivedAt: report.receivedAt,
        severity: kind === 'safety' ? 'urgent' : 'routine',
        recipients: triageRecipients(stack.dir, location),
        timeZone: 'Asia/Shanghai',
      },
    ],
  });
  return { report, handle };
}

/** `tag recipient` for every notice about one report, sorted. */
async function notices(reportId: string): Promise<string[]> {
  const mails = await sentEmails((e) => e.subject.includes(reportId));
  return mails.flatMap((m) => m.to.map((to) => `${/【([^】]+)】/.exec(m.subject)?.[1] ?? '?'} ${to}`)).sort();
}

const who = (tag: string, ...ids: string[]) => ids.map((id) => `${tag} ${emailOf(stack.dir, id)}`);

describe('an untriaged report escalates like a case', () => {
  it('waits for working hours, reminds its triage, then goes up level 1, supervisors and the working group', async () => {
    await stack.withWorker(async (taskQueue) => {
      const { report, handle } = await reportAndChase(taskQueue);
      // Reported at 19:00: the reminder due at 21:00 waits for 08:00.
      await stack.advanceTo(local('2016-04-14', '07:59'), handle);
      expect(await notices(report.reportId)).toEqual([]);

      await stack.advanceTo(local('2016-04-14', '08:00') + MIN, handle);
      const reminder = who('待分派提醒', 'sup-wang', 'sup-smith', 'grid-a1').sort();
      expect(await notices(report.reportId)).toEqual(reminder);
      const mail = (await sentEmails((e) => e.subject.includes(report.reportId)))[0]!;
      expect(mail.text).toContain('13 小时');
      expect(mail.text).toContain('/app/triage#');

      // Spacing kept from the held reminder: level 1 at 10:00, supervisors at 14:00.
      await stack.advanceTo(local('2016-04-14', '10:00') + MIN, handle);
      await stack.advanceTo(local('2016-04-14', '14:00') + MIN, handle);
      // 14:00 + 16 h is 06:00 on Friday: the working group hears at 08:00.
      await stack.advanceTo(local('2016-04-15', '07:59'), handle);
      expect((await handle.query(reportTriageQuery)).sent).toEqual([0, 1, 2]);
      await stack.advanceTo(local('2016-04-15', '08:00') + MIN, handle);
      expect(await notices(report.reportId)).toEqual(
        [...reminder, ...who('报告未分派', 'grid-a1', 'sup-wang', 'sup-smith', 'wg-chen', 'wg-yang')].sort(),
      );
      await settle(handle);
      const done = await plainClient(stack.env).getHandle(handle.workflowId).result();
      expect(done).toMatchObject({ outcome: 'exhausted', sent: [0, 1, 2, 3] });
    });
  });

  it('stops as soon as triage decides, and sends nothing more', async () => {
    await stack.withWorker(async (taskQueue) => {
      // Friday 08:01: a safety hazard is reminded of within ten minutes.
      const { report, handle } = await reportAndChase(taskQueue, 'safety');
      const t0 = Date.parse(report.receivedAt);
      await stack.advanceTo(t0 + 10 * MIN + MIN, handle);
      expect(await notices(report.reportId)).toEqual(
        who('待分派提醒', 'sup-wang', 'sup-smith', 'grid-a1').sort(),
      );

      const done = await recordTriage(stack.deps, report, {
        status: 'rejected',
        reason: '重复报告',
        by: 'sup-wang',
        at: new Date(t0 + 11 * MIN).toISOString(),
      });
      await stopTriageChase(appDepsFor(stack.deps, stack.env.client), done);
      await settle(handle);
      const result = await plainClient(stack.env).getHandle(handle.workflowId).result();
      expect(result).toMatchObject({ outcome: 'triaged', sent: [0] });
      await stack.advanceTo(t0 + 3 * HOUR);
      expect(await notices(report.reportId)).toHaveLength(3);
    });
  });

  it('tells the people who triage a safety hazard the moment it arrives, as the API pins its chase', async () => {
    await stack.withWorker(async (taskQueue) => {
      const location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
      const { report } = await saveReport(stack.deps, {
        reportId: newReportId(),
        placeCode: placeCode(location),
        location,
        kind: 'safety',
        description: '插座冒烟',
        evidence: [],
        receivedAt: (await stack.now()).toISOString(),
      });
      const handle = await stack.env.client.workflow.start(reportTriage, {
        taskQueue,
        workflowId: reportTriageWorkflowId(report.reportId),
        args: [triageChaseInput(stack.dir, report, { timeZone: 'Asia/Shanghai' })],
      });
      const t0 = Date.parse(report.receivedAt);
      await stack.advanceTo(t0 + MIN, handle);
      expect(await notices(report.reportId)).toEqual(
        who('新报告，请立即分派', 'sup-wang', 'sup-smith', 'grid-a1').sort(),
      );
      // Then the ladder as before: the reminder ten minutes after the report.
      await stack.advanceTo(t0 + 10 * MIN + MIN, handle);
      expect((await handle.query(reportTriageQuery)).sent).toEqual([0, 1]);
      expect(await notices(report.reportId)).toHaveLength(6);
      const done = await recordTriage(stack.deps, report, {
        status: 'rejected',
        reason: '已处理',
        by: 'sup-wang',
        at: new Date(t0 + 12 * MIN).toISOString(),
      });
      await stopTriageChase(appDepsFor(stack.deps, stack.env.client), done);
      await settle(handle);
      expect(await plainClient(stack.env).getHandle(handle.workflowId).result()).toMatchObject({
        outcome: 'triaged',
        sent: [0, 1],
      });
    });
  });

  it('finds the report triaged in the store even when the signal never came', async () => {
    await stack.withWorker(async (taskQueue) => {
      const { report, handle } = await reportAndChase(taskQueue);
      const t0 = Date.parse(report.receivedAt);
      await recordTriage(stack.deps, report, {
        status: 'case',
        caseId: 'ZG-2016-000001',
        by: 'sup-wang',
        at: new Date(t0 + MIN).toISOString(),
      });
      await stack.advanceTo(t0 + 2 * HOUR + MIN, handle);
      const result = await plainClient(stack.env).getHandle(handle.workflowId).result();
      expect(result).toMatchObject({ outcome: 'triaged', sent: [] });
      expect(await notices(report.reportId)).toEqual([]);
    });
  });
});
