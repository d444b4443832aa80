import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { stackVariables } from '../../infra/local/ephemeral.ts';
import type { Hono } from 'hono';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { appendAudit } from '../../store/audit-chain.ts';
import { createAwsDeps } from '../../store/clients.ts';
import { createApp } from '../../api/app.ts';
import { issueLocalToken } from '../../api/auth.ts';
import type { CaseView } from '../../domain/case-model.ts';
import type { Directory } from '../../domain/directory.ts';
import { caseInput } from '../support/case-harness.ts';
import {
  TEST_SIGNING_KEYS,
  seedDemo,
  testDeps,
  testEnv,
  uniqueCaseNumber,
  uniqueId,
} from '../support/stack.ts';

// The Lambda entry against the real stack (DynamoDB Local, the Temporal dev
// server, the SES emulator), compared request for request with the app as
// `npm start` serves it.

const JWT_SECRET = 'lambda-test-jwt-secret-0123456789abcdef';
const DOMAIN = 'abcdefghijklmnop.lambda-url.ap-southeast-1.on.aws';

let handler: (event: LambdaEvent) => Promise<{
  statusCode: number;
  body: string;
  headers?: Record<string, string | string[]>;
  isBase64Encoded: boolean;
}>;
let local: Hono;
let connection: Connection;
let dir: Directory;

/** A Lambda function URL request (payload format 2.0, the same as API Gateway HTTP APIs). */
function urlEvent(method: string, rawPath: string, headers: Record<string, string> = {}): LambdaEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: DOMAIN, 'user-agent': 'vitest', ...headers },
    isBase64Encoded: false,
    body: null,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnop',
      authentication: null,
      authorizer: {},
      domainName: DOMAIN,
      domainPrefix: 'abcdefghijklmnop',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'vitest' },
      requestId: uniqueId('req'),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  } as unknown as LambdaEvent;
}

/** The same request to the Lambda handler and to the local app: status, content type and body side by side. */
async function both(method: string, path: string, headers: Record<string, string> = {}) {
  const viaLambda = await handler(urlEvent(method, path, headers));
  const viaLocal = await local.request(path, { method, headers });
  const header = (h: Record<string, string | string[]> | undefined, name: string) => {
    const v = Object.entries(h ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
    return Array.isArray(v) ? v.join(',') : v;
  };
  return {
    lambda: {
      status: viaLambda.statusCode,
      type: header(viaLambda.headers, 'content-type'),
      source: header(viaLambda.headers, 'x-case-source'),
      body: JSON.parse(
        viaLambda.isBase64Encoded ? Buffer.from(viaLambda.body, 'base64').toString() : viaLambda.body,
      ) as unknown,
    },
    local: {
      status: viaLocal.status,
      type: viaLocal.headers.get('content-type') ?? undefined,
      source: viaLocal.headers.get('x-case-source') ?? undefined,
      body: (await viaLocal.json()) as unknown,
    },
  };
}

/** A case as the workflow leaves it after opening, stored the way the recordStep activity stores it. */
async function storeOpenCase(): Promise<CaseView> {
  // The API takes only ids in the case counter's format.
  const input = { ...caseInput(dir, new Date()), caseId: uniqueCaseNumber() };
  const at = input.openedAt;
  const view: CaseView = {
    caseId: input.caseId,
    title: input.title,
    description: input.description,
    source: input.source,
    severity: input.severity,
    category: input.category,
    location: input.location,
    assigneeId: input.assigneeId,
    responsibleId: input.assigneeId,
    reporter: input.reporter,
    openedBy: input.openedBy.id,
    openedAt: at,
    stage: 'analysing',
    round: 1,
    failedReviews: 0,
    overdue: false,
    sla: { version: input.policy.slaVersion, ruleId: input.policy.slaRuleId, label: input.policy.slaLabel },
    deadlines: [],
    notices: [],
    signOffs: [],
    rectifications: [],
    reviews: [],
    adjudications: [],
    comments: [],
    timeline: [{ at, actorId: input.openedBy.id, action: 'detected', stage: 'analysing', round: 1 }],
    version: 1,
  };
  const deps = testDeps();
  await appendAudit(deps.ddb, deps.tables, {
    caseId: view.caseId,
    stepId: 'step-1',
    at,
    actor: { id: input.openedBy.id, via: 'api' },
    action: 'detected',
    payload: { source: view.source },
    view,
  });
  return view;
}

beforeAll(async () => {
  const stack = inject('stack');
  dir = await seedDemo(testDeps());
  // What SST sets on the function, pointed at the local stack instead of AWS.
  const lambdaEnv = {
    ...stackVariables(stack),
    // Said explicitly: the Lambda entry refuses to guess (infra/deployed-mode.ts).
    RECTIFY_MODE: 'local',
    LINK_SIGNING_KEYS: JSON.stringify(TEST_SIGNING_KEYS),
    JWT_SECRET,
    PUBLIC_BASE_URL: '',
  };
  for (const [k, v] of Object.entries(lambdaEnv)) vi.stubEnv(k, v);
  ({ handler } = await import('../../api/lambda.ts'));

  const env = testEnv({ JWT_SECRET, PUBLIC_BASE_URL: `https://${DOMAIN}` });
  connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  local = createApp({
    env,
    aws: createAwsDeps(env),
    temporal: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }),
    signingKeys: TEST_SIGNING_KEYS,
    jwtSecret: JWT_SECRET,
    publicBaseUrl: `https://${DOMAIN}`,
    temporalUiUrl: env.TEMPORAL_UI_URL,
  });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await connection?.close();
});

