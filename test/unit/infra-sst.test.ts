import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requireSigningKeys } from '../../infra/deps.ts';
import { parseEnv } from '../../infra/config.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { SCHEDULE_VARIABLES, deploySettings } from '../../infra/aws/settings.ts';
import { createTableInput, tableDefinitions, type TableKey } from '../../store/tables.ts';
import { scheduleVariables, schedulesFromEnv } from '../../infra/schedules.ts';
import { temporalConnectionOptions } from '../../infra/temporal-connection.ts';
import { SECRET_PARAMETERS, withSecretParameters } from '../../infra/secrets-fetch.ts';
import { SECRET_VARIABLES } from '../../infra/aws/secrets.ts';
import {
  API_LAMBDA_RUNTIME,
  lambdaNodeRuntimes,
  lambdaRuntimeProblem,
  nodeImageProblem,
} from '../../infra/runtimes.ts';

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
class FakeVpc extends FakeComponent {
  readonly id: FakeOutput<string>;
  readonly publicSubnets = new FakeOutput(['subnet-public-a', 'subnet-public-b']);
  readonly privateSubnets = new FakeOutput(['subnet-private-a', 'subnet-private-b']);
  readonly securityGroups = new FakeOutput(['sg-vpc']);
  readonly nodes = {
    cloudmapNamespace: { id: new FakeOutput('ns-cloudmap'), name: new FakeOutput('rectify.local') },
  };
  constructor(name: string, args: Args = {}) {
    super('Vpc', name, args);
    this.id = new FakeOutput(`vpc-${name}`);
  }
}
class FakeParameter extends FakeComponent {
  constructor(name: string, args: Args) {
    super('Parameter', name, args);
    Object.assign(this, { name: new FakeOutput(args.name) });
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
        Vpc: FakeVpc,
        Cluster: component('Cluster'),
        Service: component('Service'),
        Bucket: component('Bucket'),
        dns: (args: Args) => ({ provider: 'aws', args }),
        permission: (p: Args) => ({ permission: p }),
      },
    },
    aws: {
      sesv2: {
        ConfigurationSet: FakeConfigurationSet,
        ConfigurationSetEventDestination: component('ConfigurationSetEventDestination'),
      },
      cloudwatch: {
        getEventBusOutput: (args: { name: string }) => ({
          arn: new FakeOutput(`arn:aws:events:ap-southeast-1:123456789012:event-bus/${args.name}`),
        }),
        EventRule: component('EventRule'),
        EventTarget: component('EventTarget'),
      },
      lambda: { Permission: component('LambdaPermission') },
      ssm: { Parameter: FakeParameter },
      s3: {
        BucketLifecycleConfigurationV2: component('BucketLifecycle'),
        BucketObjectLockConfigurationV2: component('BucketObjectLock'),
      },
    },
  });
}

