import {
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { anchorNow } from '../../audit/anchor-job.ts';
import { latestAnchor, readAnchorHeads, sealAnchor } from '../../store/anchors.ts';
import { ANCHOR_CHAIN_ID } from '../../store/keys.ts';
import { appendAudit, readChain, recordedHead } from '../../store/audit-chain.ts';
import { verifyAll, verifyCase, type VerifyEvent } from '../../audit/verify.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import { anchorRoot, verifyChain } from '../../domain/hash-chain.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { EffectFailure } from '../../domain/effect-failure.ts';
import { viewDelta } from '../../domain/view-delta.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import {
  deleteCase,
  deleteEntry,
  editEntry,
  insertEntry,
  seedCase,
  swapEntries,
  testView,
  type Field,
} from '../support/audit-fixtures.ts';
import { seedDemo, sentEmails, testDeps, testEnv, uniqueId } from '../support/stack.ts';

const deps = testDeps();

beforeAll(async () => {
  await seedDemo(deps);
});

/** Deletes the last `count` of a chain's `last` entries: what is left is a valid, shorter chain. */
async function deleteTail(d: ActivityDeps, caseId: string, last: number, count: number): Promise<void> {
  for (let seq = last; seq > last - count; seq--) await deleteEntry(d, caseId, seq);
}

/** A system step (an email_sent entry) appended to a case's chain, as the mail activity writes one. */
const systemStep = (caseId: string, stepId: string, payload: unknown) =>
  appendAudit(deps.ddb, deps.tables, {
    caseId,
    stepId,
    at: new Date().toISOString(),
    actor: { id: 'system', via: 'system' },
    action: 'email_sent',
    payload,
  });

