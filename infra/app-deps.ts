import { Client, Connection } from '@temporalio/client';
import { createAwsDeps } from '../store/clients.ts';
import type { AppDeps } from '../api/deps.ts';
import type { SigningKeys } from '../domain/link-token.ts';
import { ConfigError, parseEnv, type Env } from './config.ts';
import { temporalConnectionOptions } from './temporal-connection.ts';

/** The link-signing keys, which every deployed process needs (only `npm start` generates its own). */
export function requireSigningKeys(env: Env): SigningKeys {
  if (!env.LINK_SIGNING_KEYS)
    throw new ConfigError(
      'Invalid configuration:\n  LINK_SIGNING_KEYS: required (sst secret set LinkSigningKeys \'{"current":"k1","keys":{"k1":"…"}}\')',
    );
  return env.LINK_SIGNING_KEYS;
}

/**
 * Everything the HTTP app needs, from the environment: parsed once, one
 * Temporal client for the process. `fallbackBaseUrl` is the address the
 * process was reached at, used when PUBLIC_BASE_URL is not configured.
 */
export async function appDepsFromEnv(
  source: Record<string, string | undefined>,
  fallbackBaseUrl?: string,
): Promise<AppDeps> {
  const env = parseEnv({ ...source, PUBLIC_BASE_URL: source.PUBLIC_BASE_URL || fallbackBaseUrl });
  const signingKeys = requireSigningKeys(env);
  const publicBaseUrl = env.PUBLIC_BASE_URL;
  if (!publicBaseUrl) throw new ConfigError('Invalid configuration:\n  PUBLIC_BASE_URL: required');
  const connection = await Connection.connect(temporalConnectionOptions(env));
  return {
    env,
    aws: createAwsDeps(env),
    temporal: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }),
    signingKeys,
    jwtSecret: env.JWT_SECRET,
    publicBaseUrl,
    temporalUiUrl: env.TEMPORAL_UI_URL,
  };
}
