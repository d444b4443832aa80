import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { conditionHeld } from './conditional.ts';
import type { TableNames } from './clients.ts';
import { EXPIRES_AT } from './tables.ts';
import { opsKey } from './keys.ts';

/**
 * Idempotency keys for requests that create things: the first request with a
 * key claims it with a conditional write, recording a hash of its body and
 * what it created; a retry finds the claim and gets the same result.
 */
export interface IdempotencyClaim {
  /** Whose key it is (keys are per caller, so two people's keys never collide). */
  scope: string;
  key: string;
  requestHash: string;
  /** What the first request created. */
  resultId: string;
  /** Enough to finish the job if the first request died half-way (JSON). */
  payload: string;
  createdAt: string;
}

const itemKey = (scope: string, key: string) => marshall(opsKey.idempotency(scope, key));
// Keys are kept a day: long enough for any client's retries.
const TTL_SECONDS = 24 * 3600;

export async function findClaim(
  ddb: DynamoDBClient,
  tables: TableNames,
  scope: string,
  key: string,
): Promise<IdempotencyClaim | null> {
  const out = await ddb.send(
    new GetItemCommand({ TableName: tables.ops, Key: itemKey(scope, key), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const raw = unmarshall(out.Item) as IdempotencyClaim & { pk: string; sk: string };
  return {
    scope,
    key,
    requestHash: raw.requestHash,
    resultId: raw.resultId,
    payload: raw.payload,
    createdAt: raw.createdAt,
  };
}

/** Claims a key; when someone claimed it first, returns their claim instead. */
export async function claimIdempotencyKey(
  ddb: DynamoDBClient,
  tables: TableNames,
  claim: IdempotencyClaim,
): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyClaim }> {
  try {
    await ddb.send(
      new PutItemCommand({
        TableName: tables.ops,
        Item: {
          ...itemKey(claim.scope, claim.key),
          ...marshall({
            requestHash: claim.requestHash,
            resultId: claim.resultId,
            payload: claim.payload,
            createdAt: claim.createdAt,
            // The table's TTL takes the claim a day after it was made (store/tables.ts).
            [EXPIRES_AT]: Math.floor(Date.parse(claim.createdAt) / 1000) + TTL_SECONDS,
          }),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { claimed: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const existing = await findClaim(ddb, tables, claim.scope, claim.key);
    if (!existing) throw new Error(`idempotency key ${claim.key} vanished while being claimed`);
    return { claimed: false, existing };
  }
}

/** How long a reservation keeps other requests with its key waiting (a process that died frees it then). */
export const RESERVATION_MS = 30_000;

/**
 * Reserves a key before anything is numbered for it, so that of several requests racing with
 * one key only one takes a case number: the others wait for its claim and answer from it,
 * and no number is burnt. True when this request holds the reservation.
 */
export async function reserveKey(
  ddb: DynamoDBClient,
  tables: TableNames,
  scope: string,
  key: string,
  token: string,
  now = Date.now(),
): Promise<boolean> {
  return conditionHeld(() =>
    ddb.send(
      new PutItemCommand({
        TableName: tables.ops,
        Item: {
          ...marshall(opsKey.idempotencyReservation(scope, key)),
          ...marshall({
            token,
            until: now + RESERVATION_MS,
            [EXPIRES_AT]: Math.floor(now / 1000) + TTL_SECONDS,
          }),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #u < :now',
        ExpressionAttributeNames: { '#u': 'until' },
        ExpressionAttributeValues: marshall({ ':now': now }),
      }),
    ),
  );
}

/** Gives a reservation back (the request failed before claiming), if it is still this request's. */
export async function releaseKey(
  ddb: DynamoDBClient,
  tables: TableNames,
  scope: string,
  key: string,
  token: string,
): Promise<void> {
  await conditionHeld(() =>
    ddb.send(
      new DeleteItemCommand({
        TableName: tables.ops,
        Key: marshall(opsKey.idempotencyReservation(scope, key)),
        ConditionExpression: '#t = :t',
        ExpressionAttributeNames: { '#t': 'token' },
        ExpressionAttributeValues: marshall({ ':t': token }),
      }),
    ),
  );
}