async function collect(events: AsyncGenerator<VerifyEvent>): Promise<VerifyEvent[]> {
  const out: VerifyEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/**
 * Tables of this test's own: for tampering with anchors, which are global to a table set,
 * without breaking the anchors other files (running in parallel) read and write.
 */
async function ownTables(): Promise<ActivityDeps> {
  const prefix = uniqueId('own');
  const tables = {
    cases: `${prefix}-cases`,
    audit: `${prefix}-audit`,
    directory: `${prefix}-directory`,
    ops: `${prefix}-ops`,
  };
  const own = testDeps(
    testEnv({
      TABLE_CASES: tables.cases,
      TABLE_AUDIT: tables.audit,
      TABLE_DIRECTORY: tables.directory,
      TABLE_OPS: tables.ops,
    }),
  );
  await ensureTables(own.ddb, tables);
  return own;
}

/** The same tables through a new client: nothing cached from earlier reads. */
const freshClient = (d: ActivityDeps): ActivityDeps => ({
  ...d,
  ...testDeps(
    testEnv({
      TABLE_CASES: d.tables.cases,
      TABLE_AUDIT: d.tables.audit,
      TABLE_DIRECTORY: d.tables.directory,
      TABLE_OPS: d.tables.ops,
    }),
  ),
});

describe('appending', () => {
  it('1,000 concurrent appends to one chain leave no fork and no gap', async () => {
    const caseId = uniqueId('ZG-CONC');
    const results = [];
    for (let batch = 0; batch < 1000; batch += 50) {
      results.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            appendAudit(deps.ddb, deps.tables, {
              caseId,
              stepId: `s-${batch + i}`,
              at: new Date().toISOString(),
              actor: { id: 'system', via: 'system' },
              action: 'concurrent',
              payload: { n: batch + i },
            }),
          ),
        )),
      );
    }
    const chain = await readChain(deps.ddb, deps.tables, caseId);
    expect(verifyChain(chain, caseId)).toMatchObject({ ok: true, count: 1000 });
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    // Every call got its own slot: no two appends claim the same seq, none was lost.
    expect(new Set(results.map((r) => r.seq)).size).toBe(1000);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(new Set(chain.map((e) => (e.payload as { payload: { n: number } }).payload.n)).size).toBe(1000);
  });

  it('a retried recordStep activity leaves one entry and one record version', async () => {
    const caseId = uniqueId('ZG-RETRY');
    const acts = createActivities(deps);
    const step = {
      caseId,
      stepId: 'step-1',
      at: new Date().toISOString(),
      actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
      action: 'detected',
      payload: { source: 'repair' },
      view: testView(caseId),
    };
    // A retry racing the original (a timed-out attempt still running), then a late third.
    const [a, b] = await Promise.all([acts.recordStep(step), acts.recordStep(step)]);
    const c = await acts.recordStep(step);
    expect([a, b, c].map((r) => [r.seq, r.hash])).toEqual([
      [1, a.hash],
      [1, a.hash],
      [1, a.hash],
    ]);
    expect([a, b, c].filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await readChain(deps.ddb, deps.tables, caseId)).toHaveLength(1);
    expect(await recordedHead(deps.ddb, deps.tables, caseId)).toEqual({
      exists: true,
      head: { seq: 1, hash: a.hash },
    });
  });

  it('a step sent as its change writes the record the change makes, once, and only on its base', async () => {
    const caseId = uniqueId('ZG-CHANGE');
    const acts = createActivities(deps);
    const lineage = 'run-1';
    const v1 = testView(caseId, { version: 1 });
    const entry = (stepId: string, action: string) => ({
      caseId,
      stepId: `${lineage}:${stepId}`,
      at: `2026-12-05T03:0${stepId.slice(-1)}:00.000Z`,
      actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
      action,
      payload: { stepId },
      checkContent: true,
      lineage,
    });
    await acts.recordStep({ ...entry('step-1', 'detected'), view: v1 });
    const v2: CaseView = {
      ...v1,
      version: 2,
      stage: 'awaiting_signoff',
      timeline: [
        ...v1.timeline,
        { at: 't2', actorId: 'staff-zhou', action: 'root_cause_submitted', stage: 'analysing', round: 1 },
      ],
    };
    const change = viewDelta(v1, v2);
    expect(JSON.stringify(change).length).toBeLessThan(JSON.stringify(v2).length / 2);
    const second = await acts.recordStep({ ...entry('step-2', 'root_cause_submitted'), change });
    expect(second).toMatchObject({ seq: 2, duplicate: false });
    expect(await getCaseRecord(deps.ddb, deps.tables, caseId)).toEqual(v2);
    // A retry of the same step finds it written: a duplicate, the record as it was.
    expect(await acts.recordStep({ ...entry('step-2', 'root_cause_submitted'), change })).toEqual({
      ...second,
      duplicate: true,
    });
    // A change from a version the record is not at is refused whole: nothing appended.
    const stale = viewDelta(v1, { ...v2, version: 3, stage: 'rectifying' });
    await expect(acts.recordStep({ ...entry('step-3', 'signed_off'), change: stale })).rejects.toMatchObject({
      type: EffectFailure.RecordBase,
      nonRetryable: true,
    });
    // So is one made by another run (a reset), whatever its base.
    await expect(
      acts.recordStep({
        ...entry('step-3', 'signed_off'),
        lineage: 'run-2',
        stepId: 'run-2:step-3',
        change: viewDelta(v2, { ...v2, version: 3 }),
      }),
    ).rejects.toMatchObject({ type: EffectFailure.RecordBase });
    expect(await readChain(deps.ddb, deps.tables, caseId)).toHaveLength(2);
    expect(await getCaseRecord(deps.ddb, deps.tables, caseId)).toEqual(v2);
    expect(await verifyCase(deps, caseId, { hasRecord: true })).toMatchObject({
      ok: true,
      recordHead: { seq: 2 },
    });
  });

  it('appends without a view move the record head on, and never create a record', async () => {
    const [withRecord, without] = [uniqueId('ZG-HEADMOVE'), uniqueId('ZG-NORECORD')];
    await seedCase(deps, withRecord, 2);
    const step = (caseId: string, stepId: string) => systemStep(caseId, stepId, { to: 'staff-zhou' });
    const third = await step(withRecord, 'email-1');
    expect(await step(withRecord, 'email-1')).toMatchObject({ seq: 3, duplicate: true });
    expect(await recordedHead(deps.ddb, deps.tables, withRecord)).toEqual({
      exists: true,
      head: { seq: 3, hash: third.hash },
    });
    expect((await getCaseRecord(deps.ddb, deps.tables, withRecord))?.version).toBe(2);
    expect(await verifyCase(deps, withRecord, { hasRecord: true })).toMatchObject({
      ok: true,
      recordHead: { seq: 3 },
    });
    // From a fresh process too, which does not know whether the case has a record.
    const other = testDeps();
    await appendAudit(other.ddb, other.tables, {
      caseId: withRecord,
      stepId: 'email-2',
      at: new Date().toISOString(),
      actor: { id: 'system' },
      action: 'email_sent',
      payload: {},
    });
    expect((await recordedHead(deps.ddb, deps.tables, withRecord)).head?.seq).toBe(4);

    await step(without, 'email-1');
    await step(without, 'email-2');
    expect(await recordedHead(deps.ddb, deps.tables, without)).toEqual({ exists: false, head: null });
    expect(await readChain(deps.ddb, deps.tables, without)).toHaveLength(2);
  });

  it('a head this process remembers but the table lost is not built on: no gap', async () => {
    // Seen in the crash drill: DynamoDB Local, killed and restarted, no longer held an entry it
    // had acknowledged, and the worker (not restarted) appended after its remembered head.
    const caseId = uniqueId('ZG-LOSTHEAD');
    const step = (stepId: string) => systemStep(caseId, stepId, { stepId });
    await step('s1');
    expect((await step('s2')).seq).toBe(2);
    await deleteEntry(deps, caseId, 2);
    expect(await step('s3')).toMatchObject({ seq: 2, duplicate: false });
    const chain = await readChain(deps.ddb, deps.tables, caseId);
    expect(chain.map((e) => e.seq)).toEqual([1, 2]);
    expect(verifyChain(chain).ok).toBe(true);
  });

  it('a transition writes its records, then its mail; a mail it cannot send is handed back; retried, each once', async () => {
    const caseId = uniqueId('ZG-TRANSITION');
    // The mail service turns the first attempt away (a 4xx: nothing was sent, so the outbox row
    // is given back at once rather than held until its lease lapses).
    let refuseMails = 1;
    const ses = Object.create(deps.ses) as SESClient;
    const sesSend = deps.ses.send.bind(deps.ses) as (command: unknown) => Promise<unknown>;
    const throttled = Object.assign(new Error('Maximum sending rate exceeded'), {
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    ses.send = ((command: unknown) =>
      refuseMails-- > 0 ? Promise.reject(throttled) : sesSend(command)) as SESClient['send'];
    const acts = createActivities({ ...deps, ses });
    const v1 = testView(caseId, { version: 1 });
    const v2: CaseView = { ...v1, version: 2, stage: 'analysing' };
    const entry = (stepId: string, action: string) => ({
      caseId,
      stepId,
      at: new Date().toISOString(),
      actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
      action,
      payload: { stepId },
    });
    const input = {
      records: [
        { ...entry('step-1', 'detected'), view: v1 },
        { ...entry('step-2', 'assigned'), view: v2 },
      ],
      mails: [
        {
          caseId,
          title: '水龙头漏水 Leaking tap',
          stage: 'analysing',
          round: 1,
          kind: 'assigned' as const,
          key: 'e1',
          to: { personIds: ['staff-zhou'] },
        },
      ],
    };
    const first = await acts.applyTransition(input);
    expect(first.deferred).toEqual([{ index: 0, reason: expect.stringContaining('sending rate') }]);
    expect((await readChain(deps.ddb, deps.tables, caseId)).map((e) => e.action)).toEqual([
      'detected',
      'assigned',
    ]);
    expect(await getCaseRecord(deps.ddb, deps.tables, caseId)).toEqual(v2);
    // Temporal runs it again (a lost worker) and again: the records stay once, the mail goes once.
    expect(await acts.applyTransition(input)).toEqual({ deferred: [] });
    expect(await acts.applyTransition(input)).toEqual({ deferred: [] });
    const chain = await readChain(deps.ddb, deps.tables, caseId);
    expect(chain.map((e) => e.action)).toEqual(['detected', 'assigned', 'email_sent']);
    expect(verifyChain(chain).ok).toBe(true);
    expect(await sentEmails((e) => e.subject.includes(caseId))).toHaveLength(1);
  });

  it('an email whose audit entry failed after SES took it gets the entry on the retry, once', async () => {
    const caseId = uniqueId('ZG-MAILAUDIT');
    // The attempt's DynamoDB connection drops on its first transaction: the email_sent append.
    let dropAppends = 1;
    const ddb = Object.create(deps.ddb) as DynamoDBClient;
    const send = deps.ddb.send.bind(deps.ddb) as (command: unknown) => Promise<unknown>;
    ddb.send = ((command: unknown) => {
      if (command instanceof TransactWriteItemsCommand && dropAppends-- > 0)
        return Promise.reject(new Error('socket hang up'));
      return send(command);
    }) as DynamoDBClient['send'];
    const acts = createActivities({ ...deps, ddb });
    const req = {
      caseId,
      title: '水龙头漏水 Leaking tap',
      stage: 'rectifying',
      round: 1,
      kind: 'review_failed' as const,
      to: { personIds: ['staff-zhou'] },
      detail: '阀芯仍漏水',
    };
    await expect(acts.sendCaseEmail(req)).rejects.toThrow('socket hang up');
    expect(await readChain(deps.ddb, deps.tables, caseId)).toEqual([]);
    // Temporal retries the activity: the email is not sent again, but its entry is written.
    expect(await acts.sendCaseEmail(req)).toMatchObject({ sent: [], alreadySent: ['staff-zhou'] });
    await acts.sendCaseEmail(req);
    const chain = await readChain(deps.ddb, deps.tables, caseId);
    expect(chain.map((e) => e.action)).toEqual(['email_sent']);
    expect(chain[0]?.payload).toMatchObject({ payload: { kind: 'review_failed', to: 'staff-zhou' } });
    expect(await sentEmails((e) => e.subject.includes(caseId))).toHaveLength(1);
  });
});

