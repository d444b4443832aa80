import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import protoPkg from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { issueLocalToken } from '../../api/auth.ts';
import { createApp } from '../../api/app.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import { parseEnv } from '../../infra/config.ts';
import { freePort } from '../../infra/local/servers.ts';
import { stackVariables, type EphemeralStack } from '../../infra/local/ephemeral.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { bundleWorkflows, createWorker, quietRuntime } from '../../infra/worker.ts';
import { createAwsDeps } from '../../store/clients.ts';
import { readDirectoryFile, saveDirectory } from '../../store/directory.ts';
import { bareCase, bareStep } from './bare/workflow.ts';
import { signOffLinkIn } from '../drill/case-script.ts';
import { storedEmails } from './bench-app.ts';

/**
 * Issue 12's first two figures, from one run on one dev server: the six-step
 * lifecycle (root cause, sign-off through the email link, rectification,
 * review failed, rectification, review passed) through Rectify's HTTP API,
 * against bare Temporal doing the same six updates with no-op activities; and
 * the history each side leaves per case.
 */
export interface SideResult {
  cases: number;
  seconds: number;
  perSecond: number;
  stepMs: number[];
  historyEvents: number;
  historyBytes: number;
  billableActions: number;
  bytesPerStep: number[];
}

// The package is CommonJS: its namespace arrives as the default export under Node ESM.
const HistoryEvent = protoPkg.temporal.api.history.v1.HistoryEvent;
const SIGNING_KEYS = { current: 'b', keys: { b: 'bench-secret-0123456789abcdef0123456789' } };
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** What Temporal Cloud bills as actions, counted from a history's events. */
function billable(events: { eventType?: unknown }[]): number {
  const billed = new Set([
    'WorkflowExecutionStarted',
    'WorkflowExecutionUpdateAccepted',
    'WorkflowExecutionSignaled',
    'ActivityTaskScheduled',
    'TimerStarted',
    'UpsertWorkflowSearchAttributes',
    'MarkerRecorded',
    'StartChildWorkflowExecutionInitiated',
  ]);
  return events.filter((e) => billed.has(eventName(e.eventType))).length;
}

