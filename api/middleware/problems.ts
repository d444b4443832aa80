import {
  QueryNotRegisteredError,
  QueryRejectedError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { splitBilingual, type Bilingual, type Lang } from '../../domain/text.ts';
import { CaseFailure } from '../../workflows/rectification-case/messages.ts';
import { handlerRefusalText } from '../../domain/case-handling.ts';
import { DirectoryChangedMeanwhile } from '../../store/directory.ts';
import { isApiPath, wantsPage } from '../paths.ts';
import { chooseLanguage, langFromAcceptLanguage, signedInPerson } from './language.ts';

/**
 * Every error the API returns is application/problem+json: a stable `type`,
 * a title and detail in the caller's language (callerLanguage), and
 * per-field `errors` for validation.
 */
export const problemTypes = {
  validation: { status: 400, zh: '请求参数有误', en: 'The request is not valid' },
  unauthenticated: { status: 401, zh: '需要登录', en: 'Authentication required' },
  forbidden: { status: 403, zh: '无权执行此操作', en: 'Not allowed' },
  not_found: { status: 404, zh: '未找到', en: 'Not found' },
  method_not_allowed: { status: 405, zh: '不支持此请求方法', en: 'Method not allowed' },
  conflict: { status: 409, zh: '与当前状态冲突', en: 'Conflicts with the current state' },
  payload_too_large: { status: 413, zh: '请求内容过大', en: 'Request body too large' },
  unsupported_media_type: { status: 415, zh: '请求格式不受支持', en: 'Unsupported media type' },
  unprocessable: { status: 422, zh: '无法处理的请求', en: 'The request cannot be processed' },
  too_many_requests: { status: 429, zh: '请求过多', en: 'Too many requests' },
  unavailable: { status: 503, zh: '服务暂不可用', en: 'Service unavailable' },
  internal: { status: 500, zh: '服务器内部错误', en: 'Internal error' },
} as const;
export type ProblemType = keyof typeof problemTypes;

export interface FieldError {
  field: string;
  message: string;
}

/** A case budget a refusal names (domain/case-budgets.ts): which one, and its limit. */
export interface BudgetNamed {
  budget: string;
  limit: number;
}

export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(
    readonly type: ProblemType,
    readonly detail: string | Bilingual,
    readonly errors?: FieldError[],
    readonly budget?: BudgetNamed,
    /**
     * What a person on a page reads instead of `detail` and `errors` (validation.ts words it): a
     * sentence without the API's field names. The API's answer keeps its documented shape.
     */
    readonly forPerson?: Bilingual,
  ) {
    super(typeof detail === 'string' ? detail : detail.en);
  }
}

export type { Lang };

/**
 * The caller's language: `?lang=`, else Accept-Language, else the signed-in person's directory
 * language, else zh-CN (language.ts says why, for every answer alike).
 */
export function callerLanguage(c: Context): Lang {
  return chooseLanguage(c.req.query('lang'), c.req.header('accept-language'), signedInPerson(c));
}

export { langFromAcceptLanguage };

export const localise = (text: string | Bilingual, lang: Lang): string =>
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
    ...(p.budget ? { budget: p.budget.budget, limit: p.budget.limit } : {}),
  };
}

export function problemResponse(c: Context, p: ProblemError): Response {
  const body =
    p.forPerson && wantsPage(c.req.path, c.req.header('accept'))
      ? pageProblemBody(c, p, p.forPerson)
      : problemBody(p, callerLanguage(c));
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json; charset=utf-8',
    // RFC 9110 requires a challenge on every 401; RFC 6750 names the scheme.
    ...(body.status === 401 ? { 'www-authenticate': 'Bearer realm="rectify"' } : {}),
  });
}

/**
 * A page's problem: the sentence for a person in the page's language (its own choice where the
 * page middleware made one), the other language beside it, and no field list to decode.
 */
function pageProblemBody(c: Context, p: ProblemError, sentence: Bilingual) {
  const chosen: unknown = c.get('lang');
  const lang: Lang = chosen === 'en' || chosen === 'zh-CN' ? chosen : callerLanguage(c);
  const { errors: _apiFields, ...body } = problemBody(p, lang);
  const other = lang === 'en' ? sentence.zh : sentence.en;
  return { ...body, detail: `${localise(sentence, lang)} ${other}` };
}

