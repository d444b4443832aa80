import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.ts';
import { gridCells } from '../../domain/zero-report.ts';
import { saveNight, saveReport } from '../../store/zero-reports.ts';
import { demoDirectory } from '../support/stack.ts';
import { PHONE, deviceFor, sidewaysOverflow, signIn, startWebStack, type WebStack } from './support.ts';

// Tables on a 390 px phone: a date, a name or a count stays whole on its line (the table scrolls
// in its own region instead), where cells that may break anywhere squeezed each column to one
// character a line and the calendar's preview ran to thousands of pixels.
let s: WebStack;
const NIGHT = addDays('2071-01-01', Math.floor(Math.random() * 10_000));

beforeAll(async () => {
  s = await startWebStack();
  const store = { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables };
  await saveNight(store, {
    night: NIGHT,
    workflowId: `zero-night-${NIGHT}`,
    openedAt: `${NIGHT}T14:20:00.000Z`,
    closeAt: `${NIGHT}T15:00:00.000Z`,
    acceptUntil: `${NIGHT}T16:00:00.000Z`,
    cells: gridCells(await demoDirectory()),
  });
  await saveReport(store, {
    night: NIGHT,
    cellId: 'L3:a-f1-c2',
    personId: 'grid-a1c2',
    via: 'page',
    at: `${NIGHT}T14:41:07.000Z`,
    none: false,
    afterClose: false,
    late: [{ room: 'A104', name: '张三', note: '23:10 返回，已登记' }],
    absent: [],
  });
}, 180_000);

afterAll(async () => {
  await s?.stop();
});

/**
 * The words (runs without a space) of the table's cells that the browser laid out over more than
 * one line, each with the widths of its pieces: none is what a readable table has.
 */
async function brokenWords(page: Page, table: string): Promise<string[]> {
  // A script, not a function: this project's TypeScript has no DOM types.
  return page.evaluate<string[]>(`(() => {
    const out = [];
    for (const cell of document.querySelectorAll(${JSON.stringify(`${table} td, ${table} th`)})) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Chinese runs break between characters by design; the words here are the Latin ones.
        for (const m of (node.textContent ?? '').matchAll(/[\\x21-\\x7e]+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) out.push(m[0] + ' (' + lines.size + ' lines)');
        }
      }
    }
    return out;
  })()`);
}

/** The width of a cell and of the first word of its text set on one line. */
async function cellAndWordWidth(page: Page, cell: string): Promise<{ cell: number; text: number }> {
  return page.evaluate<{ cell: number; text: number }>(`(() => {
    const td = document.querySelector(${JSON.stringify(cell)});
    const first = (td.querySelector('span.muted')?.textContent ?? '').trim().split(/\\s+/)[0] ?? '';
    const probe = document.createElement('span');
    probe.style.whiteSpace = 'nowrap';
    probe.textContent = first;
    td.append(probe);
    const text = probe.getBoundingClientRect().width;
    probe.remove();
    return { cell: td.getBoundingClientRect().width, text };
  })()`);
}

describe('tables on a 390 px phone', () => {
  it('the calendar preview keeps each date whole, and its section stays a phone’s few screens', async () => {
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'admin-xu');
    const res = await page.goto(`${s.baseUrl}/app/admin/calendar`);
    expect(res?.status()).toBe(200);
    const table = '[data-calendar-preview] table';
    expect(await page.locator(`${table} td`).count()).toBeGreaterThan(0);
    expect(await brokenWords(page, table)).toEqual([]);
    // The days-off cell of a year: as wide as its widest date range, not 25 px.
    const widths = await cellAndWordWidth(page, `${table} tbody tr:first-child td:nth-of-type(2)`);
    expect(widths.text).toBeGreaterThan(0);
    expect(widths.cell).toBeGreaterThanOrEqual(widths.text);
    const section = await page.locator('[data-calendar-preview]').boundingBox();
    expect(section?.height ?? Infinity).toBeLessThan(2500);
    expect(await sidewaysOverflow(page)).toBe(0);
    await ctx.close();
  });

  // The KPI table was 544 px wide in a 324 px scroll box: the verdict column began off-screen.
  it('the dashboard’s KPI table shows every verdict within the screen, nothing to scroll sideways', async () => {
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'wg-chen');
    for (const lang of ['zh-CN', 'en']) {
      const res = await page.goto(`${s.baseUrl}/app/dashboard?lang=${lang}`);
      expect(res?.status()).toBe(200);
      const verdicts = await page.evaluate<{ left: number; right: number; text: string }[]>(
        `[...document.querySelectorAll('table[data-kpis] td[data-verdict]')].map((td) => {
          const r = td.getBoundingClientRect();
          return { left: r.left, right: r.right, text: td.textContent.trim() };
        })`,
      );
      expect(verdicts.length, lang).toBeGreaterThan(20);
      for (const v of verdicts) {
        expect(v.left, `${lang} ${v.text}`).toBeGreaterThanOrEqual(0);
        expect(v.right, `${lang} ${v.text}`).toBeLessThanOrEqual(PHONE.width);
      }
      const wrap = await page.evaluate<{ scroll: number; client: number }>(
        `(() => { const w = document.querySelector('table[data-kpis]').closest('.table-wrap');
          return { scroll: w.scrollWidth, client: w.clientWidth }; })()`,
      );
      expect(wrap.scroll, lang).toBeLessThanOrEqual(wrap.client);
      // Each figure is named beside it, the column heads being out of sight on a phone.
      const label = await page.evaluate<string>(
        `getComputedStyle(document.querySelector('table[data-kpis] td[data-verdict]'), '::before').content`,
      );
      expect(label, lang).toBe(lang === 'en' ? '"Verdict"' : '"判定"');
      expect(await sidewaysOverflow(page), lang).toBe(0);
    }
    await ctx.close();
  });

  it('the zero-report board keeps cell names, rooms and times whole', async () => {
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    for (const lang of ['zh-CN', 'en']) {
      const res = await page.goto(`${s.baseUrl}/zero-report/${NIGHT}?lang=${lang}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('.table-wrap table td').count()).toBeGreaterThan(0);
      expect(await brokenWords(page, '.table-wrap table'), lang).toEqual([]);
      expect(await sidewaysOverflow(page), lang).toBe(0);
    }
    await ctx.close();
  });
});
