import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import type { ActivityDeps } from '../../activities/index.ts';
import { buildPolicy } from '../../domain/case-policy.ts';
import type { Actor, CaseInput, Reporter } from '../../domain/case-model.ts';
import type { Directory, Location } from '../../domain/directory.ts';
import type { Severity, Source } from '../../domain/sla.ts';
import { createWorker } from '../../infra/worker.ts';
import { searchAttributes } from '../../infra/local/servers.ts';
import { temporal } from '@temporalio/proto';
import { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { openedUpdate } from '../../workflows/rectification-case/messages.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import { seedDemo, sentEmails, testDeps, uniqueId } from './stack.ts';

/**
 * A time-skipping Temporal test server of this file's own (its clock is global, so never
 * shared). With `startAt`, its clock starts at that instant instead of the host's now.
 */
export async function timeSkippingEnv(startAt?: Date): Promise<TestWorkflowEnvironment> {
  const executable = startAt ? await serverStartingAt(startAt) : inject('stack').timeSkippingServer;
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: executable } },
  });
  // The test server validates search attributes like a real cluster: register the case's own.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(searchAttributes).map(([name, type]) => [
        name,
        type === 'Bool'
          ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL
          : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return env;
}

export async function caseWorker(
  env: TestWorkflowEnvironment,
  deps: ActivityDeps,
  bundle: WorkflowBundle,
  taskQueue: string,
): Promise<Worker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    deps,
    bundle,
  });
}

export function actorOf(dir: Directory, id: string, via: Actor['via'] = 'api'): Actor {
  const p = dir.people.find((x) => x.id === id);
  if (!p) throw new Error(`no person ${id} in the demo directory`);
  return { id: p.id, roles: p.roles, via };
}

export interface NewCase {
  source?: Source;
  severity?: Severity;
  category?: string;
  location?: Location;
  assigneeId?: string;
  reporter?: Reporter;
  openedBy?: string;
  maxFailedReviews?: number;
}

export function caseInput(dir: Directory, at: Date, c: NewCase = {}): CaseInput {
  const source = c.source ?? 'repair';
  const severity = c.severity ?? 'routine';
  const location = c.location ?? { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
  return {
    caseId: uniqueId('ZG-T'),
    title: '水龙头漏水 Leaking tap',
    description: 'A101 卫生间水龙头持续漏水',
    source,
    severity,
    category: c.category,
    location,
    assigneeId: c.assigneeId ?? 'staff-zhou',
    reporter: c.reporter,
    openedBy: actorOf(dir, c.openedBy ?? 'sup-wang'),
    openedAt: at.toISOString(),
    policy: buildPolicy(
      dir,
      { source, severity, category: c.category, location },
      { timeZone: 'Asia/Shanghai', ...(c.maxFailedReviews ? { maxFailedReviews: c.maxFailedReviews } : {}) },
    ),
  };
}

/** Starts a case and waits until it is open (first deadline set), as the API does before answering 201. */
export async function startCase(env: TestWorkflowEnvironment, taskQueue: string, input: CaseInput) {
  const handle = await env.client.workflow.start(rectificationCase, {
    taskQueue,
    workflowId: input.caseId,
    args: [input],
  });
  const view = await handle.executeUpdate(openedUpdate, { args: [{}] });
  return { handle, view };
}

/**
 * A wrapper script like the stock one (same java, same pinned jars) that launches
 * TestServerAt.java, the test server with its clock set to `startAt`. The class is compiled
 * once per source version into the cache beside the other pinned tools: the SDK gives a
 * test server 5 s to listen, too little to compile the source at every start.
 */
async function serverStartingAt(startAt: Date): Promise<string> {
  const stock = await readFile(inject('stack').timeSkippingServer, 'utf8');
  const m = /exec "([^"]+)" .*-cp '([^']+)'/.exec(stock);
  if (!m?.[1] || !m[2]) throw new Error(`cannot read java and jars from ${inject('stack').timeSkippingServer}`);
  const [java, jars] = [m[1], m[2]];
  const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'TestServerAt.java');
  const code = await readFile(source);
  const hash = createHash('sha256').update(code).update(jars).digest('hex').slice(0, 16);
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'rectify');
  const classes = path.join(cache, 'test-server-at', hash);
  if (!existsSync(path.join(classes, 'TestServerAt.class'))) {
    // Compiled aside and renamed into place, so parallel test files never see half a class.
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'rectify-javac-'));
    await promisify(execFile)(path.join(path.dirname(java), 'javac'), ['-cp', jars, '-d', scratch, source]);
    await mkdir(path.dirname(classes), { recursive: true });
    await rename(scratch, classes).catch((err: NodeJS.ErrnoException) => {
      if (!existsSync(path.join(classes, 'TestServerAt.class'))) throw err;
    });
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rectify-ts-at-'));
  const script = path.join(dir, 'time-skipping-server-at.sh');
  await writeFile(
    script,
    `#!/bin/sh\nexec "${java}" -Xms64m -Xmx512m -cp '${jars}:${classes}' -Drectify.initialTimeMillis=${startAt.getTime()} TestServerAt "$1"\n`,
  );
  await chmod(script, 0o755);
  return script;
}

