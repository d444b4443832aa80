import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { callerLanguage, type Lang } from '../middleware/problems.ts';
import { wantsPage } from '../paths.ts';
import type { Caller } from '../auth.ts';
import { Layout } from './layout.tsx';

/** The page session's viewer, as the session middleware set it (absent for bearer callers and signed-out ones). */
function isCaller(v: unknown): v is Caller {
  if (typeof v !== 'object' || v === null || !('person' in v)) return false;
  const person: unknown = v.person;
  return typeof person === 'object' && person !== null && 'roles' in person && Array.isArray(person.roles);
}

/**
 * The app's problem answer as a page when a browser asked for one: the same status, title
 * and message (already in the caller's language) inside the site's frame, with a way on.
 */
export async function asErrorPage(c: Context, res: Response): Promise<Response> {
  if (
    !wantsPage(c.req.path, c.req.header('accept')) ||
    !(res.headers.get('content-type') ?? '').includes('problem+json')
  )
    return res;
  const p = (await res.clone().json()) as {
    title: string;
    detail: string;
    status: number;
    errors?: { field: string; message: string }[];
  };
  // The site's own choice (?lang, the cookie) where the page middleware ran; else the browser's.
  const chosen: unknown = c.get('lang');
  const lang: Lang = chosen === 'en' || chosen === 'zh-CN' ? chosen : callerLanguage(c);
  // A signed-in person keeps the app's menu and sign-out on an error page too.
  const seen: unknown = c.get('viewer');
  const viewer = isCaller(seen) ? seen : null;
  const csrf: unknown = c.get('csrfToken');
  // Reporters on the public pages have no app to go back to.
  const publicPath = /^\/(r|t)(\/|$)/.test(c.req.path);
  c.header('cache-control', 'no-store');
  return c.html(
    <Layout
      title={{ zh: p.title, en: p.title }}
      lang={lang}
      currentUrl={c.req.path}
      viewer={viewer}
      csrfToken={viewer && typeof csrf === 'string' && csrf !== '' ? csrf : undefined}
      error
    >
      {/* Where the keyboard lands, as on every page that answers with an error (ui.tsx Flash). */}
      <div
        tabindex={-1}
        autofocus
        data-error-summary
        class="flash error"
        role="alert"
        data-problem-status={String(p.status)}
      >
        <p style="margin:0">{p.detail}</p>
        {(p.errors ?? []).length > 0 && (
          <ul style="margin:.25rem 0 0">
            {(p.errors ?? []).map((e) => (
              <li>
                <code>{e.field}</code> {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {!publicPath && (
        <p>
          {p.status === 401 ? (
            // Back to the page the form was on, once signed in.
            <a href={`/login?next=${encodeURIComponent(c.req.path)}`}>{lang === 'en' ? 'Sign in' : '登录'}</a>
          ) : (
            <a href="/app">{lang === 'en' ? 'Back to the app' : '返回工作台'}</a>
          )}
        </p>
      )}
    </Layout>,
    p.status as ContentfulStatusCode,
  );
}
