import { Context } from '@temporalio/activity';
import {
  BatchWriteItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  anchorRoot,
  canonicalJson,
  hashEntry,
  verifyChain,
  type AuditEntry,
  type ChainHead,
  type VerifyChainResult,
} from '../domain/hash-chain.ts';
import { appendAudit, chainHead, entryFromItem, readChain } from '../store/audit-chain.ts';
import { caseIds, mapConcurrent, readChainFrom } from '../audit/scan.ts';
import type { AwsDeps } from '../store/clients.ts';

/**
 * Anchors: a Merkle root over the head of every case's chain, stored as an
 * entry of one more hash chain (ANCHOR_CHAIN_ID in the audit table), so each
 * anchor commits to the previous anchor's hash. The heads themselves sit in
 * the ops table in chunks under the anchor's id; the root in the entry proves
 * them.
 *
 * Heads carry forward: a case anchored once stays in every later anchor. When
 * a case's rows are gone, or its chain no longer passes through its anchored
 * head, the new anchor keeps the old head and names the case in its findings,
 * so deleting or rewriting a case cannot be laundered into the next anchor.
 */
export const ANCHOR_CHAIN_ID = '#anchors';
export const ANCHOR_ACTION = 'anchored';
const HEADS_PER_CHUNK = 500;
// Findings are listed in the anchor entry up to this many ids per kind (counts are exact).
const FINDINGS_LISTED = 50;
const CONCURRENCY = 16;
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

export interface StoredAnchor extends AnchorRecord {
  seq: number;
  hash: string;
  at: string;
}

/** What collecting the heads produced: the anchor's payload, not yet sealed. */
export type CollectResult = AnchorRecord;

