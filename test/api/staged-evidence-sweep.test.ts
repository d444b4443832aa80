import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFeedbackActivities } from '../../activities/feedback.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import {
  adoptEvidence,
  checkEvidence,
  evidenceClient,
  getEvidence,
  parseEvidenceRef,
} from '../../store/evidence.ts';
import { opsKey } from '../../store/keys.ts';
import { sweepStagedEvidence, type StagedSweepDeps } from '../../store/staged-evidence-sweep.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The photos a refused new-case form stored (under a staging owner, offered back ticked) go once
 * the form has been left a day, record and bytes; a photo stored less than a day ago stays (its
 * supervisor may come back), and so does one a case adopted, though its bytes stay under the
 * staging owner's key. Its own tables and its own bucket: the sweep lists the whole bucket, and
 * other files' staged photos are theirs.
 */
const tables = ownTables(uniqueId('sweep'));
const bucketName = `rectify-sweep-${randomUUID().slice(0, 8)}`;
let s: ApiStack;
let sweepDeps: StagedSweepDeps;
const as = pageSessions(() => s.deps.aws);
const HOUR = 3600_000;

beforeAll(async () => {
  const env = testEnv({ ...tables, EVIDENCE_BUCKET: bucketName });
  await ensureTables(testDeps(env).ddb, testDeps(env).tables);
  await evidenceClient(env).send(new CreateBucketCommand({ Bucket: bucketName }));
  s = await startApiStack({}, { ...tables, EVIDENCE_BUCKET: bucketName });
  sweepDeps = { aws: s.deps.aws, bucket: { client: evidenceClient(s.deps.env), bucket: bucketName } };
});
afterAll(async () => {
  await s?.stop();
});

const fields = (over: Record<string, string> = {}) => ({
  title: `宿舍楼道灯不亮 ${uniqueId('t')}`,
  description: '巡查发现 A 栋一层楼道灯不亮',
  source: 'inspection',
  severity: 'routine',
  buildingId: 'bldg-a',
  floorId: 'a-f1',
  roomId: 'A101',
  assigneeId: 'staff-zhao',
  ...over,
});

async function postNewCase(values: Record<string, string>, files: File[], kept: string[] = []) {
  const who = await as('sup-wang');
  const form = new FormData();
  for (const [k, v] of Object.entries(values)) form.append(k, v);
  for (const ref of kept) form.append('keptPhotos', ref);
  form.append('_csrf', who.csrf);
  for (const f of files) form.append('photos', f);
  return s.app.request('/app/cases/new', {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'accept-language': 'zh-CN' },
    body: form,
  });
}

const jpeg = (name: string) => new File([new Uint8Array(fakeFiles.jpeg())], name, { type: 'image/jpeg' });

/** Photos a form refused for its assignee stored, as it offers them back. */
async function refusedWith(files: File[]): Promise<string[]> {
  const res = await postNewCase(fields({ assigneeId: 'staff-nobody' }), files);
  expect(res.status).toBe(422);
  const refs = [...(await res.text()).matchAll(/name="keptPhotos" value="(evidence:[^"]+)"/g)].map(
    (m) => m[1]!,
  );
  expect(refs).toHaveLength(files.length);
  return refs;
}

/** The form sent again, right, with its kept photos: the case it opened. */
async function openedWith(kept: string[]): Promise<string> {
  const res = await postNewCase(fields(), [], kept);
  expect(res.status).toBe(303);
  return /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
}

const idOf = (ref: string) => parseEvidenceRef(ref)!.evidenceId;
const recordOf = (ref: string) => getEvidence(s.deps, idOf(ref));
const objectExists = (key: string) =>
  sweepDeps.bucket.client.send(new HeadObjectCommand({ Bucket: bucketName, Key: key })).then(
    () => true,
    () => false,
  );

/** Dates a staged file's record as stored at `at`. */
async function storedAt(ref: string, at: number) {
  await s.deps.aws.ddb.send(
    new UpdateItemCommand({
      TableName: s.deps.aws.tables.ops,
      Key: marshall(opsKey.evidence(idOf(ref))),
      UpdateExpression: 'SET createdAt = :at',
      ExpressionAttributeValues: marshall({ ':at': new Date(at).toISOString() }),
    }),
  );
}

