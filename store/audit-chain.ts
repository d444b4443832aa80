import {
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseView } from '../domain/case-model.ts';
import {
  GENESIS_HASH,
  hashPayload,
  payloadForStorage,
  sealEntry,
  type AuditEntry,
} from '../domain/hash-chain.ts';
import { applyViewDelta, ViewDeltaMismatch, type ViewDelta } from '../domain/view-delta.ts';
import { caseRecordItem, recordedHeadFromItem, viewFromItem, type RecordedHead } from './case-record-item.ts';
import type { TableNames } from './clients.ts';
import { auditStepId, opsKey } from './keys.ts';
import { queryItems } from './paginate.ts';

export interface AppendInput {
  caseId: string;
  /** Unique per case and step: a retry with the same id appends nothing. */
  stepId: string;
  at: string;
  actor: { id: string; role?: string | undefined; via?: string | undefined };
  action: string;
  payload: unknown;
  /** When given, the case record is written in the same transaction. */
  view?: CaseView | undefined;
  /**
   * Instead of `view`: the change from the version the record is at (the workflow sends what
   * its step changed, not the whole view). A record at another version refuses it
   * (`RecordBaseMismatch`), and the caller sends the whole view instead.
   */
  change?: ViewDelta | undefined;
  /**
   * The step's content is fixed by its caller (a workflow's activity input): a step id found
   * again with other content is not a retry but a collision, and fails instead of being
   * taken for a duplicate.
   */
  checkContent?: boolean | undefined;
  /**
   * The run lineage the view was written from: a record written from another lineage (a
   * run before a reset) does not hold a newer one back by its version alone.
   */
  lineage?: string | undefined;
}

export interface AppendResult {
  seq: number;
  hash: string;
  duplicate: boolean;
}

/** A step id already holds another step's content: never a retry, so never a duplicate. */
export class StepIdCollision extends Error {
  override name = 'StepIdCollision';
}

/** The stored case record is already at the written version or newer: the same write can never succeed. */
export class RecordVersionConflict extends Error {
  override name = 'RecordVersionConflict';
}

/** The stored record is not at the version a change was made from: send the whole view instead. */
export class RecordBaseMismatch extends Error {
  override name = 'RecordBaseMismatch';
}

const stepKey = (caseId: string, stepId: string) => marshall(opsKey.auditStep(caseId, stepId));

/** The view a change makes of the stored record, or the reason it cannot be made. */
async function viewFromChange(
  ddb: DynamoDBClient,
  tables: TableNames,
  input: AppendInput & { change: ViewDelta },
): Promise<CaseView | RecordBaseMismatch> {
  const got = await ddb.send(
    new GetItemCommand({
      TableName: tables.cases,
      Key: marshall({ caseId: input.caseId }),
      ConsistentRead: true,
    }),
  );
  if (!got.Item) return new RecordBaseMismatch(`${input.caseId} has no record to apply a change to`);
  const stored = unmarshall(got.Item) as { lineage?: unknown };
  // A record written by another run (before a reset) is not the base this run's change was made from.
  if (input.lineage && stored.lineage !== input.lineage)
    return new RecordBaseMismatch(`the record of ${input.caseId} was written by another run`);
  try {
    return applyViewDelta(viewFromItem(got.Item), input.change);
  } catch (err) {
    if (err instanceof ViewDeltaMismatch)
      return new RecordBaseMismatch(`the record of ${input.caseId}: ${err.message}`);
    throw err;
  }
}

/** The entry a step id already names, or null; a different content under the same id is a collision. */
async function priorStep(
  ddb: DynamoDBClient,
  tables: TableNames,
  input: AppendInput,
  contentHash: string | undefined,
): Promise<AppendResult | null> {
  const prior = await ddb.send(
    new GetItemCommand({
      TableName: tables.ops,
      Key: stepKey(input.caseId, input.stepId),
      ConsistentRead: true,
    }),
  );
  if (!prior.Item) return null;
  const p = unmarshall(prior.Item) as { seq: number; hash: string; contentHash?: string };
  // Steps stored before content hashes were kept cannot be compared: taken as duplicates.
  if (contentHash && p.contentHash && p.contentHash !== contentHash)
    throw new StepIdCollision(
      `step ${input.stepId} of ${input.caseId} is already entry ${p.seq} with other content; ${input.action} not appended`,
    );
  return { seq: p.seq, hash: p.hash, duplicate: true };
}

