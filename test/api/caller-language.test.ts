import { describe, expect, it } from 'vitest';
import { createSession } from '../../store/sessions.ts';
import { call, newCaseBody, useApiStack } from './harness.ts';

/**
 * One rule for the language of every answer: `?lang=`, then Accept-Language when it names
 * Chinese or English, then the signed-in person's directory language, then zh-CN. sup-smith's
 * directory language is English; sup-wang's is Chinese.
 */
const s = useApiStack();

const MISSING = '/api/cases/ZG-2026-999999';

const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as {
    title: string;
    detail: string;
    errors?: { field: string; message: string }[];
  };
};

describe('an API problem with a bearer token', () => {
  it('is in the person’s directory language when nothing else is asked', async () => {
    expect((await problemOf(await call(s.app, 'GET', MISSING, { as: 'sup-smith' }))).title).toBe('Not found');
    expect((await problemOf(await call(s.app, 'GET', MISSING, { as: 'sup-wang' }))).title).toBe('未找到');
    const invalid = await problemOf(
      await call(s.app, 'POST', '/api/cases', { as: 'sup-smith', body: newCaseBody({ title: undefined }) }),
    );
    expect(invalid.errors).toEqual([{ field: 'title', message: 'is required (text)' }]);
  });

  it('follows Accept-Language over the directory, and ?lang= over both', async () => {
    const as = (who: string, headers: Record<string, string>, query = '') =>
      call(s.app, 'GET', `${MISSING}${query}`, { as: who, headers });
    expect((await problemOf(await as('sup-smith', { 'accept-language': 'zh-CN' }))).title).toBe('未找到');
    expect((await problemOf(await as('sup-wang', { 'accept-language': 'en-GB' }))).title).toBe('Not found');
    // A browser's language that is neither leaves it to the directory.
    expect((await problemOf(await as('sup-smith', { 'accept-language': 'fr-FR' }))).title).toBe('Not found');
    expect((await problemOf(await as('sup-smith', { 'accept-language': 'en' }, '?lang=zh-CN'))).title).toBe(
      '未找到',
    );
  });

  it('is zh-CN for nobody signed in', async () => {
    expect((await problemOf(await call(s.app, 'GET', MISSING))).title).toBe('需要登录');
  });
});

describe('a page with a session', () => {
  const page = async (personId: string, headers: Record<string, string> = {}, query = '') => {
    const session = await createSession(s.deps.aws, { personId, via: 'link' });
    const res = await s.app.request(`/app${query}`, {
      headers: { cookie: `rectify_session=${session.id}`, ...headers },
    });
    expect(res.status).toBe(200);
    return /<html lang="([^"]+)"/.exec(await res.text())?.[1];
  };

  it('is in the person’s directory language when the browser names neither', async () => {
    expect(await page('sup-smith')).toBe('en');
    expect(await page('sup-wang')).toBe('zh-CN');
    expect(await page('sup-smith', { 'accept-language': 'fr' })).toBe('en');
  });

  it('follows the browser, then ?lang=, over the directory', async () => {
    expect(await page('sup-smith', { 'accept-language': 'zh-CN,zh;q=0.9' })).toBe('zh-CN');
    expect(await page('sup-wang', { 'accept-language': 'en-US' })).toBe('en');
    expect(await page('sup-smith', { 'accept-language': 'en' }, '?lang=zh-CN')).toBe('zh-CN');
  });
});
