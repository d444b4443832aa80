import type { Context, MiddlewareHandler, ValidationTargets } from 'hono';
import { enCount } from '../../domain/english-count.ts';
import { z } from 'zod';
import { callerLanguage, ProblemError, type FieldError, type Lang } from './problems.ts';
import { inLang, splitBilingual, type Bilingual } from '../../domain/text.ts';
import { jsonShapeFlaw } from '../json-duplicates.ts';

/**
 * Validation: zod schemas declared on each route (`createRoute`) do the
 * parsing; this module turns their failures into today's problem+json (400,
 * per-field errors in the caller's language) and keeps a body without a JSON
 * Content-Type from being read as `{}` (415).
 */
const zodZh = z.locales.zhCN().localeError;
const zodEn = z.locales.en().localeError;

const typeZh: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值（true 或 false）',
  object: '对象',
  array: '数组',
  null: 'null',
  date: '日期',
  bigint: '整数',
};

/** What a JSON value is, in words a person reads: Infinity and NaN are not just "numbers". */
function receivedZh(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return '数组';
  if (typeof input === 'number') return Number.isFinite(input) ? '数字' : '超出范围的数字';
  return typeZh[typeof input] ?? typeof input;
}

/**
 * zod's Chinese messages name the expected type in English ("期望 string，实际接收 undefined");
 * a missing or mistyped field is said in words here, and every other issue keeps zod's wording.
 */
const zhErrors: typeof zodZh = (issue) => {
  const bound = boundZh(issue);
  if (bound !== undefined) return bound;
  const worded = wordedZh(issue);
  if (worded !== undefined) return worded;
  if (issue.code === 'invalid_type') {
    const expected = typeZh[issue.expected] ?? issue.expected;
    return issue.input === undefined
      ? `缺少此项（应为${expected}）`
      : `类型不对：应为${expected}，收到的是${receivedZh(issue.input)}`;
  }
  return zodZh(issue);
};
/**
 * zod's English is a developer's ("Too big: expected string to have <=5000 characters"): every
 * issue the Chinese side words is said as plainly here, and anything else keeps zod's wording.
 */
const enErrors: typeof zodEn = (issue) => {
  const bound = boundEn(issue);
  if (bound !== undefined) return bound;
  if (issue.code === 'invalid_type') {
    const expected = typeEn[issue.expected] ?? issue.expected;
    return issue.input === undefined
      ? `is required (${expected})`
      : `send ${expected}, not ${receivedEn(issue.input)}`;
  }
  if (issue.code === 'invalid_value' && issue.values.length > 0)
    return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
  if (issue.code === 'unrecognized_keys')
    return issue.keys.length === 1
      ? `${issue.keys.join('')} is not a field here (check the spelling, or leave it out)`
      : `${issue.keys.join(', ')} are not fields here (check the spelling, or leave them out)`;
  if (issue.code === 'invalid_format' && formatEn[issue.format]) return formatEn[issue.format];
  return zodEn(issue);
};

const typeEn: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
  date: 'a date',
  bigint: 'a whole number',
};

function receivedEn(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'number') return Number.isFinite(input) ? 'a number' : 'a number out of range';
  return typeEn[typeof input] ?? typeof input;
}

/** Length and size limits in words ("takes at most 5000 characters"), as boundZh says them. */
function boundEn(issue: Parameters<typeof zodEn>[0]): string | undefined {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return undefined;
  const small = issue.code === 'too_small';
  const n = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  const plural = (one: string, many: string) => (n === 1 ? one : many);
  switch (issue.origin) {
    case 'string':
      if (small && n === 1) return 'must not be empty';
      return `takes at ${small ? 'least' : 'most'} ${n} ${plural('character', 'characters')}`;
    case 'array':
    case 'set':
      return `list at ${small ? 'least' : 'most'} ${n} ${plural('item', 'items')}`;
    case 'number':
    case 'int':
    case 'bigint':
      if (small) return inclusive ? `must be at least ${n}` : `must be more than ${n}`;
      return inclusive ? `must be at most ${n}` : `must be less than ${n}`;
    default:
      return undefined;
  }
}

const formatZh: Record<string, string> = {
  date: '须为实际存在的日期，格式 YYYY-MM-DD',
  datetime: '须为带时区的 ISO 8601 时间，如 2026-12-06T08:00:00+08:00',
  email: '须为有效的电子邮箱地址',
  url: '须为有效的网址',
};
const formatEn: Record<string, string> = {
  date: 'must be a real date, YYYY-MM-DD',
  datetime: 'must be an ISO 8601 time with its offset, such as 2026-12-06T08:00:00+08:00',
  email: 'must be a valid email address',
  url: 'must be a valid URL',
};

