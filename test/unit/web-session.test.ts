import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../api/auth.ts';
import { csrfMatches, csrfProtect } from '../../api/middleware/csrf.ts';
import {
  langFromAcceptLanguage,
  pickLang,
  requireViewer,
  safeNext,
  sessionCookieOptions,
  type WebEnv,
} from '../../api/middleware/session.ts';
import { parseEnv } from '../../infra/config.ts';
import { localIssuer, loginPage } from '../../infra/local/oidc-provider.ts';
import {
  SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS,
  expiryOf,
  secretHash,
  sessionState,
  type SessionRecord,
} from '../../store/sessions.ts';

const viewer: Caller = {
  person: {
    id: 'sup-wang',
    name: '王主管',
    email: 'wang@example.edu.cn',
    roles: ['supervisor'],
    language: 'zh-CN',
  },
  actor: { id: 'sup-wang', roles: ['supervisor'], via: 'api' },
};

/** A page app with the session's variables set as sessionMiddleware would, without a store. */
function pageApp(session: { viewer: Caller | null; csrfToken: string }) {
  const app = new Hono<WebEnv>();
  app.use('*', async (c, next) => {
    c.set('viewer', session.viewer);
    c.set('csrfToken', session.csrfToken);
    c.set('lang', 'zh-CN');
    await next();
  });
  app.use('*', csrfProtect);
  app.get('/app/page', requireViewer, (c) => c.text(`hello ${c.get('viewer')?.person.id ?? ''}`));
  app.post('/app/form', async (c) => {
    // The route still reads the body the CSRF check already parsed.
    const body = await c.req.parseBody();
    return c.text(`done ${typeof body.note === 'string' ? body.note : ''}`);
  });
  return app;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('csrfProtect', () => {
  const token = 'a'.repeat(43);
  const app = pageApp({ viewer, csrfToken: token });

  it('lets safe methods through without a token', async () => {
    expect((await app.request('/app/page')).status).toBe(200);
  });

  it('accepts the session token as form field _csrf or X-CSRF-Token header, and the route still reads the form', async () => {
    const byField = await app.request('/app/form', form({ _csrf: token, note: '好' }));
    expect(byField.status).toBe(200);
    expect(await byField.text()).toBe('done 好');
    const multipart = new FormData();
    multipart.set('_csrf', token);
    multipart.set('note', 'photo');
    const byMultipart = await app.request('/app/form', { method: 'POST', body: multipart });
    expect(await byMultipart.text()).toBe('done photo');
    const byHeader = await app.request('/app/form', {
      method: 'POST',
      headers: { 'x-csrf-token': token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(byHeader.status).toBe(200);
  });

  it('refuses a missing, wrong or differently sized token with a bilingual 403 page', async () => {
    for (const init of [
      form({ note: 'x' }),
      form({ _csrf: 'b'.repeat(43) }),
      form({ _csrf: token.slice(1) }),
      { method: 'DELETE' },
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _csrf: token }),
      },
    ]) {
      const res = await app.request('/app/form', init);
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain('data-refused="csrf"');
      expect(html).toContain('请求已拒绝');
    }
  });

  it('refuses every state change when there is no session (no token to match)', async () => {
    const anonymous = pageApp({ viewer: null, csrfToken: '' });
    expect((await anonymous.request('/app/form', form({ _csrf: '' }))).status).toBe(403);
  });

  it('compares tokens only when both are non-empty', () => {
    expect(csrfMatches('', '')).toBe(false);
    expect(csrfMatches('abc', undefined)).toBe(false);
    expect(csrfMatches('abc', 'abd')).toBe(false);
    expect(csrfMatches('abc', 'abc')).toBe(true);
  });
});

describe('requireViewer', () => {
  it('sends an anonymous visitor to sign-in with the page to come back to', async () => {
    const res = await pageApp({ viewer: null, csrfToken: '' }).request('/app/page?stage=review&page=2');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/app/page?stage=review&page=2')}`,
    );
  });
});

