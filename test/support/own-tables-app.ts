import { Client, Connection } from '@temporalio/client';
import type { Hono } from 'hono';
import { afterAll, beforeAll, inject } from 'vitest';
import type { ActivityDeps } from '../../activities/index.ts';
import { createApp } from '../../api/app.ts';
import type { Env } from '../../infra/config.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { auditAppDeps } from './audit-app.ts';
import { ownTables, testDeps, testEnv, uniqueId } from './stack.ts';

export interface OwnTablesApp {
  env: Env;
  deps: ActivityDeps;
  /** The app, once the file's beforeAll has run. */
  readonly app: Hono;
}

/**
 * The app over a test file's own tables (created empty, no directory in them) and a client of the
 * test dev server, set up and closed by the file's own beforeAll and afterAll.
 */
export function appOnOwnTables(name: string): OwnTablesApp {
  const env = testEnv(ownTables(uniqueId(name)));
  const deps = testDeps(env);
  let connection: Connection | undefined;
  let app: Hono | undefined;
  beforeAll(async () => {
    await ensureTables(deps.ddb, deps.tables);
    connection = await Connection.connect({ address: inject('stack').temporalAddress });
    app = createApp(auditAppDeps(env, deps, new Client({ connection })));
  });
  afterAll(async () => {
    await connection?.close();
  });
  return {
    env,
    deps,
    get app() {
      if (!app) throw new Error('the app is made in beforeAll');
      return app;
    },
  };
}
