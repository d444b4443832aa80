import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { caseViewSchema, createdCaseSchema, problemSchema } from '../../api/schemas.ts';
import { createSession } from '../../store/sessions.ts';
import { CASE_BUDGETS, DYNAMODB_ITEM_LIMIT_BYTES, type BudgetName } from '../../domain/case-budgets.ts';
import {
  actionPath,
  call,
  formFields,
  newCaseBody,
  outcomeOf,
  postForm,
  useApiStack,
  waitForEmail,
} from './harness.ts';

// Every budget a case pins, refused through the real API with a problem that names it.
const s = useApiStack();

/** 3 bytes of UTF-8 each: the widest a character the API accepts is in the stored JSON. */
const wide = (n: number) => '整'.repeat(n);

async function refused(res: Response, status: number, budget: BudgetName) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const p = problemSchema.parse(await res.json());
  expect(p.budget).toBe(budget);
  expect(p.limit).toBe(CASE_BUDGETS[budget]);
  return p;
}

async function openCase(as = 'sup-wang', over: Record<string, unknown> = {}): Promise<string> {
  const res = await call(s.app, 'POST', '/api/cases', { as, body: newCaseBody(over) });
  expect(res.status).toBe(201);
  return createdCaseSchema.parse(await res.json()).caseId;
}
const post = (caseId: string, step: string, as: string, body: unknown, lang = '') =>
  call(s.app, 'POST', `/api/cases/${caseId}/${step}${lang}`, { as, body });
