import { createHash, randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { batchWrite } from './batch-write.ts';
import type { TableNames } from './clients.ts';
import { chunksOf } from './directory.ts';
import { opsKey, opsPartition } from './keys.ts';
import { queryAll } from './paginate.ts';
import { EXPIRES_AT } from './tables.ts';

/**
 * A previewed directory import, kept in the ops table until it is applied: the apply form carries
 * only its id and hash, so a 50,000-row file is not sent back and forth through the page, and what
 * is applied is what was previewed (its mode and the directory version it was checked against
 * included), not whatever a posted form says. The directory JSON is cut into rows well under
 * DynamoDB's 400 KB item limit; every row goes by the table's TTL, and reads check the expiry
 * themselves since TTL deletion lags.
 */
export interface PreviewStoreDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

/** How long a preview can be applied: long enough to read it, short enough not to apply a stale file. */
export const IMPORT_PREVIEW_SECONDS = 3600;

// UTF-16 units per row: at most three UTF-8 bytes each, well under DynamoDB's 400 KB item.
const PART_CHARS = 100_000;

export const importMode = z.enum(['merge', 'replace']);
/** What the import does with entries the file does not list: kept (merge) or removed (replace). */
export type ImportMode = z.infer<typeof importMode>;

const headRow = z.object({
  personId: z.string(),
  mode: importMode,
  /** The directory version the preview was made against (null: none stored yet). */
  version: z.number().int().nullable(),
  sha256: z.string(),
  parts: z.number().int().nonnegative(),
  [EXPIRES_AT]: z.number(),
  /** Set by the one apply that claimed the preview: 'applying' while it saves, then 'applied'. */
  state: z.enum(['applying', 'applied']).optional(),
  /** Once applied: the directory version it made and what the apply answered (opaque here). */
  appliedVersion: z.number().int().optional(),
  result: z.string().optional(),
});

const partRow = z.object({ sk: z.string(), data: z.string() });

export const PREVIEW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const PREVIEW_HASH = /^[0-9a-f]{64}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

export interface StoredPreview {
  personId: string;
  mode: ImportMode;
  version: number | null;
  /** The directory as previewed, parsed back but not validated: the apply checks it again. */
  directory: unknown;
}

/** Keeps a previewed import for `personId` to apply; its id and hash go in the apply form. */
export async function savePreview(
  deps: PreviewStoreDeps,
  input: { personId: string; mode: ImportMode; version: number | null; directory: unknown },
  now = new Date(),
): Promise<{ id: string; hash: string }> {
  const id = randomUUID();
  const text = JSON.stringify(input.directory);
  const hash = sha256(text);
  const expires = { [EXPIRES_AT]: epoch(now) + IMPORT_PREVIEW_SECONDS };
  const parts = chunksOf(text, PART_CHARS);
  await batchWrite(
    deps.ddb,
    deps.tables.ops,
    parts.map((data, i) => ({
      PutRequest: { Item: marshall({ ...opsKey.importPreviewPart(id, i + 1), data, ...expires }) },
    })),
  );
  // The head last: a preview is only found once every part of it is written.
  const head: z.infer<typeof headRow> = {
    personId: input.personId,
    mode: input.mode,
    version: input.version,
    sha256: hash,
    parts: parts.length,
    ...expires,
  };
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: marshall({ ...opsKey.importPreviewHead(id), ...head }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { id, hash };
}

/** A preview already applied: the directory version that apply made and what it answered. */
export interface AppliedPreview {
  version: number;
  result: string;
}

export type PreviewLookup =
  | { ok: true; preview: StoredPreview }
  | ({ ok: false; reason: 'applied' } & AppliedPreview)
  | { ok: false; reason: 'unknown' | 'expired' | 'mismatch' };

const appliedOf = (head: z.infer<typeof headRow>): AppliedPreview | null =>
  head.state === 'applied' && head.appliedVersion !== undefined && head.result !== undefined
    ? { version: head.appliedVersion, result: head.result }
    : null;

/**
 * The preview `id` as `personId` made it, if it has not expired and `hash` is the hash the preview
 * page gave: another admin's preview, or a form whose hash was changed, is not applied.
 */
export async function loadPreview(
  deps: PreviewStoreDeps,
  input: { id: string; hash: string; personId: string },
  now = new Date(),
): Promise<PreviewLookup> {
  if (!PREVIEW_ID.test(input.id)) return { ok: false, reason: 'unknown' };
  const items = (
    await queryAll(deps.ddb, {
      TableName: deps.tables.ops,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': opsPartition.importPreview(input.id) }),
      ConsistentRead: true,
    })
  ).map((item) => unmarshall(item));
  const head = headRow.safeParse(items.find((i) => i.sk === opsKey.importPreviewHead(input.id).sk));
  if (!head.success || head.data.personId !== input.personId) return { ok: false, reason: 'unknown' };
  // Told before the expiry: the preview's own form posted again after its apply was applied.
  const done = input.hash === head.data.sha256 ? appliedOf(head.data) : null;
  if (done) return { ok: false, reason: 'applied', ...done };
  if (epoch(now) >= head.data[EXPIRES_AT]) return { ok: false, reason: 'expired' };
  if (input.hash !== head.data.sha256) return { ok: false, reason: 'mismatch' };
  const parts = items
    .filter((i) => typeof i.sk === 'string' && i.sk.startsWith('part#'))
    .map((i) => partRow.parse(i))
    .sort((a, b) => (a.sk < b.sk ? -1 : 1));
  const text = parts.map((p) => p.data).join('');
  // A part the TTL has already taken (or never written): the preview is gone, not half there.
  if (parts.length !== head.data.parts || sha256(text) !== head.data.sha256)
    return { ok: false, reason: 'expired' };
  const { personId, mode, version } = head.data;
  return { ok: true, preview: { personId, mode, version, directory: JSON.parse(text) as unknown } };
}

export type PreviewClaim =
  | { claimed: true }
  | ({ claimed: false; state: 'applied' } & AppliedPreview)
  | { claimed: false; state: 'applying' | 'gone' };

const STATE = { '#s': 'state' };

/**
 * Claims the preview `id` for one apply: of two posts of the same form (a double click), only one
 * wins the conditional update and saves; the other learns the preview is being, or was, applied,
 * rather than trying to save it again over the version the first one made.
 */
export async function claimPreview(deps: PreviewStoreDeps, id: string): Promise<PreviewClaim> {
  try {
    await deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: marshall(opsKey.importPreviewHead(id)),
        UpdateExpression: 'SET #s = :applying',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#s)',
        ExpressionAttributeNames: STATE,
        ExpressionAttributeValues: marshall({ ':applying': 'applying' }),
      }),
    );
    return { claimed: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
  const { Item } = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.importPreviewHead(id)),
      ConsistentRead: true,
    }),
  );
  const head = headRow.safeParse(Item ? unmarshall(Item) : undefined);
  if (!head.success) return { claimed: false, state: 'gone' };
  const done = appliedOf(head.data);
  if (done) return { claimed: false, state: 'applied', ...done };
  return { claimed: false, state: 'applying' };
}

