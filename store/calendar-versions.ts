import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableNames } from './clients.ts';
import { opsKey, opsPartition } from './keys.ts';

/**
 * The calendar file as admins save it on the calendar page: every save is a new
 * numbered version (never overwritten), so what a deadline was counted with can
 * be read back. The newest version is the calendar in force; without any, the
 * file CALENDAR_FILE names is.
 */
export interface StoreDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

export interface CalendarVersion {
  number: number;
  text: string;
  savedBy: string;
  savedAt: string;
  /** Why the admin changed it (shown in the version list). */
  note?: string | undefined;
}

const toVersion = (item: Record<string, unknown>): CalendarVersion => {
  const r = item as unknown as CalendarVersion & { pk: string; sk: string };
  return { number: r.number, text: r.text, savedBy: r.savedBy, savedAt: r.savedAt, note: r.note };
};

/** The newest saved version, or null when none was ever saved. */
export async function latestCalendarVersion(deps: StoreDeps): Promise<CalendarVersion | null> {
  const out = await deps.ddb.send(
    new QueryCommand({
      TableName: deps.tables.ops,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': opsPartition.calendarVersions }),
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = out.Items?.[0];
  return item ? toVersion(unmarshall(item)) : null;
}

/** The newest `limit` versions, newest first. */
export async function recentCalendarVersions(deps: StoreDeps, limit = 20): Promise<CalendarVersion[]> {
  const out = await deps.ddb.send(
    new QueryCommand({
      TableName: deps.tables.ops,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': opsPartition.calendarVersions }),
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => toVersion(unmarshall(i)));
}

export async function getCalendarVersion(deps: StoreDeps, n: number): Promise<CalendarVersion | null> {
  const out = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.calendarVersion(n)),
      ConsistentRead: true,
    }),
  );
  return out.Item ? toVersion(unmarshall(out.Item)) : null;
}

/**
 * Saves `text` (already validated) as the next version. Two admins saving at once
 * both get a version: the loser of the conditional write takes the next number.
 */
export async function saveCalendarVersion(
  deps: StoreDeps,
  v: Omit<CalendarVersion, 'number'>,
): Promise<CalendarVersion> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const number = ((await latestCalendarVersion(deps))?.number ?? 0) + 1;
    const saved: CalendarVersion = { number, ...v };
    try {
      await deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...opsKey.calendarVersion(number), ...saved }, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return saved;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
  throw new Error('calendar version: too many concurrent saves; try again');
}
