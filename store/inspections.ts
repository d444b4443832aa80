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
import type { InspectionRound } from '../domain/inspection.ts';
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

/**
 * Writes the round's record and its list entry. With the execution that owns the round (`runId`:
 * the first run id of the round's workflow execution, which a reset keeps), the write is refused
 * when another execution of the same round id wrote the record (RoundTakenError): a round id runs
 * once, and a later execution never overwrites a finished round. Without `runId` (fixtures,
 * tools), the rows are written as given.
 */
export async function saveRound(deps: StoreDeps, r: InspectionRound, runId?: string): Promise<void> {
  const data = JSON.stringify(r);
  for (const key of [
    opsKey.inspectionRound(r.roundId),
    opsKey.inspectionListEntry(r.buildingId, r.from, r.kind),
  ]) {
    if (runId === undefined) {
      await deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...key, data, status: r.status }),
        }),
      );
      continue;
    }
    const written = await conditionHeld(() =>
      deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...key, data, status: r.status, runId }),
          // Rows written before runs were recorded are taken over only while still open.
          ConditionExpression:
            'attribute_not_exists(pk) OR runId = :run OR (attribute_not_exists(runId) AND (attribute_not_exists(#status) OR #status = :open))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({ ':run': runId, ':open': 'open' }),
        }),
      ),
    );
    if (!written) throw new RoundTakenError(r.roundId);
  }
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
 * meanwhile. True when the record is this execution's (created now, or by an earlier attempt or
 * run; a row from before runs were recorded counts while it is open).
 */
export async function createRound(deps: StoreDeps, r: InspectionRound, runId: string): Promise<boolean> {
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
  const roundKey = opsKey.inspectionRound(r.roundId);
  if (!(await write(roundKey))) {
    const out = await deps.ddb.send(
      new GetItemCommand({ TableName: deps.tables.ops, Key: marshall(roundKey), ConsistentRead: true }),
    );
    const stored = out.Item ? (unmarshall(out.Item) as { data: string; runId?: string }) : null;
    if (!stored) return false;
    const mine =
      stored.runId === runId ||
      (stored.runId === undefined && (JSON.parse(stored.data) as InspectionRound).status === 'open');
    if (!mine) return false;
  }
  // Written with the round, or by the attempt that wrote it: an existing entry is left as it is.
  await write(opsKey.inspectionListEntry(r.buildingId, r.from, r.kind));
  return true;
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
