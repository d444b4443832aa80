import { arrivalActionHandlers } from './arrival-link-action.ts';
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from './deps.ts';
import { feedbackActionHandlers } from './feedback-link-actions.ts';
import { authenticate } from './middleware/bearer-auth.ts';
import { ProblemError, problemNotFound, problemOnError, problemResponse } from './middleware/problems.ts';
import { allowedMethods } from './allowed-methods.ts';
import { isApiPath } from './paths.ts';
import { validationHook } from './middleware/validation.ts';
import { openApiDocument } from './openapi.ts';
import { resourceRoutes } from './routes/index.ts';
import { systemRoutes } from './routes/system.tsx';
import { evidenceRoutes } from './routes/evidence.ts';
import { publicIntakeRoutes } from './routes/intake.tsx';
import { commitmentRoutes } from './routes/commitments.tsx';
import { triageRoutes } from './pages/app/triage.tsx';
import { qrRoutes } from './pages/app/qr.tsx';
import { authRoutes } from './routes/auth.tsx';
import { sessionMiddleware } from './middleware/session.ts';
import { documentPages } from './pages/page-routes.ts';
import { asErrorPage } from './pages/error-page.tsx';
import { repeatedQueryGuard } from './pages/repeated-query.tsx';
import { pageMethodGuard, refusedPageMethod } from './pages/page-methods.ts';
import { longAddressGuard } from './pages/long-address.tsx';
import { moreAppRoutes } from './pages/app/dashboard.tsx';
import { webAppRoutes } from './pages/app/routes.tsx';
import { zeroReportActionHandlers, zeroReportRoutes } from './routes/zero-report.tsx';
import { inspectionRoutes, isPhotoUpload } from './routes/inspection.tsx';
import { standardsRoutes } from './routes/standards.ts';
import { dutyPageRoutes } from './routes/duties.tsx';

const MAX_BODY_BYTES = 256 * 1024;

/** The routes an app registered with `app.openapi`: what its document describes. */
export const declaredRoutes = (app: OpenAPIHono<BlankEnv>): RouteConfig[] =>
  app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route] : []));