/** The newest entry of a case's chain, read consistently. */
export async function chainHead(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
): Promise<AuditEntry | null> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tables.audit,
      KeyConditionExpression: 'caseId = :c',
      ExpressionAttributeValues: marshall({ ':c': caseId }),
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = out.Items?.[0];
  return item ? entryFromItem(item) : null;
}

export function entryFromItem(item: Record<string, AttributeValue>): AuditEntry {
  const raw = unmarshall(item) as {
    caseId: string;
    seq: number;
    at: string;
    actor: string;
    action: string;
    payload: string;
    prevHash: string;
    hash: string;
  };
  return {
    caseId: raw.caseId,
    seq: raw.seq,
    at: raw.at,
    actor: JSON.parse(raw.actor) as AuditEntry['actor'],
    action: raw.action,
    payload: raw.payload === undefined ? undefined : (JSON.parse(raw.payload) as unknown),
    prevHash: raw.prevHash,
    hash: raw.hash,
  };
}

function entryItem(entry: AuditEntry) {
  // JSON strings keep the hashed values byte-for-byte (DynamoDB maps would drop empty strings and reorder nothing, but numbers and nesting round-trip more safely as text).
  return marshall(
    {
      caseId: entry.caseId,
      seq: entry.seq,
      at: entry.at,
      actor: JSON.stringify(entry.actor),
      action: entry.action,
      ...(entry.payload === undefined ? {} : { payload: JSON.stringify(entry.payload) }),
      prevHash: entry.prevHash,
      hash: entry.hash,
    },
    { removeUndefinedValues: true },
  );
}

// Appends to one chain from one process queue behind each other, and the
// process remembers the head it last wrote. Without this, N concurrent
// appenders in a worker all race for the same seq: one wins, N-1 re-read and
// retry, so a burst costs O(N^2) transactions and can exhaust the attempt
// budget. Appenders in other processes still race safely: the conditional
// write refuses a stale head and the loser re-reads it.
const chainLocks = new WeakMap<DynamoDBClient, Map<string, Promise<unknown>>>();
// `record`: whether the case had a record at that head (a no-view append updates it or checks it is absent).
type KnownHead = { seq: number; hash: string; record: boolean };
const knownHeads = new WeakMap<DynamoDBClient, Map<string, KnownHead>>();
// Bounded so a long-running worker does not keep every case it ever touched.
const KNOWN_HEADS_MAX = 10_000;

function perClient<V>(store: WeakMap<DynamoDBClient, Map<string, V>>, ddb: DynamoDBClient): Map<string, V> {
  let map = store.get(ddb);
  if (!map) {
    map = new Map();
    store.set(ddb, map);
  }
  return map;
}