/** Gives a claim up when its apply wrote nothing, so the preview can be applied again. */
export async function releasePreview(deps: PreviewStoreDeps, id: string): Promise<void> {
  await deps.ddb
    .send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: marshall(opsKey.importPreviewHead(id)),
        UpdateExpression: 'REMOVE #s',
        ConditionExpression: '#s = :applying',
        ExpressionAttributeNames: STATE,
        ExpressionAttributeValues: marshall({ ':applying': 'applying' }),
      }),
    )
    .catch((err: unknown) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
}

/**
 * Records the claimed preview `id` as applied (the head stays until its TTL, so a form posted again
 * is told so) and forgets its directory, so the same form cannot apply it a second time.
 */
export async function markApplied(
  deps: PreviewStoreDeps,
  id: string,
  applied: AppliedPreview,
): Promise<void> {
  await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.importPreviewHead(id)),
      UpdateExpression: 'SET #s = :applied, appliedVersion = :v, #r = :r',
      ConditionExpression: '#s = :applying',
      ExpressionAttributeNames: { ...STATE, '#r': 'result' },
      ExpressionAttributeValues: marshall({
        ':applied': 'applied',
        ':applying': 'applying',
        ':v': applied.version,
        ':r': applied.result,
      }),
    }),
  );
  const parts = await queryAll(deps.ddb, {
    TableName: deps.tables.ops,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :part)',
    ExpressionAttributeValues: marshall({ ':pk': opsPartition.importPreview(id), ':part': 'part#' }),
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  });
  await batchWrite(
    deps.ddb,
    deps.tables.ops,
    parts.map((Key) => ({ DeleteRequest: { Key } })),
  );
}
