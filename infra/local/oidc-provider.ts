// Longer than most modules because the local identity provider’s configuration, accounts and sign-in page are one small server.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Account, Adapter, AdapterPayload, KoaContext, Provider as ProviderType } from 'oidc-provider';
import type { Person, Role } from '../../domain/directory.ts';
import type { RunningServer } from './servers.ts';

/**
 * The local stand-in for the school's identity provider (统一身份认证): a real
 * OpenID Connect provider (`oidc-provider`), so the app signs in locally by
 * the same discovery + authorization code + PKCE path it uses in production.
 * Its accounts are the loaded directory's people, and its sign-in page lets
 * you pick one without a password: it exists only on a developer's machine.
 */

export const LOCAL_OIDC_CLIENT_ID = 'rectify-local';

/** Keys generated once per data folder, so sessions at the provider and issued tokens survive restarts. */
export interface LocalOidcSecrets {
  clientSecret: string;
  signingKey: Record<string, unknown>;
  cookieKeys: string[];
}

export function localOidcSecrets(dataDir: string): LocalOidcSecrets {
  const file = path.join(dataDir, 'oidc-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalOidcSecrets;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secrets: LocalOidcSecrets = {
    clientSecret: randomBytes(32).toString('base64url'),
    signingKey: {
      ...privateKey.export({ format: 'jwk' }),
      kid: `local-${randomBytes(6).toString('hex')}`,
      alg: 'RS256',
      use: 'sig',
    },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': when two processes race to create it, the first one's keys win for both.
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return JSON.parse(readFileSync(file, 'utf8')) as LocalOidcSecrets;
  }
  return secrets;
}

/** The issuer URL for a port, on the host the app is reached at (a phone on the LAN must reach both). */
export function localIssuer(publicBaseUrl: string, port: number): string {
  const base = new URL(publicBaseUrl);
  return `${base.protocol}//${base.hostname}:${port}`;
}

/**
 * The provider's state (interactions, codes, its own sessions) in memory: a
 * restart only means picking the person again. Written here rather than using
 * the package's quick-start adapter, which warns on every start.
 */
function memoryAdapterClass() {
  const rows = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (k: string) => {
    const row = rows.get(k);
    if (row && row.expiresAt <= Date.now()) rows.delete(k);
    return rows.get(k)?.payload;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private k(id: string) {
      return `${this.model}:${id}`;
    }
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      rows.set(this.k(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      return Promise.resolve();
    }
    find(id: string) {
      return Promise.resolve(live(this.k(id)));
    }
    findByUid(uid: string) {
      return Promise.resolve(
        [...rows.keys()]
          .filter((k) => k.startsWith(`${this.model}:`))
          .map(live)
          .find((p) => p?.uid === uid),
      );
    }
    findByUserCode(userCode: string) {
      return Promise.resolve(
        [...rows.keys()]
          .filter((k) => k.startsWith(`${this.model}:`))
          .map(live)
          .find((p) => p?.userCode === userCode),
      );
    }
    consume(id: string): Promise<void> {
      const p = live(this.k(id));
      if (p) p.consumed = Math.floor(Date.now() / 1000);
      return Promise.resolve();
    }
    destroy(id: string): Promise<void> {
      rows.delete(this.k(id));
      return Promise.resolve();
    }
    revokeByGrantId(grantId: string): Promise<void> {
      for (const [k, row] of rows) if (row.payload.grantId === grantId) rows.delete(k);
      return Promise.resolve();
    }
  };
}

/**
 * oidc-provider 9 asks for Node 22 at import; it runs on the Node 20 these
 * machines have (the stack test signs in through it), so that one line is kept
 * out of the terminal and every other warning still shows.
 */
async function importProvider(): Promise<typeof ProviderType> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return (await import('oidc-provider')).default;
  } finally {
    console.warn = warn;
  }
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

