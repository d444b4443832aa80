import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createdCaseSchema } from '../../api/schemas.ts';
import { readChain } from '../../store/audit-chain.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';

/**
 * A case page form refused by the workflow with no field to blame (the case finished meanwhile)
 * comes back as the case page itself, under the refusal's status, with the refusal said and what
 * was typed still in the form: not a redirect whose flash leaves the text behind.
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

/** A case assigned to staff-zhou, withdrawn through the API before the page's form is sent. */
async function withdrawnCase(): Promise<string> {
  const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  expect(opened.status).toBe(201);
  const { caseId } = createdCaseSchema.parse(await opened.json());
  const withdrawn = await call(s.app, 'POST', `/api/cases/${caseId}/withdraw`, {
    as: 'sup-wang',
    body: { reason: '重复登记' },
  });
  expect(withdrawn.status).toBe(200);
  return caseId;
}

/** The read-only box of what was typed and not saved. */
const unsaved = (html: string) =>
  /<section[^>]*data-unsaved="[a-z_]+"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

/** One form's section of the page. */
const section = (html: string, step: string) =>
  new RegExp(`<section[^>]*data-step="${step}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';

describe('a case page form refused with no field named', () => {
  let caseId = '';
  beforeAll(async () => {
    caseId = await withdrawnCase();
  });

  it('a comment on a case withdrawn meanwhile: the page again (409), who withdrew it said, the text kept to copy', async () => {
    const text = `备件已订购，明早更换 ${uniqueId('c')}`;
    const res = await post(`/app/cases/${caseId}/comment`, 'staff-zhou', [['text', text]]);
    expect(res.status).toBe(409);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    // Over the page: the form, that nothing was saved, who withdrew the case, and the way to the text.
    expect(/class="summary-lead">([^<]*)</.exec(html)?.[1]).toMatch(
      /^添加备注：没有保存。案件已由王建国于 [-\d: ]+ 撤销，现为「已撤销」，此表单已不能提交。您填写的内容保留在下方「您填写的内容（未保存）」中，可复制。$/,
    );
    expect(html).toContain('<a href="#unsaved-title">前往「您填写的内容（未保存）」</a>');
    // Only to copy from: the step is no longer the person's, so there is no form, only the text.
    expect(section(html, 'comment')).toBe('');
    const box = unsaved(html);
    expect(box).toContain('<h3 id="unsaved-title">您填写的内容（未保存）</h3>');
    expect(box).toContain(`<textarea id="unsaved-text" readonly="">${text}</textarea>`);
    expect(box).not.toContain('<form');
    const chain = await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(chain.some((e) => JSON.stringify(e.payload).includes(text))).toBe(false);
  });

  it('a hand-over on the same case comes back the same way, colleague and reason kept, in English', async () => {
    const reason = `on leave next week ${uniqueId('r')}`;
    const res = await post(
      `/app/cases/${caseId}/hand-over`,
      'staff-zhou',
      [
        ['assigneeId', 'staff-zhao'],
        ['reason', reason],
      ],
      'en',
    );
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(/class="summary-lead">([^<]*)</.exec(html)?.[1]).toMatch(
      /^Hand over to a colleague: nothing was saved\. The case was already withdrawn by [^<]+ at [-\d: ]+; it is now at “Withdrawn”, so this form cannot be sent\. What you typed is kept below under “What you typed \(not saved\)” for you to copy\.$/,
    );
    expect(section(html, 'hand_over')).toBe('');
    const box = unsaved(html);
    expect(box).toContain(`readonly="">${reason}</textarea>`);
    // The colleague chosen, by name and trade: not the directory's id the option sent.
    expect(box).toContain('readonly="">赵伟 (manager)</textarea>');
    expect(box).not.toContain('staff-zhao');
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.assigneeId).toBe('staff-zhou');
  });
});

/** A case open for staff-zhou (or whom `assigneeId` names). */
async function openCase(assigneeId = 'staff-zhou'): Promise<string> {
  const opened = await call(s.app, 'POST', '/api/cases', {
    as: 'sup-wang',
    body: newCaseBody({ assigneeId }),
  });
  expect(opened.status).toBe(201);
  return createdCaseSchema.parse(await opened.json()).caseId;
}

const recorded = async (caseId: string, text: string) =>
  (await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId)).some((e) =>
    JSON.stringify(e.payload).includes(text),
  );

describe('a submission key sent again', () => {
  it('with the same fields is taken once and answered as the first', async () => {
    const caseId = await openCase();
    const key = crypto.randomUUID();
    const text = `已联系维修 ${uniqueId('c')}`;
    const first = await post(`/app/cases/${caseId}/comment`, 'staff-zhou', [
      ['submissionKey', key],
      ['text', text],
    ]);
    expect(first.status).toBe(303);
    const again = await post(`/app/cases/${caseId}/comment`, 'staff-zhou', [
      ['submissionKey', key],
      ['text', text],
    ]);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`/app/cases/${caseId}`);
    const chain = await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    expect(chain.filter((e) => JSON.stringify(e.payload).includes(text))).toHaveLength(1);
  });

  it('with other fields (Back, then edited) is not dropped: the page again (409), the text and a fresh key', async () => {
    const caseId = await openCase();
    const key = crypto.randomUUID();
    const a = `第一条 ${uniqueId('a')}`;
    const b = `第二条 ${uniqueId('b')}`;
    const first = await post(`/app/cases/${caseId}/comment`, 'staff-zhou', [
      ['submissionKey', key],
      ['text', a],
    ]);
    expect(first.status).toBe(303);
    const edited = await post(`/app/cases/${caseId}/comment`, 'staff-zhou', [
      ['submissionKey', key],
      ['text', b],
    ]);
    expect(edited.status).toBe(409);
    expect(edited.headers.get('location')).toBeNull();
    const html = await edited.text();
    expect(/class="summary-lead">([^<]*)</.exec(html)?.[1]).toContain(
      '这份表单已经提交过一次（内容不同），请确认后再次提交',
    );
    const form = section(html, 'comment');
    expect(form).toMatch(new RegExp(`<textarea[^>]*name="text"[^>]*>${b}</textarea>`));
    expect(form).toContain('type="submit"');
    const fresh = /name="submissionKey" value="([^"]+)"/.exec(form)?.[1];
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(key);
    expect(await recorded(caseId, b)).toBe(false);
    // Sent again from that page, under its fresh key, it is taken.
    const resent = await post(`/app/cases/${caseId}/comment`, 'staff-zhou', [
      ['submissionKey', fresh ?? ''],
      ['text', b],
    ]);
    expect(resent.status).toBe(303);
    expect(await recorded(caseId, a)).toBe(true);
    expect(await recorded(caseId, b)).toBe(true);
  });
});

describe('a form for a case the person can no longer reach', () => {
  it('a case that does not exist is a 404, not a redirect', async () => {
    const res = await post('/app/cases/ZG-2099-999999/comment', 'staff-zhou', [['text', '备注']]);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
  });

  it('a second hand-over after the case went to a colleague: a 403 page saying so, the reason kept', async () => {
    const caseId = await openCase('staff-lee');
    const handed = await post(`/app/cases/${caseId}/hand-over`, 'staff-lee', [
      ['assigneeId', 'staff-zhou'],
      ['reason', 'on leave'],
    ]);
    expect(handed.status).toBe(303);
    const reason = `second tab ${uniqueId('r')}`;
    const res = await post(
      `/app/cases/${caseId}/hand-over`,
      'staff-lee',
      [
        ['assigneeId', 'staff-zhao'],
        ['reason', reason],
      ],
      'en',
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    expect(/class="flash error"[^>]*>([^<]*)</.exec(html)?.[1]).toContain(
      `Case ${caseId} is no longer yours to act on`,
    );
    expect(html).toMatch(new RegExp(`<textarea[^>]*name="reason"[^>]*>${reason}</textarea>`));
    expect(html).toMatch(/<textarea[^>]*name="assigneeId"[^>]*>赵伟 \(manager\)<\/textarea>/);
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.assigneeId).toBe('staff-zhou');
  });
});

describe('a form for a case the person never held', () => {
  const flash = (html: string) => /class="flash error"[^>]*>([^<]*)</.exec(html)?.[1] ?? '';

  it.each([
    ['withdraw', [['reason', 'x']]],
    ['review', [['reason', 'x']]],
    ['reassign', [['reason', 'x']]],
    ['pause/decision', [['reason', 'x']]],
    ['hand-over', [['reason', 'x']]],
    ['arrived', [['reason', 'x']]],
    ['rectification', [['reason', 'x']]],
  ] as [string, [string, string][]][])(
    '%s: the plain refusal naming the read rule, not "no longer yours" (en)',
    async (path, fields) => {
      const caseId = await openCase('staff-zhou');
      const res = await post(`/app/cases/${caseId}/${path}`, 'staff-lee', fields, 'en');
      expect(res.status).toBe(403);
      const html = await res.text();
      // The rule as sentences, after saying which case: not a clause starting lowercase.
      expect(/data-error-summary[^>]*>([^<]*)</.exec(html)?.[1]).toMatch(
        new RegExp(
          `^You cannot see case ${caseId}\\. You may read cases of buildings you supervise, .* read everything\\.$`,
        ),
      );
      expect(html).not.toContain('no longer yours');
      expect(html).not.toContain('handed over or reassigned');
    },
  );

  it('in Chinese too', async () => {
    const caseId = await openCase('staff-zhou');
    const res = await post(`/app/cases/${caseId}/withdraw`, 'staff-zhao', [['reason', 'x']]);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('只能查看：主管所管楼栋的案件');
    expect(html).not.toContain('已不再由您处理');
  });

  it('a former holder whom a supervisor reassigned it away from is still told it is no longer theirs (zh)', async () => {
    const caseId = await openCase('staff-zhou');
    const moved = await call(s.app, 'POST', `/api/cases/${caseId}/reassign`, {
      as: 'sup-wang',
      body: { assigneeId: 'staff-zhao', reason: '人手调整' },
    });
    expect(moved.status).toBe(200);
    const note = `已联系维修 ${uniqueId('n')}`;
    const res = await post(`/app/cases/${caseId}/arrived`, 'staff-zhou', [['note', note]]);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(flash(html)).toContain(`案件 ${caseId} 已不再由您处理（已转交或改派给他人）`);
  });

  it('and in English', async () => {
    const caseId = await openCase('staff-lee');
    const moved = await call(s.app, 'POST', `/api/cases/${caseId}/reassign`, {
      as: 'sup-wang',
      body: { assigneeId: 'staff-zhao', reason: 'workload' },
    });
    expect(moved.status).toBe(200);
    const res = await post(`/app/cases/${caseId}/withdraw`, 'staff-lee', [['reason', 'x']], 'en');
    expect(res.status).toBe(403);
    expect(flash(await res.text())).toContain(`Case ${caseId} is no longer yours to act on`);
  });
});

describe('the address a refused form leaves in the bar', () => {
  it('opened again (GET) is the case page it came from, in the language asked', async () => {
    const who = await as('sup-wang');
    const get = (path: string) => s.app.request(path, { headers: { cookie: `rectify_session=${who.id}` } });
    const comment = await get('/app/cases/ZG-2026-000001/comment?lang=en');
    expect(comment.status).toBe(303);
    expect(comment.headers.get('location')).toBe('/app/cases/ZG-2026-000001?lang=en');
    const decision = await get('/app/cases/ZG-2026-000001/pause/decision');
    expect(decision.status).toBe(303);
    expect(decision.headers.get('location')).toBe('/app/cases/ZG-2026-000001');
    // A path no form posts to stays unknown.
    expect((await get('/app/cases/ZG-2026-000001/nonsense')).status).toBe(404);
  });
});
