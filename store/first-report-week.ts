import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoreDeps } from './digests.ts';
import { opsKey } from './keys.ts';

/**
 * The first week the weekly feedback built the campus report: every build stores the campus's
 * tally under its week (activities/feedback.ts), so the partition's first row is the system's
 * first report. Null before any was built. Pages tell a week before it from one not built yet.
 */
export async function firstReportWeek(deps: StoreDeps): Promise<string | null> {
  const out = await deps.ddb.send(
    new QueryCommand({
      TableName: deps.tables.ops,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': opsKey.kpiTally(undefined, '').pk }),
      ProjectionExpression: 'sk',
      ScanIndexForward: true,
      Limit: 1,
    }),
  );
  const first = out.Items?.[0];
  return first ? String(unmarshall(first).sk) : null;
}

/** The weeks of `weeks` whose campus report was built (read by key, the report itself not loaded). */
export async function campusReportWeeks(deps: StoreDeps, weeks: readonly string[]): Promise<Set<string>> {
  const built = await Promise.all(
    weeks.map(async (week) => {
      const out = await deps.ddb.send(
        new GetItemCommand({
          TableName: deps.tables.ops,
          Key: marshall(opsKey.digest(week, 'working_group', 'campus')),
          ProjectionExpression: 'pk',
        }),
      );
      return out.Item ? week : null;
    }),
  );
  return new Set(built.filter((w): w is string => w !== null));
}
