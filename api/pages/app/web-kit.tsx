import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { splitBilingual, type Bilingual } from '../../../domain/text.ts';
import type { Caller } from '../../auth.ts';
import { toProblem } from '../../middleware/problems.ts';
import { UNSAVED_COOKIE, UNSAVED_PARAM, type WebEnv } from '../../middleware/session.ts';
import { ProblemError, problemTypes } from '../../middleware/problems.ts';
import { caseIdSchema } from '../../schemas.ts';
import { Layout } from '../layout.tsx';
import { Flash, type FieldErrors, type FlashMessage } from '../ui.tsx';

/**
 * What every signed-in page shares: rendering inside the Layout with the
 * pending flash, the flash itself (a short-lived cookie read once), form
 * validation with errors in both languages, and redirects after a POST.
 */

export type WebContext = Context<WebEnv>;

const FLASH_COOKIE = 'rectify_flash';
const flashSchema = z.object({
  kind: z.enum(['ok', 'error']),
  text: z.object({ zh: z.string().max(2000), en: z.string().max(2000) }),
});

/** Leaves a message for the next page this browser opens. */
export function setFlash(c: WebContext, flash: FlashMessage): void {
  setCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify(flash), 'utf8').toString('base64url'), {
    path: '/app',
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: 120,
  });
}

/** Takes the pending message, if any (once: the cookie is cleared). */
export function takeFlash(c: WebContext): FlashMessage | null {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return null;
  deleteCookie(c, FLASH_COOKIE, { path: '/app' });
  try {
    const parsed = flashSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What the page says when a form of it was sent after the session ended (the sign-in's way back). */
export const UNSAVED_TEXT: Bilingual = {
  zh: '登录已过期或尚未登录，本次提交没有保存。请检查下方表单后重新提交。',
  en: 'You were signed out (the session ended), so that submission was not saved. Check the form below and submit it again.',
};

const unsavedSchema = z.object({
  action: z.string().max(300),
  values: z.record(z.string().max(100), z.string().max(5000)),
  /** The person whose session had just ended when the form was sent, when known. */
  who: z.string().max(200).optional(),
});

/**
 * The fields of a form sent while signed out, if it was sent to `action` (once: the cookie is
 * cleared when read for its form).
 */
export function takeUnsaved(c: WebContext, action: (path: string) => boolean): Record<string, string> | null {
  const raw = getCookie(c, UNSAVED_COOKIE);
  if (!raw) return null;
  try {
    const parsed = unsavedSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (!parsed.success) {
      deleteCookie(c, UNSAVED_COOKIE, { path: '/app' });
      return null;
    }
    if (!action(parsed.data.action)) return null;
    deleteCookie(c, UNSAVED_COOKIE, { path: '/app' });
    // Someone else signed in on this browser: the text is not theirs to see.
    const who = parsed.data.who;
    if (who !== undefined && who !== c.get('viewer')?.person.id) return null;
    return parsed.data.values;
  } catch {
    deleteCookie(c, UNSAVED_COOKIE, { path: '/app' });
    return null;
  }
}

/** The signed-in viewer; requireViewer runs before every page, so it is there. */
export function viewerOf(c: WebContext): Caller {
  const viewer = c.get('viewer');
  if (!viewer) throw new ProblemError('unauthenticated', { zh: '请先登录', en: 'sign in first' });
  return viewer;
}

/** Renders a page inside the Layout, with any pending flash (or the one given) on top. */
export function page(
  c: WebContext,
  title: Bilingual | string,
  body: Child,
  opts: {
    status?: ContentfulStatusCode;
    flash?: FlashMessage | null;
    /** The page's own address when it answers a POST to another path (for the language switch). */
    currentUrl?: string;
  } = {},
) {
  const lang = c.get('lang');
  const url = new URL(c.req.url);
  const flash =
    opts.flash ??
    takeFlash(c) ??
    (url.searchParams.get(UNSAVED_PARAM) === '1' && c.req.method === 'GET'
      ? { kind: 'error' as const, text: UNSAVED_TEXT }
      : null);
  c.header('Cache-Control', 'no-store');
  return c.html(
    <Layout
      title={title}
      lang={lang}
      viewer={c.get('viewer')}
      navHidden={c.get('navHidden')}
      csrfToken={c.get('csrfToken')}
      currentUrl={opts.currentUrl ?? `${url.pathname}${url.search}`}
      error={flash?.kind === 'error' || (opts.status ?? 200) >= 400}
    >
      <Flash flash={flash} lang={lang} />
      {body}
    </Layout>,
    opts.status ?? 200,
  );
}

/** After a POST: back to a page of ours with a flash (303, so a reload doesn't post again). */
export function redirectWithFlash(c: WebContext, to: string, flash: FlashMessage) {
  setFlash(c, flash);
  return c.redirect(to, 303);
}

type FormIssue = Parameters<z.core.$ZodErrorMap>[0];

/** What is wrong with a field and what to do, in both languages, said of the field (its label goes before). */
function formProblem(issue: FormIssue): Bilingual {
  const fill: Bilingual = { zh: '不能为空，请填写', en: 'fill it in (it is required)' };
  const unclear: Bilingual = { zh: '填写的内容不符合要求，请检查', en: 'not accepted as written; check it' };
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === '' ? fill : unclear;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const n = Number(small ? issue.minimum : issue.maximum);
      if (issue.origin === 'string') {
        if (small && n === 1) return fill;
        const has = typeof issue.input === 'string' ? issue.input.length : undefined;
        return small
          ? { zh: `至少 ${n} 个字符，请补充`, en: `needs at least ${n} characters; add more` }
          : {
              zh: `最多 ${n} 个字符${has === undefined ? '' : `（现有 ${has} 个）`}，请删减`,
              en: `takes at most ${n} characters${has === undefined ? '' : ` (this has ${has})`}; shorten it`,
            };
      }
      if (issue.origin === 'array' || issue.origin === 'set')
        return small
          ? { zh: `至少填写 ${n} 项`, en: n === 1 ? 'give at least one' : `give at least ${n}` }
          : { zh: `最多 ${n} 项，请删去多余的`, en: `takes at most ${n}; remove the extra ones` };
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return small
          ? { zh: `不能小于 ${n}`, en: `must be at least ${n}` }
          : { zh: `不能大于 ${n}`, en: `must be at most ${n}` };
      return unclear;
    }
    case 'invalid_value':
    case 'invalid_union':
      return { zh: '请从列表中选择', en: 'choose one from the list' };
    case 'invalid_format':
      if (issue.format === 'email')
        return {
          zh: '不是有效的邮箱地址，请检查（如 name@example.com）',
          en: 'not a valid email address; check it (such as name@example.com)',
        };
      if (issue.format === 'date')
        return { zh: '须为实际存在的日期，格式 YYYY-MM-DD', en: 'must be a real date, YYYY-MM-DD' };
      return unclear;
    case 'unrecognized_keys':
      return {
        zh: `本页的表单没有这些字段：${issue.keys.join('、')}（页面可能已过期，请刷新后重新提交）`,
        en: `this page's form has no field ${issue.keys.join(', ')} (the page may be out of date; reload it and submit again)`,
      };
    default:
      return unclear;
  }
}

const pathKey = (p: readonly PropertyKey[]) => (p.length > 0 ? p.map(String).join('.') : '_form');

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Validates a form with a zod schema. Errors are keyed by the field's path
 * (`location.buildingId`), each in both languages, so the page can put them
 * next to their fields. zod's own texts ("数值过小：期望 string >=1 字符") are
 * not for people: each problem is said in words with what to do, after the
 * field's label where `labels` names it ("问题标题：不能为空，请填写"). A
 * schema's own message (written in both languages) is kept as it is.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  data: unknown,
  labels: Record<string, Bilingual> = {},
): FormResult<z.output<S>> {
  const worded = (lang: 'zh' | 'en') => (issue: FormIssue) => {
    const key = pathKey(issue.path ?? []);
    // One of a list's entries (`causes.2`) is named as the list is, unless it has its own label.
    const label = labels[key] ?? labels[key.replace(/\.\d+$/, '')];
    const problem = formProblem(issue)[lang];
    if (!label) return problem;
    return lang === 'zh' ? `${label.zh}：${problem}` : `${label.en}: ${problem}`;
  };
  const zh = schema.safeParse(data, { error: worded('zh') });
  if (zh.success) return { ok: true, data: zh.data };
  const en = schema.safeParse(data, { error: worded('en') });
  const errors: FieldErrors = {};
  for (const [n, issue] of zh.error.issues.entries()) {
    const k = pathKey(issue.path);
    if (errors[k]) continue;
    const enIssue = en.success ? undefined : en.error.issues[n];
    const enMessage = enIssue?.message ?? issue.message;
    // A schema's own wording is the same under both maps: it carries both languages itself.
    errors[k] =
      enMessage === issue.message ? splitBilingual(issue.message) : { zh: issue.message, en: enMessage };
  }
  return { ok: false, errors };
}

