import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import {
  PHONE,
  deviceFor,
  seriousViolations,
  sidewaysOverflow,
  startWebStack,
  type WebStack,
} from './support.ts';

// The report form as a student's thumb and screen reader meet it on a 390 px phone: each choice
// is a row a finger can hit, and a form sent back to be corrected says its photos are gone.
let s: WebStack;
const contexts: BrowserContext[] = [];
// A floor's own code: refused posts are never kept, so nothing here counts against its limit.
const code = placeCode({ buildingId: 'bldg-a', floorId: 'a-f1' });

beforeAll(async () => {
  s = await startWebStack();
});
afterAll(async () => {
  await Promise.allSettled(contexts.map((c) => c.close()));
  await s?.stop();
});

async function phone(): Promise<Page> {
  const ctx = await deviceFor(s, PHONE);
  contexts.push(ctx);
  return ctx.newPage();
}

/** What a screen reader reads after an element's name: the texts its aria-describedby names. */
async function describedAs(page: Page, selector: string): Promise<string> {
  const ids = ((await page.locator(selector).getAttribute('aria-describedby')) ?? '')
    .split(/\s+/)
    .filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.map((t, i) => t ?? `(no #${ids[i]})`).join(' | ');
}

describe('the report form on a phone', () => {
  it('offers each kind as a row at least 44 px tall', async () => {
    const page = await phone();
    await page.goto(`${s.baseUrl}/r/${code}`);
    const choices = page.locator('label.choice');
    expect(await choices.count()).toBeGreaterThan(2);
    for (const choice of await choices.all()) {
      const box = await choice.boundingBox();
      expect(box?.height, (await choice.textContent()) ?? '').toBeGreaterThanOrEqual(44);
    }
  });

  it('sent back for a bad contact, says beside the empty photo field that the photo must be chosen again', async () => {
    const page = await phone();
    await page.goto(`${s.baseUrl}/r/${code}`);
    await page.getByLabel('报修').check();
    await page.getByLabel('问题描述').fill('楼道灯不亮');
    await page.locator('input[type="file"]').setInputFiles({
      name: 'lamp.png',
      mimeType: 'image/png',
      buffer: fakeFiles.png(),
    });
    await page.getByLabel(/^手机号、座机或电子邮箱/).fill('bad');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '提交报告' }).click(),
    ]);
    expect(answer.status()).toBe(400);
    await page.waitForLoadState();

    // What was typed is back; the photo cannot be, and the page says so where it is chosen.
    expect(await page.getByLabel('问题描述').inputValue()).toBe('楼道灯不亮');
    // An empty file input's value is ''; a chosen file's is its (fake) path.
    expect(await page.locator('#photo').inputValue()).toBe('');
    expect(await describedAs(page, '#photo')).toContain('照片需重新选择：刚才选的 1 张照片没有随表单保存。');
    expect(await page.getByRole('alert').textContent()).toContain('重新选择照片');
    // The contact's error names the field as its label does.
    expect(await describedAs(page, '#contact')).toContain(
      '手机号、座机或电子邮箱：不是有效的手机号、座机号码或电子邮箱',
    );
    expect(await describedAs(page, '#contact')).toMatch(/^可填手机号、座机号码/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await sidewaysOverflow(page)).toBe(0);
  });
});
