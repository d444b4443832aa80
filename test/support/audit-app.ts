import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import type { ActivityDeps } from '../../activities/index.ts';
import type { AppDeps } from '../../api/deps.ts';
import { ProblemError, problemResponse } from '../../api/problems.ts';
import { auditRoutes } from '../../api/routes/audit.ts';
import type { Env } from '../../infra/config.ts';

/**
 * The audit sub-app mounted the way api/app.ts mounts it (at the root), with
 * the app's error mapping: ProblemError → problem+json, anything else → a
 * generic 500 problem. For route tests until the lead wires it into createApp.
 */
export function auditTestApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err);
    console.error(err);
    return problemResponse(c, new ProblemError('internal', 'unexpected error'));
  });
  app.route('/', auditRoutes(deps));
  return app;
}

/** AppDeps over the test stack's tables and a Temporal client (e.g. a time-skipping env's). */
export function auditAppDeps(env: Env, activityDeps: ActivityDeps, temporal: Client): AppDeps {
  return {
    env,
    aws: activityDeps,
    temporal,
    signingKeys: activityDeps.signingKeys,
    jwtSecret: env.JWT_SECRET,
    publicBaseUrl: activityDeps.publicBaseUrl,
    temporalUiUrl: 'http://temporal-ui.test',
  };
}