const roleLabels: Record<Role, string> = {
  supervisor: '主管 Supervisors',
  staff: '员工 Staff',
  grid_member: '网格员 Grid members',
  auditor: '审计人员 Auditors',
  admin: '管理员 Admins',
  leadership: '校领导 Leadership',
  working_group: '工作小组 Working group',
  department_contact: '院系联系人 Department contacts',
};

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><style>
body{margin:0;font:16px/1.55 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;color:#1b1f24;background:#f5f6f8}
main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d0d5dc;border-radius:.5rem}
h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin:1rem 0 .25rem}
select,button{font:inherit;min-height:44px;width:100%}select{padding:.5rem;border:1px solid #6b7280;border-radius:.375rem}
button{margin-top:1rem;background:#0b57a4;color:#fff;border:0;border-radius:.375rem;font-weight:600}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}.note{color:#4b5563;font-size:.9rem}.error{color:#b91c1c}
</style></head><body><main>${body}</main></body></html>`;
}

/** The local sign-in form: pick a directory person (no password, local only). */
export function loginPage(uid: string, people: Person[], error?: string): string {
  const groups = new Map<Role, Person[]>();
  for (const p of people) {
    const role = p.roles[0];
    if (role) groups.set(role, [...(groups.get(role) ?? []), p]);
  }
  const options = [...groups]
    .map(
      ([role, ps]) =>
        `<optgroup label="${escape(roleLabels[role])}">${ps
          .map((p) => `<option value="${escape(p.id)}">${escape(`${p.name} (${p.id})`)}</option>`)
          .join('')}</optgroup>`,
    )
    .join('');
  return page(
    '本地统一身份认证 Local sign-in',
    `<h1>本地统一身份认证<br><span lang="en">Local school sign-in</span></h1>
<p class="note">仅用于本地开发：选择校园名录中的一个人登录，无需密码。<br><span lang="en">Local development only: sign in as any person of the campus directory, no password.</span></p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="personId">人员 / Person</label>
<select id="personId" name="personId" required>${options}</select>
<button type="submit">登录 / Sign in</button>
</form>`,
  );
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export interface LocalOidcOptions {
  port: number;
  /** Where it listens; every interface by default, like the API, so phones on the LAN can sign in. */
  host?: string;
  issuer: string;
  /** The app's callback URL(s), e.g. `${PUBLIC_BASE_URL}/auth/callback`. */
  redirectUris: string[];
  secrets: LocalOidcSecrets;
  /** The people who may sign in: the directory as loaded now. */
  people: () => Promise<Person[]>;
  track?: (server: RunningServer) => void;
}

/** Starts the local identity provider; resolves once it answers discovery. */
export async function startLocalOidcProvider(opts: LocalOidcOptions): Promise<RunningServer> {
  const Provider = await importProvider();
  const findPerson = async (id: string) => (await opts.people()).find((p) => p.id === id);
  const provider = new Provider(opts.issuer, {
    adapter: memoryAdapterClass(),
    clients: [
      {
        client_id: LOCAL_OIDC_CLIENT_ID,
        client_secret: opts.secrets.clientSecret,
        redirect_uris: opts.redirectUris,
        // The app signs out here too and is sent back to its sign-in page.
        post_logout_redirect_uris: opts.redirectUris.map((u) => new URL('/login?signedOut=1', u).href),
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [opts.secrets.signingKey] },
    cookies: { keys: opts.secrets.cookieKeys },
    scopes: ['openid', 'profile', 'email'],
    claims: { openid: ['sub'], profile: ['name', 'locale'], email: ['email'] },
    async findAccount(_ctx, sub): Promise<Account | undefined> {
      const person = await findPerson(sub);
      if (!person) return undefined;
      return {
        accountId: person.id,
        claims: () => ({ sub: person.id, name: person.name, email: person.email, locale: person.language }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The provider asks before ending its session; the page says so in both languages and,
        // with JavaScript, answers yes at once (the app's sign-out button was the question).
        logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = page(
            '退出登录 Sign out',
            `<h1>退出统一身份认证<br><span lang="en">Sign out of the school account</span></h1>
${form}
<button id="yes" type="submit" form="op.logoutForm" name="logout" value="yes">退出 / Sign out</button>
<script>document.getElementById('yes').click()</script>`,
          );
          return Promise.resolve();
        },
      },
    },
    pkce: { required: () => true },
    // Short-lived artefacts, like a school provider's; the app keeps its own session after sign-in.
    ttl: {
      Interaction: 3600,
      Session: 12 * 3600,
      Grant: 12 * 3600,
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
    },
    // The app is this provider's only, first-party client: no consent screen, as at the school.
    async loadExistingGrant(ctx: KoaContext) {
      const { client, session, result, provider: p } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return p.Grant.find(existing);
      const grant = new p.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page(
        '登录出错 Sign-in error',
        `<h1>登录出错 <span lang="en">Sign-in error</span></h1><pre>${escape(
          Object.entries(out)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
        )}</pre><p><a href="${escape(opts.redirectUris[0]?.replace(/\/auth\/callback$/, '/login') ?? '/')}">重新登录 / Sign in again</a></p>`,
      );
    },
  });
  const oidc = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action?: string) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method === 'GET' && !action) return html(200, loginPage(uid, await opts.people()));
    if (req.method === 'POST' && action === 'login') {
      const personId = (await formBody(req)).get('personId')?.trim() ?? '';
      if (!(await findPerson(personId)))
        return html(
          400,
          loginPage(
            uid,
            await opts.people(),
            `名录中没有 ${personId || '（空）'} / ${personId || '(empty)'} is not in the directory`,
          ),
        );
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: personId } },
        {
          mergeWithLastSubmission: false,
        },
      );
    }
    html(404, page('Not found', '<h1>Not found</h1>'));
  };

  const server = createServer((req, res) => {
    const m = /^\/interaction\/([\w-]+)(?:\/(\w+))?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!m?.[1]) return oidc(req, res);
    interaction(req, res, m[1], m[2]).catch((err: unknown) => {
      // An expired or unknown interaction: the app's sign-in page starts a fresh one.
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          page(
            '登录已过期 Sign-in expired',
            `<h1>登录已过期 <span lang="en">Sign-in expired</span></h1><p>${escape(
              err instanceof Error ? err.message : String(err),
            )}</p><p>请回到系统重新登录。<span lang="en">Go back to Rectify and sign in again.</span></p>`,
          ),
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  const running: RunningServer = {
    name: 'oidc',
    url: opts.issuer,
    stop: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
  opts.track?.(running);
  return running;
}
