import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { chooseLanguage } from './language.ts';
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

describe('one rule for every answer’s language', () => {
  it.each([
    ['?lang= over everything', 'en', 'zh-CN', 'zh-CN', 'en'],
    ['?lang= over everything (zh)', 'zh-CN', 'en', 'en', 'zh-CN'],
    ['Accept-Language over the directory', undefined, 'zh-CN', 'en', 'zh-CN'],
    ['Accept-Language over the directory (en)', undefined, 'en-GB', 'zh-CN', 'en'],
    ['the directory when Accept-Language names neither', undefined, 'fr-FR', 'en', 'en'],
    ['the directory when there is no Accept-Language', undefined, undefined, 'en', 'en'],
    ['the directory after an unknown ?lang=', 'fr', undefined, 'en', 'en'],
    ['zh-CN for nobody', undefined, undefined, undefined, 'zh-CN'],
  ] as const)('%s', (_what, asked, accept, directory, expected) => {
    expect(chooseLanguage(asked, accept, directory === undefined ? undefined : { language: directory })).toBe(
      expected,
    );
  });

  it('falls back on the bearer caller’s or the page viewer’s directory language in the API', async () => {
    const withPerson = (key: 'caller' | 'viewer', language: 'en' | 'zh-CN') =>
      new Hono()
        .use(async (c, next) => {
          c.set(key as never, { person: { language } } as never);
          await next();
        })
        .get('/', (c) => c.text(callerLanguage(c)));
    expect(await (await withPerson('caller', 'en').request('/')).text()).toBe('en');
    expect(await (await withPerson('viewer', 'en').request('/')).text()).toBe('en');
    const zhBrowser = { headers: { 'accept-language': 'zh' } };
    expect(await (await withPerson('caller', 'en').request('/', zhBrowser)).text()).toBe('zh-CN');
    expect(await (await withPerson('caller', 'zh-CN').request('/?lang=en')).text()).toBe('en');
  });
});
