import { randomUUID } from 'node:crypto';
import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  ConditionalCheckFailedException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, type SendEmailCommandOutput } from '@aws-sdk/client-ses';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mailDocument } from '../domain/mail-document.ts';
import { MAIL_REF_TAG, mailRef, withRefMarker } from '../domain/mail-ref.ts';
import { headerSafe, wellFormed } from '../domain/safe-text.ts';
import { refusedBySmtp } from './smtp.ts';
import type { AwsDeps } from './clients.ts';
import { opsKey } from './keys.ts';
import { expiresAfterDays, OUTBOX_ROWS_KEPT_DAYS } from './tables.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface OutboxKey {
  /** Groups rows: usually the case id. */
  scope: string;
  /** Unique within the scope: (stage, round, kind, discriminator, recipient). */
  key: string;
}

/**
 * How long an attempt holds the outbox row it claimed without renewing it. The attempt renews
 * the lease while it runs (every third of it), so a retry of an attempt that is merely slow (a
 * relay taking its time) finds the row still held, while a row whose attempt is gone (its
 * worker killed) is free again within this time, not minutes later.
 */
export const OUTBOX_LEASE_MS = 30_000;
/** The longest one attempt keeps renewing: an attempt hung past it loses its row. */
export const OUTBOX_MAX_HOLD_MS = 5 * 60_000;
// An SES call is cut off well within the lease, so no attempt is still sending when it lapses.
const SES_CALL_TIMEOUT_MS = 30_000;

/** The row is held by another attempt whose lease has not lapsed: retry later. */
export class OutboxBusyError extends Error {
  override name = 'OutboxBusy';
}

interface OutboxRow {
  status: 'pending' | 'sent';
  messageId?: string;
  sentAt?: string;
  createdAt?: string;
  leaseOwner?: string;
  leaseUntil?: number;
}

/**
 * Sends one email once per outbox key: an attempt claims the row with a lease
 * (a conditional write naming it and a time) before sending and marks it sent
 * after, so a retried activity skips what went out and waits while another
 * attempt may still be sending. `prepare` runs only when the email still has
 * to go (it may issue a link). Links are never kept on the row, so the table
 * holds no usable link: a retry issues a fresh one, which supersedes any copy
 * of the first that went out. An attempt that died after the mail service took
 * the mail and before marking the row leaves the row unsure; the next attempt
 * asks the service's own record (`deps.sentLedger`) before sending again.
 */
