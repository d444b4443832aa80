import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Directory } from '../domain/directory.ts';
import type { EmailKind } from '../domain/email-content.ts';
import { placeNameOf } from '../domain/place-name.ts';
import type { Bilingual } from '../domain/text.ts';
import type { TableNames } from '../store/clients.ts';
import { getCaseRecord } from '../store/case-records.ts';

/** What a case mail says that the workflow's request does not carry, read from the case's record. */
export interface CaseMailFacts {
  place?: Bilingual | undefined;
  assigneeName?: string | undefined;
}

/** Kinds that say more than the request carries: a reporter's mail its place, an escalation whom to chase, a taken-off mail to whom the case went. */
const needsRecord: ReadonlySet<EmailKind> = new Set(['result_and_survey', 'escalation', 'taken_off']);

/**
 * The case's place and assignee's name as of its last recorded step, for the kinds that name
 * them; nothing for a case with no record yet or a place or person the directory no longer has.
 */
export async function caseMailFacts(
  deps: { ddb: DynamoDBClient; tables: TableNames },
  dir: Directory | null,
  req: { caseId: string; kind: EmailKind },
): Promise<CaseMailFacts> {
  if (!needsRecord.has(req.kind) || !dir) return {};
  const view = await getCaseRecord(deps.ddb, deps.tables, req.caseId);
  if (!view) return {};
  return {
    place: placeNameOf(dir, view.location),
    assigneeName: dir.people.find((p) => p.id === view.assigneeId)?.name,
  };
}
