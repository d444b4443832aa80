import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, deviceFor, signIn, startWebStack, type WebStack } from './support.ts';

// The app's refused queries in a browser: the page's title says so, the keyboard lands on the
// summary when the page loads, and the summary's link leads to the field it marks.
let s: WebStack;

beforeAll(async () => {
  s = await startWebStack();
});

afterAll(async () => {
  await s?.stop();
});

/** What has the keyboard focus: whether it is an error summary, and its text. */
const focused = async (page: Page) => {
  const at = page.locator(':focus');
  return (await at.count()) === 0
    ? null
    : { summary: (await at.getAttribute('data-error-summary')) !== null, text: await at.textContent() };
};

describe('a refused query on a phone', () => {
  for (const { name, who, path, said, field } of [
    {
      name: 'the dashboard, dates reversed',
      who: 'wg-chen',
      path: '/app/dashboard?from=2026-03-10&to=2026-03-01',
      said: '开始日期须早于或等于结束日期',
      field: 'dash-from',
    },
    {
      name: 'the case list, a stage that is none',
      who: 'sup-wang',
      path: '/app/cases?stage=bogus',
      said: '环节：',
      field: 'flt-stage',
    },
    {
      name: 'the triage queue, a kind that is none',
      who: 'wg-chen',
      path: '/app/triage?kind=bogus',
      said: '类别：',
      field: 'flt-kind',
    },
  ])
    it(`${name}: titled as an error, the summary focused, its link leading to the field`, async () => {
      const ctx = await deviceFor(s, PHONE);
      const page = await ctx.newPage();
      await signIn(s, page, who);
      await page.goto(`${s.baseUrl}${path}`);
      expect(await page.title()).toMatch(/^错误：/);
      const at = await focused(page);
      expect(at?.summary).toBe(true);
      expect(at?.text).toContain(said);
      await page.locator(`[data-error-summary] a[href="#${field}"]`).click();
      await expect.poll(() => new URL(page.url()).hash).toBe(`#${field}`);
      expect(await page.locator(`#${field}`).getAttribute('aria-invalid')).toBe('true');
      await ctx.close();
    });
});