/** The details a budget refusal carries (workflows/rectification-case/state.ts `refuse`), or null. */
function budgetDetail(d: unknown): (BudgetNamed & Bilingual) | null {
  if (typeof d !== 'object' || d === null) return null;
  const { budget, limit, zh, en } = d as Record<string, unknown>;
  if (typeof budget !== 'string' || typeof zh !== 'string' || typeof en !== 'string') return null;
  // Infinity never reaches here (a legacy budget never refuses), but JSON would carry it as null.
  return { budget, limit: typeof limit === 'number' ? limit : 0, zh, en };
}

const refusalTypes: Record<string, ProblemType> = {
  [CaseFailure.Forbidden]: 'forbidden',
  [CaseFailure.Conflict]: 'conflict',
  [CaseFailure.Invalid]: 'unprocessable',
};

/**
 * The one place that turns what a handler threw into a problem: our own
 * ProblemErrors, Hono's HTTP exceptions, and Temporal's errors. A step the
 * running case refused in its update validator (its pinned policy decides)
 * keeps its reason, in the caller's language, and becomes 403/409/422.
 * Returns null for anything unexpected: the caller logs it and answers a
 * generic 500.
 */
export function toProblem(err: unknown): ProblemError | null {
  if (err instanceof ProblemError) return err;
  if (err instanceof DirectoryChangedMeanwhile) {
    return new ProblemError('conflict', {
      zh: '名录正被他人同时更新，本次没有写入任何内容；请稍后重试',
      en: 'the directory was being changed by someone else at the same time; nothing was written, try again',
    });
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new ProblemError('conflict', {
      zh: `案件 ${err.workflowId} 已存在`,
      en: `case ${err.workflowId} already exists`,
    });
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ProblemError('not_found', {
      zh: `案件 ${err.workflowId} 不存在或已结束`,
      en: `case ${err.workflowId} does not exist or has finished`,
    });
  }
  // A workflow that answers no case query is not a case (an id that reached another kind of workflow).
  if (err instanceof QueryNotRegisteredError && NO_SUCH_QUERY.test(err.message)) {
    return new ProblemError('not_found', {
      zh: '没有这个案件（该编号对应的不是案件流程）',
      en: 'there is no such case (the id belongs to something other than a case)',
    });
  }
  const unanswering = workflowCannotAnswer(err);
  if (unanswering) {
    // Nothing the reader can do about it, and it does not pass by itself: someone must look.
    console.error(`[temporal] a workflow cannot answer its query (${unanswering.en})`, err);
    return new ProblemError('unavailable', {
      zh: `案件流程暂时无法应答（${unanswering.zh}）。已记录；请联系管理员在 Temporal 中查看该案件的工作流。`,
      en: `the case's workflow cannot answer right now (${unanswering.en}). This was logged; an admin must look at the case's workflow in Temporal.`,
    });
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type ? refusalTypes[err.cause.type] : undefined;
    if (type) {
      const named = budgetDetail(err.cause.details?.[0]);
      if (named)
        return new ProblemError(type, { zh: named.zh, en: named.en }, undefined, {
          budget: named.budget,
          limit: named.limit,
        });
      // A refusal is written "English / 中文" (domain/case-model.ts): the caller reads their half.
      const m = err.cause.message;
      const message = Object.hasOwn(handlerRefusalText, m) ? (handlerRefusalText[m] ?? m) : m;
      return new ProblemError(type, splitBilingual(message));
    }
  }
  if (err instanceof HTTPException) {
    const byStatus: Partial<Record<number, ProblemType>> = {
      400: 'validation',
      401: 'unauthenticated',
      403: 'forbidden',
      404: 'not_found',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
    };
    const type = byStatus[err.status];
    if (type) return new ProblemError(type, err.message || type);
  }
  if (hasCode(err, (code) => UNREACHABLE_CODES.has(code) || code === GRPC_UNAVAILABLE)) {
    return new ProblemError('unavailable', {
      zh: '数据库或工作流服务暂时连不上（可能正在重启），请稍后重试',
      en: 'the database or the workflow service cannot be reached right now (it may be restarting); try again shortly',
    });
  }
  if (hasCode(err, (code) => GRPC_BUSY.has(code))) {
    return new ProblemError('unavailable', {
      zh: '工作流服务繁忙，这次没有及时回应；请稍后刷新查看是否已生效，未生效再重试',
      en: 'the workflow service is busy and did not answer in time; reload shortly to see whether it took effect, and try again if not',
    });
  }
  return null;
}

