import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { loadDirectory, readDirectoryFile, saveDirectory } from '../../store/directory.ts';
import { createApp } from '../../api/app.ts';
import { API_HOST, listen } from '../../api/server.ts';
import { activityCalendar, calendarOverridesFromEnv, loadCalendar } from '../calendar.ts';
import { ConfigError, envSchema, parseEnv, type Env } from '../config.ts';
import { buildDeps } from '../deps.ts';
import { asPortInUse } from '../ports.ts';
import { ensureSchedules, schedulesFromEnv } from '../schedules.ts';
import { createWorker, quietRuntime, type RectifyWorker } from '../worker.ts';
import { DataDirInUse, claimDataDir, recordProcess, releaseDataDir } from './leftovers.ts';
import { dataDir, projectRoot } from './paths.ts';
import { quietSdkNodeVersionNotice } from './quiet.ts';
import { ensureEvidenceBucket, localS3Credentials, startS3Server } from './s3.ts';
import { localSecrets } from './secrets.ts';
import {
  LOCAL_OIDC_CLIENT_ID,
  localIssuer,
  localOidcSecrets,
  startLocalOidcProvider,
} from './oidc-provider.ts';
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
  OIDC_PORT: port(3100),
  S3_PORT: port(7070),
});

const say = (line: string) => process.stderr.write(`[rectify] ${line}\n`);

// The address each port is bound on, so the check at start collides where the server would.
// The API and DynamoDB Local listen on every interface; the rest on loopback only.
const BIND_HOST: Record<keyof z.infer<typeof portsSchema>, string> = {
  PORT: API_HOST,
  TEMPORAL_PORT: '127.0.0.1',
  TEMPORAL_UI_PORT: '127.0.0.1',
  DYNAMODB_PORT: '0.0.0.0',
  SES_PORT: '127.0.0.1',
  // The local identity provider is reached by the browser, from the same hosts as the API.
  OIDC_PORT: '0.0.0.0',
  S3_PORT: '127.0.0.1',
};

/** What is up so far, in the order it is stopped: API, worker, connections, Temporal, stores. */
interface Started {
  api?: RunningServer;
  worker?: RectifyWorker;
  workerRun?: Promise<void>;
  connections: { close(): Promise<void> }[];
  temporal?: RunningServer;
  stores: RunningServer[];
}

// Only the HTTP/1 server (what listen() makes) has these; an HTTP/2 one closes its sessions itself.
const closeIdleConnections = (server: ServerType) => {
  if ('closeIdleConnections' in server) server.closeIdleConnections();
};
const closeAllConnections = (server: ServerType) => {
  if ('closeAllConnections' in server) server.closeAllConnections();
};

/** How long open requests (one waiting on a stuck case, say) may hold up a stop before they are cut. */
const API_CLOSE_GRACE_MS = 5_000;

let errorsTolerated = false;
/**
 * Once a stop has begun, whatever was still pending (a request waiting on a stuck case, a gRPC
 * retry timer of the Temporal client) may fail when its connection closes under it: that must
 * not end the stop in an uncaught exception. Said in one line, except the expected one.
 */
function tolerateErrorsWhileStopping(): void {
  if (errorsTolerated) return;
  errorsTolerated = true;
  const whileStopping = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    // A terminal (or pipe) gone meanwhile: nothing can be said, and saying it would fail again.
    if ((err as NodeJS.ErrnoException | null)?.code === 'EPIPE') return;
    if (!message.includes('Channel has been shut down')) say(`while stopping: ${message}`);
  };
  process.on('uncaughtException', whileStopping);
  process.on('unhandledRejection', whileStopping);
}

async function stopInOrder(s: Started, drainWorker: boolean): Promise<void> {
  tolerateErrorsWhileStopping();
  // A part that fails to stop must not keep the others running.
  const settle = (p: Promise<unknown> | undefined) => p?.catch(() => undefined);
  if (s.api) {
    await settle(s.api.stop());
    say('API closed');
  }
  if (s.worker && drainWorker) {
    // Activities in flight finish (or time out) while Temporal and the stores still answer.
    if (s.worker.getState() === 'RUNNING') s.worker.shutdown();
    await settle(s.workerRun);
    say('worker stopped');
  }
  await Promise.all(s.connections.map((c) => settle(c.close())));
  if (s.temporal) {
    await settle(s.temporal.stop());
    say('Temporal stopped');
  }
  await Promise.all(s.stores.map((x) => settle(x.stop())));
  if (s.stores.length > 0) say('DynamoDB Local, the SES emulator and the S3 server stopped');
}

/**
 * Right after a dev server that was killed comes back, describing a schedule can fail for a
 * while (its internal workflow is not running yet). Cases do not need the schedules, so after
 * a minute of tries the start goes on without them and says so; the next start ensures them.
 */
