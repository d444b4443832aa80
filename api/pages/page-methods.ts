import type { Context, MiddlewareHandler } from 'hono';
import type { Bilingual } from '../../domain/text.ts';
import { ProblemError, problemResponse } from '../middleware/problems.ts';
import { isApiPath } from '../paths.ts';
import { asErrorPage } from './error-page.tsx';

/** What a person does at a page address, by the methods it takes: open it, send its form, or both. */
function waysIn(allow: readonly string[]): Bilingual {
  const opens = allow.includes('GET');
  const posts = allow.includes('POST');
  if (opens && posts)
    return {
      zh: '只能打开查看，或用页面上的表单提交',
      en: 'can only be opened, or sent with the form on it',
    };
  if (posts) return { zh: '只能由页面上的表单提交', en: 'can only be sent with a form on one of the pages' };
  return { zh: '只能打开查看', en: 'can only be opened' };
}

/**
 * A page address asked with a method it does not take (PUT, DELETE, PATCH on a page): a 405 said
 * to a person, as the API says it to a client, not "no such page" for an address that exists.
 * `allow` is what the page's declared routes take there (GET brings HEAD).
 */
export function pageMethodRefused(path: string, method: string, allow: readonly string[]): ProblemError {
  const ways = waysIn(allow);
  return new ProblemError('method_not_allowed', {
    zh: `${path} ${ways.zh}，不接受 ${method} 请求。请在浏览器中打开这个页面。`,
    en: `${path} ${ways.en}, not asked with ${method}. Open the page in a browser.`,
  });
}

/**
 * The 405 for a page address whose declared routes do not take the request's method (PUT, DELETE,
 * PATCH, a POST to a page with no form), or null when they do or the address is no page's:
 * `Allow` names them, and a browser gets it as a page.
 */
export async function refusedPageMethod(
  c: Context,
  allowedAt: (path: string) => string[],
): Promise<Response | null> {
  const path = c.req.path;
  // A read of a form's address (a reload, a pasted link) stays "no such page": a person did nothing wrong.
  if (isApiPath(path) || c.req.method === 'GET' || c.req.method === 'HEAD') return null;
  const allow = allowedAt(path);
  if (allow.length === 0 || allow.includes(c.req.method)) return null;
  c.header('allow', allow.join(', '));
  return asErrorPage(c, problemResponse(c, pageMethodRefused(path, c.req.method, allow)));
}

/**
 * The same, before the session middleware: its CSRF check would otherwise call a PUT on a
 * signed-in page a forgery (403) rather than a method the page does not take.
 */
export const pageMethodGuard =
  (allowedAt: () => (path: string) => string[]): MiddlewareHandler =>
  async (c, next) => {
    const refused = await refusedPageMethod(c, allowedAt());
    if (refused) return refused;
    await next();
  };
