import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApp } from '../../api/app.ts';
import { requireViewer, type WebEnv } from '../../api/middleware/session.ts';
import { listen } from '../../api/server.ts';
import { parseEnv } from '../../infra/config.ts';
import {
  LOCAL_OIDC_CLIENT_ID,
  localOidcSecrets,
  startLocalOidcProvider,
} from '../../infra/local/oidc-provider.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import type { RunningServer } from '../../infra/local/servers.ts';
import { checklistFor } from '../../domain/inspection.ts';
import { saveRound } from '../../store/inspections.ts';
import { issueLoginLink } from '../../store/sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * Web sign-in over real servers: the app on a real port, the real local
 * oidc-provider on another, DynamoDB Local for sessions. The browser is plain
 * fetch with a cookie jar, following every redirect by hand, so each hop of
 * the authorization code + PKCE flow is seen.
 */

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

/** A browser's cookie jar, one per host:port (the app and the provider are different origins). */
class Browser {
  private jars = new Map<string, Map<string, string>>();
  /** The raw Set-Cookie lines of the last response, for checking attributes. */
  lastSetCookies: string[] = [];

  private jar(url: URL) {
    let jar = this.jars.get(url.host);
    if (!jar) this.jars.set(url.host, (jar = new Map()));
    return jar;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar(new URL(url)).get(name);
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jar(target);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** Follows redirects by hand (a browser would), returning every hop and the final response. */
  async follow(url: string, init: RequestInit = {}): Promise<{ hops: string[]; res: Response }> {
    const hops: string[] = [url];
    let res = await this.request(url, init);
    while (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location') ?? '', hops[hops.length - 1]).href;
      hops.push(next);
      await res.arrayBuffer();
      if (hops.length > 12) throw new Error(`redirect loop: ${hops.join(' → ')}`);
      res = await this.request(next);
    }
    return { hops, res };
  }

  postForm(url: string, fields: Record<string, string>) {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

let s: ApiStack;
let provider: RunningServer;
let server: ServerType;
let base: string;
let issuer: string;
let dataDir: string;
let app: Hono;

beforeAll(async () => {
  s = await startApiStack();
  const [appPort, oidcPort] = await Promise.all([freePort(), freePort()]);
  base = `http://127.0.0.1:${appPort}`;
  issuer = `http://127.0.0.1:${oidcPort}`;
  dataDir = await mkdtemp(path.join(tmpdir(), 'rectify-web-auth-'));
  const secrets = localOidcSecrets(dataDir);
  provider = await startLocalOidcProvider({
    port: oidcPort,
    host: '127.0.0.1',
    issuer,
    redirectUris: [`${base}/auth/callback`],
    secrets,
    people: () => Promise.resolve(s.dir.people),
  });
  app = createApp({
    ...s.deps,
    env: {
      ...s.deps.env,
      PUBLIC_BASE_URL: base,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: LOCAL_OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET: secrets.clientSecret,
    },
    publicBaseUrl: base,
  });
  // A page for signed-in people only, through the same middleware the app pages use.
  (app as unknown as Hono<WebEnv>).get('/app/_whoami', requireViewer, (c) =>
    c.html(`<p data-viewer="${c.get('viewer')?.person.id ?? ''}">${c.get('viewer')?.person.name ?? ''}</p>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${c.get('csrfToken')}"></form>`),
  );
  server = await listen(app, appPort, '127.0.0.1');
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await provider?.stop();
  await s?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const csrfOf = (html: string) => /name="_csrf" value="([^"]*)"/.exec(html)?.[1];

/** Signs in through the provider's form as a person; returns the browser, now holding a session. */
async function signIn(personId: string, next = '/app/_whoami') {
  const b = new Browser();
  const start = await b.follow(`${base}/auth/start?next=${encodeURIComponent(next)}`);
  const form = await start.res.text();
  expect(start.res.status, form).toBe(200);
  const action = /<form method="post" action="([^"]+)"/.exec(form)?.[1];
  if (!action) throw new Error(`no sign-in form at the provider: ${form}`);
  const posted = await b.postForm(new URL(action, issuer).href, { personId });
  expect(posted.status).toBe(303);
  const back = await b.follow(new URL(posted.headers.get('location') ?? '', issuer).href);
  return { b, start, back };
}

describe('OpenID Connect sign-in (code + PKCE) against the local oidc-provider', () => {
  it('sends an anonymous visitor of a page to sign-in and back, with a session cookie and CSRF on forms', async () => {
    const b = new Browser();
    const anonymous = await b.request(`${base}/app/_whoami?x=1`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/app/_whoami?x=1')}`);

    const login = await b.request(`${base}/login?next=${encodeURIComponent('/app/_whoami')}`);
    const loginHtml = await login.text();
    expect(login.status).toBe(200);
    expect(loginHtml).toContain('lang="zh-CN"');
    expect(loginHtml).toContain('使用学校统一身份认证登录');
    const startHref = /href="(\/auth\/start[^"]*)"/.exec(loginHtml)?.[1]?.replaceAll('&amp;', '&');
    expect(startHref).toBe(`/auth/start?next=${encodeURIComponent('/app/_whoami')}`);

    // The app sends the browser to the provider's authorization endpoint with a PKCE challenge.
    const start = await b.request(`${base}${startHref}`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/auth/callback`);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    // The verifier itself never leaves the server: only an opaque id in a cookie scoped to /auth.
    expect(authorize.href).not.toContain('code_verifier');
    const pendingCookie = b.lastSetCookies.find((l) => l.startsWith('rectify_oidc='));
    expect(pendingCookie).toMatch(/Path=\/auth/);
    expect(pendingCookie).toMatch(/HttpOnly/);

    // The provider's interaction page: pick a directory person.
    const interaction = await b.follow(authorize.href);
    const form = await interaction.res.text();
    expect(interaction.res.status).toBe(200);
    expect(form).toContain('王'); // sup-wang's name is among the people offered
    const action = /<form method="post" action="([^"]+)"/.exec(form)?.[1] ?? '';
    const refused = await b.postForm(new URL(action, issuer).href, { personId: 'nobody-here' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('nobody-here');

    const posted = await b.postForm(new URL(action, issuer).href, { personId: 'sup-wang' });
    expect(posted.status).toBe(303);
    const back = await b.follow(new URL(posted.headers.get('location') ?? '', issuer).href);
    const callback = back.hops.find((h) => h.startsWith(`${base}/auth/callback`));
    expect(callback, back.hops.join('\n')).toBeDefined();
    const callbackUrl = new URL(callback ?? '');
    expect(callbackUrl.searchParams.get('code')).toBeTruthy();
    expect(callbackUrl.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    expect(back.hops[back.hops.length - 1]).toBe(`${base}/app/_whoami`);
    const page = await back.res.text();
    expect(back.res.status).toBe(200);
    expect(page).toContain('data-viewer="sup-wang"');

    const session = b.cookie(base, 'rectify_session');
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Replaying the callback (a stolen or reloaded URL) does not sign anyone in again.
    const replay = await new Browser().request(callback ?? '');
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('data-refused="expired"');

    // A state-changing POST without the session's token is refused with a page, and changes nothing.
    const noToken = await b.postForm(`${base}/logout`, {});
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('data-refused="csrf"');
    // A form cut off in transit is told so (400), not taken for an expired one.
    const cut = await b.request(`${base}/logout`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      body: '--zz\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\nabc\r\n--zz\r\ncontent-disp',
    });
    expect(cut.status).toBe(400);
    const cutPage = await cut.text();
    expect(cutPage).toContain('data-refused="unreadable"');
    expect(cutPage).toContain('表单无法读取');
    const wrongToken = await b.request(`${base}/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': 'guess' },
    });
    expect(wrongToken.status).toBe(403);
    // The real workbench, in the shared layout: the signed-in person and a sign-out form carrying the token.
    const still = await b.request(`${base}/app`);
    const stillHtml = await still.text();
    expect(still.status).toBe(200);
    expect(stillHtml).toContain(s.dir.people.find((p) => p.id === 'sup-wang')?.name ?? '?');
    expect(stillHtml).toContain('action="/logout"');

    const csrf = csrfOf(stillHtml);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const out = await b.postForm(`${base}/logout`, { _csrf: csrf ?? '' });
    expect(out.status).toBe(303);
    expect(b.cookie(base, 'rectify_session')).toBeUndefined();
    // Signed out at the identity provider too (RP-initiated logout), then back to our sign-in page.
    const endSession = new URL(out.headers.get('location') ?? '');
    expect(endSession.origin).toBe(issuer);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/login?signedOut=1`);
    const confirm = await b.request(endSession.href);
    const confirmHtml = await confirm.text();
    expect(confirm.status).toBe(200);
    const endAction = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(confirmHtml)?.[1] ?? '';
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmHtml)?.[1] ?? '';
    const ended = await b.postForm(new URL(endAction, issuer).href, { xsrf, logout: 'yes' });
    const landing = await b.follow(new URL(ended.headers.get('location') ?? '', issuer).href);
    expect(landing.hops[landing.hops.length - 1]).toBe(`${base}/login?signedOut=1`);
    expect(await landing.res.text()).toContain('你已退出登录');
    // So the next sign-in on this browser asks who it is again instead of reusing the last person.
    const again = await b.follow(`${base}/auth/start?next=%2Fapp`);
    expect(again.res.status).toBe(200);
    expect(await again.res.text()).toContain('name="personId"');

    // The old cookie is worthless now, even replayed by hand.
    const after = await fetch(`${base}/app`, {
      headers: { cookie: `rectify_session=${session}` },
      redirect: 'manual',
    });
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toMatch(/^\/login\?next=/);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, for the whole site, and not Secure over http', async () => {
    const fresh = new Browser();
    const start = await fresh.follow(`${base}/auth/start?next=%2Fapp%2F_whoami`);
    const action = /<form method="post" action="([^"]+)"/.exec(await start.res.text())?.[1] ?? '';
    const posted = await fresh.postForm(new URL(action, issuer).href, { personId: 'audit-he' });
    let url = new URL(posted.headers.get('location') ?? '', issuer).href;
    let setCookie: string | undefined;
    for (let i = 0; i < 8 && !setCookie; i++) {
      const r = await fresh.request(url);
      setCookie = fresh.lastSetCookies.find((l) => l.startsWith('rectify_session='));
      url = new URL(r.headers.get('location') ?? '', url).href;
    }
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i);
    const res = await fresh.request(`${base}/app/_whoami`);
    expect(await res.text()).toContain('data-viewer="audit-he"');
  });

  it('never redirects after sign-in to another site', async () => {
    const { back } = await signIn('sup-wang', '//evil.example/steal');
    expect(back.hops[back.hops.length - 1]).toBe(`${base}/app`);
  });

  it('brings a signed-out supervisor from the inspection email’s link through sign-in to the checklist', async () => {
    // A round row as its workflow stores it, of a day no other test lists.
    const id = `inspection.daily.bldg-a.${uniqueId('webauth')}`;
    const checklist = checklistFor('daily').map((i) => i.id);
    await saveRound(s.deps.aws, {
      roundId: id,
      kind: 'daily',
      buildingId: 'bldg-a',
      period: '2099-12-31',
      from: '2099-12-31',
      to: '2099-12-31',
      due: '2099-12-31T16:00:00.000Z',
      assigneeIds: ['sup-wang'],
      checklist,
      status: 'open',
      results: [],
      scores: [],
      cases: {},
    });
    const b = new Browser();
    const link = `/inspection/${id}?lang=en`;
    const opened = await b.request(`${base}${link}`, { headers: { accept: 'text/html' } });
    expect(opened.status).toBe(302);
    const login = opened.headers.get('location') ?? '';
    expect(login).toBe(`/login?next=${encodeURIComponent(link)}`);
    const loginHtml = await (await b.request(`${base}${login}`)).text();
    const startHref = /href="(\/auth\/start[^"]*)"/.exec(loginHtml)?.[1]?.replaceAll('&amp;', '&');
    expect(startHref).toBe(`/auth/start?next=${encodeURIComponent(link)}`);
    const start = await b.follow(`${base}${startHref}`);
    const action = /<form method="post" action="([^"]+)"/.exec(await start.res.text())?.[1] ?? '';
    const posted = await b.postForm(new URL(action, issuer).href, { personId: 'sup-wang' });
    const back = await b.follow(new URL(posted.headers.get('location') ?? '', issuer).href);
    expect(back.hops[back.hops.length - 1]).toBe(`${base}${link}`);
    expect(back.res.status).toBe(200);
    const page = await back.res.text();
    expect(page).toContain(`id="item-${checklist[0]}"`);
    expect(page).toContain('Save progress');
  });

  it('refuses a callback without the browser that started the sign-in', async () => {
    const b = new Browser();
    const start = await b.follow(`${base}/auth/start?next=%2Fapp%2F_whoami`);
    const action = /<form method="post" action="([^"]+)"/.exec(await start.res.text())?.[1] ?? '';
    const posted = await b.postForm(new URL(action, issuer).href, { personId: 'sup-wang' });
    // Walk the provider's redirects but stop before the app's callback: hand it to another browser.
    let url = new URL(posted.headers.get('location') ?? '', issuer).href;
    while (!url.startsWith(`${base}/auth/callback`)) {
      const r = await b.request(url);
      url = new URL(r.headers.get('location') ?? '', url).href;
    }
    const stranger = await new Browser().request(url);
    expect(stranger.status).toBe(400);
    expect(new Browser().cookie(base, 'rectify_session')).toBeUndefined();
  });

  it('keeps the API’s bearer tokens working beside the cookie sessions', async () => {
    const { tokenFor } = await import('./harness.ts');
    const res = await fetch(`${base}/api/directory/people`, {
      headers: { authorization: `Bearer ${await tokenFor('admin-xu')}` },
    });
    expect(res.status).toBe(200);
    // A session cookie is not a bearer token: the JSON API still asks for one.
    const { b } = await signIn('admin-xu');
    const cookieOnly = await b.request(`${base}/api/directory/people`);
    expect(cookieOnly.status).toBe(401);
  });
});

function runLoginLink(args: string[], env: Record<string, string> = {}) {
  const stack = inject('stack');
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      path.join(projectRoot, 'node_modules/.bin/tsx'),
      [path.join(projectRoot, 'infra/local/login-link.ts'), ...args],
      {
        cwd: projectRoot,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          RECTIFY_DATA_DIR: dataDir,
          DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
          TABLE_CASES: stack.tables.cases,
          TABLE_AUDIT: stack.tables.audit,
          TABLE_DIRECTORY: stack.tables.directory,
          TABLE_OPS: stack.tables.ops,
          PUBLIC_BASE_URL: base,
          ...env,
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run login-link (local one-time sign-in)', () => {
  it('prints a URL that signs the person in once and then never again', async () => {
    const r = await runLoginLink(['staff-zhou']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${base}/login/link/[A-Za-z0-9_-]{43}\\n$`));
    const url = r.stdout.trim();