describe('safeNext', () => {
  it.each([
    ['/app/cases?x=1', '/app/cases?x=1'],
    [undefined, '/app'],
    ['', '/app'],
    ['https://evil.example/', '/app'],
    ['//evil.example/', '/app'],
    ['/\\evil.example', '/app'],
    ['javascript:alert(1)', '/app'],
    ['/app\r\nSet-Cookie: x=1', '/app'],
  ])('%s → %s', (given, expected) => {
    expect(safeNext(given)).toBe(expected);
  });
});

describe('language', () => {
  it.each([
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR,en;q=0.5,zh;q=0.9', 'zh-CN'],
    ['fr-FR,en;q=0.5', 'en'],
    ['en;q=0, zh;q=0.1', 'zh-CN'],
    ['de', undefined],
    [undefined, undefined],
  ])('Accept-Language %s → %s', (header, expected) => {
    expect(langFromAcceptLanguage(header)).toBe(expected);
  });

  const app = new Hono();
  app.get('/', (c) => c.text(pickLang(c, 'https://rectify.example.edu.cn')));

  it('takes ?lang= first and remembers it in a cookie, then the cookie, then the browser, then Chinese', async () => {
    const asked = await app.request('/?lang=en', { headers: { 'accept-language': 'zh-CN' } });
    expect(await asked.text()).toBe('en');
    const cookie = asked.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^rectify_lang=en;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const remembered = await app.request('/', {
      headers: { cookie: 'rectify_lang=en', 'accept-language': 'zh-CN' },
    });
    expect(await remembered.text()).toBe('en');
    expect(await (await app.request('/', { headers: { 'accept-language': 'en-GB' } })).text()).toBe('en');
    expect(await (await app.request('/')).text()).toBe('zh-CN');
    // An unknown ?lang= is ignored, not stored.
    const unknown = await app.request('/?lang=fr');
    expect(await unknown.text()).toBe('zh-CN');
    expect(unknown.headers.get('set-cookie')).toBeNull();
  });
});

describe('a signed-in person’s page language', () => {
  const app = new Hono();
  app.get('/', (c) => c.text(pickLang(c, 'https://rectify.example.edu.cn', { language: 'en' })));

  it('falls back on their directory language, after ?lang=, the remembered choice and the browser', async () => {
    expect(await (await app.request('/')).text()).toBe('en');
    expect(await (await app.request('/', { headers: { 'accept-language': 'fr' } })).text()).toBe('en');
    expect(await (await app.request('/', { headers: { 'accept-language': 'zh' } })).text()).toBe('zh-CN');
    expect(await (await app.request('/', { headers: { cookie: 'rectify_lang=zh-CN' } })).text()).toBe(
      'zh-CN',
    );
    expect(await (await app.request('/?lang=zh-CN', { headers: { 'accept-language': 'en' } })).text()).toBe(
      'zh-CN',
    );
  });
});

describe('session cookie and expiry', () => {
  it('is HttpOnly and SameSite=Lax always, Secure only when the public URL is https', () => {
    expect(sessionCookieOptions('http://localhost:3000')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      secure: false,
      path: '/',
    });
    expect(sessionCookieOptions('https://rectify.example.edu.cn').secure).toBe(true);
  });

  const at = (s: number) => new Date(s * 1000);
  const record = (createdAt: number, lastSeenAt: number): SessionRecord => ({
    personId: 'sup-wang',
    csrfToken: 't',
    createdAt,
    lastSeenAt,
    absoluteExpiresAt: createdAt + SESSION_ABSOLUTE_SECONDS,
    via: 'oidc',
  });

  it('ends after the idle limit without requests', () => {
    const r = record(1_000_000, 1_000_000);
    expect(sessionState(r, at(1_000_000 + 60))).toBe('fresh');
    expect(sessionState(r, at(1_000_000 + 600))).toBe('touch');
    expect(sessionState(r, at(1_000_000 + SESSION_IDLE_SECONDS - 1))).toBe('touch');
    expect(sessionState(r, at(1_000_000 + SESSION_IDLE_SECONDS))).toBe('expired');
  });

  it('ends at the absolute limit however recently it was used', () => {
    const created = 1_000_000;
    const lastSeen = created + SESSION_ABSOLUTE_SECONDS - 60;
    const r = record(created, lastSeen);
    expect(expiryOf(r)).toBe(created + SESSION_ABSOLUTE_SECONDS);
    expect(sessionState(r, at(lastSeen + 30))).toBe('fresh');
    expect(sessionState(r, at(created + SESSION_ABSOLUTE_SECONDS))).toBe('expired');
  });

  it('stores only a hash of the secret the browser holds', () => {
    const h = secretHash('cookie-value');
    expect(h).not.toContain('cookie-value');
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secretHash('cookie-value')).toBe(h);
  });
});