const API_KEY_SECRETS = {
  // An API key goes to the regional endpoint (the namespace endpoint is for mTLS).
  TemporalAddress: 'ap-southeast-1.aws.api.temporal.io:7233',
  TemporalNamespace: 'rectify-prod.a1b2c',
  TemporalApiKey: 'tcld-api-key-for-tests',
  LinkSigningKeys: JSON.stringify({ current: 'k1', keys: { k1: 'a-link-signing-secret-of-32-chars-min' } }),
  JwksUrl: 'https://idp.example.edu.cn/.well-known/jwks.json',
  JwtIssuer: 'https://idp.example.edu.cn',
  JwtAudience: 'rectify',
  OidcIssuer: 'https://idp.example.edu.cn',
  OidcClientId: 'rectify-web',
  OidcClientSecret: 'oidc-client-secret-for-tests',
};
const MTLS_ADDRESS = 'rectify-prod.a1b2c.tmprl.cloud:7233';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
const { TemporalApiKey: _apiKey, ...WITHOUT_API_KEY } = API_KEY_SECRETS;
const MTLS_SECRETS = {
  ...WITHOUT_API_KEY,
  TemporalAddress: MTLS_ADDRESS,
  TemporalTlsCert: CERT,
  TemporalTlsKey: KEY,
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
        // The ops table's short-lived rows expire by themselves; nothing else does.
        ...(key === 'ops' ? { ttl: { attributeName: 'expiresAtEpoch', enabled: true } } : {}),
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
        // The ops table's short-lived rows expire by themselves; nothing else does.
        ...(key === 'ops' ? { ttl: { attributeName: 'expiresAtEpoch', enabled: true } } : {}),
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

  it('publishes SES Send events to a function that records each outbox mail in the ops table (not with SMTP)', async () => {
    const { one, all } = await deploy('production');
    const set = one('ConfigurationSet');
    const dest = one('ConfigurationSetEventDestination');
    expect(dest.args.configurationSetName).toBe((set.self as FakeConfigurationSet).configurationSetName);
    const eventDestination = resolve(dest.args.eventDestination) as {
      matchingEventTypes: string[];
      eventBridgeDestination: { eventBusArn: unknown };
    };
    expect(eventDestination.matchingEventTypes).toEqual(['SEND']);
    // SES publishes only to the default bus.
    expect(resolve(eventDestination.eventBridgeDestination.eventBusArn)).toMatch(/:event-bus\/default$/);
    const rule = one('EventRule');
    expect(JSON.parse(rule.args.eventPattern as string)).toEqual({
      source: ['aws.ses'],
      'detail-type': ['Email Sent'],
    });
    const fn = one('Function', 'MailEvents');
    expect(fn.args.handler).toBe('infra/mail-events.handler');
    const ops = all('Dynamo').find((d) => d.name === 'Ops');
    expect(fn.args.link).toEqual([ops?.self]);
    expect(resolve((fn.args.environment as Record<string, unknown>).TABLE_OPS)).toBe(resolve(ops?.self.name));
    const target = one('EventTarget');
    expect(target.args).toEqual({ rule: rule.self.name, arn: fn.self.arn });
    const invoke = one('LambdaPermission');
    expect(invoke.args).toMatchObject({
      principal: 'events.amazonaws.com',
      sourceArn: rule.self.arn,
      function: fn.self.name,
    });
    // The entry the function names exists and exports its handler.
    expect(existsSync(path.join(projectRoot, 'infra/mail-events.ts'))).toBe(true);

    const smtp = await deploy(
      'production',
      { RECTIFY_MAIL_TRANSPORT: 'smtp' },
      {
        ...API_KEY_SECRETS,
        SmtpUrl: 'smtp://rectify:relay-password-1234@relay.campus.edu.cn:587',
      },
    );
    expect(smtp.all('ConfigurationSetEventDestination')).toHaveLength(0);
    expect(smtp.all('Function').map((f) => f.name)).toEqual(['Api']);
  });

  it('requires TLS for delivery unless the school’s mail servers cannot do STARTTLS', async () => {
    const strict = await deploy('production');
    expect(resolve(strict.one('ConfigurationSet').args.deliveryOptions)).toEqual({ tlsPolicy: 'REQUIRE' });
    const relaxed = await deploy('production', { RECTIFY_MAIL_TLS_POLICY: 'optional' });
    expect(resolve(relaxed.one('ConfigurationSet').args.deliveryOptions)).toEqual({ tlsPolicy: 'OPTIONAL' });
    expect(() =>
      deploySettings({ RECTIFY_MAIL_DOMAIN: 'hq.example.edu.cn', RECTIFY_MAIL_TLS_POLICY: 'off' }),
    ).toThrow(/RECTIFY_MAIL_TLS_POLICY/);
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

/** A stored parameter's value, as SSM would return it decrypted. */
const parameterValue = (match: (p: Created) => boolean): string | undefined => {
  const p = created.find((c) => c.kind === 'Parameter' && match(c));
  return p ? (resolve(p.args.value) as string) : undefined;
};

/** What the worker's container sees: the task's environment plus the `secrets` ECS resolves at start. */
const taskEnv = (service: Created) => {
  const env = resolvedEnv(service.args);
  const refs = resolve(service.args.ssm) as Record<string, unknown>;
  for (const [name, arn] of Object.entries(refs)) {
    const value = parameterValue((p) => resolve(p.self.arn) === resolve(arn));
    expect(value, `${name} → ${String(resolve(arn))}`).toBeDefined();
    env[name] = value!;
  }
  return env;
};

/** The address the handler learns from its first request when no RECTIFY_PUBLIC_URL is set. */
const FUNCTION_URL = 'https://api-fn.lambda-url.ap-southeast-1.on.aws';

/** What the Lambda runs with after its cold start fetched the referenced parameters. */
const functionEnv = async (fn: Created) =>
  withSecretParameters(resolvedEnv(fn.args), async (names) =>
    Object.fromEntries(names.map((n) => [n, parameterValue((p) => p.args.name === n)!])),
  );

describe('api: the Hono app on Lambda behind a function URL', () => {
  it('carries the calendar file to both processes: the Lambda copies it, the worker image has infra/', async () => {
    const { one } = await deploy('production');
    const fn = one('Function', 'Api');
    expect(fn.args.copyFiles).toEqual([{ from: 'infra/calendar.txt', to: 'infra/calendar.txt' }]);
    expect((fn.args.environment as Record<string, unknown>).CALENDAR_FILE).toBe('infra/calendar.txt');
    expect(taskEnv(one('Service', 'Worker')).CALENDAR_FILE).toBe('infra/calendar.txt');
    const dockerfile = await readFile(path.join(projectRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^COPY infra \.\/infra$/m);
    // The deployed file is valid as it stands (it declares no year: nothing is invented).
    const { readCalendarFile } = await import('../../infra/calendar.ts');
    await expect(readCalendarFile(path.join(projectRoot, 'infra/calendar.txt'))).resolves.toMatchObject({
      official: [],
    });
  });

  it('runs api/lambda.ts handler, behind a URL, linked to every table but the audit table, the evidence bucket and the mail identity', async () => {
    const { one, all } = await deploy('production');
    const fn = one('Function', 'Api');
    expect(fn.args.handler).toBe('api/lambda.handler');
    const lambda = (await import('../../api/lambda.ts')) as Record<string, unknown>;
    expect(typeof lambda.handler).toBe('function');
    expect(fn.args.url).toBe(true);
    const link = fn.args.link as unknown[];
    const audit = one('Dynamo', 'Audit');
    const others = all('Dynamo').filter((c) => c !== audit);
    expect(others).toHaveLength(3);
    for (const c of [...others, one('Bucket', 'Evidence'), one('Email'), one('Linkable', 'MailConfig')])
      expect(link, `${c.kind} ${c.name}`).toContain(c.self);
    // A link grants every action on the table: the audit trail and the anchors are the worker's to write.
    expect(link).not.toContain(audit.self);
    expect(link).not.toContain(one('Bucket', 'Anchors').self);
    // A linked secret would travel with the function (and in a task definition's environment).
    for (const c of all('Secret')) expect(link, c.name).not.toContain(c.self);
    expect(resolve(fn.args.permissions)).toEqual([
      { actions: ['dynamodb:ListTables', 'ses:GetSendQuota'], resources: ['*'] },
      // Reads only, on the audit table and its indexes.
      {
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'],
        resources: [audit.self.arn, expect.objectContaining({ value: `${resolve(audit.self.arn)}/index/*` })],
      },
      // Exactly the stage's credential parameters, nothing else in Parameter Store.
      { actions: ['ssm:GetParameters'], resources: all('Parameter').map((p) => p.self.arn) },
    ]);
    const granted = JSON.stringify(resolve(fn.args.permissions));
    for (const write of ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'])
      expect(granted).not.toContain(write);
  }, 30_000);

  it('reads every table name from the table resources, never a literal, and parses as production config', async () => {
    const { one } = await deploy('production');
    const env = one('Function', 'Api').args.environment as Record<string, unknown>;
    expect(env.TABLE_CASES).toBe(one('Dynamo', 'Cases').self.name);
    expect(env.TABLE_AUDIT).toBe(one('Dynamo', 'Audit').self.name);
    expect(env.TABLE_DIRECTORY).toBe(one('Dynamo', 'Directory').self.name);
    expect(env.TABLE_OPS).toBe(one('Dynamo', 'Ops').self.name);
    const resolved = await functionEnv(one('Function', 'Api'));
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
    expect((cluster.args.vpc as Args).id).toBe((vpc.self as FakeVpc).id);
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
    for (const c of [...all('Dynamo'), ...all('Bucket'), one('Email'), one('Linkable', 'MailConfig')])
      expect(link, `${c.kind} ${c.name}`).toContain(c.self);
    for (const c of all('Secret')) expect(link, c.name).not.toContain(c.self);
  });

  it('lets ECS read only this stage’s credential parameters', async () => {
    const { one, all } = await deploy('production');
    const service = one('Service', 'Worker');
    const role: Args = {};
    (service.args.transform as { executionRole: (a: Args) => undefined }).executionRole(role);
    const policies = role.inlinePolicies as { name: string; policy: string }[];
    expect(policies).toHaveLength(1);
    expect(JSON.parse(policies[0]!.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadStageCredentials',
          Effect: 'Allow',
          Action: ['ssm:GetParameters'],
          Resource: ['arn:*:ssm:*:*:parameter/rectify/production/*'],
        },
      ],
    });
    for (const p of all('Parameter')) expect(p.args.name).toMatch(/^\/rectify\/production\/[A-Za-z]+$/);
  });

  it('gets a production environment whose email links point at the API', async () => {
    const { one } = await deploy('production');
    const env = taskEnv(one('Service', 'Worker'));
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
    const env = taskEnv(one('Service', 'Worker'));
    const weekly = schedulesFromEnv(parseEnv(env), env).find(
      (d) => d.scheduleId === 'rectify-weekly-feedback',
    );
    expect(weekly).toMatchObject({ cron: '0 9 * * 1', timeZone: 'Asia/Shanghai' });
  });

  it('gives the API the weekly build time the worker schedules, so the weekly page shows the same', async () => {
    const { one } = await deploy('production', {
      WEEKLY_FEEDBACK_CRON: '0 9 * * 1',
      DAILY_BRIEF_CRON: '0 7 * * *',
    });
    const api = parseEnv({ ...(await functionEnv(one('Function', 'Api'))), PUBLIC_BASE_URL: FUNCTION_URL });
    const worker = taskEnv(one('Service', 'Worker'));
    expect(api.WEEKLY_FEEDBACK_CRON).toBe('0 9 * * 1');
    expect(api.WEEKLY_FEEDBACK_CRON).toBe(worker.WEEKLY_FEEDBACK_CRON);
    // Only what a page shows: the other schedules stay the worker's.
    expect(resolvedEnv(one('Function', 'Api').args).DAILY_BRIEF_CRON).toBeUndefined();
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

  it('connects with mTLS when the deploy chooses it and the certificate secrets are set', async () => {
    const { one, all } = await deploy('production', { RECTIFY_TEMPORAL_AUTH: 'mtls' }, MTLS_SECRETS);
    const opts = temporalConnectionOptions(parseEnv(taskEnv(one('Service', 'Worker'))));
    expect(opts.apiKey).toBeUndefined();
    expect(opts.tls).toMatchObject({ clientCertPair: { crt: expect.any(Buffer), key: expect.any(Buffer) } });
    const lambdaOpts = temporalConnectionOptions(
      parseEnv({ ...(await functionEnv(one('Function', 'Api'))), PUBLIC_BASE_URL: FUNCTION_URL }),
    );
    expect(lambdaOpts.tls).toMatchObject({ clientCertPair: { crt: expect.any(Buffer) } });
    expect(all('Secret').map((c) => c.name)).not.toContain('TemporalApiKey');
  });
});

describe('secrets', () => {
  it('requires every secret of the chosen Temporal authentication, and only those, with no placeholder', async () => {
    const apiKey = await deploy('production');
    const placeholders = Object.fromEntries(apiKey.all('Secret').map((s) => [s.name, s.args.placeholder]));
    expect(placeholders).toEqual({
      TemporalAddress: undefined,
      TemporalNamespace: undefined,
      TemporalApiKey: undefined,
      LinkSigningKeys: undefined,
      OidcClientSecret: undefined,
      JwksUrl: undefined,
      JwtIssuer: undefined,
      JwtAudience: undefined,
      OidcIssuer: undefined,
      OidcClientId: undefined,
    });
    const mtls = await deploy('production', { RECTIFY_TEMPORAL_AUTH: 'mtls' }, MTLS_SECRETS);
    expect(
      mtls
        .all('Secret')
        .map((s) => s.name)
        .sort(),
    ).toEqual(
      [
        'JwksUrl',
        'JwtAudience',
        'JwtIssuer',
        'LinkSigningKeys',
        'OidcClientId',
        'OidcClientSecret',
        'OidcIssuer',
        'TemporalAddress',
        'TemporalNamespace',
        'TemporalTlsCert',
        'TemporalTlsKey',
      ].sort(),
    );
  });

  it('stops the deploy when a required secret was never set', async () => {
    const { JwksUrl: _unused, ...rest } = API_KEY_SECRETS;
    await expect(deploy('production', {}, rest)).rejects.toThrow(/sst secret set JwksUrl/);
    const { JwtAudience: _aud, ...noAudience } = API_KEY_SECRETS;
    await expect(deploy('production', {}, noAudience)).rejects.toThrow(/sst secret set JwtAudience/);
    await expect(deploy('production', {}, WITHOUT_API_KEY)).rejects.toThrow(/sst secret set TemporalApiKey/);
    const { OidcClientSecret: _oidc, ...noOidc } = API_KEY_SECRETS;
    await expect(deploy('production', {}, noOidc)).rejects.toThrow(/sst secret set OidcClientSecret/);
    const { TemporalTlsKey: _key, ...halfPair } = MTLS_SECRETS;
    await expect(deploy('production', { RECTIFY_TEMPORAL_AUTH: 'mtls' }, halfPair)).rejects.toThrow(
      /sst secret set TemporalTlsKey/,
    );
  });

  it('keeps every credential in an SSM SecureString under the app and stage', async () => {
    const { all } = await deploy('production');
    const params = all('Parameter').map((p) => ({
      name: p.args.name,
      type: p.args.type,
      value: resolve(p.args.value),
    }));
    expect(params).toEqual([
      {
        name: '/rectify/production/TemporalApiKey',
        type: 'SecureString',
        value: API_KEY_SECRETS.TemporalApiKey,
      },
      {
        name: '/rectify/production/LinkSigningKeys',
        type: 'SecureString',
        value: API_KEY_SECRETS.LinkSigningKeys,
      },
      {
        name: '/rectify/production/OidcClientSecret',
        type: 'SecureString',
        value: API_KEY_SECRETS.OidcClientSecret,
      },
    ]);
  });

  it.each([
    ['api-key', {}, API_KEY_SECRETS],
    ['mtls', { RECTIFY_TEMPORAL_AUTH: 'mtls' }, MTLS_SECRETS],
    [
      'smtp relay',
      { RECTIFY_MAIL_TRANSPORT: 'smtp' },
      { ...API_KEY_SECRETS, SmtpUrl: 'smtp://rectify:relay-password-1234@relay.campus.edu.cn:587' },
    ],
  ] as const)(
    '%s: no credential value in any environment the configuration builds; the processes still get each one',
    async (_kind, env, secrets) => {
      const { one } = await deploy('production', env, secrets);
      const credentials = Object.entries(secrets)
        .filter(([name]) =>
          [
            'TemporalApiKey',
            'TemporalTlsCert',
            'TemporalTlsKey',
            'LinkSigningKeys',
            'OidcClientSecret',
            'SmtpUrl',
          ].includes(name),
        )
        .map(([, value]) => value);
      expect(credentials.length).toBeGreaterThanOrEqual(3);
      const fn = one('Function', 'Api');
      const service = one('Service', 'Worker');
      // Everything a task definition or a function configuration shows: environment, link properties, secret references.
      const shown = JSON.stringify([
        resolvedEnv(fn.args),
        resolvedEnv(service.args),
        resolve(service.args.ssm),
        ...[...(fn.args.link as FakeComponent[]), ...(service.args.link as FakeComponent[])].map((c) => ({
          name: resolve(c.name),
          args: c.args,
        })),
      ]);
      for (const value of credentials) {
        expect(shown).not.toContain(value);
        // A PEM or JSON value also leaks escaped.
        expect(shown).not.toContain(JSON.stringify(value).slice(1, -1));
      }
      for (const name of SECRET_VARIABLES) {
        expect(resolvedEnv(fn.args)[name], name).toBeUndefined();
        expect(resolvedEnv(service.args)[name], name).toBeUndefined();
      }
      // Yet each process ends up with every credential it needs.
      const fromTask = taskEnv(service);
      const fromFunction = await functionEnv(fn);
      for (const processEnv of [fromTask, fromFunction]) {
        expect(processEnv.LINK_SIGNING_KEYS).toBe(secrets.LinkSigningKeys);
        expect(processEnv.OIDC_CLIENT_SECRET).toBe(secrets.OidcClientSecret);
        // With the school's relay, its URL (and login) arrives as a secret and the transport as a setting.
        if ('SmtpUrl' in secrets) {
          expect(processEnv.SMTP_URL).toBe(secrets.SmtpUrl);
          expect(processEnv.MAIL_TRANSPORT).toBe('smtp');
          expect(processEnv.SMTP_TLS).toBe('require');
        } else expect(processEnv.SMTP_URL).toBeUndefined();
        expect(processEnv[SECRET_PARAMETERS]).toBeUndefined();
        const parsed = parseEnv({ PUBLIC_BASE_URL: FUNCTION_URL, ...processEnv });
        expect(() => temporalConnectionOptions(parsed)).not.toThrow();
      }
    },
  );
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

describe('network: the worker in private subnets behind the NAT instances', () => {
  it('hands the cluster the private subnets, so SST assigns the tasks no public IP', async () => {
    const { one } = await deploy('production');
    const vpc = one('Vpc').self as FakeVpc;
    const clusterVpc = one('Cluster').args.vpc as Args;
    // A Vpc component here would make SST put the tasks in public subnets with public IPs.
    expect(clusterVpc).not.toBeInstanceOf(FakeVpc);
    expect(clusterVpc).toEqual({
      id: vpc.id,
      securityGroups: vpc.securityGroups,
      containerSubnets: vpc.privateSubnets,
      loadBalancerSubnets: vpc.publicSubnets,
      cloudmapNamespaceId: vpc.nodes.cloudmapNamespace.id,
      cloudmapNamespaceName: vpc.nodes.cloudmapNamespace.name,
    });
    // The private subnets reach Temporal Cloud, SES, S3 and SSM only through NAT.
    expect(one('Vpc').args.nat).toBe('ec2');
  });

  it('is what docs/deploy.md describes and prices', async () => {
    const guide = await readFile(path.join(projectRoot, 'docs/deploy.md'), 'utf8');
    const row = guide.split('\n').find((l) => l.startsWith('| `infra/aws/worker.ts`')) ?? '';
    expect(row).toMatch(/private subnets/);
    expect(row).toMatch(/no public IP/);
    expect(row).toMatch(/NAT instance/);
    // The fixed costs count the NAT instances and their addresses.
    expect(guide).toMatch(/NAT instances \(one per availability zone, 2\)/);
  });
});

describe('runtimes: nothing deployed on a runtime past its support date', () => {
  it('the API function names a Lambda runtime that is not deprecated today', async () => {
    const { one } = await deploy('production');
    const runtime = one('Function', 'Api').args.runtime as string;
    expect(runtime).toBe(API_LAMBDA_RUNTIME);
    expect(lambdaRuntimeProblem(runtime, new Date())).toBeUndefined();
  });

  it('the runtime table refuses what it should', () => {
    expect(lambdaRuntimeProblem('nodejs20.x', new Date('2026-12-04T12:00:00Z'))).toMatch(
      /deprecated on 2026-04-30/,
    );
    expect(lambdaRuntimeProblem('nodejs22.x', new Date('2027-04-29T23:59:59Z'))).toBeUndefined();
    expect(lambdaRuntimeProblem('nodejs22.x', new Date('2027-04-30T00:00:00Z'))).toMatch(/deprecated/);
    expect(lambdaRuntimeProblem('nodejs16.x', new Date())).toMatch(/not in infra\/runtimes\.ts/);
    expect(nodeImageProblem('node:20-slim', new Date('2026-12-04T00:00:00Z'))).toMatch(/end of life/);
    expect(nodeImageProblem('node:22-slim', new Date('2026-12-04T00:00:00Z'))).toBeUndefined();
  });

  it('every runtime row has its three dates in order, and names its source', async () => {
    for (const r of lambdaNodeRuntimes) {
      expect(r.deprecation < r.blockCreate && r.blockCreate < r.blockUpdate, r.id).toBe(true);
    }
    const source = await readFile(path.join(projectRoot, 'infra/runtimes.ts'), 'utf8');
    expect(source).toContain('https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html');
  });
});

describe('buckets: evidence files and write-once audit anchors', () => {
  it('keeps evidence private, versioned, with lifecycle rules; retained in production', async () => {
    const { one } = await deploy('production');
    const evidence = one('Bucket', 'Evidence');
    expect(evidence.args.access).toBeUndefined();
    expect(evidence.args.versioning).toBe(true);
    const bucketArgs: Args = {};
    const opts: Args = {};
    (evidence.args.transform as { bucket: (a: Args, o: Args) => undefined }).bucket(bucketArgs, opts);
    expect(bucketArgs.forceDestroy).toBe(false);
    expect(opts.retainOnDelete).toBe(true);
    const lifecycle = one('BucketLifecycle', 'EvidenceLifecycle');
    expect(lifecycle.args.bucket).toBe(evidence.self.name);
    const rules = lifecycle.args.rules as Args[];
    expect(rules.map((r) => r.id)).toEqual([
      'abort-incomplete-uploads',
      'expire-replaced-versions',
      'infrequent-access-after-90-days',
    ]);
    expect(rules.every((r) => r.status === 'Enabled')).toBe(true);
  });

  it('locks every anchor in compliance mode from creation: ten years in production, a day elsewhere', async () => {
    const prod = await deploy('production');
    const anchors = prod.one('Bucket', 'Anchors');
    const bucketArgs: Args = {};
    const opts: Args = {};
    (anchors.args.transform as { bucket: (a: Args, o: Args) => undefined }).bucket(bucketArgs, opts);
    expect(bucketArgs).toEqual({ objectLockEnabled: true, forceDestroy: false });
    expect(opts.retainOnDelete).toBe(true);
    expect(anchors.args.access).toBeUndefined();
    const lock = prod.one('BucketObjectLock', 'AnchorsObjectLock');
    expect(lock.args).toEqual({
      bucket: anchors.self.name,
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', days: 3650 } },
    });
    const dev = await deploy('dev');
    expect(dev.one('BucketObjectLock').args.rule).toEqual({
      defaultRetention: { mode: 'COMPLIANCE', days: 1 },
    });
    const set = await deploy('production', { RECTIFY_ANCHOR_RETENTION_DAYS: '2555' });
    expect(set.one('BucketObjectLock').args.rule).toEqual({
      defaultRetention: { mode: 'COMPLIANCE', days: 2555 },
    });
  });

  it('tells the API and the worker both bucket names, and outputs them', async () => {
    const { one, outputs } = await deploy('production');
    for (const c of [one('Function', 'Api'), one('Service', 'Worker')]) {
      const env = c.args.environment as Record<string, unknown>;
      expect(env.EVIDENCE_BUCKET, c.name).toBe(one('Bucket', 'Evidence').self.name);
      expect(env.ANCHOR_BUCKET, c.name).toBe(one('Bucket', 'Anchors').self.name);
    }
    expect(outputs.evidenceBucket).toBe(one('Bucket', 'Evidence').self.name);
    expect(outputs.anchorBucket).toBe(one('Bucket', 'Anchors').self.name);
  });
});

describe('Temporal endpoint checked at deploy', () => {
  it('stops an API-key deploy pointed at the mTLS namespace endpoint, naming the regional form', async () => {
    await expect(
      deploy('production', {}, { ...API_KEY_SECRETS, TemporalAddress: MTLS_ADDRESS }),
    ).rejects.toThrow(/<region>\.<cloud>\.api\.temporal\.io:7233/);
  });

  it('accepts the namespace endpoint with an API key when the namespace has High Availability', async () => {
    const { one } = await deploy(
      'production',
      { RECTIFY_TEMPORAL_HIGH_AVAILABILITY: 'true' },
      { ...API_KEY_SECRETS, TemporalAddress: MTLS_ADDRESS },
    );
    const env = taskEnv(one('Service', 'Worker'));
    expect(env.TEMPORAL_HIGH_AVAILABILITY).toBe('true');
    expect(temporalConnectionOptions(parseEnv(env))).toMatchObject({ address: MTLS_ADDRESS, tls: true });
  });

  it('stops an mTLS deploy pointed at a regional endpoint, naming the namespace endpoint', async () => {
    await expect(
      deploy(
        'production',
        { RECTIFY_TEMPORAL_AUTH: 'mtls' },
        { ...MTLS_SECRETS, TemporalAddress: API_KEY_SECRETS.TemporalAddress },
      ),
    ).rejects.toThrow(/rectify-prod\.a1b2c\.tmprl\.cloud:7233/);
  });
});

describe('the pinned SST, and the guide that uses it', () => {
  it('pins sst exactly, at 3.18 or later (function URLs with the invoke permission AWS requires)', async () => {
    const pkg = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const version = pkg.devDependencies.sst ?? '';
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const [major, minor] = version.split('.').map(Number) as [number, number];
    expect(major === 3 && minor >= 18).toBe(true);
    const installed = JSON.parse(
      await readFile(path.join(projectRoot, 'node_modules/sst/package.json'), 'utf8'),
    ) as { version: string };
    expect(installed.version).toBe(version);
    const guide = await readFile(path.join(projectRoot, 'docs/deploy.md'), 'utf8');
    // The guide names the version it was checked against.
    expect(guide).toMatch(new RegExp(`SST ${version.replace(/\./g, '\\.')}\\b`));
  });

  it('runs every sst command of docs/deploy.md through npx from the project (never a floating or unsaved one)', async () => {
    const guide = await readFile(path.join(projectRoot, 'docs/deploy.md'), 'utf8');
    expect(guide).not.toMatch(/sst@/);
    expect(guide).not.toMatch(/--no-save/);
    const code = [...guide.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
    const invocations = [...code.matchAll(/(^|[\s;&|(`$])((?:npx\s+)?sst)\s+[a-z]/gm)].map((m) => m[2]);
    expect(invocations.length).toBeGreaterThan(5);
    for (const inv of invocations) expect(inv).toBe('npx sst');
  });
});
