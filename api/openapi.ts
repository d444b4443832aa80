import type { RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import { isZod, jsonSchemaOf, strip, type JsonSchema } from './routes/declare.ts';
import { routeDefinitions } from './routes/index.ts';
import { schemaRegistry } from './schemas.ts';

/**
 * The OpenAPI 3.1 document, built from route declarations (`createRoute`):
 * the app serves the document of the routes it registered, so the document,
 * /docs and the app cannot describe different APIs. Without an app, the
 * declarations of api/routes/index.ts (what the tests read).
 */
/** Every named schema as an OpenAPI component. */
export function componentSchemas(): Record<string, JsonSchema> {
  const out = z.toJSONSchema(schemaRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    metadata: schemaRegistry,
    uri: (ref) => `#/components/schemas/${ref}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(out.schemas).map(([k, v]) => [k, strip(v)]));
}

function parameters(r: RouteConfig): JsonSchema[] {
  const params: JsonSchema[] = [];
  const add = (where: 'path' | 'query', obj: unknown) => {
    if (!obj) return;
    const js = jsonSchemaOf(obj) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      params.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        schema,
      });
    }
  };
  add('path', r.request?.params);
  add('query', r.request?.query);
  for (const p of r.parameters ?? []) params.push(p as unknown as JsonSchema);
  return params;
}

interface Described {
  description: string;
}

type Content = Record<string, { schema?: unknown } | undefined>;

const contentOf = (content: Content) =>
  Object.fromEntries(
    Object.entries(content).map(([mediaType, m]) => {
      const schema = jsonSchemaOf(m?.schema);
      return [mediaType, Object.keys(schema).length > 0 ? { schema } : {}];
    }),
  );

/** One route declaration as an OpenAPI operation. */
function operation(r: RouteConfig): JsonSchema {
  const body = r.request?.body?.content as Content | undefined;
  return {
    operationId: r.operationId,
    tags: r.tags,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    ...(r.security ? { security: r.security } : {}),
    parameters: parameters(r),
    ...(body ? { requestBody: { required: true, content: contentOf(body) } } : {}),
    responses: Object.fromEntries(
      Object.entries(r.responses).map(([status, res]) => {
        const content = (res as { content?: Content }).content;
        return [
          status,
          {
            description: (res as Described).description,
            ...(content ? { content: contentOf(content) } : {}),
          },
        ];
      }),
    ),
  };
}

/** The OpenAPI 3.1 document of the routes an app registered. */
export function openApiDocument(
  serverUrl?: string,
  declared: readonly RouteConfig[] = routeDefinitions,
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of declared) (paths[r.path] ??= {})[r.method] = operation(r);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Rectify API · 整改闭环接口',
      version: '1.0.0',
      description:
        'Closed-loop rectification for campus logistics and dormitories. Errors are application/problem+json in the caller’s language (?lang=en or Accept-Language). / 校园后勤与学生公寓整改闭环。错误以 application/problem+json 返回，语言随调用者。',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [
      { name: 'cases', description: '案件 / Cases' },
      { name: 'audit', description: '审计轨迹 / Audit trail' },
      { name: 'reports', description: '周报与指标 / Reports and KPIs' },
      { name: 'directory', description: '名录 / Directory' },
      { name: 'actions', description: '邮件链接页面 / Email link pages' },
      { name: 'admin', description: '管理 / Administration' },
      { name: 'system', description: '系统 / System' },
    ],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Locally: npm run token -- <personId>. In production: the school identity provider’s JWT (verified against its JWKS).',
        },
      },
      schemas: componentSchemas(),
    },
    paths,
  };
}

/** A route as the API's tests read it: one media type (the first declared) and zod schema per status. */
export interface RouteDoc {
  method: string;
  /** OpenAPI form: /api/cases/{caseId}. */
  path: string;
  operationId: string;
  auth: boolean;
  responses: { status: number; schema?: z.ZodType | undefined; mediaType?: string | undefined }[];
}

export function routeDoc(r: RouteConfig): RouteDoc {
  return {
    method: r.method,
    path: r.path,
    operationId: r.operationId ?? `${r.method} ${r.path}`,
    auth: r.security === undefined || r.security.length > 0,
    responses: Object.entries(r.responses).map(([status, res]) => {
      const [mediaType, media] = Object.entries((res as { content?: Content }).content ?? {})[0] ?? [];
      const schema = media?.schema;
      return { status: Number(status), mediaType, schema: isZod(schema) ? schema : undefined };
    }),
  };
}

/** Every declared route as the API tests read it. */
export const routes: RouteDoc[] = routeDefinitions.map(routeDoc);
