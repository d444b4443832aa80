import type { Env } from '../config.ts';
import { SECRET_PARAMETERS } from '../secrets-fetch.ts';
import { temporalEndpointProblem } from '../temporal-connection.ts';
import type { Mail } from './email.ts';
import type { Secrets } from './secrets.ts';
import type { DeploySettings } from './settings.ts';
import type { Buckets, Storage } from './storage.ts';

export interface RuntimeResources {
  storage: Storage;
  buckets: Buckets;
  mail: Mail;
  secrets: Secrets;
  settings: DeploySettings;
}

/** Variables the deploy sets: the parsed configuration's, the bucket names, and the Lambda's secret references. */
type RuntimeVariable = keyof Env | 'EVIDENCE_BUCKET' | 'ANCHOR_BUCKET' | typeof SECRET_PARAMETERS;

/**
 * The Temporal address, checked at deploy against the way of authenticating
 * (the processes check it again at boot): a wrong endpoint stops the deploy
 * naming the right form instead of deploying a worker that exits at start.
 */
function checkedTemporalAddress(r: RuntimeResources) {
  const { temporalAddress, temporalNamespace } = r.secrets.config;
  const auth = r.settings.temporalAuth;
  return temporalNamespace.value.apply((namespace) =>
    temporalAddress.value.apply((address) => {
      const problem = temporalEndpointProblem(address, auth, namespace, r.settings.temporalHighAvailability);
      if (problem)
        throw new Error(
          `Temporal endpoint (RECTIFY_TEMPORAL_AUTH=${auth}): ${problem
            .replace(/^TEMPORAL_ADDRESS/, 'the TemporalAddress secret')
            .replace('TEMPORAL_HIGH_AVAILABILITY', 'RECTIFY_TEMPORAL_HIGH_AVAILABILITY')}`,
        );
      return address;
    }),
  );
}

/**
 * The calendar file both processes read, relative to their working directory: the worker
 * image copies infra/ to /app, the API Lambda gets it through `copyFiles`.
 */
export const DEPLOYED_CALENDAR_FILE = 'infra/calendar.txt';

/**
 * The plain environment the API and the worker run with on AWS: every name
 * comes from a resource's output, every setting from the deploy, and the same
 * infra/config.ts parseEnv validates it at boot as it does locally. No
 * credential is among these values: see taskSecretReferences and
 * functionSecretReferences below.
 * (AWS_REGION is the Lambda's and the task's own; Lambda reserves it.)
 */
export function runtimeEnvironment(
  r: RuntimeResources,
  publicBaseUrl?: $util.Input<string>,
): Partial<Record<RuntimeVariable, $util.Input<string>>> {
  const { config } = r.secrets;
  return {
    RECTIFY_MODE: 'production',
    TABLE_CASES: r.storage.cases.name,
    TABLE_AUDIT: r.storage.audit.name,
    TABLE_DIRECTORY: r.storage.directory.name,
    TABLE_OPS: r.storage.ops.name,
    EVIDENCE_BUCKET: r.buckets.evidence.name,
    ANCHOR_BUCKET: r.buckets.anchors.name,
    MAIL_FROM: r.mail.from,
    ...(r.settings.mailTransport === 'smtp'
      ? { MAIL_TRANSPORT: 'smtp', SMTP_TLS: r.settings.mailTlsPolicy === 'OPTIONAL' ? 'optional' : 'require' }
      : {}),
    CAMPUS_TZ: r.settings.campusTimeZone,
    CALENDAR_FILE: DEPLOYED_CALENDAR_FILE,
    TEMPORAL_ADDRESS: checkedTemporalAddress(r),
    TEMPORAL_NAMESPACE: config.temporalNamespace.value,
    ...(r.settings.temporalHighAvailability ? { TEMPORAL_HIGH_AVAILABILITY: 'true' } : {}),
    TEMPORAL_UI_URL:
      r.settings.temporalUiUrl ??
      config.temporalNamespace.value.apply((ns) => `https://cloud.temporal.io/namespaces/${ns}`),
    JWKS_URL: config.jwksUrl.value,
    JWT_ISSUER: config.jwtIssuer.value,
    JWT_AUDIENCE: config.jwtAudience.value,
    OIDC_ISSUER: config.oidcIssuer.value,
    OIDC_CLIENT_ID: config.oidcClientId.value,
    ...(publicBaseUrl ? { PUBLIC_BASE_URL: publicBaseUrl } : {}),
  };
}

/**
 * The schedule settings the API's pages show (the weekly build's time), exactly as the worker
 * is given them: a deploy that moves the weekly build must not leave the page on the default.
 */
export function pageScheduleEnvironment(r: RuntimeResources): Partial<Record<RuntimeVariable, string>> {
  const weekly = r.settings.schedules.WEEKLY_FEEDBACK_CRON;
  return weekly ? { WEEKLY_FEEDBACK_CRON: weekly } : {};
}

/**
 * The worker's credentials as ECS task-definition `secrets`: variable →
 * parameter ARN. ECS (the task's execution role) reads them when a task
 * starts and sets them in the container; the task definition holds only ARNs.
 */
export function taskSecretReferences(r: RuntimeResources): Record<string, $util.Input<string>> {
  return Object.fromEntries(r.secrets.stored.map((s) => [s.variable, s.parameter.arn]));
}

/**
 * The Lambda's credentials: variable → parameter name, in one variable the
 * function resolves at its cold start (infra/secrets-fetch.ts), with
 * permission to read exactly these parameters.
 */
export function functionSecretReferences(r: RuntimeResources) {
  return {
    environment: {
      [SECRET_PARAMETERS]: JSON.stringify(
        Object.fromEntries(r.secrets.stored.map((s) => [s.variable, s.parameterName])),
      ),
    },
    permission: {
      actions: ['ssm:GetParameters'],
      // The ARNs (outputs) also make the function wait for its parameters to exist.
      resources: r.secrets.stored.map((s) => s.parameter.arn),
    },
  };
}

/**
 * What the API may do to the audit table: read it. The trail and the anchors are written only by
 * the worker's activities, so a leaked or compromised function cannot rewrite history.
 */
export const AUDIT_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable',
];

/**
 * The API's links: the worker's, less the audit table (read-only, by `auditReadPermission`) and
 * the anchor bucket (the API never reads or writes anchors there).
 */
export function apiLinks(r: RuntimeResources): unknown[] {
  return runtimeLinks(r).filter((c) => c !== r.storage.audit && c !== r.buckets.anchors);
}

export function auditReadPermission(r: RuntimeResources) {
  const arn = r.storage.audit.arn;
  return { actions: AUDIT_READ_ACTIONS, resources: [arn, arn.apply((a) => `${a}/index/*`)] };
}

/** What both processes link: the tables, the buckets, the mail identity and configuration set (never a secret). */
export function runtimeLinks(r: RuntimeResources): unknown[] {
  return [
    ...Object.values(r.storage),
    r.buckets.evidence,
    r.buckets.anchors,
    r.mail.identity,
    r.mail.configSetLink,
  ];
}
