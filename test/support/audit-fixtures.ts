import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { appendAudit } from '../../store/audit-chain.ts';
import type { AwsDeps } from '../../store/clients.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { GENESIS_HASH, sealEntry, type AuditEntry } from '../../domain/hash-chain.ts';

/** A case view good enough for the case record (the audit code reads only ids, place, title, stage). */
export function testView(
  caseId: string,
  opts: { buildingId?: string; openedAt?: string; version?: number } = {},
): CaseView {
  return {
    caseId,
    title: '=水龙头漏水, "Leaking" tap',
    description: 'A101 卫生间水龙头持续漏水',
    source: 'repair',
    severity: 'routine',
    location: { buildingId: opts.buildingId ?? 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
    assigneeId: 'staff-zhou',
    responsibleId: 'staff-zhou',
    openedBy: 'sup-wang',
    openedAt: opts.openedAt ?? new Date().toISOString(),
    stage: 'analysing',
    round: 1,
    failedReviews: 0,
    overdue: false,
    sla: { version: '2026.1', ruleId: 'test', label: { zh: '测试', en: 'test' } },
    deadlines: [],
    notices: [],
    signOffs: [],
    rectifications: [],
    reviews: [],
    adjudications: [],
    comments: [],
    timeline: [],
    version: opts.version ?? 1,
  };
}

/** A case with a record and `steps` audit entries, written the way the workflow writes them. */
export async function seedCase(
  deps: AwsDeps,
  caseId: string,
  steps: number,
  opts: { buildingId?: string; openedAt?: string } = {},
): Promise<void> {
  const openedAt = opts.openedAt ?? new Date().toISOString();
  for (let i = 1; i <= steps; i++) {
    await appendAudit(deps.ddb, deps.tables, {
      caseId,
      stepId: `step-${i}`,
      at: new Date(Date.parse(openedAt) + i * 1000).toISOString(),
      actor: i === 1 ? { id: 'sup-wang', role: 'supervisor', via: 'api' } : { id: 'system', via: 'system' },
      action: i === 1 ? 'detected' : 'deadline_set',
      payload: { step: i, note: `第 ${i} 步` },
      view: testView(caseId, { ...opts, openedAt, version: i }),
    });
  }
}

// --- direct edits to the audit table, as an intruder with write access would make them ---

const key = (caseId: string, seq: number) => marshall({ caseId, seq });

export async function rawItem(deps: AwsDeps, caseId: string, seq: number) {
  const out = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.audit, Key: key(caseId, seq), ConsistentRead: true }),
  );
  if (!out.Item) throw new Error(`no audit row ${caseId}#${seq}`);
  return unmarshall(out.Item) as Record<string, unknown>;
}

async function putRaw(deps: AwsDeps, row: Record<string, unknown>) {
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.audit,
      Item: marshall(row, { removeUndefinedValues: true }),
    }),
  );
}

export type Field = 'payload' | 'action' | 'at' | 'actor' | 'hash' | 'prevHash';

/** Overwrites one stored attribute of one entry with a different value. */
export async function editEntry(deps: AwsDeps, caseId: string, seq: number, field: Field): Promise<void> {
  const row = await rawItem(deps, caseId, seq);
  const flipHex = (h: string) => (h[0] === 'a' ? 'b' : 'a') + h.slice(1);
  const value: Record<Field, string> = {
    payload: JSON.stringify({ payload: { forged: true } }),
    action: `forged_${String(row.action)}`,
    at: '2020-01-01T00:00:00.000Z',
    actor: JSON.stringify({ id: 'mallory' }),
    hash: flipHex(String(row.hash)),
    prevHash: flipHex(String(row.prevHash)),
  };
  await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.audit,
      Key: key(caseId, seq),
      UpdateExpression: 'SET #f = :v',
      ExpressionAttributeNames: { '#f': field },
      ExpressionAttributeValues: marshall({ ':v': value[field] }),
    }),
  );
}

export async function deleteEntry(deps: AwsDeps, caseId: string, seq: number): Promise<void> {
  await deps.ddb.send(new DeleteItemCommand({ TableName: deps.tables.audit, Key: key(caseId, seq) }));
}

/** Two entries trade places: each row keeps its key (seq) but takes the other's content. */
export async function swapEntries(deps: AwsDeps, caseId: string, a: number, b: number): Promise<void> {
  const [ra, rb] = await Promise.all([rawItem(deps, caseId, a), rawItem(deps, caseId, b)]);
  await putRaw(deps, { ...rb, seq: a });
  await putRaw(deps, { ...ra, seq: b });
}

/**
 * Splices a well-formed forged entry in at `seq`: later rows move up one,
 * and the forgery links correctly to its predecessor and is correctly hashed.
 */
export async function insertEntry(deps: AwsDeps, caseId: string, seq: number, last: number): Promise<void> {
  for (let s = last; s >= seq; s--) {
    const row = await rawItem(deps, caseId, s);
    await putRaw(deps, { ...row, seq: s + 1 });
  }
  const prevHash = seq === 1 ? GENESIS_HASH : String((await rawItem(deps, caseId, seq - 1)).hash);
  const forged: AuditEntry = sealEntry({
    caseId,
    seq,
    at: new Date().toISOString(),
    actor: { id: 'mallory' },
    action: 'forged',
    payload: { payload: { forged: true } },
    prevHash,
  });
  await putRaw(deps, {
    caseId,
    seq,
    at: forged.at,
    actor: JSON.stringify(forged.actor),
    action: forged.action,
    payload: JSON.stringify(forged.payload),
    prevHash: forged.prevHash,
    hash: forged.hash,
  });
}

/** Deletes every audit row of a case (and its record when asked): a whole case made to vanish. */
export async function deleteCase(
  deps: AwsDeps,
  caseId: string,
  steps: number,
  opts: { record?: boolean } = {},
): Promise<void> {
  for (let s = 1; s <= steps; s++) await deleteEntry(deps, caseId, s);
  if (opts.record) {
    await deps.ddb.send(new DeleteItemCommand({ TableName: deps.tables.cases, Key: marshall({ caseId }) }));
  }
}
