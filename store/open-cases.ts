import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { openStages, type CaseView } from '../domain/case-model.ts';
import { viewFromItem } from './case-record-item.ts';
import type { TableNames } from './clients.ts';
import { queryAll, type Item } from './paginate.ts';

/** DynamoDB takes at most 100 operands in an IN: a longer list of buildings is asked in parts. */
const IN_OPERANDS = 100;

const openedSortOf = (item: Item): string => {
  const v = item.openedSort;
  return v && 'S' in v && v.S !== undefined ? v.S : '';
};

/**
 * Every open case (not closed or withdrawn) of these buildings, newest first. Read by stage (one
 * byStage query per open stage, the buildings a filter DynamoDB applies), so the building's ended
 * cases, however many, are never read and an open case is found however old it is.
 */
export async function openCasesIn(
  ddb: DynamoDBClient,
  tables: TableNames,
  buildingIds: readonly string[],
): Promise<CaseView[]> {
  const wanted = [...new Set(buildingIds)];
  const parts: string[][] = [];
  for (let i = 0; i < wanted.length; i += IN_OPERANDS) parts.push(wanted.slice(i, i + IN_OPERANDS));
  const pages = await Promise.all(
    openStages.flatMap((stage) =>
      parts.map((part) =>
        queryAll(ddb, {
          TableName: tables.cases,
          IndexName: 'byStage',
          KeyConditionExpression: '#s = :s',
          FilterExpression: `#b IN (${part.map((_, n) => `:b${n}`).join(', ')})`,
          ExpressionAttributeNames: { '#s': 'stage', '#b': 'buildingId' },
          ExpressionAttributeValues: marshall({
            ':s': stage,
            ...Object.fromEntries(part.map((b, n) => [`:b${n}`, b])),
          }),
        }),
      ),
    ),
  );
  return pages
    .flat()
    .sort((a, b) => openedSortOf(b).localeCompare(openedSortOf(a)))
    .map(viewFromItem);
}
