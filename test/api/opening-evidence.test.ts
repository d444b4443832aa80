import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CaseView } from '../../domain/case-model.ts';
import { readChain } from '../../store/audit-chain.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { evidenceClient, getEvidence } from '../../store/evidence.ts';
import { fakeFiles, sha256 } from '../support/evidence-files.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

/**
 * A case opened from the new-case page with a photo: its first audit entry vouches for the report
 * as it came in (title, the description's SHA-256, the photo), so the case's verification
 * re-hashes the photo, and a photo swapped in the store or a description changed in the case
 * record fails it, as a rectification's photo swapped does.
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

interface Verification {
  ok: boolean;
  broken: unknown;
  count: number;
  evidence: {
    checked: number;
    broken: { seq: number; ref: string; problem: string; found?: string }[];
    opening?: { seq: number; changed: { field: string; expected: string; found: string }[] };
  };
}

async function openWithPhoto(photo: Uint8Array): Promise<{ caseId: string; title: string }> {
  const who = await as('sup-wang');
  const title = `楼道灭火器过期 ${uniqueId('o')}`;
  const form = new FormData();
  const fields = {
    title,
    description: '巡查发现 A 栋一层灭火器压力不足',
    source: 'inspection',
    severity: 'routine',
    buildingId: 'bldg-a',
    floorId: 'a-f1',
    roomId: 'A101',
    assigneeId: 'staff-zhao',
    _csrf: who.csrf,
  };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('photos', new File([photo], 'walk.jpg', { type: 'image/jpeg' }));
  const res = await s.app.request('/app/cases/new', {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'accept-language': 'zh-CN' },
    body: form,
  });
  expect(res.status).toBe(303);
  const caseId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
  expect(caseId).not.toBe('');
  return { caseId, title };
}

const verify = async (caseId: string): Promise<Verification> => {
  const r = await call(s.app, 'GET', `/api/audit/verify?caseId=${caseId}`, { as: 'audit-he' });
  expect(r.status).toBe(200);
  return (await r.json()) as Verification;
};

/** Waits until the case's chain stops growing (the opening's mail entries land after it). */
async function settled(caseId: string): Promise<void> {
  let seen = -1;
  await vi.waitFor(
    async () => {
      const chain = await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId);
      const same = chain.length === seen && chain.some((e) => e.action === 'email_sent');
      seen = chain.length;
      expect(same).toBe(true);
    },
    { timeout: 20_000, interval: 750 },
  );
}

describe('the report a case was opened with, in its audit trail', () => {
  it('is cited by the detected entry and checked: a swapped photo and a changed description fail', async () => {
    const photo = new Uint8Array(fakeFiles.jpeg(4096));
    const { caseId, title } = await openWithPhoto(photo);
    const record = await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    const ref =
      /evidence:ev_[A-Za-z0-9_-]{16}#sha256=[0-9a-f]{64}/.exec(record?.description ?? '')?.[0] ?? '';
    expect(ref).toContain(`#sha256=${sha256(photo)}`);

    // The detected entry carries the title, the description's hash and the photo, not the text.
    const chain = await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId);
    const detected = chain.find((e) => e.action === 'detected');
    expect(detected?.payload).toMatchObject({
      payload: {
        source: 'inspection',
        title,
        descriptionSha256: sha256(new TextEncoder().encode(record?.description ?? '')),
        evidence: [ref],
      },
    });
    expect(JSON.stringify(detected?.payload)).not.toContain('压力不足');

    // The case's JSON export shows them in the entry as stored.
    const exported = await call(s.app, 'GET', `/api/cases/${caseId}/export?format=json`, { as: 'audit-he' });
    expect(exported.status).toBe(200);
    const trail = ((await exported.json()) as { trail: { action: string; payload: unknown }[] }).trail;
    expect(trail.find((e) => e.action === 'detected')?.payload).toEqual(detected?.payload);

    await settled(caseId);
    const intact = await verify(caseId);
    expect(intact).toMatchObject({
      ok: true,
      broken: null,
      evidence: { checked: 1, broken: [], opening: { seq: detected!.seq, changed: [] } },
    });

    // Someone with write access to the bucket replaces the opening photo.
    const evidenceId = /ev_[A-Za-z0-9_-]{16}/.exec(ref)?.[0] ?? '';
    const stored = await getEvidence(s.deps, evidenceId);
    const other = new Uint8Array(fakeFiles.jpeg(photo.length));
    await evidenceClient(s.deps.env).send(
      new PutObjectCommand({
        Bucket: s.deps.env.EVIDENCE_BUCKET,
        Key: stored?.sealedKey ?? stored?.key,
        Body: other,
        ContentType: 'image/jpeg',
      }),
    );
    const swapped = await verify(caseId);
    expect(swapped).toMatchObject({
      ok: false,
      broken: null,
      count: intact.count,
      evidence: {
        checked: 1,
        broken: [{ seq: detected!.seq, ref, problem: 'swapped', found: sha256(other) }],
      },
    });
    // Put back, so what follows is the record alone.
    await evidenceClient(s.deps.env).send(
      new PutObjectCommand({
        Bucket: s.deps.env.EVIDENCE_BUCKET,
        Key: stored?.sealedKey ?? stored?.key,
        Body: photo,
        ContentType: 'image/jpeg',
      }),
    );
    expect((await verify(caseId)).ok).toBe(true);

    // Someone with write access to the cases table rewrites the description in the record.
    const view = record as CaseView;
    const changed = { ...view, description: view.description.replace('压力不足', '已更换') };
    await s.deps.aws.ddb.send(
      new UpdateItemCommand({
        TableName: s.deps.aws.tables.cases,
        Key: marshall({ caseId }),
        UpdateExpression: 'SET #v = :v',
        ExpressionAttributeNames: { '#v': 'view' },
        ExpressionAttributeValues: marshall({
          ':v': JSON.stringify({
            ...((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId)) as CaseView),
            description: changed.description,
          }),
        }),
      }),
    );
    const rewritten = await verify(caseId);
    expect(rewritten).toMatchObject({
      ok: false,
      broken: null,
      evidence: {
        checked: 1,
        broken: [],
        opening: {
          seq: detected!.seq,
          changed: [
            {
              field: 'description',
              expected: sha256(new TextEncoder().encode(view.description)),
              found: sha256(new TextEncoder().encode(changed.description)),
            },
          ],
        },
      },
    });

    // The auditor's page says what changed.
    const auditor = await as('audit-he');
    const page = await s.app.request(`/app/audit/verify?caseId=${caseId}`, {
      headers: { cookie: `rectify_session=${auditor.id}` },
    });
    const html = await page.text();
    expect(html).toContain('data-verify="broken"');
    expect(html).toContain('data-opening="changed"');
    expect(html).toContain('data-opening-fields="description"');
    expect(html).toContain('审计链完整，但案件记录与立案时记载的内容不符');
  });
});
