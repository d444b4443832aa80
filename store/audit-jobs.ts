import { randomBytes } from 'node:crypto';
import {
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  AbortMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableNames } from './clients.ts';
import { opsKey } from './keys.ts';

/**
 * Long audit reads (every chain verified, a period exported) run as jobs: a
 * row in the ops table a person polls, a result file in the object store, and
 * a slot counter that bounds how many run at once, in total and per person.
 * Taking a slot and creating the row is one transaction, and so is finishing
 * the row and giving the slot back, so a retried finish cannot give it twice.
 */
export interface AuditJobDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

/** Where job results go: the evidence store's bucket and client, under their own prefix. */
export interface ResultStore {
  client: S3Client;
  bucket: string;
}

export type AuditJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface AuditJob {
  jobId: string;
  /** The slot pool: one per worker task queue, so separate deployments (and tests) never share slots. */
  pool: string;
  ownerId: string;
  kind: string;
  /** What to read; its shape belongs to the kind (audit/jobs.ts parses it). */
  params: Record<string, unknown>;
  status: AuditJobStatus;
  progress: { done: number; total: number | null };
  /** A small summary of the outcome (for a verification, its counts). */
  summary?: Record<string, unknown> | undefined;
  error?: string | undefined;
  result?: { key: string; contentType: string; fileName: string; bytes: number } | undefined;
  createdAt: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
}

export const newAuditJobId = (): string => `job_${randomBytes(12).toString('base64url')}`;
/** The shape newAuditJobId issues: anything else is no job, refused before it is looked up. */
export const AUDIT_JOB_ID_PATTERN = /^job_[A-Za-z0-9_-]{16}$/;

const jobKey = (jobId: string) => marshall(opsKey.auditJob(jobId));
const slotsKey = (pool: string) => marshall(opsKey.auditJobSlots(pool));
// Attribute names cannot hold every character an id may; the person's slot count is keyed by a hex form.
const ownerAttr = (ownerId: string) => `u_${Buffer.from(ownerId).toString('hex')}`;

export class JobLimitError extends Error {
  override name = 'JobLimitError';
  constructor(readonly limit: 'total' | 'person') {
    super(
      limit === 'total' ? 'too many audit jobs are running' : 'this person has too many audit jobs running',
    );
  }
}

/**
 * Creates a queued job and takes its slot, or throws JobLimitError naming the
 * limit reached (nothing is written then).
 */
export async function createAuditJob(
  deps: AuditJobDeps,
  job: Pick<AuditJob, 'jobId' | 'pool' | 'ownerId' | 'kind' | 'params'> & { createdAt?: string },
  limits: { total: number; perPerson: number },
): Promise<AuditJob> {
  const row: AuditJob = {
    ...job,
    status: 'queued',
    progress: { done: 0, total: null },
    createdAt: job.createdAt ?? new Date().toISOString(),
  };
  try {
    await deps.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: deps.tables.ops,
              Key: slotsKey(job.pool),
              UpdateExpression: 'ADD #t :one, #u :one',
              ConditionExpression:
                '(attribute_not_exists(#t) OR #t < :total) AND (attribute_not_exists(#u) OR #u < :mine)',
              ExpressionAttributeNames: { '#t': 'total', '#u': ownerAttr(job.ownerId) },
              ExpressionAttributeValues: marshall({
                ':one': 1,
                ':total': limits.total,
                ':mine': limits.perPerson,
              }),
            },
          },
          {
            Put: {
              TableName: deps.tables.ops,
              Item: { ...jobKey(job.jobId), ...marshall(row, { removeUndefinedValues: true }) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (err) {
    if (
      err instanceof TransactionCanceledException &&
      err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
    ) {
      const slots = await getSlots(deps, job.pool, job.ownerId);
      throw new JobLimitError(slots.mine >= limits.perPerson ? 'person' : 'total');
    }
    throw err;
  }
  return row;
}

/** How many jobs hold a slot, in total and for one person. */
export async function getSlots(
  deps: AuditJobDeps,
  pool: string,
  ownerId: string,
): Promise<{ total: number; mine: number }> {
  const r = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: slotsKey(pool), ConsistentRead: true }),
  );
  const item = r.Item ? unmarshall(r.Item) : {};
  return { total: Number(item['total'] ?? 0), mine: Number(item[ownerAttr(ownerId)] ?? 0) };
}

export async function getAuditJob(deps: AuditJobDeps, jobId: string): Promise<AuditJob | null> {
  const r = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: jobKey(jobId), ConsistentRead: true }),
  );
  if (!r.Item) return null;
  const { pk: _pk, sk: _sk, ...job } = unmarshall(r.Item);
  return job as AuditJob;
}

/** Marks the job running (again, on a retry) with its progress reset. */
export async function startAuditJob(deps: AuditJobDeps, jobId: string): Promise<void> {
  await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key: jobKey(jobId),
      UpdateExpression: 'SET #s = :running, startedAt = if_not_exists(startedAt, :now), progress = :p',
      ConditionExpression: '#s IN (:queued, :running)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: marshall({
        ':running': 'running',
        ':queued': 'queued',
        ':now': new Date().toISOString(),
        ':p': { done: 0, total: null },
      }),
    }),
  );
}

