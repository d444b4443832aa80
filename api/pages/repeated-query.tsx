import type { MiddlewareHandler } from 'hono';
import { inLang, type Bilingual } from '../../domain/text.ts';
import type { WebEnv } from '../middleware/session.ts';
import { ErrorSummaryBox } from './error-summary.tsx';
import { page } from './app/dashboard-common.tsx';

/**
 * Pages that refuse a repeated parameter themselves, naming the field on their own form (the
 * dashboard's building, the audit search, the verify form's case number): left to them.
 */
const REFUSED_BY_THE_PAGE = new Set(['/app/dashboard', '/app/audit', '/app/audit/verify']);

/** The names given more than once in a query, with how many times. */
export function repeatedQueryKeys(all: Record<string, string[]>): [string, number][] {
  return Object.entries(all)
    .filter(([, values]) => values.length > 1)
    .map(([name, values]) => [name, values.length]);
}

/** What a person reads about one repeated parameter. */
export const repeatedKeyText = (name: string, times: number): Bilingual => ({
  zh: `地址中的参数 ${name} 给了 ${times} 次，只能给一次`,
  en: `The address gives ${name} ${times} times; give it once`,
});

/**
 * A page opened with a query parameter given more than once (`/app/cases?stage=a&stage=b`) is a
 * 400 page naming it, as the API answers such a query, never read as one of its values: the case
 * list would show one stage's cases as the answer to two. Only reads (GET, HEAD): a form's fields
 * are checked by its handler. Runs after the session, so the page keeps the menu and language.
 */
export const repeatedQueryGuard: MiddlewareHandler<WebEnv> = async (c, next) => {
  if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || REFUSED_BY_THE_PAGE.has(c.req.path))
    return next();
  const repeated = repeatedQueryKeys(c.req.queries());
  if (repeated.length === 0) return next();
  const lang = c.get('lang') ?? 'zh-CN';
  // The way on: the same page without the repeated parameters, the others kept.
  const url = new URL(c.req.url);
  for (const [name] of repeated) url.searchParams.delete(name);
  const back = `${url.pathname}${url.search}`;
  return page(
    c,
    { zh: '地址中的参数重复', en: 'A parameter is repeated in the address' },
    <ErrorSummaryBox
      lang={lang}
      text={{
        zh: '这个地址把同一个参数给了不止一次，页面无法确定用哪一个，所以没有打开：',
        en: 'This address gives the same parameter more than once, so the page cannot tell which to use and was not opened:',
      }}
      entries={repeated.map(([name, times]) => ({ text: repeatedKeyText(name, times), field: name }))}
      data={{ 'data-repeated-query': repeated.map(([name]) => name).join(' ') }}
    >
      <p style="margin:.5rem 0 0">
        <a href={back} data-without-repeated>
          {inLang(
            { zh: '打开不含重复参数的页面，再重新筛选', en: 'Open the page without them, then filter again' },
            lang,
          )}
        </a>
      </p>
    </ErrorSummaryBox>,
    400,
  );
};
