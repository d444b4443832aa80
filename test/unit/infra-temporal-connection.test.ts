import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../infra/config.ts';
import { temporalConnectionOptions } from '../../infra/temporal-connection.ts';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
const cloud = { TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct' };

describe('temporalConnectionOptions', () => {
  it('talks plain gRPC to the local dev server', () => {
    expect(temporalConnectionOptions(parseEnv({}))).toEqual({ address: 'localhost:7233' });
  });

  it('uses TLS and the API key for Temporal Cloud, routing by namespace', () => {
    expect(temporalConnectionOptions(parseEnv({ ...cloud, TEMPORAL_API_KEY: 'key-1' }))).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      tls: true,
      apiKey: 'key-1',
      metadata: { 'temporal-namespace': 'ns.acct' },
    });
  });

  it('uses mutual TLS with the client certificate and key', () => {
    const opts = temporalConnectionOptions(
      parseEnv({ ...cloud, TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY }),
    );
    expect(opts.apiKey).toBeUndefined();
    const tls = opts.tls as { clientCertPair: { crt: Buffer; key: Buffer } };
    expect(tls.clientCertPair.crt.toString()).toBe(CERT);
    expect(tls.clientCertPair.key.toString()).toBe(KEY);
  });

  it('accepts a PEM pasted on one line with \\n escapes', () => {
    const opts = temporalConnectionOptions(
      parseEnv({ ...cloud, TEMPORAL_TLS_CERT: CERT.replace(/\n/g, '\\n'), TEMPORAL_TLS_KEY: KEY }),
    );
    const tls = opts.tls as unknown as { clientCertPair: { crt: Buffer } };
    expect(tls.clientCertPair.crt.toString()).toBe(CERT);
  });

  it('names the missing half of an mTLS pair', () => {
    expect(() => temporalConnectionOptions(parseEnv({ ...cloud, TEMPORAL_TLS_CERT: CERT }))).toThrow(
      /TEMPORAL_TLS_KEY/,
    );
    expect(() => temporalConnectionOptions(parseEnv({ ...cloud, TEMPORAL_TLS_KEY: KEY }))).toThrow(
      /TEMPORAL_TLS_CERT/,
    );
  });

  it('refuses an API key and a certificate at once', () => {
    const env = parseEnv({ ...cloud, TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY });
    expect(() => temporalConnectionOptions(env)).toThrow(ConfigError);
  });
});
