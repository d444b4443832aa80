import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { inLang, type Bilingual } from '../../domain/text.ts';
import { readForm, unreadableForm } from '../form-body.ts';
import { Layout } from '../pages/layout.tsx';
import type { WebEnv } from './session.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Constant-time comparison of a submitted token with the session's; an empty token never matches. */
export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Refuses any state-changing request that doesn't carry the session's CSRF
 * token, as form field `_csrf` or header `X-CSRF-Token`, with a 403 page.
 * Runs after `sessionMiddleware`; a request without a session has no token
 * and is refused too (the page it came from is gone).
 */
export const csrfProtect: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  let given = c.req.header('x-csrf-token');
  if (!given && FORM_TYPES.test(c.req.header('content-type') ?? '')) {
    // parseBody caches the parsed body on the request, so the route can read it again.
    const body = await readForm(c);
    // A form cut off in transit is not a forged one: say what happened, not "expired".
    if (body === undefined) return refusal(c, 400, 'unreadable', unreadableForm);
    const field = body._csrf;
    given = typeof field === 'string' ? field : undefined;
  }
  if (csrfMatches(c.get('csrfToken'), given)) return next();
  return csrfRefusal(c);
};

/** The page answering a form that does not carry the session's CSRF token (a page left open too long). */
export const csrfRefusal = (c: Context<WebEnv>): Response | Promise<Response> =>
  refusal(c, 403, 'csrf', {
    zh: '表单已过期或不是从本系统页面提交的。请返回上一页，刷新后重试；如已退出登录，请重新登录。',
    en: 'The form has expired or was not sent from a Rectify page. Go back, reload the page and try again; if you were signed out, sign in again.',
  });

function refusal(c: Context<WebEnv>, status: 400 | 403, why: string, text: Bilingual) {
  const lang = c.get('lang');
  c.header('Cache-Control', 'no-store');
  return c.html(
    Layout({
      title: { zh: '请求已拒绝', en: 'Request refused' },
      lang,
      viewer: c.get('viewer'),
      csrfToken: c.get('csrfToken'),
      currentUrl: '/app',
      children: html`<div class="flash error" role="alert" data-refused="${why}">${inLang(text, lang)}</div>
        <p><a href="/app">${inLang({ zh: '返回工作台', en: 'Back to the workbench' }, lang)}</a></p>`,
    }),
    status,
  );
}
