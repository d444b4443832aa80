import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requireSigningKeys } from '../../infra/app-deps.ts';
import { parseEnv } from '../../infra/config.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { SCHEDULE_VARIABLES, deploySettings } from '../../infra/aws/settings.ts';
import { createTableInput, tableDefinitions, type TableKey } from '../../store/tables.ts';
import { scheduleVariables, schedulesFromEnv } from '../../infra/schedules.ts';
import { temporalConnectionOptions } from '../../infra/temporal-connection.ts';

// Stand-ins for the globals SST provides when it evaluates sst.config.ts: each
// component records how it was constructed, outputs are plain boxed values.

class FakeOutput<T> {
  constructor(readonly value: T) {}
  apply<U>(fn: (value: T) => U | FakeOutput<U>): FakeOutput<U> {
    const r = fn(this.value);
    return r instanceof FakeOutput ? r : new FakeOutput(r);
  }
}
const resolve = (v: unknown): unknown => (v instanceof FakeOutput ? resolve(v.value) : v);

type Args = Record<string, unknown>;
interface Created {
  kind: string;
  name: string;
  args: Args;
  self: FakeComponent;
}

let created: Created[] = [];
let secretValues: Record<string, string> = {};
const APP = 'rectify';
let stage = 'dev';

class FakeComponent {
  readonly name: FakeOutput<string>;
  readonly arn: FakeOutput<string>;
  constructor(
    readonly kind: string,
    readonly logical: string,
    readonly args: Args,
  ) {
    this.name = new FakeOutput(`${APP}-${stage}-${logical}`);
    this.arn = new FakeOutput(`arn:test:${kind}:${APP}-${stage}-${logical}`);
    created.push({ kind, name: logical, args, self: this });
  }
}
const component = (kind: string) =>
  class extends FakeComponent {
    constructor(name: string, args: Args = {}) {
      super(kind, name, args);
    }
  };

class FakeFunction extends FakeComponent {
  readonly url: FakeOutput<string>;
  constructor(name: string, args: Args) {
    super('Function', name, args);
    this.url = new FakeOutput(`https://${name.toLowerCase()}-fn.lambda-url.ap-southeast-1.on.aws/`);
  }
}
class FakeEmail extends FakeComponent {
  readonly sender: FakeOutput<unknown>;
  constructor(name: string, args: Args) {
    super('Email', name, args);
    this.sender = new FakeOutput(args.sender);
  }
}
class FakeSecret extends FakeComponent {
  readonly value: FakeOutput<string>;
  constructor(name: string, placeholder?: string) {
    super('Secret', name, { placeholder });
    // As SST does: a secret with neither a value nor a placeholder stops the deploy.
    const value = secretValues[name] ?? placeholder;
    if (typeof value !== 'string')
      throw new Error(`Set a value for ${name} with \`sst secret set ${name} <value>\``);
    this.value = new FakeOutput(value);
  }
}
class FakeLinkable extends FakeComponent {
  constructor(name: string, definition: Args) {
    super('Linkable', name, definition);
  }
}
class FakeConfigurationSet extends FakeComponent {
  readonly configurationSetName: FakeOutput<unknown>;
  constructor(name: string, args: Args) {
    super('ConfigurationSet', name, args);
    this.configurationSetName = new FakeOutput(args.configurationSetName);
  }
}

const globals = ['$config', '$app', 'sst', 'aws'] as const;

function installFakeSst(secrets: Record<string, string>) {
  created = [];
  secretValues = secrets;
  Object.assign(globalThis, {
    $config: (c: unknown) => c,
    sst: {
      Secret: FakeSecret,
      Linkable: FakeLinkable,
      aws: {
        Dynamo: component('Dynamo'),
        Function: FakeFunction,
        Email: FakeEmail,
        Vpc: component('Vpc'),
        Cluster: component('Cluster'),
        Service: component('Service'),
        dns: (args: Args) => ({ provider: 'aws', args }),
        permission: (p: Args) => ({ permission: p }),
      },
    },
    aws: { sesv2: { ConfigurationSet: FakeConfigurationSet } },
  });
}

const API_KEY_SECRETS = {
  TemporalAddress: 'rectify-prod.a1b2c.tmprl.cloud:7233',
  TemporalNamespace: 'rectify-prod.a1b2c',
  TemporalApiKey: 'tcld-api-key-for-tests',
  LinkSigningKeys: JSON.stringify({ current: 'k1', keys: { k1: 'a-link-signing-secret-of-32-chars-min' } }),
  JwksUrl: 'https://idp.example.edu.cn/.well-known/jwks.json',
  JwtIssuer: 'https://idp.example.edu.cn',
  JwtAudience: 'rectify',
  OidcIssuer: 'https://idp.example.edu.cn',
  OidcClientId: 'rectify-web',
  OidcClientSecret: 'an-oidc-client-secret',
};

