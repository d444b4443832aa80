import {
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Env } from '../infra/config.ts';

/**
 * The anchors' write-once witness outside DynamoDB: each sealed anchor as one object in a bucket
 * with Object Lock in compliance mode (its default retention is the deploy's,
 * infra/aws/storage.ts), so nobody, root included, can change or delete it before it expires.
 */
export interface AnchorObjectStore {
  s3: S3Client;
  bucket: string;
}

/** What an anchor object holds: enough to compare with the anchor chain's entry and Temporal's result. */
export interface AnchorObject {
  anchorId: string;
  seq: number;
  hash: string;
  root: string;
  caseCount: number;
  basedOn: number | null;
  at: string;
}

export class AnchorObjectError extends Error {
  override name = 'AnchorObjectError';
}

export function anchorObjectStore(env: Env & { ANCHOR_BUCKET: string }): AnchorObjectStore {
  const local =
    env.S3_ENDPOINT && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
      ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
      : undefined;
  return {
    bucket: env.ANCHOR_BUCKET,
    s3: new S3Client({
      region: env.AWS_REGION,
      ...(env.S3_ENDPOINT
        ? { endpoint: env.S3_ENDPOINT, forcePathStyle: true, ...(local ? { credentials: local } : {}) }
        : {}),
    }),
  };
}

/** One key per anchor, ordered by seq, so a listing reads as the anchor chain. */
export const anchorObjectKey = (seq: number) => `anchors/${String(seq).padStart(10, '0')}.json`;

const body = (a: AnchorObject) =>
  JSON.stringify({
    anchorId: a.anchorId,
    seq: a.seq,
    hash: a.hash,
    root: a.root,
    caseCount: a.caseCount,
    basedOn: a.basedOn,
    at: a.at,
  });

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long the bucket keeps an object locked: its default retention, which must be in
 * compliance mode (governance mode lets a privileged caller lift it). The write states it
 * explicitly, so the lock never depends on the store applying its default on its own.
 */
async function complianceRetentionMs(store: AnchorObjectStore): Promise<number> {
  let rule;
  try {
    const out = await store.s3.send(new GetObjectLockConfigurationCommand({ Bucket: store.bucket }));
    rule =
      out.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled'
        ? out.ObjectLockConfiguration.Rule
        : undefined;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 && status !== 400) throw err;
  }
  const retention = rule?.DefaultRetention;
  const ms = retention?.Days
    ? retention.Days * DAY_MS
    : retention?.Years
      ? retention.Years * 365 * DAY_MS
      : 0;
  if (retention?.Mode !== 'COMPLIANCE' || ms <= 0)
    throw new AnchorObjectError(
      `the anchor bucket ${store.bucket} is not locked in compliance mode (lock: ${retention?.Mode ?? 'none'}): ` +
        'it needs Object Lock with a default retention in COMPLIANCE mode',
    );
  return ms;
}

/**
 * Writes the anchor once. A retry finds its own object already there (S3 answers 412 to
 * If-None-Match, a locked object refuses the overwrite) and accepts it when it is the same
 * anchor; another anchor under that seq is an AnchorObjectError. The object must come out
 * locked in compliance mode: a bucket without its retention would make the witness erasable.
 */
export async function putAnchorObject(
  store: AnchorObjectStore,
  anchor: AnchorObject,
): Promise<{ key: string }> {
  const key = anchorObjectKey(anchor.seq);
  const text = body(anchor);
  const retainMs = await complianceRetentionMs(store);
  try {
    await store.s3.send(
      new PutObjectCommand({
        Bucket: store.bucket,
        Key: key,
        Body: text,
        ContentType: 'application/json',
        // Versioning would otherwise keep the first version locked yet let a second become current.
        IfNoneMatch: '*',
        // Object Lock needs an integrity checksum on every write.
        ChecksumAlgorithm: 'SHA256',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(Date.now() + retainMs),
      }),
    );
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 412 && status !== 403 && status !== 409) throw err;
    const existing = await readAnchorObject(store, anchor.seq);
    if (existing === null) throw err;
    if (body(existing) !== text)
      throw new AnchorObjectError(
        `${key} in ${store.bucket} already holds anchor ${existing.anchorId} (${existing.hash}), not ${anchor.anchorId} (${anchor.hash})`,
      );
  }
  const { Retention } = await store.s3.send(
    new GetObjectRetentionCommand({ Bucket: store.bucket, Key: key }),
  );
  if (
    Retention?.Mode !== 'COMPLIANCE' ||
    !Retention.RetainUntilDate ||
    Retention.RetainUntilDate.getTime() <= Date.now()
  )
    throw new AnchorObjectError(`${key} in ${store.bucket} came out without a compliance-mode lock`);
  return { key };
}

/** The anchor object at a seq, or null when there is none. */
export async function readAnchorObject(store: AnchorObjectStore, seq: number): Promise<AnchorObject | null> {
  try {
    const out = await store.s3.send(
      new GetObjectCommand({ Bucket: store.bucket, Key: anchorObjectKey(seq) }),
    );
    return JSON.parse((await out.Body?.transformToString('utf8')) ?? 'null') as AnchorObject | null;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return null;
    throw err;
  }
}
