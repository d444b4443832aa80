import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AwsDeps } from './clients.ts';

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
 * Sends one email at most once per outbox key: the row is written before
 * sending and marked sent after, so a retried activity skips what went out.
 * `prepare` runs only when the email still has to go (it may issue a link).
 * Links are never kept on the row, so the table holds no usable link: a retry
 * issues a fresh one, which supersedes any copy of the first that went out.
 */
export async function sendOnce(
  deps: Pick<AwsDeps, 'ddb' | 'ses' | 'tables' | 'mailFrom'>,
  outbox: OutboxKey,
  prepare: (previous: {
    link?: string | undefined;
  }) => Promise<OutgoingEmail & { link?: string | undefined }>,
): Promise<{ status: 'sent' | 'already_sent'; messageId?: string | undefined }> {
  const Key = marshall({ pk: `OUTBOX#${outbox.scope}`, sk: outbox.key });
  const existing = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key, ConsistentRead: true }),
  );
  const row = existing.Item
    ? (unmarshall(existing.Item) as { status: string; messageId?: string })
    : undefined;
  if (row?.status === 'sent') return { status: 'already_sent', messageId: row.messageId };
  if (!row) {
    // Claim the row before preparing: a link is issued only by the attempt that will send it.
    try {
      await deps.ddb.send(
        new PutItemCommand({
          TableName: deps.tables.ops,
          Item: { ...Key, ...marshall({ status: 'pending', createdAt: new Date().toISOString() }) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      // A concurrent attempt claimed the row first: let it (or the next retry) send.
      if (err instanceof ConditionalCheckFailedException)
        throw new Error(`outbox row ${outbox.key} is being sent by another attempt`);
      throw err;
    }
  }
  const mail = await prepare({});
  const sent = await deps.ses.send(
    new SendEmailCommand({
      Source: deps.mailFrom,
      Destination: { ToAddresses: [mail.to] },
      Message: {
        Subject: { Data: mail.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
      },
    }),
  );
  await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key,
      UpdateExpression: 'SET #s = :sent, messageId = :m, sentAt = :at, #to = :to, subject = :subj',
      ExpressionAttributeNames: { '#s': 'status', '#to': 'to' },
      ExpressionAttributeValues: marshall({
        ':sent': 'sent',
        ':m': sent.MessageId ?? '',
        ':at': new Date().toISOString(),
        ':to': mail.to,
        ':subj': mail.subject,
      }),
    }),
  );
  return { status: 'sent', messageId: sent.MessageId };
}
