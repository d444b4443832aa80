import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checklistFor } from '../../domain/inspection.ts';
import { inspectionRoundKit } from '../support/inspection-rounds.ts';
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

// A daily round walked on a phone: each item its choice only until it needs more (a failure, or
// what the server sent back), so ~40 items are a few screens of scrolling, not dozens; without script.
let s: WebStack;
const { openRound } = inspectionRoundKit(() => s.deps, { from: 50_000, span: 20_000 });

beforeAll(async () => {
  s = await startWebStack();
});

afterAll(async () => {
  await s?.stop();
});

/** A person on a device with script turned off: the page and its form work without it. */
const noScript = (browser: Browser, viewport: { width: number; height: number }) =>
  browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    javaScriptEnabled: false,
    ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}),
  });

const pageHeight = async (page: Page) => Number(await page.evaluate('document.documentElement.scrollHeight'));
const item = (page: Page, n: number) => page.locator('fieldset.item').nth(n);

// Measured at 390 px, a daily round of 38 items: 23,213 px with every item's fields shown, 9,973 px
// compact; the bound sits between, with room for a line more per item.
const PHONE_BOUND = 12_000;

describe('the checklist’s items on a phone', () => {
  it('shows each item’s choice only, and an item’s room, note and photos once it is marked 不合格', async () => {
    const id = await openRound();
    const ctx = await noScript(s.browser, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    expect((await page.goto(`${s.baseUrl}/inspection/${id}`))?.status()).toBe(200);
    expect(await page.locator('fieldset.item').count()).toBe(checklistFor('daily').length);
    expect(await pageHeight(page)).toBeLessThan(PHONE_BOUND);
    expect(await sidewaysOverflow(page)).toBe(0);
    // Every choice in view of a thumb, none of the fields.
    expect(await item(page, 3).locator('input[value="fail"]').isVisible()).toBe(true);
    expect(await item(page, 3).locator('textarea').isVisible()).toBe(false);

    // What saving a failure does is said once one is chosen: on it, and over the save buttons.
    const saveWarning = page.locator('[data-submit-bar] [data-save-warning]');
    expect(await saveWarning.isVisible()).toBe(false);
    expect(await item(page, 1).locator('[data-fail-hint]').isVisible()).toBe(false);
    await item(page, 0).locator('input[value="pass"]').check();
    await item(page, 1).locator('input[value="fail"]').check();
    expect(await item(page, 1).locator('[data-fail-hint]').textContent()).toBe(
      '保存后即为此项立案，结果不能再修改',
    );
    expect(await item(page, 1).locator('[data-fail-hint]').isVisible()).toBe(true);
    expect(await item(page, 0).locator('[data-fail-hint]').isVisible()).toBe(false);
    expect(await saveWarning.isVisible()).toBe(true);
    expect(await item(page, 0).locator('textarea').isVisible()).toBe(false);
    for (const field of ['textarea', 'input[type="text"]', 'input[type="file"]'])
      expect(await item(page, 1).locator(field).isVisible(), field).toBe(true);
    // Each field named by its label, as before.
    await item(page, 1).getByLabel('备注', { exact: true }).fill('灭火器压力不足');
    expect(await item(page, 1).locator('textarea').inputValue()).toBe('灭火器压力不足');
    // What is typed stays in view when the choice changes.
    await item(page, 1).locator('input[value="pass"]').check();
    expect(await item(page, 1).locator('textarea').isVisible()).toBe(true);
    // A passed or n/a item may still take a note: its toggle shows the fields.
    await item(page, 2).locator('input[value="na"]').check();
    expect(await item(page, 2).locator('textarea').isVisible()).toBe(false);
    await item(page, 2).getByLabel('填写房间或备注').check();
    expect(await item(page, 2).locator('textarea').isVisible()).toBe(true);
    await ctx.close();
  });

  it('has no serious accessibility violation, compact or opened (axe-core, which needs script)', async () => {
    const id = await openRound();
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    await page.goto(`${s.baseUrl}/inspection/${id}`);
    expect(await seriousViolations(page)).toEqual([]);
    await item(page, 0).locator('input[value="fail"]').check();
    await item(page, 1).getByLabel('填写房间或备注').check();
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('shows the fields of an item the server sent back, refused or with what was typed', async () => {
    const id = await openRound();
    const ctx = await noScript(s.browser, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    await page.goto(`${s.baseUrl}/inspection/${id}`);
    // A failure without a note (refused), and a pass with a room typed in its opened fields.
    await item(page, 4).locator('input[value="fail"]').check();
    await item(page, 5).locator('input[value="pass"]').check();
    await item(page, 5).getByLabel('填写房间或备注').check();
    await item(page, 5).getByLabel('房间（可选）').fill('B101');
    await page.locator('[data-submit-bar] button[value="false"]').click();
    await page.waitForLoadState();
    expect(await page.locator('[data-problem]').count()).toBe(1);
    expect(await item(page, 4).locator('textarea').isVisible()).toBe(true);
    expect(await item(page, 5).locator('input[type="text"]').inputValue()).toBe('B101');
    expect(await item(page, 5).locator('input[type="text"]').isVisible()).toBe(true);
    expect(await item(page, 6).locator('textarea').isVisible()).toBe(false);
    await ctx.close();
  });

  it('stays a readable form on a desktop', async () => {
    const id = await openRound();
    const ctx = await noScript(s.browser, DESKTOP);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    await page.goto(`${s.baseUrl}/inspection/${id}`);
    await item(page, 0).locator('input[value="fail"]').check();
    const note = await item(page, 0).locator('textarea').boundingBox();
    expect(note?.width).toBeGreaterThan(300);
    expect(await item(page, 1).locator('textarea').isVisible()).toBe(false);
    expect(await sidewaysOverflow(page)).toBe(0);
    await ctx.close();
  });
});
