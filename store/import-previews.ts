import { createHash, randomUUID } from 'node:crypto';
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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

export type PreviewLookup =
  { ok: true; preview: StoredPreview } | { ok: false; reason: 'unknown' | 'expired' | 'mismatch' };

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

/** Forgets a preview once applied, so the same form cannot apply it a second time. */
export async function dropPreview(deps: PreviewStoreDeps, id: string): Promise<void> {
  const rows = await queryAll(deps.ddb, {
    TableName: deps.tables.ops,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: marshall({ ':pk': opsPartition.importPreview(id) }),
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  });
  await batchWrite(
    deps.ddb,
    deps.tables.ops,
    rows.map((Key) => ({ DeleteRequest: { Key } })),
  );
}
