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

/** One form's section of the page. */
const section = (html: string, step: string) =>
  new RegExp(`<section[^>]*data-step="${step}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';

describe('a case page form refused with no field named', () => {
  let caseId = '';
  beforeAll(async () => {
    caseId = await withdrawnCase();
  });

  it('a comment on a case withdrawn meanwhile: the page again (409), the refusal said, the text kept', async () => {
    const text = `备件已订购，明早更换 ${uniqueId('c')}`;
    const res = await post(`/app/cases/${caseId}/comment`, 'staff-zhou', [['text', text]]);
    expect(res.status).toBe(409);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    // Over the page: the refusal, and that nothing was saved.
    expect(/class="flash error"[^>]*>([^<]*)</.exec(html)?.[1]).toBe(
      '案件已撤销，不能再执行任何步骤。没有保存；您填写的内容保留在下方表单中。',
    );
    const form = section(html, 'comment');
    expect(form).toContain('data-not-offered');
    expect(form).toContain('role="alert">案件已撤销，不能再执行任何步骤<');
    expect(form).toMatch(new RegExp(`<textarea[^>]*name="text"[^>]*>${text}</textarea>`));
    // Only to copy from: the step is no longer the person's, so the form has no button to send it.
    expect(form).not.toContain('type="submit"');
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
    expect(/class="flash error"[^>]*>([^<]*)</.exec(html)?.[1]).toBe(
      'case is withdrawn; no further steps. Nothing was saved; what you typed is kept in the form below.',
    );
    const form = section(html, 'hand_over');
    expect(form).toContain('data-not-offered');
    expect(form).toContain(`value="${reason}"`);
    expect(form).toMatch(/<option value="staff-zhao" selected="">/);
    expect(form).not.toContain('type="submit"');
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.assigneeId).toBe('staff-zhou');
  });
});
