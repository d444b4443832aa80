import type { WorkingHours } from '../../domain/quiet-hours.ts';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  ApplicationFailure,
  WorkflowClient,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { UpdateDefinition, Workflow } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import { buildPolicy } from '../../domain/case-policy.ts';
import type { Actor, CaseInput, CaseView, Reporter } from '../../domain/case-model.ts';
import type { Directory, Location } from '../../domain/directory.ts';
import type { Severity, Source } from '../../domain/sla.ts';
import { createWorker, effectWorkers, RectifyWorker } from '../../infra/worker.ts';
import { freePort, searchAttributes } from '../../infra/local/servers.ts';
import { closableRetries, type ClosableRetries } from './closable-retries.ts';
// CommonJS package: Node's ESM loader exposes only its default export.
import type { temporal as proto } from '@temporalio/proto';
import protoPkg from '@temporalio/proto';

const { temporal } = protoPkg;
import { rectificationCaseV2, type rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { localDate, pinCalendar, type CalendarOverrides } from '../../domain/calendar.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  openedUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
  type StepAck,
} from '../../workflows/rectification-case/messages.ts';
import { viewAfterStep } from '../../api/step-view.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import { ownTables, seedDemo, sentEmails, testDeps, testEnv, uniqueId } from './stack.ts';
import { ensureTables } from '../../infra/local/servers.ts';

/**
 * A time-skipping Temporal test server of this file's own (its clock is global, so never
 * shared). With `startAt`, its clock starts at that instant instead of the host's now.
 */
export async function timeSkippingEnv(startAt?: Date): Promise<TestWorkflowEnvironment> {
  const server = await launchTestServer(startAt);
  const retries = closableRetries();
  let env: TestWorkflowEnvironment;
  try {
    env = await connectTimeSkipping(server.address, retries);
  } catch (err) {
    await server.stop();
    throw err;
  }
  // The server starts with time skipping unlocked: it would leap to every timer (and to the
  // ten-year run timeouts) whenever idle. Locked, time runs at wall-clock speed except
  // while a test sleeps (env.sleep) or awaits a result, as the SDK's tests expect.
  await env.connection.testService?.lockTimeSkipping({});
  const closeConnections = env.teardown.bind(env);
  // The SDK stops only servers it spawned itself; this one is ours to stop. Calls a test left
  // running fail once it stops, and must not retry into the closed connection (closable-retries).
  env.teardown = async () => {
    await retries.close();
    await closeConnections();
    await server.stop();
  };
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
): Promise<RectifyWorker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    deps,
    bundle,
  });
}

/**
 * A case worker that keeps no workflow cache, so it never asks for a sticky task queue.
 * For tests that stop a worker mid-case: a real server moves a dead worker's sticky tasks
 * (and queries) back to the shared queue after a few seconds, the Java test server never
 * does, so they would wait forever for a worker that is gone.
 */
export async function uncachedCaseWorker(
  env: TestWorkflowEnvironment,
  deps: ActivityDeps,
  bundle: WorkflowBundle,
  taskQueue: string,
): Promise<RectifyWorker> {
  const opts = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue };
  const main = await Worker.create({
    ...opts,
    workflowBundle: bundle,
    activities: createActivities(deps),
    maxCachedWorkflows: 0,
  });
  return new RectifyWorker(main, await effectWorkers(opts, createActivities(deps)));
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
  /** Quiet hours: none unless a test asks, since most cases start at the host's time of day. */
  workingHours?: WorkingHours;
  /**
   * The calendar the case pins, as the API pins the one in force: by default the official data
   * alone (what the test worker plans with); `null` pins none, as a duty's or inspection's case.
   */
  calendar?: CalendarOverrides | null;
}

export const ALWAYS_WORKING: WorkingHours = { from: '00:00', to: '24:00' };

/** The campus year of an instant (what a case opened then pins the official days of). */
const yearIn = (at: Date) => Number(localDate(at.toISOString(), 'Asia/Shanghai').slice(0, 4));

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
      {
        timeZone: 'Asia/Shanghai',
        workingHours: c.workingHours ?? ALWAYS_WORKING,
        ...(c.maxFailedReviews ? { maxFailedReviews: c.maxFailedReviews } : {}),
      },
    ),
    ...(c.calendar === null ? {} : { calendar: pinCalendar(c.calendar ?? {}, yearIn(at)) }),
  };
}

/**
 * Starts a case and waits until it is open (first deadline set), as the API does before answering
 * 201: as the API's workflow type, or as `rectificationCase` (a duty's or inspection's case).
 */
export async function startCase(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  input: CaseInput,
  type: typeof rectificationCase = rectificationCaseV2,
) {
  const handle = await env.client.workflow.start(type, {
    taskQueue,
    workflowId: input.caseId,
    args: [input],
  });
  const view = await viewAfterStep(handle, handle.executeUpdate(openedUpdate, { args: [{}] }));
  return { handle, view };
}

