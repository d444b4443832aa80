import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { recordSendEvent } from '../store/mail-ledger.ts';

/**
 * The mail-events function: EventBridge hands it SES's Send events of the mail configuration set
 * (infra/aws/mail-events.ts), and it records each outbox mail's ref so that a retry of a mail
 * whose worker died mid-send asks before sending it again (store/outbox.ts).
 */
const env = z.object({ TABLE_OPS: z.string().min(1), AWS_REGION: z.string().min(1) }).parse(process.env);
const deps = { ddb: new DynamoDBClient({ region: env.AWS_REGION }), tables: { ops: env.TABLE_OPS } };

export async function handler(event: unknown): Promise<{ recorded: string | null }> {
  return { recorded: (await recordSendEvent(deps, event)) ?? null };
}