const viewOf = async (caseId: string) =>
  caseViewSchema.parse(await (await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' })).json());

/** Signs the case off through the link in the email, as the responsible staff member does. */
async function signOff(caseId: string): Promise<void> {
  const mail = await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('待签字'), 30_000);
  const html = await (await s.app.request(actionPath(mail))).text();
  const signed = await postForm(s.app, actionPath(mail), { ...formFields(html), choice: 'confirm' });
  expect(outcomeOf(await signed.text())).toBe('done');
}

/** The stored case record once it holds version `version`: its size as DynamoDB counts it. */
async function storedRecord(caseId: string, version: number): Promise<{ bytes: number; stage: string }> {
  const { ddb, tables } = s.activityDeps;
  for (let tries = 0; ; tries++) {
    const { Item } = await ddb.send(
      new GetItemCommand({ TableName: tables.cases, Key: marshall({ caseId }), ConsistentRead: true }),
    );
    if (Item && Number(Item.version?.N) >= version) {
      // An item's size: each attribute's name plus its value (strings in UTF-8, numbers about their digits).
      const bytes = Object.entries(Item).reduce(
        (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.S ?? v.N ?? 'x', 'utf8'),
        0,
      );
      const view = caseViewSchema.parse(JSON.parse(Item.view?.S ?? '{}'));
      return { bytes, stage: view.stage };
    }
    if (tries > 150) throw new Error(`the record of ${caseId} never reached version ${version}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('case budgets through the API', () => {
  it('a case filled to its text, comment and evidence budgets fits one DynamoDB item and still moves on', async () => {
    const caseId = await openCase('sup-wang', { title: wide(200), description: wide(5000) });
    // 5,200 so far; the analysis brings it to 20,200.
    const rc = await post(caseId, 'root-cause', 'sup-wang', {
      causes: Array.from({ length: 10 }, () => wide(1000)),
      responsibleId: 'staff-zhou',
      plan: wide(5000),
    });
    expect(rc.status).toBe(200);
    await signOff(caseId);
    // 100 comments of 50 characters: 25,200.
    for (let i = 0; i < CASE_BUDGETS.comments; i++)
      expect(
        (await post(caseId, 'comments', i % 2 ? 'sup-wang' : 'staff-zhou', { text: wide(50) })).status,
      ).toBe(200);
    const zh = await refused(
      await post(caseId, 'comments', 'sup-wang', { text: '再说一句' }),
      409,
      'comments',
    );
    expect(zh.detail).toContain('评论条数');
    const en = await refused(
      await post(caseId, 'comments', 'sup-wang', { text: 'one more' }, '?lang=en'),
      409,
      'comments',
    );
    expect(en.detail).toContain("this case's comments budget (100)");

    // Evidence over two rounds (50 at most per step): 50 items, a failed review, then one too
    // many, then exactly the budget with the rest of the text: 32,000.
    const evidence = (n: number, each: number) => Array.from({ length: n }, () => wide(each));
    const rectify = (summary: string, items: string[]) =>
      post(caseId, 'rectification', 'staff-zhou', { summary, evidence: items });
    expect((await rectify(wide(100), evidence(50, 100))).status).toBe(200);
    expect((await post(caseId, 'review', 'sup-wang', { passed: false, notes: wide(100) })).status).toBe(200);
    const left = CASE_BUDGETS.evidence - 50;
    await refused(await rectify('已整改', evidence(left + 1, 1)), 409, 'evidence');
    const full = await rectify(wide(CASE_BUDGETS.text - 30_400 - left * 100), evidence(left, 100));
    expect(full.status).toBe(200);
    const v = caseViewSchema.parse(await full.json());
    expect(v.stage).toBe('reviewing');

    const { bytes } = await storedRecord(caseId, v.version);
    expect(bytes).toBeGreaterThan(CASE_BUDGETS.text * 3);
    expect(bytes).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES);

    // Full: a failed review's notes go over the text budget (422); a pass without notes closes it.
    const over = await refused(
      await post(caseId, 'review', 'sup-wang', { passed: false, notes: '仍漏水' }, '?lang=en'),
      422,
      'text',
    );
    expect(over.detail).toContain('total text budget (32,000)');
    const closed = await post(caseId, 'review', 'sup-wang', { passed: true, notes: '' });
    expect(closed.status).toBe(200);
    const last = caseViewSchema.parse(await closed.json());
    expect(last.stage).toBe('closed');
    const stored = await storedRecord(caseId, last.version);
    expect(stored.stage).toBe('closed');
    expect(stored.bytes).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES);
  });

  it('a comment over its length budget is a 422 naming it', async () => {
    const caseId = await openCase();
    const p = await refused(
      await post(caseId, 'comments', 'sup-wang', { text: '长'.repeat(CASE_BUDGETS.commentLength + 1) }),
      422,
      'commentLength',
    );
    expect(p.detail).toContain('单条评论字数');
  });

  it('review rounds: the last round the budget allows may not fail (409)', async () => {
    const caseId = await openCase();
    await post(caseId, 'root-cause', 'sup-wang', {
      causes: ['阀芯老化'],
      responsibleId: 'staff-zhou',
      plan: '更换',
    });
    await signOff(caseId);
    const rectify = () =>
      post(caseId, 'rectification', 'staff-zhou', { summary: '已整改', evidence: ['photo'] });
    for (let i = 1; i < CASE_BUDGETS.reviewRounds; i++) {
      expect((await rectify()).status).toBe(200);
      expect(
        (await post(caseId, 'review', 'sup-wang', { passed: false, notes: `第${i}次不通过` })).status,
      ).toBe(200);
    }
    expect((await rectify()).status).toBe(200);
    const p = await refused(
      await post(caseId, 'review', 'sup-wang', { passed: false, notes: '仍漏水' }),
      409,
      'reviewRounds',
    );
    expect(p.detail).toContain('复查轮次');
    expect((await viewOf(caseId)).stage).toBe('reviewing');
  });

  it('reassignments and hand-overs: one more than the budget is a 409 naming it', async () => {
    const caseId = await openCase();
    const to = ['staff-lee', 'staff-zhou'];
    for (let i = 0; i < CASE_BUDGETS.reassignments; i++)
      expect(
        (await post(caseId, 'reassign', 'sup-wang', { assigneeId: to[i % 2], reason: '轮换' })).status,
      ).toBe(200);
    const p = await refused(
      await post(
        caseId,
        'reassign',
        'sup-wang',
        { assigneeId: to[CASE_BUDGETS.reassignments % 2], reason: '轮换' },
        '?lang=en',
      ),
      409,
      'reassignments',
    );
    expect(p.detail).toContain('reassignments and hand-overs budget (10)');

    // The case page's form shows the same refusal, in the page's language, on the page again
    // with the colleague and the reason as they were chosen and typed.
    const session = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const cookie = `rectify_session=${session.id}`;
    const form = await s.app.request(`/app/cases/${caseId}/reassign`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        assigneeId: 'staff-lee',
        reason: '轮换到另一组',
        _csrf: session.csrfToken,
      }).toString(),
    });
    expect(form.status).toBe(409);
    const html = await form.text();
    expect(html).toMatch(/class="summary-lead">[^<]*超出本案的「改派与移交次数」上限（10）/);
    const section = /<section[^>]*data-step="reassign"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain('超出本案的「改派与移交次数」上限（10）');
    expect(section).toContain('value="轮换到另一组"');
    expect(section).toMatch(/<option value="staff-lee" selected="">/);
  });

  it('a dispute past the budget is refused on the signing page with the budget named', async () => {
    const caseId = await openCase();
    const signPage = async () => {
      const mail = await waitForEmail(
        (e) => e.subject.includes(caseId) && e.subject.includes('待签字') && !used.has(e.text),
        30_000,
      );
      used.add(mail.text);
      const path = actionPath(mail);
      return { path, html: await (await s.app.request(path)).text() };
    };
    const used = new Set<string>();
    for (let i = 0; i <= CASE_BUDGETS.disputes; i++) {
      expect(
        (
          await post(caseId, 'root-cause', 'sup-wang', {
            causes: [`原因${i}`],
            responsibleId: 'staff-zhou',
            plan: '更换',
          })
        ).status,
      ).toBe(200);
      const { path, html } = await signPage();
      const res = await postForm(s.app, path, { ...formFields(html), choice: 'dispute', reason: '非我责任' });
      const page = await res.text();
      if (i < CASE_BUDGETS.disputes) {
        expect(outcomeOf(page)).toBe('done');
        expect(
          (await post(caseId, 'adjudication', 'sup-wang', { decision: 'revise', notes: '重新分析' })).status,
        ).toBe(200);
      } else {
        expect(outcomeOf(page)).not.toBe('done');
        expect(page).toContain('异议次数');
      }
    }
    expect((await viewOf(caseId)).stage).toBe('awaiting_signoff');
  });

  it('pauses: a sixth pause request is a 409 naming the budget', async () => {
    const caseId = await openCase();
    for (let i = 0; i < CASE_BUDGETS.pauses; i++) {
      expect(
        (await post(caseId, 'pause', 'staff-zhou', { reason: 'waiting_for_parts', note: '等配件' })).status,
      ).toBe(200);
      expect((await post(caseId, 'pause/decision', 'sup-wang', { approve: true })).status).toBe(200);
      expect((await post(caseId, 'pause/end', 'staff-zhou', {})).status).toBe(200);
    }
    const p = await refused(
      await post(caseId, 'pause', 'staff-zhou', { reason: 'waiting_for_parts' }),
      409,
      'pauses',
    );
    expect(p.detail).toContain('暂停次数');
  });

  it('survey rounds: the last survey may not reopen the case, and its page says why', async () => {
    const email = `budget-${Date.now().toString(36)}@example.edu.cn`;
    const caseId = await openCase('sup-wang', { reporter: { name: '小明', email } });
    await post(caseId, 'root-cause', 'sup-wang', {
      causes: ['阀芯老化'],
      responsibleId: 'staff-zhou',
      plan: '更换',
    });
    await signOff(caseId);
    expect(
      (await post(caseId, 'rectification', 'staff-zhou', { summary: '已整改', evidence: ['photo'] })).status,
    ).toBe(200);
    const used = new Set<string>();
    for (let i = 1; i <= CASE_BUDGETS.surveyRounds; i++) {
      expect((await post(caseId, 'review', 'sup-wang', { passed: true, notes: '' })).status).toBe(200);
      const mail = await waitForEmail(
        (e) => e.to.includes(email) && e.subject.includes(caseId) && !used.has(e.text),
        30_000,
      );
      used.add(mail.text);
      const path = actionPath(mail);
      const html = await (await s.app.request(path)).text();
      const res = await postForm(s.app, path, { ...formFields(html), score: '1', comment: '仍然漏水' });
      const page = await res.text();
      if (i < CASE_BUDGETS.surveyRounds) {
        expect(outcomeOf(page)).toBe('done');
        expect((await viewOf(caseId)).stage).toBe('reviewing');
      } else {
        expect(outcomeOf(page)).not.toBe('done');
        expect(page).toContain('回访轮次');
        expect((await viewOf(caseId)).stage).toBe('follow_up');
      }
    }
  });
});
