import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiRatesChart } from '../../api/pages/charts.ts';
import { computeKpis, emptyTally } from '../../domain/kpi.ts';
import { placeCode } from '../../domain/places.ts';
import { newReportId, saveReport } from '../../store/reports.ts';
import { seedCase, editEntry } from '../support/audit-fixtures.ts';
import { uniqueCaseNumber } from '../support/stack.ts';
import { seedDemoHistory } from './demo-history.ts';
import {
  DESKTOP,
  PHONE,
  deviceFor,
  seriousViolations,
  sidewaysOverflow,
  signIn,
  startWebStack,
  type WebStack,
} from './support.ts';

// The dashboard, audit and admin pages in Debian's chromium: what a leader,
// an auditor and an admin see and do, each page checked by axe-core.
let s: WebStack;

beforeAll(async () => {
  s = await startWebStack();
});

afterAll(async () => {
  await s?.stop();
});

async function open(page: Page, path: string): Promise<void> {
  const res = await page.goto(`${s.baseUrl}${path}`);
  expect(res?.status(), `${path} answers`).toBe(200);
}

describe('dashboard, audit and admin pages', () => {
  it('shows the KPIs against their targets with server-drawn charts, and refuses staff', async () => {
    const ctx = await deviceFor(s, DESKTOP);
    const page = await ctx.newPage();
    await signIn(s, page, 'wg-chen');
    await open(page, '/app/dashboard');
    await expect.poll(() => page.locator('h1').textContent()).toBe('仪表盘');
    // Every KPI of the catalogue is listed with its target and verdict.
    // The case KPIs of the catalogue, then the duty calendar's completion rate.
    const catalogue = computeKpis(emptyTally(), { periodDays: 7, buildings: 1 });
    expect(await page.locator('table[data-kpis] tbody tr').count()).toBe(catalogue.length + 1);
    expect(await page.locator('tr[data-kpi="duty_completion_rate"]').count()).toBe(1);
    expect(catalogue.length).toBeGreaterThanOrEqual(22);
    expect(await page.locator('tr[data-kpi="overall_satisfaction"] td').nth(1).textContent()).toMatch(
      /^≥ 85%/,
    );
    // Charts are SVG drawn on the server, each named for assistive technology.
    const charts = page.locator('figure.chart svg[role="img"]');
    expect(await page.locator('section[aria-labelledby="dash-bldg-h"]').count()).toBe(1);
    for (const svg of await charts.all()) expect(await svg.getAttribute('aria-label')).toBeTruthy();
    expect(await seriousViolations(page)).toEqual([]);

    // A bad date is a 400 page naming the field, not an error page.
    const bad = await page.goto(`${s.baseUrl}/app/dashboard?from=2026-13-01`);
    expect(bad?.status()).toBe(400);
    // Named by the label the form shows (开始日期 / From), not the query parameter.
    expect(await page.locator('[role="alert"]').textContent()).toContain('开始日期');

    // In English on request.
    await open(page, '/app/dashboard?lang=en');
    expect(await page.locator('h1').textContent()).toBe('Dashboard');
    await ctx.close();

    // A supervisor sees only their buildings; staff are refused.
    const sup = await deviceFor(s, DESKTOP);
    const supPage = await sup.newPage();
    await signIn(s, supPage, 'sup-li');
    await open(supPage, '/app/dashboard');
    const options = await supPage
      .locator('#dash-building option')
      .evaluateAll((os) => os.map((o) => (o as { value: string }).value));
    expect(options).not.toContain('');
    expect(options.length).toBeGreaterThan(0);
    await sup.close();

    const staff = await deviceFor(s, DESKTOP);
    const staffPage = await staff.newPage();
    await signIn(s, staffPage, 'staff-zhou');
    const refused = await staffPage.goto(`${s.baseUrl}/app/dashboard`);
    expect(refused?.status()).toBe(403);
    await staff.close();
  });

  it('lets an auditor find a tampered case and names the broken entry', async () => {
    const caseId = uniqueCaseNumber();
    await seedCase(s.deps.aws, caseId, 4, { buildingId: 'bldg-b' });
    await editEntry(s.deps.aws, caseId, 3, 'payload');

    const ctx = await deviceFor(s, DESKTOP, { acceptDownloads: true });
    const page = await ctx.newPage();
    await signIn(s, page, 'audit-he');
    await open(page, '/app/audit');
    await page.getByLabel('案件编号或标题').fill(caseId);
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === caseId);
    const row = page.locator(`tr[data-case="${caseId}"]`);
    expect(await row.count()).toBe(1);
    await row.getByRole('link', { name: `校验 ${caseId}` }).click();
    const result = page.locator(`[data-verify][data-case="${caseId}"]`);
    expect(await result.getAttribute('data-verify')).toBe('broken');
    expect(await result.getAttribute('data-broken-seq')).toBe('3');
    expect(await result.textContent()).toContain('第 3 条记录');
    expect(await result.textContent()).toContain('内容被改动');
    expect(await seriousViolations(page)).toEqual([]);

    // Verifying everything names it too.
    await open(page, '/app/audit/verify-all');
    const failure = page.locator(`[data-failures] li[data-case="${caseId}"]`);
    expect(await failure.getAttribute('data-broken-seq')).toBe('3');

    // One case by its number, from the audit page's own link and form.
    await open(page, '/app/audit');
    await page.getByRole('link', { name: '校验一个案件' }).click();
    await page.waitForURL((u) => u.pathname === '/app/audit/verify');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('案件编号').fill(caseId);
    await page.getByRole('button', { name: '校验', exact: true }).click();
    expect(await result.getAttribute('data-verify')).toBe('broken');

    // The case's export downloads as CSV with its trail.
    await open(page, `/app/audit/verify?caseId=${caseId}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${caseId}-audit.csv`);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv.split('\n').filter((l) => l.includes(caseId)).length).toBeGreaterThanOrEqual(4);
    await ctx.close();
  });

  it('imports the directory from CSV: a report by row and column, then a preview, then apply', async () => {
    const ctx = await deviceFor(s, DESKTOP, { acceptDownloads: true });
    const page = await ctx.newPage();
    await signIn(s, page, 'admin-xu');
    await open(page, '/app/admin/directory');
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载 CSV' }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    const lines = csv.split('\r\n');
    const personRow = lines.findIndex((l) => l.startsWith('person,staff-zhou,'));
    expect(personRow).toBeGreaterThan(0);

    // One bad e-mail and one unknown supervisor: both reported where they are.
    const broken = lines.map((l, i) =>
      i === personRow
        ? l.replace(/,[^,]*@demo\.edu\.cn,/, ',not-an-email,')
        : l.startsWith('building,bldg-b,')
          ? l.replace('sup-li', 'sup-nobody')
          : l,
    );
    const buildingRow = broken.findIndex((l) => l.startsWith('building,bldg-b,'));
    await page.getByLabel(/CSV 或 XLSX 文件/).setInputFiles({
      name: 'directory.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(broken.join('\r\n')),
    });
    await page.getByRole('button', { name: '校验并预览' }).click();
    await page.waitForURL('**/app/admin/directory/preview');
    const problems = page.locator('table[data-import-problems] tbody tr');
    expect(await problems.count()).toBe(2);
    expect(await page.locator(`tr[data-row="${personRow + 1}"][data-column="email"]`).count()).toBe(1);
    expect(await page.locator(`tr[data-row="${buildingRow + 1}"][data-column="supervisors"]`).count()).toBe(
      1,
    );
    expect(await seriousViolations(page)).toEqual([]);

    // A renamed building: previewed as one change, then applied.
    const renamed = lines.map((l) =>
      l.startsWith('building,bldg-b,') ? l.replace(/,[^,]*B栋,/, ',学生公寓B栋（新）,') : l,
    );
    expect(renamed.join()).not.toEqual(lines.join());
    await page.getByLabel(/CSV 或 XLSX 文件/).setInputFiles({
      name: 'directory.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(renamed.join('\r\n')),
    });
    await page.getByRole('button', { name: '校验并预览' }).click();
    expect(await page.locator('[data-import="valid"]').count()).toBe(1);
    const buildings = page.locator('tr[data-kind="buildings"]');
    expect(await buildings.getAttribute('data-changed')).toBe('1');
    expect(await buildings.getAttribute('data-added')).toBe('0');
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.waitForURL((u) => u.searchParams.has('applied'));
    // The same counts as the preview, not the number of rows in the file.
    expect(await page.locator('[data-applied]').textContent()).toMatch(/新增 0 条，修改 1 条，\d+ 条不变/);
    await open(page, '/app/dashboard?building=bldg-b');
    expect(await page.locator('#dash-building option[selected]').textContent()).toBe('学生公寓B栋（新）');

    // The download, uploaded as it was, puts the demo campus back.
    await open(page, '/app/admin/directory');
    await page.getByLabel(/CSV 或 XLSX 文件/).setInputFiles({
      name: 'directory.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: '校验并预览' }).click();
    expect(await page.locator('tr[data-kind="buildings"]').getAttribute('data-changed')).toBe('1');
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.waitForURL((u) => u.searchParams.has('applied'));
    await ctx.close();
  });
  it("keeps the KPI chart's labels inside it in the browser's own font, phone and desktop, both languages", async () => {
    // ECharts sizes text on the server; the reader's font draws it. Labels sized for Arial
    // ran off the chart's left edge in a wider font ("neral repairs on site…").
    const measured = computeKpis(emptyTally(), { periodDays: 7, buildings: 1 })
      .filter((k) => k.unit === 'ratio')
      .map((k) => ({ ...k, value: 0.5 }));
    const ctx = await deviceFor(s, DESKTOP);
    const page = await ctx.newPage();
    for (const width of [360, 640]) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const svg = kpiRatesChart(measured, lang, width);
        expect(svg).not.toBeNull();
        await page.setContent(`<!doctype html><body style="margin:0;width:${width}px">${svg}</body>`);
        const labels = await page.locator('svg').evaluate((el) => {
          const box = el.getBoundingClientRect();
          return [...el.querySelectorAll('text')].map((t) => {
            const r = t.getBoundingClientRect();
            return { text: t.textContent ?? '', left: r.left - box.left, right: box.right - r.right };
          });
        });
        const where = `${lang} at ${width}px`;
        expect(labels.length, where).toBeGreaterThan(measured.length);
        expect(
          labels.filter((l) => l.left < 0 || l.right < 0).map((l) => l.text),
          where,
        ).toEqual([]);
      }
    }
    await ctx.close();
  });

  it("spaces a triage card's buttons from the fields above them, desktop and phone", async () => {
    const reportId = newReportId();
    const location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A104' };
    await saveReport(s.deps.aws, {
      reportId,
      placeCode: placeCode(location),
      location,
      kind: 'repair',
      description: '窗户关不上',
      evidence: [],
      receivedAt: new Date().toISOString(),
    });
    for (const viewport of [DESKTOP, PHONE]) {
      const ctx = await deviceFor(s, viewport);
      const page = await ctx.newPage();
      await signIn(s, page, 'sup-wang');
      await open(page, '/app/triage');
      const card = page.locator(`article[id="${reportId}"]`);
      for (const [field, button] of [
        ['select[name="severity"]', '立案'],
        ['input[name="reason"]', '不予受理'],
      ] as const) {
        const a = (await card.locator(field).boundingBox())!;
        const b = (await card.getByRole('button', { name: button }).boundingBox())!;
        // Beside it or below it, with room between: never touching.
        const gap = Math.max(b.x - (a.x + a.width), b.y - (a.y + a.height));
        expect(gap, `${button} at ${viewport.width}px`).toBeGreaterThanOrEqual(8);
      }
      expect(await sidewaysOverflow(page), `${viewport.width}px`).toBe(0);
      await ctx.close();
    }
  });

  it("draws the KPI chart's 100% tick on an English phone, each value clear of its target mark", async () => {
    // Eight weeks of cases, so the period has rates to draw (the same records the other files seed).
    await seedDemoHistory(s.deps.aws);
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'wg-chen');
    await open(page, '/app/dashboard?lang=en');
    const svg = page.locator('.chart-narrow[data-chart="kpi-rates"] svg');
    expect(await svg.isVisible()).toBe(true);
    const ticks = await svg.locator('text[text-anchor="middle"]').allTextContents();
    expect(ticks.at(-1)).toBe('100%');
    // Each value (text-anchor start) and each target mark (dark red) as drawn in the browser's font.
    const boxes = (selector: string) =>
      svg
        .locator(selector)
        .evaluateAll((els) =>
          els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right, r.top, r.bottom]),
        );
    const values = await boxes('text[text-anchor="start"]');
    const marks = await boxes('path[fill="#7f1d1d"]');
    expect(values.length).toBeGreaterThan(0);
    const touching = values.filter(([l, r, t, b]) =>
      marks.some(([ml, mr, mt, mb]) => l < mr + 2 && r > ml - 2 && t < mb && b > mt),
    );
    expect(touching).toEqual([]);
    await ctx.close();
  });

  it('answers bad requests with 4xx pages: roles, CSRF, bad ids, periods and weeks', async () => {
    const ctx = await deviceFor(s, DESKTOP);
    const page = await ctx.newPage();
    await signIn(s, page, 'audit-he');
    const get = async (path: string) => (await page.request.get(`${s.baseUrl}${path}`)).status();
    expect(await get('/app/admin/directory')).toBe(403);
    expect(await get('/app/audit/verify?caseId=not%20an%20id!')).toBe(400);
    expect(await get('/app/audit/verify?caseId=ZG-2099-00000000')).toBe(404);
    expect(await get('/app/audit/cases/ZG-2099-00000000/export?format=csv')).toBe(404);
    expect(await get('/app/audit/export?from=2026-03-01&to=2026-02-01')).toBe(400);
    expect(await get('/app/audit/export?from=2026-03-01&to=2026-03-31&format=xml')).toBe(400);
    expect(await get('/app/audit?building=nowhere')).toBe(400);
    expect(await get('/app/dashboard?building=nowhere')).toBe(400);
    expect(await get('/app/dashboard?from=2024-01-01&to=2026-01-01')).toBe(400);
    expect(await get('/app/dashboard/weekly?week=2026-W60')).toBe(400);
    expect(await get('/app/dashboard/weekly?week=2020-W10')).toBe(404);
    await ctx.close();

    const admin = await deviceFor(s, DESKTOP);
    const adminPage = await admin.newPage();
    await signIn(s, adminPage, 'admin-xu');
    const post = (form: Record<string, string>) =>
      adminPage.request.post(`${s.baseUrl}/app/admin/directory/apply`, { form, maxRedirects: 0 });
    // Without the session's CSRF token nothing is written.
    expect((await post({ directory: '{}' })).status()).toBe(403);
    await open(adminPage, '/app/admin/directory');
    const csrf = (await adminPage.locator('input[name="_csrf"]').first().getAttribute('value')) ?? '';
    expect((await post({ _csrf: csrf, directory: 'not json' })).status()).toBe(400);
    expect((await post({ _csrf: csrf, directory: '{"people":[]}' })).status()).toBe(400);
    // Signed out, the pages send people to sign in and come back.
    const anon = await deviceFor(s, DESKTOP);
    const res = await anon.request.get(`${s.baseUrl}/app/audit`, { maxRedirects: 0 });
    expect(res.status()).toBe(302);
    expect(res.headers().location).toBe('/login?next=%2Fapp%2Faudit');
    await Promise.all([admin.close(), anon.close()]);
  });
});
