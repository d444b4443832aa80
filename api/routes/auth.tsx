// Longer than most modules because the sign-in flow’s steps (start, callback, link, sign-out) share the pending-request and session handling.
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { inLang, type Bilingual, type Lang } from '../../domain/text.ts';
import { loadDirectory } from '../../store/directory.ts';
import {
  OIDC_REQUEST_SECONDS,
  consumeLoginLink,
  deleteSession,
  saveOidcRequest,
  takeOidcRequest,
} from '../../store/sessions.ts';
import type { AppDeps } from '../deps.ts';
import {
  SESSION_COOKIE,
  UNSAVED_COOKIE,
  csrfProtect,
  safeNext,
  secureCookies,
  sessionMiddleware,
  startSession,
  type WebEnv,
} from '../middleware/session.ts';
import { Layout } from '../pages/layout.tsx';

/** Holds the pending sign-in's id between leaving for the identity provider and coming back. */
export const OIDC_COOKIE = 'rectify_oidc';

const SCOPE = 'openid profile email';

/** Where sign-out ends; registered at the identity provider as the post-logout redirect URI. */
export const SIGNED_OUT_PATH = '/login?signedOut=1';

/** The identity provider's settings: the school's in production, the local provider `npm start` runs. */
function oidcSettings(deps: AppDeps) {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = deps.env;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID) return null;
  return { issuer: OIDC_ISSUER, clientId: OIDC_CLIENT_ID, clientSecret: OIDC_CLIENT_SECRET };
}

/**
 * Discovers the issuer once per process; a failed discovery (provider not up
 * yet) is retried on the next sign-in rather than remembered.
 */
function discoverer(deps: AppDeps): () => Promise<oidc.Configuration> {
  let found: Promise<oidc.Configuration> | undefined;
  return () => {
    const settings = oidcSettings(deps);
    if (!settings) return Promise.reject(new Error('OIDC_ISSUER and OIDC_CLIENT_ID are not set'));
    found ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        // Plain http only ever for the local provider: production requires an https issuer (infra/config.ts).
        settings.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        found = undefined;
        throw err;
      });
    return found;
  };
}

const t = (lang: Lang, text: Bilingual) => inLang(text, lang);

/** A page that only says something (an error, a refusal), in the shared layout. */
function messagePage(
  c: Context<WebEnv>,
  status: 400 | 403 | 404 | 410 | 502,
  title: Bilingual,
  message: Bilingual,
  kind: string,
) {
  const lang = c.get('lang');
  c.header('Cache-Control', 'no-store');
  return c.html(
    <Layout
      title={title}
      lang={lang}
      viewer={c.get('viewer')}
      csrfToken={c.get('csrfToken')}
      currentUrl="/login"
    >
      <div class="flash error" role="alert" data-refused={kind}>
        {t(lang, message)}
      </div>
      <p>
        <a class="button" href="/login">
          {t(lang, { zh: '返回登录', en: 'Back to sign-in' })}
        </a>
      </p>
    </Layout>,
    status,
  );
}

function LoginPage(props: {
  lang: Lang;
  next: string;
  configured: boolean;
  local: boolean;
  signedOut: boolean;
}) {
  const { lang } = props;
  const start = `/auth/start?next=${encodeURIComponent(props.next)}`;
  return (
    <Layout
      title={{ zh: '登录', en: 'Sign in' }}
      lang={lang}
      currentUrl={`/login?next=${encodeURIComponent(props.next)}`}
    >
      {props.signedOut && (
        <div class="flash ok" role="status">
          {t(lang, { zh: '你已退出登录。', en: 'You have signed out.' })}
        </div>
      )}
      <div class="card">
        <p>
          {t(lang, {
            zh: 'Rectify 整改闭环系统使用学校统一身份认证登录。',
            en: 'Rectify uses the school account (统一身份认证) to sign you in.',
          })}
        </p>
        {props.configured ? (
          <p>
            <a class="button" href={start} data-login="oidc">
              {t(lang, { zh: '使用学校统一身份认证登录', en: 'Sign in with the school account' })}
            </a>
          </p>
        ) : (
          <div class="flash error" role="alert">
            {t(lang, {
              zh: '尚未配置统一身份认证（OIDC_ISSUER、OIDC_CLIENT_ID）。',
              en: 'The school sign-in is not configured (OIDC_ISSUER, OIDC_CLIENT_ID).',
            })}
          </div>
        )}
        {props.local && (
          <p class="muted">
            {t(lang, {
              zh: '本地开发：也可以运行 npm run login-link -- <人员编号> 获取一次性登录链接。',
              en: 'Local development: npm run login-link -- <personId> also prints a one-time sign-in link.',
            })}
          </p>
        )}
      </div>
    </Layout>
  );
}

