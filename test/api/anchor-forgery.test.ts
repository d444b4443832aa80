import { Client, Connection, type ScheduleHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createAuditActivities } from '../../activities/audit-anchor.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import { issueLocalToken } from '../../api/auth.ts';
import { verifyAll, type CaseVerification, type VerifyEvent } from '../../audit/verify.ts';
import { anchorRoot } from '../../domain/hash-chain.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import { appendAudit, chainHead } from '../../store/audit-chain.ts';
import { readAnchorHeads, sealAnchor, writeAnchorHeads } from '../../store/anchors.ts';
import type { AuditAnchorResult } from '../../workflows/audit-anchor/workflow.ts';
import { triggerAnchor } from '../../infra/anchor-trigger.ts';
import { runAuditCli } from '../support/audit-cli.ts';
import { auditAppDeps, auditTestApp } from '../support/audit-app.ts';
import { deleteCase, seedCase, testView } from '../support/audit-fixtures.ts';
import { seedDemo, testDeps, testEnv, uniqueId, ownTables } from '../support/stack.ts';

/**
 * Found on main: someone with write access to the tables rewrites a closed case's entries and
 * its record head, writes an anchor linked to the real one over the rewritten head, and
 * `GET /api/audit/verify` answered ok; the next real anchor run then built on the forged row.
 * Here the real anchors are runs of the anchor workflow on the dev server, started by a
 * Temporal Schedule as in a deployment, over tables of this file's own.
 */
const prefix = uniqueId('forge');
const env = testEnv({
  ...ownTables(prefix),
  TEMPORAL_TASK_QUEUE: uniqueId('tq-forge'),
});
const deps: ActivityDeps = testDeps(env);
let connection: Connection;
let native: NativeConnection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let app: Hono;
let schedule: ScheduleHandle;
let auditToken: string;

beforeAll(async () => {
  await ensureTables(deps.ddb, deps.tables);
  await seedDemo(deps);
  const address = inject('stack').temporalAddress;
  [connection, native] = await Promise.all([
    Connection.connect({ address }),
    NativeConnection.connect({ address }),
  ]);
  client = new Client({ connection });
  worker = await Worker.create({
    connection: native,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    workflowBundle: await bundleWorkflows(),
    activities: createAuditActivities(deps),
  });
  running = worker.run();
  app = auditTestApp(auditAppDeps(env, deps, client));
  auditToken = await issueLocalToken(env.JWT_SECRET!, 'audit-he');
  // As infra/schedules.ts creates it, but only ever triggered by hand here.
  schedule = await client.schedule.create({
    scheduleId: uniqueId('forge-anchor'),
    spec: { cronExpressions: ['0 2 1 1 *'] },
    action: {
      type: 'startWorkflow',
      workflowType: 'auditAnchor',
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      args: [{}],
    },
    policies: { overlap: 'SKIP' },
  });
});
afterAll(async () => {
  await schedule?.delete().catch(() => undefined);
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
});

/** Triggers the schedule and returns the result of the run it started. */
const scheduledAnchor = () => triggerAnchor(client, schedule.scheduleId);

async function verifyEvents(): Promise<VerifyEvent[]> {
  const res = await app.request('/api/audit/verify', { headers: { authorization: `Bearer ${auditToken}` } });
  expect(res.status).toBe(200);
  return (await res.text())
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as VerifyEvent);
}

