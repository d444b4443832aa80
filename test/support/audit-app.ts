import type { Client } from '@temporalio/client';
import type { Hono } from 'hono';
import type { ActivityDeps } from '../../activities/index.ts';
import { createApp } from '../../api/app.ts';
import type { AppDeps } from '../../api/deps.ts';
import type { Env } from '../../infra/config.ts';

/** The app the audit routes are served in (createApp: its bearer auth and error mapping). */
export function auditTestApp(deps: AppDeps): Hono {
  return createApp(deps);
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