describe('OIDC settings', () => {
  const production = {
    RECTIFY_MODE: 'production',
    LINK_SIGNING_KEYS: '{"current":"k1","keys":{"k1":"0123456789abcdef0123456789abcdef"}}',
    JWKS_URL: 'https://idp.example.edu.cn/.well-known/jwks.json',
    JWT_ISSUER: 'https://idp.example.edu.cn',
    JWT_AUDIENCE: 'rectify-api',
    PUBLIC_BASE_URL: 'https://rectify.example.edu.cn',
    OIDC_ISSUER: 'https://idp.example.edu.cn',
    OIDC_CLIENT_ID: 'rectify-web',
    OIDC_CLIENT_SECRET: 'an-oidc-client-secret',
  };

  it('are required in production, each named', () => {
    expect(() =>
      parseEnv({
        ...production,
        OIDC_ISSUER: undefined,
        OIDC_CLIENT_ID: undefined,
        OIDC_CLIENT_SECRET: undefined,
      }),
    ).toThrow(
      /^Invalid configuration:\n {2}OIDC_ISSUER: required when RECTIFY_MODE=production\n {2}OIDC_CLIENT_ID: required[^\n]*\n {2}OIDC_CLIENT_SECRET: required[^\n]*$/,
    );
    expect(parseEnv(production)).toMatchObject({
      OIDC_ISSUER: 'https://idp.example.edu.cn',
      OIDC_PERSON_CLAIM: 'sub',
    });
  });

  it('need an https issuer in production; locally they are optional and may be plain http', () => {
    expect(() => parseEnv({ ...production, OIDC_ISSUER: 'http://idp.example.edu.cn' })).toThrow(
      /OIDC_ISSUER: must be an https URL when RECTIFY_MODE=production/,
    );
    expect(parseEnv({}).OIDC_ISSUER).toBeUndefined();
    expect(parseEnv({ OIDC_ISSUER: 'http://localhost:3100' }).OIDC_ISSUER).toBe('http://localhost:3100');
    expect(() => parseEnv({ OIDC_ISSUER: 'localhost:3100' })).toThrow(/OIDC_ISSUER/);
  });
});

describe('local identity provider pieces', () => {
  it('puts the issuer on the host people reach the app at, on its own port', () => {
    expect(localIssuer('http://localhost:3000', 3100)).toBe('http://localhost:3100');
    expect(localIssuer('http://192.168.1.20:3000/', 3100)).toBe('http://192.168.1.20:3100');
  });

  it('offers the directory people by role on its sign-in form, escaping what it shows', () => {
    const html = loginPage(
      'uid-1',
      [
        { id: 'sup-wang', name: '王主管', email: 'w@x.cn', roles: ['supervisor'], language: 'zh-CN' },
        { id: 'x"><script>', name: '<b>Eve</b>', email: 'e@x.cn', roles: ['staff'], language: 'en' },
      ],
      'bad <id>',
    );
    expect(html).toContain('<form method="post" action="/interaction/uid-1/login">');
    expect(html).toContain(
      '<optgroup label="主管 Supervisors"><option value="sup-wang">王主管 (sup-wang)</option>',
    );
    expect(html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('bad &lt;id&gt;');
    expect(html).toContain('<label for="personId">');
  });
});
