import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import protoPkg from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { ActivityDeps } from '../../activities/index.ts';
import { pinCalendar } from '../../domain/calendar.ts';
import { buildPolicy } from '../../domain/case-policy.ts';
import type { Actor, CaseInput } from '../../domain/case-model.ts';
import { parseEnv } from '../../infra/config.ts';
import { stackVariables, type EphemeralStack } from '../../infra/local/ephemeral.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { ensureTables, localDynamo, searchAttributes } from '../../infra/local/servers.ts';
import { bundleWorkflows, createWorker, quietRuntime } from '../../infra/worker.ts';
import { createAwsDeps } from '../../store/clients.ts';
import { readDirectoryFile, saveDirectory } from '../../store/directory.ts';
import { rectificationCaseV2 } from '../../workflows/rectification-case/workflow.ts';
import {
  openedUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { driveConcurrently, storedEmails } from './bench-app.ts';

const { temporal } = protoPkg;
const DAY_MS = 86_400_000;
/** One university's year (DOMAIN.md): repair reports and feedback questionnaires. */
export const SEED_YEAR = { repairs: 14_127, surveys: 1_099 };

export interface YearResult {
  scale: number;
  cases: number;
  surveys: number;
  days: number;
  wallSeconds: number;
  peakRssMb: number;
  peakHeapMb: number;
  dynamo: { table: string; items: number; bytes: number }[];
  emails: number;
  /** Latency of each step (ms) by its name: opened, root cause, sign-off, rectification, review, survey. */
  stepMs: Record<string, number[]>;
  /** History bytes after each update of the first case. */
  bytesPerStep: number[];
}

/**
 * Issue 12's fourth figure: a university year at seed scale through the
 * time-skipping test server, with the real worker, DynamoDB Local and the SES
 * emulator. Each simulated day opens that day's share of the year's repair
 * reports and takes each case through root cause, sign-off, rectification and
 * a passed review; the year's questionnaires are the reporters' return-visit
 * surveys, answered on as many of the cases. Then the server's clock skips a
 * day (timers of open cases fire as they would). `scale` takes a fraction of
 * the year's volume over the same 365 days.
 */
export async function benchUniversityYear(
  stack: EphemeralStack,
  opts: { scale: number; concurrency: number; progress: (line: string) => void },
): Promise<YearResult> {
  quietRuntime();
  const cases = Math.max(1, Math.round(SEED_YEAR.repairs * opts.scale));
  const surveys = Math.min(cases, Math.round(SEED_YEAR.surveys * opts.scale));
  // Tables of its own, so the counts are this year's and nothing else's.
  const tables = { cases: 'year-cases', audit: 'year-audit', directory: 'year-directory', ops: 'year-ops' };
  const env = parseEnv({
    ...stackVariables(stack),
    TABLE_CASES: tables.cases,
    TABLE_AUDIT: tables.audit,
    TABLE_DIRECTORY: tables.directory,
    TABLE_OPS: tables.ops,
    LINK_SIGNING_KEYS: JSON.stringify({
      current: 'y',
      keys: { y: 'year-secret-0123456789abcdef0123456789' },
    }),
    JWT_SECRET: 'year-jwt-secret-0123456789abcdef0123456789',
    PUBLIC_BASE_URL: 'http://rectify.bench',
  });
  const admin = localDynamo(stack.dynamoEndpoint);
  await ensureTables(admin, tables);
  const aws = createAwsDeps(env);
  const dir = await readDirectoryFile(`${projectRoot}/infra/local/demo-campus.json`);
  await saveDirectory(aws.ddb, aws.tables, dir);
  const deps: ActivityDeps = {
    ...aws,
    signingKeys: { current: 'y', keys: { y: 'year-secret-0123456789abcdef0123456789' } },
    publicBaseUrl: 'http://rectify.bench',
    timeZone: env.CAMPUS_TZ,
  };
  const actor = (id: string): Actor => {
    const p = dir.people.find((x) => x.id === id)!;
    return { id: p.id, roles: p.roles, via: 'api' };
  };
  const emailsBefore = (await storedEmails(stack.sesEndpoint)).length;

  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 250);

  opts.progress('starting the time-skipping test server…');
  const testEnv = await timeSkipping(await withHeap(stack.timeSkippingServer, serverHeap()));
  const stepMs: Record<string, number[]> = {};
  const timed = async (step: string, f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    (stepMs[step] ??= []).push(performance.now() - t0);
  };
  try {
    const taskQueue = `bench-year-${Date.now()}`;
    const worker = await createWorker({
      connection: testEnv.nativeConnection,
      namespace: 'default',
      taskQueue,
      deps,
      bundle: await bundleWorkflows(),
    });
    const sup = actor('sup-wang');
    const staff = actor('staff-zhou');
    const start = performance.now();
    let done = 0;
    let firstHandle: WorkflowHandle | undefined;
    await worker.runUntil(async () => {
      for (let day = 0; day < 365; day++) {
        const from = Math.floor((day * cases) / 365);
        const to = Math.floor(((day + 1) * cases) / 365);
        const now = new Date(await testEnv.currentTimeMs());
        await driveConcurrently(to - from, opts.concurrency, async (j) => {
          const k = from + j;
          // Spread the surveys evenly over the year's cases.
          const surveyed = Math.floor(((k + 1) * surveys) / cases) > Math.floor((k * surveys) / cases);
          const reporter = surveyed ? { name: '学生', email: `stu-${k}@students.demo.edu.cn` } : undefined;
          const input = yearCase(dir, k, now, reporter);
          const handle = await testEnv.client.workflow.start(rectificationCaseV2, {
            taskQueue,
            workflowId: input.caseId,
            args: [input],
          });
          if (k === 0) firstHandle = handle;
          await timed('opened', () => handle.executeUpdate(openedUpdate, { args: [{}] }));
          await timed('root cause', () =>
            handle.executeUpdate(submitRootCauseUpdate, {
              args: [
                {
                  actor: sup,
                  causes: ['阀芯老化 worn valve'],
                  responsibleId: 'staff-zhou',
                  plan: '更换阀芯',
                },
              ],
            }),
          );
          await timed('sign-off', () =>
            handle.executeUpdate(signOffUpdate, {
              args: [{ actor: { ...staff, via: 'link' }, decision: 'confirm' }],
            }),
          );
          await timed('rectification', () =>
            handle.executeUpdate(reportRectificationUpdate, {
              args: [{ actor: staff, summary: '已更换 replaced', evidence: [`photo-${k}.jpg`] }],
            }),
          );
          await timed('review', () =>
            handle.executeUpdate(reviewUpdate, {
              args: [{ actor: sup, passed: true, notes: '复查合格 ok' }],
            }),
          );
          if (reporter) {
            await timed('survey', () =>
              handle.executeUpdate(submitFollowUpUpdate, {
                args: [
                  {
                    actor: { id: `reporter:${reporter.email}`, roles: [], via: 'link' },
                    score: k % 7 === 0 ? 4 : 5,
                    comment: '很满意 satisfied',
                  },
                ],
              }),
            );
          }
          done++;
        });
        sample();
        if ((day + 1) % 30 === 0 || day === 364) {
          const s = (performance.now() - start) / 1000;
          opts.progress(
            `day ${day + 1}/365: ${done}/${cases} cases, ${s.toFixed(0)} s, rss ${(peakRss / 2 ** 20).toFixed(0)} MB peak`,
          );
        }
        // The day passes on the server's clock: reminders and deadlines of open cases fire.
        await testEnv.sleep(DAY_MS);
      }
    });
    const wallSeconds = (performance.now() - start) / 1000;
    const bytesPerStep = firstHandle ? await historyBytesPerUpdate(firstHandle) : [];
    sample();
    const dynamo = [];
    for (const t of Object.values(tables)) dynamo.push({ table: t, ...(await tableSize(admin, t)) });
    const emails = (await storedEmails(stack.sesEndpoint)).length - emailsBefore;
    return {
      scale: opts.scale,
      cases,
      surveys,
      days: 365,
      wallSeconds,
      peakRssMb: peakRss / 2 ** 20,
      peakHeapMb: peakHeap / 2 ** 20,
      dynamo,
      emails,
      stepMs,
      bytesPerStep,
    };
  } finally {
    clearInterval(sampler);
    await testEnv.teardown();
    admin.destroy();
    aws.ddb.destroy();
    aws.ses.destroy();
  }
}