/** Verification once Temporal's visibility lists the given run as the newest completed one. */
async function verifyWitnessing(seq: number): Promise<VerifyEvent[]> {
  for (let i = 0; i < 100; i++) {
    const events = await verifyEvents();
    const start = events[0];
    if (start?.type === 'start' && start.anchor?.witness?.seq === seq) return events;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Temporal's visibility never listed the anchor run of seq ${seq}`);
}

// The intruder's own clients: nothing of the app's or the worker's caches.
const intruder = () => testDeps(env);

/** The intruder: deletes the case's trail and writes a new one, record head included, all well linked. */
async function rewriteCase(caseId: string, steps: number) {
  const deps = intruder();
  await deleteCase(deps, caseId, steps, { record: true });
  const openedAt = new Date().toISOString();
  for (let i = 1; i <= steps; i++) {
    await appendAudit(deps.ddb, deps.tables, {
      caseId,
      stepId: `rewritten-${i}`,
      at: new Date(Date.parse(openedAt) + i * 1000).toISOString(),
      actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
      action: i === 1 ? 'detected' : 'deadline_set',
      payload: { step: i, note: `改写的第 ${i} 步` },
      view: { ...testView(caseId, { openedAt, version: i }), stage: 'closed' },
    });
  }
}

/** The intruder's anchor: the real one's heads with the rewritten head, chained after the real row. */
async function forgeAnchor(
  real: AuditAnchorResult,
  caseId: string,
): Promise<{ anchorId: string; seq: number; hash: string }> {
  const deps = intruder();
  const heads = (
    await readAnchorHeads(deps.ddb, deps.tables, {
      anchorId: real.anchorId,
      root: real.root,
      caseCount: real.caseCount,
      chunkCount: Math.ceil(real.caseCount / 500),
    })
  ).filter((h) => h.caseId !== caseId);
  const now = await chainHead(deps.ddb, deps.tables, caseId);
  heads.push({ caseId, seq: now!.seq, hash: now!.hash });
  heads.sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
  const anchorId = `${uniqueId('rectify-audit-anchor')}/5f0c6a43-5a0b-4a0e-9d1e-1f2b3c4d5e6f`;
  const chunkCount = await writeAnchorHeads(deps, anchorId, heads);
  const sealed = await sealAnchor(deps, {
    anchorId,
    root: anchorRoot(heads),
    caseCount: heads.length,
    chunkCount,
    basedOn: real.seq,
    findings: { missing: [], rewritten: [], broken: [], counts: { missing: 0, rewritten: 0, broken: 0 } },
    at: new Date().toISOString(),
  });
  return { anchorId, seq: sealed.seq, hash: sealed.hash };
}

describe('a forged anchor over a rewritten case', () => {
  it('is reported forged, the case rewritten against the run’s own heads, and the next run does not build on it', async () => {
    const closed = uniqueId('ZG-FORGE');
    const other = uniqueId('ZG-KEEP');
    await seedCase(deps, closed, 3);
    await seedCase(deps, other, 2);
    const real = await scheduledAnchor();
    expect(real.basedOn).toBeNull();

    const honest = await verifyWitnessing(real.seq);
    expect(honest.at(-1)).toMatchObject({ type: 'summary', ok: true, anchorOk: true });
    expect(honest[0]).toMatchObject({ type: 'start', anchor: { seq: real.seq, forged: [] } });

    await rewriteCase(closed, 3);
    const forged = await forgeAnchor(real, closed);
    expect(forged.seq).toBe(real.seq + 1);
    // Against the table alone the forgery holds: the newest anchor vouches for the rewritten chain.
    const blind: VerifyEvent[] = [];
    for await (const e of verifyAll(intruder())) blind.push(e);
    expect(blind.at(-1)).toMatchObject({ type: 'summary', ok: true });

    const events = await verifyWitnessing(real.seq);
    expect(events[0]).toMatchObject({
      type: 'start',
      anchor: {
        seq: forged.seq,
        chain: { ok: true },
        heads: { ok: true },
        witness: { seq: real.seq, matches: true },
        forged: [{ seq: forged.seq, anchorId: forged.anchorId, problem: 'no_run' }],
      },
    });
    const caseLine = events.find((e) => e.type === 'case' && e.caseId === closed);
    expect(caseLine).toMatchObject({
      ok: false,
      againstWitness: true,
      anchor: { anchorSeq: real.seq, status: 'rewritten' },
    });
    expect(events.find((e) => e.type === 'case' && e.caseId === other)).toBeUndefined();
    const summary = events.at(-1);
    expect(summary).toMatchObject({ type: 'summary', ok: false, anchorOk: false });
    expect((summary as Extract<VerifyEvent, { type: 'summary' }>).rewritten.map((r) => r.caseId)).toEqual([
      closed,
    ]);

    const one = await app.request(`/api/audit/verify?caseId=${closed}`, {
      headers: { authorization: `Bearer ${auditToken}` },
    });
    expect((await one.json()) as CaseVerification).toMatchObject({
      ok: false,
      againstWitness: true,
      anchor: { anchorSeq: real.seq, status: 'rewritten' },
    });

    // The Schedule's next run gets the previous run's result from Temporal and builds on it.
    const next = await scheduledAnchor();
    expect(next.seq).toBe(forged.seq + 1);
    expect(next.basedOn).toBe(real.seq);
    expect(next.findings.rewritten).toEqual([closed]);
    const after = await verifyWitnessing(next.seq);
    expect(after[0]).toMatchObject({
      type: 'start',
      anchor: { seq: next.seq, witness: { seq: next.seq, matches: true }, forged: [{ seq: forged.seq }] },
    });
    expect(after.find((e) => e.type === 'case' && e.caseId === closed)).toMatchObject({
      ok: false,
      anchor: { status: 'rewritten' },
    });
    expect(after.at(-1)).toMatchObject({ type: 'summary', ok: false, anchorOk: false });
  });
  it('`npm run audit -- anchor` seals through the schedule: a run stands behind its anchor, so no verify calls it forged', async () => {
    const stack = inject('stack');
    const before = await verifyEvents();
    const start = before[0];
    if (start?.type !== 'start' || !start.anchor) throw new Error('no anchor yet');
    const cli = await runAuditCli(['anchor', '--schedule', schedule.scheduleId], {
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE,
      ...ownTables(prefix),
    });
    // The rewritten case of the test above is carried as a finding: the command says so by its exit code.
    expect(cli.code, cli.stderr).toBe(1);
    const sealed = JSON.parse(cli.stdout) as AuditAnchorResult;
    expect(sealed.seq).toBe(start.anchor.seq + 1);
    expect(sealed.basedOn).toBe(start.anchor.seq);
    expect(sealed.anchorId.startsWith(`${schedule.scheduleId}-`)).toBe(true);
    expect(cli.stderr).toContain(`anchor #${sealed.seq} sealed`);
    const after = await verifyWitnessing(sealed.seq);
    expect(after[0]).toMatchObject({
      type: 'start',
      anchor: { seq: sealed.seq, witness: { matches: true } },
    });
    // Only the intruder's row is unbacked, never the one the command sealed.
    const forged = after[0]?.type === 'start' ? (after[0].anchor?.forged ?? []) : [];
    expect(forged.map((f) => f.seq)).not.toContain(sealed.seq);

    const missing = await runAuditCli(['anchor', '--schedule', 'no-such-schedule'], {
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      ...ownTables(prefix),
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('npm run schedules');
  });
});