/**
 * How the workflow runtime says a workflow has no handler for a query (@temporalio/workflow,
 * "Workflow did not register a handler for caseView. Registered queries: […]"). The client gives
 * every failed query the same class, QueryNotRegisteredError (gRPC INVALID_ARGUMENT): a
 * workflow that ran and has no such query is another kind of workflow, anything else is one
 * that could not run to answer.
 */
const NO_SUCH_QUERY = /did not register a handler for /;

/**
 * Why a workflow that exists could not answer a query, or null when that is not what `err` says:
 * its code no longer replays its history (a nondeterminism error, the query failed with
 * "[TMPRL1100] Nondeterminism error: …"), its workflow task keeps failing (the server refuses the
 * query, FAILED_PRECONDITION "…due to Workflow Task in failed state"), or it turned the query
 * away (QueryRejectedError). None passes with a retry: the case's workflow needs an admin.
 */
function workflowCannotAnswer(err: unknown): Bilingual | null {
  if (err instanceof QueryNotRegisteredError)
    return /nondetermin/i.test(err.message)
      ? {
          zh: '工作流任务失败：代码与历史记录不一致（nondeterminism）',
          en: 'its workflow task fails: a nondeterminism error',
        }
      : { zh: '工作流任务失败：查询出错', en: 'its workflow task fails: the query failed' };
  if (err instanceof QueryRejectedError) return { zh: '查询被拒绝', en: 'the query was rejected' };
  if (
    err instanceof ServiceError &&
    hasCode(err, (code) => code === GRPC_FAILED_PRECONDITION) &&
    /workflow task in failed state/i.test(String((err.cause as { message?: unknown } | undefined)?.message))
  )
    return { zh: '工作流任务失败', en: 'its workflow task is failing' };
  return null;
}
const GRPC_FAILED_PRECONDITION = 9;

// Connection failures, as Node, the AWS SDK and gRPC (UNAVAILABLE) report them.
const UNREACHABLE_CODES = new Set<unknown>([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);
const GRPC_UNAVAILABLE = 14;
// A query or call Temporal could not answer in time (DEADLINE_EXCEEDED: a case's worker busy or
// restarting) or refused for load (RESOURCE_EXHAUSTED). A step sent meanwhile may still be taken,
// so the reader is told to look before sending it again (a step taken twice is refused anyway).
const GRPC_BUSY = new Set<unknown>([4, 8]);

/**
 * Whether the error (or one of its causes) carries a code `matches` takes: a store or Temporal
 * that cannot be reached or is too busy, which a retry later may get past, so a 503 and not a 500.
 */
function hasCode(err: unknown, matches: (code: unknown) => boolean): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, cause } = e as { code?: unknown; cause?: unknown };
    if (matches(code)) return true;
    e = cause;
  }
  return false;
}

/** The app's `onError`: a problem+json for everything, a logged generic 500 for the unexpected. */
export const problemOnError: ErrorHandler = (err, c) => {
  const problem = toProblem(err);
  if (problem) return problemResponse(c, problem);
  console.error(`[api] ${c.req.method} ${c.req.path} failed`, err);
  return problemResponse(
    c,
    new ProblemError('internal', {
      zh: '服务器内部错误，已记录；请稍后重试',
      en: 'internal error; it was logged, please try again later',
    }),
  );
};

/** The app's `notFound`: a problem+json pointing at /docs. */
export const problemNotFound: NotFoundHandler = (c) =>
  problemResponse(
    c,
    new ProblemError(
      'not_found',
      // A person who typed or followed a page address is told about pages, not API routes.
      isApiPath(c.req.path) || c.req.method !== 'GET'
        ? {
            zh: `没有 ${c.req.method} ${c.req.path} 这个接口（见 /docs）`,
            en: `no route ${c.req.method} ${c.req.path} (see /docs)`,
          }
        : {
            zh: `没有这个页面：${c.req.path}。请从导航菜单进入，或检查地址是否完整。`,
            en: `There is no page at ${c.req.path}. Use the menu, or check that the address is complete.`,
          },
    ),
  );
