import { z } from 'zod';
import { isWorkingHours } from '../domain/quiet-hours.ts';

/**
 * The environment, parsed once at boot. The same code runs locally and on AWS:
 * only these values differ. Defaults are the embedded local stack's.
 */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

// Endpoints must be full http(s) URLs: `localhost:8000` alone parses as a URL with scheme `localhost:`.
const httpUrl = () =>
  z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://localhost:8000' });

/** An IANA time zone (the campus's), checked against what this runtime's Intl knows. */
export const timeZoneSetting = () =>
  z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Shanghai');

const signingKeys = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be JSON like {"current":"k1","keys":{"k1":"<secret>"}}',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z.object({
      current: z.string().min(1),
      keys: z.record(z.string(), z.string().min(32, 'each signing secret needs at least 32 characters')),
    }),
  )
  .refine((v) => v.current in v.keys, 'current must name one of keys');

/** A five-field cron (minute hour day month weekday): the schedules' times, in CAMPUS_TZ. */
export const CRON = /^\s*\S+(\s+\S+){4}\s*$/;
export const cronSetting = () => z.string().regex(CRON, 'must be a five-field cron like "0 8 * * 1"');

export const envSchema = z.object({
  RECTIFY_MODE: z.enum(['local', 'production']).default('local'),
  PORT: port(3000),
  PUBLIC_BASE_URL: httpUrl().optional(),
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('rectify'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  // mTLS to Temporal Cloud or a self-hosted cluster: PEM text of the client certificate and its key.
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  // A Temporal Cloud namespace with High Availability takes API keys at its namespace endpoint too.
  TEMPORAL_HIGH_AVAILABILITY: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  // Production refuses a plaintext connection to Temporal unless told so (a cluster on a private
  // network of the school's own, or the tests' local dev server).
  TEMPORAL_ALLOW_PLAINTEXT: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  // How many proxies in front of the API append to X-Forwarded-For. 0: the header is ignored (a
  // client can write anything in it) and the socket's address counts; on Lambda the function URL's
  // source address counts whatever this says.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // A prebuilt workflow bundle (npm run build:workflows); absent = bundle at worker start.
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  TEMPORAL_UI_URL: httpUrl().default('http://localhost:8233'),
  AWS_REGION: z.string().min(1).default('ap-east-1'),
  DYNAMODB_ENDPOINT: httpUrl().optional(),
  SES_ENDPOINT: httpUrl().optional(),
  // The evidence store (photos, files): a private S3 bucket; locally the S3-compatible server npm start runs.
  S3_ENDPOINT: httpUrl().optional(),
  EVIDENCE_BUCKET: z.string().min(3).max(63).default('rectify-evidence'),
  // The Object Lock (compliance mode) bucket each sealed anchor is also written to; unset: none.
  ANCHOR_BUCKET: z.string().min(3).max(63).optional(),
  // Only beside S3_ENDPOINT (the local server's generated keys); on AWS the default credential chain.
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Long audit reads run as jobs on the worker: how many at once in all, and per person.
  AUDIT_JOBS_MAX_RUNNING: z.coerce.number().int().min(1).max(100).default(4),
  AUDIT_JOBS_MAX_PER_PERSON: z.coerce.number().int().min(1).max(20).default(2),
  TABLE_CASES: z.string().min(1).default('rectify-cases'),
  TABLE_AUDIT: z.string().min(1).default('rectify-audit'),
  TABLE_DIRECTORY: z.string().min(1).default('rectify-directory'),
  TABLE_OPS: z.string().min(1).default('rectify-ops'),
  MAIL_FROM: z.email().default('rectify@campus.example.edu.cn'),
  // SES, or the school's own SMTP relay (SES is not offered in the AWS China regions).
  MAIL_TRANSPORT: z.enum(['ses', 'smtp']).default('ses'),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'must be smtp://user:password@host:587 or smtps://…:465' })
    .optional(),
  // `require`: refuse a relay without STARTTLS; `optional` for campus relays that lack it.
  SMTP_TLS: z.enum(['require', 'optional']).default('require'),
  // Whether a scanned-code report may leave out name and contact (the school's choice).
  INTAKE_ALLOW_ANONYMOUS: z.enum(['true', 'false']).default('true'),
  // Scanned-code reports kept per hour from one client address and per place. A campus whose
  // students reach the server through a few NAT addresses raises the first.
  INTAKE_REPORTS_PER_ADDRESS_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
  INTAKE_REPORTS_PER_PLACE_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  CAMPUS_TZ: timeZoneSetting(),
  // The weekly build's schedule when the deployment moves it: the worker schedules it
  // (infra/schedules.ts) and the API's pages say when the next report is built from it, so
  // both processes are given it (infra/aws/api.ts, npm start) and parse it alike.
  WEEKLY_FEEDBACK_CRON: cronSetting().optional(),
  // A supervisor's review requests after the first within this many minutes come as one digest
  // at the window's end (activities/review-digest.ts); 0 mails each at once.
  REVIEW_DIGEST_MINUTES: z.coerce.number().int().min(0).max(240).default(15),
  // The school's calendar file (infra/calendar.ts); locally infra/local/calendar.txt when unset.
  CALENDAR_FILE: z.string().trim().min(1).optional(),
  // Campus working hours: reminders and escalations wait for them (domain/quiet-hours.ts).
  WORKING_HOURS: z
    .string()
    .trim()
    .default('08:00-20:00')
    .transform((raw, ctx) => {
      const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(raw);
      const hours = { from: m?.[1] ?? '', to: m?.[2] ?? '' };
      if (!m || !isWorkingHours(hours)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be HH:mm-HH:mm, the start earlier, like 08:00-20:00 (00:00-24:00: never held)',
        });
        return z.NEVER;
      }
      return hours;
    }),
  LINK_SIGNING_KEYS: signingKeys.optional(),
  JWT_SECRET: z.string().min(32).optional(),
  JWKS_URL: httpUrl().optional(),
  // Production tokens must come from the school's identity provider and be meant for this API:
  // the key set alone would also accept tokens it issued to any other application.
  JWT_ISSUER: z.string().trim().min(1).optional(),
  JWT_AUDIENCE: z
    .string()
    .transform((raw) =>
      raw
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a.length > 0),
    )
    .pipe(z.array(z.string()).min(1, 'must name at least one audience (comma-separated)'))
    .optional(),
  // Web sign-in (OpenID Connect, code flow + PKCE): the school's identity provider in production;
  // locally npm start runs its own provider and sets these.
  OIDC_ISSUER: httpUrl().optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  // The ID token claim holding the directory person id (some schools put the staff number elsewhere).
  OIDC_PERSON_CLAIM: z.string().trim().min(1).default('sub'),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const isHttpsOrLoopback = (url: string): boolean => {
  const u = new URL(url);
  return u.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
};