function yearCase(
  dir: Parameters<typeof buildPolicy>[0],
  k: number,
  at: Date,
  reporter: { name: string; email: string } | undefined,
): CaseInput {
  const location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
  const p = dir.people.find((x) => x.id === 'sup-wang')!;
  return {
    caseId: `ZG-Y-${String(k).padStart(6, '0')}-${Date.now().toString(36)}`,
    title: `报修 ${k} 水龙头漏水 Leaking tap`,
    description: 'A101 卫生间水龙头持续漏水 The tap keeps leaking',
    source: 'repair',
    severity: 'routine',
    location,
    assigneeId: 'staff-zhou',
    reporter,
    openedBy: { id: p.id, roles: p.roles, via: 'api' },
    openedAt: at.toISOString(),
    policy: buildPolicy(
      dir,
      { source: 'repair', severity: 'routine', location },
      { timeZone: 'Asia/Shanghai', workingHours: { from: '00:00', to: '24:00' } },
    ),
    // Pinned as the API pins the calendar in force (here the official data alone).
    calendar: pinCalendar({}, Number(at.toISOString().slice(0, 4))),
  };
}

/**
 * The Java heap the time-skipping server gets (BENCH_YEAR_SERVER_HEAP, default 6g). It keeps every
 * case's history in memory for the whole run: the 512 MB the tests give it ran out at about 5,800
 * of the year's 14,127 cases (OutOfMemoryError, then every call timed out).
 */
