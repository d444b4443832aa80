import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app.ts';
import { parseEnv, type Env } from '../../infra/config.ts';
import { buildWorkflowBundle } from '../../infra/build-workflow-bundle.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { ensureEvidenceBucket, newS3Credentials, startS3Server } from '../../infra/local/s3.ts';
import {
  ensureTables,
  freePort,
  localDynamo,
  startDynamoLocal,
  startSesEmulator,
  startTemporalDev,
  type RunningServer,
} from '../../infra/local/servers.ts';
import { spawnTied } from '../../infra/local/tied-spawn.ts';
import { createAwsDeps, type AwsDeps } from '../../store/clients.ts';
import { readDirectoryFile, saveDirectory } from '../../store/directory.ts';
import type { Endpoints } from './case-script.ts';

const SIGNING_KEYS = { current: 'd', keys: { d: 'drill-secret-0123456789abcdef0123456789' } };
const JWT_SECRET = 'drill-jwt-secret-0123456789abcdef0123456789';

const exited = (child: ChildProcess) =>
  new Promise<void>((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
  );

/**
 * The system split as in production, file-backed as `npm start` keeps it: Temporal dev server
 * (SQLite file) and DynamoDB Local (-dbPath) as processes the drill can crash and start again on
 * the same ports and files, the worker as its own process (`npm run worker`, restarted whenever
 * it dies), the API and the SES emulator in the drill's process.
 */
export class SplitStack {
  private worker?: ChildProcess;
  private workerStarts = 0;
  private stopping = false;
  private temporal!: RunningServer;
  private dynamo!: RunningServer;
  private others: RunningServer[] = [];
  private api?: ServerType;
  private connection?: Connection;
  env!: Env;
  aws!: AwsDeps;
  endpoints!: Endpoints;
  private ports!: { temporal: number; temporalUi: number; dynamo: number };

  constructor(
    private dataDir: string,
    private say: (line: string) => void,
  ) {}

  private startTemporal() {
    return startTemporalDev({
      port: this.ports.temporal,
      uiPort: this.ports.temporalUi,
      dbFile: path.join(this.dataDir, 'temporal.db'),
      namespace: 'default',
    });
  }

  private startDynamo() {
    return startDynamoLocal({ port: this.ports.dynamo, dbPath: path.join(this.dataDir, 'dynamodb') });
  }

  async start(): Promise<void> {
    this.ports = { temporal: await freePort(), temporalUi: await freePort(), dynamo: await freePort() };
    const apiPort = await freePort();
    const s3Credentials = newS3Credentials();
    const [temporal, dynamo, ses, s3] = await Promise.all([
      this.startTemporal(),
      this.startDynamo(),
      freePort().then((port) => startSesEmulator({ port })),
      freePort().then((port) =>
        startS3Server({
          port,
          root: path.join(this.dataDir, 's3'),
          credentials: s3Credentials,
          region: 'ap-east-1',
        }),
      ),
    ]);
    this.temporal = temporal;
    this.dynamo = dynamo;
    this.others = [ses, s3];
    await ensureEvidenceBucket(s3, 'drill-evidence');
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const vars: Record<string, string> = {
      // The worker runs its deployed entry (infra/worker-main.ts), which must be told its mode.
      RECTIFY_MODE: 'local',
      // Each case is compared with the first: its review requests go out at once, not in a digest.
      REVIEW_DIGEST_MINUTES: '0',
      TEMPORAL_ADDRESS: temporal.url,
      DYNAMODB_ENDPOINT: dynamo.url,
      SES_ENDPOINT: ses.url,
      S3_ENDPOINT: s3.url,
      EVIDENCE_BUCKET: 'drill-evidence',
      S3_ACCESS_KEY_ID: s3Credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3Credentials.secretAccessKey,
      LINK_SIGNING_KEYS: JSON.stringify(SIGNING_KEYS),
      JWT_SECRET,
      PUBLIC_BASE_URL: baseUrl,
    };
    this.env = parseEnv(vars);
    this.aws = createAwsDeps(this.env);
    const client = localDynamo(dynamo.url);
    await ensureTables(client, this.aws.tables);
    client.destroy();
    await saveDirectory(
      this.aws.ddb,
      this.aws.tables,
      await readDirectoryFile(path.join(projectRoot, 'infra/local/demo-campus.json')),
    );
    this.say('bundling the workflow code once for every worker start…');
    const bundle = await buildWorkflowBundle(path.join(this.dataDir, 'workflow-bundle.js'));
    this.workerEnv = { ...vars, WORKFLOW_BUNDLE_PATH: bundle.path };
    this.spawnWorker();
    this.connection = await Connection.connect({ address: temporal.url });
    const app = createApp({
      env: this.env,
      aws: this.aws,
      temporal: new Client({ connection: this.connection }),
      signingKeys: SIGNING_KEYS,
      jwtSecret: JWT_SECRET,
      publicBaseUrl: baseUrl,
      temporalUiUrl: 'http://localhost:8233',
    });
    this.api = serve({ fetch: app.fetch, port: apiPort, hostname: '127.0.0.1' });
    this.endpoints = { baseUrl, sesUrl: ses.url, jwtSecret: JWT_SECRET, temporalAddress: temporal.url };
  }

  private workerEnv: Record<string, string> = {};

  /** The worker process; whenever it dies (killed, or given up on a lost server) another takes its place. */
  private spawnWorker(): void {
    this.workerStarts += 1;
    const { child } = spawnTied(
      process.execPath,
      ['--import', 'tsx', path.join(projectRoot, 'infra/worker-main.ts')],
      {
        cwd: projectRoot,
        env: { ...process.env, ...this.workerEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      if (signal !== 'SIGKILL')
        this.say(
          `  worker exited (${code ?? signal}); starting another. Last words: ${tail.trim().split('\n').slice(-3).join(' / ')}`,
        );
      this.spawnWorker();
    });
    this.worker = child;
  }

  get workerProcessStarts(): number {
    return this.workerStarts;
  }

  /** SIGKILL to the worker: the supervisor starts a new one at once. */
  async killWorker(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    w.kill('SIGKILL');
    await exited(w);
  }

  /** Temporal and DynamoDB Local killed (SIGKILL) and started again on the same ports and files. */
  async restartServers(): Promise<void> {
    for (const s of [this.temporal, this.dynamo]) if (s.process) process.kill(s.process.pid, 'SIGKILL');
    await Promise.all([this.temporal.stop(), this.dynamo.stop()]);
    [this.temporal, this.dynamo] = await Promise.all([this.startTemporal(), this.startDynamo()]);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.worker) {
      this.worker.kill('SIGTERM');
      await exited(this.worker);
    }
    const api = this.api;
    if (api) await new Promise<void>((r) => api.close(() => r()));
    await this.connection?.close().catch(() => undefined);
    this.aws?.ddb.destroy();
    this.aws?.ses.destroy();
    await Promise.allSettled([
      this.temporal?.stop(),
      this.dynamo?.stop(),
      ...this.others.map((s) => s.stop()),
    ]);
  }
}

/** `npm start` itself, on its own ports and data folder: started, SIGKILLed, started again. */
export class NpmStart {
  private child?: ChildProcess;
  private ports: Record<string, string> = {};
  output = '';
  starts = 0;
  aws!: AwsDeps;

  constructor(private dataDir: string) {}

  async start(): Promise<number> {
    if (Object.keys(this.ports).length === 0) {
      for (const n of [
        'PORT',
        'TEMPORAL_PORT',
        'TEMPORAL_UI_PORT',
        'DYNAMODB_PORT',
        'SES_PORT',
        'OIDC_PORT',
        'S3_PORT',
      ])
        this.ports[n] = String(await freePort());
    }
    const t0 = Date.now();
    // Tied to the drill: a drill stopped hard takes its npm start (and so its servers) with it.
    const { child } = spawnTied(
      process.execPath,
      ['--import', 'tsx', path.join(projectRoot, 'infra/local/start.ts')],
      {
        cwd: projectRoot,
        env: { ...process.env, ...this.ports, RECTIFY_DATA_DIR: this.dataDir, REVIEW_DIGEST_MINUTES: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.starts += 1;
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (out.includes('Rectify is ready')) {
          clearInterval(check);
          resolve();
        }
      }, 200);
      child.once('exit', (code) => {
        clearInterval(check);
        reject(new Error(`npm start exited with ${code} before it was ready:\n${out}`));
      });
    });
    this.output = out;
    if (!this.aws) {
      this.aws = createAwsDeps(
        parseEnv({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${this.ports.DYNAMODB_PORT}` }),
      );
    }
    return Date.now() - t0;
  }

  get endpoints(): Endpoints {
    const secrets = JSON.parse(readFileSync(path.join(this.dataDir, 'secrets.json'), 'utf8')) as {
      jwtSecret: string;
    };
    return {
      baseUrl: `http://127.0.0.1:${this.ports.PORT}`,
      sesUrl: `http://127.0.0.1:${this.ports.SES_PORT}`,
      jwtSecret: secrets.jwtSecret,
      temporalAddress: `127.0.0.1:${this.ports.TEMPORAL_PORT}`,
    };
  }

  /** As when a terminal is closed hard: SIGKILL to `npm start` alone, nothing else told. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c) return;
    c.kill('SIGKILL');
    await exited(c);
  }

  async stop(): Promise<void> {
    const c = this.child;
    this.aws?.ddb.destroy();
    this.aws?.ses.destroy();
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGINT');
    await exited(c);
  }
}