/**
 * Starts the pinned Java test server (same java, same jars as the stock wrapper script)
 * and waits for it to listen. The SDK's own launcher gives the JVM 5 s, which a loaded
 * two-core machine running parallel test files does not always meet; this waits up to 2
 * minutes. With `startAt` it runs TestServerAt (compiled once per source version into the
 * cache beside the other pinned tools) so the clock starts at that instant.
 */
async function launchTestServer(startAt?: Date): Promise<{ address: string; stop(): Promise<void> }> {
  const stock = await readFile(inject('stack').timeSkippingServer, 'utf8');
  const m = /exec "([^"]+)" .*-cp '([^']+)'/.exec(stock);
  if (!m?.[1] || !m[2])
    throw new Error(`cannot read java and jars from ${inject('stack').timeSkippingServer}`);
  const [java, jars] = [m[1], m[2]];
  const port = await freePort();
  const args = startAt ? ['-cp', `${jars}:${await compiledTestServerAt(java, jars)}`] : ['-cp', jars];
  args.unshift('-Xms64m', '-Xmx512m', '-XX:TieredStopAtLevel=1');
  if (startAt) args.push(`-Drectify.initialTimeMillis=${startAt.getTime()}`, 'TestServerAt', String(port));
  else args.push('io.temporal.testserver.TestServer', String(port), '--enable-time-skipping');
  const child = spawn(java, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const until = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Java test server exited early: ${stderr}`);
    if (await canConnect(port)) return { address: `127.0.0.1:${port}`, stop };
    if (Date.now() > until) {
      await stop();
      throw new Error(`the Java test server did not listen on ${port} within 2 minutes: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function compiledTestServerAt(java: string, jars: string): Promise<string> {
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
  return classes;
}

type CreateEnvironment = (opts: {
  server: { type: 'existing' };
  address: string;
  namespace: string;
  supportsTimeSkipping: boolean;
  connectionOptions: { interceptors: ClosableRetries['interceptor'][] };
}) => Promise<TestWorkflowEnvironment>;

/**
 * A time-skipping environment over a test server we started. The SDK's public factories
 * either spawn the server themselves or treat an existing one as a plain server (no
 * time skipping); the private `create` behind both takes the flag directly.
 */
function connectTimeSkipping(address: string, retries: ClosableRetries): Promise<TestWorkflowEnvironment> {
  const factory = TestWorkflowEnvironment as unknown as { create: CreateEnvironment };
  return factory.create.call(TestWorkflowEnvironment, {
    server: { type: 'existing' },
    address,
    namespace: 'default',
    supportsTimeSkipping: true,
    connectionOptions: { interceptors: [retries.interceptor] },
  });
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

const HistoryMessage = temporal.api.history.v1.History;

/**
 * A history as JSON (protobufjs's toJSON: enums by name, 64-bit integers as strings, bytes
 * as base64), read back by {@link historyFromFile}. Not the SDK's historyToJSON/FromJSON:
 * in this install @temporalio/common carries its own protobufjs copy, whose JSON codec
 * refuses @temporalio/proto's types ("type must be a Type").
 */
export function historyJson(history: proto.api.history.v1.IHistory): string {
  return JSON.stringify(HistoryMessage.fromObject(history).toJSON(), null, 1) + '\n';
}

export async function historyFromFile(file: string): Promise<proto.api.history.v1.History> {
  return HistoryMessage.fromObject(JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>);
}

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
  await writeFile(path.join(dir, `${name}.json`), historyJson(history));
}

export interface CaseStack {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
  deps: ActivityDeps;
  dir: Directory;
  /** Runs `fn` with a fresh worker on a fresh task queue, shut down when `fn` settles. */
  withWorker<T>(fn: (taskQueue: string, worker: RectifyWorker) => Promise<T>): Promise<T>;
  /** The test server's clock now. */
  now(): Promise<Date>;
  /**
   * Moves the clock to `ms`, then waits in real time until each case has finished what the
   * instant set off. Land just after the instants a case wakes at (reminders, breaches):
   * the test server keeps skipping while a workflow task or activity runs, so a long leap
   * across a wake-up can time them out.
   */
  advanceTo(ms: number, ...handles: WorkflowHandle[]): Promise<void>;
  /**
   * The case's result once it has finished on its own, without moving the clock.
   */
  result(handle: WorkflowHandle<typeof rectificationCase>): Promise<CaseView>;
}

/**
 * A client that waits on results without unlocking time skipping: the environment's own would,
 * and the server would leap to the next thing it has scheduled.
 */
export function plainClient(env: TestWorkflowEnvironment): WorkflowClient {
  return new WorkflowClient({ connection: env.connection, namespace: env.namespace ?? 'default' });
}

/**
 * Starts a run meant to fail on its input and returns what it failed with, bounded so that a
 * failure Temporal would retry forever (a plain Error failing the workflow task, an activity
 * retried for hours) shows as a timeout instead of a hang.
 */
export async function failureOfRun<W extends Workflow>(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  workflow: W,
  args: Parameters<W>,
): Promise<unknown> {
  // Checked against W in this signature; the SDK's conditional `args` type can't be against a generic W.
  const untyped: Workflow = workflow;
  const handle = await plainClient(env).start(untyped, {
    taskQueue,
    workflowId: uniqueId(`failing-${workflow.name}`),
    args,
    workflowExecutionTimeout: '20 seconds',
  });
  return handle.result().catch((e: unknown) => e);
}

/** When each timer a workflow has running is due (ms on its server's clock), read from its history. */
export async function pendingTimerDues(handle: WorkflowHandle): Promise<number[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const due = new Map<string, number>();
  for (const e of events) {
    if (e.workflowExecutionCompletedEventAttributes || e.workflowExecutionFailedEventAttributes) return [];
    const started = e.timerStartedEventAttributes;
    if (started?.timerId) {
      const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
      const after = started.startToFireTimeout;
      due.set(
        started.timerId,
        at + Number(after?.seconds ?? 0) * 1000 + Math.floor((after?.nanos ?? 0) / 1e6),
      );
    }
    const ended = e.timerFiredEventAttributes?.timerId ?? e.timerCanceledEventAttributes?.timerId;
    if (ended) due.delete(ended);
  }
  return [...due.values()];
}

/**
 * Where to land for an instant `ms` so that no timer of `handles` is due just after it. The
 * time-skipping test server strands a run whose workflow task cancels a timer that fired while
 * the task was with the worker (it refuses the completion, "invalid history builder state for
 * action", and never hands the task out again); its clock runs at real pace after a skip, so a
 * step taken at an instant a timer is due a few milliseconds later (a reminder at exactly half
 * the stage) can hit that, and so can one due a little later when settling the other cases takes
 * real seconds before the step. Landing `guardMs` before such a timer keeps the step before it,
 * as the timeline meant; the real server has no such bug.
 */
export async function clearOfTimers(
  ms: number,
  handles: WorkflowHandle[],
  guardMs = 30_000,
): Promise<number> {
  const dues = (await Promise.all(handles.map(pendingTimerDues))).flat();
  let target = ms;
  for (let moved = true; moved;) {
    moved = false;
    for (const d of dues)
      if (d >= target && d < target + guardMs) {
        target = d - guardMs;
        moved = true;
      }
  }
  return target;
}

/**
 * Moves the clock to `ms`, landing clear of timers as {@link clearOfTimers} does, and settles
 * `handles` (a function: a run started on the way counts) wherever it stops. clearOfTimers can
 * only see the timers the runs hold before the leap; a wake-up during the leap can start one due
 * just after where it lands: a stage breached at 09:30 escalates 30 minutes later, at 10:00 plus
 * the few hundred real milliseconds its breach's workflow task ran after 09:30, so a step at
 * 10:00 taken after settling (a few hundred real milliseconds at real pace) raced that timer and
 * was refused when it lost. So the leap stops twice the guard short of its landing, settles,
 * reads the timers again and goes on; what the last stretch (at most twice the guard) starts is
 * due at least a timer's length later, and no run here waits less than minutes after a wake-up.
 */
export async function advanceClearOfTimers(
  stack: Pick<CaseStack, 'advanceTo' | 'now'>,
  ms: number,
  handles: () => WorkflowHandle[],
  guardMs = 30_000,
): Promise<void> {
  const settleAll = () => Promise.all(handles().map((h) => settle(h)));
  for (;;) {
    const target = await clearOfTimers(ms, handles(), guardMs);
    const now = (await stack.now()).getTime();
    const hop = target - 2 * guardMs;
    if (hop <= now) {
      if (target > now) await stack.advanceTo(target);
      await settleAll();
      return;
    }
    await stack.advanceTo(hop);
    await settleAll();
  }
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
  const ctx = caseStackOver(opts);
  beforeAll(async () => {
    await ctx.open();
  });
  afterAll(async () => {
    await ctx.env?.teardown();
  });
  return ctx;
}

/**
 * A case stack of its own, opened now and closed by `teardown`: for a test that runs again
 * from scratch when the time-skipping server strands a run (sdk-java#3088, see clearOfTimers).
 * `ownTables`: tables of its own too, so an attempt that stopped half-way leaves nothing (sent
 * digests, outbox rows) that a later attempt would read as its own.
 */
export async function openCaseStack(
  opts: { startAt?: Date; ownTables?: boolean } = {},
): Promise<CaseStack & { teardown(): Promise<void> }> {
  const ctx = caseStackOver(opts);
  await ctx.open();
  return Object.assign(ctx, { teardown: () => ctx.env.teardown() });
}

function caseStackOver(opts: { startAt?: Date; ownTables?: boolean }): CaseStack & { open(): Promise<void> } {
  const ctx = {
    async open() {
      [ctx.env, ctx.bundle] = await Promise.all([timeSkippingEnv(opts.startAt), bundleWorkflows()]);
      if (opts.ownTables) {
        const own = uniqueId('own');
        ctx.deps = testDeps(
          testEnv({
            ...ownTables(own),
          }),
        );
        await ensureTables(ctx.deps.ddb, ctx.deps.tables);
      } else ctx.deps = testDeps();
      ctx.dir = await seedDemo(ctx.deps);
    },
    async withWorker<T>(fn: (taskQueue: string, worker: RectifyWorker) => Promise<T>): Promise<T> {
      const taskQueue = uniqueId('tq');
      const worker = await caseWorker(ctx.env, ctx.deps, ctx.bundle, taskQueue);
      return worker.runUntil(fn(taskQueue, worker));
    },
    async now() {
      return new Date(await ctx.env.currentTimeMs());
    },
    async result(handle: WorkflowHandle<typeof rectificationCase>) {
      await settle(handle);
      // A plain client: for a finished case the server would otherwise leap to its
      // ten-year run timeout, moving every later test in the file into 2037.
      const plain = plainClient(ctx.env).getHandle<typeof rectificationCase>(handle.workflowId);
      // The case answers where it ended; the view it ended with is asked of it.
      return viewAfterStep(plain, plain.result());
    },
    async advanceTo(ms: number, ...handles: WorkflowHandle[]) {
      const now = await ctx.env.currentTimeMs();
      if (ms > now) await ctx.env.sleep(ms - now);
      for (const h of handles) await settle(h);
    },
  } as CaseStack & { open(): Promise<void> };
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
    m.to.map((to) => ({
      tag: /【([^】]+)】/.exec(m.subject)?.[1] ?? '?',
      to,
      subject: m.subject,
      text: m.text,
    })),
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

/**
 * The human steps of a case as the demo campus's people take them (supervisor sup-wang,
 * staff member staff-zhou unless told otherwise): short calls for tests that walk paths.
 */
export function steps(dir: Directory, handle: WorkflowHandle<typeof rectificationCase>) {
  // A step answers a small acknowledgement; the tests read the view after it.
  const run = <A>(update: UpdateDefinition<StepAck, [A]>, arg: A) =>
    viewAfterStep(handle, handle.executeUpdate(update, { args: [arg] }));
  return {
    rootCause: (by = 'sup-wang', responsibleId = 'staff-zhou') =>
      run(submitRootCauseUpdate, {
        actor: actorOf(dir, by),
        causes: ['阀芯老化'],
        responsibleId,
        plan: '更换阀芯',
      }),
    confirm: (by = 'staff-zhou') => run(signOffUpdate, { actor: actorOf(dir, by), decision: 'confirm' }),
    dispute: (reason: string, by = 'staff-zhou') =>
      run(signOffUpdate, { actor: actorOf(dir, by), decision: 'dispute', reason }),
    adjudicate: (decision: 'revise' | 'proceed', notes: string, by = 'sup-wang') =>
      run(adjudicateUpdate, { actor: actorOf(dir, by), decision, notes }),
    report: (by = 'staff-zhou') =>
      run(reportRectificationUpdate, {
        actor: actorOf(dir, by),
        summary: '已更换阀芯',
        evidence: ['photo-1.jpg'],
      }),
    review: (passed: boolean, notes: string, by = 'sup-wang') =>
      run(reviewUpdate, { actor: actorOf(dir, by), passed, notes }),
    // Settled before it answers: the withdrawal's last effects (its record, the reporters' notice)
    // must not be left for a worker the test is about to stop, or the time-skipping server would
    // hold its clock for them and stall the file's next test.
    withdraw: async (reason: string, by = 'sup-wang') => {
      const view = await run(withdrawUpdate, { actor: actorOf(dir, by), reason });
      await settle(handle);
      return view;
    },
    comment: (text: string, by = 'sup-wang') => run(addCommentUpdate, { actor: actorOf(dir, by), text }),
    rate: (reporter: Reporter, score: number, comment?: string) =>
      run(submitFollowUpUpdate, {
        actor: { id: `reporter:${(reporter.email ?? '').toLowerCase()}`, roles: [], via: 'link' },
        score,
        comment,
      }),
  };
}
