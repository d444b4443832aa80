import { GetItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoreDeps } from './digests.ts';
import { opsKey } from './keys.ts';

/** Weeks of counters checked per read; a campus with a report every week stops at the first. */
const PAGE = 25;

/**
 * The first week the weekly feedback built the campus report. Every build stores the campus's
 * tally under its week (activities/feedback.ts), but so does a dashboard reading a settled week,
 * so a counter row alone proves nothing: the first counter week whose campus report exists is the
 * answer. Null before any was built. Pages tell a week before it from one not built yet.
 */
export async function firstReportWeek(deps: StoreDeps): Promise<string | null> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await deps.ddb.send(
      new QueryCommand({
        TableName: deps.tables.ops,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': opsKey.kpiTally(undefined, '').pk }),
        ProjectionExpression: 'sk',
        ScanIndexForward: true,
        Limit: PAGE,
        ExclusiveStartKey: start,
      }),
    );
    const weeks = (out.Items ?? []).map((item) => String(unmarshall(item).sk));
    const built = await campusReportWeeks(deps, weeks);
    const first = weeks.find((w) => built.has(w));
    if (first) return first;
    start = out.LastEvaluatedKey;
  } while (start);
  return null;
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