describe('api/lambda.ts handler', () => {
  it('answers GET /health as the local server does: 200, all three services up', async () => {
    const r = await both('GET', '/health');
    expect(r.lambda).toEqual(r.local);
    expect(r.lambda.status).toBe(200);
    expect(r.lambda.body).toEqual({
      ok: true,
      checks: { temporal: { ok: true }, dynamodb: { ok: true }, ses: { ok: true } },
    });
  });

  it('reads a stored case by id with the same status, headers and body as the local server', async () => {
    const view = await storeOpenCase();
    const token = await issueLocalToken(JWT_SECRET, 'audit-he');
    const r = await both('GET', `/api/cases/${view.caseId}`, { authorization: `Bearer ${token}` });
    expect(r.lambda).toEqual(r.local);
    expect(r.lambda.status).toBe(200);
    expect(r.lambda.type).toMatch(/^application\/json/);
    expect(r.lambda.source).toBe('record');
    // The read adds where each case-level clock stands (none for a case stored without clocks).
    expect(r.lambda.body).toEqual({ ...view, clockStatus: [] });
  });

  it('refuses the same requests the same way (problem+json)', async () => {
    const token = await issueLocalToken(JWT_SECRET, 'audit-he');
    const missing = await both('GET', `/api/cases/${uniqueCaseNumber()}`, {
      authorization: `Bearer ${token}`,
    });
    expect(missing.lambda).toEqual(missing.local);
    expect(missing.lambda.status).toBe(404);
    expect(missing.lambda.type).toMatch(/^application\/problem\+json/);

    const anonymous = await both('GET', '/api/cases/ZG-2026-000001');
    expect(anonymous.lambda).toEqual(anonymous.local);
    expect(anonymous.lambda.status).toBe(401);
  });
});

