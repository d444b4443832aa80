import { localDate } from '../domain/calendar.ts';
import type { InspectionRound } from '../domain/inspection.ts';
import { roundsBetween } from '../store/inspections.ts';
import type { AppDeps } from './deps.ts';

/** The rounds of these buildings whose period starts within the campus dates [from, to]. */
export async function roundsIn(
  deps: Pick<AppDeps, 'aws'>,
  buildingIds: readonly string[],
  from: string,
  to: string,
): Promise<InspectionRound[]> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  return (await Promise.all(buildingIds.map((b) => roundsBetween(store, b, from, to)))).flat();
}

/** The campus dates of a period of instants [from, to): its first and last local day. */
export function periodDates(range: { from: string; to: string }, tz: string): { from: string; to: string } {
  return {
    from: localDate(range.from, tz),
    to: localDate(new Date(Date.parse(range.to) - 1).toISOString(), tz),
  };
}
