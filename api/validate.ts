import type { Context } from 'hono';
import { z } from 'zod';
import { callerLanguage, ProblemError, type FieldError, type Lang } from './problems.ts';

/**
 * The one validator wrapper: parses with a zod schema and throws a
 * ProblemError (400, per-field errors in the caller's language) when the
 * input doesn't fit. Handlers get typed values or never run.
 */
const zhErrors = z.locales.zhCN().localeError;
const enErrors = z.locales.en().localeError;

export function parseOr400<S extends z.ZodType>(
  schema: S,
  data: unknown,
  lang: Lang,
  where: 'body' | 'query' | 'path' | 'form',
): z.output<S> {
  const r = schema.safeParse(data, { error: lang === 'en' ? enErrors : zhErrors });
  if (r.success) return r.data;
  const errors: FieldError[] = r.error.issues.map((i) => ({
    field: i.path.length > 0 ? i.path.map(String).join('.') : `(${where})`,
    message: i.message,
  }));
  throw new ProblemError(
    'validation',
    {
      zh: `${where === 'body' ? '请求体' : where === 'query' ? '查询参数' : '路径参数'}有 ${errors.length} 处错误，见 errors`,
      en: `${errors.length} problem(s) in the request ${where}; see errors`,
    },
    errors,
  );
}

const isJson = (contentType: string | undefined) =>
  /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(contentType?.trim() ?? '');

/**
 * Reads a JSON body. A body without `Content-Type: application/json` is
 * refused (415) rather than read as `{}`, which would let a client's missing
 * header pass validation of an all-optional schema.
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const lang = callerLanguage(c);
  if (!isJson(c.req.header('content-type'))) {
    throw new ProblemError('unsupported_media_type', {
      zh: '请求体须为 JSON，并带请求头 Content-Type: application/json',
      en: 'send the body as JSON with the header Content-Type: application/json',
    });
  }
  const raw = await c.req.text();
  if (raw.trim() === '') {
    throw new ProblemError('validation', { zh: '请求体为空', en: 'the request body is empty' });
  }
  let data: unknown;
  try {
    data = JSON.parse(raw) as unknown;
  } catch (err) {
    throw new ProblemError('validation', {
      zh: `请求体不是合法的 JSON：${(err as Error).message}`,
      en: `the request body is not valid JSON: ${(err as Error).message}`,
    });
  }
  return parseOr400(schema, data, lang, 'body');
}

/** Validates the query string (every parameter, unknown ones refused). */
export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseOr400(schema, c.req.query(), callerLanguage(c), 'query');
}

/** Validates path parameters. */
export function paramsOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseOr400(schema, c.req.param(), callerLanguage(c), 'path');
}
