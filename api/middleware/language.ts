import type { Context } from 'hono';
import { languages, type Lang } from '../../domain/text.ts';

/**
 * Which language an answer is in, one rule for the API's problems, the pages and the audit
 * exports: what the caller asked for (`?lang=`, or a page's remembered choice), else what their
 * Accept-Language ranks highest of Chinese and English, else the language the directory gives the
 * signed-in person (a script with a bearer token often sends no Accept-Language), else zh-CN.
 */
export function chooseLanguage(
  asked: string | undefined,
  acceptLanguage: string | undefined,
  person: { language: Lang } | null | undefined,
): Lang {
  if (isLang(asked)) return asked;
  return langFromAcceptLanguage(acceptLanguage) ?? person?.language ?? 'zh-CN';
}

export const isLang = (v: string | undefined): v is Lang =>
  (languages as readonly string[]).includes(v ?? '');

/**
 * The person behind the request, whichever sign-in brought them: the bearer token's `caller` or
 * the page session's `viewer`. Read loosely, since the middleware that sets them may not have run.
 */
export function signedInPerson(c: Context): { language: Lang } | undefined {
  const vars = c.var as Record<string, unknown>;
  for (const who of [vars.caller, vars.viewer]) {
    const person = (who as { person?: { language?: unknown } } | null | undefined)?.person;
    const language = person?.language;
    if (typeof language === 'string' && isLang(language)) return { language };
  }
  return undefined;
}

/**
 * The first of Chinese or English the caller ranks highest in Accept-Language (its q weights,
 * then its order); undefined when it names neither. The API and the pages pick alike.
 */
export function langFromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) {
    if (r.tag === 'zh' || r.tag.startsWith('zh-')) return 'zh-CN';
    if (r.tag === 'en' || r.tag.startsWith('en-')) return 'en';
  }
  return undefined;
}
