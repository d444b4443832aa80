import { beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import type { Language } from '../../domain/directory.ts';
import { placeCode } from '../../domain/places.ts';
import { notifyReporter } from '../../store/reporter-notices.ts';
import { newReportId, saveReport } from '../../store/reports.ts';
import { seedCase } from '../support/audit-fixtures.ts';
import { seedDemo, sentEmails, testDeps, uniqueId } from '../support/stack.ts';

/**
 * A reporter the directory does not know reads their mails in the language of the form they
 * reported in; a report made before that was kept (no language) is told in Chinese first, as then.
 */
const deps = testDeps();
const acts = createActivities(deps);

beforeAll(async () => {
  await seedDemo(deps);
});

const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };

/** A scanned-code report from someone outside the directory, made in the given language (or before it was kept). */
async function reportIn(language: Language | undefined) {
  const email = `${uniqueId('visitor')}@example.org`;
  const { report } = await saveReport(deps, {
    reportId: newReportId(),
    placeCode: placeCode(A101),
    location: A101,
    kind: 'repair',
    description: '水龙头漏水',
    evidence: [],
    contact: email,
    ...(language ? { language } : {}),
    receivedAt: new Date().toISOString(),
  });
  return { report, email };
}

const mailTo = async (email: string) => {
  const [mail] = await sentEmails((e) => e.to.includes(email));
  return mail!;
};

describe('a reporter outside the directory', () => {
  it('is told of a report made in the English form in English first', async () => {
    const { report, email } = await reportIn('en');
    await notifyReporter(deps, report, 'received');
    const mail = await mailTo(email);
    expect(mail.subject).toBe(
      `[Rectify] ${report.reportId} Received, waiting for the staff in charge to look at it / 【整改】${report.reportId} 已收到，等待负责人员受理`,
    );
    expect(mail.text.split('\n')[0]).toBe('Hello,');
    expect(mail.text.indexOf('Your report')).toBeLessThan(mail.text.indexOf('您在'));
  });

  it('is told in Chinese first of a report made in the Chinese form, or before the language was kept', async () => {
    for (const language of ['zh-CN', undefined] as const) {
      const { report, email } = await reportIn(language);
      await notifyReporter(deps, report, 'received');
      const mail = await mailTo(email);
      expect(mail.subject.startsWith(`【整改】${report.reportId} 已收到`)).toBe(true);
      expect(mail.text.split('\n')[0]).toBe('您好：');
    }
  });

  it('gets the result and survey mail in the language of the form', async () => {
    for (const [language, subject, hello] of [
      ['en', '[Result]', 'Hello,'],
      [undefined, '【处理结果】', '您好：'],
    ] as const) {
      const { report, email } = await reportIn(language);
      const caseId = uniqueId('ZG-LANG');
      await seedCase(deps, caseId, 1);
      await acts.sendCaseEmail({
        caseId,
        title: '报修：水龙头漏水',
        stage: 'follow_up',
        round: 1,
        kind: 'result_and_survey',
        to: { reporter: { name: '扫码报告人', email, reportId: report.reportId } },
      });
      const mail = await mailTo(email);
      expect(mail.subject.startsWith(subject)).toBe(true);
      expect(mail.text.split('\n')[0]).toBe(hello);
    }
  });
});