describe('api/lambda.ts never starts in local mode by default', () => {
  it('refuses a cold start without RECTIFY_MODE, and local mode on AWS itself', async () => {
    vi.stubEnv('RECTIFY_MODE', '');
    vi.resetModules();
    const unset = (await import('../../api/lambda.ts')).handler;
    await expect(unset(urlEvent('GET', '/health'))).rejects.toThrow(
      /RECTIFY_MODE: api\/lambda.ts is a deployed entry and must be told its mode/,
    );

    vi.stubEnv('RECTIFY_MODE', 'local');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'rectify-production-Api');
    vi.resetModules();
    const onAws = (await import('../../api/lambda.ts')).handler;
    await expect(onAws(urlEvent('GET', '/health'))).rejects.toThrow(/refuses RECTIFY_MODE=local/);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', '');
    vi.stubEnv('RECTIFY_MODE', 'local');
  });
});

describe('api/lambda.ts in production mode (a fresh cold start)', () => {
  it('fails a request while the configuration is incomplete, then starts once it is fixed', async () => {
    vi.stubEnv('RECTIFY_MODE', 'production');
    vi.stubEnv('JWT_SECRET', '');
    vi.stubEnv('JWKS_URL', '');
    vi.resetModules();
    const { handler: cold } = await import('../../api/lambda.ts');
    await expect(cold(urlEvent('GET', '/health'))).rejects.toThrow(
      /JWKS_URL: required when RECTIFY_MODE=production/,
    );

    vi.stubEnv('JWKS_URL', 'https://idp.example.edu.cn/.well-known/jwks.json');
    await expect(cold(urlEvent('GET', '/health'))).rejects.toThrow(
      /JWT_ISSUER: required when RECTIFY_MODE=production/,
    );

    vi.stubEnv('JWT_ISSUER', 'https://idp.example.edu.cn');
    vi.stubEnv('JWT_AUDIENCE', 'rectify');
    vi.stubEnv('OIDC_ISSUER', 'https://idp.example.edu.cn');
    vi.stubEnv('OIDC_CLIENT_ID', 'rectify-web');
    vi.stubEnv('OIDC_CLIENT_SECRET', 'an-oidc-client-secret');
    const health = await cold(urlEvent('GET', '/health'));
    expect(health.statusCode).toBe(200);
    // Tokens are the identity provider's now: a locally signed one is refused.
    const token = await issueLocalToken(JWT_SECRET, 'audit-he');
    const refused = await cold(
      urlEvent('GET', '/api/cases/ZG-2026-000001', { authorization: `Bearer ${token}` }),
    );
    expect(refused.statusCode).toBe(401);
  });
});

/** A local port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('api/lambda.ts when Temporal does not answer at a cold start', () => {
  it('answers 503 problem+json (not the 502 of a thrown error), then starts once Temporal answers', async () => {
    const stack = inject('stack');
    vi.stubEnv('RECTIFY_MODE', 'local');
    vi.stubEnv('JWT_SECRET', JWT_SECRET);
    vi.stubEnv('TEMPORAL_ADDRESS', `127.0.0.1:${await closedPort()}`);
    vi.resetModules();
    const { handler: cold } = await import('../../api/lambda.ts');

    const down = await cold(urlEvent('GET', '/health', { 'accept-language': 'en' }));
    expect(down.statusCode).toBe(503);
    const headers = Object.fromEntries(
      Object.entries(down.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(headers['retry-after']).toBe('10');
    expect(JSON.parse(down.body)).toMatchObject({
      type: 'https://rectify.dev/problems/unavailable',
      title: 'Service unavailable',
      status: 503,
      detail: expect.stringMatching(/Temporal/),
    });
    // zh-CN unless the caller asks otherwise.
    const zh = await cold(urlEvent('GET', '/api/cases/ZG-2026-000001'));
    expect(zh.statusCode).toBe(503);
    expect(JSON.parse(zh.body)).toMatchObject({ title: '服务暂不可用', status: 503 });

    // The failed start is not remembered: the next request after Temporal answers gets the app.
    vi.stubEnv('TEMPORAL_ADDRESS', stackVariables(stack).TEMPORAL_ADDRESS!);
    const up = await cold(urlEvent('GET', '/health'));
    expect(up.statusCode).toBe(200);
  });
});
