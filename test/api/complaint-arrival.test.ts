import { describe, expect, it } from 'vitest';
import { caseViewSchema, createdCaseSchema, problemSchema } from '../../api/schemas.ts';
import { issueActionUrl } from '../../store/links.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { call, newCaseBody, outcomeOf, useApiStack, waitForEmail } from './harness.ts';

/**
 * A complaint (about a staff member's manner, a service) is answered, not attended on site: its
 * assignment mail carries no arrival link, its case page no 登记到场 form, and an arrival sent
 * anyway (the API, the form, a link mailed before) is refused with why, in both languages. A
 * repair keeps all three.
 */
const s = useApiStack();
const as = pageSessions(() => s.deps.aws);

async function open(over: Record<string, unknown>): Promise<string> {
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody(over) });
  expect(res.status).toBe(201);
  return createdCaseSchema.parse(await res.json()).caseId;
}
const complaint = {
  source: 'complaint',
  title: '宿管员态度恶劣 Rude dorm keeper',
  description: '值班宿管员对学生态度恶劣',
};

const assignedMail = (caseId: string) =>
  waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('新案件'), 30_000);

async function casePage(caseId: string, personId: string): Promise<string> {
  const who = await as(personId);
  const res = await s.app.request(`/app/cases/${caseId}`, {
    headers: { 'accept-language': 'zh-CN', cookie: `rectify_session=${who.id}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}
const arrivalForm = (html: string) => /<section[^>]*data-step="arrived"/.test(html);

describe('no arrival on site for a complaint', () => {
  it('its assignment mail has no arrival link; a repair’s has', async () => {
    const complaintId = await open(complaint);
    const mail = await assignedMail(complaintId);
    expect(mail.text).not.toContain('到场');
    expect(mail.text).not.toContain('arrival');
    expect(mail.text).not.toContain('/actions/');
    expect(mail.html).not.toContain('/actions/');
    // The work is on the case page, which it still links.
    expect(mail.text).toContain(`/app/cases/${complaintId}`);

    const repair = await assignedMail(await open({}));
    expect(repair.text).toContain('到场后点此登记到场：');
    expect(repair.text).toContain('/actions/');
  });

  it('its case page offers no 登记到场 form; a repair’s does', async () => {
    const complaintId = await open(complaint);
    const html = await casePage(complaintId, 'staff-zhou');
    expect(arrivalForm(html)).toBe(false);
    // The other handling steps are offered as on any case.
    expect(html).toMatch(/<section[^>]*data-step="request_pause"/);
    expect(arrivalForm(await casePage(await open({}), 'staff-zhou'))).toBe(true);
  });

  it('an arrival sent through the API is a 409 saying why, in the caller’s language', async () => {
    const complaintId = await open(complaint);
    const zh = await call(s.app, 'POST', `/api/cases/${complaintId}/arrived?lang=zh-CN`, {
      as: 'staff-zhou',
      body: {},
    });
    expect(zh.status).toBe(409);
    expect(problemSchema.parse(await zh.json()).detail).toContain('投诉案件无需登记到场');
    const en = await call(s.app, 'POST', `/api/cases/${complaintId}/arrived?lang=en`, {
      as: 'staff-zhou',
      body: {},
    });
    expect(en.status).toBe(409);
    expect(problemSchema.parse(await en.json()).detail).toContain(
      'a complaint is answered, not attended on site',
    );
    // A repair's arrival is taken.
    const repairId = await open({});
    await assignedMail(repairId);
    const ok = await call(s.app, 'POST', `/api/cases/${repairId}/arrived`, { as: 'staff-zhou', body: {} });
    expect(ok.status).toBe(200);
  });

  it('the 登记到场 form posted anyway (a page from before) is refused and records nothing', async () => {
    const complaintId = await open(complaint);
    const who = await as('staff-zhou');
    const res = await s.app.request(`/app/cases/${complaintId}/arrived`, {
      method: 'POST',
      headers: {
        'accept-language': 'zh-CN',
        cookie: `rectify_session=${who.id}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams([['_csrf', who.csrf]]).toString(),
    });
    expect(res.status).toBe(409);
    // Not offered, so not drawn again: nothing recorded.
    expect(arrivalForm(await res.text())).toBe(false);
    const read = await call(s.app, 'GET', `/api/cases/${complaintId}`, { as: 'sup-wang' });
    const view = caseViewSchema.parse(await read.json());
    expect(view.timeline.some((e) => e.action === 'arrived')).toBe(false);
  });

  it('the form posted from an old page says why in the refusal’s own words, not that someone moved the case on', async () => {
    const complaintId = await open(complaint);
    const lead = async (lang: string) => {
      const who = await as('staff-zhou');
      const res = await s.app.request(`/app/cases/${complaintId}/arrived`, {
        method: 'POST',
        headers: {
          'accept-language': lang,
          cookie: `rectify_session=${who.id}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams([
          ['note', '已到宿舍楼'],
          ['_csrf', who.csrf],
        ]).toString(),
      });
      expect(res.status).toBe(409);
      const html = await res.text();
      // The note typed is still there to copy.
      expect(html).toMatch(/<textarea id="unsaved-note" readonly="">已到宿舍楼<\/textarea>/);
      return /class="summary-lead">([^<]*)</.exec(html)?.[1] ?? '';
    };
    const zh = await lead('zh-CN');
    expect(zh).toContain(
      '登记到场：没有保存。投诉案件无需登记到场：投诉以提交原因分析作为响应，此表单不能提交。',
    );
    expect(zh).not.toContain('案件已');
    const en = await lead('en');
    expect(en).toContain(
      'I am on site: nothing was saved. A complaint is answered, not attended on site: there is no arrival to record',
    );
    expect(en).not.toMatch(/already|moved on/);
  });

  it('an arrival link mailed before the change says a complaint has none to record', async () => {
    const complaintId = await open(complaint);
    await assignedMail(complaintId);
    const url = await issueActionUrl(
      { ...s.activityDeps, keys: s.activityDeps.signingKeys },
      { caseId: complaintId, step: 'arrived', round: 1, recipientId: 'staff-zhou', action: 'arrived' },
    );
    const page = await s.app.request(new URL(url).pathname, { headers: { 'accept-language': 'zh-CN' } });
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(outcomeOf(html)).toBe('no_arrival');
    expect(html).toContain('投诉案件无需登记到场');
    expect(html).toContain('A complaint has no arrival to record');
    expect(html).toContain(`/app/cases/${complaintId}`);
  });
});