type Tamper =
  | { kind: 'edit'; seq: number; field: Field }
  | { kind: 'delete'; seq: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'insert'; seq: number }
  | { kind: 'truncate'; count: number }
  | { kind: 'append' };

const scenario = fc.integer({ min: 2, max: 7 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    tamper: fc.oneof(
      fc.record({
        kind: fc.constant('edit' as const),
        seq: fc.integer({ min: 1, max: n }),
        field: fc.constantFrom<Field>('payload', 'action', 'at', 'actor', 'hash', 'prevHash'),
      }),
      // Deleting the last entry is a truncation (below): the record's head catches it.
      fc.record({ kind: fc.constant('delete' as const), seq: fc.integer({ min: 1, max: n - 1 }) }),
      fc
        .tuple(fc.integer({ min: 1, max: n }), fc.integer({ min: 1, max: n }))
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ kind: 'swap' as const, a: Math.min(a, b), b: Math.max(a, b) })),
      fc.record({ kind: fc.constant('insert' as const), seq: fc.integer({ min: 1, max: n }) }),
      // The last `count` entries deleted, leaving a valid shorter chain (all of them: see the no-trail test).
      fc.record({ kind: fc.constant('truncate' as const), count: fc.integer({ min: 1, max: n - 1 }) }),
      // A well-formed forged entry after the last, linked to it and correctly hashed.
      fc.constant({ kind: 'append' as const }),
    ),
  }),
);

