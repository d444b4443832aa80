import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { actionRoutes } from './actions.ts';
import { authenticate, type AuthEnv } from './auth.ts';
import { caseRoutes } from './cases.ts';
import type { AppDeps } from './deps.ts';
import { directoryRoutes } from './directory-routes.ts';
import { docsPage } from './docs-page.ts';
import { toProblem } from './errors.ts';
import { healthReport } from './health.ts';
import { openApiDocument } from './openapi.ts';
import { ProblemError, problemResponse } from './problems.ts';
import { reportLinkRoutes } from './report-links.ts';
import { auditRoutes } from './routes/audit.ts';
import { feedbackActionHandlers } from './routes/feedback-actions.ts';
import { reportRoutes } from './routes/reports.ts';
import { zeroReportActionHandlers, zeroReportRoutes } from './routes/zero-report.tsx';
import { inspectionRoutes } from './routes/inspection.tsx';
import { standardsRoutes } from './routes/standards.ts';

const MAX_BODY_BYTES = 256 * 1024;

/** The Rectify HTTP app: the same app runs under Node locally and on Lambda. */
export function createApp(given: AppDeps): Hono {
  // Weekly acknowledgements and department follow-ups ride on the same signed links as case steps.
  const deps: AppDeps = {
    ...given,
    extraActions: {
      ...feedbackActionHandlers(given),
      ...zeroReportActionHandlers(given),
      ...given.extraActions,
    },
  };
  const app = new Hono();

  app.onError((err, c) => {
    const problem = toProblem(err);
    if (problem) return problemResponse(c, problem);
    console.error(`[api] ${c.req.method} ${c.req.path} failed`, err);
    return problemResponse(
      c,
      new ProblemError('internal', {
        zh: '服务器内部错误，已记录；请稍后重试',
        en: 'internal error; it was logged, please try again later',
      }),
    );
  });
  app.notFound((c) =>
    problemResponse(
      c,
      new ProblemError('not_found', {
        zh: `没有 ${c.req.method} ${c.req.path} 这个接口（见 /docs）`,
        en: `no route ${c.req.method} ${c.req.path} (see /docs)`,
      }),
    ),
  );

  app.get('/health', async (c) => {
    const report = await healthReport(deps);
    return c.json(report, report.ok ? 200 : 503);
  });
  app.get('/openapi.json', (c) => c.json(openApiDocument(deps.publicBaseUrl)));
  app.get('/docs', (c) => c.html(docsPage()));

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
  app.route('/actions', actionRoutes(deps));
  app.route('/reports', reportLinkRoutes(deps));

  const api = new Hono<AuthEnv>();
  api.use('*', limit, authenticate(deps));
  api.route('/cases', caseRoutes(deps));
  api.route('/directory', directoryRoutes(deps));
  app.route('/api', api);
  // Audit and report routes carry their full paths and authenticate themselves.
  app.route('/', auditRoutes(deps));
  app.route('/', reportRoutes(deps));
  app.route('/', zeroReportRoutes(deps));
  app.route('/', inspectionRoutes(deps));
  app.route('/', standardsRoutes());
  return app;
}
