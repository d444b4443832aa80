import { tableDefinitions, type TableDefinition, type TableKey } from '../../store/tables.ts';
import type { DeploySettings } from './settings.ts';

const fieldType = { S: 'string', N: 'number' } as const;

/**
 * The sst.aws.Dynamo arguments for one of the tables in infra/tables.ts (the
 * one definition the local stack creates its tables from too). Point-in-time
 * recovery is always on, and so is TTL where the table names its attribute;
 * deletion protection and keeping the table when the stack is removed follow
 * the stage's protection, decided once in sst.config.ts.
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
        // Short-lived rows (sessions, links, outbox rows, claims) go by themselves (store/tables.ts).
        if (def.ttl) args.ttl = { attributeName: def.ttl, enabled: true };
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

/** Unset RECTIFY_ANCHOR_RETENTION_DAYS: ten years where data is protected, a day on throwaway stages. */
export const anchorRetentionDays = (settings: DeploySettings, protect: boolean) =>
  settings.anchorRetentionDays ?? (protect ? 3650 : 1);

/**
 * The S3 side: evidence files (photos and documents attached to cases) and the
 * audit trail's daily anchors. Both private (SST blocks public access and
 * refuses plain HTTP by default). The anchors are written once and can then
 * be neither changed nor deleted by anyone, root included, until their
 * retention ends: Object Lock in compliance mode, so a later edit of the audit
 * table can be shown against what was anchored.
 */
export function createBuckets(settings: DeploySettings) {
  const protect = $app.protect;
  const evidence = new sst.aws.Bucket('Evidence', {
    versioning: true,
    transform: {
      bucket: (args, opts) => {
        args.forceDestroy = !protect;
        opts.retainOnDelete = protect;
        return undefined;
      },
    },
  });
  const evidenceLifecycle = new aws.s3.BucketLifecycleConfigurationV2('EvidenceLifecycle', {
    bucket: evidence.name,
    rules: [
      // Uploads go straight from browsers to S3 (presigned); an abandoned multipart upload is billed until aborted.
      {
        id: 'abort-incomplete-uploads',
        status: 'Enabled',
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
      // Versioning keeps an overwritten or deleted file for a month, in case it was a mistake.
      {
        id: 'expire-replaced-versions',
        status: 'Enabled',
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 30 },
      },
      // Evidence is read while its case runs and rarely after: cheaper storage once cases are long closed.
      {
        id: 'infrequent-access-after-90-days',
        status: 'Enabled',
        filter: {},
        transitions: [{ days: 90, storageClass: 'STANDARD_IA' }],
      },
    ],
  });
  const anchors = new sst.aws.Bucket('Anchors', {
    versioning: true,
    transform: {
      bucket: (args, opts) => {
        args.objectLockEnabled = true;
        // Locked objects cannot be deleted before their retention ends, so neither can the bucket:
        // removing a stage leaves it to expire rather than failing the removal.
        args.forceDestroy = false;
        opts.retainOnDelete = true;
        return undefined;
      },
    },
  });
  const anchorsLock = new aws.s3.BucketObjectLockConfigurationV2('AnchorsObjectLock', {
    bucket: anchors.name,
    objectLockEnabled: 'Enabled',
    rule: { defaultRetention: { mode: 'COMPLIANCE', days: anchorRetentionDays(settings, protect) } },
  });
  return { evidence, evidenceLifecycle, anchors, anchorsLock };
}

export type Buckets = ReturnType<typeof createBuckets>;
