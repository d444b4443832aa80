import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Client, Connection, type WorkflowClient } from '@temporalio/client';
import { opsKey } from '../../store/keys.ts';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { Hono } from 'hono';
import { afterAll, beforeAll, inject } from 'vitest';
import { issueLocalToken } from '../../api/auth.ts';
import { createApp } from '../../api/app.ts';
import type { AppDeps } from '../../api/deps.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import type { Directory } from '../../domain/directory.ts';
import { bundleWorkflows, createWorker, type RectifyWorker } from '../../infra/worker.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import {
  seedDemo,
  sentEmails,
  testDeps,
  testEnv,
  TEST_SIGNING_KEYS,
  type ownTables,
  uniqueId,
  type StoredEmail,
} from '../support/stack.ts';

/**
 * The API over the real stack: a worker on the test dev server (own task
 * queue), one Temporal client, the app from createApp, driven with
 * app.request(). One per test file.
 */
export interface ApiStack {
  app: Hono;
  deps: AppDeps;
  activityDeps: ActivityDeps;
  dir: Directory;
  worker: RectifyWorker;
  stop(): Promise<void>;
}

let sharedBundle: Promise<WorkflowBundle> | undefined;

/**
 * The API on tables of the file's own (`ownTables`), created first: for a file that changes the
 * directory or must count case numbers apart from every other file.
 */
export async function startApiStackOn(tables: ReturnType<typeof ownTables>): Promise<ApiStack> {
  const deps = testDeps(testEnv(tables));
  await ensureTables(deps.ddb, deps.tables);
  return startApiStack({}, tables);
}

/** Sets this year's and next year's case-number counters of the tables to a random high start. */
async function spreadCaseNumbers(deps: ActivityDeps): Promise<void> {
  const year = new Date().getUTCFullYear();
  const start = 100_000 + Math.floor(Math.random() * 800_000);
  for (const y of [year, year + 1])
    await deps.ddb
      .send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...opsKey.caseNumberCounter(y), n: start }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((err: unknown) => {
        // Already counting (the file's second stack on the same tables): keep its numbers.
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
}

export async function startApiStack(
  extra: Partial<AppDeps> = {},
  envExtra: Record<string, string> = {},
): Promise<ApiStack> {
  const env = testEnv({ TEMPORAL_TASK_QUEUE: uniqueId('api-tq'), ...envExtra });
  const activityDeps = testDeps(env);
  // Tables of its own count case numbers from 1 again, yet every file shares one Temporal
  // namespace: start them far from the shared tables' numbers, so no two files' cases share an id.
  if (envExtra.TABLE_OPS) await spreadCaseNumbers(activityDeps);
  const [dir, bundle, nativeConnection, connection] = await Promise.all([
    seedDemo(activityDeps),
    (sharedBundle ??= bundleWorkflows()),
    NativeConnection.connect({ address: inject('stack').temporalAddress }),
    Connection.connect({ address: inject('stack').temporalAddress }),
  ]);
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    deps: activityDeps,
    bundle,
  });
  const running = worker.run();
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const deps: AppDeps = {
    env,
    aws: activityDeps,
    temporal: client,
    signingKeys: TEST_SIGNING_KEYS,
    jwtSecret: env.JWT_SECRET,
    publicBaseUrl: activityDeps.publicBaseUrl,
    temporalUiUrl: env.TEMPORAL_UI_URL,
    ...extra,
  };
  return {
    app: createApp(deps),
    deps,
    activityDeps,
    dir,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/**
 * The file's API stack, started in its beforeAll and stopped in its afterAll: the object answers
 * once beforeAll has run.
 */
export function useApiStack(...args: Parameters<typeof startApiStack>): ApiStack {
  let stack: ApiStack | undefined;
  beforeAll(async () => {
    stack = await startApiStack(...args);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const started = (): ApiStack => {
    if (!stack) throw new Error('the API stack starts in beforeAll');
    return stack;
  };
  return {
    get app() {
      return started().app;
    },
    get deps() {
      return started().deps;
    },
    get activityDeps() {
      return started().activityDeps;
    },
    get dir() {
      return started().dir;
    },
    get worker() {
      return started().worker;
    },
    stop: () => started().stop(),
  };
}

/**
 * The stack's Temporal client with some workflow-client calls replaced, to
 * stage what the real servers only do under unlucky timing (two requests
 * racing) or misuse (an id naming another kind of workflow).
 */
export function clientWith(
  client: Client,
  workflow: Partial<Pick<WorkflowClient, 'start' | 'executeUpdateWithStart' | 'getHandle'>>,
): Client {
  const real = client.workflow;
  const wf = new Proxy(real, {
    get(target, prop) {
      const own = (workflow as Record<PropertyKey, unknown>)[prop];
      if (own) return own;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'workflow') return wf;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const tokens = new Map<string, Promise<string>>();
export function tokenFor(personId: string): Promise<string> {
  let t = tokens.get(personId);
  if (!t) {
    t = issueLocalToken(testEnv().JWT_SECRET ?? '', personId);
    tokens.set(personId, t);
  }
  return t;
}

export interface CallOptions {
  as?: string | undefined;
  body?: unknown;
  headers?: Record<string, string | undefined>;
  /** Send the body as is (no JSON header): for content-type tests. */
  raw?: string | undefined;
}

/** One API call as a person (bearer token), JSON in, the response out. */
export async function call(app: Hono, method: string, path: string, o: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) headers[k] = v;
  if (o.as) headers.authorization = `Bearer ${await tokenFor(o.as)}`;
  let body: string | undefined = o.raw;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  return app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
}

export const newCaseBody = (over: Record<string, unknown> = {}) => ({
  title: '水龙头漏水 Leaking tap',
  description: 'A101 卫生间水龙头持续漏水',
  source: 'repair',
  severity: 'routine',
  location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
  assigneeId: 'staff-zhou',
  ...over,
});

/** Waits for an email matching a filter (the worker sends it shortly after the step). */
export async function waitForEmail(
  filter: (e: StoredEmail) => boolean,
  timeoutMs = 15_000,
): Promise<StoredEmail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await sentEmails(filter);
    const last = found[found.length - 1];
    if (last) return last;
    if (Date.now() > deadline) throw new Error('no matching email arrived in time');
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The path of the action link in an email (`/actions/<token>`). */
export function actionPath(email: StoredEmail): string {
  const m = /http:\/\/rectify\.test(\/actions\/[A-Za-z0-9._-]+)/.exec(email.text);
  if (!m?.[1]) throw new Error(`no action link in: ${email.subject}`);
  return m[1];
}

/** The hidden fields of an action page's form. */
export function formFields(html: string): { csrf: string; textHash: string } {
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const textHash = /name="textHash" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf || !textHash) throw new Error('no action form on the page');
  return { csrf, textHash };
}

export const outcomeOf = (html: string) => /data-outcome="([^"]+)"/.exec(html)?.[1];

/** Posts an action page's form the way a browser would. */
export function postForm(
  app: Hono,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
