import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createdCaseSchema } from '../../api/schemas.ts';
import {
  handOverUpdate,
  reportRectificationUpdate,
  requestPauseUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';

/**
 * A case page form sent from a tab read before the case moved on (closed, reviewed by another
 * supervisor) is refused: the page, read now, offers only the forms that apply now, says what
 * moved the case on and by whom, and keeps what was typed read-only to copy, not in a dead form.
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);
beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

async function post(path: string, personId: string, fields: [string, string][], lang = 'zh-CN') {
  const who = await as(personId);
  return s.app.request(path, {
    method: 'POST',
    headers: {
      'accept-language': lang,
      cookie: `rectify_session=${who.id}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams([...fields, ['_csrf', who.csrf]]).toString(),
  });
}
const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };

async function atReview(over: Record<string, unknown> = {}) {
  const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody(over) });
  expect(opened.status).toBe(201);
  const { caseId } = createdCaseSchema.parse(await opened.json());
  const h = s.deps.temporal.workflow.getHandle(caseId);
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['老化'], responsibleId: 'staff-zhou', plan: '更换' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已更换灯管', evidence: ['x.jpg'] }],
  });
  return { caseId, h };
}

/** The page's summary line over a refused form. */
const lead = (html: string) => /class="summary-lead">([^<]*)</.exec(html)?.[1] ?? '';
/** The step forms (stage and handling steps) the page offers. */
const formsOn = (html: string) => [...html.matchAll(/<section[^>]*data-step="([a-z_]+)"/g)].map((m) => m[1]);
/** The read-only box of what was typed and not saved. */
const unsaved = (html: string) =>
  /<section[^>]*data-unsaved="[a-z_]+"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

describe('a comment sent from a stale tab on a case closed meanwhile', () => {
  it('says who closed it and how, offers no form, and keeps the text read-only to copy', async () => {
    const { caseId, h } = await atReview();
    // No reporter: the passed review closes the case at once.
    await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: '复查合格' }] });
    const text = `备件已订购，明早更换 ${uniqueId('c')}`;
    const res = await post(`/app/cases/${caseId}/comment`, 'sup-wang', [['text', text]]);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(lead(html)).toMatch(
      /^添加备注：没有保存。案件已由王[^于]*于 \d{4}-\d\d-\d\d \d\d:\d\d 复查通过，现为「已结案」，此表单已不能提交。您填写的内容保留在下方「您填写的内容（未保存）」中，可复制。$/,
    );
    expect(lead(html)).not.toContain('保留在下方表单中');
    expect(html).toContain('<a href="#unsaved-title">前往「您填写的内容（未保存）」</a>');
    // The closed case's page offers nothing: no comment, withdraw or reassign form.
    expect(formsOn(html)).toEqual([]);
    expect(html).not.toContain(`action="/app/cases/${caseId}/`);
    const box = unsaved(html);
    expect(box).toContain('<h3 id="unsaved-title">您填写的内容（未保存）</h3>');
    expect(box).toMatch(new RegExp(`<textarea id="unsaved-text" readonly="">${text}</textarea>`));
    expect(box).not.toContain('<form');
  });

  it('in English too', async () => {
    const { caseId, h } = await atReview();
    await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: 'ok' }] });
    const text = `parts ordered ${uniqueId('c')}`;
    const res = await post(`/app/cases/${caseId}/comment`, 'sup-wang', [['text', text]], 'en');
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(lead(html)).toMatch(
      /^Add a comment: nothing was saved\. The case was already reviewed and passed by [^<]+ at [-\d: ]+; it is now at “Closed”, so this form cannot be sent\. What you typed is kept below under “What you typed \(not saved\)” for you to copy\.$/,
    );
    expect(formsOn(html)).toEqual([]);
    expect(unsaved(html)).toContain(`>${text}</textarea>`);
  });
});

describe('a review that lost the race to another supervisor’s', () => {
  it('says the case was already reviewed by them, offers the forms of follow-up only, notes kept to copy', async () => {
    const { caseId, h } = await atReview({
      reporter: { name: '张同学', email: `${uniqueId('stu')}@students.demo.edu.cn` },
    });
    await h.executeUpdate(reviewUpdate, {
      args: [
        {
          actor: { id: 'sup-smith', roles: ['supervisor' as const], via: 'api' as const },
          passed: true,
          notes: 'ok',
        },
      ],
    });
    const notes = `灯管已换，亮度正常 ${uniqueId('n')}`;
    const res = await post(`/app/cases/${caseId}/review`, 'sup-wang', [
      ['passed', 'true'],
      ['notes', notes],
    ]);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(lead(html)).toMatch(
      /^复查：没有保存。案件已由.+于 [-\d: ]+ 复查通过，现为「回访」，此表单已不能提交。/,
    );
    expect(lead(html)).not.toContain('需处于');
    // The review form is gone; what follow-up still allows is offered as usual.
    expect(formsOn(html)).not.toContain('review');
    expect(formsOn(html)).toContain('comment');
    expect(unsaved(html)).toMatch(new RegExp(`<textarea id="unsaved-notes" readonly="">${notes}</textarea>`));
  });

  it('a comment refused for a reason that leaves its form applying keeps the text in the form', async () => {
    const { caseId } = await atReview();
    const res = await post(`/app/cases/${caseId}/comment`, 'sup-wang', [
      ['text', 'a'],
      ['text', 'b'],
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(formsOn(html)).toContain('comment');
    expect(unsaved(html)).toBe('');
  });
});

describe('a pause request sent from a stale tab', () => {
  async function opened() {
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    expect(res.status).toBe(201);
    const { caseId } = createdCaseSchema.parse(await res.json());
    return { caseId, h: s.deps.temporal.workflow.getHandle(caseId) };
  }
  const pauseFields = (note: string): [string, string][] => [
    ['reason', 'waiting_for_parts'],
    ['note', note],
  ];

  it('keeps its reason as the list showed it, in the page’s language, not the value sent', async () => {
    const { caseId, h } = await opened();
    // Asked already from another tab: this one's form no longer applies.
    await h.executeUpdate(requestPauseUpdate, {
      args: [{ actor: zhou, reason: 'student_absent', note: '' }],
    });
    const note = `配件周三到 ${uniqueId('n')}`;
    const zh = await post(`/app/cases/${caseId}/pause`, 'staff-zhou', pauseFields(note));
    expect(zh.status).toBe(409);
    const box = unsaved(await zh.text());
    expect(box).toContain('<textarea id="unsaved-reason" readonly="">等待配件</textarea>');
    expect(box).toContain(`<textarea id="unsaved-note" readonly="">${note}</textarea>`);
    expect(box).not.toContain('waiting_for_parts');

    const en = await post(`/app/cases/${caseId}/pause`, 'staff-zhou', pauseFields(note), 'en');
    expect(en.status).toBe(409);
    const enBox = unsaved(await en.text());
    expect(enBox).toContain('<textarea id="unsaved-reason" readonly="">Waiting for parts</textarea>');
    expect(enBox).not.toContain('waiting_for_parts');
  });

  it('and so does the page of a case handed over meanwhile', async () => {
    const { caseId, h } = await opened();
    await h.executeUpdate(handOverUpdate, { args: [{ actor: zhou, toId: 'staff-wu', reason: '调班' }] });
    const res = await post(`/app/cases/${caseId}/pause`, 'staff-zhou', pauseFields('配件周三到'));
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('<textarea id="kept-reason" name="reason" readonly="">等待配件</textarea>');
    expect(html).not.toContain('waiting_for_parts');
  });
});
