import { randomBytes } from 'node:crypto';
import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { conditionHeld } from './conditional.ts';
import {
  MAX_TTL_SECONDS,
  signLinkToken,
  tokenFingerprint,
  verifyLinkToken,
  type LinkClaims,
  type SigningKeys,
} from '../domain/link-token.ts';
import type { TableNames } from './clients.ts';
import { expiresAfterDays } from './tables.ts';
import { opsKey } from './keys.ts';

export interface LinkDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
  keys: SigningKeys;
}

export interface IssueLinkInput {
  caseId: string;
  step: string;
  round: number;
  recipientId: string;
  action: string;
  /** Defaults to 7 days from now; never more than 7 days. */
  expiresAt?: string | undefined;
}

/**
 * A link's rows go a month after the link expires: past `exp` the token itself is refused before
 * any row is read, and the signature it took lives on in the audit chain.
 */
const LINK_ROWS_KEPT_DAYS = 30;
const linkExpiry = (exp: number) => expiresAfterDays(LINK_ROWS_KEPT_DAYS, exp * 1000);

const linkKey = (tid: string) => marshall(opsKey.link(tid));
const headKey = (c: { caseId: string; step: string; round: number; recipientId: string }) =>
  marshall(opsKey.linkHead(c));

/** Issues a signed single-use link and makes it the only live one for that (case, step, round, recipient). */
export async function issueLink(
  deps: LinkDeps,
  input: IssueLinkInput,
  now = new Date(),
): Promise<{ token: string; claims: LinkClaims }> {
  const iat = Math.floor(now.getTime() / 1000);
  const requested = input.expiresAt ? Math.floor(Date.parse(input.expiresAt) / 1000) : iat + MAX_TTL_SECONDS;
  // A deadline already past (or minutes away) would make a dead link: give at least a day.
  const exp = Math.min(iat + MAX_TTL_SECONDS, Math.max(requested, iat + 86_400));
  const signed = signLinkToken(
    {
      caseId: input.caseId,
      step: input.step,
      round: input.round,
      recipientId: input.recipientId,
      action: input.action,
      iat,
      exp,
    },
    deps.keys,
    (n) => new Uint8Array(randomBytes(n)),
  );
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: {
        ...linkKey(signed.claims.tid),
        ...marshall({
          status: 'active',
          fingerprint: tokenFingerprint(signed.token),
          claims: JSON.stringify(signed.claims),
          issuedAt: now.toISOString(),
          ...linkExpiry(exp),
        }),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: { ...headKey(signed.claims), ...marshall({ tid: signed.claims.tid, ...linkExpiry(exp) }) },
    }),
  );
  return signed;
}

/**
 * Issues a link (as issueLink) and returns the address of its action page,
 * where the recipient confirms the step: what an email carries.
 */
export async function issueActionUrl(
  deps: LinkDeps & { publicBaseUrl: string },
  input: IssueLinkInput,
): Promise<string> {
  const issued = await issueLink(deps, input);
  return `${deps.publicBaseUrl}/actions/${issued.token}`;
}

export type LinkCheck =
  | { ok: true; claims: LinkClaims }
  | {
      ok: false;
      reason: 'malformed' | 'unknown_key' | 'forged' | 'expired' | 'used' | 'superseded' | 'unknown';
      claims?: LinkClaims;
    };

