import type { Bilingual, Lang } from '../domain/text.ts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error the API returns is application/problem+json: a stable `type`,
 * a title and detail in the caller's language (zh-CN by default), and
 * per-field `errors` for validation.
 */
export const problemTypes = {
  validation: { status: 400, zh: '请求参数有误', en: 'The request is not valid' },
  unauthenticated: { status: 401, zh: '需要登录', en: 'Authentication required' },
  forbidden: { status: 403, zh: '无权执行此操作', en: 'Not allowed' },
  not_found: { status: 404, zh: '未找到', en: 'Not found' },
  conflict: { status: 409, zh: '与当前状态冲突', en: 'Conflicts with the current state' },
  payload_too_large: { status: 413, zh: '请求内容过大', en: 'Request body too large' },
  unsupported_media_type: { status: 415, zh: '请求格式不受支持', en: 'Unsupported media type' },
  unprocessable: { status: 422, zh: '无法处理的请求', en: 'The request cannot be processed' },
  unavailable: { status: 503, zh: '服务暂不可用', en: 'Service unavailable' },
  internal: { status: 500, zh: '服务器内部错误', en: 'Internal error' },
} as const;
export type ProblemType = keyof typeof problemTypes;

/** Text a person reads, in both languages: the response picks the caller's. */
export type LocalText = Bilingual;

export interface FieldError {
  field: string;
  message: string;
}

export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(
    readonly type: ProblemType,
    readonly detail: string | LocalText,
    readonly errors?: FieldError[],
  ) {
    super(typeof detail === 'string' ? detail : detail.en);
  }
}

export type { Lang };

/** The caller's language: `?lang=`, else Accept-Language, else zh-CN. */
export function callerLanguage(c: Context): Lang {
  const q = c.req.query('lang');
  if (q === 'en' || q === 'zh-CN') return q;
  const header = c.req.header('accept-language') ?? '';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export const localise = (text: string | LocalText, lang: Lang): string =>
  typeof text === 'string' ? text : lang === 'en' ? text.en : text.zh;

/** The problem+json body for an error, in a language. */
export function problemBody(p: ProblemError, lang: Lang) {
  const def = problemTypes[p.type];
  return {
    type: `https://rectify.dev/problems/${p.type.replace(/_/g, '-')}`,
    title: lang === 'en' ? def.en : def.zh,
    status: def.status,
    detail: localise(p.detail, lang),
    ...(p.errors ? { errors: p.errors } : {}),
  };
}

export function problemResponse(c: Context, p: ProblemError): Response {
  const body = problemBody(p, callerLanguage(c));
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json; charset=utf-8',
    // RFC 9110 requires a challenge on every 401; RFC 6750 names the scheme.
    ...(body.status === 401 ? { 'www-authenticate': 'Bearer realm="rectify"' } : {}),
  });
}