function withChainLock<T>(ddb: DynamoDBClient, key: string, fn: () => Promise<T>): Promise<T> {
  const locks = perClient(chainLocks, ddb);
  const run = (locks.get(key) ?? Promise.resolve()).then(fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  void tail.then(() => {
    if (locks.get(key) === tail) locks.delete(key);
  });
  return run;
}

function rememberHead(ddb: DynamoDBClient, key: string, head: KnownHead | null): void {
  const heads = perClient(knownHeads, ddb);
  heads.delete(key);
  if (head === null) return;
  heads.set(key, head);
  if (heads.size > KNOWN_HEADS_MAX) {
    const oldest = heads.keys().next().value;
    if (oldest !== undefined) heads.delete(oldest);
  }
}

/**
 * Appends one entry to a case's hash chain (and, when asked, writes the case
 * record) in one transaction. The next sequence number can be written only
 * once, so concurrent appenders never fork the chain: the loser re-reads the
 * head and tries again. The step id makes a retried call append nothing.
 */
export function appendAudit(
  ddb: DynamoDBClient,
  tables: TableNames,
  input: AppendInput,
): Promise<AppendResult> {
  const key = `${tables.audit}\u0000${input.caseId}`;
  return withChainLock(ddb, key, () => appendLocked(ddb, tables, input, key));
}

async function appendLocked(
  ddb: DynamoDBClient,
  tables: TableNames,
  input: AppendInput,
  key: string,
): Promise<AppendResult> {
  // Without a view, the record (when there is one) still has its head moved on; whether
  // a record exists is a guess that a failed condition corrects on the next attempt.
  let recordExists = perClient(knownHeads, ddb).get(key)?.record ?? true;
  const actor = Object.fromEntries(
    Object.entries(input.actor).filter(([, v]) => v !== undefined),
  ) as AuditEntry['actor'];
  const contentHash = input.checkContent
    ? hashPayload({ at: input.at, actor, action: input.action, payload: stripUndefined(input.payload) })
    : undefined;
  for (let attempt = 0; ; attempt++) {
    let view = input.view;
    if (!view && input.change) {
      const made = await viewFromChange(ddb, tables, { ...input, change: input.change });
      if (made instanceof RecordBaseMismatch) {
        // A retry whose first attempt went through finds the record already moved on.
        const prior = await priorStep(ddb, tables, input, contentHash);
        if (prior) return prior;
        throw made;
      }
      view = made;
    }
    // A remembered head is only a guess: if another process moved the chain on,
    // the conditional write below refuses it and the next attempt reads the table.
    const head =
      (attempt === 0 ? perClient(knownHeads, ddb).get(key) : undefined) ??
      (await chainHead(ddb, tables, input.caseId));
    const entry = sealEntry({
      caseId: input.caseId,
      seq: (head?.seq ?? 0) + 1,
      at: input.at,
      actor,
      action: input.action,
      payload: payloadForStorage(stripUndefined(input.payload)),
      prevHash: head?.hash ?? GENESIS_HASH,
    });
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: tables.ops,
          Item: {
            ...stepKey(input.caseId, input.stepId),
            ...marshall({ seq: entry.seq, hash: entry.hash, ...(contentHash ? { contentHash } : {}) }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tables.audit,
          Item: entryItem(entry),
          ConditionExpression: 'attribute_not_exists(caseId)',
        },
      },
    ];
    const written: RecordedHead = { seq: entry.seq, hash: entry.hash };
    if (view) {
      items.push({
        Put: {
          TableName: tables.cases,
          Item: {
            ...caseRecordItem(view, written),
            ...(input.lineage ? marshall({ lineage: input.lineage }) : {}),
          },
          // A change goes on exactly the record it was made from. An older snapshot must never
          // overwrite a newer one of its own lineage; after a reset the new run's record
          // replaces what the abandoned run left.
          ...(input.change && !input.view
            ? {
                ConditionExpression: 'version = :base',
                ExpressionAttributeValues: marshall({ ':base': input.change.base }),
              }
            : input.lineage
              ? {
                  ConditionExpression: 'attribute_not_exists(caseId) OR version < :v OR lineage <> :l',
                  ExpressionAttributeValues: marshall({ ':v': view.version, ':l': input.lineage }),
                }
              : {
                  ConditionExpression: 'attribute_not_exists(caseId) OR version < :v',
                  ExpressionAttributeValues: marshall({ ':v': view.version }),
                }),
        },
      });
    } else if (recordExists) {
      items.push({
        Update: {
          TableName: tables.cases,
          Key: marshall({ caseId: input.caseId }),
          UpdateExpression: 'SET auditHeadSeq = :s, auditHeadHash = :h',
          // Never creates a record: a case without one has no head to keep.
          ConditionExpression: 'attribute_exists(caseId)',
          ExpressionAttributeValues: marshall({ ':s': written.seq, ':h': written.hash }),
        },
      });
    } else {
      items.push({
        // A record written between our attempts must not be left behind with a stale head.
        ConditionCheck: {
          TableName: tables.cases,
          Key: marshall({ caseId: input.caseId }),
          ConditionExpression: 'attribute_not_exists(caseId)',
        },
      });
    }
    if (head) {
      // The chain goes on only from the entry it names: a remembered head that the table no
      // longer holds (an emulator that lost a write it had acknowledged, then restarted) is
      // refused here instead of leaving a gap, and the next attempt reads the table's head.
      items.push({
        ConditionCheck: {
          TableName: tables.audit,
          Key: marshall({ caseId: input.caseId, seq: head.seq }),
          ConditionExpression: '#h = :prev',
          ExpressionAttributeNames: { '#h': 'hash' },
          ExpressionAttributeValues: marshall({ ':prev': head.hash }),
        },
      });
    }
    try {
      await ddb.send(new TransactWriteItemsCommand({ TransactItems: items }));
      rememberHead(ddb, key, { ...written, record: view !== undefined || recordExists });
      return { seq: entry.seq, hash: entry.hash, duplicate: false };
    } catch (err) {
      rememberHead(ddb, key, null);
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') {
        const prior = await priorStep(ddb, tables, input, contentHash);
        if (prior) return prior;
      }
      const recordRefused =
        reasons[2]?.Code === 'ConditionalCheckFailed' && reasons[1]?.Code !== 'ConditionalCheckFailed';
      // A change's record moved on between reading it and writing: read it again.
      if (recordRefused && input.change && !input.view && attempt < 50) continue;
      if (recordRefused && !view && attempt < 50) {
        // The record appeared or is absent after all: try again at once the other way.
        recordExists = !recordExists;
        continue;
      }
      if (recordRefused && input.view) {
        // Retrying cannot help: the stored record is already at this version or newer.
        throw new RecordVersionConflict(
          `case record of ${input.caseId} is already at version >= ${input.view?.version}; step ${input.stepId} not appended`,
        );
      }
      if (attempt >= 50)
        throw new Error(`audit chain of ${input.caseId} stayed contended after ${attempt + 1} attempts`);
      // Someone else took this sequence number: back off a little and re-read the head.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
    }
  }
}