const chunkPk = (anchorId: string) => `AUDITANCHOR#${anchorId}`;
const chunkSk = (n: number) => `heads#${String(n).padStart(6, '0')}`;

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
export async function latestAnchor(
  ddb: DynamoDBClient,
  tables: AwsDeps['tables'],
): Promise<StoredAnchor | null> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tables.audit,
        KeyConditionExpression: 'caseId = :c',
        ExpressionAttributeValues: marshall({ ':c': ANCHOR_CHAIN_ID }),
        ScanIndexForward: false,
        // Normally the newest entry is the anchor: a small first page, a longer walk only when tampered.
        Limit: 10,
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const anchor = anchorFromEntry(entryFromItem(item));
      if (anchor) return anchor;
    }
    start = out.LastEvaluatedKey;
  } while (start);
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
  tables: AwsDeps['tables'],
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
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await ddb.send(
        new QueryCommand({
          TableName: tables.ops,
          KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: marshall({
            ':p': chunkPk(anchor.anchorId),
            ':a': chunkSk(1),
            ':b': chunkSk(anchor.chunkCount),
          }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const row = unmarshall(item) as { heads: string };
        heads.push(...(JSON.parse(row.heads) as ChainHead[]));
        chunks += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
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
  tables: AwsDeps['tables'],
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

type HeadOutcome = { head: ChainHead | null; finding?: 'missing' | 'rewritten' | 'broken' };

/** The last entry of a verified prefix: where a broken chain can still be anchored. */
function intactHead(caseId: string, entries: AuditEntry[], result: VerifyChainResult): ChainHead | null {
  if (result.ok) return result.head ? { caseId, ...result.head } : null;
  let last: AuditEntry | undefined;
  for (const [i, e] of entries.entries()) {
    if (e.seq !== i + 1 || e.seq >= result.brokenAt) break;
    last = e;
  }
  return last ? { caseId, seq: last.seq, hash: last.hash } : null;
}

/**
 * The head to anchor for one case. A case seen by an earlier anchor is only
 * read from its anchored entry on: that entry must still carry the anchored
 * hash, and every later entry must link to it.
 */
async function headFor(deps: AwsDeps, caseId: string, prev: ChainHead | undefined): Promise<HeadOutcome> {
  if (!prev) {
    const entries = await readChain(deps.ddb, deps.tables, caseId);
    // Never anchored, so its id came from the cases table: a record is written only together
    // with an entry, so a record with no trail at all had its trail deleted.
    if (entries.length === 0) return { head: null, finding: 'broken' };
    const result = verifyChain(entries, caseId);
    return result.ok
      ? { head: intactHead(caseId, entries, result) }
      : { head: intactHead(caseId, entries, result), finding: 'broken' };
  }
  const tail = await readChainFrom(deps.ddb, deps.tables, caseId, prev.seq);
  const first = tail[0];
  if (!first) {
    const now = await chainHead(deps.ddb, deps.tables, caseId);
    return { head: prev, finding: now ? 'rewritten' : 'missing' };
  }
  if (first.seq !== prev.seq || first.hash !== prev.hash) return { head: prev, finding: 'rewritten' };
  let last = first;
  for (const e of tail.slice(1)) {
    let recomputed: string | null;
    try {
      recomputed = hashEntry(e);
    } catch {
      recomputed = null;
    }
    if (e.caseId !== caseId || e.seq !== last.seq + 1 || e.prevHash !== last.hash || recomputed !== e.hash) {
      return { head: { caseId, seq: last.seq, hash: last.hash }, finding: 'broken' };
    }
    last = e;
  }
  return { head: { caseId, seq: last.seq, hash: last.hash } };
}

/**
 * Collects the head of every case (the cases table's byOpened index, plus
 * every case of the previous anchor), writes them in chunks under `anchorId`
 * and returns the root. Safe to repeat: the chunks are simply rewritten.
 */
export async function collectHeads(
  deps: AwsDeps,
  anchorId: string,
  onProgress: (done: number) => void = () => {},
): Promise<CollectResult> {
  // Heads that no longer match their root stop the run: carrying forward unproven heads would launder them.
  const latest = await latestAnchorWithHeads(deps.ddb, deps.tables);
  const previous = latest?.anchor ?? null;
  const prevHeads = new Map<string, ChainHead>((latest?.heads ?? []).map((h) => [h.caseId, h]));
  const seen = new Set<string>();
  async function* everyCase(): AsyncGenerator<string> {
    for await (const id of caseIds(deps.ddb, deps.tables)) {
      if (seen.has(id)) continue;
      seen.add(id);
      yield id;
    }
    // Cases whose record is gone are exactly the ones an anchor must not forget.
    for (const id of prevHeads.keys()) if (!seen.has(id)) yield id;
  }

  const heads: ChainHead[] = [];
  const found = { missing: [] as string[], rewritten: [] as string[], broken: [] as string[] };
  let done = 0;
  for await (const [caseId, out] of mapConcurrent(everyCase(), CONCURRENCY, async (id) => {
    return [id, await headFor(deps, id, prevHeads.get(id))] as const;
  })) {
    if (out.head) heads.push(out.head);
    if (out.finding) found[out.finding].push(caseId);
    done += 1;
    if (done % 100 === 0) onProgress(done);
  }
  heads.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const chunkCount = Math.ceil(heads.length / HEADS_PER_CHUNK);
  for (let n = 1; n <= chunkCount; n++) {
    const slice = heads.slice((n - 1) * HEADS_PER_CHUNK, n * HEADS_PER_CHUNK);
    await deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item: marshall({
          pk: chunkPk(anchorId),
          sk: chunkSk(n),
          heads: JSON.stringify(slice.map((h) => ({ caseId: h.caseId, seq: h.seq, hash: h.hash }))),
        }),
      }),
    );
  }
  onProgress(done);
  const list = (ids: string[]) => [...ids].sort().slice(0, FINDINGS_LISTED);
  return {
    anchorId,
    root: anchorRoot(heads),
    caseCount: heads.length,
    chunkCount,
    basedOn: previous?.seq ?? null,
    findings: {
      missing: list(found.missing),
      rewritten: list(found.rewritten),
      broken: list(found.broken),
      counts: {
        missing: found.missing.length,
        rewritten: found.rewritten.length,
        broken: found.broken.length,
      },
    },
  };
}

export interface SealInput extends CollectResult {
  at: string;
}

export interface SealResult {
  seq: number;
  hash: string;
  root: string;
  duplicate: boolean;
}

/** Appends the anchor entry to the anchor chain; a retry with the same anchorId appends nothing. */
export async function sealAnchor(deps: AwsDeps, input: SealInput): Promise<SealResult> {
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
    stepId: `anchor#${record.anchorId}`,
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
  deps: AwsDeps,
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
    const keys = await chunkKeys(deps, anchor.anchorId);
    if (keys.length === 0) continue;
    for (let i = 0; i < keys.length; i += 25) {
      let pending: WriteRequest[] = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      while (pending.length > 0) {
        const out = await deps.ddb.send(
          new BatchWriteItemCommand({ RequestItems: { [deps.tables.ops]: pending } }),
        );
        pending = out.UnprocessedItems?.[deps.tables.ops] ?? [];
      }
    }
    pruned.push(anchor.anchorId);
  }
  return { pruned };
}

async function chunkKeys(deps: AwsDeps, anchorId: string): Promise<Record<string, AttributeValue>[]> {
  const keys: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await deps.ddb.send(
      new QueryCommand({
        TableName: deps.tables.ops,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: marshall({ ':p': chunkPk(anchorId) }),
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: start,
      }),
    );
    keys.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
}

/** One anchor, start to end, outside Temporal (the offline CLI and tests). */
export async function anchorNow(deps: AwsDeps, anchorId: string, at = new Date().toISOString()) {
  const collected = await collectHeads(deps, anchorId);
  return { ...(await sealAnchor(deps, { ...collected, at })), findings: collected.findings };
}

// Heartbeats only when running as an activity, so the same code serves the CLI.
function heartbeat(details: unknown): void {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return;
  }
  ctx.heartbeat(details);
}

/** The anchor workflow's activities, built over injected clients. Each is idempotent. */
export function createAuditActivities(deps: AwsDeps) {
  return {
    async collectAnchorHeads(input: { anchorId: string }): Promise<CollectResult> {
      return collectHeads(deps, input.anchorId, (done) => heartbeat({ done }));
    },
    async sealAnchor(input: SealInput): Promise<SealResult> {
      return sealAnchor(deps, input);
    },
    async pruneAnchorHeads(input: { keep: number }): Promise<{ pruned: string[] }> {
      return pruneAnchorHeads(deps, input.keep);
    },
  };
}

export type AuditActivities = ReturnType<typeof createAuditActivities>;
