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
import { conditionHeld } from './conditional.ts';
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
 * What the send made of the sealed list (which cases still await the review, how many no longer
 * do) is kept on the row too, so a retried send mails the same list, or again nothing.
 */

type Deps = Pick<AwsDeps, 'ddb' | 'tables'>;

/** One case as its digest lists it: what the mail needs, fixed when it was gathered. */
export const gatheredCaseSchema = z.object({
  caseId: z.string(),
  title: z.string(),
  building: z.object({ zh: z.string(), en: z.string() }),
  due: z.string().optional(),
  /** The case's building: a digest that cannot go mails its current supervisors instead. */
  buildingId: z.string().optional(),
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
/** The send's decision: the entries (by key) its mail lists and how many cases it left out. */
const settledSchema = z.object({ listed: z.array(z.string()), handled: z.number() });
const digestSchema = z.object({
  sealed: z.boolean().optional(),
  entries: z.record(z.string(), gatheredCaseSchema).default({}),
  settled: settledSchema.optional(),
});

/** A gathered case with the review it asked for: its stage and round when it was gathered. */
export interface DigestCase extends GatheredCase {
  /** The case mail's outbox key it was gathered under: its audit step and fallback mail go by it. */
  outboxKey: string;
  stage?: string | undefined;
  round?: number | undefined;
}

/** The cases a digest's mail lists (in the order gathered) and how many it leaves out. */
export interface SettledDigest {
  cases: DigestCase[];
  /** Cases gathered into the window that no longer await this review (reviewed, withdrawn, closed). */
  handled: number;
}

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
): Promise<DigestCase[]> {
  const { entries } = await sealRow(deps, queue, personId, windowId);
  return entries.map(([, c]) => c);
}

/**
 * Seals a window's digest and decides, once, what its mail lists: the gathered cases `awaited`
 * still holds at the review they were gathered for, one entry a case. The decision is kept on
 * the row before anything is mailed, so a retried send (the relay down, the worker lost) lists
 * the same cases, and one that found none left sends nothing again.
 */
export async function settleDigest(
  deps: Deps,
  queue: string,
  personId: string,
  windowId: string,
  awaited: (c: DigestCase) => Promise<boolean>,
): Promise<SettledDigest> {
  const { key, entries, settled } = await sealRow(deps, queue, personId, windowId);
  const decided = settled ?? (await decide(deps, key, entries, awaited));
  const listed = new Set(decided.listed);
  return { cases: entries.filter(([k]) => listed.has(k)).map(([, c]) => c), handled: decided.handled };
}

async function decide(
  deps: Deps,
  key: Record<string, AttributeValue>,
  entries: [string, DigestCase][],
  awaited: (c: DigestCase) => Promise<boolean>,
): Promise<z.infer<typeof settledSchema>> {
  const listed = new Map<string, string>();
  const gathered = new Set<string>();
  for (const [k, c] of entries) {
    gathered.add(c.caseId);
    // A case gathered twice (its review failed, then it was reported again) is listed once, for
    // the review it awaits.
    if (!listed.has(c.caseId) && (await awaited(c))) listed.set(c.caseId, k);
  }
  const decision = { listed: [...listed.values()], handled: gathered.size - listed.size };
  const first = await conditionHeld(() =>
    deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: key,
        UpdateExpression: 'SET settled = :s',
        ConditionExpression: 'attribute_not_exists(settled)',
        ExpressionAttributeValues: marshall({ ':s': decision }),
      }),
    ),
  );
  if (first) return decision;
  // Another attempt decided first: its decision is the one that may have been mailed.
  const row = digestSchema.parse((await getRow(deps, key)) ?? {});
  return row.settled ?? decision;
}

async function sealRow(
  deps: Deps,
  queue: string,
  personId: string,
  windowId: string,
): Promise<{
  key: Record<string, AttributeValue>;
  entries: [string, DigestCase][];
  settled: z.infer<typeof settledSchema> | undefined;
}> {
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
  const entries = Object.entries(row.entries)
    .map(([k, c]): [string, DigestCase] => [
      k,
      { ...c, outboxKey: k.slice(c.caseId.length + 1), ...reviewOf(c.caseId, k) },
    ])
    .sort(([, a], [, b]) => a.at - b.at || a.caseId.localeCompare(b.caseId));
  return { key, entries, settled: row.settled };
}

/**
 * The stage and round an entry's review request was for, read from its key (the case id, then
 * the case mail's outbox key: stage, round, kind, key, recipient): every entry gathered has it,
 * those gathered before the digest was checked at sending too.
 */
function reviewOf(caseId: string, entryKey: string): { stage?: string; round?: number } {
  const [stage, round] = entryKey.slice(caseId.length + 1).split('#');
  return stage && round && /^\d+$/.test(round) ? { stage, round: Number(round) } : {};
}

/** The route a case mail took (at once or into which window), if it was routed at all. */
export async function routeOf(
  deps: Deps,
  caseId: string,
  outboxKey: string,
): Promise<ReviewRoute | undefined> {
  const row = await getRow(deps, marshall(opsKey.reviewRoute(caseId, outboxKey)));
  return row ? routeSchema.parse(row) : undefined;
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
