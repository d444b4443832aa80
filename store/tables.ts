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
  /** The attribute (epoch seconds) after which DynamoDB deletes an item by itself (its TTL). */
  ttl?: string;
}

/**
 * The ops table's TTL attribute: what is short-lived there (sessions, sign-in links, rate
 * windows, email links, outbox rows, idempotency claims) carries the epoch second it may go.
 */
export const EXPIRES_AT = 'expiresAtEpoch';

/**
 * How long an outbox row (and the SES send event beside it) is kept: more than a year, longer
 * than any case or weekly digest can still retry its mail, so nothing is ever sent twice.
 */
export const OUTBOX_ROWS_KEPT_DAYS = 400;

/** `{ expiresAtEpoch }` for an item DynamoDB may delete `days` after `from`. */
export const expiresAfterDays = (days: number, from: number = Date.now()) => ({
  [EXPIRES_AT]: Math.floor(from / 1000) + Math.round(days * 86_400),
});

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
    ttl: EXPIRES_AT,
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
