import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { sameCalendarText } from '../domain/calendar-file.ts';
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

/** A save's answer: the version written (`created`), or the newest one, whose text it already was. */
export type SavedCalendarVersion = CalendarVersion & { created: boolean };

/**
 * Saves `text` (already validated) as the next version, unless the newest version already
 * has that text (`sameCalendarText`): then nothing is written and the newest is answered with
 * `created: false`. Every version is sent to all running cases, so the same file saved twice
 * (a double click, a form sent again) must not be a version of its own. Two admins saving
 * different texts at once both get a version: the loser of the conditional write takes the
 * next number; two sending the same text get one, the loser finding it newest on its retry.
 */
export async function saveCalendarVersion(
  deps: StoreDeps,
  v: Omit<CalendarVersion, 'number'>,
): Promise<SavedCalendarVersion> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await latestCalendarVersion(deps);
    if (latest && sameCalendarText(latest.text, v.text)) return { ...latest, created: false };
    const number = (latest?.number ?? 0) + 1;
    const saved: CalendarVersion = { number, ...v };
    try {
      await deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: marshall({ ...opsKey.calendarVersion(number), ...saved }, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { ...saved, created: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
  throw new Error('calendar version: too many concurrent saves; try again');
}