export async function sendOnce(
  deps: Pick<AwsDeps, 'ddb' | 'ses' | 'tables' | 'mailFrom' | 'smtp' | 'sentLedger'>,
  outbox: OutboxKey,
  prepare: (previous: {
    link?: string | undefined;
  }) => Promise<OutgoingEmail & { link?: string | undefined }>,
  opts: { leaseMs?: number; now?: () => number } = {},
): Promise<{ status: 'sent' | 'already_sent'; messageId?: string | undefined; sentAt?: string | undefined }> {
  const leaseMs = opts.leaseMs ?? OUTBOX_LEASE_MS;
  const now = opts.now ?? Date.now;
  const Key = marshall(opsKey.outbox(outbox.scope, outbox.key));
  const existing = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key, ConsistentRead: true }),
  );
  const row = existing.Item ? (unmarshall(existing.Item) as OutboxRow) : undefined;
  if (row?.status === 'sent') return { status: 'already_sent', messageId: row.messageId, sentAt: row.sentAt };

  const ref = mailRef(outbox.scope, outbox.key);
  const owner = randomUUID();
  const claimedAt = now();
  // A lease that lapsed rather than being given back (leaseUntil 0) belonged to an attempt that
  // may have died after the mail service took the mail: ask the service before sending again.
  // Without its answer (SMTP, or no record yet) the mail goes again: at least once, never lost.
  if (row && row.leaseUntil !== 0 && deps.sentLedger && leaseEnd(row, leaseMs) <= claimedAt) {
    const went = await deps.sentLedger.wasSent(ref);
    if (went) {
      const sentAt = new Date(claimedAt).toISOString();
      await markSent(deps, Key, { messageId: went.messageId, sentAt }, { reconciled: true }, true).catch(
        (err: unknown) => {
          // Marked by another attempt meanwhile: sent either way.
          if (!(err instanceof ConditionalCheckFailedException)) throw err;
        },
      );
      return { status: 'already_sent', messageId: went.messageId, sentAt };
    }
  }
  try {
    if (!row) {
      await deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: {
            ...Key,
            ...marshall({
              status: 'pending',
              createdAt: new Date(claimedAt).toISOString(),
              leaseOwner: owner,
              leaseUntil: claimedAt + leaseMs,
              attempts: 1,
              ...expiresAfterDays(OUTBOX_ROWS_KEPT_DAYS, claimedAt),
            }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } else {
      const heldUntil = leaseEnd(row, leaseMs);
      if (heldUntil > claimedAt) {
        throw new OutboxBusyError(
          `outbox row ${outbox.key} is held by another attempt until ${new Date(heldUntil).toISOString()}`,
        );
      }
      // Take the lapsed lease over from exactly the attempt that held it: of two retries, one wins.
      await deps.ddb.send(
        new UpdateItemCommand({
          TableName: deps.tables.ops,
          Key,
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until ADD attempts :one',
          ConditionExpression: row.leaseOwner
            ? '#s = :pending AND leaseOwner = :prev'
            : '#s = :pending AND attribute_not_exists(leaseOwner)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: marshall({
            ':owner': owner,
            ':until': claimedAt + leaseMs,
            ':one': 1,
            ':pending': 'pending',
            ...(row.leaseOwner ? { ':prev': row.leaseOwner } : {}),
          }),
        }),
      );
    }
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException)
      throw new OutboxBusyError(`outbox row ${outbox.key} was claimed by another attempt first`);
    throw err;
  }

  const renewal = setInterval(
    () => {
      if (now() - claimedAt > OUTBOX_MAX_HOLD_MS) {
        clearInterval(renewal);
        return;
      }
      // Only while this attempt still holds the row: not once it was sent or given back.
      deps.ddb
        .send(
          new UpdateItemCommand({
            TableName: deps.tables.ops,
            Key,
            UpdateExpression: 'SET leaseUntil = :until',
            ConditionExpression: '#s = :pending AND leaseOwner = :owner AND leaseUntil > :zero',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: marshall({
              ':until': now() + leaseMs,
              ':pending': 'pending',
              ':owner': owner,
              ':zero': 0,
            }),
          }),
        )
        .catch(() => undefined);
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  renewal.unref();
  const stopRenewing = () => clearInterval(renewal);

  // Give the row back at once when this attempt certainly sent nothing, so a retry need not wait.
  const release = async () => {
    stopRenewing();
    try {
      await deps.ddb.send(
        new UpdateItemCommand({
          TableName: deps.tables.ops,
          Key,
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: '#s = :pending AND leaseOwner = :owner',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: marshall({ ':zero': 0, ':pending': 'pending', ':owner': owner }),
        }),
      );
    } catch {
      // The lease then lapses on its own.
    }
  };
  let mail: OutgoingEmail;
  try {
    mail = await prepare({});
  } catch (err) {
    await release();
    throw err;
  }
  let messageId: string | undefined;
  // Whatever a case's texts hold, the subject stays one header line and every part encodes.
  const message = {
    subject: headerSafe(mail.subject),
    text: wellFormed(mail.text),
    html: mailDocument(wellFormed(mail.html)),
  };
  try {
    if (deps.smtp) {
      messageId = (await deps.smtp.send({ from: deps.mailFrom, to: mail.to, ...message })).messageId;
    } else {
      const sent: SendEmailCommandOutput = await deps.ses.send(
        new SendEmailCommand({
          Source: deps.mailFrom,
          Destination: { ToAddresses: [mail.to] },
          Message: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              Html: { Data: withRefMarker(message.html, ref), Charset: 'UTF-8' },
            },
          },
          // SES publishes the tag with the mail's Send event: the ledger a retry asks (mail-ledger.ts).
          Tags: [{ Name: MAIL_REF_TAG, Value: ref }],
        }),
        { abortSignal: AbortSignal.timeout(SES_CALL_TIMEOUT_MS) },
      );
      messageId = sent.MessageId;
    }
  } catch (err) {
    stopRenewing();
    // A refusal (SES 4xx, an SMTP reply code) means nothing went; a timeout or a cut may have sent it.
    if (deps.smtp ? refusedBySmtp(err) : refusedBySes(err)) await release();
    throw err;
  }
  const sentAt = new Date().toISOString();
  await markSent(deps, Key, { messageId, sentAt }, { to: mail.to, subject: mail.subject }, false).finally(
    stopRenewing,
  );
  return { status: 'sent', messageId, sentAt };
}

/**
 * Marks the row sent, with `more` beside the message id and time. `ifPending`: only a row no
 * other attempt marked yet (the caller did not send the mail itself).
 */
async function markSent(
  deps: Pick<AwsDeps, 'ddb' | 'tables'>,
  Key: Record<string, AttributeValue>,
  sent: { messageId?: string | undefined; sentAt: string },
  more: Record<string, string | boolean>,
  ifPending: boolean,
): Promise<void> {
  const fields = Object.entries(more);
  await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key,
      UpdateExpression: `SET ${['#s = :sent', 'messageId = :m', 'sentAt = :at', ...fields.map((_, i) => `#f${i} = :f${i}`)].join(', ')} REMOVE leaseUntil`,
      ...(ifPending ? { ConditionExpression: '#s = :pending' } : {}),
      ExpressionAttributeNames: {
        '#s': 'status',
        ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
      },
      ExpressionAttributeValues: marshall({
        ':sent': 'sent',
        ':m': sent.messageId ?? '',
        ':at': sent.sentAt,
        ...(ifPending ? { ':pending': 'pending' } : {}),
        ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
      }),
    }),
  );
}

/** Until when the row's last attempt holds it; rows written before leases existed count from when they were written. */
function leaseEnd(row: OutboxRow, leaseMs: number): number {
  return row.leaseUntil ?? (Date.parse(row.createdAt ?? '') || 0) + leaseMs;
}

function refusedBySes(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
