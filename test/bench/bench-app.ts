import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { issueLocalToken } from '../../api/auth.ts';
import { createApp } from '../../api/app.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import type { Directory } from '../../domain/directory.ts';
import { parseEnv } from '../../infra/config.ts';
import { freePort } from '../../infra/local/servers.ts';
import { stackVariables, type EphemeralStack } from '../../infra/local/ephemeral.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { bundleWorkflows, createWorker, quietRuntime, type RectifyWorker } from '../../infra/worker.ts';
import { createAwsDeps } from '../../store/clients.ts';
import { readDirectoryFile, saveDirectory } from '../../store/directory.ts';

const SIGNING_KEYS = { current: 'b', keys: { b: 'bench-secret-0123456789abcdef0123456789' } };
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';

export interface BenchApp {
  baseUrl: string;
  dir: Directory;
  worker: RectifyWorker;
  /** A bearer token for a person of the demo campus. */
  token(personId: string): Promise<string>;
  /** POST JSON as that token's holder; throws on anything but 2xx. */
  post(token: string, path: string, body: unknown): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * The real app on a real loopback port with a case worker behind it, over the
 * bench's ephemeral stack and the demo campus: what a link or API bench drives.
 */
export async function startBenchApp(stack: EphemeralStack, queuePrefix: string): Promise<BenchApp> {
  quietRuntime();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = parseEnv({
    ...stackVariables(stack),
    LINK_SIGNING_KEYS: JSON.stringify(SIGNING_KEYS),
    JWT_SECRET,
    PUBLIC_BASE_URL: baseUrl,
  });
  const aws = createAwsDeps(env);
  const dir = await readDirectoryFile(`${projectRoot}/infra/local/demo-campus.json`);
  await saveDirectory(aws.ddb, aws.tables, dir);
  const deps: ActivityDeps = {
    ...aws,
    signingKeys: SIGNING_KEYS,
    publicBaseUrl: baseUrl,
    timeZone: env.CAMPUS_TZ,
  };
  const native = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const taskQueue = `${queuePrefix}-${Date.now()}`;
  const worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    deps,
    bundle: await bundleWorkflows(),
  });
  const app = createApp({
    env: { ...env, TEMPORAL_TASK_QUEUE: taskQueue },
    aws,
    temporal: client,
    signingKeys: SIGNING_KEYS,
    jwtSecret: JWT_SECRET,
    publicBaseUrl: baseUrl,
    temporalUiUrl: 'http://localhost:8233',
  });
  // Requests still being answered when the bench stops (a load tool cut off by its time bound)
  // must finish before the Temporal connection closes under them.
  let inFlight = 0;
  const fetchCounted = async (req: Request) => {
    inFlight++;
    try {
      return await app.fetch(req);
    } finally {
      inFlight--;
    }
  };
  const server: ServerType = serve({ fetch: fetchCounted, port, hostname: '127.0.0.1' });
  return {
    baseUrl,
    dir,
    worker,
    token: (personId) => issueLocalToken(JWT_SECRET, personId),
    async post(token, path, body) {
      const res = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (let i = 0; i < 600 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 100));
      await closed;
      await connection.close();
      await native.close();
      aws.ddb.destroy();
      aws.ses.destroy();
    },
  };
}

/** Runs `one(i)` for i < total with at most `concurrency` at a time. */
export async function driveConcurrently(
  total: number,
  concurrency: number,
  one: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await one(next++);
    }),
  );
}

/** Every email the SES emulator holds. */
export async function storedEmails(
  sesEndpoint: string,
): Promise<{ destination: { to: string[] }; subject: string; body: { text?: string } }[]> {
  const store = (await (await fetch(`${sesEndpoint}/store`)).json()) as {
    emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[];
  };
  return store.emails;
}
