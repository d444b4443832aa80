import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { anchorRoot, canonicalJson, type AuditEntry, type ChainHead } from '../domain/hash-chain.ts';
import { appendAudit, entryFromItem, readChainFrom } from './audit-chain.ts';
import { batchWrite } from './batch-write.ts';
import type { AwsDeps, TableNames } from './clients.ts';
import { ANCHOR_CHAIN_ID, anchorChunkSk, auditStepId, opsKey, opsPartition } from './keys.ts';
import { queryAll, queryItems } from './paginate.ts';

/**
 * Anchors: a Merkle root over the head of every case's chain, stored as an
 * entry of one more hash chain (ANCHOR_CHAIN_ID in the audit table), so each
 * anchor commits to the previous anchor's hash. The heads themselves sit in
 * the ops table in chunks under the anchor's id; the root in the entry proves
 * them. Collecting the heads is the anchor job's (audit/anchor-job.ts).
 */
export const ANCHOR_ACTION = 'anchored';
const HEADS_PER_CHUNK = 500;
const ANCHOR_PAYLOAD_MAX = 7000;

export interface AnchorFindings {
  missing: string[];
  rewritten: string[];
  broken: string[];
  counts: { missing: number; rewritten: number; broken: number };
}

/** What an anchor entry's payload holds. */
export interface AnchorRecord {
  anchorId: string;
  root: string;
  caseCount: number;
  chunkCount: number;
  /** Seq of the anchor whose heads were carried forward, null for the first. */
  basedOn: number | null;
  findings: AnchorFindings;
}

/** How many chunks an anchor's heads take: what its chunkCount must be for its caseCount. */
export const chunksFor = (caseCount: number) => Math.ceil(caseCount / HEADS_PER_CHUNK);

/**
 * An anchor as its own run recorded it (the anchor workflow's result, kept by Temporal): what
 * the next run builds on and verification trusts, whatever the audit table says meanwhile.
 */
export interface AnchorBase {
  anchorId: string;
  seq: number;
  hash: string;
  root: string;
  caseCount: number;
}

export interface StoredAnchor extends AnchorRecord {
  seq: number;
  hash: string;
  at: string;
}

/** Reads an anchor entry's payload back (appendAudit stores it wrapped as `{ payload }`). */
export function anchorFromEntry(entry: AuditEntry): StoredAnchor | null {
  const wrapped = entry.payload as { payload?: AnchorRecord } | undefined;
  const record = wrapped?.payload;
  if (entry.action !== ANCHOR_ACTION || !record || typeof record.anchorId !== 'string') return null;
  return { ...record, seq: entry.seq, hash: entry.hash, at: entry.at };
}

/**
 * The newest anchor, or null before the first. Pages back past any entries at
 * the end of the anchor chain that are not anchors, however many, so entries
 * slipped in there cannot switch anchoring off (verification reports them).
 */
export async function latestAnchor(ddb: DynamoDBClient, tables: TableNames): Promise<StoredAnchor | null> {
  for await (const item of queryItems(ddb, {
    TableName: tables.audit,
    KeyConditionExpression: 'caseId = :c',
    ExpressionAttributeValues: marshall({ ':c': ANCHOR_CHAIN_ID }),
    ScanIndexForward: false,
    // Normally the newest entry is the anchor: a small first page, a longer walk only when tampered.
    Limit: 10,
    ConsistentRead: true,
  })) {
    const anchor = anchorFromEntry(entryFromItem(item));
    if (anchor) return anchor;
  }
  return null;
}

export class AnchorHeadsError extends Error {
  override name = 'AnchorHeadsError';
}

// Anchors never change once sealed, so their verified heads are kept for the next request
// (per client, like any other connection-scoped state).
const headsCaches = new WeakMap<DynamoDBClient, Map<string, ChainHead[]>>();

/**
 * The heads of an anchor, checked against its root: throws AnchorHeadsError
 * when the stored chunks were altered, lost or padded.
 */
export async function readAnchorHeads(
  ddb: DynamoDBClient,
  tables: TableNames,
  anchor: Pick<StoredAnchor, 'anchorId' | 'chunkCount' | 'caseCount' | 'root'>,
): Promise<ChainHead[]> {
  const cacheKey = `${tables.ops}\u0000${anchor.anchorId}\u0000${anchor.root}`;
  let headsCache = headsCaches.get(ddb);
  if (!headsCache) {
    headsCache = new Map();
    headsCaches.set(ddb, headsCache);
  }
  const cached = headsCache.get(cacheKey);
  if (cached) return cached;
  const heads: ChainHead[] = [];
  let chunks = 0;
  if (anchor.chunkCount > 0) {
    for await (const item of queryItems(ddb, {
      TableName: tables.ops,
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: marshall({
        ':p': opsPartition.anchorChunks(anchor.anchorId),
        ':a': anchorChunkSk(1),
        ':b': anchorChunkSk(anchor.chunkCount),
      }),
      ConsistentRead: true,
    })) {
      const row = unmarshall(item) as { heads: string };
      heads.push(...(JSON.parse(row.heads) as ChainHead[]));
      chunks += 1;
    }
  }
  if (chunks !== anchor.chunkCount || heads.length !== anchor.caseCount) {
    throw new AnchorHeadsError(
      `anchor ${anchor.anchorId}: expected ${anchor.caseCount} heads in ${anchor.chunkCount} chunks, found ${heads.length} in ${chunks}`,
    );
  }
  let root: string;
  try {
    root = anchorRoot(heads);
  } catch (err) {
    throw new AnchorHeadsError(`anchor ${anchor.anchorId}: heads unreadable: ${(err as Error).message}`);
  }
  if (root !== anchor.root) {
    throw new AnchorHeadsError(
      `anchor ${anchor.anchorId}: the stored heads give root ${root}, the anchor entry says ${anchor.root}`,
    );
  }
  headsCache.set(cacheKey, heads);
  if (headsCache.size > 4) headsCache.delete(headsCache.keys().next().value as string);
  return heads;
}