/** Verifies a link without changing anything (a GET must never sign). */
export async function checkLink(deps: LinkDeps, token: string, now = new Date()): Promise<LinkCheck> {
  const v = verifyLinkToken(token, deps.keys, Math.floor(now.getTime() / 1000));
  if (!v.ok) return { ok: false, reason: v.reason };
  const row = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: linkKey(v.claims.tid), ConsistentRead: true }),
  );
  if (!row.Item) return { ok: false, reason: 'unknown', claims: v.claims };
  const stored = unmarshall(row.Item) as {
    status: string;
    fingerprint: string;
    usedAt?: string;
    landed?: boolean;
  };
  if (stored.fingerprint !== tokenFingerprint(token)) return { ok: false, reason: 'forged' };
  if (stored.status !== 'active' && !abandoned(stored, now))
    return { ok: false, reason: 'used', claims: v.claims };
  const head = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: headKey(v.claims), ConsistentRead: true }),
  );
  const headTid = head.Item ? (unmarshall(head.Item) as { tid: string }).tid : undefined;
  if (headTid !== v.claims.tid) return { ok: false, reason: 'superseded', claims: v.claims };
  return { ok: true, claims: v.claims };
}

/**
 * A use is taken when the link is consumed and settled once its act has landed. A use that was
 * taken and never settled (the process died between the two: a crash of `npm start`, a Lambda
 * timeout) is abandoned after this long, and the link can be used again; the act itself is
 * refused by the case if it had in fact landed, so nothing happens twice.
 */
export const ABANDONED_USE_MS = 60_000;

function abandoned(stored: { status: string; usedAt?: string; landed?: boolean }, now: Date): boolean {
  if (stored.status !== 'used' || stored.landed || !stored.usedAt) return false;
  return Date.parse(stored.usedAt) < now.getTime() - ABANDONED_USE_MS;
}

/**
 * Whether a link is being used right now: consumed by a request whose act has not landed yet and
 * is not abandoned (a double tap's first request, still waiting on its case). Its act may still be
 * refused and the link released, so "already used" would be wrong to say.
 */
export async function linkInUse(deps: LinkDeps, tid: string, now = new Date()): Promise<boolean> {
  const row = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: linkKey(tid), ConsistentRead: true }),
  );
  if (!row.Item) return false;
  const stored = unmarshall(row.Item) as { status: string; usedAt?: string; landed?: boolean };
  return stored.status === 'used' && !stored.landed && stored.usedAt !== undefined && !abandoned(stored, now);
}

/** Consumes a link exactly once (conditional write); false when it was already used (and not abandoned). */
export async function consumeLink(
  deps: LinkDeps,
  tid: string,
  usage: { at: string; ip?: string | undefined; userAgent?: string | undefined; textHash: string },
): Promise<boolean> {
  const cutoff = new Date(Date.parse(usage.at) - ABANDONED_USE_MS).toISOString();
  return conditionHeld(() =>
    deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: linkKey(tid),
        UpdateExpression: 'SET #s = :used, usedAt = :at, usedIp = :ip, usedUa = :ua, textHash = :th',
        // Active, or used by a request that never settled it and is long gone.
        ConditionExpression:
          '#s = :active OR (#s = :used AND attribute_not_exists(landed) AND usedAt < :cutoff)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({
          ':used': 'used',
          ':active': 'active',
          ':cutoff': cutoff,
          ':at': usage.at,
          ':ip': usage.ip ?? '',
          ':ua': usage.userAgent ?? '',
          ':th': usage.textHash,
        }),
      }),
    ),
  );
}

/** Marks a consumed link's act as landed: from then on it is used for good. */
export async function settleLink(deps: LinkDeps, tid: string): Promise<void> {
  await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key: linkKey(tid),
      UpdateExpression: 'SET landed = :t',
      ConditionExpression: 'attribute_exists(#s)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: marshall({ ':t': true }),
    }),
  );
}

/** Puts a link back to active when the step it was consumed for was refused, so the person can try again. */
export async function releaseLink(deps: LinkDeps, tid: string): Promise<void> {
  await deps.ddb
    .send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: linkKey(tid),
        UpdateExpression: 'SET #s = :active',
        // Never one whose act landed (a later, refused retry of an abandoned use).
        ConditionExpression: '#s = :used AND attribute_not_exists(landed)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({ ':used': 'used', ':active': 'active' }),
      }),
    )
    .catch((err: unknown) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
}