function serverHeap(): string {
  const heap = process.env['BENCH_YEAR_SERVER_HEAP'] ?? '6g';
  if (!/^\d+[mg]$/.test(heap))
    throw new Error(`BENCH_YEAR_SERVER_HEAP=${heap}: give a size such as 6g or 4096m`);
  return heap;
}

/** A copy of the server's launch script with its -Xmx set to `heap`. */
async function withHeap(script: string, heap: string): Promise<string> {
  const text = await readFile(script, 'utf8');
  if (!text.includes('-Xmx')) throw new Error(`${script} sets no -Xmx to replace`);
  const copy = path.join(await mkdtemp(path.join(os.tmpdir(), 'year-server-')), 'time-skipping-server.sh');
  await writeFile(copy, text.replace(/-Xmx\S+/, `-Xmx${heap}`), { mode: 0o755 });
  return copy;
}

/**
 * The SDK's time-skipping environment over the pinned Java test server (the
 * script the tools cache writes), locked so the clock moves only when the
 * bench sleeps, with the case's search attributes registered as a cluster would.
 */
async function timeSkipping(script: string): Promise<TestWorkflowEnvironment> {
  let lastError: unknown;
  // The SDK gives the JVM a few seconds to listen: a loaded machine sometimes needs a second try.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: script } },
      });
      await env.connection.testService?.lockTimeSkipping({});
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
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

const HistoryEvent = temporal.api.history.v1.HistoryEvent;
const UPDATE_ACCEPTED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED;

async function historyBytesPerUpdate(handle: WorkflowHandle): Promise<number[]> {
  const history = await handle.fetchHistory();
  const out: number[] = [];
  let bytes = 0;
  for (const e of history.events ?? []) {
    bytes += HistoryEvent.encode(HistoryEvent.create(e as object)).finish().length;
    if (e.eventType === UPDATE_ACCEPTED) out.push(bytes);
  }
  out.push(bytes);
  return out;
}

/** Items and bytes of a table, by a full scan (a bench may scan; DynamoDB Local's describe lags). */
async function tableSize(ddb: DynamoDBClient, table: string): Promise<{ items: number; bytes: number }> {
  let items = 0;
  let bytes = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      items++;
      bytes += itemSize(item);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { items, bytes };
}

/** DynamoDB's item size rule: attribute names plus values (strings in UTF-8, numbers roughly by digits). */
function itemSize(item: Record<string, AttributeValue>): number {
  let n = 0;
  for (const [name, v] of Object.entries(item)) n += Buffer.byteLength(name) + valueSize(v);
  return n;
}
function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-/, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((a, s) => a + Buffer.byteLength(s), 0);
  if (v.NS) return v.NS.reduce((a, s) => a + s.length, 0);
  if (v.L) return 3 + v.L.reduce((a, x) => a + 1 + valueSize(x), 0);
  if (v.M)
    return 3 + Object.entries(v.M).reduce((a, [k, x]) => a + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  return 0;
}
