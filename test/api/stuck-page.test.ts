import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSessions } from '../support/page-sessions.ts';
import { caseViewSchema, createdCaseSchema } from '../../api/schemas.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';
import { startRefusingSmtp, until, type RefusingSmtp } from '../support/refusing-smtp.ts';

/**
 * /app/admin/stuck, the page the effect_stuck mail links to: an admin signed in on the web
 * (no bearer token) sees each case's failed automatic step and retries or dismisses it; a
 * step already handled is said so on the list, not a 500; other roles get the 403 page.
 * Real servers: an SMTP server in this process that refuses one mailbox, Temporal, DynamoDB.
 */
let smtp: RefusingSmtp;
let s: ApiStack;
const ZHOU = 'zhou.qiang@demo.edu.cn';

beforeAll(async () => {
  smtp = await startRefusingSmtp();
  s = await startApiStack({}, smtp.env);
});

afterAll(async () => {
  await s?.stop();
  await smtp?.close();
});

const as = pageSessions(() => s.deps.aws);
/** A GET of a page, carrying the flash cookie a POST left, as a browser does. */
async function getPage(path: string, personId: string, lang = 'zh-CN', cookie = '') {
  const who = await as(personId);
  return s.app.request(path, {
    headers: { cookie: `rectify_session=${who.id}${cookie ? `; ${cookie}` : ''}`, 'accept-language': lang },
  });
}
async function post(path: string, personId: string, csrf?: string) {
  const who = await as(personId);
  return s.app.request(path, {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf ?? who.csrf }),
  });
}
/** Posts a button's form and follows the redirect back to the list with its flash. */
async function press(path: string, personId: string, lang = 'zh-CN') {
  const res = await post(path, personId);
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/app/admin/stuck');
  const flash = /rectify_flash=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const back = await getPage('/app/admin/stuck', personId, lang, flash);
  expect(back.status).toBe(200);
  return back.text();
}

const viewOf = async (caseId: string) =>
  caseViewSchema.parse(await (await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'admin-xu' })).json());

async function caseWithRefusedMail(title: string) {
  smtp.refused.add(ZHOU);
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody({ title }) });
  expect(res.status).toBe(201);
  const { caseId } = createdCaseSchema.parse(await res.json());
  await until('the refused mail to be stuck', async () =>
    (await viewOf(caseId)).stuck?.length ? true : undefined,
  );
  // The list reads the search attribute, which reaches visibility a little later.
  await until('the case on the page', async () => {
    const html = await (await getPage('/app/admin/stuck', 'admin-xu')).text();
    return html.includes(`data-stuck-case="${caseId}"`) ? html : undefined;
  });
  return caseId;
}

describe('the failed automatic steps page', () => {
  it('is for admins only: other roles get the 403 page, and the nav shows it to admins only', async () => {
    const other = await getPage('/app/admin/stuck', 'sup-wang');
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('只有管理员可以查看和处理失败的操作');
    const postByOther = await post('/app/admin/stuck/RC-2026-000001/effects/x1/retry', 'sup-wang');
    expect(postByOther.status).toBe(403);
    const admin = await getPage('/app/admin/stuck', 'admin-xu');
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('href="/app/admin/stuck"');
    expect(await (await getPage('/app', 'sup-wang')).text()).not.toContain('href="/app/admin/stuck"');
  });

  it('lists a stuck mail and retries it, then says a second retry finds it already handled', async () => {
    const caseId = await caseWithRefusedMail('水龙头漏水（重试）');
    const html = await (await getPage('/app/admin/stuck', 'admin-xu')).text();
    expect(html).toContain(`href="/app/cases/${caseId}"`);
    expect(html).toContain('水龙头漏水（重试）');
    expect(html).toContain('邮件「指派通知」（EmailRejected）');
    expect(html).toContain(`action="/app/admin/stuck/${caseId}/effects/x1/retry"`);
    expect(html).toContain(`action="/app/admin/stuck/${caseId}/effects/x1/dismiss"`);
    expect(html).toContain('name="_csrf"');
    const en = await (await getPage('/app/admin/stuck', 'admin-xu', 'en')).text();
    expect(en).toContain('email &quot;Assignment notice&quot; (EmailRejected)');

    // Without the session's form token nothing happens.
    const forged = await post(`/app/admin/stuck/${caseId}/effects/x1/retry`, 'admin-xu', 'not-the-token');
    expect(forged.status).toBe(403);
    expect((await viewOf(caseId)).stuck).toHaveLength(1);

    smtp.refused.delete(ZHOU);
    const after = await press(`/app/admin/stuck/${caseId}/effects/x1/retry`, 'admin-xu');
    expect(after).toContain(`已重试案件 ${caseId} 的操作 x1，这次成功完成。`);
    expect(smtp.received.some((m) => m.to.includes(ZHOU) && m.data.includes(caseId))).toBe(true);
    const v = await viewOf(caseId);
    expect(v.stuck).toEqual([]);
    expect(v.timeline.map((t) => t.action)).toContain('effect_retried');

    const again = await press(`/app/admin/stuck/${caseId}/effects/x1/retry`, 'admin-xu', 'en');
    expect(again).toContain(`Step x1 of case ${caseId} is no longer waiting`);
  });

  it('dismisses a stuck mail; a misshapen step id is a 400 page, not a 500', async () => {
    const caseId = await caseWithRefusedMail('水龙头漏水（忽略）');
    const bad = await post(`/app/admin/stuck/${caseId}/effects/e1/dismiss`, 'admin-xu');
    expect(bad.status).toBe(400);
    const after = await press(`/app/admin/stuck/${caseId}/effects/x1/dismiss`, 'admin-xu');
    expect(after).toContain(`已忽略案件 ${caseId} 的失败操作 x1，不再重试。`);
    const v = await viewOf(caseId);
    expect(v.stuck).toEqual([]);
    expect(v.timeline.map((t) => t.action)).toContain('effect_dismissed');
    smtp.refused.delete(ZHOU);
  });
});
