import { z } from 'zod';
import type { Bilingual } from '../../domain/text.ts';
import { problemSchema, schemaRegistry } from '../schemas.ts';

/**
 * The parts every route declaration (`createRoute`) shares: bilingual text,
 * the problem+json responses, documents (pages, streams, files), and JSON
 * Schema through zod itself (a schema in `schemaRegistry` is a $ref to its
 * named component). The document is assembled in api/openapi.ts.
 */
export type JsonSchema = Record<string, unknown>;

export const JSON_TYPE = 'application/json';
export const PROBLEM_TYPE = 'application/problem+json';

/** How the document writes text a person reads: Chinese, then English. */
export const bi = (t: Bilingual): string => `${t.zh} / ${t.en}`;

const problemTexts: Record<number, Bilingual> = {
  400: { zh: '请求参数有误（见 errors）', en: 'Invalid request (see errors)' },
  401: { zh: '未登录或令牌无效', en: 'Missing or invalid bearer token' },
  403: { zh: '无权操作（说明拒绝所依据的规则）', en: 'Refused; the detail names the rule' },
  404: { zh: '案件不存在', en: 'No such case' },
  409: { zh: '与案件当前状态冲突，或 Idempotency-Key 已用于不同请求', en: 'Conflicts with the case state' },
  413: { zh: '请求体过大', en: 'Body too large' },
  415: { zh: '缺少 Content-Type: application/json', en: 'Body is not JSON' },
  422: { zh: '引用了名录中不存在的人或位置，或步骤内容无效', en: 'Unknown person or place, or invalid step' },
  429: { zh: '同时进行的任务过多，请等待已有任务完成', en: 'Too many jobs running; wait for one to finish' },
  503: {
    zh: '尚未加载校园名录（管理员须先导入）',
    en: 'No campus directory is loaded yet (an admin must load one)',
  },
};

interface Described {
  description: string;
}

/** problem+json responses for the statuses, each with its standard description unless given one. */
export function problems(
  statuses: number[],
  own: Partial<Record<number, Bilingual>> = {},
): Record<number, Described & { content: { [PROBLEM_TYPE]: { schema: typeof problemSchema } } }> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: bi(own[status] ?? problemTexts[status] ?? { zh: '错误', en: 'Error' }),
        content: { [PROBLEM_TYPE]: { schema: problemSchema } },
      },
    ]),
  );
}

/**
 * A response whose body is a document rather than JSON a zod schema describes
 * (a page, a stream, a file, a free-form report); the first media type is the
 * usual one. Its handler answers a plain Response.
 */
export const documentResponse = (mediaTypes: string | string[], text: Bilingual) => ({
  description: bi(text),
  content: Object.fromEntries([mediaTypes].flat().map((mt) => [mt, { schema: {} }])) as Record<
    string,
    { schema: Record<string, never> }
  >,
});
export const pageResponse = (text: Bilingual) => documentResponse('text/html', text);

/** A JSON response described by a schema. */
export const jsonResponse = <S extends z.ZodType>(schema: S, text: Bilingual) => ({
  description: bi(text),
  content: { [JSON_TYPE]: { schema } },
});

/** The `lang` query parameter, documented only: routes that don't validate their query ignore it. */
export const langParameter = {
  name: 'lang',
  in: 'query' as const,
  required: false,
  schema: { type: 'string' as const, enum: ['zh-CN', 'en'] },
};

export const strip = (s: JsonSchema): JsonSchema => {
  const { $schema: _s, $id: _i, ...rest } = s;
  return rest;
};

export const isZod = (s: unknown): s is z.ZodType => s instanceof z.ZodType;

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a schema; a named one is a $ref. */
export function jsonSchemaOf(schema: unknown): JsonSchema {
  if (!isZod(schema)) return (schema ?? {}) as JsonSchema;
  const id = schemaRegistry.get(schema)?.id;
  if (id) return { $ref: `#/components/schemas/${id}` };
  // Parameter objects are small and inline: convert without the registry so nothing becomes a $ref.
  return strip(
    z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema,
  );
}
