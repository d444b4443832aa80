import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Directory } from '../domain/directory.ts';
import type { EmailKind } from '../domain/email-content.ts';
import type { TableNames } from '../store/clients.ts';
import { getCaseRecord } from '../store/case-records.ts';

/**
 * The building's supervisors, mailed beside the grid when a case passes its deadline. The
 * workflow names each rung's people (the room cluster's, floor's and building's grid members, then
 * the working group); the supervisors, who run the building's staff and decide its cases, were on
 * none of them. They are read from the directory as it is when the mail goes (a supervisor
 * appointed since the case opened hears of it), by the case record's building; none when the case
 * has no record yet or the directory lacks the building.
 */
export async function escalationSupervisors(
  deps: { ddb: DynamoDBClient; tables: TableNames },
  dir: Pick<Directory, 'buildings'> | null,
  req: { caseId: string; kind: EmailKind },
): Promise<string[]> {
  if (req.kind !== 'escalation' || !dir) return [];
  const view = await getCaseRecord(deps.ddb, deps.tables, req.caseId);
  const building = view ? dir.buildings.find((b) => b.id === view.location.buildingId) : undefined;
  return [...new Set(building?.supervisorIds ?? [])];
}

/**
 * A supervisor's escalation mail is keyed by the breach (its stage and round), not by the rung:
 * an urgent case goes up three grid rungs at once, a routine one a rung a period, and the
 * supervisor hears once, with the first, whichever rungs they also sit on.
 */
export const breachOutboxKey = (req: { stage: string; round: number }, personId: string): string =>
  [req.stage, req.round, 'escalation', 'supervisors', personId].join('#');
