import {
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { conditionHeld } from './conditional.ts';
import { openStages, type CaseView } from '../domain/case-model.ts';
import type { AreaSummary, DepartmentDigest, DigestKind, StaffDigest } from '../domain/digest.ts';
import type { KpiTally } from '../domain/kpi.ts';
import { viewFromItem } from './case-record-item.ts';
import type { TableNames } from './clients.ts';
import { caseListKey, digestSortPrefix, opsKey, opsPartition } from './keys.ts';
import { queryAll } from './paginate.ts';
import { batchWrite } from './batch-write.ts';

/**
 * Where the weekly feedback keeps its data: case reads by index range (never a
 * scan), digests and their acknowledgement / follow-up rows, and per-week KPI
 * tallies, all in the ops table (keys in keys.ts). A digest row keeps the
 * digest as sent as JSON in `data`; a tally row is `settled` once final.
 */
export interface StoreDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

export type AnyDigest = StaffDigest | DepartmentDigest | AreaSummary;

/**
 * Cases opened in [from, to): a range query on byOpened, or byBuilding when one
 * building is asked for. The sort key is `<openedAt>#<caseId>`, so `to` itself
 * sorts before every case opened at that instant and the range is half-open.
 */
export async function casesOpenedBetween(
  deps: StoreDeps,
  range: { from: string; to: string; buildingId?: string | undefined },
): Promise<CaseView[]> {
  const byBuilding = range.buildingId !== undefined;
  const items = await queryAll(deps.ddb, {
    TableName: deps.tables.cases,
    IndexName: byBuilding ? 'byBuilding' : 'byOpened',
    KeyConditionExpression: `${byBuilding ? 'buildingId' : 'listPk'} = :pk AND openedSort BETWEEN :from AND :to`,
    ExpressionAttributeValues: marshall({
      ':pk': byBuilding ? range.buildingId : caseListKey.allCases,
      ':from': range.from,
      ':to': range.to,
    }),
  });
  return items.map(viewFromItem);
}

/**
 * Cases that may have had events in [from, to): those opened from `lookbackDays`
 * before it, plus every case still open that was opened earlier (one byStage
 * range query per open stage). A case opened before the look-back that closed
 * within the period is the one thing missed; the look-back is sized for that.
 */
export async function casesActiveIn(
  deps: StoreDeps,
  range: { from: string; to: string; lookbackDays: number },
): Promise<CaseView[]> {
  const since = new Date(Date.parse(range.from) - range.lookbackDays * 86_400_000).toISOString();
  const [recent, ...open] = await Promise.all([
    casesOpenedBetween(deps, { from: since, to: range.to }),
    ...openStages.map((stage) =>
      queryAll(deps.ddb, {
        TableName: deps.tables.cases,
        IndexName: 'byStage',
        KeyConditionExpression: 'stage = :s AND openedSort < :since',
        ExpressionAttributeValues: marshall({ ':s': stage, ':since': since }),
      }).then((items) => items.map(viewFromItem)),
    ),
  ]);
  const seen = new Map<string, CaseView>();
  for (const v of [...recent, ...open.flat()]) seen.set(v.caseId, v);
  return [...seen.values()];
}

const digestKey = (week: string, kind: DigestKind, id: string) => marshall(opsKey.digest(week, kind, id));

export function digestSubject(d: AnyDigest): string {
  switch (d.kind) {
    case 'staff':
      return d.personId;
    case 'department':
      return d.departmentId;
    default:
      return d.buildingId ?? 'campus';
  }
}

/** Stores digests (a rebuild overwrites them; acknowledgements live in rows of their own). */
export async function saveDigests(deps: StoreDeps, digests: AnyDigest[], workflowId: string): Promise<void> {
  const at = new Date().toISOString();
  await batchWrite(
    deps.ddb,
    deps.tables.ops,
    digests.map((d) => ({
      PutRequest: {
        Item: {
          ...digestKey(d.week, d.kind, digestSubject(d)),
          ...marshall({ data: JSON.stringify(d), workflowId, storedAt: at }),
        },
      },
    })),
  );
}

export interface StoredDigest<T extends AnyDigest = AnyDigest> {
  digest: T;
  workflowId: string;
}

export async function getDigest<T extends AnyDigest>(
  deps: StoreDeps,
  week: string,
  kind: T['kind'],
  id: string,
): Promise<StoredDigest<T> | null> {
  const out = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: digestKey(week, kind, id), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const row = unmarshall(out.Item) as { data: string; workflowId: string };
  return { digest: JSON.parse(row.data) as T, workflowId: row.workflowId };
}

/** Rows of a week whose sort key starts with `prefix` (paged, consistent). */
async function weekRows(deps: StoreDeps, week: string, prefix: string): Promise<Record<string, unknown>[]> {
  const items = await queryAll(deps.ddb, {
    TableName: deps.tables.ops,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: marshall({ ':pk': opsPartition.digestWeek(week), ':p': prefix }),
    ConsistentRead: true,
  });
  return items.map((i) => unmarshall(i));
}

export async function listDigests<T extends AnyDigest>(
  deps: StoreDeps,
  week: string,
  kind: T['kind'],
): Promise<T[]> {
  const rows = await weekRows(deps, week, digestSortPrefix.kind(kind));
  return rows.map((r) => JSON.parse(r.data as string) as T);
}

export interface AckRecord {
  personId: string;
  at: string;
  via: 'link';
  textHash: string;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** Records an acknowledgement once; false when the digest was already acknowledged. */
export async function recordAck(deps: StoreDeps, week: string, ack: AckRecord): Promise<boolean> {
  return conditionHeld(() =>
    deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item: marshall({ ...opsKey.digestAck(week, ack.personId), ...ack }, { removeUndefinedValues: true }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

export async function acknowledgedIds(deps: StoreDeps, week: string): Promise<Set<string>> {
  const rows = await weekRows(deps, week, digestSortPrefix.ack);
  return new Set(rows.map((r) => r.personId as string));
}

export interface HandledRecord {
  departmentId: string;
  caseId: string;
  by: string;
  at: string;
  textHash: string;
  /** What the department did, in its contact's words (optional on the link's page). */
  note?: string | undefined;
}

/** Marks one department follow-up handled; false when it already was. */
export async function markHandled(deps: StoreDeps, week: string, h: HandledRecord): Promise<boolean> {
  return conditionHeld(() =>
    deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item: marshall(
          { ...opsKey.digestHandled(week, h.departmentId, h.caseId), ...h },
          { removeUndefinedValues: true },
        ),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/** departmentId → case ids marked handled. */
export async function handledFollowUps(deps: StoreDeps, week: string): Promise<Map<string, Set<string>>> {
  const rows = await weekRows(deps, week, digestSortPrefix.handled);
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const dept = r.departmentId as string;
    out.set(dept, (out.get(dept) ?? new Set()).add(r.caseId as string));
  }
  return out;
}

/** Who acknowledged a week's digest, and when. */
export interface AckMark {
  personId: string;
  at: string;
}

/** A department follow-up marked handled: when, by whom, and what they said they did. */
export interface HandledMark {
  departmentId: string;
  caseId: string;
  by: string;
  at: string;
  note?: string | undefined;
}

/**
 * Every acknowledgement and "handled" mark of a week, as the weekly report shows them (the
 * workflow's reminders read only the ids, above). Signature evidence (address, browser, hash) stays in the store.
 */
export async function weekMarks(
  deps: StoreDeps,
  week: string,
): Promise<{ acks: AckMark[]; handled: HandledMark[] }> {
  const [acks, handled] = await Promise.all([
    weekRows(deps, week, digestSortPrefix.ack),
    weekRows(deps, week, digestSortPrefix.handled),
  ]);
  return {
    acks: acks.map((r) => ({ personId: r.personId as string, at: r.at as string })),
    handled: handled.map((r) => ({
      departmentId: r.departmentId as string,
      caseId: r.caseId as string,
      by: r.by as string,
      at: r.at as string,
      ...(typeof r.note === 'string' && r.note ? { note: r.note } : {}),
    })),
  };
}

/**
 * The "handled" marks a department left on one case in the given weeks (one read each): what its
 * page shows of the weekly follow-up, without the case's workflow knowing of it.
 */
export async function caseHandledMarks(
  deps: StoreDeps,
  q: { caseId: string; departmentId: string; weeks: readonly string[] },
): Promise<(HandledMark & { week: string })[]> {
  const rows = await Promise.all(
    q.weeks.map(async (week) => {
      const out = await deps.ddb.send(
        new GetItemCommand({
          TableName: deps.tables.ops,
          Key: marshall(opsKey.digestHandled(week, q.departmentId, q.caseId)),
        }),
      );
      if (!out.Item) return null;
      const r = unmarshall(out.Item);
      return {
        week,
        departmentId: q.departmentId,
        caseId: q.caseId,
        by: r.by as string,
        at: r.at as string,
        ...(typeof r.note === 'string' && r.note ? { note: r.note } : {}),
      };
    }),
  );
  return rows.filter((r) => r !== null);
}

const tallyKey = (buildingId: string | undefined, week: string) =>
  marshall(opsKey.kpiTally(buildingId, week));

/**
 * Stores a week's cohort tally; `settled` when no case in it can change any more: the week is
 * over (no case can join the cohort) and every case in it is closed or withdrawn.
 */
export async function saveTally(
  deps: StoreDeps,
  week: string,
  buildingId: string | undefined,
  tally: KpiTally,
  weekOver: boolean,
): Promise<void> {
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: {
        ...tallyKey(buildingId, week),
        ...marshall({
          tally: JSON.stringify(tally),
          settled: weekOver && tally.open === 0,
          storedAt: new Date().toISOString(),
        }),
      },
    }),
  );
}

/** A stored tally row's tally, only when settled (an unsettled one may be stale) and complete. */
export function settledTallyOf(item: Record<string, AttributeValue>): KpiTally | null {
  const row = unmarshall(item) as { tally: string; settled: boolean };
  if (!row.settled) return null;
  const tally = JSON.parse(row.tally) as Partial<KpiTally>;
  // Stored before the per-building complaint counts, the etiquette ratings or their attitude
  // scores were counted: counted again, then stored anew.
  return tally.validComplaintsByBuilding && tally.etiquetteSatisfaction && tally.etiquetteFromAttitude
    ? (tally as KpiTally)
    : null;
}
