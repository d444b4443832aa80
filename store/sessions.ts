import { createHash, randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import type { TableNames } from './clients.ts';
import { opsKey } from './keys.ts';

/**
 * Web sign-in state in the ops table. Every secret the browser holds (session
 * id, sign-in link token, pending sign-in id) is stored only as its SHA-256,
 * so a leaked table row cannot be replayed as a cookie or a link.
 *
 *   pk                     sk   what
 *   SESSION#<hash>         -    a signed-in browser: person, CSRF token, expiry
 *   LOGINLINK#<hash>       -    a one-time local sign-in link
 *   OIDCREQ#<hash>         -    a sign-in started at the identity provider (state, nonce, PKCE verifier)
 *
 * `expiresAtEpoch` lets DynamoDB's TTL sweep rows nobody comes back for; reads
 * check expiry themselves, since TTL deletion can lag by days.
 */
export interface SessionStoreDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

/** Signed-in sessions end after this long without a request… */
export const SESSION_IDLE_SECONDS = 12 * 3600;
/** …and this long after sign-in whatever happens. */
export const SESSION_ABSOLUTE_SECONDS = 7 * 24 * 3600;
/** A request refreshes the idle expiry at most this often, so reading pages isn't a write each time. */
const TOUCH_EVERY_SECONDS = 5 * 60;
export const LOGIN_LINK_SECONDS = 15 * 60;
export const OIDC_REQUEST_SECONDS = 10 * 60;

/** A new unguessable secret for a cookie or link (256 bits). */
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/** The secret-bearing kinds of row, each keyed by its secret's hash (store/keys.ts). */
type SecretKind = 'session' | 'loginLink' | 'oidcRequest';
const key = (kind: SecretKind, secret: string) => marshall(opsKey[kind](secretHash(secret)));
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

const sessionRow = z.object({
  personId: z.string(),
  csrfToken: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  absoluteExpiresAt: z.number(),
  via: z.enum(['oidc', 'link']),
  /** The provider's ID token, sent back as the hint when signing out there too. */
  idToken: z.string().optional(),
});
export type SessionRecord = z.infer<typeof sessionRow>;

export interface Session extends SessionRecord {
  /** The secret in the cookie (never stored). */
  id: string;
}

/** Starts a session for a person; the returned id goes in the cookie. */
export async function createSession(
  deps: SessionStoreDeps,
  input: { personId: string; via: SessionRecord['via']; idToken?: string | undefined },
  now = new Date(),
): Promise<Session> {
  const id = newSecret();
  const t = epoch(now);
  const record: SessionRecord = {
    personId: input.personId,
    csrfToken: newSecret(),
    createdAt: t,
    lastSeenAt: t,
    absoluteExpiresAt: t + SESSION_ABSOLUTE_SECONDS,
    via: input.via,
    ...(input.idToken ? { idToken: input.idToken } : {}),
  };
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: { ...key('session', id), ...marshall({ ...record, expiresAtEpoch: expiryOf(record) }) },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { id, ...record };
}

/** When a session ends if nobody uses it again: the idle limit, capped by the absolute one. */
export const expiryOf = (r: Pick<SessionRecord, 'lastSeenAt' | 'absoluteExpiresAt'>): number =>
  Math.min(r.lastSeenAt + SESSION_IDLE_SECONDS, r.absoluteExpiresAt);

/** Whether a session is still live at `now`, and whether it is due a refresh of its idle expiry. */
export function sessionState(r: SessionRecord, now: Date): 'expired' | 'touch' | 'fresh' {
  const t = epoch(now);
  if (t >= expiryOf(r)) return 'expired';
  return t - r.lastSeenAt >= TOUCH_EVERY_SECONDS ? 'touch' : 'fresh';
}

/** The live session behind a cookie value, or null; refreshes the idle expiry now and then. */
export async function findSession(
  deps: SessionStoreDeps,
  id: string,
  now = new Date(),
  /** Told whose session it was when it has just ended: a form it sent is kept for them alone. */
  onLapsed?: (personId: string) => void,
): Promise<Session | null> {
  if (!id) return null;
  const out = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: key('session', id), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const parsed = sessionRow.safeParse(unmarshall(out.Item));
  if (!parsed.success) return null;
  const record = parsed.data;
  const state = sessionState(record, now);
  if (state === 'expired') {
    await deleteSession(deps, id);
    onLapsed?.(record.personId);
    return null;
  }
  if (state === 'touch') {
    const lastSeenAt = epoch(now);
    // Conditional, so a touch can't resurrect a session signed out in the meantime.
    await deps.ddb
      .send(
        new UpdateItemCommand({
          TableName: deps.tables.ops,
          Key: key('session', id),
          UpdateExpression: 'SET lastSeenAt = :t, expiresAtEpoch = :e',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: marshall({
            ':t': lastSeenAt,
            ':e': expiryOf({ ...record, lastSeenAt }),
          }),
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
    return { id, ...record, lastSeenAt };
  }
  return { id, ...record };
}

/** Signs a session out: the cookie value is worthless from now on. Returns what the session was, if any. */
export async function deleteSession(deps: SessionStoreDeps, id: string): Promise<SessionRecord | null> {
  if (!id) return null;
  const out = await deps.ddb.send(
    new DeleteItemCommand({ TableName: deps.tables.ops, Key: key('session', id), ReturnValues: 'ALL_OLD' }),
  );
  const parsed = sessionRow.safeParse(out.Attributes ? unmarshall(out.Attributes) : null);
  return parsed.success ? parsed.data : null;
}

/** Deletes a row and returns what it held, exactly once across concurrent callers. */
async function take(
  deps: SessionStoreDeps,
  kind: SecretKind,
  secret: string,
): Promise<Record<string, unknown> | null> {
  try {
    const out = await deps.ddb.send(
      new DeleteItemCommand({
        TableName: deps.tables.ops,
        Key: key(kind, secret),
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes ? unmarshall(out.Attributes) : null;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return null;
    throw err;
  }
}

/** Stores a one-time sign-in link for a person; returns the token for the URL. */
export async function issueLoginLink(
  deps: SessionStoreDeps,
  personId: string,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAtEpoch = epoch(now) + LOGIN_LINK_SECONDS;
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: { ...key('loginLink', token), ...marshall({ personId, expiresAtEpoch }) },
    }),
  );
  return { token, expiresAt: new Date(expiresAtEpoch * 1000) };
}

const linkRow = z.object({ personId: z.string(), expiresAtEpoch: z.number() });

/** Uses up a sign-in link: the person it was for, or why not. A second use always fails. */
export async function consumeLoginLink(
  deps: SessionStoreDeps,
  token: string,
  now = new Date(),
): Promise<{ ok: true; personId: string } | { ok: false; reason: 'unknown' | 'expired' }> {
  if (!token) return { ok: false, reason: 'unknown' };
  const row = linkRow.safeParse(await take(deps, 'loginLink', token));
  if (!row.success) return { ok: false, reason: 'unknown' };
  if (epoch(now) >= row.data.expiresAtEpoch) return { ok: false, reason: 'expired' };
  return { ok: true, personId: row.data.personId };
}

const oidcRequestRow = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  next: z.string(),
  expiresAtEpoch: z.number(),
});
export type OidcRequest = Omit<z.infer<typeof oidcRequestRow>, 'expiresAtEpoch'>;

/** Remembers a sign-in sent to the identity provider; the returned id goes in a short-lived cookie. */
export async function saveOidcRequest(
  deps: SessionStoreDeps,
  request: OidcRequest,
  now = new Date(),
): Promise<string> {
  const id = newSecret();
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: {
        ...key('oidcRequest', id),
        ...marshall({ ...request, expiresAtEpoch: epoch(now) + OIDC_REQUEST_SECONDS }),
      },
    }),
  );
  return id;
}

/** The pending sign-in behind the cookie, once: a replayed callback finds nothing. */
export async function takeOidcRequest(
  deps: SessionStoreDeps,
  id: string,
  now = new Date(),
): Promise<OidcRequest | null> {
  if (!id) return null;
  const row = oidcRequestRow.safeParse(await take(deps, 'oidcRequest', id));
  if (!row.success || epoch(now) >= row.data.expiresAtEpoch) return null;
  const { expiresAtEpoch: _, ...request } = row.data;
  return request;
}
