import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
// CommonJS package: Node's ESM loader exposes only its default export.
import protoPkg from '@temporalio/proto';

const { temporal } = protoPkg;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { getCaseRecord } from '../../store/case-records.ts';
import { loadDirectory } from '../../store/directory.ts';
import type { Directory } from '../../domain/directory.ts';
import { buildWorkflowBundle } from '../../infra/build-workflow-bundle.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { searchAttributes } from '../../infra/local/servers.ts';
import { openedUpdate } from '../../workflows/rectification-case/messages.ts';
import { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { caseInput } from '../support/case-harness.ts';
import { TEST_SIGNING_KEYS, seedDemo, sentEmails, testDeps, uniqueId } from '../support/stack.ts';
import { viewAfterStep } from '../../api/step-view.ts';

// The production path end to end on the local dev server: the workflow bundle
// built as the Dockerfile builds it, and infra/worker-main.ts (the container's
// command) started from it as its own process, driving a real case.

let tmp: string;
let bundlePath: string;
let worker: ChildProcess | undefined;
let workerLog = '';
let connection: Connection;
let client: Client;
let dir: Directory;
const taskQueue = uniqueId('prod-bundle');
// A namespace of its own, as a school's Temporal Cloud namespace: the worker's schedules
// (fixed ids) then never touch those other test files create on the shared dev server.
const namespace = uniqueId('rectify-prod');

/** Registers the namespace with the case's search attributes, as a Cloud namespace is set up. */
async function registerNamespace(conn: Connection): Promise<void> {
  await conn.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  const types = Object.fromEntries(
    Object.entries(searchAttributes).map(([name, type]) => [
      name,
      type === 'Bool'
        ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL
        : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ]),
  );
  // A new namespace reaches every service of the server within its registry refresh.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await conn.operatorService.addSearchAttributes({ namespace, searchAttributes: types });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Runs a repository script as an operator would (node --import tsx), with only the given environment. */
function runTsx(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the worker entry as the image does (node --import tsx), resolving once it polls. */
function startWorkerMain(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/worker-main.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${workerLog}`)), 60_000);
    const onData = (chunk: Buffer) => {
      workerLog += chunk.toString();
      if (workerLog.includes('[rectify-worker] polling')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before polling:\n${workerLog}`));
    });
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rectify-prod-bundle-'));
  dir = await seedDemo(testDeps());
  const stack = inject('stack');
  connection = await Connection.connect({ address: stack.temporalAddress });
  await registerNamespace(connection);
  client = new Client({ connection, namespace });
  bundlePath = path.join(tmp, 'workflow-bundle.js');
});

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await connection?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('loading a campus directory into a deployment', () => {
  it('validates the file and writes it to the named directory table', async () => {
    const stack = inject('stack');
    const out = await runTsx(['infra/load-directory.ts', 'infra/local/demo-campus.json'], {
      TABLE_DIRECTORY: stack.tables.directory,
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`people`);
    expect(out.stdout).toContain(`into ${stack.tables.directory}`);
    const deps = testDeps();
    const loaded = await loadDirectory(deps.ddb, deps.tables, true);
    expect(loaded?.people.map((p) => p.id)).toEqual(expect.arrayContaining(dir.people.map((p) => p.id)));
  });

  it('refuses to guess the table, and names an invalid file', async () => {
    const stack = inject('stack');
    const noTable = await runTsx(['infra/load-directory.ts', 'infra/local/demo-campus.json'], {
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    });
    expect(noTable.code).toBe(1);
    expect(noTable.stderr).toContain('TABLE_DIRECTORY: required');
    const bad = path.join(tmp, 'bad-campus.json');
    await writeFile(bad, JSON.stringify({ people: [{ id: 'x' }] }));
    const invalid = await runTsx(['infra/load-directory.ts', bad], {
      TABLE_DIRECTORY: stack.tables.directory,
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(bad);
  });
});

describe('the worker refuses a Temporal Cloud endpoint its credential cannot use, at boot', () => {
  const deployed = {
    RECTIFY_MODE: 'production',
    TEMPORAL_NAMESPACE: 'rectify-prod.a1b2c',
    LINK_SIGNING_KEYS: JSON.stringify(TEST_SIGNING_KEYS),
    JWKS_URL: 'https://idp.example.edu.cn/.well-known/jwks.json',
    JWT_ISSUER: 'https://idp.example.edu.cn',
    JWT_AUDIENCE: 'rectify',
    OIDC_ISSUER: 'https://idp.example.edu.cn',
    OIDC_CLIENT_ID: 'rectify-web',
    OIDC_CLIENT_SECRET: 'an-oidc-client-secret',
    PUBLIC_BASE_URL: 'https://rectify.example.edu.cn',
  };

  it('an API key at the mTLS namespace endpoint: exits naming the regional endpoint form', async () => {
    const out = await runTsx(['infra/worker-main.ts'], {
      ...deployed,
      TEMPORAL_ADDRESS: 'rectify-prod.a1b2c.tmprl.cloud:7233',
      TEMPORAL_API_KEY: 'not-a-real-key',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("is the namespace's mTLS endpoint");
    expect(out.stderr).toContain('<region>.<cloud>.api.temporal.io:7233');
  });

  it('a client certificate at a regional endpoint: exits naming the namespace endpoint', async () => {
    const out = await runTsx(['infra/worker-main.ts'], {
      ...deployed,
      TEMPORAL_ADDRESS: 'ap-southeast-1.aws.api.temporal.io:7233',
      TEMPORAL_TLS_CERT: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      TEMPORAL_TLS_KEY: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('rectify-prod.a1b2c.tmprl.cloud:7233');
  });
});

describe('the worker never starts in local mode by default, nor in plaintext to Temporal in production', () => {
  it('exits without RECTIFY_MODE, and with RECTIFY_MODE=local on ECS', async () => {
    const unset = await runTsx(['infra/worker-main.ts'], {});
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain(
      'RECTIFY_MODE: infra/worker-main.ts is a deployed entry and must be told its mode',
    );
    const onEcs = await runTsx(['infra/worker-main.ts'], {
      RECTIFY_MODE: 'local',
      ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/task-1',
    });
    expect(onEcs.code).toBe(1);
    expect(onEcs.stderr).toContain('refuses RECTIFY_MODE=local');
  });

  it('exits in production at a plaintext address unless TEMPORAL_ALLOW_PLAINTEXT=true', async () => {
    const out = await runTsx(['infra/worker-main.ts'], {
      RECTIFY_MODE: 'production',
      LINK_SIGNING_KEYS: JSON.stringify(TEST_SIGNING_KEYS),
      JWKS_URL: 'https://idp.example.edu.cn/.well-known/jwks.json',
      JWT_ISSUER: 'https://idp.example.edu.cn',
      JWT_AUDIENCE: 'rectify',
      OIDC_ISSUER: 'https://idp.example.edu.cn',
      OIDC_CLIENT_ID: 'rectify-web',
      OIDC_CLIENT_SECRET: 'an-oidc-client-secret',
      PUBLIC_BASE_URL: 'https://rectify.example.edu.cn',
      TEMPORAL_ADDRESS: 'temporal.campus.internal:7233',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('refuses a plaintext connection to temporal.campus.internal:7233');
  });

  it('the API entry exits without RECTIFY_MODE', async () => {
    const out = await runTsx(['infra/api-main.ts'], {});
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'RECTIFY_MODE: infra/api-main.ts is a deployed entry and must be told its mode',
    );
  });
});

describe('the production workflow bundle and worker', () => {
  it('builds the workflow bundle to a file', async () => {
    const built = await buildWorkflowBundle(bundlePath);
    expect(built.path).toBe(bundlePath);
    expect((await stat(bundlePath)).size).toBe(built.bytes);
    expect(built.bytes).toBeGreaterThan(100_000);
    const code = await readFile(bundlePath, 'utf8');
    // The bundle carries the workflow the worker registers, and the module that exports it.
    expect(code).toContain('rectificationCase');
  });

  it('starts infra/worker-main.ts from the prebuilt bundle and drives a case to open', async () => {
    expect(existsSync(bundlePath)).toBe(true);
    const stack = inject('stack');
    worker = await startWorkerMain({
      RECTIFY_MODE: 'local',
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
      SES_ENDPOINT: stack.sesEndpoint,
      TABLE_CASES: stack.tables.cases,
      TABLE_AUDIT: stack.tables.audit,
      TABLE_DIRECTORY: stack.tables.directory,
      TABLE_OPS: stack.tables.ops,
      LINK_SIGNING_KEYS: JSON.stringify(TEST_SIGNING_KEYS),
      PUBLIC_BASE_URL: 'https://rectify.example.edu.cn',
      WORKFLOW_BUNDLE_PATH: bundlePath,
    });
    expect(workerLog).toContain(`bundle ${bundlePath}`);
    expect(workerLog).not.toContain('bundling the workflow code at start');

    // The schedules exist at start, starting their workflows on this worker's task queue.
    expect(workerLog).toContain('schedules: created rectify-weekly-feedback, created rectify-daily-brief');
    const weekly = await client.schedule.getHandle('rectify-weekly-feedback').describe();
    expect(weekly.action).toMatchObject({ type: 'startWorkflow', workflowType: 'weeklyFeedback', taskQueue });
    expect(weekly.spec.timezone).toBe('Asia/Shanghai');

    const input = caseInput(dir, new Date());
    const handle = await client.workflow.start(rectificationCase, {
      taskQueue,
      workflowId: input.caseId,
      args: [input],
    });
    try {
      const view = await viewAfterStep(handle, handle.executeUpdate(openedUpdate, { args: [{}] }));
      expect(view.stage).toBe('analysing');
      expect(view.deadlines).toHaveLength(1);
      expect(view.deadlines[0]).toMatchObject({ stage: 'analysing', state: 'pending' });

      // The worker's activities wrote the record to DynamoDB and mailed the assignee.
      const deps = testDeps();
      const record = await getCaseRecord(deps.ddb, deps.tables, input.caseId);
      expect(record?.stage).toBe('analysing');
      const assignee = dir.people.find((p) => p.id === input.assigneeId)!;
      await expect
        .poll(async () => (await sentEmails((e) => e.text.includes(input.caseId))).map((e) => e.to), {
          timeout: 15_000,
        })
        .toContainEqual([assignee.email]);
      const links = await sentEmails((e) => e.text.includes(input.caseId));
      expect(links.every((e) => !e.text.includes('localhost'))).toBe(true);
    } finally {
      await handle.terminate('test over');
    }
  });

  it('stops gracefully on SIGTERM, as ECS stops a task', async () => {
    const child = worker!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workerLog).toContain('[rectify-worker] stopped');
  });
});