/** An instant as campus-local wall time, 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
export function shanghai(at: string | number | Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/**
 * Runs an update expected to be refused and returns the refusal's failure type (one of
 * CaseFailure), so tests assert the cause type rather than its wording.
 */
export async function refusalType(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return err.cause.type ?? undefined;
    throw err;
  }
  throw new Error('the update was accepted, but a refusal was expected');
}

export const historiesDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'replay',
  'histories',
);

/**
 * When RECORD_HISTORIES names a folder (test/replay/record.ts sets it), writes the
 * workflow's history there as `<name>.json` for the replay test. A no-op otherwise.
 */
export async function saveHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const label = process.env.RECORD_HISTORIES;
  if (!label) return;
  const history = await handle.fetchHistory();
  const dir = path.join(historiesDir, label);
  await mkdir(dir, { recursive: true });
  // The proto3 JSON form `temporal workflow show --output json` writes; historyFromJSON reads it.
  await writeFile(path.join(dir, `${name}.json`), historyToJSON(history) + '\n');
}

export interface CaseStack {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
  deps: ActivityDeps;
  dir: Directory;
  /** Runs `fn` with a fresh worker on a fresh task queue, shut down when `fn` settles. */
  withWorker<T>(fn: (taskQueue: string, worker: Worker) => Promise<T>): Promise<T>;
  /** The test server's clock now. */
  now(): Promise<Date>;
  /**
   * Moves the clock to `ms`, then waits in real time until each case has finished what the
   * instant set off. Land just after the instants a case wakes at (reminders, breaches):
   * the test server keeps skipping while a workflow task or activity runs, so a long leap
   * across a wake-up can time them out.
   */
  advanceTo(ms: number, ...handles: WorkflowHandle[]): Promise<void>;
}

/**
 * Waits (real time) until a workflow has no pending activity and its history stopped
 * growing: what the last wake-up or update set off has been done.
 */
export async function settle(handle: WorkflowHandle, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = -1;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > until) throw new Error(`${handle.workflowId} did not settle in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    const d = await handle.describe();
    const busy = (d.raw.pendingActivities?.length ?? 0) > 0 || Boolean(d.raw.pendingWorkflowTask);
    quiet = !busy && d.historyLength === last ? quiet + 1 : 0;
    last = d.historyLength;
  }
}

/**
 * One test file's stack: its own time-skipping server (optionally starting at `startAt`),
 * one workflow bundle, real activities over the shared DynamoDB Local and SES emulator,
 * and the demo campus seeded. Registers its own beforeAll/afterAll.
 */
export function useCaseStack(opts: { startAt?: Date } = {}): CaseStack {
  const ctx = {
    async withWorker<T>(fn: (taskQueue: string, worker: Worker) => Promise<T>): Promise<T> {
      const taskQueue = uniqueId('tq');
      const worker = await caseWorker(ctx.env, ctx.deps, ctx.bundle, taskQueue);
      return worker.runUntil(fn(taskQueue, worker));
    },
    async now() {
      return new Date(await ctx.env.currentTimeMs());
    },
    async advanceTo(ms: number, ...handles: WorkflowHandle[]) {
      const now = await ctx.env.currentTimeMs();
      if (ms > now) await ctx.env.sleep(ms - now);
      for (const h of handles) await settle(h);
    },
  } as CaseStack;
  beforeAll(async () => {
    [ctx.env, ctx.bundle] = await Promise.all([timeSkippingEnv(opts.startAt), bundleWorkflows()]);
    ctx.deps = testDeps();
    ctx.dir = await seedDemo(ctx.deps);
  });
  afterAll(async () => {
    await ctx.env?.teardown();
  });
  return ctx;
}

/** The kind of a case email, read from its Chinese subject tag (【提醒】 → '提醒'). */
export interface CaseMail {
  tag: string;
  to: string;
  subject: string;
  text: string;
}

/** Every email the SES emulator holds for one case, with its subject tag and recipient. */
export async function caseMails(caseId: string): Promise<CaseMail[]> {
  const mails = await sentEmails((e) => e.subject.includes(caseId));
  return mails.flatMap((m) =>
    m.to.map((to) => ({ tag: /【([^】]+)】/.exec(m.subject)?.[1] ?? '?', to, subject: m.subject, text: m.text })),
  );
}

/** `tag to` lines, sorted: compare with an expected list to check each email went exactly once. */
export async function mailLog(caseId: string): Promise<string[]> {
  return (await caseMails(caseId)).map((m) => `${m.tag} ${m.to}`).sort();
}

export function emailOf(dir: Directory, id: string): string {
  const p = dir.people.find((x) => x.id === id);
  if (!p) throw new Error(`no person ${id} in the demo directory`);
  return p.email;
}
