import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { getReport } from '../../store/reports.ts';
import {
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { uniqueId } from '../support/stack.ts';
import {
  DESKTOP,
  PHONE,
  deviceFor,
  screenshot,
  seriousViolations,
  sidewaysOverflow,
  signIn,
  startWebStack,
  waitForEmail,
  type WebStack,
} from './support.ts';

// A student scans the code on the wall of A102 with a phone, reports a broken lamp with a
// photo, and follows the report on its tracking page: the supervisor triages it into a case
// at their desk, the case runs to its follow-up, and the student rates it on the same page.
let s: WebStack;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  s = await startWebStack();
});

afterAll(async () => {
  await Promise.allSettled(contexts.map((c) => c.close()));
  await s?.stop();
});

async function device(viewport: { width: number; height: number }): Promise<Page> {
  const ctx = await deviceFor(s, viewport);
  contexts.push(ctx);
  return ctx.newPage();
}

/** A real PNG (a rendered card), as a phone camera would hand the form a picture. */
async function photo(page: Page): Promise<Buffer> {
  const scratch = await page.context().newPage();
  await scratch.setContent(
    '<div id="p" style="width:480px;height:360px;display:flex;align-items:center;justify-content:center;background:linear-gradient(135deg,#f4d58d,#e8a09e);font:32px sans-serif">A102 顶灯不亮</div>',
  );
  const png = await scratch.locator('#p').screenshot({ type: 'png' });
  await scratch.close();
  return png;
}

/** What the reporter's page says the report's status is. */
const statusOn = (page: Page) => page.locator('[data-status]').getAttribute('data-status');

describe('a report made by scanning a code, on a phone', () => {
  it('is reported with a photo, triaged into a case, followed, and rated on the tracking page', async () => {
    const phone = await device(PHONE);
    const code = placeCode({ buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A102' });
    const form = await phone.goto(`${s.baseUrl}/r/${code}`);
    expect(form?.status()).toBe(200);
    // The place is filled in from the code: the reporter only says what is wrong.
    expect(await phone.locator('form').textContent()).toContain('A102');
    await phone.getByLabel('报修').check();
    await phone.getByLabel('问题描述').fill('寝室顶灯不亮，开关无反应');
    await phone.locator('input[type="file"]').setInputFiles({
      name: 'a102-lamp.png',
      mimeType: 'image/png',
      buffer: await photo(phone),
    });
    await phone.getByLabel(/^姓名/).fill('刘同学');
    const email = `${uniqueId('scan')}@students.demo.edu.cn`;
    await phone.getByLabel(/^手机号、座机或电子邮箱/).fill(email);
    expect(await seriousViolations(phone)).toEqual([]);
    expect(await sidewaysOverflow(phone)).toBe(0);
    await screenshot(phone, 'report-form');
    await phone.getByRole('button', { name: '提交报告' }).click();

    // The tracking page: received, with the link to keep; the acknowledgement email has it too.
    await phone.waitForURL(/\/t\/[A-Za-z0-9_-]{32}\?new=1$/);
    const trackPath = new URL(phone.url()).pathname;
    expect(await statusOn(phone)).toBe('received');
    expect(await phone.getByRole('status').first().textContent()).toContain('报告已收到');
    const reportId = /RP-[0-9A-Z]{10}/.exec((await phone.locator('dl').textContent()) ?? '')![0];
    const ack = await waitForEmail((e) => e.to.includes(email) && e.subject.includes(reportId));
    expect(ack.text).toContain(`${s.baseUrl}${trackPath}`);
    expect((await getReport(s.deps.aws, reportId))?.evidence).toHaveLength(1);

    // The building's supervisor triages it into a case at the desk, the photo beside it.
    const sup = await device(DESKTOP);
    await signIn(s, sup, 'sup-wang');
    await sup.goto(`${s.baseUrl}/app/triage`);
    const card = sup.locator(`article[id="${reportId}"]`);
    expect(await card.textContent()).toContain('寝室顶灯不亮');
    expect(await card.locator('img').count()).toBe(1);
    await card.getByLabel('指派给').selectOption('staff-zhou');
    await card.getByRole('button', { name: '立案' }).click();
    await sup.waitForURL(`${s.baseUrl}/app/triage?decided=${reportId}`);
    const caseId = (await getReport(s.deps.aws, reportId))?.caseId ?? '';
    expect(caseId).toMatch(/^ZG-\d{4}-\d{6}$/);
    // The queue says so, with a link to the new case.
    expect(await sup.locator('[data-decided="case"]').textContent()).toContain(`已立案 ${caseId}`);
    expect(await sup.locator('[data-decided="case"] a').getAttribute('href')).toBe(`/app/cases/${caseId}`);

    // The phone sees the case and its promised deadlines.
    await phone.goto(`${s.baseUrl}${trackPath}`);
    expect(await statusOn(phone)).toBe('case');
    expect(await phone.locator('body').textContent()).toContain(caseId);
    expect(await phone.getByRole('heading', { name: '服务承诺' }).count()).toBe(1);
    expect(await phone.locator('form[action$="/survey"]').count()).toBe(0);

    // The case runs to its follow-up (the staff steps are the case browser test's; here the API's).
    const h = s.deps.temporal.workflow.getHandle(caseId);
    const wang = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
    const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
    await h.executeUpdate(submitRootCauseUpdate, {
      args: [{ actor: wang, causes: ['灯管老化'], responsibleId: 'staff-zhou', plan: '更换灯管' }],
    });
    await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
    await h.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: zhou, summary: '已更换灯管', evidence: ['lamp.jpg'] }],
    });
    const reviewed = await h.executeUpdate(reviewUpdate, {
      args: [{ actor: wang, passed: true, notes: '合格' }],
    });
    expect(reviewed.stage).toBe('follow_up');

    // At the end the tracking page asks for the return visit: attitude, quality, clean-up.
    await phone.goto(`${s.baseUrl}${trackPath}`);
    const survey = phone.locator('form[action$="/survey"]');
    expect(await survey.locator('fieldset').count()).toBe(3);
    expect(await seriousViolations(phone)).toEqual([]);
    expect(await sidewaysOverflow(phone)).toBe(0);
    await screenshot(phone, 'report-tracking');
    await survey.locator('input[name="attitude"][value="5"]').check();
    await survey.locator('input[name="quality"][value="4"]').check();
    await survey.locator('input[name="cleanup"][value="5"]').check();
    await survey.getByLabel('意见（选填）').fill('维修师傅很及时');
    await survey.getByRole('button', { name: '提交评价' }).click();
    await phone.waitForURL(/\?rated=1$/);
    const thanks = await phone.getByRole('status').first().textContent();
    expect(thanks).toContain('感谢您的评价');
    expect(thanks).toContain('维修质量 4/5');
    expect(await phone.locator('form[action$="/survey"]').count()).toBe(0);

    // A good rating closes the case; its follow-up keeps the lowest aspect as its score.
    await expect.poll(async () => (await h.query(caseViewQuery)).followUp?.outcome).toBe('rated');
    await expect
      .poll(async () => (await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.stage, {
        timeout: 30_000,
      })
      .toBe('closed');
    expect((await h.query(caseViewQuery)).followUp?.score).toBe(4);
  });
});
