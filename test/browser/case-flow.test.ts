import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCaseRecord } from '../../store/case-records.ts';
import { demoDirectory } from '../support/stack.ts';
import { seedDemoHistory, seedWeeklyReports } from './demo-history.ts';
import {
  DESKTOP,
  PHONE,
  actionLink,
  deviceFor,
  screenshot,
  seriousViolations,
  sidewaysOverflow,
  signIn,
  startWebStack,
  waitForEmail,
  type WebStack,
} from './support.ts';

// A case through every step in Debian's chromium, as the people in the
// standards take it: the supervisor opens and analyses it on a desktop, the
// technician signs through the email link and reports the repair with a photo
// on a phone, the supervisor reviews, the auditor verifies and exports. Then
// every main page, desktop and phone, is checked by axe-core and photographed
// for the README.
let s: WebStack;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  s = await startWebStack();
  const history = await seedDemoHistory(s.deps.aws);
  await seedWeeklyReports(s.deps.aws, await demoDirectory(), history, s.deps.env.CAMPUS_TZ);
});

afterAll(async () => {
  await Promise.allSettled(contexts.map((c) => c.close()));
  await s?.stop();
});

async function personOn(personId: string | null, viewport: { width: number; height: number }) {
  const ctx = await deviceFor(s, viewport, { acceptDownloads: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  if (personId) await signIn(s, page, personId);
  return page;
}

async function open(page: Page, path: string): Promise<void> {
  const res = await page.goto(`${s.baseUrl}${path}`);
  expect(res?.status(), `${path} answers`).toBe(200);
}

/** A real PNG (a rendered card), so the thumbnail on the case page shows a picture. */
async function photo(page: Page): Promise<Buffer> {
  const scratch = await page.context().newPage();
  await scratch.setContent(
    '<div id="p" style="width:480px;height:360px;display:flex;align-items:center;justify-content:center;background:linear-gradient(135deg,#9ec5e8,#f4d58d);font:32px sans-serif">A101 水龙头已更换</div>',
  );
  const png = await scratch.locator('#p').screenshot({ type: 'png' });
  await scratch.close();
  return png;
}

/** The case's stage as stored (the record the workflow keeps up to date). */
const stageOf = async (id: string) => (await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, id))?.stage;

let caseId = '';

describe('a case in the browser', () => {
  it('is opened, analysed, signed by email link, rectified with a photo on a phone, reviewed, verified and exported', async () => {
    // The supervisor opens the case at their desk.
    const sup = await personOn('sup-wang', DESKTOP);
    await open(sup, '/app/cases/new');
    await sup.getByLabel('问题标题').fill('A101 卫生间水龙头漏水');
    await sup.getByLabel('问题描述').fill('水龙头持续滴水，地面有积水');
    await sup.getByLabel('来源').selectOption('repair');
    await sup.getByLabel('严重程度').selectOption('routine');
    await sup.getByLabel('楼栋').selectOption('bldg-a');
    await sup.getByLabel('楼层').selectOption('a-f1');
    await sup.getByLabel('房间').selectOption('A101');
    await sup.getByLabel('负责人（员工）').selectOption('staff-zhou');
    await sup.getByRole('button', { name: '创建案件' }).click();
    // A run within minutes of the last (the shared tables keep its case) is asked whether this
    // repeats that case: it is another one, as a supervisor would answer.
    const repeat = sup.locator('[data-repeat-of]');
    const settled = (p: Promise<unknown>) => p.catch(() => undefined);
    await Promise.race([
      settled(sup.waitForURL(/\/app\/cases\/ZG-\d{4}-\d+$/)),
      settled(repeat.waitFor({ timeout: 15_000 })),
    ]);
    if ((await repeat.count()) > 0) {
      await sup.getByLabel('这是另一个问题，仍然新建案件').check();
      await sup.getByRole('button', { name: '创建案件' }).click();
    }
    await sup.waitForURL(/\/app\/cases\/ZG-\d{4}-\d+$/);
    caseId = decodeURIComponent(new URL(sup.url()).pathname.split('/').at(-1) ?? '');
    expect(caseId).toMatch(/^ZG-/);

    // Five whys, root cause and plan; the responsible technician must sign.
    const rc = sup.locator('section[data-step="root_cause"]');
    await rc.getByLabel('为什么 1').fill('阀芯磨损');
    await rc.getByLabel('为什么 2').fill('使用年限已超过五年');
    await rc.getByLabel('根本原因').fill('阀芯老化');
    await rc.getByLabel('责任人').selectOption('staff-zhou');
    await rc.getByLabel('整改方案').fill('更换阀芯并检查同层水龙头');
    await rc.getByRole('button', { name: '提交' }).click();
    await sup.waitForURL(`**/app/cases/${caseId}`);
    await expect.poll(() => stageOf(caseId)).toBe('awaiting_signoff');

    // The technician signs through the link in the email, on a phone.
    const mail = await waitForEmail(
      (e) =>
        e.subject.includes(caseId) && e.to.includes('zhou.qiang@demo.edu.cn') && e.subject.includes('待签字'),
    );
    const tech = await personOn(null, PHONE);
    await tech.goto(actionLink(mail, s.baseUrl));
    expect(await tech.locator('body').textContent()).toContain('更换阀芯并检查同层水龙头');
    await tech.getByLabel('确认问题认定与整改方案').check();
    await tech.getByRole('button', { name: /签字|确认|Sign/ }).click();
    await expect.poll(() => tech.locator('[data-outcome]').getAttribute('data-outcome')).toBe('done');

    // Signed in on the same phone, the technician reports the repair with a photo.
    await signIn(s, tech, 'staff-zhou');
    await open(tech, `/app/cases/${caseId}`);
    await expect.poll(() => stageOf(caseId)).toBe('rectifying');
    const rect = tech.locator('section[data-step="rectification"]');
    await rect.getByLabel('整改情况').fill('已更换阀芯，试水无渗漏');
    await rect.locator('input[type="file"]').setInputFiles({
      name: 'a101-tap.png',
      mimeType: 'image/png',
      buffer: await photo(tech),
    });
    // The page uploads it straight to the store and adds its reference to the form.
    await expect.poll(() => rect.locator('input[name="evidence[]"]').count(), { timeout: 30_000 }).toBe(1);
    await rect.getByRole('button', { name: '提交' }).click();
    await tech.waitForURL(`**/app/cases/${caseId}`);
    await expect.poll(() => stageOf(caseId)).toBe('reviewing');
    expect(await tech.locator('.thumbs img').count()).toBeGreaterThan(0);

    // The supervisor reviews: passed.
    await open(sup, `/app/cases/${caseId}`);
    const review = sup.locator('section[data-step="review"]');
    await review.getByLabel('合格，进入回访/结案').check();
    await review.getByLabel('复查说明').fill('现场复查合格');
    await review.getByRole('button', { name: '提交' }).click();
    await sup.waitForURL(`**/app/cases/${caseId}`);
    await expect.poll(() => stageOf(caseId)).not.toBe('reviewing');

    // The auditor verifies the chain (the photo's hash is in it) and exports the case.
    const auditor = await personOn('audit-he', DESKTOP);
    await open(auditor, `/app/audit/verify?caseId=${encodeURIComponent(caseId)}`);
    expect(await auditor.locator(`[data-verify][data-case="${caseId}"]`).getAttribute('data-verify')).toBe(
      'ok',
    );
    const [download] = await Promise.all([
      auditor.waitForEvent('download'),
      auditor.getByRole('link', { name: '导出 CSV' }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv).toContain(caseId);
    expect(csv).toMatch(/evidence:[^#\s"]+#sha256=[0-9a-f]{64}/);
  });

  it('has no serious accessibility violation on the main pages, photographed on desktop and phone', async () => {
    expect(caseId, 'the flow above opened a case').not.toBe('');
    // The dashboard, audit and admin pages are also held to no sideways scrolling on a phone.
    const pages: { name: string; person: string | null; path: string; ownPage?: true }[] = [
      { name: 'login', person: null, path: '/login' },
      { name: 'workbench', person: 'sup-wang', path: '/app' },
      { name: 'cases', person: 'sup-wang', path: '/app/cases' },
      { name: 'new-case', person: 'sup-wang', path: '/app/cases/new' },
      { name: 'case', person: 'sup-wang', path: `/app/cases/${encodeURIComponent(caseId)}` },
      { name: 'dashboard', person: 'wg-chen', path: '/app/dashboard', ownPage: true },
      {
        name: 'audit',
        person: 'audit-he',
        path: `/app/audit?q=${encodeURIComponent(caseId)}`,
        ownPage: true,
      },
      { name: 'admin-directory', person: 'admin-xu', path: '/app/admin/directory', ownPage: true },
    ];
    const found: string[] = [];
    for (const viewport of [DESKTOP, PHONE]) {
      const byPerson = new Map<string | null, Page>();
      for (const p of pages) {
        let page = byPerson.get(p.person);
        if (!page) {
          page = await personOn(p.person, viewport);
          byPerson.set(p.person, page);
        }
        await open(page, p.path);
        for (const v of await seriousViolations(page)) found.push(`${p.name} ${viewport.width}px: ${v}`);
        if (p.ownPage) {
          const over = await sidewaysOverflow(page);
          if (over > 0) found.push(`${p.name} ${viewport.width}px: ${over}px wider than the window`);
        }
        await screenshot(page, p.name);
      }
    }
    expect(found).toEqual([]);
  });

  it('links the stored weekly reports from the dashboard', async () => {
    const leader = await personOn('lead-huang', DESKTOP);
    await open(leader, '/app/dashboard');
    const reports = leader.locator('[data-weekly-reports] a');
    expect(await reports.count()).toBe(3);
    await reports.first().click();
    await leader.waitForURL((u) => u.pathname === '/app/dashboard/weekly');
    expect(await leader.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await leader.locator('body').textContent()).toContain('全校');
    expect(await leader.locator('svg').count()).toBeGreaterThan(0);
  });
});