export async function reportAuditJobProgress(
  deps: AuditJobDeps,
  jobId: string,
  progress: { done: number; total: number | null },
): Promise<void> {
  await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key: jobKey(jobId),
      UpdateExpression: 'SET progress = :p',
      ConditionExpression: '#s = :running',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: marshall({ ':p': progress, ':running': 'running' }),
    }),
  );
}

/**
 * Ends a job (done with its result, or failed with a reason) and gives its slot
 * back, in one transaction; false if it had already ended (a retried finish).
 */
export async function finishAuditJob(
  deps: AuditJobDeps,
  job: Pick<AuditJob, 'jobId' | 'pool' | 'ownerId'>,
  outcome:
    | {
        status: 'done';
        result: NonNullable<AuditJob['result']>;
        summary?: Record<string, unknown> | undefined;
        progress: AuditJob['progress'];
      }
    | { status: 'failed'; error: string },
): Promise<boolean> {
  const values: Record<string, unknown> = {
    ':s': outcome.status,
    ':now': new Date().toISOString(),
    ':queued': 'queued',
    ':running': 'running',
  };
  let set = '#s = :s, finishedAt = :now';
  if (outcome.status === 'done') {
    set += ', #r = :r, progress = :p';
    values[':r'] = outcome.result;
    values[':p'] = outcome.progress;
    if (outcome.summary) {
      set += ', summary = :sum';
      values[':sum'] = outcome.summary;
    }
  } else {
    set += ', #e = :e';
    values[':e'] = outcome.error.slice(0, 2000);
  }
  try {
    await deps.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: deps.tables.ops,
              Key: jobKey(job.jobId),
              UpdateExpression: `SET ${set}`,
              ConditionExpression: '#s IN (:queued, :running)',
              ExpressionAttributeNames: {
                '#s': 'status',
                ...(outcome.status === 'done' ? { '#r': 'result' } : { '#e': 'error' }),
              },
              ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
            },
          },
          {
            Update: {
              TableName: deps.tables.ops,
              Key: slotsKey(job.pool),
              UpdateExpression: 'ADD #t :minus, #u :minus',
              ExpressionAttributeNames: { '#t': 'total', '#u': ownerAttr(job.ownerId) },
              ExpressionAttributeValues: marshall({ ':minus': -1 }),
            },
          },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (
      err instanceof TransactionCanceledException &&
      err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
    )
      return false;
    throw err;
  }
}

export const resultKey = (jobId: string, ext: string) => `audit-jobs/${jobId}.${ext}`;

// S3 takes parts of at least 5 MiB (all but the last).
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Writes text pieces to the object store as they come, in multipart chunks, so
 * a long export never sits whole in memory. Returns the bytes written.
 */
export async function writeResult(
  store: ResultStore,
  key: string,
  contentType: string,
  pieces: AsyncIterable<string>,
): Promise<number> {
  const encoder = new TextEncoder();
  let buffered: Uint8Array[] = [];
  let size = 0;
  let total = 0;
  let uploadId: string | undefined;
  const parts: { ETag: string; PartNumber: number }[] = [];
  const joined = () => {
    const out = new Uint8Array(size);
    let at = 0;
    for (const b of buffered) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  };
  const flushPart = async () => {
    uploadId ??= (
      await store.client.send(
        new CreateMultipartUploadCommand({ Bucket: store.bucket, Key: key, ContentType: contentType }),
      )
    ).UploadId;
    const PartNumber = parts.length + 1;
    const r = await store.client.send(
      new UploadPartCommand({
        Bucket: store.bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber,
        Body: joined(),
      }),
    );
    parts.push({ ETag: r.ETag ?? '', PartNumber });
    buffered = [];
    size = 0;
  };
  try {
    for await (const piece of pieces) {
      const bytes = encoder.encode(piece);
      buffered.push(bytes);
      size += bytes.length;
      total += bytes.length;
      if (size >= PART_BYTES) await flushPart();
    }
    if (!uploadId) {
      await store.client.send(
        new PutObjectCommand({ Bucket: store.bucket, Key: key, ContentType: contentType, Body: joined() }),
      );
      return total;
    }
    if (size > 0) await flushPart();
    await store.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: store.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return total;
  } catch (err) {
    if (uploadId) {
      await store.client
        .send(new AbortMultipartUploadCommand({ Bucket: store.bucket, Key: key, UploadId: uploadId }))
        .catch(() => undefined);
    }
    throw err;
  }
}

/** A short-lived presigned GET of a job's result, as a download with its file name. */
export function resultUrl(
  store: ResultStore,
  result: NonNullable<AuditJob['result']>,
  expiresIn = 5 * 60,
): Promise<string> {
  return getSignedUrl(
    store.client,
    new GetObjectCommand({
      Bucket: store.bucket,
      Key: result.key,
      ResponseContentType: result.contentType,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(result.fileName)}`,
    }),
    { expiresIn },
  );
}

/** A result's text (for the pages that show a verification; bounded by `maxBytes`). */
export async function readResultText(
  store: ResultStore,
  result: NonNullable<AuditJob['result']>,
  maxBytes = 5 * 1024 * 1024,
): Promise<string | null> {
  if (result.bytes > maxBytes) return null;
  const r = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: result.key }));
  return (await r.Body?.transformToString('utf8')) ?? '';
}
