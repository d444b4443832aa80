import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { z } from 'zod';
import type { Role } from '../../../domain/directory.ts';
import type { KpiValue } from '../../../domain/kpi.ts';
import { enCount } from '../../../domain/english-count.ts';
import { complaintSampleText, kpiDurationText } from '../../../domain/kpi-text.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { ErrorSummaryBox } from '../error-summary.tsx';
import { Layout } from '../layout.tsx';
import { parseForm } from './web-kit.tsx';

/**
 * Pieces the dashboard, audit and admin pages share: the page shell bound to
 * the request, a refusal page, and query validation that answers a bad query
 * with a 400 page naming each field (never a 500, never a silent default).
 */

export type WebContext = Context<WebEnv>;

/** The current path and query, for the language switch and the active nav item. */
export const currentUrl = (c: WebContext): string => {
  const u = new URL(c.req.url);
  return `${u.pathname}${u.search}`;
};

/**
 * Renders a page in the shared Layout, with the viewer, language and CSRF token of the request;
 * an answer of 400 or more is titled as an error (错误：…).
 */
export function page(
  c: WebContext,
  title: Bilingual,
  body: Child,
  status: 200 | 400 | 403 | 404 | 409 | 413 | 422 | 429 | 503 = 200,
) {
  c.header('Cache-Control', 'no-store');
  return c.html(
    <Layout
      title={title}
      lang={c.get('lang')}
      viewer={c.get('viewer')}
      navHidden={c.get('navHidden')}
      csrfToken={c.get('csrfToken')}
      currentUrl={currentUrl(c)}
      error={status >= 400}
    >
      {body}
    </Layout>,
    status,
  );
}

/** A 403 page that says which rule refused, in the reader's language. */
export function refusedPage(c: WebContext, title: Bilingual, rule: Bilingual) {
  const lang = c.get('lang');
  return page(
    c,
    title,
    <>
      <ErrorSummaryBox lang={lang} text={rule} data={{ 'data-refused': 'role' }} />
      <p>
        <a href="/app">{inLang({ zh: '返回工作台', en: 'Back to the workbench' }, lang)}</a>
      </p>
    </>,
    403,
  );
}

/** Whether the signed-in person has one of the roles. */
export const viewerHas = (c: WebContext, roles: readonly Role[]): boolean =>
  c.get('viewer')?.person.roles.some((r) => roles.includes(r)) ?? false;

export type QueryResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, Bilingual> };

/**
 * Parses the query string with a schema. Unknown parameters are ignored (the
 * language switch adds `lang`); each bad one is reported in both languages by the
 * label its form field carries (`labels`), or by its name where it has none.
 */
export function parseQuery<S extends z.ZodType>(
  c: WebContext,
  schema: S,
  labels: Partial<Record<string, Bilingual>> = {},
): QueryResult<z.output<S>> {
  const r = parseForm(schema, c.req.query());
  if (r.ok) return { ok: true, value: r.data };
  const errors: Record<string, Bilingual> = {};
  for (const [key, m] of Object.entries(r.errors)) {
    const field = key === '_form' ? '(query)' : key;
    const label = labels[key] ?? { zh: field, en: field };
    errors[field] = { zh: `${label.zh}：${m.zh}`, en: `${label.en}: ${m.en}` };
  }
  return { ok: false, errors };
}

/**
 * The list of field problems above a form: the page's error summary, focused on load, each
 * problem linked to its control where `ids` names one (the field's key → the control's id).
 */
export function ErrorSummary(props: {
  errors: Record<string, Bilingual>;
  lang: Lang;
  ids?: Partial<Record<string, string>> | undefined;
}) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  return (
    <ErrorSummaryBox
      lang={props.lang}
      text={{ zh: '请修改以下内容：', en: 'Please correct the following:' }}
      entries={entries.map(([field, text]) => {
        const id = props.ids?.[field];
        return { text, field, href: id ? `#${id}` : undefined };
      })}
      data={{ 'data-errors': String(entries.length) }}
    />
  );
}

/** The weekly trend's heading: 'The last 8 weeks', and 'The last week' alone, never 'The last 1 weeks'. */
export const trendHeading = (weeks: number): Bilingual => ({
  zh: `近 ${weeks} 周趋势`,
  en: weeks === 1 ? 'The last week' : `The last ${enCount(weeks, 'week')}`,
});

/** 0.9512 → "95.1%". */
export const percent = (v: number): string => `${Math.round(v * 1000) / 10}%`;

/** A KPI's figure as people read it: a percentage, a duration (minutes under an hour), or a count. */
export function kpiValueText(k: KpiValue, lang: Lang): string {
  if (k.value === null) return '—';
  if (k.unit === 'ratio') return percent(k.value);
  if (k.unit === 'hours') return inLang(kpiDurationText(k.value), lang);
  return String(k.value);
}

/**
 * What a KPI is counted over: met of decided ("3/4"), the cases measured ("12"), or for the
 * yearly complaint limit the complaints and the dormitories they are counted over ("共 2 件，统计 1 栋宿舍").
 */
export function kpiSampleText(k: KpiValue, lang: Lang): string {
  const { numerator: n, denominator: d } = k;
  if (d === undefined) return '';
  if (n === undefined) return String(d);
  return k.unit === 'per_building_year' ? inLang(complaintSampleText(n, d), lang) : `${n}/${d}`;
}

/** A KPI's target with its comparison (≥ 90%), or that it is only tracked. */
export function kpiTargetText(k: KpiValue, lang: Lang): string {
  if (k.target === null || k.comparator === null)
    return inLang({ zh: '无目标（跟踪）', en: 'none (tracked)' }, lang);
  const v = k.unit === 'ratio' ? percent(k.target) : String(k.target);
  return `${k.comparator === '>=' ? '≥' : '≤'} ${v}`;
}
