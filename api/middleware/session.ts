import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { langFromAcceptLanguage } from './problems.ts';
import { chooseLanguage, isLang } from './language.ts';
import type { Lang } from '../../domain/text.ts';
import { loadDirectory } from '../../store/directory.ts';
import {
  SESSION_ABSOLUTE_SECONDS,
  createSession,
  findSession,
  type Session,
  type SessionRecord,
} from '../../store/sessions.ts';
import type { Directory, Person } from '../../domain/directory.ts';
import type { Caller } from '../auth.ts';
import { opensSomewhere, triageBuildings } from './access.ts';
import type { AppDeps } from '../deps.ts';

export { csrfProtect, csrfMatches } from './csrf.ts';

/** What the web pages get from the session: who is signed in, their form token, their language. */
export type WebEnv = {
  Variables: {
    viewer: Caller | null;
    csrfToken: string;
    lang: Lang;
    /** Menu items of the viewer's roles that their place in the directory does not open. */
    navHidden?: readonly string[];
    /** Whose session the browser's cookie named when it had just ended: their unsaved form is theirs. */
    lapsedPersonId?: string;
  };
};

export const SESSION_COOKIE = 'rectify_session';
export const LANG_COOKIE = 'rectify_lang';

/** Cookies go over https only when the app is served over https (locally it is plain http). */
export const secureCookies = (publicBaseUrl: string): boolean => publicBaseUrl.startsWith('https:');

export interface CookieOptions {
  path: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'Lax';
  maxAge?: number;
}

/**
 * The session cookie: HttpOnly so page scripts can't read it, SameSite=Lax so
 * other sites' forms don't carry it on a POST (the CSRF token is the second
 * lock), lasting as long as the absolute session limit; the server decides expiry.
 */
export const sessionCookieOptions = (publicBaseUrl: string): CookieOptions => ({
  path: '/',
  httpOnly: true,
  secure: secureCookies(publicBaseUrl),
  sameSite: 'Lax',
  maxAge: SESSION_ABSOLUTE_SECONDS,
});

// The pages and the API pick a language from Accept-Language alike (problems.ts).
export { langFromAcceptLanguage };

/**
 * `?lang=` (remembered in a cookie), else the remembered choice, else the browser's, else the
 * signed-in person's directory language, else zh-CN: the API's rule (language.ts), with the
 * page's remembered choice counted as asked.
 */
export function pickLang(c: Context, publicBaseUrl: string, person?: Pick<Person, 'language'> | null): Lang {
  const asked = c.req.query('lang');
  if (isLang(asked)) {
    setCookie(c, LANG_COOKIE, asked, {
      path: '/',
      httpOnly: true,
      secure: secureCookies(publicBaseUrl),
      sameSite: 'Lax',
      maxAge: 365 * 24 * 3600,
    });
    return asked;
  }
  return chooseLanguage(getCookie(c, LANG_COOKIE), c.req.header('accept-language'), person);
}

/** The directory person behind a session, as the same Caller the bearer-token API uses. */
async function viewerOf(
  deps: AppDeps,
  session: Pick<SessionRecord, 'personId'>,
): Promise<{ viewer: Caller; dir: Directory } | null> {
  const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables);
  const person = dir?.people.find((p) => p.id === session.personId);
  // Someone removed from the directory loses access with their next request.
  return dir && person
    ? { viewer: { person, actor: { id: person.id, roles: person.roles, via: 'api' } }, dir }
    : null;
}

/**
 * The menu's pages a role would show but the person's place does not open: triage for a floor or
 * room grid member (only a building's level-1 members triage), a new case for someone whose grid
 * covers no place. A link that answers 403 is not offered.
 */
function hiddenNav(viewer: Caller, dir: Directory): string[] {
  return [
    ...(triageBuildings(viewer, dir).length === 0 ? ['/app/triage'] : []),
    ...(opensSomewhere(viewer, dir) ? [] : ['/app/cases/new']),
  ];
}