interface SstConfigShape {
  app(input: { stage?: string }): { name: string; home: string; removal: string; protect: boolean };
  run(): Promise<Record<string, unknown>>;
}

/** Evaluates sst.config.ts as `sst deploy --stage <stage>` would, with the stand-ins installed. */
async function deploy(
  onStage: string,
  env: Record<string, string> = {},
  secrets: Record<string, string> = API_KEY_SECRETS,
) {
  stage = onStage;
  installFakeSst(secrets);
  vi.stubEnv('RECTIFY_MAIL_DOMAIN', 'hq.example.edu.cn');
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const config = (await import('../../sst.config.ts')).default as unknown as SstConfigShape;
  const app = config.app({ stage: onStage });
  Object.assign(globalThis, {
    $app: { name: app.name, stage: onStage, removal: app.removal, protect: app.protect },
  });
  const outputs = await config.run();
  const all = (kind: string) => created.filter((c) => c.kind === kind);
  const one = (kind: string, name?: string) => {
    const found = created.filter((c) => c.kind === kind && (name === undefined || c.name === name));
    expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
    return found[0]!;
  };
  return { app, outputs, all, one };
}

afterEach(() => {
  vi.unstubAllEnvs();
  for (const g of globals) Reflect.deleteProperty(globalThis, g);
});

