import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isTerminal, type CaseView } from '../domain/case-model.ts';
import { listCases } from './case-lists.ts';
import type { TableNames } from './clients.ts';

// Open cases of one person are few; this bounds the read if a removed person held very many.
const OPEN_CASES_READ = 500;

/**
 * The open cases a person is a party to, whole: what a directory change that removes them leaves
 * to reassign (the import preview counts them, the mail to their supervisors reads place and due).
 */
export async function openCaseViewsOf(
  ddb: DynamoDBClient,
  tables: TableNames,
  personId: string,
): Promise<CaseView[]> {
  const openCases: CaseView[] = [];
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await listCases(ddb, tables, { filters: { partyId: personId }, limit: 100, cursor });
    for (const v of page.items) if (!isTerminal(v.stage)) openCases.push(v);
    read += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && read < OPEN_CASES_READ);
  return openCases;
}