/** Parses the environment; throws a ConfigError naming each bad variable and what it expected. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = result.data;
  if (env.MAIL_TRANSPORT === 'smtp' && !env.SMTP_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  SMTP_URL: required when MAIL_TRANSPORT=smtp (smtp://user:password@relay.campus.edu.cn:587)',
    );
  }
  if (env.RECTIFY_MODE === 'production') {
    const missing = (
      [
        'LINK_SIGNING_KEYS',
        'JWKS_URL',
        'JWT_ISSUER',
        'JWT_AUDIENCE',
        'PUBLIC_BASE_URL',
        'OIDC_ISSUER',
        'OIDC_CLIENT_ID',
        'OIDC_CLIENT_SECRET',
      ] as const
    ).filter((k) => !env[k]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((k) => `  ${k}: required when RECTIFY_MODE=production`).join('\n')}`,
      );
    }
    // The keys every bearer token is checked against must not be swappable on the way: https, or
    // a provider on this very machine.
    if (env.JWKS_URL && !isHttpsOrLoopback(env.JWKS_URL)) {
      throw new ConfigError(
        'Invalid configuration:\n  JWKS_URL: must be an https URL when RECTIFY_MODE=production',
      );
    }
    // Sign-in codes and ID tokens must not cross the network in the clear.
    if (env.OIDC_ISSUER && !env.OIDC_ISSUER.startsWith('https:')) {
      throw new ConfigError(
        'Invalid configuration:\n  OIDC_ISSUER: must be an https URL when RECTIFY_MODE=production',
      );
    }
  }
  return env;
}
