import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableNames } from './clients.ts';
import { opsKey } from './keys.ts';

/** The next human-readable case number of a year (ZG-2026-000123), from an atomic counter. */
export async function nextCaseNumber(ddb: DynamoDBClient, tables: TableNames, year: number): Promise<string> {
  const out = await ddb.send(
    new UpdateItemCommand({
      TableName: tables.ops,
      Key: marshall(opsKey.caseNumberCounter(year)),
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: marshall({ ':one': 1 }),
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const n = (unmarshall(out.Attributes ?? {}) as { n: number }).n;
  return `ZG-${year}-${String(n).padStart(6, '0')}`;
}
