import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../infra/config.ts';
import { temporalConnectionOptions, temporalEndpointProblem } from '../../infra/temporal-connection.ts';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
// Temporal Cloud's two endpoint forms: the namespace endpoint (mTLS) and the regional one (API keys).
const cloud = { TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct' };
const regional = {
  TEMPORAL_ADDRESS: 'ap-southeast-1.aws.api.temporal.io:7233',
  TEMPORAL_NAMESPACE: 'ns.acct',
};

describe('temporalConnectionOptions', () => {
  it('talks plain gRPC to the local dev server', () => {
    expect(temporalConnectionOptions(parseEnv({}))).toEqual({ address: 'localhost:7233' });
  });

  it('uses TLS and the API key for Temporal Cloud, routing by namespace', () => {
    expect(temporalConnectionOptions(parseEnv({ ...regional, TEMPORAL_API_KEY: 'key-1' }))).toEqual({
      address: 'ap-southeast-1.aws.api.temporal.io:7233',
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

  describe('in production, plaintext only when explicitly allowed', () => {
    const production = {
      RECTIFY_MODE: 'production',
      TEMPORAL_ADDRESS: 'temporal.campus.internal:7233',
      LINK_SIGNING_KEYS: JSON.stringify({ current: 'k1', keys: { k1: 'x'.repeat(32) } }),
      JWKS_URL: 'https://idp.example.edu.cn/.well-known/jwks.json',
      JWT_ISSUER: 'https://idp.example.edu.cn',
      JWT_AUDIENCE: 'rectify',
      PUBLIC_BASE_URL: 'https://rectify.example.edu.cn',
      OIDC_ISSUER: 'https://idp.example.edu.cn',
      OIDC_CLIENT_ID: 'rectify-web',
      OIDC_CLIENT_SECRET: 'secret',
    };

    it('refuses a connection without TLS, naming the ways out', () => {
      const attempt = () => temporalConnectionOptions(parseEnv(production));
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/TEMPORAL_ADDRESS: RECTIFY_MODE=production refuses a plaintext connection/);
      expect(attempt).toThrow(/TEMPORAL_ALLOW_PLAINTEXT=true/);
    });

    it('connects in plaintext with TEMPORAL_ALLOW_PLAINTEXT=true, and never with =false', () => {
      expect(
        temporalConnectionOptions(parseEnv({ ...production, TEMPORAL_ALLOW_PLAINTEXT: 'true' })),
      ).toEqual({ address: 'temporal.campus.internal:7233' });
      expect(() =>
        temporalConnectionOptions(parseEnv({ ...production, TEMPORAL_ALLOW_PLAINTEXT: 'false' })),
      ).toThrow(/plaintext/);
      expect(() => parseEnv({ ...production, TEMPORAL_ALLOW_PLAINTEXT: 'yes' })).toThrow(
        /TEMPORAL_ALLOW_PLAINTEXT: must be true or false/,
      );
    });

    it('TLS with an API key or a certificate needs no allowance', () => {
      expect(
        temporalConnectionOptions(parseEnv({ ...production, ...regional, TEMPORAL_API_KEY: 'k' })).tls,
      ).toBe(true);
      expect(
        temporalConnectionOptions(
          parseEnv({ ...production, ...cloud, TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY }),
        ).tls,
      ).toBeTruthy();
    });
  });

  it('refuses an API key and a certificate at once', () => {
    const env = parseEnv({ ...cloud, TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY });
    expect(() => temporalConnectionOptions(env)).toThrow(ConfigError);
  });

  describe('the endpoint for each way of authenticating, checked at boot', () => {
    it('refuses an API key at the mTLS namespace endpoint, naming the regional endpoint form', () => {
      const env = parseEnv({ ...cloud, TEMPORAL_API_KEY: 'key-1' });
      expect(() => temporalConnectionOptions(env)).toThrow(ConfigError);
      expect(() => temporalConnectionOptions(env)).toThrow(
        /TEMPORAL_ADDRESS: ns\.acct\.tmprl\.cloud:7233 is the namespace's mTLS endpoint; with TEMPORAL_API_KEY use the regional endpoint <region>\.<cloud>\.api\.temporal\.io:7233/,
      );
    });

    it('accepts an API key at the namespace endpoint when the namespace has High Availability', () => {
      const env = parseEnv({ ...cloud, TEMPORAL_API_KEY: 'key-1', TEMPORAL_HIGH_AVAILABILITY: 'true' });
      expect(temporalConnectionOptions(env)).toMatchObject({
        address: cloud.TEMPORAL_ADDRESS,
        apiKey: 'key-1',
      });
    });

    it('refuses a client certificate at a regional endpoint, naming the namespace endpoint', () => {
      const env = parseEnv({ ...regional, TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY });
      expect(() => temporalConnectionOptions(env)).toThrow(
        /regional endpoint, which takes API keys only; with TEMPORAL_TLS_CERT\/TEMPORAL_TLS_KEY use the namespace endpoint <namespace>\.<account>\.tmprl\.cloud:7233 \(ns\.acct\.tmprl\.cloud:7233\)/,
      );
    });

    it('refuses Temporal Cloud without any credential', () => {
      for (const address of [cloud, regional])
        expect(() => temporalConnectionOptions(parseEnv(address))).toThrow(
          /is Temporal Cloud, which needs TEMPORAL_API_KEY or TEMPORAL_TLS_CERT\/TEMPORAL_TLS_KEY/,
        );
    });

    it('leaves other addresses alone (the local dev server, a school’s own cluster)', () => {
      expect(temporalEndpointProblem('localhost:7233', 'none', 'default')).toBeUndefined();
      expect(temporalEndpointProblem('temporal.example.edu.cn:7233', 'api-key', 'rectify')).toBeUndefined();
      expect(temporalEndpointProblem('temporal.example.edu.cn:7233', 'mtls', 'rectify')).toBeUndefined();
    });

    it('reads TEMPORAL_HIGH_AVAILABILITY as true or false only', () => {
      expect(parseEnv({}).TEMPORAL_HIGH_AVAILABILITY).toBe(false);
      expect(() => parseEnv({ TEMPORAL_HIGH_AVAILABILITY: 'yes' })).toThrow(/TEMPORAL_HIGH_AVAILABILITY/);
    });
  });
});
