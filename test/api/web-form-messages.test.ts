import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSessions } from '../support/page-sessions.ts';
import { MAX_COMMENT_LENGTH } from '../../domain/case-model.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The signed-in web forms say what is wrong with a field in words a person acts on, in the
 * page's language and naming the field by its label: never zod's locale texts ("数值过小：期望
 * string >=1 字符", "无效选项：期望以下之一 …", "无效电子邮件") nor the API's id rules. A field sent
 * twice is refused, not taken as its last value.
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
  const body = new URLSearchParams([...fields, ['_csrf', who.csrf]]);
  return s.app.request(path, {
    method: 'POST',
    headers: {
      'accept-language': lang,
      cookie: `rectify_session=${who.id}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: body.toString(),
  });
}

/** The message beside a field of the page's form. */
const fieldError = (html: string, name: string) =>
  new RegExp(`id="[a-z0-9_-]*-${name}-error">([^<]*)<`).exec(html)?.[1]?.replaceAll('&amp;', '&');

/** The page's error summary over its forms. */
const errorSummary = (html: string) =>
  /<div [^>]*data-error-summary[\s\S]*?<\/ul><\/div>/.exec(html)?.[0] ?? '';

/** What zod's locales say: none of it reaches a page. */
const ZOD_WORDS =
  /数值过|期望|无效选项|无效电子|Too small|Too big|Invalid (option|email|input)|expected string/;

const newCase = (over: Record<string, string> = {}): [string, string][] =>
  Object.entries({
    title: `msg ${uniqueId('t')}`,
    description: '走廊灯不亮',
    source: 'inspection',
    severity: 'routine',
    category: '',
    buildingId: 'bldg-a',
    floorId: 'a-f1',
    roomId: 'A101',
    assigneeId: 'staff-zhao',
    reporterName: '',
    reporterEmail: '',
    ...over,
  });

async function openCase(): Promise<string> {
  const res = await post('/app/cases/new', 'sup-wang', newCase());
  expect(res.status).toBe(303);
  return /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
}

describe('the new-case form', () => {
  const refused = {
    title: '   ',
    description: 'x'.repeat(5001),
    source: 'bogus',
    assigneeId: '',
    reporterName: '小李',
    reporterEmail: 'not-an-email',
  };

  it('names each field by its label and says what to do, in Chinese for a Chinese page', async () => {
    const res = await post('/app/cases/new', 'sup-wang', newCase(refused));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toMatch(ZOD_WORDS);
    expect(fieldError(html, 'title')).toBe('问题标题：不能为空，请填写');
    expect(fieldError(html, 'description')).toBe('问题描述：最多 5000 个字符（现有 5001 个），请删减');
    expect(fieldError(html, 'source')).toBe('请从列表中选择来源');
    // The field named as the banner names it (负责人), not as another word for it.
    expect(fieldError(html, 'assigneeId')).toBe('请选择负责人');
    expect(errorSummary(html)).toMatch(/请修改：[^<]*负责人/);
    expect(errorSummary(html)).toContain('>请选择负责人</a>');
    expect(fieldError(html, 'reporterEmail')).toMatch(/^报告人邮箱：不是有效的邮箱地址/);
    expect(html).not.toContain('须为名录中员工的编号');
  });

  it('says the same in English for an English page', async () => {
    const res = await post('/app/cases/new', 'sup-wang', newCase(refused), 'en');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toMatch(ZOD_WORDS);
    expect(fieldError(html, 'title')).toBe('Title: fill it in (it is required)');
    expect(fieldError(html, 'description')).toBe(
      'Description: takes at most 5000 characters (this has 5001); shorten it',
    );
    expect(fieldError(html, 'source')).toBe('Choose the source from the list');
    expect(fieldError(html, 'assigneeId')).toBe('Choose the assignee');
    expect(fieldError(html, 'reporterEmail')).toMatch(/^Reporter’s email: not a valid email address/);
  });

  it('says a reporter’s email needs their name too', async () => {
    const res = await post('/app/cases/new', 'sup-wang', newCase({ reporterEmail: 'li@example.com' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, 'reporterName')).toMatch(/填写报告人邮箱时也请填写其姓名/);
    expect(html).not.toMatch(ZOD_WORDS);
  });
});

describe('the case page forms', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await openCase();
  });

  it('a blank or over-long comment is told by its label', async () => {
    const blank = await post(`/app/cases/${caseId}/comment`, 'sup-wang', [['text', '   ']]);
    expect(blank.status).toBe(400);
    const html = await blank.text();
    expect(html).not.toMatch(ZOD_WORDS);
    expect(fieldError(html, 'text')).toBe('备注内容：不能为空，请填写');
    const long = await post(`/app/cases/${caseId}/comment`, 'sup-wang', [['text', 'y'.repeat(5001)]], 'en');
    expect(long.status).toBe(400);
    // The case's budget, as the API and its document state it (it once said 5000 here).
    expect(fieldError(await long.text(), 'text')).toBe(
      `Comment: takes at most ${MAX_COMMENT_LENGTH} characters (this has 5001); shorten it`,
    );
    // Just past it, told the same way.
    const over = await post(`/app/cases/${caseId}/comment`, 'sup-wang', [
      ['text', 'z'.repeat(MAX_COMMENT_LENGTH + 1)],
    ]);
    expect(over.status).toBe(400);
    expect(fieldError(await over.text(), 'text')).toBe(
      `备注内容：最多 ${MAX_COMMENT_LENGTH} 个字符（现有 ${MAX_COMMENT_LENGTH + 1} 个），请删减`,
    );
  });

  it('a blank comment comes back with an error title and a summary, focused on load, naming the form and linking the field', async () => {
    const zh = await (await post(`/app/cases/${caseId}/comment`, 'sup-wang', [['text', '']])).text();
    expect(zh).toMatch(/<title>错误：[^<]*<\/title>/);
    const summary = errorSummary(zh);
    // Where the keyboard lands when the page loads: an alert already in the page is not announced.
    expect(summary).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    expect(summary).toContain('添加备注：');
    expect(summary).toContain('<a href="#comment-text">备注内容：不能为空，请填写</a>');
    // The link's target is the field, still invalid and described by its message.
    expect(zh).toMatch(
      /<textarea id="comment-text" name="text" aria-describedby="[^"]*comment-text-error" aria-invalid="true"/,
    );
    const en = await (await post(`/app/cases/${caseId}/comment`, 'sup-wang', [['text', '']], 'en')).text();
    expect(en).toMatch(/<title>Error: [^<]*<\/title>/);
    expect(errorSummary(en)).toContain('Add a comment: ');
    // A page with no error keeps its title.
    const plain = await (
      await s.app.request(`/app/cases/${caseId}`, {
        headers: { cookie: `rectify_session=${(await as('sup-wang')).id}` },
      })
    ).text();
    expect(plain).not.toMatch(/<title>错误/);
    expect(plain).not.toContain('data-error-summary');
  });

  it('a field sent twice is refused beside it, and nothing is recorded', async () => {
    const res = await post(`/app/cases/${caseId}/comment`, 'sup-wang', [
      ['text', 'twice-first'],
      ['text', 'twice-second'],
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, 'text')).toMatch(/该字段提交了多次/);
    expect(html).toContain('表单字段重复（text）');
    const page = await (
      await s.app.request(`/app/cases/${caseId}`, {
        headers: { cookie: `rectify_session=${(await as('sup-wang')).id}` },
      })
    ).text();
    expect(page).not.toContain('twice-');
  });

  it('a root cause naming nobody is told about the responsible person with the missing why', async () => {
    const res = await post(`/app/cases/${caseId}/root-cause`, 'sup-wang', [
      ['causes', '灯管老化'],
      ['responsibleId', 'nobody'],
      ['plan', '更换灯管'],
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, 'why1')).toBe('至少回答第一个“为什么”');
    expect(fieldError(html, 'responsibleId')).toMatch(/^责任人：请从列表中选择一位员工/);
  });

  it('a root cause’s errors are listed over the page as its fields stand in the form', async () => {
    // Found the checks' way round: the schema's (causes, plan), then the first why, then the person.
    const res = await post(`/app/cases/${caseId}/root-cause`, 'sup-wang', [
      ['causes', ''],
      ['responsibleId', 'nobody'],
      ['plan', ''],
    ]);
    expect(res.status).toBe(400);
    const links = [...errorSummary(await res.text()).matchAll(/href="#root_cause-([A-Za-z0-9]+)"/g)].map(
      (m) => m[1],
    );
    expect(links).toEqual(['why1', 'causes', 'responsibleId', 'plan']);
  });

  it('hand-over without a colleague or a reason says which', async () => {
    const noOne = await post(`/app/cases/${caseId}/hand-over`, 'staff-zhao', [
      ['assigneeId', ''],
      ['reason', '休假'],
    ]);
    expect(noOne.status).toBe(400);
    expect(fieldError(await noOne.text(), 'assigneeId')).toBe('接手人：请从列表中选择一位同事');
    const noReason = await post(`/app/cases/${caseId}/hand-over`, 'staff-zhao', [
      ['assigneeId', 'staff-zhou'],
      ['reason', '   '],
    ]);
    expect(noReason.status).toBe(400);
    const said = fieldError(await noReason.text(), 'reason') ?? '';
    expect(said).toMatch(/^原因：/);
    expect(said).toContain('不能为空');
    expect(said).not.toMatch(ZOD_WORDS);
  });
});
