import { describe, expect, it } from 'vitest';
import { campusTime } from '../../activities/case-mail-facts.ts';
import { createdCaseSchema, problemSchema } from '../../api/schemas.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { emailOf } from '../support/case-harness.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { call, newCaseBody, useApiStack, waitForEmail } from './harness.ts';

/**
 * A pause decision and the mail it sends. Found by a probe: a rejection with empty notes was
 * taken, and its mail said only "请按期完成当前环节" (no reason, no deadline); the approval did
 * not restate the stage's deadline the pause moves; the request's subject had no case title.
 */
const s = useApiStack();
const as = pageSessions(() => s.deps.aws);

async function openAndAsk(): Promise<string> {
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  expect(res.status).toBe(201);
  const { caseId } = createdCaseSchema.parse(await res.json());
  const asked = await call(s.app, 'POST', `/api/cases/${caseId}/pause`, {
    as: 'staff-zhou',
    body: { reason: 'waiting_for_parts', note: '阀芯缺货' },
  });
  expect(asked.status).toBe(200);
  return caseId;
}

const decide = (caseId: string, body: unknown, lang = 'zh-CN') =>
  call(s.app, 'POST', `/api/cases/${caseId}/pause/decision?lang=${lang}`, { as: 'sup-wang', body });

/** The stage's deadline as the record has it, written as the mail writes it, and the stage's names. */
async function stageDue(caseId: string) {
  const v = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
  const d = v?.deadlines.find((x) => !x.closedAt);
  if (!d) throw new Error('no open deadline');
  return { text: campusTime(d.due, s.activityDeps.timeZone), stage: d.stage };
}

const zhouMail = (caseId: string, tag: string) =>
  waitForEmail((e) => e.subject.startsWith(`${tag}${caseId}`) && e.to.includes(emailOf(s.dir, 'staff-zhou')));

describe('rejecting a pause', () => {
  it('needs a reason: the API answers 400 naming notes, in the caller’s language, and the pause still waits', async () => {
    const caseId = await openAndAsk();
    for (const body of [{ approve: false }, { approve: false, notes: '   ' }]) {
      const res = await decide(caseId, body);
      expect(res.status).toBe(400);
      const p = problemSchema.parse(await res.json());
      expect(p.errors).toEqual([{ field: 'notes', message: '驳回暂停申请须填写理由，理由会发给申请人' }]);
    }
    const en = problemSchema.parse(await (await decide(caseId, { approve: false }, 'en')).json());
    expect(en.errors?.[0]).toEqual({
      field: 'notes',
      message: 'a rejection needs a reason (notes): it is mailed to whoever asked for the pause',
    });
    const v = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(v?.pauses?.at(-1)?.state).toBe('requested');
    // An approval still goes without notes.
    expect((await decide(caseId, { approve: true })).status).toBe(200);
  });

  it('needs a reason on the case page too: the form comes back with notes marked', async () => {
    const caseId = await openAndAsk();
    const who = await as('sup-wang');
    const res = await s.app.request(`/app/cases/${caseId}/pause/decision`, {
      method: 'POST',
      headers: {
        'accept-language': 'zh-CN',
        cookie: `rectify_session=${who.id}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams([
        ['approve', 'false'],
        ['notes', ''],
        ['_csrf', who.csrf],
      ]).toString(),
    });
    expect(res.status).toBe(400);
    const form = /<section[^>]*data-step="decide_pause"[\s\S]*?<\/section>/.exec(await res.text())?.[0] ?? '';
    expect(form).toContain('驳回暂停申请须填写理由，理由会发给申请人');
    expect(form).toContain('驳回时须填写理由');
    const v = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(v?.pauses?.at(-1)?.state).toBe('requested');
  });

  it('mails the technician the reason and the stage’s deadline', async () => {
    const caseId = await openAndAsk();
    expect((await decide(caseId, { approve: false, notes: '先联系外包确定时间' })).status).toBe(200);
    const due = await stageDue(caseId);
    const mail = await zhouMail(caseId, '【暂停未批准】');
    expect(mail.text).toContain('驳回理由：先联系外包确定时间。');
    expect(mail.text).toContain('Reason: 先联系外包确定时间.');
    expect(due.stage).toBe('analysing');
    expect(mail.text).toContain(`原因分析时限：${due.text}`);
    expect(mail.text).toContain(`Root-cause analysis due: ${due.text}`);
    expect(mail.html).toContain(`<strong>原因分析时限：${due.text}</strong>`);
  });
});

describe('approving a pause', () => {
  it('mails the technician the stage’s deadline the pause will move on, beside when the pause ends', async () => {
    const caseId = await openAndAsk();
    const due = await stageDue(caseId);
    expect((await decide(caseId, { approve: true, notes: '同意' })).status).toBe(200);
    const mail = await zhouMail(caseId, '【暂停已批准】');
    expect(mail.text).toMatch(/案件计时暂停，最长至 \S+ \S+ \(Asia\/Shanghai\)/);
    expect(mail.text).toContain(`原因分析时限：${due.text}（暂停前的时限，暂停结束时按暂停时长顺延）`);
    expect(mail.text).toContain(
      `Root-cause analysis due: ${due.text} (before the pause: it moves on by the pause’s length when the pause ends)`,
    );
  });
});

describe('the pause request mail', () => {
  it('names the case by its title in the subject, as the other case mails do', async () => {
    const caseId = await openAndAsk();
    const mail = await waitForEmail(
      (e) =>
        e.subject.includes(caseId) && e.to.includes(emailOf(s.dir, 'sup-wang')) && /暂停申请/.test(e.subject),
    );
    expect(mail.subject).toBe(
      `【暂停申请】${caseId}：水龙头漏水 Leaking tap / [Pause requested] ${caseId}: 水龙头漏水 Leaking tap`,
    );
  });
});