/**
 * The fields of a form read with `{ all: true }` that came more than once (`text=a&text=b`):
 * the page sends each once, so a repeat is refused rather than one of its values taken.
 * Names ending in `[]` are lists by design (photos).
 */
export function repeatedFields(posted: Record<string, unknown>): string[] {
  return Object.keys(posted).filter((k) => !k.endsWith('[]') && Array.isArray(posted[k]));
}

/** What a field sent more than once is told, beside it. */
export const REPEATED_FIELD: Bilingual = {
  zh: '该字段提交了多次，只能有一个值；请在本页检查后重新提交',
  en: 'this field was sent more than once; it takes one value. Check it on this page and submit again',
};

/** A form's fields as strings (files and repeated fields dropped), for re-showing what was typed. */
export function formValues(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as const] : [])),
  );
}

/** Empty form fields mean "not given". */
export const optional = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v.trim();

/**
 * The problem behind a refused step or open, as bilingual text and field
 * errors; anything unexpected is rethrown so the app's error handler logs it.
 */
export function refusalOf(err: unknown): {
  text: Bilingual;
  fields: FieldErrors;
  status: ContentfulStatusCode;
} {
  const problem = toProblem(err);
  if (!problem) throw err;
  const text = typeof problem.detail === 'string' ? splitBilingual(problem.detail) : problem.detail;
  const fields: FieldErrors = {};
  for (const f of problem.errors ?? []) fields[f.field] = splitBilingual(f.message);
  return { text, fields, status: problemTypes[problem.type].status };
}

const caseParam = z.object({ caseId: caseIdSchema });

/** The case number in the path; anything else is a page saying there is no such case (404). */
export function caseIdOf(c: WebContext): string {
  const r = caseParam.safeParse(c.req.param());
  if (!r.success) {
    throw new ProblemError('not_found', { zh: '没有这个案件编号', en: 'there is no such case number' });
  }
  return r.data.caseId;
}
