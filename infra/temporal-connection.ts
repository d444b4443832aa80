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

/**
 * How to reach Temporal: plain gRPC for the local dev server; TLS with an API
 * key, or mutual TLS with a client certificate, for Temporal Cloud or a
 * secured self-hosted cluster. Exactly one way of authenticating, or a
 * ConfigError naming the variables.
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
  if (apiKey)
    // The namespace header routes API-key calls on Temporal Cloud's shared endpoints.
    return { address, tls: true, apiKey, metadata: { 'temporal-namespace': env.TEMPORAL_NAMESPACE } };
  if (cert && key) return { address, tls: { clientCertPair: { crt: pem(cert), key: pem(key) } } };
  return { address };
}
