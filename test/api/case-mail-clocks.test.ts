import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campusTime } from '../../activities/case-mail-facts.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { openRepairByForm, pageSessions } from '../support/page-sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, waitForEmail, type ApiStack } from './harness.ts';

/**
 * The promise the school makes a student reaches the technician too: the assignment mail of a
 * small repair states its case clocks (on site within 2 hours, done within 24), each due as the
 * case record has it, in campus time, not only the stage's own deadline.
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

describe('a small repair’s assignment mail', () => {
  it('states the 24-hour clock, due as the case record has it, in both languages', async () => {
    const who = await as('sup-wang');
    const caseId = await openRepairByForm(s.app, who, `clocks ${uniqueId('t')}`);

    const mail = await waitForEmail(
      (e) => e.subject.includes(caseId) && e.to.includes('zhao.wei@demo.edu.cn'),
    );
    const { ddb, tables, timeZone } = s.activityDeps;
    const view = await getCaseRecord(ddb, tables, caseId);
    const clock = view?.clocks?.find((c) => c.id === 'small_repair_done');
    expect(clock).toBeDefined();
    // 24 hours from the report, whatever the calendar: a clock of hours.
    expect(Date.parse(clock!.due) - Date.parse(clock!.startedAt)).toBe(24 * 3_600_000);
    const dueText = campusTime(clock!.due, timeZone);
    expect(mail.text).toContain(`案件时限：零星维修24小时内完成，截止 ${dueText}`);
    expect(mail.text).toContain(`Case clock: Small repair done within 24 hours, due ${dueText}`);
    expect(mail.text).toContain('案件时限：一般维修2小时内到场，截止');
    expect(mail.html).toContain(`案件时限：零星维修24小时内完成，截止 ${dueText}`);
  });
});
