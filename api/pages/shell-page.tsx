import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Bilingual, Lang } from '../../domain/text.ts';
import type { SessionOrBearerEnv } from '../middleware/bearer-or-session.ts';
import { Layout } from './layout.tsx';

/**
 * Renders a page of a route that takes a bearer token or the page session (the zero report, the
 * duties) inside the app's one shell. Opened in a signed-in browser it carries the menu for the
 * viewer's roles and the sign-out form, as every /app page does; opened with a bearer token there
 * is no session to sign out of, so the shell comes without the menu and sign-out.
 */
export function shellPage(
  c: Context,
  props: {
    title: Bilingual | string;
    lang: Lang;
    status?: ContentfulStatusCode;
    /** A refused form: the page's title says so first (Layout `error`). */
    error?: boolean | undefined;
    children?: Child;
  },
) {
  // The session middleware sets these only when it ran (no bearer token); they are absent otherwise.
  const vars = c as unknown as Context<SessionOrBearerEnv>;
  const url = new URL(c.req.url);
  // A person's own reports and duties: not for a shared cache, nor for the back button to show stale.
  c.header('Cache-Control', 'no-store');
  return c.html(
    <Layout
      title={props.title}
      lang={props.lang}
      viewer={vars.get('viewer')}
      csrfToken={vars.get('csrfToken')}
      navHidden={vars.get('navHidden')}
      currentUrl={`${url.pathname}${url.search}`}
      error={props.error}
    >
      {props.children}
    </Layout>,
    props.status ?? 200,
  );
}
