import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CaseInput } from '../domain/case-model.ts';
import type { DutyOccurrence } from '../domain/duties.ts';
import { occurrenceRevision } from '../domain/duty-revision.ts';
import type { TableNames } from './clients.ts';
import { opsKey, opsPartition } from './keys.ts';
import { queryAll } from './paginate.ts';

/**
 * Duty occurrences in the ops table (keys in keys.ts): the occurrence itself,
 * a copy under its building sorted by due date for the calendar, and the case
 * a missed occurrence opened, claimed once.
 */
export interface StoreDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

const parse = (item: Record<string, unknown> | undefined): DutyOccurrence | null =>
  item ? (JSON.parse((unmarshall(item as never) as { data: string }).data) as DutyOccurrence) : null;

/**
 * Writes an occurrence as it now stands (both rows), unless a row already holds a later copy:
 * the workflow's saves run concurrently and may land out of order, and the store must end with
 * the workflow's latest state, never an older copy written last.
 */
export async function saveOccurrence(deps: StoreDeps, o: DutyOccurrence): Promise<void> {
  const data = JSON.stringify(o);
  const rev = occurrenceRevision(o);
  for (const key of [
    opsKey.dutyOccurrence(o.occurrenceId),
    opsKey.dutyListEntry(o.buildingId, o.dueDate, o.occurrenceId),
  ])
    try {
      await deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...key, data, rev }),
          // A row written before revisions were kept has none, and any copy may replace it.
          ConditionExpression: 'attribute_not_exists(#rev) OR #rev < :rev',
          ExpressionAttributeNames: { '#rev': 'rev' },
          ExpressionAttributeValues: marshall({ ':rev': rev }),
        }),
      );
    } catch (err) {
      // The row holds this copy (a retried save) or a later one: nothing to write.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
}

export async function getOccurrence(deps: StoreDeps, occurrenceId: string): Promise<DutyOccurrence | null> {
  const out = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.dutyOccurrence(occurrenceId)),
      ConsistentRead: true,
    }),
  );
  return parse(out.Item);
}

/** A building's occurrences due in [from, to] (campus dates), by due date. */
export async function occurrencesDue(
  deps: StoreDeps,
  buildingId: string,
  from: string,
  to: string,
): Promise<DutyOccurrence[]> {
  const items = await queryAll(deps.ddb, {
    TableName: deps.tables.ops,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: marshall({
      ':pk': opsPartition.dutyList(buildingId),
      ':from': from,
      // '~' sorts after '#<id>', so occurrences due on `to` are in.
      ':to': `${to}~`,
    }),
  });
  return items.map((i) => parse(i)).filter((o): o is DutyOccurrence => o !== null);
}

/**
 * The case a missed occurrence opens, claimed once: a retried activity gets
 * the input (and case number) the first attempt claimed.
 */
export async function claimDutyCase(
  deps: StoreDeps,
  occurrenceId: string,
  make: () => Promise<CaseInput>,
): Promise<CaseInput> {
  const Key = marshall(opsKey.dutyCase(occurrenceId));
  const read = async () =>
    (await deps.ddb.send(new GetItemCommand({ TableName: deps.tables.ops, Key, ConsistentRead: true }))).Item;
  const existing = await read();
  if (existing) return JSON.parse((unmarshall(existing) as { data: string }).data) as CaseInput;
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
    return JSON.parse((unmarshall((await read()) ?? {}) as { data: string }).data) as CaseInput;
  }
}

/** The occurrences of several buildings due in [from, to] (campus dates): what the duty KPI counts. */
export async function occurrencesDueIn(
  deps: StoreDeps,
  buildingIds: readonly string[],
  from: string,
  to: string,
): Promise<DutyOccurrence[]> {
  return (await Promise.all(buildingIds.map((b) => occurrencesDue(deps, b, from, to)))).flat();
}
