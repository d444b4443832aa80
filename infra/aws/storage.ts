import { tableDefinitions, type TableDefinition, type TableKey } from '../../store/tables.ts';

const fieldType = { S: 'string', N: 'number' } as const;

/**
 * The sst.aws.Dynamo arguments for one of the tables in infra/tables.ts (the
 * one definition the local stack creates its tables from too). Point-in-time
 * recovery is always on; deletion protection and keeping the table when the
 * stack is removed follow the stage's protection, decided once in sst.config.ts.
 */
export function dynamoArgs(def: TableDefinition, protect: boolean): sst.aws.DynamoArgs {
  return {
    fields: Object.fromEntries(Object.entries(def.attributes).map(([name, t]) => [name, fieldType[t]])),
    primaryIndex: def.rangeKey ? { hashKey: def.hashKey, rangeKey: def.rangeKey } : { hashKey: def.hashKey },
    ...(def.indexes.length > 0
      ? {
          globalIndexes: Object.fromEntries(
            def.indexes.map((ix) => [
              ix.name,
              { hashKey: ix.hashKey, rangeKey: ix.rangeKey, projection: 'all' },
            ]),
          ),
        }
      : {}),
    transform: {
      table: (args, opts) => {
        args.pointInTimeRecovery = { enabled: true };
        args.deletionProtectionEnabled = protect;
        opts.retainOnDelete = protect;
        return undefined;
      },
    },
  };
}

// SST appends `Table` to the DynamoDB table it creates: Cases → rectify-<stage>-CasesTable-<suffix>.
const componentName = (key: TableKey) => `${key[0]!.toUpperCase()}${key.slice(1)}`;

/** Every Rectify table, named by SST after the app and stage (never a literal name). */
export function createStorage(): Record<TableKey, sst.aws.Dynamo> {
  const keys = Object.keys(tableDefinitions) as TableKey[];
  return Object.fromEntries(
    keys.map((key) => [
      key,
      new sst.aws.Dynamo(componentName(key), dynamoArgs(tableDefinitions[key], $app.protect)),
    ]),
  ) as Record<TableKey, sst.aws.Dynamo>;
}

export type Storage = ReturnType<typeof createStorage>;
