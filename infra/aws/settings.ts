import { z } from 'zod';
import { ConfigError, timeZoneSetting } from '../config.ts';

/**
 * What a school decides once per stage, read from the deployer's environment
 * when `sst deploy` runs (secrets live in `sst secret`, not here). Parsed with
 * zod so a missing or malformed value stops the deploy naming the variable.
 */
const domain = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
    'must be a domain name such as hq.example.edu.cn',
  );

export const deploySettingsSchema = z
  .object({
    /** The SES identity: every address of this domain may send once it is verified. */
    RECTIFY_MAIL_DOMAIN: domain,
    /** Sender address; defaults to rectify@<RECTIFY_MAIL_DOMAIN>. */
    RECTIFY_MAIL_FROM: z.email().optional(),
    /** A Route 53 hosted zone id for the mail domain: SST then writes the DKIM and DMARC records itself. */
    RECTIFY_ROUTE53_ZONE: z.string().min(1).optional(),
    /** The address people reach the API at (a custom domain in front of it); defaults to the Lambda function URL. */
    RECTIFY_PUBLIC_URL: z.url().optional(),
    /** Where the Temporal Web UI shows this namespace; defaults to Temporal Cloud's page for it. */
    RECTIFY_TEMPORAL_UI_URL: z.url().optional(),
    CAMPUS_TZ: timeZoneSetting(),
    /** Upper bound of worker tasks when CPU or memory runs high. */
    RECTIFY_WORKER_MAX: z.coerce.number().int().min(1).max(50).default(4),
    /**
     * SES's TLS policy for delivery: `require` (default) holds mail for a receiving server that
     * offers no STARTTLS, and gives up after SES's retries; `optional` delivers in plain text then.
     */
    RECTIFY_MAIL_TLS_POLICY: z.enum(['require', 'optional']).default('require'),
    /**
     * `ses` (default), or `smtp`: the school's own relay (SES is not offered in the AWS China
     * regions). With `smtp` the deploy requires the secret `SmtpUrl`, and RECTIFY_MAIL_TLS_POLICY
     * decides whether the relay must offer STARTTLS.
     */
    RECTIFY_MAIL_TRANSPORT: z.enum(['ses', 'smtp']).default('ses'),
    /** How the processes authenticate to Temporal: decides which credential secrets the deploy requires. */
    RECTIFY_TEMPORAL_AUTH: z.enum(['api-key', 'mtls']).default('api-key'),
    /** The namespace has High Availability: API keys then go to its namespace endpoint. */
    RECTIFY_TEMPORAL_HIGH_AVAILABILITY: z.enum(['true', 'false']).default('false'),
    /** Days each audit anchor stays undeletable (S3 Object Lock, compliance mode: nobody can shorten it). */
    RECTIFY_ANCHOR_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  })
  .refine(
    (s) =>
      !s.RECTIFY_MAIL_FROM ||
      s.RECTIFY_MAIL_FROM.toLowerCase().endsWith(`@${s.RECTIFY_MAIL_DOMAIN.toLowerCase()}`),
    {
      path: ['RECTIFY_MAIL_FROM'],
      message: 'must be an address of RECTIFY_MAIL_DOMAIN (SES sends only from verified identities)',
    },
  );

/**
 * Schedule settings the worker applies at start (validated there, by infra/schedules.ts; a unit
 * test keeps this list equal to the variables that file reads).
 */
export const SCHEDULE_VARIABLES = [
  'WEEKLY_FEEDBACK_CRON',
  'DAILY_BRIEF_CRON',
  'AUDIT_ANCHOR_CRON',
  'CALENDAR_WATCH_CRON',
  'FEEDBACK_SEND_RATE',
] as const;

export interface DeploySettings {
  mailDomain: string;
  mailFrom: string;
  route53Zone?: string | undefined;
  publicUrl?: string | undefined;
  temporalUiUrl?: string | undefined;
  campusTimeZone: string;
  workerMax: number;
  mailTlsPolicy: 'REQUIRE' | 'OPTIONAL';
  /** SES, or the school's SMTP relay (secret SmtpUrl). */
  mailTransport: 'ses' | 'smtp';
  temporalAuth: 'api-key' | 'mtls';
  temporalHighAvailability: boolean;
  /** Unset: ten years in a protected (production) stage, one day in any other. */
  anchorRetentionDays?: number | undefined;
  /** Passed through to the worker as they are set here. */
  schedules: Partial<Record<(typeof SCHEDULE_VARIABLES)[number], string>>;
}

/** Parses the deploy-time settings; throws a ConfigError naming each bad variable. */
export function deploySettings(source: Record<string, string | undefined> = process.env): DeploySettings {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = deploySettingsSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid deploy settings:\n${lines.join('\n')}`);
  }
  const s = result.data;
  return {
    mailDomain: s.RECTIFY_MAIL_DOMAIN.toLowerCase(),
    mailFrom: s.RECTIFY_MAIL_FROM ?? `rectify@${s.RECTIFY_MAIL_DOMAIN.toLowerCase()}`,
    route53Zone: s.RECTIFY_ROUTE53_ZONE,
    publicUrl: s.RECTIFY_PUBLIC_URL?.replace(/\/+$/, ''),
    temporalUiUrl: s.RECTIFY_TEMPORAL_UI_URL,
    campusTimeZone: s.CAMPUS_TZ,
    workerMax: s.RECTIFY_WORKER_MAX,
    mailTlsPolicy: s.RECTIFY_MAIL_TLS_POLICY === 'optional' ? 'OPTIONAL' : 'REQUIRE',
    mailTransport: s.RECTIFY_MAIL_TRANSPORT,
    temporalAuth: s.RECTIFY_TEMPORAL_AUTH,
    temporalHighAvailability: s.RECTIFY_TEMPORAL_HIGH_AVAILABILITY === 'true',
    anchorRetentionDays: s.RECTIFY_ANCHOR_RETENTION_DAYS,
    schedules: Object.fromEntries(
      SCHEDULE_VARIABLES.flatMap((k) => (cleaned[k] ? [[k, cleaned[k]]] : [])),
    ) as DeploySettings['schedules'],
  };
}