/**
 * zod's Chinese wording for a choice, an unknown key or a date reads as a translation
 * ("无效选项：期望以下之一 …", "出现未知的键(key)", "无效ISO日期"): said plainly here.
 */
function wordedZh(issue: Parameters<typeof zodZh>[0]): string | undefined {
  if (issue.code === 'invalid_value' && issue.values.length > 0)
    return `须为以下之一：${issue.values.map((v) => String(v)).join('、')}`;
  if (issue.code === 'unrecognized_keys')
    return `不接受的字段：${issue.keys.join('、')}（请检查拼写，或删去）`;
  if (issue.code === 'invalid_format') return formatZh[issue.format];
  return undefined;
}

/** Length and size limits in words ("至少 2 个字符", "不能大于 5"), not zod's "期望 string >=1 字符". */
function boundZh(issue: Parameters<typeof zodZh>[0]): string | undefined {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return undefined;
  const small = issue.code === 'too_small';
  const n = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && n === 1) return '不能为空';
      return small ? `至少 ${n} 个字符` : `最多 ${n} 个字符`;
    case 'array':
    case 'set':
      if (small && n === 1) return '至少填写 1 项';
      return small ? `至少 ${n} 项` : `最多 ${n} 项`;
    case 'number':
    case 'int':
    case 'bigint':
      if (small) return inclusive ? `不能小于 ${n}` : `须大于 ${n}`;
      return inclusive ? `不能大于 ${n}` : `须小于 ${n}`;
    default:
      return undefined;
  }
}

type Where = 'body' | 'query' | 'path' | 'form';

const whereZh: Record<Where, string> = { body: '请求体', query: '查询参数', path: '路径参数', form: '表单' };

function validationProblem(errors: FieldError[], where: Where, forPerson?: Bilingual): ProblemError {
  return new ProblemError(
    'validation',
    {
      zh: `${whereZh[where]}有 ${errors.length} 处错误，见 errors`,
      en: `${enCount(errors.length, 'problem')} in the request ${where}; see errors`,
    },
    errors,
    undefined,
    forPerson,
  );
}

const fieldOf = (path: readonly PropertyKey[], where: Where) =>
  path.length > 0 ? path.map(String).join('.') : `(${where})`;

/** One refused field, said in both languages: what a person on a page is told. */
interface Refused {
  path: readonly PropertyKey[];
  message: Bilingual;
}

/** What the parameters of the pages' addresses are, in words (`night` is a date to a reader). */
const fieldLabels: Record<string, Bilingual> = {
  night: { zh: '日期', en: 'date' },
  date: { zh: '日期', en: 'date' },
  occurrenceId: { zh: '编号', en: 'id' },
  roundId: { zh: '检查轮次编号', en: 'inspection round id' },
  caseId: { zh: '案件编号', en: 'case number' },
  evidenceId: { zh: '文件编号', en: 'file id' },
  buildingId: { zh: '楼栋', en: 'building' },
  from: { zh: '起始日期', en: 'start date' },
  to: { zh: '截止日期', en: 'end date' },
  status: { zh: '状态', en: 'status' },
  limit: { zh: '每页条数', en: 'number per page' },
  cursor: { zh: '翻页位置', en: 'page position' },
  page: { zh: '页码', en: 'page number' },
};

const placeOf: Record<Where, Bilingual> = {
  path: { zh: '地址中的', en: 'in the address' },
  query: { zh: '地址中的', en: 'in the address' },
  body: { zh: '提交内容中的', en: 'in what was sent' },
  form: { zh: '表单中的', en: 'in the form' },
};

function labelOf(path: readonly PropertyKey[]): Bilingual | null {
  const name = path[0];
  if (typeof name !== 'string') return null;
  return fieldLabels[name] ?? { zh: name, en: name };
}

/**
 * A page's refusal as a sentence for a person: each field named by what it is (日期, not `night`),
 * no "see errors" (a page has no errors list to see), and what to do about it.
 */
function personSentence(refused: Refused[], where: Where): Bilingual {
  const place = placeOf[where];
  const zh = refused.map((r) => {
    const label = labelOf(r.path);
    return label ? `${place.zh}${label.zh}有误：${r.message.zh}` : `${place.zh}内容有误：${r.message.zh}`;
  });
  const en = refused.map((r) => {
    const label = labelOf(r.path);
    return `The ${label ? label.en : 'value'} ${place.en} is not right: ${r.message.en}`;
  });
  const address = where === 'path' || where === 'query';
  return {
    zh: `${zh.join('；')}。${address ? '请检查链接是否完整，或从菜单重新进入。' : '请改正后再提交。'}`,
    en: `${en.join('; ')}. ${address ? 'Check that the link is complete, or open the page again from the menu.' : 'Correct it and send it again.'}`,
  };
}