// History events carry the proto enum's number; its names come from the same package.
const EventType = protoPkg.temporal.api.enums.v1.EventType as unknown as Record<string, number | string>;
function eventName(t: unknown): string {
  const name = typeof t === 'number' ? EventType[t] : t;
  return String(name)
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

async function measureHistory(client: Client, workflowId: string) {
  const handle = client.workflow.getHandle(workflowId);
  const [desc, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
  // BENCH_HISTORY_DIR keeps each measured history, to see which events a case's count is made of.
  const dir = process.env['BENCH_HISTORY_DIR'];
  if (dir) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${workflowId}.json`), JSON.stringify(history, null, 1));
  }
  return {
    events: desc.historyLength,
    bytes: Number(desc.raw.workflowExecutionInfo?.historySizeBytes ?? 0),
    billable: billable(history.events ?? []),
  };
}

async function driveConcurrently(total: number, concurrency: number, one: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await one(next++);
    }),
  );
}

export async function benchLifecycleVsBare(
  stack: EphemeralStack,
  opts: { cases: number; concurrency: number; progress: (line: string) => void },
): Promise<{
  rectify: SideResult;
  bare: SideResult;
  oneRound: { events: number; bytes: number; billable: number };
}> {
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
  const taskQueue = `bench-life-${Date.now()}`;
  const worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    deps,
    bundle: await bundleWorkflows(),
  });
  const bareQueue = `${taskQueue}-bare`;
  const bareWorker = await Worker.create({
    connection: native,
    namespace: 'default',
    taskQueue: bareQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: new URL('./bare/workflow.ts', import.meta.url).pathname,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    }),
    activities: { async noop() {} },
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
  const server: ServerType = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  const [supToken, staffToken] = await Promise.all([
    issueLocalToken(JWT_SECRET, 'sup-wang'),
    issueLocalToken(JWT_SECRET, 'staff-zhou'),
  ]);
  const staffEmail = dir.people.find((p) => p.id === 'staff-zhou')!.email;

  const api = async (token: string, path: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { caseId?: string; stage?: string };
  };
  // A routine repair in room A101 for staff-zhou: every case the bench opens.
  const openCase = (title: string) =>
    api(supToken, '/api/cases', {
      title,
      description: 'benchmark case',
      source: 'repair',
      severity: 'routine',
      location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
      assigneeId: 'staff-zhou',
    });
  const signOffLink = async (caseId: string): Promise<string> => {
    for (let i = 0; i < 400; i++) {
      for (const e of await storedEmails(stack.sesEndpoint)) {
        if (!(e.body.text ?? '').includes(caseId)) continue;
        const link = signOffLinkIn(e, staffEmail);
        if (link) return link;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no sign-off email for ${caseId}`);
  };
  const signByLink = async (link: string) => {
    const page = await (await fetch(link)).text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1] ?? '';
    const form = new URLSearchParams({ csrf: field('csrf'), textHash: field('textHash'), choice: 'confirm' });
    const res = await fetch(link, { method: 'POST', body: form, redirect: 'manual' });
    if (res.status >= 400) throw new Error(`sign-off link: ${res.status}`);
  };

  const rectify: SideResult = emptySide(opts.cases);
  const bare: SideResult = emptySide(opts.cases);
  const rectifyIds: string[] = [];
  let oneRound = { events: 0, bytes: 0, billable: 0 };
  const bareIds: string[] = [];
  const timed = async <T>(side: SideResult, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    side.stepMs.push(performance.now() - t0);
    return r;
  };

  try {
    await worker.runUntil(
      bareWorker.runUntil(async () => {
        opts.progress(`Rectify: ${opts.cases} cases through the HTTP API and the email link…`);
        let t0 = performance.now();
        await driveConcurrently(opts.cases, opts.concurrency, async (i) => {
          const opened = await timed(rectify, () => openCase(`bench ${i}`));
          const id = opened.caseId!;
          rectifyIds.push(id);
          const c = `/api/cases/${id}`;
          await timed(rectify, () =>
            api(supToken, `${c}/root-cause`, {
              causes: ['wear'],
              responsibleId: 'staff-zhou',
              plan: 'replace',
            }),
          );
          const link = await signOffLink(id);
          await timed(rectify, () => signByLink(link));
          await timed(rectify, () =>
            api(staffToken, `${c}/rectification`, { summary: 'done', evidence: ['photo-before.jpg'] }),
          );
          await timed(rectify, () => api(supToken, `${c}/review`, { passed: false, notes: 'not yet' }));
          await timed(rectify, () =>
            api(staffToken, `${c}/rectification`, { summary: 'redone', evidence: ['photo-after.jpg'] }),
          );
          await timed(rectify, () => api(supToken, `${c}/review`, { passed: true, notes: 'ok' }));
        });
        rectify.seconds = (performance.now() - t0) / 1000;

        // One round (the issue's actions target): root cause, sign-off, rectification, review passed.
        const one = await openCase('bench one round');
        const oc = `/api/cases/${one.caseId!}`;
        await api(supToken, `${oc}/root-cause`, {
          causes: ['wear'],
          responsibleId: 'staff-zhou',
          plan: 'replace',
        });
        await signByLink(await signOffLink(one.caseId!));
        await api(staffToken, `${oc}/rectification`, { summary: 'done', evidence: ['photo-after.jpg'] });
        await api(supToken, `${oc}/review`, { passed: true, notes: 'ok' });
        await client.workflow.getHandle(one.caseId!).result();
        oneRound = await measureHistory(client, one.caseId!);

        opts.progress(`bare Temporal: ${opts.cases} cases, the same six updates…`);
        t0 = performance.now();
        await driveConcurrently(opts.cases, opts.concurrency, async (i) => {
          const id = `${bareQueue}-${i}`;
          bareIds.push(id);
          const handle = await timed(bare, () =>
            client.workflow.start(bareCase, { taskQueue: bareQueue, workflowId: id }),
          );
          const steps: { step: string; passed?: boolean }[] = [
            { step: 'root_cause' },
            { step: 'sign_off' },
            { step: 'rectification' },
            { step: 'review', passed: false },
            { step: 'rectification' },
            { step: 'review', passed: true },
          ];
          for (const s of steps) await timed(bare, () => handle.executeUpdate(bareStep, { args: [s] }));
          await handle.result();
        });
        bare.seconds = (performance.now() - t0) / 1000;
      }),
    );
    for (const [side, ids] of [
      [rectify, rectifyIds],
      [bare, bareIds],
    ] as const) {
      side.perSecond = side.cases / side.seconds;
      const h = await measureHistory(client, ids[0]!);
      side.historyEvents = h.events;
      side.historyBytes = h.bytes;
      side.billableActions = h.billable;
    }
    rectify.bytesPerStep = await bytesPerStep(client, rectifyIds[0]!);
    bare.bytesPerStep = await bytesPerStep(client, bareIds[0]!);
  } finally {
    server.close();
    await connection.close();
    await native.close();
    aws.ddb.destroy();
    aws.ses.destroy();
  }
  return { rectify, bare, oneRound };
}

function emptySide(cases: number): SideResult {
  return {
    cases,
    seconds: 0,
    perSecond: 0,
    stepMs: [],
    historyEvents: 0,
    historyBytes: 0,
    billableActions: 0,
    bytesPerStep: [],
  };
}

/** The history's encoded size after each accepted update: how a case grows step by step. */
async function bytesPerStep(client: Client, workflowId: string): Promise<number[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const out: number[] = [];
  let bytes = 0;
  for (const e of history.events ?? []) {
    bytes += HistoryEvent.encode(HistoryEvent.create(e as object)).finish().length;
    if (eventName(e.eventType) === 'WorkflowExecutionUpdateAccepted') out.push(bytes);
  }
  out.push(bytes);
  return out;
}
