import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../store/audit-chain.ts';
import { signOffUpdate } from '../../workflows/rectification-case/messages.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, tokenFor, type ApiStack } from './harness.ts';

/**
 * Found by a probe of the case page. A student complained about a staff member; that staff
 * member, named responsible, opened the case and read the student's name, and the timeline gave
 * every reader the student's email. Staff and supervisors saw the Temporal UI link and workflow
 * event numbers; an auditor saw "nothing waits for you" and no way to verify or export the case.
 * An inspection case's timeline named its 6T item by id; Chinese text carried ASCII colons and
 * "。；".
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const STUDENT = '王小红';
const EMAIL = 'pj-student@demo.edu.cn';

async function post(path: string, personId: string, fields: Record<string, string>) {
  const who = await as(personId);
  return s.app.request(path, {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }).toString(),
  });
}

async function page(caseId: string, personId: string, lang = 'zh-CN') {
  const res = await s.app.request(`/app/cases/${caseId}`, {
    headers: { cookie: `rectify_session=${(await as(personId)).id}`, 'accept-language': lang },
  });
  expect(res.status, personId).toBe(200);
  return res.text();
}

async function api(path: string, personId: string, body?: unknown) {
  return s.app.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${await tokenFor(personId)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function open(fields: Record<string, string>): Promise<string> {
  const res = await post('/app/cases/new', 'sup-wang', {
    title: `probe ${uniqueId('t')}`,
    description: '宿管态度粗暴',
    severity: 'routine',
    buildingId: 'bldg-a',
    floorId: 'a-f1',
    roomId: 'A101',
    assigneeId: 'staff-zhao',
    idempotencyKey: uniqueId('idem'),
    ...fields,
  });
  expect(res.status).toBe(303);
  const id = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1];
  expect(id).toBeDefined();
  return id ?? '';
}

const timelineOf = (html: string) => html.slice(html.indexOf('id="timeline-title"'));

describe('a complaint about staff, handled by the staff it may be about', () => {
  let caseId = '';

  beforeAll(async () => {
    caseId = await open({
      source: 'complaint',
      category: 'staff',
      reporterName: STUDENT,
      reporterEmail: EMAIL,
    });
    const path = `/app/cases/${caseId}`;
    expect(
      (
        await post(`${path}/root-cause`, 'sup-wang', {
          why1: '沟通方式不当',
          causes: '沟通方式不当',
          responsibleId: 'staff-zhou',
          plan: '今天更换A101灯管；向学生致歉。',
        })
      ).status,
    ).toBe(303);
    await s.deps.temporal.workflow.getHandle(caseId).executeUpdate(signOffUpdate, {
      args: [{ actor: { id: 'staff-zhou', roles: ['staff'] }, decision: 'confirm' }],
    });
    expect(
      (await post(`${path}/rectification`, 'staff-zhao', { summary: '已致歉', evidenceText: '谈话记录' }))
        .status,
    ).toBe(303);
    expect(
      (await post(`${path}/review`, 'sup-wang', { passed: 'false', notes: '学生未收到致歉' })).status,
    ).toBe(303);
    // The result mail to the reporter, as the follow-up records it (the case is not driven that far).
    await appendAudit(s.deps.aws.ddb, s.deps.aws.tables, {
      caseId,
      stepId: uniqueId('mail'),
      at: new Date().toISOString(),
      actor: { id: 'system', via: 'system' },
      action: 'email_sent',
      payload: { kind: 'result_and_survey', to: `reporter:${EMAIL}`, outboxKey: uniqueId('ob') },
    });
  });

  it('names no reporter and gives no contact to the assignee or the responsible staff member', async () => {
    for (const staff of ['staff-zhao', 'staff-zhou']) {
      for (const lang of ['zh-CN', 'en']) {
        const html = await page(caseId, staff, lang);
        expect(html, staff).not.toContain(STUDENT);
        expect(html, staff).not.toContain('pj-student');
      }
      const zh = await page(caseId, staff);
      expect(zh).toMatch(/<dt>报告人<\/dt><dd><span data-reporter-withheld="">匿名（已隐去）/);
      expect(zh).toContain('处理结果与评价邀请，发给 报告人</div>');
      expect(await page(caseId, staff, 'en')).toContain('Result and rating request to the reporter</div>');
    }
  });

  it('keeps the reporter for the building’s supervisor, the working group and auditors', async () => {
    for (const reader of ['sup-wang', 'wg-chen', 'audit-he']) {
      const html = await page(caseId, reader);
      expect(html, reader).toContain(`<dt>报告人</dt><dd>${STUDENT}</dd>`);
      expect(html, reader).toContain(`处理结果与评价邀请，发给 报告人 ${EMAIL}`);
    }
  });

  it('agrees in the JSON view and in a step’s answer', async () => {
    const staff = await api(`/api/cases/${caseId}`, 'staff-zhou');
    expect(staff.status).toBe(200);
    const text = await staff.text();
    expect(text).not.toContain(STUDENT);
    expect(text).not.toContain('pj-student');
    const reporter = (JSON.parse(text) as { reporter: Record<string, unknown> }).reporter;
    expect(reporter.name).toBe('匿名（已隐去） / Withheld');
    expect(reporter).not.toHaveProperty('email');
    const commented = await api(`/api/cases/${caseId}/comments`, 'staff-zhao', { text: '已再次致歉' });
    expect(commented.status).toBe(200);
    const after = await commented.text();
    expect(after).not.toContain(STUDENT);
    expect(after).not.toContain('pj-student');
    const sup = (await (await api(`/api/cases/${caseId}`, 'sup-wang')).json()) as {
      reporter: { name: string; email: string };
    };
    expect(sup.reporter).toMatchObject({ name: STUDENT, email: EMAIL });
  });

  it('shows the workflow’s UI to admins only and its event numbers to admins and auditors', async () => {
    const ui = `/workflows/${caseId}`;
    for (const reader of ['staff-zhao', 'sup-wang', 'wg-chen']) {
      const html = await page(caseId, reader);
      expect(html, reader).not.toContain(ui);
      expect(html, reader).not.toContain('Temporal');
      expect(html, reader).not.toContain('工作流事件');
    }
    const admin = await page(caseId, 'admin-xu');
    expect(admin).toContain(ui);
    expect(admin).toMatch(/data-temporal-event="\d+">工作流事件 #\d+</);
    const auditor = await page(caseId, 'audit-he');
    expect(auditor).not.toContain(ui);
    expect(auditor).toMatch(/data-temporal-event="\d+">工作流事件 #\d+</);
  });

  it('offers an auditor the case’s verification and exports, not “nothing waits for you”', async () => {
    const html = await page(caseId, 'audit-he');
    expect(html).not.toContain('此案件当前没有需要您处理的步骤');
    expect(html).toContain(`href="/app/audit/verify?caseId=${caseId}"`);
    expect(html).toContain(`href="/app/audit/cases/${caseId}/export?format=csv"`);
    expect(html).toContain(`href="/app/audit/cases/${caseId}/export?format=json"`);
    const verify = await s.app.request(`/app/audit/verify?caseId=${caseId}`, {
      headers: { cookie: `rectify_session=${(await as('audit-he')).id}` },
    });
    expect(verify.status).toBe(200);
    const staff = await page(caseId, 'staff-zhou');
    expect(staff).not.toContain('/app/audit/verify');
    expect(staff).not.toContain('data-audit-links');
  });

  it('writes Chinese with full-width colons and no “。；”', async () => {
    const html = await page(caseId, 'sup-wang');
    expect(html).toContain('第 1 轮复查：不合格');
    expect(html).toContain('<strong>根本原因：</strong>');
    expect(html).toContain('<strong>整改方案：</strong>');
    expect(timelineOf(html)).toContain('方案：今天更换A101灯管；向学生致歉。责任人：周强');
    expect(html).not.toContain('。；');
    expect(await page(caseId, 'sup-wang', 'en')).toContain('Round 1 review: failed');
  });
});

describe('a case that is no complaint about staff', () => {
  it('names its reporter to the staff handling it, without their contact', async () => {
    const caseId = await open({
      source: 'complaint',
      category: 'service',
      reporterName: STUDENT,
      reporterEmail: EMAIL,
    });
    const html = await page(caseId, 'staff-zhao');
    expect(html).toContain(`<dt>报告人</dt><dd>${STUDENT}</dd>`);
    expect(html).not.toContain('pj-student');
    const json = await (await api(`/api/cases/${caseId}`, 'staff-zhao')).text();
    expect(json).toContain(STUDENT);
    expect(json).not.toContain('pj-student');
  });
});

describe('an inspection case citing a 6T item', () => {
  it('names the item in its timeline, not its id', async () => {
    const caseId = await open({ source: 'inspection', category: '6t.safety.3', description: '灭火器过期' });
    const zh = timelineOf(await page(caseId, 'sup-wang'));
    expect(zh).toContain('检查 / 安全 3 消防隐患');
    expect(zh).not.toContain('6t.safety.3');
    const en = timelineOf(await page(caseId, 'sup-wang', 'en'));
    expect(en).toContain('Inspection / Safety 3 Fire hazards');
    expect(en).not.toContain('6t.safety.3');
  });
});