/** The person a verified ID token names, if the directory has them. */
async function personFor(deps: AppDeps, personId: string) {
  const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables);
  return dir?.people.find((p) => p.id === personId);
}

/** Ends whatever session the browser brought (signing in never reuses a session id: fixation). */
async function dropOldSession(c: Context<WebEnv>, deps: AppDeps) {
  const old = getCookie(c, SESSION_COOKIE);
  return old ? deleteSession(deps.aws, old) : null;
}

/**
 * Sign-in and sign-out for the web pages: OpenID Connect authorization code
 * flow with PKCE against the configured issuer (the school's, or locally the
 * provider `npm start` runs), plus one-time sign-in links in local mode.
 */
export function authRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const session = sessionMiddleware(deps);
  const configuration = discoverer(deps);
  const local = deps.env.RECTIFY_MODE !== 'production';
  const callbackUrl = new URL('/auth/callback', deps.publicBaseUrl).href;
  const signedOutUrl = new URL(SIGNED_OUT_PATH, deps.publicBaseUrl).href;
  /** The provider's RP-initiated logout URL, when it has one; it sends the browser back to our sign-in page. */
  const endSessionUrl = async (idToken: string | undefined): Promise<string | null> => {
    const config = await configuration().catch(() => null);
    if (!config?.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: signedOutUrl,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  };

  app.get('/login', session, (c) => {
    const next = safeNext(c.req.query('next'));
    if (c.get('viewer')) return c.redirect(next, 302);
    c.header('Cache-Control', 'no-store');
    return c.html(
      <LoginPage
        lang={c.get('lang')}
        next={next}
        configured={oidcSettings(deps) !== null}
        local={local}
        signedOut={c.req.query('signedOut') === '1'}
      />,
    );
  });

  app.get('/auth/start', session, async (c) => {
    const next = safeNext(c.req.query('next'));
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (err) {
      console.error('[auth] identity provider discovery failed', err);
      return messagePage(
        c,
        502,
        { zh: '无法连接统一身份认证', en: 'The school sign-in is unreachable' },
        {
          zh: '暂时无法连接学校统一身份认证服务，请稍后重试。',
          en: 'The school sign-in service cannot be reached right now; please try again later.',
        },
        'discovery',
      );
    }
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const id = await saveOidcRequest(deps.aws, { state, nonce, codeVerifier, next });
    setCookie(c, OIDC_COOKIE, id, {
      path: '/auth',
      httpOnly: true,
      secure: secureCookies(deps.publicBaseUrl),
      // Lax: the provider's redirect back is a top-level GET navigation, which carries it.
      sameSite: 'Lax',
      maxAge: OIDC_REQUEST_SECONDS,
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl,
      scope: SCOPE,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ui_locales: c.get('lang'),
    });
    return c.redirect(url.href, 302);
  });

  app.get('/auth/callback', session, async (c) => {
    const pending = await takeOidcRequest(deps.aws, getCookie(c, OIDC_COOKIE) ?? '');
    deleteCookie(c, OIDC_COOKIE, { path: '/auth' });
    if (!pending)
      return messagePage(
        c,
        400,
        { zh: '登录已过期', en: 'Sign-in expired' },
        {
          zh: '这次登录已过期或已经完成，请重新登录。',
          en: 'This sign-in has expired or was already completed; please sign in again.',
        },
        'expired',
      );
    const providerError = c.req.query('error');
    if (providerError)
      return messagePage(
        c,
        400,
        { zh: '登录未完成', en: 'Sign-in not completed' },
        {
          zh: `统一身份认证未完成登录（${providerError}）。`,
          en: `The school sign-in did not complete (${providerError}).`,
        },
        'provider',
      );
    let personId: string;
    let idToken: string | undefined;
    try {
      const config = await configuration();
      // The redirect URI the provider checks is ours as configured, whatever host the request came in on.
      const current = new URL(callbackUrl);
      current.search = new URL(c.req.url).search;
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const claimName = deps.env.OIDC_PERSON_CLAIM;
      const value = claims?.[claimName];
      if (typeof value !== 'string' || !value) throw new Error(`the ID token has no ${claimName} claim`);
      personId = value;
      idToken = tokens.id_token;
    } catch (err) {
      console.error('[auth] sign-in callback refused', err);
      return messagePage(
        c,
        400,
        { zh: '登录失败', en: 'Sign-in failed' },
        {
          zh: '统一身份认证的应答无法验证，请重新登录。',
          en: 'The answer from the school sign-in could not be verified; please sign in again.',
        },
        'callback',
      );
    }
    if (!(await personFor(deps, personId)))
      return messagePage(
        c,
        403,
        { zh: '没有使用权限', en: 'No access' },
        {
          zh: `账号 ${personId} 不在校园名录中，请联系管理员。`,
          en: `The account ${personId} is not in the campus directory; ask an administrator.`,
        },
        'not-in-directory',
      );
    await dropOldSession(c, deps);
    await startSession(c, deps, personId, 'oidc', idToken);
    return c.redirect(pending.next, 302);
  });

  app.post(
    '/logout',
    session,
    async (c, next) => {
      // Already signed out (expired, or in another tab): nothing to protect, just go to sign-in.
      if (c.get('viewer')) return next();
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.redirect('/login?signedOut=1', 303);
    },
    csrfProtect,
    async (c) => {
      const ended = await dropOldSession(c, deps);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      // Text a form kept across an expired session is not for whoever signs in next.
      deleteCookie(c, UNSAVED_COOKIE, { path: '/app' });
      // Signed in at the identity provider: sign out there too, or the next "sign in" on this
      // browser (a shared office PC) would silently be the same person again.
      const endSession = ended?.via === 'oidc' ? await endSessionUrl(ended.idToken) : null;
      return c.redirect(endSession ?? '/login?signedOut=1', 303);
    },
  );

  app.get('/login/link/:token', session, async (c) => {
    if (!local)
      return messagePage(
        c,
        404,
        { zh: '链接无效', en: 'Invalid link' },
        {
          zh: '一次性登录链接仅用于本地开发，生产环境请使用学校统一身份认证登录。',
          en: 'One-time sign-in links exist only in local development; in production sign in with the school account.',
        },
        'production',
      );
    // A link checker or preview asking HEAD must not spend the one use the person needs.
    if (c.req.method === 'HEAD') return c.body(null, 200);
    const used = await consumeLoginLink(deps.aws, c.req.param('token'));
    if (!used.ok)
      return messagePage(
        c,
        410,
        { zh: '链接已失效', en: 'Link no longer valid' },
        used.reason === 'expired'
          ? {
              zh: '这个登录链接已过期，请重新运行 npm run login-link 获取新链接。',
              en: 'This sign-in link has expired; run npm run login-link again for a new one.',
            }
          : {
              zh: '这个登录链接无效或已经用过（每个链接只能用一次）。',
              en: 'This sign-in link is unknown or already used (each link works once).',
            },
        used.reason,
      );
    if (!(await personFor(deps, used.personId)))
      return messagePage(
        c,
        403,
        { zh: '没有使用权限', en: 'No access' },
        {
          zh: `${used.personId} 不在校园名录中。`,
          en: `${used.personId} is not in the campus directory.`,
        },
        'not-in-directory',
      );
    await dropOldSession(c, deps);
    await startSession(c, deps, used.personId, 'link');
    return c.redirect('/app', 302);
  });

  return app;
}