/** Where verification must point: the first entry whose content or link no longer holds. */
function expected(t: Tamper, n: number): { seq: number; problem: string } {
  switch (t.kind) {
    case 'edit':
      return { seq: t.seq, problem: t.field === 'prevHash' ? 'prev_mismatch' : 'hash_mismatch' };
    case 'delete':
      return { seq: t.seq + 1, problem: 'gap' };
    case 'swap':
      return { seq: t.a, problem: 'prev_mismatch' };
    case 'insert':
      // The forgery itself is well formed; its successor no longer links to what precedes it.
      return { seq: t.seq + 1, problem: 'prev_mismatch' };
    case 'truncate':
      // The first entry the record's head says must exist.
      return { seq: n - t.count + 1, problem: 'tail_truncated' };
    case 'append':
      return { seq: n + 1, problem: 'tail_appended' };
  }
}

describe('verification finds every single tamper at the right entry', () => {
  it('edited, deleted, reordered, inserted, cut or appended directly in the table (property, 90 runs)', async () => {
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(scenario, async ({ n, tamper }) => {
        const caseId = uniqueId('ZG-TAMPER');
        await seedCase(deps, caseId, n);
        expect(await verifyCase(deps, caseId, { hasRecord: true })).toMatchObject({ ok: true, count: n });
        if (tamper.kind === 'edit') await editEntry(deps, caseId, tamper.seq, tamper.field);
        if (tamper.kind === 'delete') await deleteEntry(deps, caseId, tamper.seq);
        if (tamper.kind === 'swap') await swapEntries(deps, caseId, tamper.a, tamper.b);
        if (tamper.kind === 'insert') await insertEntry(deps, caseId, tamper.seq, n);
        if (tamper.kind === 'truncate') await deleteTail(deps, caseId, n, tamper.count);
        // Spliced in after the last entry: nothing moves, the forgery links to entry n.
        if (tamper.kind === 'append') await insertEntry(deps, caseId, n + 1, n);
        const result = await verifyCase(deps, caseId, { hasRecord: true });
        const want = expected(tamper, n);
        expect(result.ok).toBe(false);
        expect(result.broken).toMatchObject(want);
        kinds.set(tamper.kind, (kinds.get(tamper.kind) ?? 0) + 1);
      }),
      // Six kinds: enough runs that each is tried several times (P(any kind <= 3) is about 1e-3).
      { numRuns: 90 },
    );
    // The 100% claim only means something if every kind of tamper was tried.
    for (const kind of ['edit', 'delete', 'swap', 'insert', 'truncate', 'append'])
      expect(kinds.get(kind) ?? 0).toBeGreaterThan(3);
  });

  it('names the entry with the expected and the found hash', async () => {
    const caseId = uniqueId('ZG-NAMED');
    await seedCase(deps, caseId, 4);
    const before = await readChain(deps.ddb, deps.tables, caseId);
    await editEntry(deps, caseId, 3, 'payload');
    const result = await verifyCase(deps, caseId, { hasRecord: true });
    expect(result.broken?.seq).toBe(3);
    expect(result.broken?.found).toBe(before[2]?.hash);
    expect(result.broken?.expected).toMatch(/^[0-9a-f]{64}$/);
    expect(result.broken?.expected).not.toBe(result.broken?.found);
  });

  it('a cut tail is named at the first missing entry, with the record head against the last found', async () => {
    const caseId = uniqueId('ZG-TAILCUT');
    await seedCase(deps, caseId, 4);
    const before = await readChain(deps.ddb, deps.tables, caseId);
    await deleteTail(deps, caseId, 4, 2);
    // What the chain alone cannot see: the two entries left are a valid chain.
    expect(verifyChain(await readChain(deps.ddb, deps.tables, caseId), caseId)).toMatchObject({ ok: true });
    const result = await verifyCase(deps, caseId, { hasRecord: true });
    expect(result).toMatchObject({
      ok: false,
      count: 2,
      recordHead: { seq: 4, hash: before[3]?.hash },
      broken: {
        seq: 3,
        problem: 'tail_truncated',
        expected: `4:${before[3]?.hash}`,
        found: `2:${before[1]?.hash}`,
      },
    });
  });

  it('a forged entry appended after the last is named, with the record head against it', async () => {
    const caseId = uniqueId('ZG-TAILADD');
    await seedCase(deps, caseId, 3);
    const before = await readChain(deps.ddb, deps.tables, caseId);
    await insertEntry(deps, caseId, 4, 3);
    const after = await readChain(deps.ddb, deps.tables, caseId);
    expect(verifyChain(after, caseId)).toMatchObject({ ok: true, count: 4 });
    const result = await verifyCase(deps, caseId, { hasRecord: true });
    expect(result).toMatchObject({
      ok: false,
      count: 4,
      broken: {
        seq: 4,
        problem: 'tail_appended',
        expected: `3:${before[2]?.hash}`,
        found: `4:${after[3]?.hash}`,
      },
    });
  });

  it('verify-all names cut and extended tails before any anchor; records without a head are not checked', async () => {
    const own = await ownTables();
    const [kept, cut, grown, legacy] = ['KEEP', 'CUT', 'GROWN', 'LEGACY'].map((k) =>
      uniqueId(`ZG-TAIL-${k}`),
    ) as [string, string, string, string];
    for (const id of [kept, cut, grown, legacy]) await seedCase(own, id, 3);
    // A record from before heads were kept: its tail can only be checked by an anchor.
    await own.ddb.send(
      new UpdateItemCommand({
        TableName: own.tables.cases,
        Key: marshall({ caseId: legacy }),
        UpdateExpression: 'REMOVE auditHeadSeq, auditHeadHash',
      }),
    );
    await deleteTail(own, cut, 3, 1);
    await deleteTail(own, legacy, 3, 1);
    await insertEntry(own, grown, 4, 3);
    const events = await collect(verifyAll(freshClient(own)));
    const summary = events.at(-1);
    if (summary?.type !== 'summary') throw new Error('no summary');
    expect(summary).toMatchObject({ ok: false, checked: 4, intact: 2 });
    expect(summary.broken).toHaveLength(2);
    expect(summary.broken).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ caseId: cut, seq: 3, problem: 'tail_truncated' }),
        expect.objectContaining({ caseId: grown, seq: 4, problem: 'tail_appended' }),
      ]),
    );
    expect(await verifyCase(freshClient(own), legacy, { hasRecord: true })).toMatchObject({
      ok: true,
      count: 2,
    });
    expect((await verifyCase(freshClient(own), legacy, { hasRecord: true })).recordHead).toBeUndefined();
  });

  it('a case record whose whole trail is gone is reported even before any anchor', async () => {
    const caseId = uniqueId('ZG-NOTRAIL');
    await seedCase(deps, caseId, 2);
    await deleteCase(deps, caseId, 2);
    expect(await verifyCase(deps, caseId, { hasRecord: true })).toMatchObject({
      ok: false,
      broken: { seq: 1, problem: 'gap' },
    });
  });
});