/**
 * The newest anchor with its checked heads. Pruning never touches the newest
 * anchor, so when the heads of the one just read are gone and a newer anchor
 * has appeared meanwhile, that is a concurrent run, not tampering: read again.
 */
export async function latestAnchorWithHeads(
  ddb: DynamoDBClient,
  tables: TableNames,
): Promise<{ anchor: StoredAnchor; heads: ChainHead[] } | null> {
  for (let attempt = 0; ; attempt++) {
    const anchor = await latestAnchor(ddb, tables);
    if (!anchor) return null;
    try {
      return { anchor, heads: await readAnchorHeads(ddb, tables, anchor) };
    } catch (err) {
      if (!(err instanceof AnchorHeadsError) || attempt >= 4) throw err;
      const now = await latestAnchor(ddb, tables);
      if (now?.seq === anchor.seq) throw err;
    }
  }
}

/**
 * Writes heads (sorted by case id) in chunks under `anchorId` and returns how
 * many chunks they took. Safe to repeat: the chunks are simply rewritten.
 */
export async function writeAnchorHeads(
  deps: Pick<AwsDeps, 'ddb' | 'tables'>,
  anchorId: string,
  heads: readonly ChainHead[],
): Promise<number> {
  const chunkCount = chunksFor(heads.length);
  for (let n = 1; n <= chunkCount; n++) {
    const slice = heads.slice((n - 1) * HEADS_PER_CHUNK, n * HEADS_PER_CHUNK);
    await deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item: marshall({
          ...opsKey.anchorChunk(anchorId, n),
          heads: JSON.stringify(slice.map((h) => ({ caseId: h.caseId, seq: h.seq, hash: h.hash }))),
        }),
      }),
    );
  }
  return chunkCount;
}

export interface SealInput extends AnchorRecord {
  at: string;
}

export interface SealResult {
  seq: number;
  hash: string;
  root: string;
  duplicate: boolean;
}

/** Appends the anchor entry to the anchor chain; a retry with the same anchorId appends nothing. */
export async function sealAnchor(
  deps: Pick<AwsDeps, 'ddb' | 'tables'>,
  input: SealInput,
): Promise<SealResult> {
  const { at, ...record } = input;
  const payload: AnchorRecord = {
    anchorId: record.anchorId,
    root: record.root,
    caseCount: record.caseCount,
    chunkCount: record.chunkCount,
    basedOn: record.basedOn,
    findings: { ...record.findings },
  };
  // The payload must stay inline (appendAudit keeps only the hash of a large one),
  // so very long case ids shorten the listed findings; the counts stay exact.
  while (Buffer.byteLength(canonicalJson(payload), 'utf8') > ANCHOR_PAYLOAD_MAX) {
    const f = payload.findings;
    const longest = (['missing', 'rewritten', 'broken'] as const).reduce((a, b) =>
      f[a].length >= f[b].length ? a : b,
    );
    if (f[longest].length === 0) break;
    f[longest] = f[longest].slice(0, Math.floor(f[longest].length / 2));
  }
  const out = await appendAudit(deps.ddb, deps.tables, {
    caseId: ANCHOR_CHAIN_ID,
    stepId: auditStepId.anchor(record.anchorId),
    at,
    actor: { id: 'system', via: 'system' },
    action: ANCHOR_ACTION,
    payload,
  });
  return { seq: out.seq, hash: out.hash, root: record.root, duplicate: out.duplicate };
}

/**
 * Deletes the head chunks of anchors older than the newest `keep` (their
 * entries, with root and findings, stay in the anchor chain for good). Looks
 * at a window just below the cut, so a daily run keeps storage bounded
 * without rereading the whole anchor chain.
 */
export async function pruneAnchorHeads(
  deps: Pick<AwsDeps, 'ddb' | 'tables'>,
  keep: number,
  window = 30,
): Promise<{ pruned: string[] }> {
  const latest = await latestAnchor(deps.ddb, deps.tables);
  if (!latest) return { pruned: [] };
  const cut = latest.seq - Math.max(1, keep);
  if (cut < 1) return { pruned: [] };
  const old = await readChainFrom(deps.ddb, deps.tables, ANCHOR_CHAIN_ID, Math.max(1, cut - window + 1));
  const pruned: string[] = [];
  for (const entry of old) {
    if (entry.seq > cut) break;
    const anchor = anchorFromEntry(entry);
    if (!anchor) continue;
    const keys = await queryAll(deps.ddb, {
      TableName: deps.tables.ops,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: marshall({ ':p': opsPartition.anchorChunks(anchor.anchorId) }),
      ProjectionExpression: 'pk, sk',
    });
    if (keys.length === 0) continue;
    await batchWrite(
      deps.ddb,
      deps.tables.ops,
      keys.map((Key) => ({ DeleteRequest: { Key } })),
    );
    pruned.push(anchor.anchorId);
  }
  return { pruned };
}
