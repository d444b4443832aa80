import type { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config.ts';
import {
  SECRET_PARAMETERS,
  secretParametersOnce,
  ssmParameterReader,
  withSecretParameters,
} from '../../infra/secrets-fetch.ts';

// The Lambda's side of the secrets: parameter names in its configuration, values
// fetched at the cold start. A stand-in for Parameter Store answers here.

const store: Record<string, string> = {
  '/rectify/production/TemporalApiKey': 'tk-123',
  '/rectify/production/LinkSigningKeys': '{"current":"k1","keys":{"k1":"0123456789abcdef0123456789abcdef"}}',
};
const reads: string[][] = [];
const read = async (names: string[]) => {
  reads.push(names);
  return Object.fromEntries(names.filter((n) => n in store).map((n) => [n, store[n]!]));
};
const refs = JSON.stringify({
  TEMPORAL_API_KEY: '/rectify/production/TemporalApiKey',
  LINK_SIGNING_KEYS: '/rectify/production/LinkSigningKeys',
});

describe('withSecretParameters', () => {
  it('leaves an environment without references as it is (locally, and in the worker)', async () => {
    const env = { TEMPORAL_ADDRESS: 'localhost:7233' };
    expect(await withSecretParameters(env, read)).toBe(env);
  });

  it('fills each referenced variable from its parameter and drops the reference list', async () => {
    const env = await withSecretParameters({ [SECRET_PARAMETERS]: refs, MAIL_FROM: 'a@b.cn' }, read);
    expect(env).toEqual({
      MAIL_FROM: 'a@b.cn',
      TEMPORAL_API_KEY: 'tk-123',
      LINK_SIGNING_KEYS: store['/rectify/production/LinkSigningKeys'],
    });
  });

  it('names a parameter that has no value', async () => {
    const missing = JSON.stringify({ OIDC_CLIENT_SECRET: '/rectify/production/OidcClientSecret' });
    await expect(withSecretParameters({ [SECRET_PARAMETERS]: missing }, read)).rejects.toThrow(
      /no value for \/rectify\/production\/OidcClientSecret/,
    );
  });

  it('refuses a variable set both directly and as a parameter', async () => {
    await expect(
      withSecretParameters({ [SECRET_PARAMETERS]: refs, TEMPORAL_API_KEY: 'plain' }, read),
    ).rejects.toThrow(/TEMPORAL_API_KEY: set directly and as a parameter/);
  });

  it('refuses references that are not a JSON map of variable names', async () => {
    await expect(withSecretParameters({ [SECRET_PARAMETERS]: '{oops' }, read)).rejects.toThrow(ConfigError);
    await expect(
      withSecretParameters({ [SECRET_PARAMETERS]: JSON.stringify({ 'not a name': '/x' }) }, read),
    ).rejects.toThrow(/environment variable names/);
  });
});

describe('secretParametersOnce', () => {
  it('fetches once per process, and again only after a failure', async () => {
    reads.length = 0;
    let fail = true;
    const flaky = async (names: string[]) => {
      if (fail) throw new Error('SSM unreachable');
      return read(names);
    };
    const source = { [SECRET_PARAMETERS]: refs };
    await expect(secretParametersOnce(source, flaky)).rejects.toThrow(/SSM unreachable/);
    fail = false;
    const first = await secretParametersOnce(source, flaky);
    const second = await secretParametersOnce(source, flaky);
    expect(second).toBe(first);
    expect(reads).toHaveLength(1);
  });
});

describe('ssmParameterReader', () => {
  it('asks SSM for decrypted values, ten names a call, and names parameters SSM does not know', async () => {
    const calls: { Names?: string[]; WithDecryption?: boolean }[] = [];
    const client = {
      send: async (command: GetParametersCommand) => {
        calls.push(command.input);
        const names = command.input.Names ?? [];
        return {
          Parameters: names.filter((n) => n !== '/x/unknown').map((n) => ({ Name: n, Value: `v:${n}` })),
          InvalidParameters: names.filter((n) => n === '/x/unknown'),
        };
      },
    } as unknown as SSMClient;
    const names = Array.from({ length: 12 }, (_, i) => `/x/p${i}`);
    const values = await ssmParameterReader(client)(names);
    expect(calls.map((c) => c.Names?.length)).toEqual([10, 2]);
    expect(calls.every((c) => c.WithDecryption === true)).toBe(true);
    expect(values['/x/p11']).toBe('v:/x/p11');
    await expect(ssmParameterReader(client)(['/x/unknown'])).rejects.toThrow(
      /no such parameter \/x\/unknown/,
    );
  });
});
