import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { callerLanguage, langFromAcceptLanguage } from './problems.ts';

const app = new Hono().get('/', (c) => c.text(callerLanguage(c)));
const langOf = async (header?: string, query = '') =>
  (
    await app.request(`/${query}`, header === undefined ? {} : { headers: { 'accept-language': header } })
  ).text();

describe('the language of an API answer', () => {
  it('follows the weights of Accept-Language, as the pages do, not only its first tag', async () => {
    expect(await langOf('en;q=0.1, zh-CN;q=0.9')).toBe('zh-CN');
    expect(await langOf('zh;q=0.2, en-GB')).toBe('en');
    expect(await langOf('fr-FR, en;q=0.5')).toBe('en');
    expect(await langOf('fr-FR')).toBe('zh-CN');
    expect(await langOf()).toBe('zh-CN');
  });

  it('takes ?lang= first', async () => {
    expect(await langOf('en', '?lang=zh-CN')).toBe('zh-CN');
    expect(await langOf('zh-CN', '?lang=en')).toBe('en');
  });

  it('reads tags and weights as written, ignoring q=0 and garbage', () => {
    expect(langFromAcceptLanguage('en;q=0, zh')).toBe('zh-CN');
    expect(langFromAcceptLanguage('*')).toBeUndefined();
  });
});
