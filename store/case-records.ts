import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { CaseView } from '../domain/case-model.ts';
import { viewFromItem } from './case-record-item.ts';
import type { TableNames } from './clients.ts';

/** The stored case record (the view as of its last step), or null. */
export async function getCaseRecord(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
): Promise<CaseView | null> {
  const out = await ddb.send(
    new GetItemCommand({ TableName: tables.cases, Key: marshall({ caseId }), ConsistentRead: true }),
  );
  return out.Item ? viewFromItem(out.Item) : null;
}