/**
 * The audit head the case record carries: `exists` false when there is no
 * record, `head` null when the record predates heads (nothing to compare).
 */
export async function recordedHead(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
): Promise<{ exists: boolean; head: RecordedHead | null }> {
  const out = await ddb.send(
    new GetItemCommand({
      TableName: tables.cases,
      Key: marshall({ caseId }),
      ProjectionExpression: 'caseId, auditHeadSeq, auditHeadHash',
      ConsistentRead: true,
    }),
  );
  return out.Item ? { exists: true, head: recordedHeadFromItem(out.Item) } : { exists: false, head: null };
}

/** Every entry of a case's chain in order. */
export async function readChain(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
): Promise<AuditEntry[]> {
  return readChainFrom(ddb, tables, caseId, 1);
}

// Canonical JSON drops undefined properties; doing it first keeps the stored JSON identical to what was hashed.
function stripUndefined(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** The entries of one chain from `fromSeq` on, in order (what an anchor check needs). */
export async function readChainFrom(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
  fromSeq: number,
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const item of queryItems(ddb, {
    TableName: tables.audit,
    KeyConditionExpression: 'caseId = :c AND seq >= :s',
    ExpressionAttributeValues: marshall({ ':c': caseId, ':s': fromSeq }),
    ConsistentRead: true,
  }))
    entries.push(entryFromItem(item));
  return entries;
}

/**
 * The `email_sent` entry of one outbox email, under the step id of its outbox key: whoever
 * records it (the case's mail, a digest that listed the case, the mail sent instead of a digest)
 * and however often a send is retried, the case has one entry for it.
 */
export function recordEmailSent(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
  sentAt: string | undefined,
  payload: { kind: string; to: string; outboxKey: string; messageId?: string | undefined } & Record<
    string,
    unknown
  >,
): Promise<AppendResult> {
  return appendAudit(ddb, tables, {
    caseId,
    stepId: auditStepId.email(payload.outboxKey),
    at: sentAt ?? new Date().toISOString(),
    actor: { id: 'system', via: 'system' },
    action: 'email_sent',
    payload,
  });
}
