import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { z } from 'zod';
import { createAwsDeps } from '../../activities/clients.ts';
import { loadDirectory, readDirectoryFile, saveDirectory } from '../../activities/directory-store.ts';
import { createApp } from '../../api/app.ts';
import { listen } from '../../api/server.ts';
import { ConfigError, parseEnv } from '../config.ts';
import { ensureSchedules, schedulesFromEnv } from '../schedules.ts';
import { createWorker, quietRuntime } from '../worker.ts';
import { dataDir, projectRoot } from './paths.ts';
import { localSecrets } from './secrets.ts';
import {
  PortInUse,
  assertPortFree,
  ensureTables,
  startDynamoLocal,
  startSesEmulator,
  startTemporalDev,
  type RunningServer,
} from './servers.ts';
import { MissingPrerequisite, ensureAllTools } from './tools.ts';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const portsSchema = z.object({
  PORT: port(3000),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  DYNAMODB_PORT: port(8000),
  SES_PORT: port(8005),
});

const say = (line: string) => process.stderr.write(`[rectify] ${line}\n`);

/** `npm start`: the whole system on its embedded defaults, one process tree, Ctrl-C stops it all. */
async function main(): Promise<void> {
  const parsedPorts = portsSchema.safeParse(
    Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)),
  );
  if (!parsedPorts.success)
    throw new ConfigError(
      parsedPorts.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  const ports = parsedPorts.data;
  for (const [variable, p] of Object.entries(ports)) await assertPortFree(p, variable);

  await ensureAllTools((line) => say(line));
  quietRuntime();
  const data = dataDir();
  const secrets = localSecrets(data);
  const running: RunningServer[] = [];
  let worker: Worker | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.allSettled(running.reverse().map((s) => s.stop()));
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    say(`data folder: ${data}`);
    const [dynamo, ses, temporal] = await Promise.all([
      startDynamoLocal({ port: ports.DYNAMODB_PORT, dbPath: path.join(data, 'dynamodb') }),
      startSesEmulator({ port: ports.SES_PORT }),
      startTemporalDev({
        port: ports.TEMPORAL_PORT,
        uiPort: ports.TEMPORAL_UI_PORT,
        dbFile: path.join(data, 'temporal.db'),
        namespace: process.env.TEMPORAL_NAMESPACE || 'default',
      }),
    ]);
    running.push(dynamo, ses, temporal);
    say('Temporal, DynamoDB Local and the SES emulator are up');

    const env = parseEnv({
      ...process.env,
      TEMPORAL_ADDRESS: temporal.url,
      TEMPORAL_UI_URL: `http://localhost:${ports.TEMPORAL_UI_PORT}`,
      DYNAMODB_ENDPOINT: dynamo.url,
      SES_ENDPOINT: ses.url,
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL || `http://localhost:${ports.PORT}`,
      LINK_SIGNING_KEYS: process.env.LINK_SIGNING_KEYS || JSON.stringify(secrets.linkSigningKeys),
      JWT_SECRET: process.env.JWT_SECRET || secrets.jwtSecret,
    });
    const aws = createAwsDeps(env);
    const created = await ensureTables(aws.ddb, aws.tables);
    if (created.length > 0) say(`created tables: ${created.join(', ')}`);
    if (!(await loadDirectory(aws.ddb, aws.tables, true))) {
      const file =
        process.env.RECTIFY_DIRECTORY_FILE || path.join(projectRoot, 'infra/local/demo-campus.json');
      await saveDirectory(aws.ddb, aws.tables, await readDirectoryFile(file));
      say(`loaded the campus directory from ${path.relative(process.cwd(), file) || file}`);
    }

    const signingKeys = env.LINK_SIGNING_KEYS ?? secrets.linkSigningKeys;
    const publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${ports.PORT}`;
    const nativeConnection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
    worker = await createWorker({
      connection: nativeConnection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      deps: { ...aws, signingKeys, publicBaseUrl, timeZone: env.CAMPUS_TZ },
    });
    const workerRun = worker.run();
    workerRun.catch((err: unknown) => {
      say(`worker stopped: ${err instanceof Error ? err.message : String(err)}`);
      void stopAll(1);
    });

    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    const schedules = await ensureSchedules(client, env, schedulesFromEnv(env));
    say(`schedules: ${[...schedules.created, ...schedules.updated].join(', ')}`);
    const app = createApp({
      env,
      aws,
      temporal: client,
      signingKeys,
      jwtSecret: env.JWT_SECRET,
      publicBaseUrl,
      temporalUiUrl: env.TEMPORAL_UI_URL,
      mailboxUrl: ses.url,
    });
    const server = await listen(app, ports.PORT);
    running.push({
      name: 'api',
      url: publicBaseUrl,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    });

    process.stdout.write(
      [
        '',
        'Rectify is ready / 系统已就绪',
        `  API / 接口:            ${publicBaseUrl}   (health: ${publicBaseUrl}/health, reference: ${publicBaseUrl}/docs)`,
        `  Temporal UI / 工作流:   ${env.TEMPORAL_UI_URL}`,
        `  Mailbox / 邮箱:        http://localhost:${ports.SES_PORT}/`,
        `  Data / 数据:           ${data}`,
        '  Ctrl-C stops everything / 按 Ctrl-C 停止',
        '',
      ].join('\n'),
    );
  } catch (err) {
    await Promise.allSettled(running.reverse().map((s) => s.stop()));
    throw err;
  }
}

main().catch((err: unknown) => {
  if (err instanceof PortInUse || err instanceof MissingPrerequisite || err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
