import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectRetentionCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuditActivities } from '../../activities/audit-anchor.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import {
  AnchorObjectError,
  anchorObjectKey,
  putAnchorObject,
  readAnchorObject,
  type AnchorObject,
  type AnchorObjectStore,
} from '../../store/anchor-objects.ts';
import { seedCase } from '../support/audit-fixtures.ts';
import { testDeps, testEnv, uniqueId, ownTables } from '../support/stack.ts';

/**
 * The anchors' witness outside DynamoDB, written to the local S3 server (VersityGW), which
 * implements Object Lock: a bucket created with it and a default retention in compliance mode,
 * as infra/aws/storage.ts deploys it.
 */
const bucketName = (p: string) =>
  uniqueId(p)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
const locked = bucketName('anchors-locked');
const plain = bucketName('anchors-plain');
const env = testEnv({ ANCHOR_BUCKET: locked });
const deps = testDeps(env);
const store = (): AnchorObjectStore => {
  if (!deps.anchorObjects) throw new Error('ANCHOR_BUCKET did not give the deps an anchor store');
  return deps.anchorObjects;
};

beforeAll(async () => {
  const { s3 } = store();
  await s3.send(new CreateBucketCommand({ Bucket: locked, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: locked,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } },
      },
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: plain }));
});

const anchor = (seq: number, over: Partial<AnchorObject> = {}): AnchorObject => ({
  anchorId: `rectify-audit-anchor-test/${seq}`,
  seq,
  hash: 'a'.repeat(64),
  root: 'b'.repeat(64),
  caseCount: 3,
  basedOn: seq > 1 ? seq - 1 : null,
  at: '2026-12-04T02:00:00.000Z',
  ...over,
});

describe('anchors written to the Object Lock bucket', () => {
  it('are written once, locked in compliance mode, and cannot be replaced or deleted', async () => {
    const seq = 1_000_000 + Math.floor(Math.random() * 1_000_000);
    const first = anchor(seq);
    expect(await putAnchorObject(store(), first)).toEqual({ key: anchorObjectKey(seq) });
    const { Retention } = await store().s3.send(
      new GetObjectRetentionCommand({ Bucket: locked, Key: anchorObjectKey(seq) }),
    );
    expect(Retention?.Mode).toBe('COMPLIANCE');
    // The bucket's default retention (a day here), stated on the write itself.
    expect(Retention!.RetainUntilDate!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(await readAnchorObject(store(), seq)).toEqual(first);

    // A retry of the same anchor is accepted as already written.
    await expect(putAnchorObject(store(), first)).resolves.toEqual({ key: anchorObjectKey(seq) });
    // Another anchor under the same seq is not, and the object stays as written.
    await expect(putAnchorObject(store(), anchor(seq, { hash: 'f'.repeat(64) }))).rejects.toThrow(
      AnchorObjectError,
    );
    expect(await readAnchorObject(store(), seq)).toEqual(first);
    await expect(
      store().s3.send(new DeleteObjectCommand({ Bucket: locked, Key: anchorObjectKey(seq) })),
    ).rejects.toThrow();
    expect(await readAnchorObject(store(), seq)).toEqual(first);
  });

  it('refuse a bucket without Object Lock: the witness would be erasable', async () => {
    const unlocked = { ...store(), bucket: plain };
    await expect(putAnchorObject(unlocked, anchor(7))).rejects.toThrow(
      /anchor bucket .* is not locked in compliance mode/,
    );
  });

  it('the anchor activity writes each sealed anchor there when ANCHOR_BUCKET is set', async () => {
    const prefix = uniqueId('objs');
    const own = testDeps(
      testEnv({
        ANCHOR_BUCKET: locked,
        ...ownTables(prefix),
      }),
    );
    await ensureTables(own.ddb, own.tables);
    await seedCase(own, uniqueId('ZG-OBJ'), 2);
    const activities = createAuditActivities(own);
    const collected = await activities.collectAnchorHeads({ anchorId: uniqueId('anchor-obj') });
    const at = new Date().toISOString();
    const sealed = await activities.sealAnchor({ ...collected, at });
    // Own tables: the first anchor of their chain. The bucket is shared, so the seq keys one per run here.
    expect(sealed.seq).toBe(1);
    const written = await readAnchorObject(own.anchorObjects!, sealed.seq);
    expect(written).toMatchObject({ anchorId: collected.anchorId, hash: sealed.hash, root: sealed.root, at });
  });
});
