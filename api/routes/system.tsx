import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetSendQuotaCommand } from '@aws-sdk/client-ses';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { bi, documentResponse, jsonResponse, JSON_TYPE, pageResponse } from './declare.ts';
import { DocsPage } from '../pages/docs.tsx';
import { entryPointsSchema, healthSchema } from '../schemas.ts';

export interface HealthReport {
  ok: boolean;
  checks: Record<'temporal' | 'dynamodb' | 'ses', { ok: boolean; detail?: string }>;
}

const within = <T,>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; detail?: string }> {
  try {
    await within(fn(), 3000);
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

/** Asks Temporal, DynamoDB and the mail transport (SES, or the SMTP relay under `ses`) each for a trivial answer. */
export async function healthReport(deps: AppDeps): Promise<HealthReport> {
  const [temporal, dynamodb, ses] = await Promise.all([
    check(() => deps.temporal.workflowService.getSystemInfo({})),
    check(() => deps.aws.ddb.send(new ListTablesCommand({ Limit: 1 }))),
    check(async () => {
      // With the school's SMTP relay, the mail check is that relay answering and taking our login.
      if (deps.aws.smtp) return deps.aws.smtp.verify();
      if (deps.env.SES_ENDPOINT) {
        // The emulator doesn't implement quota calls; its store answering proves it is up.
        const res = await fetch(`${deps.env.SES_ENDPOINT}/store`);
        if (!res.ok) throw new Error(`SES emulator answered ${res.status}`);
        return;
      }
      await deps.aws.ses.send(new GetSendQuotaCommand({}));
    }),
  ]);
  return { ok: temporal.ok && dynamodb.ok && ses.ok, checks: { temporal, dynamodb, ses } };
}

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'health',
  tags: ['system'],
  security: [],
  summary: bi({ zh: '健康检查', en: 'Health' }),
  responses: {
    200: jsonResponse(healthSchema, { zh: '全部正常', en: 'All parts answer' }),
    503: jsonResponse(healthSchema, { zh: '有部件无响应', en: 'A part does not answer' }),
  },
});

export const openApiRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'openApiDocument',
  tags: ['system'],
  security: [],
  summary: bi({ zh: '本接口的 OpenAPI 3.1 文档', en: 'This API as an OpenAPI 3.1 document' }),
  responses: { 200: documentResponse(JSON_TYPE, { zh: 'OpenAPI 文档', en: 'The OpenAPI document' }) },
});

export const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'docs',
  tags: ['system'],
  security: [],
  summary: bi({ zh: '接口参考页面', en: 'The API reference page' }),
  description: bi({
    zh: '由 /openapi.json 生成的中英文参考页面。',
    en: 'A bilingual reference page generated from /openapi.json.',
  }),
  responses: { 200: pageResponse({ zh: '参考页面', en: 'The reference' }) },
});

/** Where the first address `npm start` prints leads: the web app, which sends a stranger to sign in. */
export const rootRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'root',
  tags: ['system'],
  security: [],
  summary: bi({ zh: '首页：转到网页应用', en: 'Home: on to the web app' }),
  description: bi({
    zh: '浏览器被重定向到 /app（未登录时再转到 /login）；要求 JSON 的客户端得到各入口的地址。',
    en: 'A browser is redirected to /app (and on to /login when not signed in); a client asking for JSON gets the addresses of the entry points.',
  }),
  responses: {
    200: jsonResponse(entryPointsSchema, { zh: '各入口的地址', en: 'The entry points' }),
    302: { description: bi({ zh: '转到网页应用', en: 'On to the web app' }) },
  },
});

const entryPoints = {
  app: '/app',
  login: '/login',
  docs: '/docs',
  openapi: '/openapi.json',
  health: '/health',
};

export const systemRouteDefinitions: RouteConfig[] = [rootRoute, healthRoute, openApiRoute, docsRoute];

/** /, /health, /openapi.json and /docs; `document` is the OpenAPI document of the whole app. */
export function systemRoutes(deps: AppDeps, document: () => Record<string, unknown>): OpenAPIHono {
  const app = new OpenAPIHono();
  app.openapi(rootRoute, (c) => {
    const accept = c.req.header('accept') ?? '';
    // Only a client that asks for JSON and not for a page gets the list; a bare curl is a browser.
    if (accept.includes('json') && !accept.includes('text/html')) return c.json(entryPoints, 200);
    return c.redirect('/app', 302);
  });
  app.openapi(healthRoute, async (c) => {
    const report = await healthReport(deps);
    return c.json(report, report.ok ? 200 : 503);
  });
  app.openapi(openApiRoute, (c) => c.json(document(), 200));
  app.openapi(docsRoute, (c) => c.html(`<!doctype html>${String(<DocsPage doc={document()} />)}`));
  return app;
}