/**
 * Each field's error once: zod reports one bad value more than once (`int` and `max` on
 * 99999999999999999999 alike), and a value not in its format (a date 99999-01-01) also fails the
 * checks after the format, which say nothing more (that it is not between 2000 and 2100).
 */
function distinct<T extends { field: string; message: string; code: string }>(errors: T[]): T[] {
  const seen = new Set<string>();
  const malformed = new Set(
    errors.filter((e) => e.code === 'invalid_format' || e.code === 'invalid_type').map((e) => e.field),
  );
  return errors.filter((e) => {
    if (e.code === 'custom' && malformed.has(e.field)) return false;
    const key = `${e.field}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Parses with a zod schema, or throws a 400 ProblemError naming each field in the caller's language. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  data: unknown,
  lang: Lang,
  where: Where,
): z.output<S> {
  const r = schema.safeParse(data, { error: lang === 'en' ? enErrors : zhErrors });
  if (r.success) return r.data;
  // The same issues in the other language, for the sentence a page shows in both.
  const other = schema.safeParse(data, { error: lang === 'en' ? zhErrors : enErrors });
  const otherIssues = other.success ? [] : other.error.issues;
  const said = (message: string, l: Lang) => ownHalf(message, l) ?? message;
  const refused = r.error.issues.map((i, n) => {
    const mine = said(i.message, lang);
    const theirs = said(otherIssues[n]?.message ?? i.message, lang === 'en' ? 'zh-CN' : 'en');
    return {
      field: fieldOf(i.path, where),
      message: mine,
      code: i.code,
      path: i.path,
      both: lang === 'en' ? { zh: theirs, en: mine } : { zh: mine, en: theirs },
    };
  });
  const unique = distinct(refused);
  throw validationProblem(
    unique.map(({ field, message }) => ({ field, message })),
    where,
    personSentence(
      unique.map((u) => ({ path: u.path, message: u.both })),
      where,
    ),
  );
}

/** A message the schema wrote in both languages ("中文 / English"), in `lang`; undefined for any other. */
function ownHalf(message: string, lang: Lang): string | undefined {
  const own = splitBilingual(message);
  return own.zh !== own.en ? inLang(own, lang) : undefined;
}

const valueAt = (data: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    data,
  );

const messageOf = (m: string | { message: string } | undefined | null): string | undefined =>
  typeof m === 'string' ? m : (m?.message ?? undefined);

/**
 * An issue's message in the caller's language. The route's validator parsed
 * with zod's default (English) messages; a message that is exactly zod's
 * English one is rendered again in Chinese, while a schema's own wording
 * (already bilingual or deliberately English) is kept.
 */
function localised(issue: z.core.$ZodIssue, data: unknown, lang: Lang): string {
  // A schema's own wording in both languages ("中文 / English"): the caller's half.
  const own = ownHalf(issue.message, lang);
  if (own !== undefined) return own;
  const raw = { ...issue, input: valueAt(data, issue.path) } as unknown as z.core.$ZodRawIssue;
  if (messageOf(zodEn(raw)) !== issue.message) return issue.message;
  return messageOf((lang === 'en' ? enErrors : zhErrors)(raw)) ?? issue.message;
}

const whereOf: Record<string, Where> = { json: 'body', query: 'query', param: 'path', form: 'form' };

/**
 * The `defaultHook` of every OpenAPIHono route: a failed validation becomes
 * the problem+json 400 the rest of the API answers, never zod-openapi's own
 * error shape.
 */
export const validationHook = (
  result: { target: keyof ValidationTargets; data?: unknown } & (
    { success: true } | { success: false; error: z.ZodError }
  ),
  c: Context,
): undefined => {
  if (result.success) return undefined;
  const where = whereOf[result.target] ?? 'body';
  const data = result.data;
  const lang = callerLanguage(c);
  const said = (i: z.core.$ZodIssue, l: Lang) =>
    (where === 'query' && repeatedParam(i.path, data, l)) || localised(i, data, l);
  const refused = distinct(
    result.error.issues.map((i) => ({
      field: fieldOf(i.path, where),
      message: said(i, lang),
      code: i.code,
      path: i.path,
      both: { zh: said(i, 'zh-CN'), en: said(i, 'en') },
    })),
  );
  throw validationProblem(
    refused.map(({ field, message }) => ({ field, message })),
    where,
    personSentence(
      refused.map((r) => ({ path: r.path, message: r.both })),
      where,
    ),
  );
};

/**
 * A query parameter given more than once (`?limit=10&limit=20`) reaches the schema as a list; the
 * person is told that, not that a list is not a number.
 */
function repeatedParam(path: readonly PropertyKey[], data: unknown, lang: Lang): string | null {
  const name = path[0];
  if (path.length !== 1 || typeof name !== 'string' || typeof data !== 'object' || data === null) return null;
  const value = (data as Record<string, unknown>)[name];
  if (!Array.isArray(value) || value.length < 2) return null;
  return lang === 'en'
    ? `${name} was given ${value.length} times: give it once`
    : `参数 ${name} 重复了 ${value.length} 次：只能给一次`;
}

const isJson = (contentType: string | undefined) =>
  /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(contentType?.trim() ?? '');

/**
 * Runs before a route's JSON body validator. A body without
 * `Content-Type: application/json` is refused (415) rather than validated as
 * `{}` (what Hono's json validator does), which would let a client's missing
 * header pass an all-optional schema; an empty or unparsable body is a 400
 * that says so.
 */
export const jsonOnly: MiddlewareHandler = async (c: Context, next) => {
  await readJson(c);
  await next();
};

/** A header's value as it may be quoted back: short, and nothing but printable ASCII. */
const quoted = (value: string) => value.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);

/**
 * A compressed body would be read as if it were the JSON itself and refused as "not valid JSON",
 * which sends the client looking in the wrong place: no route here inflates a body, so say so.
 */
function refuseEncoded(c: Context): void {
  const encoding = c.req.header('content-encoding')?.trim() ?? '';
  if (encoding === '' || encoding.toLowerCase() === 'identity') return;
  throw new ProblemError('unsupported_media_type', {
    zh: `请求体带有 Content-Encoding: ${quoted(encoding)}，本接口不接受压缩的请求体；请不压缩直接发送`,
    en: `the body is sent with Content-Encoding: ${quoted(encoding)}, which no route here takes; send the body uncompressed`,
  });
}

/**
 * The body is decoded as UTF-8 whatever the charset says (RFC 8259 knows no other for JSON), so a
 * Latin-1 body would be stored garbled: another charset is refused, not quietly misread.
 */
function refuseCharset(contentType: string): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType)?.[1];
  if (charset === undefined || /^utf-?8$/i.test(charset)) return;
  throw new ProblemError('unsupported_media_type', {
    zh: `请求体的字符集 charset=${quoted(charset)} 不受支持；请以 UTF-8 编码发送（charset=utf-8，或不写 charset）`,
    en: `the body's charset=${quoted(charset)} is not taken; send it encoded as UTF-8 (charset=utf-8, or no charset)`,
  });
}

