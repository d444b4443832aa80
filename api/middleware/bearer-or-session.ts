import type { Context, MiddlewareHandler } from 'hono';
import type { Caller } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { authenticate } from './bearer-auth.ts';
import { ProblemError } from './problems.ts';
import { readForm, unreadableForm } from '../form-body.ts';
import { isApiPath } from '../paths.ts';
import { csrfMatches, sessionMiddleware, signInRedirect, type WebEnv } from './session.ts';
import { csrfRefusal } from './csrf.ts';

/** What a route that takes either kind of sign-in sees: the page session's variables and the caller. */
export type SessionOrBearerEnv = { Variables: WebEnv['Variables'] & { caller: Caller } };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * A person's browser opening a page (an emailed link, a bookmark): a read of a page address,
 * not the API, asking for HTML. Signed out, it is sent to sign in and back, as the /app pages are.
 */
const browserOpeningPage = (c: Context): boolean =>
  SAFE_METHODS.has(c.req.method) &&
  !isApiPath(c.req.path) &&
  (c.req.header('accept') ?? '').includes('text/html');

/**
 * A bearer token when one is sent, else the page session (with its CSRF token on anything but a
 * read). Signed out, a browser opening a page goes to sign in and comes back to it; anyone else
 * (the API, a script, a form post) gets 401.
 */
export function bearerOrSession(deps: AppDeps): MiddlewareHandler<SessionOrBearerEnv> {
  const bearer = authenticate(deps) as unknown as MiddlewareHandler<SessionOrBearerEnv>;
  const session = sessionMiddleware(deps) as unknown as MiddlewareHandler<SessionOrBearerEnv>;
  return async (c, next) => {
    if (c.req.header('authorization')) return bearer(c, next);
    // The session middleware does not pass on what its `next` answers: the redirect is kept here.
    let answered: Response | undefined;
    await session(c, async () => {
      const viewer = c.get('viewer');
      if (!viewer) {
        if (browserOpeningPage(c)) {
          answered = signInRedirect(c);
          return;
        }
        // A person's form posted after their session ended is told so in their words; an API
        // client is told about the header.
        throw new ProblemError(
          'unauthenticated',
          isApiPath(c.req.path) || !(c.req.header('accept') ?? '').includes('text/html')
            ? {
                zh: '请先登录，或在请求头中携带 Authorization: Bearer <令牌>',
                en: 'sign in first, or send Authorization: Bearer <token>',
              }
            : {
                zh: '登录已过期或尚未登录，本次提交没有保存。请重新登录，再打开页面重新填写并提交。',
                en: 'You are signed out (the session ended), so this was not saved. Sign in again, then open the page and submit it again.',
              },
        );
      }
      if (!SAFE_METHODS.has(c.req.method)) {
        let given = c.req.header('x-csrf-token');
        if (
          !given &&
          /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(
            c.req.header('content-type') ?? '',
          )
        ) {
          const form = await readForm(c);
          if (form === undefined) throw new ProblemError('validation', unreadableForm);
          const field = form._csrf;
          given = typeof field === 'string' ? field : undefined;
        }
        if (!csrfMatches(c.get('csrfToken'), given)) {
          // A page's form (a page left open past its session's token) is answered as every page
          // form is; a script calling the API is told about the header.
          if (!isApiPath(c.req.path)) {
            answered = await csrfRefusal(c as unknown as Context<WebEnv>);
            return;
          }
          throw new ProblemError('forbidden', {
            zh: '缺少或不匹配的 CSRF 令牌（页面脚本须带请求头 X-CSRF-Token）；请刷新页面后重试',
            en: 'missing or wrong CSRF token (page scripts send the X-CSRF-Token header); reload the page and try again',
          });
        }
      }
      c.set('caller', viewer);
      await next();
    });
    return answered;
  };
}