/**
 * Reads the session cookie and sets `viewer`, `csrfToken` and `lang`. Never
 * refuses: pages that need a person add `requireViewer`. Safe to apply twice
 * (the app and a sub-app may both mount it).
 */
export function sessionMiddleware(deps: AppDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.get('lang') !== undefined) return next();
    c.set('lang', pickLang(c, deps.publicBaseUrl));
    const id = getCookie(c, SESSION_COOKIE) ?? '';
    const session = id
      ? await findSession(deps.aws, id, new Date(), (personId) => c.set('lapsedPersonId', personId))
      : null;
    const found = session ? await viewerOf(deps, session) : null;
    const viewer = found?.viewer ?? null;
    // Only now is it known whose directory language to fall back on (an asked one was taken above).
    if (viewer && !isLang(c.req.query('lang'))) c.set('lang', pickLang(c, deps.publicBaseUrl, viewer.person));
    c.set('navHidden', found ? hiddenNav(found.viewer, found.dir) : []);
    // A cookie naming no live session is dropped; one whose person left the directory is kept
    // (an import may bring them back) but opens nothing.
    if (id && !session) deleteCookie(c, SESSION_COOKIE, { path: '/' });
    c.set('viewer', viewer);
    c.set('csrfToken', viewer && session ? session.csrfToken : '');
    await next();
  };
}

/** Signs a person in on this response: a fresh session (never one the browser brought) and its cookie. */
export async function startSession(
  c: Context,
  deps: AppDeps,
  personId: string,
  via: SessionRecord['via'],
  idToken?: string,
): Promise<Session> {
  const session = await createSession(deps.aws, { personId, via, idToken });
  setCookie(c, SESSION_COOKIE, session.id, sessionCookieOptions(deps.publicBaseUrl));
  return session;
}

/**
 * The longest page address (path and query, as sent) a page answers; a longer one is refused as too
 * long (api/pages/long-address.tsx), never sent to sign in. Sign-in carries the address in its own
 * (`/login?next=…`, longer once encoded), and that must stay within what proxies (8 KB) and Node
 * (16 KB with the cookies) take. No page's query comes near it: a search is 200 characters.
 */
export const MAX_PAGE_ADDRESS = 8000;

/** A request's path and query as it was sent (percent-encoded), what MAX_PAGE_ADDRESS bounds. */
export const pageAddress = (url: string): string => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** A path on this site to come back to after sign-in; anything else (other hosts, `//x`) becomes /app. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/app';
  // An address too long to be opened would only come back refused: its page without the query.
  if (next.length > MAX_PAGE_ADDRESS) {
    const path = next.split(/[?#]/, 1)[0]!;
    return path.length > MAX_PAGE_ADDRESS ? '/app' : path;
  }
  // Control characters could split a header or smuggle a scheme past browsers' URL parsing.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/app';
  return next;
}

/** Pages for signed-in people only: anyone else goes to sign in and comes back here after. */
export const requireViewer: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.get('viewer')) {
    if (!SAFE_METHODS.has(c.req.method)) await keepUnsaved(c);
    return signInRedirect(c);
  }
  await next();
};

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The query flag a page reads to say that the form sent before sign-in was not saved. */
export const UNSAVED_PARAM = 'unsaved';
/** What a form sent while signed out said, kept for the page it came from to show again. */
export const UNSAVED_COOKIE = 'rectify_unsaved';
// Small forms only (a step's text, not its photos), and not for long: the browser may be shared.
const UNSAVED_MAX_BODY = 16 * 1024;
const UNSAVED_MAX_COOKIE = 3800;
export const UNSAVED_SECONDS = 30 * 60;

/**
 * Keeps the text fields of a form posted while signed out in a short-lived HttpOnly cookie, so
 * its page can offer them again after sign-in. A large form (photos) is not kept.
 */
