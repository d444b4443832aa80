import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ZeroCell, ZeroEscalation, ZeroReport, ZeroReportVersion } from '../domain/zero-report.ts';
import type { TableNames } from './clients.ts';

/**
 * The nightly zero report's rows in the ops table, one partition per night:
 *
 *   ZERONIGHT#<night>  -                         the night: its run, the cells asked, the close
 *                                                (claimed once: one run a night, see claimNight;
 *                                                taken over from a run that died, see takeOverNight)
 *   ZERONIGHT#<night>  report#<cellId>           a cell's report (a correction overwrites it)
 *   ZERONIGHT#<night>  earlier#<cellId>#<nnn>    the versions a correction replaced, one row each
 *   ZERONIGHT#<night>  esc#<cellId>              a missing report escalated at the close
 *   ZERONIGHT#<night>  summary#<buildingId>#<deptId>   a building's summary sent to a department
 */
export interface StoreDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

export interface StoredNight {
  night: string;
  workflowId: string;
  openedAt: string;
  closeAt: string;
  acceptUntil: string;
  cells: ZeroCell[];
}

export interface StoredSummary {
  buildingId: string;
  departmentId: string;
  toIds: string[];
  at: string;
}

export interface NightRecord {
  night: StoredNight;
  reports: ZeroReport[];
  escalations: (ZeroEscalation & { at: string })[];
  summaries: StoredSummary[];
}

const pk = (night: string) => `ZERONIGHT#${night}`;

async function put(deps: StoreDeps, sk: string, night: string, data: unknown): Promise<void> {
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: marshall({ pk: pk(night), sk, data: JSON.stringify(data) }),
    }),
  );
}

export const saveNight = (deps: StoreDeps, n: StoredNight) => put(deps, '-', n.night, n);

/**
 * Stores the night for its run unless another run holds it: one night has one run, which every
 * report is routed to. Answers the run that holds the night (this one when the claim is taken, or
 * a retry of this run's claim). The holder is also a top-level attribute, so the condition can
 * read it; a row an older worker wrote without it is read and compared instead.
 */
export async function claimNight(deps: StoreDeps, n: StoredNight): Promise<{ heldBy: string }> {
  const Item = marshall({ pk: pk(n.night), sk: '-', data: JSON.stringify(n), workflowId: n.workflowId });
  try {
    await deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item,
        ConditionExpression: 'attribute_not_exists(pk) OR workflowId = :wf',
        ExpressionAttributeValues: marshall({ ':wf': n.workflowId }),
      }),
    );
    return { heldBy: n.workflowId };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
  const out = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall({ pk: pk(n.night), sk: '-' }),
      ConsistentRead: true,
    }),
  );
  const held = out.Item
    ? (JSON.parse((unmarshall(out.Item) as { data: string }).data) as StoredNight).workflowId
    : undefined;
  if (held !== undefined && held !== n.workflowId) return { heldBy: held };
  // Written by this run before the holder was an attribute (or gone meanwhile): take it.
  await deps.ddb.send(new PutItemCommand({ TableName: deps.tables.ops, Item }));
  return { heldBy: n.workflowId };
}
/**
 * Hands the night to another run when the run holding it (`from`) has closed without finishing it
 * (terminated, failed): a conditional write on the holder the caller read, so of two runs taking
 * over at once one does and the other finds the night held again. The night's reports, escalations
 * and summaries stay: the new run carries them on. False when the holder is no longer `from`.
 */
export async function takeOverNight(deps: StoreDeps, n: StoredNight, from: string): Promise<boolean> {
  const out = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall({ pk: pk(n.night), sk: '-' }),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return false;
  const row = unmarshall(out.Item) as { data: string };
  if ((JSON.parse(row.data) as StoredNight).workflowId !== from) return false;
  try {
    await deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item: marshall({ pk: pk(n.night), sk: '-', data: JSON.stringify(n), workflowId: n.workflowId }),
        // The whole row as read, so a row written before the holder was an attribute is held the same.
        ConditionExpression: '#data = :data',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: marshall({ ':data': row.data }),
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
const earlierKey = (cellId: string, n: number) => `earlier#${cellId}#${String(n).padStart(3, '0')}`;

/**
 * Writes a cell's report: each earlier version in a row of its own (a row holds one version,
 * whatever the corrections add up to, under DynamoDB's 400 KB an item), then the report with the
 * number of earlier versions it carries. The saves of two corrections sent at once may land in
 * either order: a report replaces only one with fewer earlier versions (or as many and no later),
 * so the board does not go back to the older one.
 */
export async function saveReport(deps: StoreDeps, r: ZeroReport): Promise<void> {
  const { earlier = [], ...head } = r;
  // Versions only ever append, so a row at an index always holds the same version.
  for (const [n, v] of earlier.entries()) await put(deps, earlierKey(r.cellId, n), r.night, v);
  try {
    await deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item: marshall({
          pk: pk(r.night),
          sk: `report#${r.cellId}`,
          data: JSON.stringify(head),
          versions: earlier.length,
          at: r.at,
        }),
        // A row written before versions were counted carries its history in its data: any report replaces it.
        ConditionExpression:
          'attribute_not_exists(#v) OR #v < :v OR (#v = :v AND attribute_exists(#at) AND #at <= :at)',
        ExpressionAttributeNames: { '#v': 'versions', '#at': 'at' },
        ExpressionAttributeValues: marshall({ ':v': earlier.length, ':at': r.at }),
      }),
    );
  } catch (err) {
    // A later report of the cell is on record already.
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}
export const saveEscalation = (deps: StoreDeps, night: string, e: ZeroEscalation & { at: string }) =>
  put(deps, `esc#${e.cellId}`, night, e);
export const saveSummary = (deps: StoreDeps, night: string, s: StoredSummary) =>
  put(deps, `summary#${s.buildingId}#${s.departmentId}`, night, s);

/** Everything stored for a night, or null when the night was never opened. */
export async function loadNight(deps: StoreDeps, night: string): Promise<NightRecord | null> {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const out = await deps.ddb.send(
      new QueryCommand({
        TableName: deps.tables.ops,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': pk(night) }),
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const rows = items.map((i) => unmarshall(i) as { sk: string; data: string; versions?: number });
  const head = rows.find((r) => r.sk === '-');
  if (!head) return null;
  const of = <T>(prefix: string): T[] =>
    rows.filter((r) => r.sk.startsWith(prefix)).map((r) => JSON.parse(r.data) as T);
  // Rows come sorted by sk, so a cell's earlier versions are in order.
  const earlierOf = (cellId: string, versions: number): ZeroReportVersion[] =>
    rows
      .filter((r) => r.sk.startsWith(`earlier#${cellId}#`))
      .slice(0, versions)
      .map((r) => JSON.parse(r.data) as ZeroReportVersion);
  const reports = rows
    .filter((r) => r.sk.startsWith('report#'))
    .map((r) => {
      const report = JSON.parse(r.data) as ZeroReport;
      // A row without a count was written whole, its history in its data.
      if (r.versions === undefined || r.versions === 0) return report;
      return { ...report, earlier: earlierOf(report.cellId, r.versions) };
    });
  return {
    night: JSON.parse(head.data) as StoredNight,
    reports,
    escalations: of<ZeroEscalation & { at: string }>('esc#'),
    summaries: of<StoredSummary>('summary#'),
  };
}
