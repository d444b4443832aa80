import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { MAIL_REF_TAG, refInHtml } from '../domain/mail-ref.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableNames } from './clients.ts';
import { opsKey } from './keys.ts';
import { expiresAfterDays, OUTBOX_ROWS_KEPT_DAYS } from './tables.ts';

/**
 * The mail service's own record of what it accepted, asked by ref (domain/mail-ref.ts) when an
 * outbox row is left unsure: its last attempt died after claiming it and before marking it sent.
 */
export interface SentLedger {
  /** The mail the service accepted under this ref, or undefined when it has no record of one. */
  wasSent(ref: string): Promise<{ messageId?: string | undefined } | undefined>;
}

/** The ledger on AWS reads and writes only the ops table. */
export interface MailLedgerDeps {
  ddb: DynamoDBClient;
  tables: Pick<TableNames, 'ops'>;
}

/**
 * On AWS: SES publishes a Send event for every mail of the identity's configuration set to
 * EventBridge (infra/aws/email.ts), and the mail-events function writes one row per ref
 * (`recordSendEvent`). Events are best effort and take seconds; one that never comes, or comes
 * after the dead attempt's lease lapsed, leaves the mail sent again (at least once, never lost).
 */
export function sesEventLedger(deps: MailLedgerDeps): SentLedger {
  return {
    async wasSent(ref) {
      const out = await deps.ddb.send(
        new GetItemCommand({
          TableName: deps.tables.ops,
          Key: marshall(opsKey.mailSent(ref)),
          ConsistentRead: true,
        }),
      );
      if (!out.Item) return undefined;
      const row = unmarshall(out.Item) as { messageId?: unknown };
      return { messageId: typeof row.messageId === 'string' ? row.messageId : undefined };
    },
  };
}

// What SES puts on the default bus for a Send event (only the fields read here).
const sesSendEvent = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      messageId: z.string().min(1),
      timestamp: z.string().optional(),
      tags: z.record(z.string(), z.array(z.string())).optional(),
    }),
  }),
});

/**
 * Records SES's Send event of an outbox mail. Returns the ref recorded, or undefined for an event
 * that is not one (another event type, a mail without our tag): those are ignored, not errors,
 * since the rule may deliver more than it needs to.
 */
export async function recordSendEvent(deps: MailLedgerDeps, event: unknown): Promise<string | undefined> {
  const parsed = sesSendEvent.safeParse(event);
  if (!parsed.success || parsed.data.detail.eventType !== 'Send') return undefined;
  const { mail } = parsed.data.detail;
  const ref = mail.tags?.[MAIL_REF_TAG]?.[0];
  if (!ref || !/^[0-9a-f]{32}$/.test(ref)) return undefined;
  // Written whole each time: a repeated event (EventBridge delivers at least once) changes nothing.
  await deps.ddb.send(
    new PutItemCommand({
      TableName: deps.tables.ops,
      Item: marshall({
        ...opsKey.mailSent(ref),
        messageId: mail.messageId,
        sentAt: mail.timestamp ?? new Date().toISOString(),
        // Kept as long as the outbox row it answers for.
        ...expiresAfterDays(OUTBOX_ROWS_KEPT_DAYS),
      }),
    }),
  );
  return ref;
}

const emulatorStore = z.object({
  emails: z.array(
    z.object({
      messageId: z.string().optional(),
      body: z.object({ html: z.string().optional() }).partial().optional(),
    }),
  ),
});

/**
 * Locally: the SES emulator publishes no events, but it keeps every mail it accepted (before it
 * answers, and across a crash of `npm start`: infra/local/servers.ts), and the ref travels in
 * the HTML. Its mailbox is the same record SES's events are in production.
 */
export function emulatorLedger(sesEndpoint: string): SentLedger {
  return {
    async wasSent(ref) {
      const res = await fetch(new URL('/store', sesEndpoint), { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`the SES emulator's mailbox answered ${res.status}`);
      const { emails } = emulatorStore.parse(await res.json());
      const found = emails.find((e) => refInHtml(e.body?.html) === ref);
      return found ? { messageId: found.messageId } : undefined;
    },
  };
}