async function keepUnsaved(c: Context): Promise<void> {
  // Only a form this site's own page sent: another site posting to a signed-out browser must
  // not plant text that the person's form then shows as theirs after sign-in.
  if (!sameOriginPost(c)) return;
  const type = c.req.header('content-type') ?? '';
  const length = Number(c.req.header('content-length') ?? 'NaN');
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return;
  if (!Number.isFinite(length) || length > UNSAVED_MAX_BODY) return;
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    return;
  }
  const values = Object.fromEntries(
    Object.entries(body).filter(
      (e): e is [string, string] =>
        typeof e[1] === 'string' && !e[0].startsWith('_') && e[0] !== 'idempotencyKey',
    ),
  );
  // Whose it was, where the ended session tells: another person signing in on this browser is not shown it.
  const who: unknown = c.get('lapsedPersonId');
  const raw = Buffer.from(
    JSON.stringify({ action: c.req.path, values, ...(typeof who === 'string' ? { who } : {}) }),
    'utf8',
  ).toString('base64url');
  if (raw.length > UNSAVED_MAX_COOKIE) return;
  setCookie(c, UNSAVED_COOKIE, raw, {
    path: '/app',
    httpOnly: true,
    // Behind a TLS-ending proxy the request itself is plain http.
    secure: new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
    sameSite: 'Lax',
    maxAge: UNSAVED_SECONDS,
  });
}

/** The browser says the form came from this site: Sec-Fetch-Site, else an Origin of this host. */
export function sameOriginPost(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = c.req.header('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host === new URL(c.req.url).host || new URL(origin).host === c.req.header('host');
  } catch {
    return false;
  }
}

/**
 * The page a form posted to `path` lives on: a case's step form is on the case page, the new-case
 * form on its own address; anything else on the page the browser says it came from (this site's
 * /app pages only), else the workbench. Never the POST's own address, which has no page.
 */
export function formPageOf(path: string, referer: string | undefined, origin: string): string {
  const step = /^(\/app\/cases\/[^/]+)\/[^/]+$/.exec(path);
  if (path === '/app/cases/new') return path;
  if (step?.[1] && step[1] !== '/app/cases/new') return step[1];
  try {
    const from = referer ? new URL(referer) : null;
    if (from && from.origin === origin && from.pathname.startsWith('/app')) {
      from.searchParams.delete(UNSAVED_PARAM);
      return `${from.pathname}${from.search}`;
    }
  } catch {
    // An unreadable Referer: the workbench.
  }
  return '/app';
}

/**
 * To sign in, and back to this page (its path and query) after. A form posted while signed out
 * comes back to the page it lives on, flagged so that page says the submission was not saved.
 */
export function signInRedirect(c: Context): Response {
  const url = new URL(c.req.url);
  let back = `${url.pathname}${url.search}`;
  if (!SAFE_METHODS.has(c.req.method)) {
    const form = new URL(formPageOf(url.pathname, c.req.header('referer'), url.origin), url.origin);
    form.searchParams.set(UNSAVED_PARAM, '1');
    back = `${form.pathname}${form.search}`;
  }
  const login = `/login?next=${encodeURIComponent(safeNext(back))}`;
  // Encoded, a long address can take sign-in's own past the limit: then back to its page alone.
  if (login.length <= MAX_PAGE_ADDRESS) return c.redirect(login, 302);
  return c.redirect(`/login?next=${encodeURIComponent(safeNext(url.pathname))}`, 302);
}

/**
 * A page's language as the /app pages pick it (`?lang=`, remembered in their cookie; the
 * remembered choice; the browser's), so a person who switched /app to English reads these pages
 * in English too. Only when none of those names one of ours does the person's directory setting
 * decide: a script with a bearer token sends no cookie and often no Accept-Language.
 * (The zero-report, inspection and duty pages, which take a bearer token too.)
 */
export function pageLanguage(c: Context, publicBaseUrl: string, person: Pick<Person, 'language'>): Lang {
  return pickLang(c, publicBaseUrl, person);
}
