import {
  type AttributeValue,
  GetItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import type { AwsDeps } from './clients.ts';
import { opsKey, outboxScope } from './keys.ts';
import { expiresAfterDays, OUTBOX_ROWS_KEPT_DAYS } from './tables.ts';

/**
 * A supervisor's review requests, gathered per window: the first of a window is mailed at once,
 * the rest of it wait in the window's digest row until the window ends and one mail lists them
 * (activities/review-digest.ts). Each case mail's route (at once, or which window) is decided
 * once and kept beside it, written in one transaction with the window or digest row it changed:
 * a retried activity follows the route first taken, so it neither lists a case twice nor mails
 * it at once after having listed it. A digest row is sealed before it is read for sending, and
 * a case is only listed in an unsealed one: a case never joins a digest that has already gone.
 */

type Deps = Pick<AwsDeps, 'ddb' | 'tables'>;

/** One case as its digest lists it: what the mail needs, fixed when it was gathered. */
export const gatheredCaseSchema = z.object({
  caseId: z.string(),
  title: z.string(),
  building: z.object({ zh: z.string(), en: z.string() }),
  due: z.string().optional(),
  /** The order gathered in (ms), so the mail lists the cases as they came. */
  at: z.number(),
});
export type GatheredCase = z.infer<typeof gatheredCaseSchema>;

const routeSchema = z.discriminatedUnion('route', [
  z.object({ route: z.literal('now'), windowId: z.string() }),
  z.object({ route: z.literal('digest'), windowId: z.string(), endsAt: z.number() }),
]);
export type ReviewRoute = z.infer<typeof routeSchema>;

const windowSchema = z.object({ windowId: z.string(), endsAt: z.number() });
const digestSchema = z.object({
  sealed: z.boolean().optional(),
  entries: z.record(z.string(), gatheredCaseSchema).default({}),
});

export interface RouteInput {
  /** The task queue whose digest workflows send the windows' mails. */
  queue: string;
  recipientId: string;
  caseId: string;
  /** The case mail's outbox key: one route per case, stage, round, kind and recipient. */
  outboxKey: string;
  entry: GatheredCase;
  /** Now, on the clock the digest workflow sleeps by. */
  now: number;
  windowMs: number;
}

const kept = (now: number) => expiresAfterDays(OUTBOX_ROWS_KEPT_DAYS, now);

/** Where one review mail goes: at once (opening a window) or into the open window's digest. */
export async function routeReviewMail(deps: Deps, input: RouteInput): Promise<ReviewRoute> {
  const routeKey = marshall(opsKey.reviewRoute(input.caseId, input.outboxKey));
  const windowKey = marshall(opsKey.reviewWindow(input.queue, input.recipientId));
  // Each pass loses only to another writer's commit (a window opened, a digest sealed): a few do.
  for (let pass = 0; pass < 8; pass++) {
    const decided = await getRow(deps, routeKey);
    if (decided) return routeSchema.parse(decided);
    // Sent on its own before routes were kept (or by an admin's retry of it): it stays sent,
    // never listed again; the caller's outbox answers it already sent.
    if (pass === 0 && (await sentAlone(deps, input))) return { route: 'now', windowId: '' };
    const open = await getRow(deps, windowKey).then((w) => (w ? windowSchema.parse(w) : undefined));
    const route: ReviewRoute =
      open && input.now < open.endsAt
        ? { route: 'digest', windowId: open.windowId, endsAt: open.endsAt }
        : { route: 'now', windowId: String(input.now) };
    const routeRow = {
      Put: {
        TableName: deps.tables.ops,
        Item: { ...routeKey, ...marshall({ ...route, ...kept(input.now) }) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const writes =
      route.route === 'digest'
        ? [
            routeRow,
            {
              Update: {
                TableName: deps.tables.ops,
                Key: marshall(opsKey.reviewDigest(input.queue, input.recipientId, route.windowId)),
                UpdateExpression: 'SET entries.#k = :e',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sealed)',
                // Outbox keys repeat across cases (stage, round, kind): the case id tells them apart.
                ExpressionAttributeNames: { '#k': `${input.caseId}#${input.outboxKey}` },
                ExpressionAttributeValues: marshall({ ':e': input.entry }, { removeUndefinedValues: true }),
              },
            },
          ]
        : [
            routeRow,
            {
              Put: {
                TableName: deps.tables.ops,
                Item: {
                  ...windowKey,
                  ...marshall({
                    windowId: route.windowId,
                    endsAt: input.now + input.windowMs,
                    ...kept(input.now),
                  }),
                },
                // Opens a window only over the one this pass read: of two openers, one wins.
                ConditionExpression: open ? 'windowId = :prev' : 'attribute_not_exists(pk)',
                ...(open ? { ExpressionAttributeValues: marshall({ ':prev': open.windowId }) } : {}),
              },
            },
            {
              Put: {
                TableName: deps.tables.ops,
                Item: {
                  ...marshall(opsKey.reviewDigest(input.queue, input.recipientId, route.windowId)),
                  ...marshall({ entries: {}, ...kept(input.now) }),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ];
    try {
      await deps.ddb.send(new TransactWriteItemsCommand({ TransactItems: writes }));
      return route;
    } catch (err) {
      // A route written meanwhile, a window opened or a digest sealed: read again and decide anew.
      if (!(err instanceof TransactionCanceledException)) throw err;
      // A window whose digest sealed before it ended (a clock behind) is over: open the next.
      if (route.route === 'digest' && err.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed')
        await endWindow(deps, input.queue, input.recipientId, route.windowId);
    }
  }
  throw new Error(`review mail ${input.caseId} ${input.outboxKey}: no route after repeated conflicts`);
}

/** Marks a window over (its digest sealed) so the next review mail opens a new one. */
async function endWindow(deps: Deps, queue: string, personId: string, windowId: string): Promise<void> {
  await deps.ddb
    .send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: marshall(opsKey.reviewWindow(queue, personId)),
        UpdateExpression: 'SET endsAt = :zero',
        ConditionExpression: 'windowId = :w',
        ExpressionAttributeValues: marshall({ ':zero': 0, ':w': windowId }),
      }),
    )
    .catch(() => undefined);
}

/**
 * Seals a window's digest (no case joins it after) and answers the cases it gathered, in the
 * order they came. Sealing again answers the same: a retried send lists the same cases.
 */
export async function sealDigest(
  deps: Deps,
  queue: string,
  personId: string,
  windowId: string,
): Promise<GatheredCase[]> {
  const key = marshall(opsKey.reviewDigest(queue, personId, windowId));
  const out = await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key: key,
      UpdateExpression: 'SET sealed = :t',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: marshall({ ':t': true }),
      ReturnValues: 'ALL_NEW',
    }),
  );
  const row = digestSchema.parse(out.Attributes ? unmarshall(out.Attributes) : {});
  await endWindow(deps, queue, personId, windowId);
  return Object.values(row.entries).sort((a, b) => a.at - b.at || a.caseId.localeCompare(b.caseId));
}

async function sentAlone(deps: Deps, input: RouteInput): Promise<boolean> {
  const row = await getRow(deps, marshall(opsKey.outbox(outboxScope.case(input.caseId), input.outboxKey)));
  return (row as { status?: unknown } | undefined)?.status === 'sent';
}

async function getRow(deps: Deps, Key: Record<string, AttributeValue>): Promise<unknown> {
  const got = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key, ConsistentRead: true }),
  );
  return got.Item ? unmarshall(got.Item) : undefined;
}
