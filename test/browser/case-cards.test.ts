import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case-model.ts';
import { appendAudit } from '../../store/audit-chain.ts';
import { testView } from '../support/audit-fixtures.ts';
import { uniqueCaseNumber } from '../support/stack.ts';
import {
  DESKTOP,
  PHONE,
  deviceFor,
  sidewaysOverflow,
  signIn,
  startWebStack,
  type WebStack,
} from './support.ts';

// The case tables on a phone: one card per case, each value beside its column's name, never a
// column squeezed to one character; on a desktop the same markup stays a table.
let s: WebStack;
const HOUR = 3_600_000;

/** An overdue case being fixed in sup-wang's building, as the workflow writes its record. */
async function overdueCase(assigneeId: string): Promise<string> {
  const caseId = uniqueCaseNumber();
  const now = Date.now();
  const view: CaseView = {
    ...testView(caseId, { buildingId: 'bldg-a' }),
    title: '卫生间水龙头持续漏水，地面积水',
    location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A103' },
    assigneeId,
    responsibleId: assigneeId,
    stage: 'rectifying',
    overdue: true,
    deadlines: [
      {
        stage: 'rectifying',
        round: 1,
        startedAt: new Date(now - 30 * HOUR).toISOString(),
        due: new Date(now - 6 * HOUR).toISOString(),
        approximate: false,
        calendarVersion: 'test',
        state: 'breached',
        breachedAt: new Date(now - 6 * HOUR).toISOString(),
      },
    ],
  };
  await appendAudit(s.deps.aws.ddb, s.deps.aws.tables, {
    caseId,
    stepId: 'case-cards',
    at: view.openedAt,
    actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
    action: 'detected',
    payload: { title: view.title },
    view,
  });
  return caseId;
}

beforeAll(async () => {
  s = await startWebStack();
  await overdueCase('staff-lee');
  await overdueCase('staff-zhou');
});

afterAll(async () => {
  await s?.stop();
});

/**
 * The page's case tables: each one's headers, and each row's width and its cells' width, label and text.
 * The dashboard's KPI table is stacked too, but each row is headed by its KPI (a row header, not a
 * case cell): test/browser/phone-tables looks at it.
 */
const tablesOf = (page: Page) =>
  page.$$eval('table.stacked:not([data-kpis])', (tables) =>
    tables.map((table) => ({
      headers: [...table.querySelectorAll(':scope > thead th')].map((th) => (th.textContent ?? '').trim()),
      rows: [...table.querySelectorAll(':scope > tbody > tr')].map((tr) => ({
        right: tr.getBoundingClientRect().right,
        width: tr.getBoundingClientRect().width,
        cells: [...tr.querySelectorAll(':scope > td')].map((td) => ({
          display: td.ownerDocument.defaultView?.getComputedStyle(td).display,
          width: td.getBoundingClientRect().width,
          label: td.ownerDocument.defaultView?.getComputedStyle(td, '::before').content,
          text: (td.textContent ?? '').trim(),
        })),
      })),
    })),
  );

/** Every row a card across the phone: the case unlabelled on top, each other cell on a line of its own after its column's name. */
async function expectCards(page: Page) {
  expect(await sidewaysOverflow(page)).toBe(0);
  const tables = await tablesOf(page);
  expect(tables.flatMap((t) => t.rows).length).toBeGreaterThan(0);
  for (const { headers, rows } of tables)
    for (const row of rows) {
      expect(row.right).toBeLessThanOrEqual(PHONE.width);
      const [head, ...rest] = row.cells;
      expect(head?.label).toBe('none');
      expect(rest.map((c) => c.label)).toEqual(headers.slice(1).map((l) => JSON.stringify(l)));
      for (const cell of row.cells) {
        expect(cell.display).toBe('block');
        // A line of its own across the card, not a column a character wide.
        expect(cell.width, cell.text).toBeGreaterThan(row.width * 0.9);
      }
    }
  return tables;
}

describe('case tables on a phone', () => {
  for (const [path, lang, labels] of [
    ['/app', 'zh-CN', ['环节', '位置', '负责人', '当前时限']],
    ['/app?lang=en', 'en', ['Stage', 'Place', 'Assignee', 'Due']],
    ['/app/cases', 'zh-CN', ['环节', '位置', '负责人', '当前时限']],
  ] as const) {
    it(`shows ${path} as one card per case, each value labelled (${lang})`, async () => {
      const ctx = await deviceFor(s, PHONE);
      const page = await ctx.newPage();
      await signIn(s, page, 'sup-wang');
      expect((await page.goto(`${s.baseUrl}${path}`))?.status()).toBe(200);
      const tables = await expectCards(page);
      for (const t of tables) expect(t.headers.slice(1)).toEqual(labels);
      // The place and the name read on one line beside their labels.
      const place = page.locator('table.stacked td[data-label]', { hasText: 'A103' }).first();
      expect((await place.boundingBox())?.height).toBeLessThan(60);
      if (lang === 'zh-CN') {
        const name = page.locator('table.stacked td[data-label]', { hasText: 'David Lee' }).first();
        expect((await name.boundingBox())?.height).toBeLessThan(40);
      }
      await ctx.close();
    });
  }

  it('shows the dashboard’s overdue and breach tables as cards too', async () => {
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    expect((await page.goto(`${s.baseUrl}/app/dashboard`))?.status()).toBe(200);
    const tables = await expectCards(page);
    // The overdue list among the dashboard's card tables (the standards' clocks are cards too).
    expect(tables.map((t) => t.headers.slice(1))).toContainEqual(['阶段', '地点', '负责人', '应完成']);
    await ctx.close();
  });

  it('keeps the table on a desktop', async () => {
    const ctx = await deviceFor(s, DESKTOP);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    await page.goto(`${s.baseUrl}/app`);
    const rows = (await tablesOf(page)).flatMap((t) => t.rows);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.cells.map((c) => c.display)).toEqual(Array(5).fill('table-cell'));
      expect(row.cells.map((c) => c.label)).toEqual(Array(5).fill('none'));
    }
    expect(await page.locator('table.stacked thead').first().isVisible()).toBe(true);
    await ctx.close();
  });
});
