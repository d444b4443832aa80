import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Reporter } from '../domain/case-model.ts';
import type { Directory } from '../domain/directory.ts';
import type { EmailKind } from '../domain/email-content.ts';
import { raterConflict } from '../domain/survey-rater.ts';
import type { TableNames } from '../store/clients.ts';
import { getCaseRecord } from '../store/case-records.ts';

/**
 * Whether the result-and-survey mail is withheld from the case's reporter: it asks them to rate
 * (请您评价), so it goes only to a reporter who may rate the case. Who may is one rule
 * (domain/survey-rater.ts `raterConflict`), the one the rating link and the tracking page apply:
 * the case's opener or a handler named as its reporter would get a link that refuses them.
 * Sent as before when the case has no record yet or the directory is not loaded (nothing to
 * judge by; the link still refuses a conflicted rater).
 */
export async function surveyWithheld(
  deps: { ddb: DynamoDBClient; tables: TableNames },
  dir: Pick<Directory, 'people'> | null,
  req: { caseId: string; kind: EmailKind; to: { reporter?: Reporter | undefined } },
): Promise<boolean> {
  const reporter = req.to.reporter;
  if (req.kind !== 'result_and_survey' || !reporter?.email || !dir) return false;
  const view = await getCaseRecord(deps.ddb, deps.tables, req.caseId);
  return view ? raterConflict(dir, { ...view, reporter }) !== null : false;
}