    const b = new Browser();
    const first = await b.request(url);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/app');
    const page = await b.request(`${base}/app/_whoami`);
    expect(await page.text()).toContain('data-viewer="staff-zhou"');

    const second = await new Browser().request(url);
    expect(second.status).toBe(410);
    expect(await second.text()).toContain('data-refused="unknown"');
  });

  it('refuses production mode and unknown people, with a message and no link', async () => {
    const [production, unknown, noArgs] = await Promise.all([
      runLoginLink(['sup-wang'], { RECTIFY_MODE: 'production' }),
      runLoginLink(['nobody-0042']),
      runLoginLink([]),
    ]);
    for (const r of [production, unknown, noArgs]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(production.stderr).toContain('refused when RECTIFY_MODE=production');
    expect(unknown.stderr).toContain('no person nobody-0042 in the campus directory');
    expect(noArgs.stderr).toContain('usage: npm run --silent login-link -- <personId>');
  });

  it('is refused by the app in production mode, even with a valid token', async () => {
    const { token } = await issueLoginLink(s.deps.aws, 'sup-wang');
    const production = createApp({
      ...s.deps,
      env: parseEnv({
        ...Object.fromEntries(
          Object.entries(s.deps.env).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
        ),
        RECTIFY_MODE: 'production',
        LINK_SIGNING_KEYS: JSON.stringify(s.deps.signingKeys),
        PUBLIC_BASE_URL: 'https://rectify.example.edu.cn',
        JWKS_URL: 'https://idp.example.edu.cn/jwks',
        JWT_ISSUER: 'https://idp.example.edu.cn',
        JWT_AUDIENCE: 'rectify-api',
        OIDC_ISSUER: 'https://idp.example.edu.cn',
        OIDC_CLIENT_ID: 'rectify-web',
        OIDC_CLIENT_SECRET: 'an-oidc-client-secret',
      }),
      jwtSecret: undefined,
      publicBaseUrl: 'https://rectify.example.edu.cn',
    });
    const res = await production.request(`/login/link/${token}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('set-cookie') ?? '').not.toContain('rectify_session=');
    expect(await res.text()).toContain('data-refused="production"');
    // Not consumed: the refusal is the mode, not the link.
    const local = await app.request(`/login/link/${token}`);
    expect(local.status).toBe(302);
  });

  it('a HEAD request (a link checker) neither signs in nor spends the link', async () => {
    const { token } = await issueLoginLink(s.deps.aws, 'sup-wang');
    const head = await app.request(`/login/link/${token}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('set-cookie') ?? '').not.toContain('rectify_session=');
    const used = await app.request(`/login/link/${token}`);
    expect(used.status).toBe(302);
    expect(used.headers.get('set-cookie') ?? '').toContain('rectify_session=');
  });

  it('expires: a link past its time is refused', async () => {
    const { token } = await issueLoginLink(s.deps.aws, 'sup-wang', new Date(Date.now() - 16 * 60_000));
    const res = await app.request(`/login/link/${token}`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('data-refused="expired"');
  });
});
