import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLocalToken } from '../../api/auth.ts';
import { createdCaseSchema } from '../../api/schemas.ts';
import {
  PHONE,
  actionLink,
  deviceFor,
  sidewaysOverflow,
  signIn,
  startWebStack,
  waitForEmail,
  type WebStack,
} from './support.ts';

// A form that comes back refused, on a phone with the keyboard: the page's title says so, the
// keyboard lands on the message (an alert already in the page when it loads is not announced), and
// the message leads to the field. What a thumb taps is at least 44 px tall.
let s: WebStack;

beforeAll(async () => {
  s = await startWebStack();
});

afterAll(async () => {
  await s?.stop();
});

async function api(personId: string, path: string, body: unknown): Promise<Response> {
  const token = await issueLocalToken(s.deps.env.JWT_SECRET ?? '', personId);
  return fetch(`${s.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A case for staff-zhou with its root cause given: its sign-off link is on its way. */
async function analysedCase(): Promise<string> {
  const opened = await api('sup-wang', '/api/cases', {
    title: '走廊灯不亮 Corridor light out',
    description: '三楼走廊灯不亮',
    source: 'inspection',
    severity: 'routine',
    location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
    assigneeId: 'staff-zhou',
  });
  expect(opened.status).toBe(201);
  const { caseId } = createdCaseSchema.parse(await opened.json());
  const rc = await api('sup-wang', `/api/cases/${caseId}/root-cause`, {
    causes: ['灯管老化'],
    responsibleId: 'staff-zhou',
    plan: '更换灯管',
  });
  expect(rc.status).toBe(200);
  return caseId;
}

/** What has the keyboard focus: whether it is an error summary, and its text. */
const focused = async (page: Page) => {
  const at = page.locator(':focus');
  return (await at.count()) === 0
    ? null
    : {
        summary:
          (await at.getAttribute('data-error-summary')) !== null ||
          (await at.getAttribute('data-form-error')) !== null,
        text: await at.textContent(),
      };
};

const heightOf = async (page: Page, selector: string) =>
  (await page.locator(selector).first().boundingBox())?.height ?? 0;

describe('a refused form on a phone', () => {
  let caseId = '';
  beforeAll(async () => {
    caseId = await analysedCase();
  });

  it('the case page: an empty comment comes back titled as an error, the summary focused and linking the field', async () => {
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await signIn(s, page, 'sup-wang');
    await page.goto(`${s.baseUrl}/app/cases/${encodeURIComponent(caseId)}`);
    const comment = page.locator('section[data-step="comment"]');
    await comment.getByRole('button', { name: '提交' }).click();
    await page.waitForLoadState('load');
    expect(await page.title()).toMatch(/^错误：/);
    const at = await focused(page);
    expect(at?.summary).toBe(true);
    expect(at?.text).toContain('添加备注');
    // The summary's link leads to the comment field.
    await page.locator('[data-error-summary] a[href="#comment-text"]').click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#comment-text');
    expect(await page.locator('#comment-text').getAttribute('aria-invalid')).toBe('true');

    // Thumb-sized: the language switch, a link in a list row, the sign-out button.
    expect(await heightOf(page, 'header .tools a[hreflang="en"]')).toBeGreaterThanOrEqual(44);
    expect(await heightOf(page, 'header .tools button.link')).toBeGreaterThanOrEqual(44);
    await page.goto(`${s.baseUrl}/app/cases`);
    expect(await heightOf(page, 'table td a[href^="/app/cases/"]')).toBeGreaterThanOrEqual(44);
    // Taller, not wider: the list and the workbench still fit the phone.
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.goto(`${s.baseUrl}/app`);
    expect(await sidewaysOverflow(page)).toBe(0);
    await ctx.close();
  });

  it('the sign-off link: a dispute without a reason is said first, focused, and tied to the reason', async () => {
    const mail = await waitForEmail(
      (e) =>
        e.subject.includes(caseId) && e.to.includes('zhou.qiang@demo.edu.cn') && e.subject.includes('待签字'),
    );
    const ctx = await deviceFor(s, PHONE);
    const page = await ctx.newPage();
    await page.goto(actionLink(mail, s.baseUrl));
    expect(await page.title()).not.toMatch(/^错误/);
    // The choices are a named group, each row thumb-sized, the button too.
    expect(await page.getByRole('group', { name: /签字选择/ }).count()).toBe(1);
    expect(await heightOf(page, 'label.choice')).toBeGreaterThanOrEqual(44);
    expect(await heightOf(page, 'button[type="submit"]')).toBeGreaterThanOrEqual(44);
    await page.getByLabel('提出异议（须写明理由）').check();
    await page.getByRole('button', { name: /签字提交/ }).click();
    await page.waitForLoadState('load');
    expect(await page.title()).toMatch(/^错误：/);
    const at = await focused(page);
    expect(at?.summary).toBe(true);
    expect(at?.text).toContain('提出异议须写明理由');
    // In view on an 844 px screen, not below it.
    const box = await page.locator('[data-form-error]').boundingBox();
    expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(PHONE.height);
    const reason = page.getByRole('textbox', { name: /异议理由/ });
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    // The phone's full-width button and choice rows do not widen the page.
    expect(await sidewaysOverflow(page)).toBe(0);
    await ctx.close();
  });
});