/** The Rectify HTTP app: the same app runs under Node locally and on Lambda. */
export function createApp(given: AppDeps): Hono {
  // Weekly acknowledgements and department follow-ups ride on the same signed links as case steps.
  const deps: AppDeps = {
    ...given,
    extraActions: {
      ...feedbackActionHandlers(given),
      ...zeroReportActionHandlers(given),
      ...arrivalActionHandlers(given),
      ...given.extraActions,
    },
  };
  const app = new OpenAPIHono<BlankEnv>({ defaultHook: validationHook });
  // A browser on a page address gets the same problem as a page; API clients keep problem+json.
  app.onError(async (err, c) => asErrorPage(c, await problemOnError(err, c)));
  // An API path that exists under other methods is a 405 naming them, not "no such route".
  let allowedAt: ((path: string) => string[]) | undefined;
  const allowed = () => (allowedAt ??= allowedMethods(declaredRoutes(app)));
  app.notFound(async (c) => {
    allowedAt ??= allowedMethods(declaredRoutes(app));
    // A page address that exists under other methods: a 405 said as a page.
    const refused = await refusedPageMethod(c, allowedAt);
    if (refused) return refused;
    const path = c.req.path;
    const allow = isApiPath(path) ? allowedAt(path) : [];
    // A trailing slash on an API path that exists without it: a read is sent there (308 keeps the
    // method); anything else is told the path to use, not that the method is refused.
    const bare = path.replace(/\/+$/, '');
    const bareAllows = isApiPath(path) && bare !== path && bare !== '' ? allowedAt(bare) : [];
    if (bareAllows.length > 0) {
      const method = c.req.method;
      if ((method === 'GET' || method === 'HEAD') && bareAllows.includes(method)) {
        const query = new URL(c.req.url).search;
        return c.redirect(`${bare}${query}`, 308);
      }
      return problemResponse(
        c,
        new ProblemError('not_found', {
          zh: `没有 ${path} 这个接口：请去掉末尾的斜杠，使用 ${bare}（见 /docs）`,
          en: `no route ${path}: drop the trailing slash and use ${bare} (see /docs)`,
        }),
      );
    }
    if (allow.length === 0) return asErrorPage(c, await problemNotFound(c));
    const res = problemResponse(
      c,
      new ProblemError('method_not_allowed', {
        zh: `${c.req.path} 不接受 ${c.req.method} 请求，只接受 ${allow.join('、')}（见 /docs）`,
        en: `${c.req.path} does not take ${c.req.method}, only ${allow.join(', ')} (see /docs)`,
      }),
    );
    res.headers.set('allow', allow.join(', '));
    return res;
  });

  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ProblemError('payload_too_large', {
        zh: `请求体不能超过 ${MAX_BODY_BYTES / 1024} KB`,
        en: `the request body must not exceed ${MAX_BODY_BYTES / 1024} KB`,
      });
    },
  });
  app.use('/actions/*', limit);
  // Evidence routes take a bearer token or a page session, so they answer before the bearer-only
  // check on /api/* below; they carry their full paths, body limits and authentication.
  app.route('/', evidenceRoutes(deps));
  // Scanned-code reports need no account: the places, the form and the tracking page answer before
  // the bearer check on /api/*, and so does the public commitments page.
  app.route('/', publicIntakeRoutes(deps));
  app.route('/', commitmentRoutes(deps));
  // The nightly zero report, inspection rounds and the 6T standards take a bearer token or the page
  // session (a phone signed in to the app reads their JSON too), so they also answer before it.
  app.use('/api/zero-reports/*', limit);
  // A round's photo upload carries a photo (10 MB) and its route sets that limit itself; the
  // inspections' JSON routes keep the general one.
  app.use('/api/inspections/*', (c, next) => (isPhotoUpload(c.req.path) ? next() : limit(c, next)));
  app.route('/', zeroReportRoutes(deps));
  app.route('/', inspectionRoutes(deps));
  app.route('/', standardsRoutes(deps));
  // Every other /api route needs a bearer token naming a person of the directory.
  app.use('/api/*', limit, authenticate(deps));

  app.route(
    '/',
    systemRoutes(deps, () => openApiDocument(deps.publicBaseUrl, declaredRoutes(app))),
  );
  // Every resource module declares full paths and is mounted the same way, at the root.
  for (const routes of resourceRoutes) app.route('/', routes(deps) as OpenAPIHono<BlankEnv>);

  // Web pages: a browser session (cookie) instead of a bearer token; /api is unchanged.
  // An address too long to open is said so before the session is read: never a trip to sign in.
  for (const path of ['/app', '/app/*', '/login']) app.use(path, longAddressGuard);
  app.use('/app', pageMethodGuard(allowed));
  app.use('/app/*', pageMethodGuard(allowed));
  app.use('/app', sessionMiddleware(deps));
  app.use('/app/*', sessionMiddleware(deps));
  // A query parameter given twice is a 400 page naming it, never read as one of its values.
  app.use('/app', repeatedQueryGuard);
  app.use('/app/*', repeatedQueryGuard);
  app.use('/logout', limit);
  app.route('/', authRoutes(deps));
  // Workbench, case list and exports, new case, case pages (viewer and CSRF checked inside).
  app.route('/app', webAppRoutes(deps));
  // Dashboard, audit and admin pages; they guard their own paths (viewer, CSRF).
  app.route('/app', moreAppRoutes(deps));
  // Reports from scanned codes waiting for triage, and the printable code sheets.
  app.route('/app', triageRoutes(deps));
  app.route('/app', qrRoutes(deps));
  // The duty calendar's pages (bearer token or page session).
  app.route('/', dutyPageRoutes(deps));
  // Pages and the evidence routes are plain Hono routes: each is declared in the document by hand.
  documentPages(app);
  return app;
}