describe('anchors', () => {
  it('catch a deleted case, a chain rewritten end to end and a truncated tail; findings carry forward', async () => {
    const [kept, deleted, rewritten, truncated, grows] = ['KEEP', 'DEL', 'REWRITE', 'TRUNC', 'GROW'].map(
      (k) => uniqueId(`ZG-ANC-${k}`),
    ) as [string, string, string, string, string];
    for (const id of [kept, deleted, rewritten, truncated, grows]) await seedCase(deps, id, 3);

    const first = await anchorNow(deps, uniqueId('anchor-test'));
    const anchorsAfterFirst = await readChain(deps.ddb, deps.tables, ANCHOR_CHAIN_ID);
    expect(verifyChain(anchorsAfterFirst, ANCHOR_CHAIN_ID)).toMatchObject({ ok: true });
    const latest = await latestAnchor(deps.ddb, deps.tables);
    // Another file may anchor concurrently; ours is in the chain either way.
    const mine = anchorsAfterFirst.find((e) => e.seq === first.seq);
    expect(mine?.hash).toBe(first.hash);
    expect(latest?.seq).toBeGreaterThanOrEqual(first.seq);
    const heads = await readAnchorHeads(deps.ddb, deps.tables, latest!);
    for (const id of [kept, deleted, rewritten, truncated, grows]) {
      expect(heads.find((h) => h.caseId === id)).toMatchObject({ seq: 3 });
    }

    // The intruder: every row of one case deleted with its record, one chain replaced by a
    // freshly hashed one (verifyChain alone accepts it), one tail cut; one case grows legitimately.
    const intruder = testDeps();
    await deleteCase(intruder, deleted, 3, { record: true });
    await deleteCase(intruder, rewritten, 3);
    for (let i = 1; i <= 3; i++) {
      await appendAudit(intruder.ddb, intruder.tables, {
        caseId: rewritten,
        stepId: `forged-${i}`,
        at: new Date().toISOString(),
        actor: { id: 'sup-wang' },
        action: 'detected',
        payload: { quietly: 'changed' },
      });
    }
    expect(verifyChain(await readChain(deps.ddb, deps.tables, rewritten), rewritten)).toMatchObject({
      ok: true,
    });
    await deleteEntry(intruder, truncated, 3);
    await appendAudit(deps.ddb, deps.tables, {
      caseId: grows,
      stepId: 'step-4',
      at: new Date().toISOString(),
      actor: { id: 'system' },
      action: 'deadline_set',
      payload: {},
    });

    const events = await collect(verifyAll(deps, { progressEvery: 10 }));
    const summary = events.at(-1);
    if (summary?.type !== 'summary') throw new Error('no summary');
    expect(summary.missing).toContain(deleted);
    expect(summary.rewritten.map((r) => r.caseId)).toEqual(expect.arrayContaining([rewritten, truncated]));
    expect(summary.rewritten.find((r) => r.caseId === truncated)).toMatchObject({
      anchored: { seq: 3 },
      found: { seq: 2 },
    });
    const flagged = new Set([
      ...summary.missing,
      ...summary.rewritten.map((r) => r.caseId),
      ...summary.broken.map((b) => b.caseId),
    ]);
    expect(flagged.has(kept)).toBe(false);
    expect(flagged.has(grows)).toBe(false);
    expect(events[0]).toMatchObject({ type: 'start', anchor: { chain: { ok: true }, heads: { ok: true } } });
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    expect(events.filter((e) => e.type === 'case').map((e) => (e as { caseId: string }).caseId)).toEqual(
      expect.arrayContaining([deleted, rewritten, truncated]),
    );

    // The next anchor must not launder the damage: it names it and keeps the anchored heads.
    const second = await anchorNow(deps, uniqueId('anchor-test'));
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(second.findings.missing).toContain(deleted);
    expect(second.findings.rewritten).toEqual(expect.arrayContaining([rewritten, truncated]));
    const again = await collect(verifyAll(deps));
    const s2 = again.at(-1);
    if (s2?.type !== 'summary') throw new Error('no summary');
    expect(s2.missing).toContain(deleted);
    expect(s2.rewritten.map((r) => r.caseId)).toEqual(expect.arrayContaining([rewritten, truncated]));
    const grown = (
      await readAnchorHeads(deps.ddb, deps.tables, (await latestAnchor(deps.ddb, deps.tables))!)
    ).find((h) => h.caseId === grows);
    expect(grown?.seq).toBe(4);
    // Anchors are chained to each other.
    const anchors = await readChain(deps.ddb, deps.tables, ANCHOR_CHAIN_ID);
    expect(verifyChain(anchors, ANCHOR_CHAIN_ID)).toMatchObject({ ok: true });
    const secondEntry = anchors.find((e) => e.seq === second.seq);
    expect(secondEntry?.prevHash).toBe(anchors.find((e) => e.seq === second.seq - 1)?.hash);
  });

  it('a witness that remembers another anchor than the table holds fails the run', async () => {
    const sealed = await anchorNow(deps, uniqueId('anchor-test'));
    const honest = await collect(verifyAll(deps, { witness: { source: 'test', ...sealed } }));
    expect(honest[0]).toMatchObject({
      type: 'start',
      anchor: { witness: { seq: sealed.seq, matches: true } },
    });
    const forged = { source: 'test', seq: sealed.seq, root: sealed.root, hash: 'f'.repeat(64) };
    const events = await collect(verifyAll(deps, { witness: forged }));
    expect(events[0]).toMatchObject({
      type: 'start',
      anchor: { witness: { matches: false, found: { hash: sealed.hash, root: sealed.root } } },
    });
    const summary = events.at(-1);
    expect(summary).toMatchObject({ type: 'summary', anchorOk: false, ok: false });
  });

  it('a newer anchor that drops a case the witnessed anchor held is caught, and the case named missing', async () => {
    const own = await ownTables();
    const [kept, gone] = [uniqueId('ZG-WIT-KEEP'), uniqueId('ZG-WIT-GONE')];
    await seedCase(own, kept, 2);
    await seedCase(own, gone, 3);
    const first = await anchorNow(own, uniqueId('anchor-test'));
    const witness = { source: 'test', seq: first.seq, hash: first.hash, root: first.root };
    // An honest later anchor carries every case forward: nothing dropped.
    await anchorNow(own, uniqueId('anchor-test'));
    const honest = await collect(verifyAll(freshClient(own), { witness }));
    expect(honest[0]).toMatchObject({ type: 'start', anchor: { witness: { matches: true, dropped: [] } } });
    expect(honest.at(-1)).toMatchObject({ type: 'summary', anchorOk: true, ok: true });

    // The intruder deletes a case outright and seals a well-chained anchor without it.
    await deleteCase(own, gone, 3, { record: true });
    const latest = (await latestAnchor(own.ddb, own.tables))!;
    const heads = (await readAnchorHeads(own.ddb, own.tables, latest)).filter((h) => h.caseId !== gone);
    const anchorId = uniqueId('forged');
    await own.ddb.send(
      new PutItemCommand({
        TableName: own.tables.ops,
        Item: marshall({ pk: `AUDITANCHOR#${anchorId}`, sk: 'heads#000001', heads: JSON.stringify(heads) }),
      }),
    );
    const empty = { missing: [], rewritten: [], broken: [], counts: { missing: 0, rewritten: 0, broken: 0 } };
    const forged = await sealAnchor(own, {
      anchorId,
      root: anchorRoot(heads),
      caseCount: heads.length,
      chunkCount: 1,
      basedOn: latest.seq,
      findings: empty,
      at: new Date().toISOString(),
    });
    // On its own the forged anchor looks fine: chained, heads matching its root.
    const blind = await collect(verifyAll(freshClient(own)));
    expect(blind.at(-1)).toMatchObject({ type: 'summary', ok: true });

    const events = await collect(verifyAll(freshClient(own), { witness }));
    expect(events[0]).toMatchObject({
      type: 'start',
      anchor: {
        seq: forged.seq,
        chain: { ok: true },
        heads: { ok: true },
        witness: { matches: true, dropped: [gone] },
      },
    });
    expect(events.find((e) => e.type === 'case' && e.caseId === gone)).toMatchObject({
      ok: false,
      droppedFromAnchor: true,
      anchor: { anchorSeq: first.seq, status: 'missing' },
    });
    const summary = events.at(-1);
    expect(summary).toMatchObject({ type: 'summary', anchorOk: false, ok: false, missing: [gone] });
  });

  it('one case verified against an anchor whose heads were altered is not ok', async () => {
    const own = await ownTables();
    const caseId = uniqueId('ZG-ANC-ONE');
    await seedCase(own, caseId, 2);
    const sealed = await anchorNow(own, uniqueId('anchor-test'));
    expect(await verifyCase(freshClient(own), caseId, { hasRecord: true })).toMatchObject({
      ok: true,
      anchor: { status: 'intact', anchorSeq: sealed.seq },
    });
    // The intruder edits the anchored head list: the chain itself is untouched and intact.
    const stored = await latestAnchor(own.ddb, own.tables);
    const chunk = await own.ddb.send(
      new QueryCommand({
        TableName: own.tables.ops,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: marshall({ ':p': `AUDITANCHOR#${stored!.anchorId}` }),
      }),
    );
    const row = unmarshall(chunk.Items![0]!) as { heads: string };
    const heads = (JSON.parse(row.heads) as { caseId: string; seq: number; hash: string }[]).map((h) => ({
      ...h,
      seq: h.seq + 1,
    }));
    await own.ddb.send(
      new PutItemCommand({
        TableName: own.tables.ops,
        Item: { ...chunk.Items![0]!, ...marshall({ heads: JSON.stringify(heads) }) },
      }),
    );
    const result = await verifyCase(freshClient(own), caseId, { hasRecord: true });
    expect(result.broken).toBeNull();
    expect(result.anchorProblem).toMatch(/root/);
    expect(result.ok).toBe(false);
  });

  it('are found behind any number of entries slipped into the anchor chain', async () => {
    const own = await ownTables();
    const caseId = uniqueId('ZG-ANC-STRAY');
    await seedCase(own, caseId, 2);
    const sealed = await anchorNow(own, uniqueId('anchor-test'));
    for (let i = 1; i <= 25; i++) {
      await appendAudit(own.ddb, own.tables, {
        caseId: ANCHOR_CHAIN_ID,
        stepId: `stray-${i}`,
        at: new Date().toISOString(),
        actor: { id: 'mallory' },
        action: 'note',
        payload: { i },
      });
    }
    expect((await latestAnchor(own.ddb, own.tables))?.seq).toBe(sealed.seq);
    // So the next anchor still carries the first one's heads forward, and verify names the strays.
    const next = await anchorNow(own, uniqueId('anchor-test'));
    const anchors = await readChain(own.ddb, own.tables, ANCHOR_CHAIN_ID);
    expect(anchors.find((e) => e.seq === next.seq)?.payload).toMatchObject({
      payload: { basedOn: sealed.seq },
    });
    const events = await collect(verifyAll(freshClient(own)));
    expect(events[0]).toMatchObject({ type: 'start', anchor: { seq: next.seq } });
    expect(events[0]?.type === 'start' && events[0].anchor?.strays).toHaveLength(25);
    expect(events.at(-1)).toMatchObject({ type: 'summary', anchorOk: false, ok: false });
  });

  it('name a case record whose trail was deleted before any anchor saw it', async () => {
    const own = await ownTables();
    const [kept, emptied] = [uniqueId('ZG-ANC-KEEP'), uniqueId('ZG-ANC-EMPTY')];
    await seedCase(own, kept, 2);
    await seedCase(own, emptied, 2);
    await deleteCase(own, emptied, 2);
    // A record with no entry at all, not even the first: written straight into the table.
    const bare = uniqueId('ZG-ANC-BARE');
    await own.ddb.send(
      new PutItemCommand({ TableName: own.tables.cases, Item: caseRecordItem(testView(bare)) }),
    );
    const sealed = await anchorNow(own, uniqueId('anchor-test'));
    expect(sealed.findings.broken).toEqual([emptied, bare].sort());
    expect(sealed.findings.counts.broken).toBe(2);
    const heads = await readAnchorHeads(own.ddb, own.tables, (await latestAnchor(own.ddb, own.tables))!);
    expect(heads.map((h) => h.caseId)).toEqual([kept]);
  });
});
