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

const zhErrors = z.locales.zhCN().localeError;
const enErrors = z.locales.en().localeError;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Validates a form with a zod schema. Errors are keyed by the field's path
 * (`location.buildingId`), each in both languages, so the page can put them
 * next to their fields.
 */
export function parseForm<S extends z.ZodType>(schema: S, data: unknown): FormResult<z.output<S>> {
  const zh = schema.safeParse(data, { error: zhErrors });
  if (zh.success) return { ok: true, data: zh.data };
  const en = schema.safeParse(data, { error: enErrors });
  const key = (p: PropertyKey[]) => (p.length > 0 ? p.map(String).join('.') : '_form');
  const errors: FieldErrors = {};
  for (const [n, issue] of zh.error.issues.entries()) {
    const k = key(issue.path);
    if (errors[k]) continue;
    const enIssue = en.success ? undefined : en.error.issues[n];
    const enMessage = enIssue?.message ?? issue.message;
    // A schema's own wording is the same under both locales: it carries both languages itself.
    errors[k] =
      enMessage === issue.message ? splitBilingual(issue.message) : { zh: issue.message, en: enMessage };
  }
  return { ok: false, errors };
}

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