describe('the sweep of staged new-case photos', () => {
  it('removes a day-old abandoned form’s photos and keeps a recent one, an adopted one and a cited one', async () => {
    const abandoned = await refusedWith([jpeg('walk-1.jpg'), jpeg('walk-2.jpg')]);
    const recent = await refusedWith([jpeg('walk-3.jpg')]);
    const [adopted] = await refusedWith([jpeg('walk-4.jpg')]);
    const [cited] = await refusedWith([jpeg('walk-5.jpg')]);
    const records = await Promise.all([...abandoned, ...recent].map(recordOf));
    expect(records.every((r) => r?.caseId.startsWith('opening-'))).toBe(true);
    const abandonedOwner = records[0]!.caseId;
    const abandonedKeys = records.slice(0, 2).map((r) => r!.sealedKey!);

    // Adoption makes the case the file's owner; its bytes stay where the staging owner put them.
    const caseId = await openedWith([adopted!]);
    const adoptedRecord = await recordOf(adopted!);
    expect(adoptedRecord?.caseId).toBe(caseId);
    expect(adoptedRecord?.sealedKey).toMatch(/^sealed\/evidence\/opening-/);
    // A case whose photo's hand-over failed cites it while it stays staged: its page said it is kept.
    const citing = await openedWith([cited!]);
    expect(await adoptEvidence(s.deps, cited!, { from: citing, to: `opening-${randomUUID()}` })).toBe(true);

    // Today nothing is a day old: nothing goes. A bounded run stops at its bound.
    const today = await sweepStagedEvidence(sweepDeps, { log: () => undefined });
    expect(today).toMatchObject({ removed: 0, unrecorded: 0, complete: true });
    expect(today.examined).toBeGreaterThanOrEqual(5);
    const bounded = await sweepStagedEvidence(sweepDeps, { maxObjects: 2, log: () => undefined });
    expect(bounded).toMatchObject({ examined: 2, removed: 0, complete: false });

    // Bytes under a staging owner's key that no record speaks for: nothing shows no case took them.
    const unrecorded = `sealed/evidence/opening-${randomUUID()}/ev_${'x'.repeat(16)}.jpg.${'0'.repeat(64)}`;
    await sweepDeps.bucket.client.send(
      new PutObjectCommand({ Bucket: bucketName, Key: unrecorded, Body: fakeFiles.jpeg() }),
    );

    // A day and an hour later: the recent form was refused an hour before.
    const now = Date.now() + 25 * HOUR;
    await storedAt(recent[0]!, now - HOUR);
    const lines: string[] = [];
    const out = await sweepStagedEvidence(sweepDeps, { now, log: (l) => lines.push(l) });
    expect(out).toMatchObject({ removed: 2, unrecorded: 1, adopted: 1, cited: 1, failed: 0, complete: true });
    expect(lines.join('\n')).toContain('removed 2 files');

    for (const ref of abandoned) expect(await recordOf(ref)).toBeNull();
    for (const key of abandonedKeys) expect(await objectExists(key)).toBe(false);
    const count = await s.deps.aws.ddb.send(
      new GetItemCommand({
        TableName: s.deps.aws.tables.ops,
        Key: marshall(opsKey.evidenceUploads(abandonedOwner)),
      }),
    );
    expect(count.Item).toBeUndefined();

    expect(await objectExists(unrecorded)).toBe(true);
    expect((await recordOf(recent[0]!))?.caseId).toMatch(/^opening-/);
    expect(await objectExists((await recordOf(recent[0]!))!.sealedKey!)).toBe(true);
    expect(await checkEvidence(s.deps, adopted!, { caseId })).toMatchObject({ ok: true });
    expect(await objectExists((await recordOf(cited!))!.sealedKey!)).toBe(true);

    // The recent form, sent again, still opens its case with its photo.
    const later = await openedWith(recent);
    expect(await checkEvidence(s.deps, recent[0]!, { caseId: later })).toMatchObject({ ok: true });
  });

  it('runs with the morning brief, whose run a failing sweep does not fail', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const input = { date: '2026-12-07', timeZone: s.deps.env.CAMPUS_TZ, lookbackDays: 7 };
      await createFeedbackActivities(s.activityDeps).sendDailyBriefs(input);
      expect(info.mock.calls.map((c) => String(c[0]))).toContainEqual(
        expect.stringMatching(/^\[staged evidence\] removed 0 files/),
      );
      const broken = {
        ...s.activityDeps,
        resultStore: { client: sweepDeps.bucket.client, bucket: `rectify-none-${randomUUID().slice(0, 8)}` },
      };
      const out = await createFeedbackActivities(broken).sendDailyBriefs(input);
      expect(out.buildings).toBeGreaterThan(0);
      expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(
        expect.stringContaining('could not sweep the staged photos'),
      );
    } finally {
      info.mockRestore();
      warn.mockRestore();
    }
  });
});
