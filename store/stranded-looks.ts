import { randomUUID } from 'node:crypto';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import type { AwsDeps } from './clients.ts';
import { conditionHeld } from './conditional.ts';
import { opsKey } from './keys.ts';
import { expiresAfterDays } from './tables.ts';

/**
 * Who is telling a directory version's stranded cases (stranded-notices.ts), and how it went.
 * Each telling reads every stranded person's open cases and tries each mail not gone yet, and the
 * directory page and `GET /api/directory/removed` would start one on every look: a look finds the
 * version claimed within STRANDED_LOOK_MS and leaves it alone, so a busy page tells a version at
 * most once in that time. The row also tells the page whether the mail is still on its way or
 * some of it failed for now. One row per version in the ops table, gone by its TTL.
 */

/** How long a claim keeps other looks off the version. */
export const STRANDED_LOOK_MS = 3 * 60_000;

const strandedLookRow = z.object({
  owner: z.string(),
  /** Epoch ms: no look tells the version again before. */
  until: z.number(),
  /** Telling (the mail on its way), or failed for now (tried again once `until` has passed). */
  state: z.enum(['telling', 'failed']),
});
export type StrandedLook = z.infer<typeof strandedLookRow>;

type Deps = Pick<AwsDeps, 'ddb' | 'tables'>;

/**
 * Claims the version's telling for STRANDED_LOOK_MS; returns the claim's owner, or null when
 * another look holds it. `anyway` takes it whoever holds it (the morning's run, which may not
 * wait a day for a look that failed a minute ago).
 */
export async function claimStrandedLook(
  deps: Deps,
  version: number,
  opts: { anyway: boolean; now?: number },
): Promise<string | null> {
  const now = opts.now ?? Date.now();
  const owner = randomUUID();
  const claimed = await conditionHeld(() =>
    deps.ddb.send(
      new PutItemCommand({
        TableName: deps.tables.ops,
        Item: marshall({
          ...opsKey.strandedLook(version),
          owner,
          until: now + STRANDED_LOOK_MS,
          state: 'telling',
          ...expiresAfterDays(2, now),
        }),
        ...(opts.anyway
          ? {}
          : {
              ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
              ExpressionAttributeNames: { '#until': 'until' },
              ExpressionAttributeValues: marshall({ ':now': now }),
            }),
      }),
    ),
  );
  return claimed ? owner : null;
}

/** Marks the claim's telling failed for now, unless another look took the version over since. */
export async function strandedLookFailed(deps: Deps, version: number, owner: string): Promise<void> {
  await conditionHeld(() =>
    deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: marshall(opsKey.strandedLook(version)),
        UpdateExpression: 'SET #state = :failed',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: marshall({ ':failed': 'failed', ':owner': owner }),
      }),
    ),
  );
}

/** The version's last claim, or null when no look has claimed it (or its row is gone). */
export async function loadStrandedLook(deps: Deps, version: number): Promise<StrandedLook | null> {
  const out = await deps.ddb.send(
    new GetItemCommand({
      TableName: deps.tables.ops,
      Key: marshall(opsKey.strandedLook(version)),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return null;
  const parsed = strandedLookRow.safeParse(unmarshall(out.Item));
  return parsed.success ? parsed.data : null;
}