/** What SST's Dynamo component hands DynamoDB, as the CreateTable request the local stack sends. */
function createTableInputFromSst(args: Args, tableName: string): CreateTableCommandInput {
  const fields = resolve(args.fields) as Record<string, 'string' | 'number'>;
  const primary = resolve(args.primaryIndex) as { hashKey: string; rangeKey?: string };
  const gsis = (resolve(args.globalIndexes) ?? {}) as Record<
    string,
    { hashKey: string; rangeKey?: string; projection?: string }
  >;
  const typeOf = { string: 'S', number: 'N' } as const;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: Object.entries(fields).map(([AttributeName, t]) => ({
      AttributeName,
      AttributeType: typeOf[t],
    })),
    KeySchema: [
      { AttributeName: primary.hashKey, KeyType: 'HASH' },
      ...(primary.rangeKey ? [{ AttributeName: primary.rangeKey, KeyType: 'RANGE' as const }] : []),
    ],
    ...(Object.keys(gsis).length > 0
      ? {
          GlobalSecondaryIndexes: Object.entries(gsis).map(([IndexName, ix]) => ({
            IndexName,
            KeySchema: [
              { AttributeName: ix.hashKey, KeyType: 'HASH' as const },
              ...(ix.rangeKey ? [{ AttributeName: ix.rangeKey, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: {
              ProjectionType: ix.projection === 'all' ? ('ALL' as const) : ('KEYS_ONLY' as const),
            },
          })),
        }
      : {}),
  };
}

const tableKeys = Object.keys(tableDefinitions) as TableKey[];
const tableComponent = (key: TableKey) => `${key[0]!.toUpperCase()}${key.slice(1)}`;

describe('sst.config.ts app(): removal and protection by stage', () => {
  it('production retains data and refuses removal; any other stage is disposable', async () => {
    const prod = await deploy('production');
    expect(prod.app).toMatchObject({ name: 'rectify', home: 'aws', removal: 'retain', protect: true });
    const dev = await deploy('dev');
    expect(dev.app).toMatchObject({ removal: 'remove', protect: false });
  });
});

describe('storage: the tables the local stack creates, from infra/tables.ts', () => {
  it('declares every table with the same keys, attributes and indexes as createTableInput', async () => {
    const { all, one } = await deploy('dev');
    expect(all('Dynamo')).toHaveLength(tableKeys.length);
    for (const key of tableKeys) {
      const table = one('Dynamo', tableComponent(key));
      const fromSst = createTableInputFromSst(table.args, 'T');
      const local = createTableInput(tableDefinitions[key], 'T');
      expect(fromSst.KeySchema, key).toEqual(local.KeySchema);
      const byName = <T extends { AttributeName?: string; IndexName?: string }>(xs: T[] | undefined) =>
        [...(xs ?? [])].sort((a, b) =>
          (a.IndexName ?? a.AttributeName ?? '').localeCompare(b.IndexName ?? b.AttributeName ?? ''),
        );
      expect(byName(fromSst.AttributeDefinitions), key).toEqual(byName(local.AttributeDefinitions));
      expect(byName(fromSst.GlobalSecondaryIndexes), key).toEqual(byName(local.GlobalSecondaryIndexes));
      expect(fromSst.BillingMode).toBe(local.BillingMode);
    }
  });

  it('keeps every index the code queries (the case list filters)', async () => {
    const { one } = await deploy('dev');
    const gsis = resolve(one('Dynamo', 'Cases').args.globalIndexes) as Record<string, unknown>;
    expect(Object.keys(gsis).sort()).toEqual([
      'byAssignee',
      'byBuilding',
      'byOpened',
      'byOverdue',
      'byResponsible',
      'byStage',
    ]);
    expect(gsis.byOverdue).toEqual({ hashKey: 'overdueFlag', rangeKey: 'dueSort', projection: 'all' });
  });

  type TableTransform = (args: Args, opts: Args, name: string) => undefined;
  const applyTransform = (args: Args) => {
    const transform = (args.transform as { table: TableTransform }).table;
    const tableArgs: Args = {};
    const opts: Args = {};
    transform(tableArgs, opts, 'T');
    return { tableArgs, opts };
  };

  it('production: point-in-time recovery, deletion protection and retain-on-delete on every table', async () => {
    const { one } = await deploy('production');
    for (const key of tableKeys) {
      const { tableArgs, opts } = applyTransform(one('Dynamo', tableComponent(key)).args);
      expect(tableArgs, key).toEqual({
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
      });
      expect(opts.retainOnDelete, key).toBe(true);
    }
  });

  it('dev: point-in-time recovery still on, but the tables can be removed', async () => {
    const { one } = await deploy('dev');
    for (const key of tableKeys) {
      const { tableArgs, opts } = applyTransform(one('Dynamo', tableComponent(key)).args);
      expect(tableArgs, key).toEqual({
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: false,
      });
      expect(opts.retainOnDelete, key).toBe(false);
    }
  });
});

describe('email: the SES domain identity and its configuration set', () => {
  it('verifies the mail domain and sends everything through a configuration set that suppresses bounces', async () => {
    const { one, outputs } = await deploy('production');
    const set = one('ConfigurationSet');
    const identity = one('Email');
    expect(identity.args.sender).toBe('hq.example.edu.cn');
    expect(identity.args.dns).toBe(false);
    const transform = identity.args.transform as { identity: { configurationSetName: unknown } };
    expect(transform.identity.configurationSetName).toBe(
      (set.self as FakeConfigurationSet).configurationSetName,
    );
    expect(set.args.configurationSetName).toBe('rectify-production-mail');
    expect(resolve(set.args.suppressionOptions)).toEqual({ suppressedReasons: ['BOUNCE', 'COMPLAINT'] });
    const link = one('Linkable', 'MailConfig');
    expect(link.args.include).toEqual([
      { permission: { actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [set.self.arn] } },
    ]);
    expect(outputs.mailFrom).toBe('rectify@hq.example.edu.cn');
  });

  it('writes the DKIM records itself when the domain is in a Route 53 zone', async () => {
    const { one } = await deploy('dev', { RECTIFY_ROUTE53_ZONE: 'Z0123456789' });
    expect(one('Email').args.dns).toEqual({ provider: 'aws', args: { zone: 'Z0123456789' } });
  });
});

/** The environment a component was given, with every deploy-time output resolved. */
const resolvedEnv = (args: Args) =>
  Object.fromEntries(
    Object.entries(resolve(args.environment) as Record<string, unknown>).map(([k, v]) => [
      k,
      resolve(v) as string,
    ]),
  );

describe('api: the Hono app on Lambda behind a function URL', () => {
  it('runs api/lambda.ts handler, behind a URL, linked to every table, the mail identity and every secret', async () => {
    const { one, all } = await deploy('production');
    const fn = one('Function', 'Api');
    expect(fn.args.handler).toBe('api/lambda.handler');
    const lambda = (await import('../../api/lambda.ts')) as Record<string, unknown>;
    expect(typeof lambda.handler).toBe('function');
    expect(fn.args.url).toBe(true);
    const link = fn.args.link as unknown[];
    for (const c of [...all('Dynamo'), ...all('Secret'), one('Email'), one('Linkable', 'MailConfig')])
      expect(link, `${c.kind} ${c.name}`).toContain(c.self);
    expect(fn.args.permissions).toEqual([
      { actions: ['dynamodb:ListTables', 'ses:GetSendQuota'], resources: ['*'] },
    ]);
  });

  it('reads every table name from the table resources, never a literal, and parses as production config', async () => {
    const { one } = await deploy('production');
    const env = one('Function', 'Api').args.environment as Record<string, unknown>;
    expect(env.TABLE_CASES).toBe(one('Dynamo', 'Cases').self.name);
    expect(env.TABLE_AUDIT).toBe(one('Dynamo', 'Audit').self.name);
    expect(env.TABLE_DIRECTORY).toBe(one('Dynamo', 'Directory').self.name);
    expect(env.TABLE_OPS).toBe(one('Dynamo', 'Ops').self.name);
    const resolved = resolvedEnv(one('Function', 'Api').args);
    // The function URL is its own address: the handler supplies it from the first request.
    expect(resolved.PUBLIC_BASE_URL).toBeUndefined();
    const parsed = parseEnv({
      ...resolved,
      PUBLIC_BASE_URL: 'https://api-fn.lambda-url.ap-southeast-1.on.aws',
    });
    expect(parsed).toMatchObject({
      RECTIFY_MODE: 'production',
      TABLE_CASES: 'rectify-production-Cases',
      MAIL_FROM: 'rectify@hq.example.edu.cn',
      TEMPORAL_ADDRESS: API_KEY_SECRETS.TemporalAddress,
      TEMPORAL_NAMESPACE: API_KEY_SECRETS.TemporalNamespace,
      TEMPORAL_UI_URL: `https://cloud.temporal.io/namespaces/${API_KEY_SECRETS.TemporalNamespace}`,
      JWKS_URL: API_KEY_SECRETS.JwksUrl,
      JWT_ISSUER: API_KEY_SECRETS.JwtIssuer,
    });
    expect(requireSigningKeys(parsed).current).toBe('k1');
    expect(temporalConnectionOptions(parsed)).toMatchObject({
      tls: true,
      apiKey: API_KEY_SECRETS.TemporalApiKey,
    });
  });

  it('uses the school’s own address for links when it has one', async () => {
    const { one } = await deploy('production', { RECTIFY_PUBLIC_URL: 'https://rectify.example.edu.cn/' });
    expect(resolvedEnv(one('Function', 'Api').args).PUBLIC_BASE_URL).toBe('https://rectify.example.edu.cn');
    expect(resolvedEnv(one('Service', 'Worker').args).PUBLIC_BASE_URL).toBe('https://rectify.example.edu.cn');
  });
});

describe('worker: the Temporal worker as a Fargate service', () => {
  it('builds the Dockerfile, scales on demand from one task, and links what the activities use', async () => {
    const { one, all } = await deploy('production', { RECTIFY_WORKER_MAX: '6' });
    const vpc = one('Vpc');
    expect(vpc.args.nat).toBe('ec2');
    const cluster = one('Cluster');
    expect(cluster.args.vpc).toBe(vpc.self);
    const service = one('Service', 'Worker');
    expect(service.args.cluster).toBe(cluster.self);
    const image = resolve(service.args.image) as { context: string; dockerfile: string };
    expect(existsSync(path.join(projectRoot, image.context, image.dockerfile))).toBe(true);
    expect(resolve(service.args.scaling)).toEqual({
      min: 1,
      max: 6,
      cpuUtilization: 60,
      memoryUtilization: 75,
    });
    const link = service.args.link as unknown[];
    for (const c of [...all('Dynamo'), ...all('Secret'), one('Email'), one('Linkable', 'MailConfig')])
      expect(link, `${c.kind} ${c.name}`).toContain(c.self);
  });

  it('gets a production environment whose email links point at the API', async () => {
    const { one } = await deploy('production');
    const env = resolvedEnv(one('Service', 'Worker').args);
    expect(env.PUBLIC_BASE_URL).toBe('https://api-fn.lambda-url.ap-southeast-1.on.aws');
    const parsed = parseEnv(env);
    expect(parsed.TABLE_OPS).toBe('rectify-production-Ops');
    expect(parsed.RECTIFY_MODE).toBe('production');
  });

  it('passes the schedule times set at deploy to the worker, which ensures them at start', async () => {
    const { one } = await deploy('production', {
      WEEKLY_FEEDBACK_CRON: '0 9 * * 1',
      FEEDBACK_SEND_RATE: '5',
    });
    const env = resolvedEnv(one('Service', 'Worker').args);
    const weekly = schedulesFromEnv(parseEnv(env), env).find(
      (d) => d.scheduleId === 'rectify-weekly-feedback',
    );
    expect(weekly).toMatchObject({ cron: '0 9 * * 1', timeZone: 'Asia/Shanghai' });
    expect(resolvedEnv(one('Function', 'Api').args).WEEKLY_FEEDBACK_CRON).toBeUndefined();
  });

  it('passes every schedule variable the worker reads, the audit anchor time included', async () => {
    expect([...SCHEDULE_VARIABLES].sort()).toEqual([...scheduleVariables].sort());
    const { one } = await deploy('production', {
      WEEKLY_FEEDBACK_CRON: '0 9 * * 1',
      DAILY_BRIEF_CRON: '0 7 * * *',
      AUDIT_ANCHOR_CRON: '15 3 * * *',
      FEEDBACK_SEND_RATE: '5',
    });
    const env = resolvedEnv(one('Service', 'Worker').args);
    expect(env).toMatchObject({
      WEEKLY_FEEDBACK_CRON: '0 9 * * 1',
      DAILY_BRIEF_CRON: '0 7 * * *',
      AUDIT_ANCHOR_CRON: '15 3 * * *',
      FEEDBACK_SEND_RATE: '5',
    });
    const specs = schedulesFromEnv({ CAMPUS_TZ: env.CAMPUS_TZ ?? '' }, env);
    expect(specs.find((d) => d.scheduleId === 'rectify-audit-anchor')).toMatchObject({ cron: '15 3 * * *' });
    expect(specs.find((d) => d.scheduleId === 'rectify-daily-brief')).toMatchObject({ cron: '0 7 * * *' });
  });

  it('connects with mTLS when the certificate secrets are set instead of an API key', async () => {
    const { TemporalApiKey: _unused, ...rest } = API_KEY_SECRETS;
    const { one } = await deploy(
      'production',
      {},
      {
        ...rest,
        TemporalTlsCert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        TemporalTlsKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
      },
    );
    const opts = temporalConnectionOptions(parseEnv(resolvedEnv(one('Service', 'Worker').args)));
    expect(opts.apiKey).toBeUndefined();
    expect(opts.tls).toMatchObject({ clientCertPair: { crt: expect.any(Buffer), key: expect.any(Buffer) } });
  });
});

describe('secrets', () => {
  it('requires the Temporal address, namespace, link keys, JWKS URL, token issuer and audience; the API key and mTLS pair are either-or', async () => {
    const { all } = await deploy('production');
    const placeholders = Object.fromEntries(all('Secret').map((s) => [s.name, s.args.placeholder]));
    expect(placeholders).toEqual({
      TemporalAddress: undefined,
      TemporalNamespace: undefined,
      TemporalApiKey: '',
      TemporalTlsCert: '',
      TemporalTlsKey: '',
      LinkSigningKeys: undefined,
      JwksUrl: undefined,
      JwtIssuer: undefined,
      JwtAudience: undefined,
      OidcIssuer: undefined,
      OidcClientId: undefined,
      OidcClientSecret: undefined,
    });
  });

  it('stops the deploy when a required secret was never set', async () => {
    const { JwksUrl: _unused, ...rest } = API_KEY_SECRETS;
    await expect(deploy('production', {}, rest)).rejects.toThrow(/sst secret set JwksUrl/);
    const { JwtAudience: _aud, ...noAudience } = API_KEY_SECRETS;
    await expect(deploy('production', {}, noAudience)).rejects.toThrow(/sst secret set JwtAudience/);
  });
});

describe('deploy settings', () => {
  it('names the missing mail domain', () => {
    expect(() => deploySettings({})).toThrow(/RECTIFY_MAIL_DOMAIN/);
  });

  it('refuses a sender outside the verified domain', () => {
    expect(() =>
      deploySettings({ RECTIFY_MAIL_DOMAIN: 'hq.example.edu.cn', RECTIFY_MAIL_FROM: 'a@elsewhere.cn' }),
    ).toThrow(/RECTIFY_MAIL_FROM/);
  });
});

describe('no literal resource names or ARNs', () => {
  it('infra/aws and sst.config.ts name no ARN, account or table', async () => {
    const dir = path.join(projectRoot, 'infra/aws');
    const files = [
      ...(await readdir(dir)).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)),
      path.join(projectRoot, 'sst.config.ts'),
    ];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toMatch(/arn:aws/);
      expect(text, file).not.toMatch(/\b\d{12}\b/);
      expect(text, file).not.toMatch(/rectify-(cases|audit|directory|ops)/);
    }
  });
});
