import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridCells } from '../../domain/zero-report.ts';
import { signReportLink } from '../../domain/report-link.ts';
import { saveEscalation, saveNight, saveReport } from '../../store/zero-reports.ts';
import { demoDirectory } from '../support/stack.ts';
import { seedDemoHistory, seedWeeklyReports } from './demo-history.ts';
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
