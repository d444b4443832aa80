import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseInput } from '../domain/case-model.ts';
import { mergeSavedRound, type InspectionRound } from '../domain/inspection.ts';
import type { TableNames } from './clients.ts';
import { conditionHeld } from './conditional.ts';
import { opsKey, opsPartition, type OpsKey } from './keys.ts';

/**
 * Inspection rounds in the ops table:
 *
 *   INSPROUND#<roundId>       -                     the round (JSON in `data`)
 *   INSPECTIONS#<buildingId>  <from>#<kind>         the same round, for period queries per building
 *   INSPCASE#<roundId>        <itemId>              the case a failed item opened (its input), claimed once
 */
export interface StoreDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

/** The round's record as stored: its JSON, status, and the execution that owns it (when recorded). */
interface RoundRow {
  data: string;
  status?: string;
  runId?: string;
}

/** Whether the record is this execution's to write: its own, or one from before runs were recorded, while open. */
const ownedBy = (row: RoundRow, runId: string) =>
  row.runId === runId || (row.runId === undefined && (row.status === undefined || row.status === 'open'));
const OWNED =
  'runId = :run OR (attribute_not_exists(runId) AND (attribute_not_exists(#status) OR #status = :open))';

/** A put's condition, with the names and values it uses and no others (DynamoDB refuses unused ones). */
type Condition = Pick<
  ConstructorParameters<typeof PutItemCommand>[0],
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

async function readRow(deps: StoreDeps, roundId: string): Promise<RoundRow | null> {
  const out = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.inspectionRound(roundId)),
      ConsistentRead: true,
    }),
  );
  return out.Item ? (unmarshall(out.Item) as RoundRow) : null;
}

/**
 * Writes the round's record and its list entry. With the execution that owns the round (`runId`:
 * the first run id of the round's workflow execution, which a reset keeps), the write is refused
 * when another execution of the same round id wrote the record (RoundTakenError): a round id runs
 * once, and a later execution never overwrites a finished round. The record is the truth of what
 * was saved: what the run has is merged into it (mergeSavedRound), never written over it, so a run
 * reset to an earlier point, which has lost the posts it took since, keeps them; and the round as
 * stored is returned. Without `runId` (fixtures, tools), the rows are written as given.
 */
export async function saveRound(
  deps: StoreDeps,
  r: InspectionRound,
  runId?: string,
): Promise<InspectionRound> {
  if (runId === undefined) {
    for (const key of [
      opsKey.inspectionRound(r.roundId),
      opsKey.inspectionListEntry(r.buildingId, r.from, r.kind),
    ])
      await deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...key, data: JSON.stringify(r), status: r.status }),
        }),
      );
    return r;
  }
  const put = (key: OpsKey, round: InspectionRound, condition: Condition) =>
    conditionHeld(() =>
      deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...key, data: JSON.stringify(round), status: round.status, runId }),
          ...condition,
        }),
      ),
    );
  const owned = (and: string, was?: string): Condition => ({
    ConditionExpression: `${and} (${OWNED})`,
    ExpressionAttributeNames: { '#status': 'status', ...(was === undefined ? {} : { '#data': 'data' }) },
    ExpressionAttributeValues: marshall({
      ':run': runId,
      ':open': 'open',
      ...(was === undefined ? {} : { ':was': was }),
    }),
  });
  // Read, merge and write only over the record as read: two saves of one run at once (two posts)
  // each merge into what the other wrote, and neither writes over it.
  let saved: InspectionRound | undefined;
  for (let attempt = 1; !saved; attempt++) {
    const row = await readRow(deps, r.roundId);
    if (row && !ownedBy(row, runId)) throw new RoundTakenError(r.roundId);
    const merged = row ? mergeSavedRound(JSON.parse(row.data) as InspectionRound, r) : r;
    const written = await put(
      opsKey.inspectionRound(r.roundId),
      merged,
      row ? owned('#data = :was AND', row.data) : { ConditionExpression: 'attribute_not_exists(pk)' },
    );
    if (written) saved = merged;
    else if (attempt >= 5) throw new Error(`round ${r.roundId} kept changing while it was being saved`);
  }
  const listed = await put(
    opsKey.inspectionListEntry(r.buildingId, r.from, r.kind),
    saved,
    owned('attribute_not_exists(pk) OR'),
  );
  if (!listed) throw new RoundTakenError(r.roundId);
  return saved;
}

