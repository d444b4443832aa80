import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import type { TableNames } from './clients.ts';

/**
 * Whom a directory version's save told of the open cases it stranded (store/stranded-notices.ts),
 * one row per version under kind `told`: written once every reader's mail of the version went or
 * was refused for good (a bad address, refused again however often it is tried), so a version
 * flagged `tellStranded` without this row still has mail to send, and the directory page says
 * who was told and whom the mail could not reach.
 */

const bilingual = z.object({ zh: z.string(), en: z.string() });
const reader = z.object({ id: z.string(), name: z.string() });
export const strandedTold = z.object({
  version: z.number().int(),
  at: z.string(),
  buildings: z.array(
    z.object({
      buildingId: z.string(),
      name: bilingual,
      /** The building had no supervisor, so the working group was told. */
      workingGroup: z.boolean(),
      /** The readers whose mail went. */
      recipients: z.array(reader),
      /** The readers whose mail the mail service refused for good: someone must tell them otherwise. */
      undelivered: z.array(reader).default([]),
      caseIds: z.array(z.string()),
    }),
  ),
});
export type StrandedTold = z.infer<typeof strandedTold>;

const toldKey = (version: number) => ({ kind: 'told', id: `v${String(version).padStart(8, '0')}` });

/** Whom the save of `version` told, or null while its mail is still to go (or it had none to send). */
export async function loadTold(
  ddb: DynamoDBClient,
  tables: TableNames,
  version: number,
): Promise<StrandedTold | null> {
  const out = await ddb.send(
    new GetItemCommand({
      TableName: tables.directory,
      Key: marshall(toldKey(version)),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return null;
  const parsed = strandedTold.safeParse(JSON.parse((unmarshall(out.Item) as { data: string }).data));
  return parsed.success ? parsed.data : null;
}

/** Records how every reader's mail of the version ended (written whole: a second telling writes the same). */
export async function recordTold(ddb: DynamoDBClient, tables: TableNames, told: StrandedTold): Promise<void> {
  await ddb.send(
    new PutItemCommand({
      TableName: tables.directory,
      Item: marshall({ ...toldKey(told.version), data: JSON.stringify(told) }),
    }),
  );
}
