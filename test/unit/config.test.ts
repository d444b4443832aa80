import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../infra/config.ts';
import { schedulesFromEnv } from '../../infra/schedules.ts';
import { nextWeeklyBuild } from '../../domain/weekly-build.ts';

describe('configuration from the environment', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      RECTIFY_MODE: 'local',
      PORT: 3000,
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      CAMPUS_TZ: 'Asia/Shanghai',
      TABLE_CASES: 'rectify-cases',
    });
  });

  it.each([
    ['PORT', 'abc', /PORT/],
    ['PORT', '70000', /PORT/],
    ['CAMPUS_TZ', 'Mars/Olympus', /CAMPUS_TZ: must be an IANA time zone/],
    ['MAIL_FROM', 'not-an-address', /MAIL_FROM/],
    ['DYNAMODB_ENDPOINT', 'localhost:8000', /DYNAMODB_ENDPOINT/],
    ['LINK_SIGNING_KEYS', '{oops', /LINK_SIGNING_KEYS: must be JSON/],
    [
      'LINK_SIGNING_KEYS',
      '{"current":"k9","keys":{"k1":"0123456789abcdef0123456789abcdef"}}',
      /current must name one of keys/,
    ],
    ['LINK_SIGNING_KEYS', '{"current":"k1","keys":{"k1":"short"}}', /at least 32 characters/],
    ['RECTIFY_MODE', 'staging', /RECTIFY_MODE/],
  ])('names %s when it is %s', (name, value, message) => {
    expect(() => parseEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv({ [name]: value })).toThrow(message);
  });

  it('requires the production secrets in production mode, naming each', () => {
    expect(() => parseEnv({ RECTIFY_MODE: 'production' })).toThrow(
      /LINK_SIGNING_KEYS: required[\s\S]*JWKS_URL: required[\s\S]*JWT_ISSUER: required[\s\S]*JWT_AUDIENCE: required[\s\S]*PUBLIC_BASE_URL: required/,
    );
  });

  const production = {
    RECTIFY_MODE: 'production',
    LINK_SIGNING_KEYS: '{"current":"k1","keys":{"k1":"0123456789abcdef0123456789abcdef"}}',
    JWKS_URL: 'https://idp.example.edu.cn/.well-known/jwks.json',
    JWT_ISSUER: 'https://idp.example.edu.cn',
    JWT_AUDIENCE: 'rectify-api',
    PUBLIC_BASE_URL: 'https://rectify.example.edu.cn',
    OIDC_ISSUER: 'https://idp.example.edu.cn',
    OIDC_CLIENT_ID: 'rectify-web',
    OIDC_CLIENT_SECRET: 'an-oidc-client-secret',
  };

  it.each(['JWT_ISSUER', 'JWT_AUDIENCE'])(
    'a production token check without %s stops start-up naming it',
    (name) => {
      expect(() => parseEnv({ ...production, [name]: undefined })).toThrow(
        new RegExp(`^Invalid configuration:\\n  ${name}: required when RECTIFY_MODE=production$`),
      );
    },
  );

  it('reads JWT_AUDIENCE as one or more comma-separated audiences', () => {
    expect(parseEnv(production).JWT_AUDIENCE).toEqual(['rectify-api']);
    expect(parseEnv({ ...production, JWT_AUDIENCE: ' rectify-api , rectify-mobile ' }).JWT_AUDIENCE).toEqual([
      'rectify-api',
      'rectify-mobile',
    ]);
    expect(() => parseEnv({ ...production, JWT_AUDIENCE: ' , ' })).toThrow(
      /JWT_AUDIENCE: must name at least one/,
    );
    expect(parseEnv({}).JWT_AUDIENCE).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(3000);
  });

  it('gives the API the weekly build time the worker schedules (npm start, npm run api, the Lambda)', () => {
    // npm start builds the API from parseEnv(process.env) and schedules the worker from the same
    // process.env: the page's "next report" must read the schedule the worker runs.
    const source = { WEEKLY_FEEDBACK_CRON: '30 9 * * 2' };
    const env = parseEnv(source);
    expect(env.WEEKLY_FEEDBACK_CRON).toBe('30 9 * * 2');
    const weekly = schedulesFromEnv(env, source).find((d) => d.scheduleId === 'rectify-weekly-feedback');
    expect(weekly?.cron).toBe(env.WEEKLY_FEEDBACK_CRON);
    expect(
      nextWeeklyBuild('2026-12-07T00:00:00.000Z', env.CAMPUS_TZ, env.WEEKLY_FEEDBACK_CRON),
    ).toMatchObject({
      date: '2026-12-08',
      time: '09:30',
    });
    expect(() => parseEnv({ WEEKLY_FEEDBACK_CRON: 'monday' })).toThrow(
      /WEEKLY_FEEDBACK_CRON: must be a five-field cron/,
    );
  });
});