async function readJson(c: Context): Promise<unknown> {
  const contentType = c.req.header('content-type');
  if (!isJson(contentType)) {
    throw new ProblemError('unsupported_media_type', {
      zh: '请求体须为 JSON，并带请求头 Content-Type: application/json',
      en: 'send the body as JSON with the header Content-Type: application/json',
    });
  }
  refuseCharset(contentType ?? '');
  refuseEncoded(c);
  // Hono keeps the text, so the route's own validator reads it again without a second stream.
  const raw = await c.req.text();
  if (raw.trim() === '') {
    throw new ProblemError('validation', { zh: '请求体为空', en: 'the request body is empty' });
  }
  let body: unknown;
  try {
    body = JSON.parse(raw) as unknown;
  } catch (err) {
    // The parser's words are English whatever the caller reads; only where it broke is kept.
    const offset = /at position (\d+)/.exec((err as Error).message)?.[1];
    const at = offset === undefined ? null : Number(offset) + 1;
    throw new ProblemError('validation', {
      zh: `请求体不是合法的 JSON${at === null ? '' : `（第 ${at} 个字符处出错）`}`,
      en: `the request body is not valid JSON${at === null ? '' : ` (at character ${at})`}`,
    });
  }
  const flaw = jsonShapeFlaw(raw);
  if (flaw?.kind === 'too_deep') {
    throw new ProblemError('validation', {
      zh: `请求体的 JSON 嵌套超过 ${flaw.limit} 层，本接口不接受这样的结构`,
      en: `the request body's JSON nests deeper than ${flaw.limit} levels, which no route here takes`,
    });
  }
  if (flaw?.kind === 'duplicate') {
    const twice = flaw.path;
    throw validationProblem(
      [
        {
          field: twice,
          message: inLang(
            { zh: `${twice} 出现了两次，请只保留一个`, en: `${twice} appears twice; send it once` },
            callerLanguage(c),
          ),
        },
      ],
      'body',
    );
  }
  return body;
}

/** For the routes that validate in the handler (evidence, which takes a session or a token): the JSON body. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return parseOr400(schema, await readJson(c), callerLanguage(c), 'body');
}

/** For the routes that validate in the handler: the path parameters. */
export function paramsOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseOr400(schema, c.req.param(), callerLanguage(c), 'path');
}
