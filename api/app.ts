import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from './deps.ts';
import { feedbackActionHandlers } from './feedback-link-actions.ts';
import { authenticate } from './middleware/bearer-auth.ts';
import { ProblemError, problemNotFound, problemOnError } from './middleware/problems.ts';
import { validationHook } from './middleware/validation.ts';
import { openApiDocument } from './openapi.ts';
import { resourceRoutes } from './routes/index.ts';
import { systemRoutes } from './routes/system.tsx';

const MAX_BODY_BYTES = 256 * 1024;

/** The routes an app registered with `app.openapi`: what its document describes. */
export const declaredRoutes = (app: OpenAPIHono<BlankEnv>): RouteConfig[] =>
  app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route] : []));

/** The Rectify HTTP app: the same app runs under Node locally and on Lambda. */
export function createApp(given: AppDeps): Hono {
  // Weekly acknowledgements and department follow-ups ride on the same signed links as case steps.
  const deps: AppDeps = {
    ...given,
    extraActions: { ...feedbackActionHandlers(given), ...given.extraActions },
  };
  const app = new OpenAPIHono<BlankEnv>({ defaultHook: validationHook });
  app.onError(problemOnError);
  app.notFound(problemNotFound);

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
  // Every /api route needs a bearer token naming a person of the directory; the rest are public.
  app.use('/api/*', limit, authenticate(deps));

  app.route(
    '/',
    systemRoutes(deps, () => openApiDocument(deps.publicBaseUrl, declaredRoutes(app))),
  );
  // Every resource module declares full paths and is mounted the same way, at the root.
  for (const routes of resourceRoutes) app.route('/', routes(deps) as OpenAPIHono<BlankEnv>);
  return app;
}
