import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLocalToken } from '../../api/auth.ts';
import { createdCaseSchema } from '../../api/schemas.ts';
import { gridCells } from '../../domain/zero-report.ts';
import { signReportLink } from '../../domain/report-link.ts';
import { saveEscalation, saveNight, saveReport } from '../../store/zero-reports.ts';
import {
  reportRectificationUpdate,
  reviewUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { demoDirectory, uniqueId } from '../support/stack.ts';
import { seedDemoHistory, seedWeeklyReports } from './demo-history.ts';
import {
  DESKTOP,
  PHONE,
  deviceFor,
  seriousViolations,
  sidewaysOverflow,
  actionLink,
  signIn,
  startWebStack,
  waitForEmail,
  type WebStack,
} from './support.ts';

// The pages that stand outside the signed-in layout: the nightly zero report board a grid
// member opens from an email, the weekly report behind a summary email's link, and the API
// reference. Each is read on a phone as often as on a desk: nothing may scroll the page sideways.
let s: WebStack;
let week = '';
// A night of this file's own, far ahead, so no real run's rows are in it.
const NIGHT = `20${50 + Math.floor(Math.random() * 49)}-11-07`;

beforeAll(async () => {
  s = await startWebStack();
  const dir = await demoDirectory();
  const history = await seedDemoHistory(s.deps.aws);
  [week = ''] = await seedWeeklyReports(s.deps.aws, dir, history, s.deps.env.CAMPUS_TZ);
  // The night as its run stores it: the cells asked, a report naming students, one escalation.
  const store = { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables };
  const cells = gridCells(dir);
  await saveNight(store, {
    night: NIGHT,
    workflowId: `zero-night-${NIGHT}`,
    openedAt: `${NIGHT}T14:20:00.000Z`,
    closeAt: `${NIGHT}T15:00:00.000Z`,
    acceptUntil: `${NIGHT}T16:00:00.000Z`,
    cells,
  });
  const reported = cells.find((c) => c.level === 3) ?? cells[0]!;
  await saveReport(store, {
    night: NIGHT,
    cellId: reported.cellId,
    personId: reported.memberIds[0] ?? 'grid-a1c1',
    via: 'api',
    at: `${NIGHT}T14:41:07.000Z`,
    none: false,
    afterClose: false,
    late: [{ room: 'A101', name: '张三', note: '23:10 返回，已登记' }],
    absent: [{ room: 'A102', name: '李四', note: '未归，电话不通，已联系辅导员' }],
  });
  const missing = cells.find((c) => c.cellId !== reported.cellId) ?? cells[0]!;
  await saveEscalation(store, NIGHT, {
    cellId: missing.cellId,
    level: missing.level,
    toIds: ['sup-wang', 'wg-chen'],
    to: 'grid_l1',
    at: `${NIGHT}T15:00:00.000Z`,
  });
});

afterAll(async () => {
  await s?.stop();
});

const reportLink = (recipientId: string, buildingId?: string) =>
  `/reports/${
    signReportLink(
      { scope: { week, ...(buildingId ? { buildingId } : {}) }, recipientId, now: new Date() },
      s.deps.signingKeys,
      (n) => new Uint8Array(randomBytes(n)),
    ).token
  }`;

/** The tables wider than the page that do not scroll in a focusable, named region of their own. */
const UNREACHABLE_WIDE_TABLES = `[...document.querySelectorAll('table')]
  .filter((t) => t.getBoundingClientRect().width > document.documentElement.clientWidth)
  .filter((t) => {
    const wrap = t.parentElement;
    return !(wrap && getComputedStyle(wrap).overflowX === 'auto' && wrap.getAttribute('tabindex') === '0'
      && wrap.getAttribute('role') === 'region' && (wrap.getAttribute('aria-label') ?? '') !== '');
  })
  .map((t) => t.outerHTML.slice(0, 80))`;

async function open(page: Page, path: string): Promise<void> {
  const res = await page.goto(`${s.baseUrl}${path}`);
  expect(res?.status(), `${path} answers`).toBe(200);
}

describe('standalone pages on a phone', () => {
  it('fit a 390 px phone without sideways scrolling, tables scroll in their own labelled region', async () => {
    expect(week, 'the weekly reports were built').not.toBe('');
    const pages: { name: string; path: () => string }[] = [
      { name: 'zero report board', path: () => `/zero-report/${NIGHT}` },
      { name: 'zero report board (en)', path: () => `/zero-report/${NIGHT}?lang=en` },
      { name: 'campus weekly report', path: () => reportLink('wg-chen') },
      { name: 'building weekly report (en)', path: () => reportLink('sup-smith', 'bldg-a') },
      // The same report page inside the app, by the parameter its refusal names.
      {
        name: 'weekly report in the app',
        path: () => `/app/dashboard/weekly?week=${week}&buildingId=bldg-a`,
      },
      { name: 'API reference', path: () => '/docs' },
    ];
    const found: string[] = [];
    for (const viewport of [PHONE, DESKTOP]) {
      const ctx = await deviceFor(s, viewport);
      const page = await ctx.newPage();
      await signIn(s, page, 'sup-wang');
      for (const p of pages) {
        await open(page, p.path());
        const where = `${p.name} ${viewport.width}px`;
        const over = await sidewaysOverflow(page);
        if (over > 0) found.push(`${where}: ${over}px wider than the window`);
        for (const v of await seriousViolations(page)) found.push(`${where}: ${v}`);
        // A table wider than the screen scrolls inside a region a keyboard can reach and that is named.
        const unreachable = (await page.evaluate(UNREACHABLE_WIDE_TABLES)) as string[];
        for (const u of unreachable) found.push(`${where}: wide table outside a labelled region: ${u}`);
      }
      await ctx.close();
    }
    expect(found).toEqual([]);
  });
});

// A case triaged from a report with a photo carries the photo's reference, one unbroken token
// of some ninety characters, in its description; a title may carry a URL. The pages behind the
// email links show both and must still fit a phone.
const PHOTO_REF = `evidence:ev_${'x'.repeat(16)}#sha256=${'d2836709'.repeat(8)}`;

describe('email link pages on a phone', () => {
  it('fit a 390 px phone when the case holds a long unbroken token (arrival, sign-off and its done page, rating, the case page)', async () => {
    const url = 'https://example.edu.cn/a/very/long/path/without/any/break/at/all';
    const token = await issueLocalToken(s.deps.env.JWT_SECRET ?? '', 'sup-wang');
    const reporter = `${uniqueId('wide')}@students.demo.edu.cn`;
    const res = await fetch(`${s.baseUrl}/api/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `报修：见 ${url}`,
        description: `寝室顶灯不亮\n扫码报告 / Scanned report RP-8SEF2N10Y7\n照片 / Photos: ${PHOTO_REF}`,
        source: 'repair',
        severity: 'routine',
        location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A102' },
        assigneeId: 'staff-zhou',
        reporter: { name: '刘同学', email: reporter },
      }),
    });
    expect(res.status).toBe(201);
    const { caseId } = createdCaseSchema.parse(await res.json());
    const zhou = 'zhou.qiang@demo.edu.cn';
    const mailOf = (to: string, subject: string) =>
      waitForEmail((e) => e.subject.includes(caseId) && e.to.includes(to) && e.subject.includes(subject));
    // The arrival page shows the title; the sign-off and rating pages the description as well.
    const links: { name: string; url: string; shows: string }[] = [
      { name: 'arrival', url: actionLink(await mailOf(zhou, '新案件'), s.baseUrl), shows: url },
    ];
    const h = s.deps.temporal.workflow.getHandle(caseId);
    const wang = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
    const staff = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
    await h.executeUpdate(submitRootCauseUpdate, {
      args: [{ actor: wang, causes: ['灯管老化'], responsibleId: 'staff-zhou', plan: '更换灯管' }],
    });
    links.push({
      name: 'sign-off',
      url: actionLink(await mailOf(zhou, '待签字'), s.baseUrl),
      shows: PHOTO_REF,
    });

    const found: string[] = [];
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    const check = async (l: { name: string; url: string; shows: string }) => {
      const shown = await page.goto(l.url);
      expect(shown?.status(), `${l.name} answers`).toBe(200);
      expect(await page.locator('body').textContent()).toContain(l.shows);
      const over = await sidewaysOverflow(page);
      if (over > 0) found.push(`${l.name}: ${over}px wider than the window`);
    };
    for (const l of links) await check(l);

    // Signed on the phone, the done page leads on to the case page, and fits too.
    await page.getByLabel('确认问题认定与整改方案').check();
    await page.getByRole('button', { name: /签字/ }).click();
    await expect.poll(() => page.locator('[data-outcome]').getAttribute('data-outcome')).toBe('done');
    expect(await page.locator('a[data-next]').getAttribute('href')).toBe(`/app/cases/${caseId}`);
    const over = await sidewaysOverflow(page);
    if (over > 0) found.push(`sign-off done: ${over}px wider than the window`);

    // On to the reporter's rating page.
    await h.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: staff, summary: '已更换灯管', evidence: ['lamp.jpg'] }],
    });
    await h.executeUpdate(reviewUpdate, { args: [{ actor: wang, passed: true, notes: '合格' }] });
    const rating = actionLink(await mailOf(reporter, '处理结果'), s.baseUrl);
    await check({ name: 'rating', url: rating, shows: PHOTO_REF });
    // The case page itself, whose heading carries the title's URL.
    await signIn(s, page, 'sup-wang');
    expect((await page.goto(`${s.baseUrl}/app/cases/${caseId}`))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toContain(url);
    const caseOver = await sidewaysOverflow(page);
    if (caseOver > 0) found.push(`case page: ${caseOver}px wider than the window`);
    await ctx.close();
    expect(found).toEqual([]);
  });
});
