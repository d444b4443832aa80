import type { TLSConfig } from '@temporalio/client';
import { ConfigError, type Env } from './config.ts';

/** Options accepted alike by the client's Connection and the worker's NativeConnection. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

// A PEM pasted into a one-line field often arrives with literal "\n" escapes.
const pem = (text: string): Buffer =>
  Buffer.from(text.includes('\n') ? text : text.replace(/\\n/g, '\n'), 'utf8');

export type TemporalAuth = 'api-key' | 'mtls' | 'none';

const host = (address: string) => address.replace(/:\d+$/, '').toLowerCase();
/** `<namespace>.<account>.tmprl.cloud`: the namespace endpoint, mTLS (and API keys only with High Availability). */
const isNamespaceEndpoint = (address: string) => host(address).endsWith('.tmprl.cloud');
/** `<region>.<cloud>.api.temporal.io`: the regional endpoint, API keys only. */
const isRegionalEndpoint = (address: string) => host(address).endsWith('.api.temporal.io');

/**
 * Why this Temporal Cloud address cannot work with this way of authenticating,
 * or undefined. Temporal Cloud answers a wrong pairing only with an
 * authentication error at the first call, so the processes (and the deploy)
 * check it up front and name the endpoint form that works.
 */
export function temporalEndpointProblem(
  address: string,
  auth: TemporalAuth,
  namespace: string,
  highAvailability = false,
): string | undefined {
  if (auth === 'api-key' && isNamespaceEndpoint(address) && !highAvailability)
    return (
      `TEMPORAL_ADDRESS: ${address} is the namespace's mTLS endpoint; with TEMPORAL_API_KEY use the ` +
      `regional endpoint <region>.<cloud>.api.temporal.io:7233 shown on the namespace's page ` +
      `(e.g. ap-southeast-1.aws.api.temporal.io:7233), or set TEMPORAL_HIGH_AVAILABILITY=true ` +
      `if the namespace has High Availability`
    );
  if (auth === 'mtls' && isRegionalEndpoint(address))
    return (
      `TEMPORAL_ADDRESS: ${address} is a regional endpoint, which takes API keys only; with ` +
      `TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY use the namespace endpoint <namespace>.<account>.tmprl.cloud:7233` +
      (namespace.includes('.') ? ` (${namespace}.tmprl.cloud:7233)` : '')
    );
  if (auth === 'none' && (isNamespaceEndpoint(address) || isRegionalEndpoint(address)))
    return `TEMPORAL_ADDRESS: ${address} is Temporal Cloud, which needs TEMPORAL_API_KEY or TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY`;
  return undefined;
}

/**
 * How to reach Temporal: plain gRPC for the local dev server; TLS with an API
 * key, or mutual TLS with a client certificate, for Temporal Cloud or a
 * secured self-hosted cluster. Exactly one way of authenticating, at an
 * endpoint that accepts it, or a ConfigError naming the variables.
 */
export function temporalConnectionOptions(env: Env): TemporalConnectionOptions {
  const { TEMPORAL_ADDRESS: address, TEMPORAL_API_KEY: apiKey } = env;
  const cert = env.TEMPORAL_TLS_CERT;
  const key = env.TEMPORAL_TLS_KEY;
  if (Boolean(cert) !== Boolean(key))
    throw new ConfigError(
      `Invalid configuration:\n  ${cert ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'}: mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY`,
    );
  if (apiKey && cert)
    throw new ConfigError(
      'Invalid configuration:\n  TEMPORAL_API_KEY: set either an API key or TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY, not both',
    );
  const auth: TemporalAuth = apiKey ? 'api-key' : cert ? 'mtls' : 'none';
  const problem = temporalEndpointProblem(
    address,
    auth,
    env.TEMPORAL_NAMESPACE,
    env.TEMPORAL_HIGH_AVAILABILITY,
  );
  if (problem) throw new ConfigError(`Invalid configuration:\n  ${problem}`);
  if (apiKey)
    // The namespace header routes API-key calls on Temporal Cloud's shared endpoints.
    return { address, tls: true, apiKey, metadata: { 'temporal-namespace': env.TEMPORAL_NAMESPACE } };
  if (cert && key) return { address, tls: { clientCertPair: { crt: pem(cert), key: pem(key) } } };
  // Case contents, names and signed steps would cross the network in the clear.
  if (env.RECTIFY_MODE === 'production' && !env.TEMPORAL_ALLOW_PLAINTEXT)
    throw new ConfigError(
      `Invalid configuration:\n  TEMPORAL_ADDRESS: RECTIFY_MODE=production refuses a plaintext connection to ${address}; ` +
        'set TEMPORAL_API_KEY or TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY, or TEMPORAL_ALLOW_PLAINTEXT=true for a ' +
        'cluster on a private network you trust',
    );
  return { address };
}
