import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import type { Env } from '../infra/config.ts';
import { anchorObjectStore, type AnchorObjectStore } from './anchor-objects.ts';
import { emulatorLedger, sesEventLedger, type SentLedger } from './mail-ledger.ts';
import { smtpSender, type SmtpSender } from './smtp.ts';

export interface TableNames {
  cases: string;
  audit: string;
  directory: string;
  ops: string;
}

/** The AWS clients and names every adapter needs: built once per process. */
export interface AwsDeps {
  ddb: DynamoDBClient;
  ses: SESClient;
  tables: TableNames;
  mailFrom: string;
  /** Set when mail goes through the school's SMTP relay instead of SES (MAIL_TRANSPORT=smtp). */
  smtp?: SmtpSender | undefined;
  /**
   * What the mail service says it accepted, for an outbox row whose attempt died mid-send: the
   * emulator's mailbox locally, SES's Send events on AWS. Unset with SMTP (no such record).
   */
  sentLedger?: SentLedger | undefined;
  /** Set when sealed anchors are also written to an Object Lock bucket (ANCHOR_BUCKET). */
  anchorObjects?: AnchorObjectStore | undefined;
}

// Local emulators accept any credentials; real AWS uses the default chain.
const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** `maxAttempts`: fewer retries where a quick answer matters more (a CLI probing a stack that may be down). */
export function createAwsDeps(env: Env, opts: { maxAttempts?: number } = {}): AwsDeps {
  const ddb = new DynamoDBClient({
    region: env.AWS_REGION,
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT, credentials: localCredentials } : {}),
  });
  const ses = new SESClient({
    region: env.AWS_REGION,
    ...(env.SES_ENDPOINT ? { endpoint: env.SES_ENDPOINT, credentials: localCredentials } : {}),
  });
  const tables = {
    cases: env.TABLE_CASES,
    audit: env.TABLE_AUDIT,
    directory: env.TABLE_DIRECTORY,
    ops: env.TABLE_OPS,
  };
  const smtp =
    env.MAIL_TRANSPORT === 'smtp' && env.SMTP_URL ? smtpSender(env.SMTP_URL, env.SMTP_TLS) : undefined;
  return {
    ddb,
    ses,
    tables,
    mailFrom: env.MAIL_FROM,
    ...(smtp
      ? { smtp }
      : {
          sentLedger: env.SES_ENDPOINT ? emulatorLedger(env.SES_ENDPOINT) : sesEventLedger({ ddb, tables }),
        }),
    ...(env.ANCHOR_BUCKET
      ? { anchorObjects: anchorObjectStore({ ...env, ANCHOR_BUCKET: env.ANCHOR_BUCKET }) }
      : {}),
  };
}
