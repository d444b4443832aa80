import type { Env } from '../config.ts';
import type { Mail } from './email.ts';
import type { Secrets } from './secrets.ts';
import type { DeploySettings } from './settings.ts';
import type { Storage } from './storage.ts';

export interface RuntimeResources {
  storage: Storage;
  mail: Mail;
  secrets: Secrets;
  settings: DeploySettings;
}

/**
 * The environment the API and the worker run with on AWS: every name comes
 * from a resource's output, every credential from a secret, and the same
 * infra/config.ts parseEnv validates it at boot as it does locally.
 * (AWS_REGION is the Lambda's and the task's own; Lambda reserves it.)
 */
export function runtimeEnvironment(
  r: RuntimeResources,
  publicBaseUrl?: $util.Input<string>,
): Partial<Record<keyof Env, $util.Input<string>>> {
  return {
    RECTIFY_MODE: 'production',
    TABLE_CASES: r.storage.cases.name,
    TABLE_AUDIT: r.storage.audit.name,
    TABLE_DIRECTORY: r.storage.directory.name,
    TABLE_OPS: r.storage.ops.name,
    MAIL_FROM: r.mail.from,
    CAMPUS_TZ: r.settings.campusTimeZone,
    TEMPORAL_ADDRESS: r.secrets.temporalAddress.value,
    TEMPORAL_NAMESPACE: r.secrets.temporalNamespace.value,
    TEMPORAL_API_KEY: r.secrets.temporalApiKey.value,
    TEMPORAL_TLS_CERT: r.secrets.temporalTlsCert.value,
    TEMPORAL_TLS_KEY: r.secrets.temporalTlsKey.value,
    TEMPORAL_UI_URL:
      r.settings.temporalUiUrl ??
      r.secrets.temporalNamespace.value.apply((ns) => `https://cloud.temporal.io/namespaces/${ns}`),
    LINK_SIGNING_KEYS: r.secrets.linkSigningKeys.value,
    JWKS_URL: r.secrets.jwksUrl.value,
    JWT_ISSUER: r.secrets.jwtIssuer.value,
    JWT_AUDIENCE: r.secrets.jwtAudience.value,
    OIDC_ISSUER: r.secrets.oidcIssuer.value,
    OIDC_CLIENT_ID: r.secrets.oidcClientId.value,
    OIDC_CLIENT_SECRET: r.secrets.oidcClientSecret.value,
    ...(publicBaseUrl ? { PUBLIC_BASE_URL: publicBaseUrl } : {}),
  };
}

/** What both processes link: the tables, the mail identity and configuration set, and every secret. */
export function runtimeLinks(r: RuntimeResources): unknown[] {
  return [...Object.values(r.storage), r.mail.identity, r.mail.configSetLink, ...Object.values(r.secrets)];
}
