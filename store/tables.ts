import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one definition of every DynamoDB table: the local stack creates them
 * from here and the SST storage module declares them from here, so the keys
 * and indexes the code uses can't drift between the two.
 */
export type TableKey = 'cases' | 'audit' | 'directory' | 'ops';

export interface TableDefinition {
  key: TableKey;
  hashKey: string;
  rangeKey?: string;
  attributes: Record<string, 'S' | 'N'>;
  indexes: { name: string; hashKey: string; rangeKey: string }[];
}

export const tableDefinitions: Record<TableKey, TableDefinition> = {
  cases: {
    key: 'cases',
    hashKey: 'caseId',
    attributes: {
      caseId: 'S',
      listPk: 'S',
      buildingId: 'S',
      assigneeId: 'S',
      responsibleId: 'S',
      stage: 'S',
      overdueFlag: 'S',
      openedSort: 'S',
      dueSort: 'S',
    },
    // Every list filter has an index; sort keys start with the open time so
    // pages come newest first and period queries are range conditions.
    indexes: [
      { name: 'byOpened', hashKey: 'listPk', rangeKey: 'openedSort' },
      { name: 'byBuilding', hashKey: 'buildingId', rangeKey: 'openedSort' },
      { name: 'byAssignee', hashKey: 'assigneeId', rangeKey: 'openedSort' },
      // Staff read the cases they are assigned to and those they are responsible for (signing off, rectifying).
      { name: 'byResponsible', hashKey: 'responsibleId', rangeKey: 'openedSort' },
      { name: 'byStage', hashKey: 'stage', rangeKey: 'openedSort' },
      { name: 'byOverdue', hashKey: 'overdueFlag', rangeKey: 'dueSort' },
    ],
  },
  audit: {
    key: 'audit',
    hashKey: 'caseId',
    rangeKey: 'seq',
    attributes: { caseId: 'S', seq: 'N' },
    indexes: [],
  },
  directory: {
    key: 'directory',
    hashKey: 'kind',
    rangeKey: 'id',
    attributes: { kind: 'S', id: 'S' },
    indexes: [],
  },
  ops: {
    key: 'ops',
    hashKey: 'pk',
    rangeKey: 'sk',
    attributes: { pk: 'S', sk: 'S' },
    indexes: [],
  },
};

/** The CreateTable request for one table under its configured name. */
export function createTableInput(def: TableDefinition, tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: Object.entries(def.attributes).map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: def.hashKey, KeyType: 'HASH' },
      ...(def.rangeKey ? [{ AttributeName: def.rangeKey, KeyType: 'RANGE' as const }] : []),
    ],
    ...(def.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: def.indexes.map((ix) => ({
            IndexName: ix.name,
            KeySchema: [
              { AttributeName: ix.hashKey, KeyType: 'HASH' as const },
              { AttributeName: ix.rangeKey, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}
