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
import { opsKey, opsPartition } from './keys.ts';

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

export async function saveRound(deps: StoreDeps, r: InspectionRound): Promise<void> {
  const data = JSON.stringify(r);
  for (const key of [
    opsKey.inspectionRound(r.roundId),
    opsKey.inspectionListEntry(r.buildingId, r.from, r.kind),
  ])
    await deps.ddb.send(new PutItemCommand({ TableName: deps.tables.ops, Item: marshall({ ...key, data }) }));
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
