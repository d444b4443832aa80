import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectionRoundKit } from '../support/inspection-rounds.ts';
import { PHONE, deviceFor, sidewaysOverflow, signIn, startWebStack, type WebStack } from './support.ts';

// The inspection checklist on a phone: many screens of items, with save and submit (and how many
// are saved) in view all the way down, and a refused post leading to the item to correct.
let s: WebStack;
const { openRound } = inspectionRoundKit(() => s.deps, { from: 30_000, span: 20_000 });

beforeAll(async () => {
  s = await startWebStack();
});

afterAll(async () => {
  await s?.stop();
});

/** Whether the element is wholly inside the window as it is scrolled now. */
const inView = async (page: Page, selector: string) => {
  const box = await page.locator(selector).first().boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= PHONE.height;
};

describe('the inspection checklist on a phone', () => {
  it('keeps save and submit with the saved count in view while filling it in, and posts without script', async () => {
    const id = await openRound();
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    expect((await page.goto(`${s.baseUrl}/inspection/${id}`))?.status()).toBe(200);
    expect(await sidewaysOverflow(page)).toBe(0);
    const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
    expect(height).toBeGreaterThan(PHONE.height * 3);
    for (const y of [0, height / 3, (2 * height) / 3]) {
      await page.evaluate(`window.scrollTo(0, ${y})`);
      for (const el of ['button[value="false"]', 'button[value="true"]', '[data-saved-count]'])
        expect(await inView(page, `[data-submit-bar] ${el}`), `${el} at ${y}`).toBe(true);
    }
    // The bar's save posts the form as it is (no script): the count moves on.
    await page.locator('fieldset.item').first().locator('input[value="pass"]').check();
    await page.locator('[data-submit-bar] button[value="false"]').click();
    await page.waitForURL(`${s.baseUrl}/inspection/${id}`);
    await expect.poll(() => page.locator('[data-saved-count]').textContent()).toMatch(/^已保存 1\//);
    await ctx.close();
  });

  it('links a refused post’s message to the item to correct, which the link brings into view and focuses', async () => {
    const id = await openRound();
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    await page.goto(`${s.baseUrl}/inspection/${id}`);
    // A failure without a note, far down the list.
    const item = page.locator('fieldset.item').nth(5);
    const itemId = ((await item.getAttribute('id')) ?? '').replace(/^item-/, '');
    await item.locator('input[value="fail"]').check();
    await page.locator('[data-submit-bar] button[value="false"]').click();
    await page.waitForLoadState();
    const link = page.locator(`[data-problem] li[data-field="${itemId}"] a`);
    await expect.poll(() => link.count()).toBe(1);
    // The link says what is wrong with the item, not only its name.
    expect(await link.textContent()).toMatch(/ — 备注：/);
    await link.click();
    expect(new URL(page.url()).hash).toBe(`#item-${itemId}`);
    // The keyboard is at the item now (its legend and errors read), not back at the page's top.
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(`item-${itemId}`);
    const box = await page.locator(`[id="item-${itemId}"]`).boundingBox();
    const bar = await page.locator('[data-submit-bar]').boundingBox();
    // Its top (the legend and the error) on screen, above the bar.
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + 80).toBeLessThan(bar!.y);
    await ctx.close();
  });
});