/** A run of a round id writing over a round another run of that id owns (finished, or still its own). */
export class RoundTakenError extends Error {
  override name = 'RoundTakenError';
  constructor(readonly roundId: string) {
    super(`round ${roundId} belongs to another run of its id; this run leaves it alone`);
  }
}

/**
 * Creates the round's record for the execution that opens it (`runId` as for saveRound), only
 * where there is none: a later execution of the same id (a schedule run again, a caught-up run)
 * never resets a round, and a retried attempt or a reset run never writes over results saved
 * meanwhile. Null when the record is not this execution's; otherwise the record as this
 * execution had already saved it (`stored`: by an earlier attempt, or a run before a reset; a row
 * from before runs were recorded counts while it is open), or null when created now.
 */
export async function createRound(
  deps: StoreDeps,
  r: InspectionRound,
  runId: string,
): Promise<{ stored: InspectionRound | null } | null> {
  const data = JSON.stringify(r);
  const write = (key: OpsKey) =>
    conditionHeld(() =>
      deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...key, data, status: r.status, runId }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  let stored: InspectionRound | null = null;
  if (!(await write(opsKey.inspectionRound(r.roundId)))) {
    const row = await readRow(deps, r.roundId);
    if (!row) return null;
    if (!ownedBy(row, runId)) return null;
    stored = JSON.parse(row.data) as InspectionRound;
  }
  // Written with the round, or by the attempt that wrote it: an existing entry is left as it is.
  await write(opsKey.inspectionListEntry(r.buildingId, r.from, r.kind));
  return { stored };
}

export async function getRound(deps: StoreDeps, roundId: string): Promise<InspectionRound | null> {
  const out = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.inspectionRound(roundId)),
      ConsistentRead: true,
    }),
  );
  return out.Item ? (JSON.parse((unmarshall(out.Item) as { data: string }).data) as InspectionRound) : null;
}

/** A building's rounds whose period starts in [from, to] (campus dates). */
export async function roundsBetween(
  deps: StoreDeps,
  buildingId: string,
  from: string,
  to: string,
): Promise<InspectionRound[]> {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const out = await deps.ddb.send(
      new QueryCommand({
        TableName: deps.tables.ops,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: marshall({
          ':pk': opsPartition.inspectionList(buildingId),
          ':from': from,
          // '~' sorts after '#<kind>', so rounds starting on `to` are in.
          ':to': `${to}~`,
        }),
        ExclusiveStartKey,
      }),
    );
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.map((i) => JSON.parse((unmarshall(i) as { data: string }).data) as InspectionRound);
}

/**
 * The case a failed item opens, claimed once per round and item: a retried
 * activity gets the input (and case number) the first attempt claimed.
 */
export async function claimItemCase(
  deps: StoreDeps,
  roundId: string,
  itemId: string,
  make: () => Promise<CaseInput>,
): Promise<CaseInput> {
  const Key = marshall(opsKey.inspectionCase(roundId, itemId));
  const existing = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key, ConsistentRead: true }),
  );
  if (existing.Item) return JSON.parse((unmarshall(existing.Item) as { data: string }).data) as CaseInput;
  const input = await make();
  try {
    await deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item: { ...Key, ...marshall({ data: JSON.stringify(input) }) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return input;
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const again = await deps.ddb.send(
      new GetItemCommand({ TableName: deps.tables.ops, Key, ConsistentRead: true }),
    );
    return JSON.parse((unmarshall(again.Item ?? {}) as { data: string }).data) as CaseInput;
  }
}