async function ensureSchedulesPatiently(
  client: Client,
  env: Env,
): Promise<Awaited<ReturnType<typeof ensureSchedules>> | undefined> {
  const specs = schedulesFromEnv(env);
  const deadline = Date.now() + 60_000;
  for (let wait = 500; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      return await ensureSchedules(client, env, specs);
    } catch (err) {
      if (Date.now() > deadline) {
        say(
          `schedules NOT ensured (they are at the next start): ${err instanceof Error ? err.message : String(err)}`,
        );
        return undefined;
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** `npm start`: the whole system on its embedded defaults, one process tree, Ctrl-C stops it all. */
async function main(): Promise<void> {
  quietSdkNodeVersionNotice();
  const parsedPorts = portsSchema.safeParse(
    Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)),
  );
  if (!parsedPorts.success)
    throw new ConfigError(
      parsedPorts.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  const ports = parsedPorts.data;
  const data = dataDir();
  // What a crashed start on this folder left running goes first, so its ports are free again.
  for (const line of await claimDataDir(data)) say(line);
  for (const [variable, p] of Object.entries(ports) as [keyof typeof ports, number][])
    await assertPortFree(p, variable, BIND_HOST[variable]);

  await ensureAllTools((line) => say(line));
  quietRuntime();
  const secrets = localSecrets(data);
  // Unless another identity provider is configured, npm start runs the local one (keys kept in the data folder).
  const oidcLocal = !process.env.OIDC_ISSUER;
  const oidcSecrets = localOidcSecrets(data);
  const started: Started = { connections: [], stores: [] };
  let stopping: Promise<void> | undefined;
  const stopAll = (code: number): Promise<void> => {
    stopping ??= (async () => {
      say('stopping…');
      await stopInOrder(started, true);
      releaseDataDir(data);
      say('stopped');
      process.exit(code);
    })();
    return stopping;
  };
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals === 1) return void stopAll(0);
    // A second Ctrl-C: don't wait for the worker to drain, but still leave no server behind.
    say('stopping now, without waiting for the worker');
    void stopInOrder(started, false).then(() => {
      releaseDataDir(data);
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Each server is ours to stop from the moment its process exists; one spawned after a stop
  // began is stopped at once.
  const track = (into: (s: RunningServer) => void) => (s: RunningServer) => {
    into(s);
    if (s.process) recordProcess(data, s.name, s.process.pid, s.process.argv);
    if (stopping) void s.stop();
  };

  try {
    say(`data folder: ${data}`);
    // The first to fail ends the start; the others are stopped below, wherever they got to.
    // Requests are signed for the app's region, so the S3 server must be told the same one.
    const region = envSchema.shape.AWS_REGION.parse(process.env.AWS_REGION || undefined);
    const [dynamo, ses, temporal, s3] = await Promise.all([
      startDynamoLocal({
        port: ports.DYNAMODB_PORT,
        dbPath: path.join(data, 'dynamodb'),
        track: track((s) => started.stores.push(s)),
      }),
      startSesEmulator({
        port: ports.SES_PORT,
        mailboxFile: path.join(data, 'mailbox.json'),
        track: track((s) => started.stores.push(s)),
      }),
      startTemporalDev({
        port: ports.TEMPORAL_PORT,
        uiPort: ports.TEMPORAL_UI_PORT,
        dbFile: path.join(data, 'temporal.db'),
        namespace: process.env.TEMPORAL_NAMESPACE || 'default',
        track: track((s) => (started.temporal = s)),
      }),
      startS3Server({
        port: ports.S3_PORT,
        root: path.join(data, 's3'),
        credentials: localS3Credentials(data),
        region,
        track: track((s) => started.stores.push(s)),
      }),
    ]);
    say('Temporal, DynamoDB Local, the SES emulator and the S3 server are up');

    const env = parseEnv({
      ...process.env,
      TEMPORAL_ADDRESS: temporal.url,
      // The embedded dev server speaks plain gRPC, whatever the shell says about Temporal Cloud.
      TEMPORAL_API_KEY: undefined,
      TEMPORAL_TLS_CERT: undefined,
      TEMPORAL_TLS_KEY: undefined,
      TEMPORAL_UI_URL: `http://localhost:${ports.TEMPORAL_UI_PORT}`,
      DYNAMODB_ENDPOINT: dynamo.url,
      SES_ENDPOINT: ses.url,
      S3_ENDPOINT: s3.url,
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL || `http://localhost:${ports.PORT}`,
      LINK_SIGNING_KEYS: process.env.LINK_SIGNING_KEYS || JSON.stringify(secrets.linkSigningKeys),
      JWT_SECRET: process.env.JWT_SECRET || secrets.jwtSecret,
      ...(oidcLocal
        ? {
            OIDC_ISSUER: localIssuer(
              process.env.PUBLIC_BASE_URL || `http://localhost:${ports.PORT}`,
              ports.OIDC_PORT,
            ),
            OIDC_CLIENT_ID: LOCAL_OIDC_CLIENT_ID,
            OIDC_CLIENT_SECRET: oidcSecrets.clientSecret,
          }
        : {}),
    });
    // A bad calendar file stops the start here, naming its lines.
    const calendarOverrides = await calendarOverridesFromEnv(env);
    const calendarFile = await loadCalendar(env);
    const deps = buildDeps(env);
    // Its Temporal client and AWS clients close with the other connections.
    started.connections.push(deps);
    const { aws } = deps;
    const created = await ensureTables(aws.ddb, aws.tables);
    if (created.length > 0) say(`created tables and indexes: ${created.join(', ')}`);
    if (await ensureEvidenceBucket(s3, env.EVIDENCE_BUCKET))
      say(`created the evidence bucket ${env.EVIDENCE_BUCKET}`);
    if (!(await loadDirectory(aws.ddb, aws.tables, true))) {
      const file =
        process.env.RECTIFY_DIRECTORY_FILE || path.join(projectRoot, 'infra/local/demo-campus.json');
      await saveDirectory(aws.ddb, aws.tables, await readDirectoryFile(file));
      say(`loaded the campus directory from ${path.relative(process.cwd(), file) || file}`);
    }

    const webBaseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${ports.PORT}`;
    if (oidcLocal && env.OIDC_ISSUER) {
      // Its accounts are the directory's people as loaded now, so an import is seen at the next sign-in.
      await startLocalOidcProvider({
        port: ports.OIDC_PORT,
        issuer: env.OIDC_ISSUER,
        redirectUris: [`${webBaseUrl}/auth/callback`],
        secrets: oidcSecrets,
        people: async () => (await loadDirectory(aws.ddb, aws.tables))?.people ?? [],
        track: track((s) => started.stores.push(s)),
      }).catch((err: unknown) => {
        throw asPortInUse(err, ports.OIDC_PORT, 'OIDC_PORT');
      });
    }
    const nativeConnection = await NativeConnection.connect(deps.temporal.connection);
    started.connections.push(nativeConnection);
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: deps.temporal.namespace,
      taskQueue: deps.temporal.taskQueue,
      deps: {
        ...deps.activityDeps(),
        calendarOverrides,
        calendarFile,
        currentCalendar: activityCalendar(env, aws),
      },
    });
    started.worker = worker;
    started.workerRun = worker.run();
    started.workerRun.catch((err: unknown) => {
      if (stopping) return;
      say(`worker stopped: ${err instanceof Error ? err.message : String(err)}`);
      void stopAll(1);
    });

    const schedules = await ensureSchedulesPatiently(await deps.temporal.client(), env);
    if (schedules) say(`schedules: ${[...schedules.created, ...schedules.updated].join(', ')}`);
    const appDeps = await deps.appDeps({ mailboxUrl: ses.url });
    const { publicBaseUrl } = appDeps;
    const app = createApp(appDeps);
    const server = await listen(app, ports.PORT).catch((err: unknown) => {
      // Taken since the check at start: the same one line, after the stack is stopped below.
      throw asPortInUse(err, ports.PORT, 'PORT');
    });
    started.api = {
      name: 'api',
      url: publicBaseUrl,
      stop: () =>
        new Promise<void>((resolve) => {
          // A request waiting on a case that is stuck (an effect retrying) would hold close()
          // open for ever: idle connections go at once, busy ones after a grace period.
          const cut = setTimeout(() => closeAllConnections(server), API_CLOSE_GRACE_MS);
          server.close(() => {
            clearTimeout(cut);
            resolve();
          });
          closeIdleConnections(server);
        }),
    };

    process.stdout.write(
      [
        '',
        'Rectify is ready / 系统已就绪',
        `  API / 接口:            ${publicBaseUrl}   (health: ${publicBaseUrl}/health, reference: ${publicBaseUrl}/docs)`,
        `  Temporal UI / 工作流:   ${env.TEMPORAL_UI_URL}`,
        `  Mailbox / 邮箱:        http://localhost:${ports.SES_PORT}/`,
        `  Sign in / 登录:        ${publicBaseUrl}/login   (identity provider / 统一身份认证: ${env.OIDC_ISSUER ?? '-'})`,
        `  Evidence / 证据存储:    ${s3.url}/${env.EVIDENCE_BUCKET}  (S3 API for the app, not a web page; data in ${path.join(data, 's3')})`,
        `  Data / 数据:           ${data}`,
        '  Ctrl-C stops everything / 按 Ctrl-C 停止',
        '',
      ].join('\n'),
    );
  } catch (err) {
    // A signal's stop already under way does the stopping, and exits.
    if (stopping) return stopping;
    stopping = stopInOrder(started, true);
    await stopping;
    throw err;
  }
}

main().catch((err: unknown) => {
  if (
    err instanceof PortInUse ||
    err instanceof MissingPrerequisite ||
    err instanceof ConfigError ||
    err instanceof DataDirInUse
  ) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
