import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemSchema } from '../../api/schemas.ts';
import { MAX_COMMENT_LENGTH } from '../../domain/case-model.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';

/**
 * A comment's limit is stated in characters, so it is counted in characters (code points): an
 * emoji or a character of the CJK extensions, two UTF-16 units each, counts once, on the case
 * page's form, in its textarea and through the API alike.
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);
let caseId: string;

beforeAll(async () => {
  s = await startApiStack();
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  expect(res.status).toBe(201);
  caseId = ((await res.json()) as { caseId: string }).caseId;
});
afterAll(async () => {
  await s?.stop();
});

// Two UTF-16 units each: an emoji, and 𠀀 (U+20000, CJK Extension B).
const twoUnits = (n: number) => '👍𠀀'.repeat(n / 2);

async function postComment(text: string) {
  const who = await as('sup-wang');
  return s.app.request(`/app/cases/${caseId}/comment`, {
    method: 'POST',
    headers: {
      cookie: `rectify_session=${who.id}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ text, _csrf: who.csrf }).toString(),
  });
}

describe('a comment of 500 characters', () => {
  it('the case page’s textarea lets 500 characters of emoji be typed and says the limit', async () => {
    const who = await as('sup-wang');
    const html = await (
      await s.app.request(`/app/cases/${caseId}`, {
        headers: { cookie: `rectify_session=${who.id}` },
      })
    ).text();
    const textarea = /<textarea[^>]*name="text"[^>]*>/.exec(html)?.[0] ?? '';
    expect(textarea).not.toBe('');
    // A browser's maxlength counts UTF-16 units.
    expect(Number(/maxlength="(\d+)"/.exec(textarea)?.[1])).toBeGreaterThanOrEqual(
      twoUnits(MAX_COMMENT_LENGTH).length,
    );
    expect(html).toContain(`最多 ${MAX_COMMENT_LENGTH} 字`);
  });

  it('is taken from the case page when each character takes two UTF-16 units; 501 are refused', async () => {
    expect((await postComment(twoUnits(MAX_COMMENT_LENGTH))).status).toBe(303);
    const over = await postComment(`${twoUnits(MAX_COMMENT_LENGTH)}好`);
    expect(over.status).toBe(400);
    expect(await over.text()).toContain(
      `备注内容：最多 ${MAX_COMMENT_LENGTH} 个字符（现有 ${MAX_COMMENT_LENGTH + 1} 个），请删减`,
    );
  });

  it('is taken through the API likewise; 501 are a 422 that counts 501', async () => {
    const post = (text: string) =>
      call(s.app, 'POST', `/api/cases/${caseId}/comments`, {
        as: 'sup-wang',
        body: { text },
        headers: { 'accept-language': 'en' },
      });
    const ok = await post(twoUnits(MAX_COMMENT_LENGTH));
    expect(ok.status).toBe(200);
    const over = await post(`${twoUnits(MAX_COMMENT_LENGTH)}!`);
    expect(over.status).toBe(422);
    const problem = problemSchema.parse(await over.json());
    expect(problem.budget).toBe('commentLength');
    expect(problem.detail).toContain(`this comment has ${MAX_COMMENT_LENGTH + 1} characters`);
  });
});
