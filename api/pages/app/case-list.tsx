// Longer than most modules because filters, both paging modes and the CSV/XLSX exports read one query.
import ExcelJS from 'exceljs';
import type { Hono } from 'hono';
import { z } from 'zod';
import { caseCitation } from '../../../domain/case-citation.ts';
import { isTerminal, stages, type CaseView } from '../../../domain/case-model.ts';
import type { Directory } from '../../../domain/directory.ts';
import { placeNameOf } from '../../../domain/place-name.ts';
import { categoryLabel } from '../../../domain/intake.ts';
import { severities, sources } from '../../../domain/sla.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { caseTitleIn } from '../../../domain/case-title.ts';
import { listCasesFor, listCasesUpTo, type CaseListQuery } from '../../case-service.ts';
import { directoryOrFail } from '../../reads.ts';
import { personNamer } from '../../directory-names.ts';
import type { AppDeps } from '../../deps.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { ProblemError } from '../../middleware/problems.ts';
import { boundedDate, buildingIdSchema, floorIdSchema, wholeNumber } from '../../schemas.ts';
import {
  DeadlineDue,
  Field,
  STACKED_TABLE,
  SeverityBadge,
  StageBadge,
  formatTime,
  severityLabels,
  sourceLabels,
  stageLabels,
  type FieldErrors,
} from '../ui.tsx';
import { ErrorSummaryBox } from '../error-summary.tsx';
import { tallyCases } from './case-tally.ts';
import { trailLinks, trailSchema } from './cursor-trail.ts';
import { offersNewCase } from './new-case.tsx';
import { page, parseForm, refusalOf, viewerOf, type WebContext } from './web-kit.tsx';

/**
 * /app/cases: the cases this person may read (the API's own list and read
 * rules, via listCasesFor), filtered, paged and sorted, and the same list as
 * CSV or XLSX.
 */

const PAGE_SIZE = 25;
/** Sorting other than newest-first reads the whole filtered list first, up to this many cases. */
const SORT_CAP = 500;
const EXPORT_CAP = 5000;

const empty = (v: unknown) => (v === '' ? undefined : v);
const date = z.preprocess(empty, boundedDate.optional());
export const listQuerySchema = z.object({
  stage: z.preprocess(empty, z.enum(stages).optional()),
  buildingId: z.preprocess(empty, buildingIdSchema.optional()),
  floorId: z.preprocess(empty, floorIdSchema.optional()),
  roomId: z.preprocess(empty, z.string().trim().max(64).optional()),
  severity: z.preprocess(empty, z.enum(severities).optional()),
  source: z.preprocess(empty, z.enum(sources).optional()),
  category: z.preprocess(empty, z.string().trim().max(64).optional()),
  overdue: z.preprocess(empty, z.enum(['true', 'false']).optional()),
  from: date,
  to: date,
  q: z.preprocess(empty, z.string().trim().max(200).optional()),
  sort: z.preprocess(empty, z.enum(['opened', 'due', 'severity', 'stage']).default('opened')),
  cursor: z.preprocess(empty, z.string().max(2048).optional()),
  /** The cursors of the pages before this one (cursor-trail.ts), so 上一页 can go back. */
  back: z.preprocess(empty, trailSchema(2048).optional()),
  page: z.preprocess(empty, wholeNumber(1, 1000).default(1)),
  /** Cases per page. */
  limit: z.preprocess(empty, wholeNumber(1, 100).default(PAGE_SIZE)),
  lang: z.string().optional(),
});
export type ListQuery = z.output<typeof listQuerySchema>;
/**
 * What the exports read: the filters and the order, never a page. An export is every matching
 * case (up to EXPORT_CAP), which is what the list's export links ask for (they carry no cursor);
 * a cursor or page pasted from a list page's address is left out here, so it can neither narrow
 * the file nor refuse it.
 */
const exportQuerySchema = listQuerySchema.omit({ cursor: true, back: true, page: true, limit: true });
type ListFilters = z.output<typeof exportQuerySchema>;

/** The filters the indexes can't serve, checked in code on what the read rules already let through. */
function narrowing(q: ListFilters): ((v: CaseView) => boolean) | undefined {
  const text = q.q?.toLowerCase();
  if (!q.floorId && !q.roomId && !q.category && !text) return undefined;
  return (v) =>
    (!q.floorId || v.location.floorId === q.floorId) &&
    (!q.roomId || v.location.roomId === q.roomId) &&
    (!q.category || v.category === q.category) &&
    (!text || v.title.toLowerCase().includes(text) || v.caseId.toLowerCase() === text);
}

const apiQuery = (q: ListFilters, limit: number, cursor?: string): CaseListQuery => ({
  stage: q.stage,
  buildingId: q.buildingId,
  overdue: q.overdue,
  severity: q.severity,
  source: q.source,
  from: q.from,
  // A date: the service takes in that whole campus day.
  to: q.to,
  limit,
  cursor,
});

const severityRank: Record<CaseView['severity'], number> = { major: 0, urgent: 1, routine: 2 };
const openDeadline = (v: CaseView) => v.deadlines.find((d) => !d.closedAt);
export const openDue = (v: CaseView) => openDeadline(v)?.due;

function sorted(items: CaseView[], sort: ListFilters['sort']): CaseView[] {
  // Equal due times are common (deadlines land on the working day's close): the newest first
  // among them, then the case number, so every page of one order agrees with the next.
  const byDue = (a: CaseView, b: CaseView) =>
    (openDue(a) ?? '9999').localeCompare(openDue(b) ?? '9999') ||
    b.openedAt.localeCompare(a.openedAt) ||
    a.caseId.localeCompare(b.caseId);
  const copy = [...items];
  switch (sort) {
    case 'due':
      // Overdue on top, then the nearest due time.
      return copy.sort((a, b) => Number(b.overdue) - Number(a.overdue) || byDue(a, b));
    case 'severity':
      return copy.sort((a, b) => severityRank[a.severity] - severityRank[b.severity] || byDue(a, b));
    case 'stage':
      return copy.sort((a, b) => stages.indexOf(a.stage) - stages.indexOf(b.stage) || byDue(a, b));
    default:
      return copy;
  }
}

/** Every case the filters match, up to `cap`, following cursors. */
export async function collect(
  deps: AppDeps,
  c: WebContext,
  q: ListFilters,
  cap: number,
): Promise<{ items: CaseView[]; capped: boolean }> {
  const { items, more } = await listCasesUpTo(deps, viewerOf(c), apiQuery(q, cap), c.get('lang'), {
    most: cap,
    narrow: narrowing(q),
  });
  return { items, capped: more };
}

const place = (dir: Directory, v: CaseView, lang: Lang) => inLang(placeNameOf(dir, v.location), lang);
/** How a list names a person by id: `personNamer`'s way, so someone who left reads as such, not as an id. */
export type NameOf = (id: string, lang: Lang) => string;

/** The namer of the assignees of `items`, the departed read only when one has left the directory. */
export const assigneeNamer = (deps: AppDeps, dir: Directory, items: readonly CaseView[]): Promise<NameOf> =>
  personNamer(
    deps.aws,
    dir,
    items.map((v) => v.assigneeId),
  );

/** The columns of the exports, in the reader's language. */
function exportRows(dir: Directory, items: CaseView[], lang: Lang, tz: string, nameOf: NameOf) {
  const t = (b: Bilingual) => inLang(b, lang);
  const header = [
    t({ zh: '案件编号', en: 'Case' }),
    t({ zh: '标题', en: 'Title' }),
    t({ zh: '环节', en: 'Stage' }),
    t({ zh: '严重程度', en: 'Severity' }),
    t({ zh: '来源', en: 'Source' }),
    t({ zh: '类别', en: 'Category' }),
    t({ zh: '标准维度', en: '6T dimension' }),
    t({ zh: '标准条目号', en: '6T item number' }),
    t({ zh: '位置', en: 'Place' }),
    t({ zh: '负责人', en: 'Assignee' }),
    t({ zh: '登记时间', en: 'Opened' }),
    t({ zh: '当前时限', en: 'Due' }),
    t({ zh: '是否超时', en: 'Overdue' }),
    t({ zh: '结案时间', en: 'Closed' }),
  ];
  const rows = items.map((v) => {
    const due = openDue(v);
    const cited = caseCitation(v);
    return [
      v.caseId,
      caseTitleIn(v.title, lang),
      t(stageLabels[v.stage]),
      t(severityLabels[v.severity]),
      t(sourceLabels[v.source]),
      // As the case page shows it: a cited item by its label, the report kind's label, a freely
      // written category as written; never a catalogue id a reader cannot look up.
      cited
        ? t(cited.label)
        : v.category
          ? t(categoryLabel(v.category) ?? { zh: v.category, en: v.category })
          : '',
      cited ? t(cited.dimensionName) : '',
      cited ? String(cited.number) : '',
      place(dir, v, lang),
      nameOf(v.assigneeId, lang),
      formatTime(v.openedAt, tz),
      due ? formatTime(due, tz) : '',
      v.overdue ? t({ zh: '是', en: 'yes' }) : t({ zh: '否', en: 'no' }),
      v.closedAt ? formatTime(v.closedAt, tz) : '',
    ];
  });
  return { header, rows };
}

/** A CSV cell: quoted, and a leading formula character neutralised so a spreadsheet won't run it. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The filter form's fields by their labels; each control's id is `flt-` and its name (ui.tsx Field). */
const filterLabels = {
  q: { zh: '标题关键词或案件编号', en: 'Words in the title, or a case number' },
  stage: { zh: '环节', en: 'Stage' },
  buildingId: { zh: '楼栋', en: 'Building' },
  floorId: { zh: '楼层', en: 'Floor' },
  roomId: { zh: '房间', en: 'Room' },
  severity: { zh: '严重程度', en: 'Severity' },
  source: { zh: '来源', en: 'Source' },
  category: { zh: '类别', en: 'Category' },
  overdue: { zh: '是否超时', en: 'Overdue' },
  from: { zh: '登记日期从', en: 'Opened from' },
  to: { zh: '登记日期至', en: 'Opened until' },
  sort: { zh: '排序', en: 'Sort by' },
} satisfies Record<string, Bilingual>;
const isFilterField = (k: string): k is keyof typeof filterLabels => k in filterLabels;

function Filters(props: { q: ListQuery; dir: Directory; lang: Lang; errors: FieldErrors }) {
  const { q, dir, lang, errors } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const common = { lang, errors, idPrefix: 'flt' };
  const sel = (name: string, label: Bilingual, options: [string, string][], value: string | undefined) => (
    <Field
      {...common}
      name={name}
      label={label}
      control={(a) => (
        <select {...a}>
          <option value="">{t('全部', 'All')}</option>
          {options.map(([v, l]) => (
            <option value={v} selected={value === v}>
              {l}
            </option>
          ))}
        </select>
      )}
    />
  );
  const floors = dir.buildings.flatMap((b) =>
    // In the reader's language only ("学生公寓A栋 1层"): a short label fits a phone's select.
    b.floors.map(
      (f) => [f.id, inLang(placeNameOf(dir, { buildingId: b.id, floorId: f.id }), lang)] as [string, string],
    ),
  );
  return (
    <form
      method="get"
      action="/app/cases"
      class="card"
      role="search"
      aria-label={t('筛选案件', 'Filter cases')}
    >
      <div class="grid">
        <Field
          {...common}
          name="q"
          label={filterLabels.q}
          control={(a) => <input {...a} type="search" value={q.q ?? ''} />}
        />
        {sel(
          'stage',
          filterLabels.stage,
          stages.map((s) => [s, inLang(stageLabels[s], lang)]),
          q.stage,
        )}
        {sel(
          'buildingId',
          filterLabels.buildingId,
          dir.buildings.map((b) => [b.id, inLang(b.name, lang)]),
          q.buildingId,
        )}
        {sel('floorId', filterLabels.floorId, floors, q.floorId)}
        <Field
          {...common}
          name="roomId"
          label={filterLabels.roomId}
          control={(a) => <input {...a} type="text" value={q.roomId ?? ''} />}
        />
        {sel(
          'severity',
          filterLabels.severity,
          severities.map((s) => [s, inLang(severityLabels[s], lang)]),
          q.severity,
        )}
        {sel(
          'source',
          filterLabels.source,
          sources.map((s) => [s, inLang(sourceLabels[s], lang)]),
          q.source,
        )}
        <Field
          {...common}
          name="category"
          label={filterLabels.category}
          control={(a) => <input {...a} type="text" value={q.category ?? ''} />}
        />
        {sel(
          'overdue',
          filterLabels.overdue,
          [
            ['true', t('已超时', 'Overdue')],
            ['false', t('未超时', 'Not overdue')],
          ],
          q.overdue,
        )}
        <Field
          {...common}
          name="from"
          label={filterLabels.from}
          control={(a) => <input {...a} type="date" value={q.from ?? ''} />}
        />
        <Field
          {...common}
          name="to"
          label={filterLabels.to}
          control={(a) => <input {...a} type="date" value={q.to ?? ''} />}
        />
        <Field
          {...common}
          name="sort"
          label={filterLabels.sort}
          control={(a) => (
            <select {...a}>
              {(
                [
                  ['opened', t('最新登记在前', 'Newest first')],
                  ['due', t('超时在前，时限近的在前', 'Overdue, then due soonest')],
                  ['severity', t('严重程度', 'Severity')],
                  ['stage', t('环节', 'Stage')],
                ] as const
              ).map(([v, l]) => (
                <option value={v} selected={q.sort === v}>
                  {l}
                </option>
              ))}
            </select>
          )}
        />
      </div>
      <div class="actions">
        <button type="submit">{t('筛选', 'Filter')}</button>
        <a class="button secondary" href="/app/cases">
          {t('清除', 'Clear')}
        </a>
      </div>
    </form>
  );
}

/** The query string of a list, without paging, for links that keep the filters. */
function filterQuery(q: ListQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (k === 'cursor' || k === 'back' || k === 'page' || k === 'lang' || v === undefined) continue;
    if ((k === 'sort' && v === 'opened') || (k === 'limit' && v === PAGE_SIZE)) continue;
    params.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The next and previous links of a page read by cursor (cursor-trail.ts). */
export function cursorLinks(
  q: ListQuery,
  nextCursor: string | null,
): { next: string | null; previous: string | null } {
  const { next, previous } = trailLinks(new URLSearchParams(filterQuery(q)), q, nextCursor);
  return { next, previous };
}

/** What on a case waits for the reader, beside its stage's step: said under its title, linked to its form. */
export interface CaseWait {
  label: Bilingual;
  href: string;
}

export function CaseTable(props: {
  items: CaseView[];
  dir: Directory;
  lang: Lang;
  tz: string;
  now: Date;
  nameOf: NameOf;
  waits?: ((v: CaseView) => CaseWait[]) | undefined;
}) {
  const { dir, lang } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  if (props.items.length === 0) return <p class="muted">{t('没有符合条件的案件。', 'No cases match.')}</p>;
  // The headers' words label each cell too, for the card a phone shows per case.
  const col = {
    stage: t('环节', 'Stage'),
    place: t('位置', 'Place'),
    person: t('负责人', 'Assignee'),
    due: t('当前时限', 'Due'),
  };
  return (
    <div class="table-wrap">
      <table class={STACKED_TABLE}>
        <thead>
          <tr>
            <th scope="col">{t('案件', 'Case')}</th>
            <th scope="col">{col.stage}</th>
            <th scope="col">{col.place}</th>
            <th scope="col">{col.person}</th>
            <th scope="col">{col.due}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((v) => {
            const due = openDeadline(v);
            const cited = caseCitation(v);
            return (
              <tr>
                <td>
                  <a href={`/app/cases/${encodeURIComponent(v.caseId)}`}>{caseTitleIn(v.title, lang)}</a>
                  <br />
                  <span class="muted">{v.caseId}</span> <SeverityBadge severity={v.severity} lang={lang} />
                  {cited && (
                    <>
                      <br />
                      <span class="badge" data-cited={cited.itemId}>
                        {inLang(cited.label, lang)}
                      </span>
                    </>
                  )}
                  {(props.waits?.(v) ?? []).map((w) => (
                    <>
                      <br />
                      <a href={w.href} data-wait="">
                        {inLang(w.label, lang)}
                      </a>
                    </>
                  ))}
                </td>
                <td data-label={col.stage}>
                  <StageBadge stage={v.stage} lang={lang} />
                  {v.overdue && !isTerminal(v.stage) && (
                    <>
                      {' '}
                      <span class="badge overdue">{t('已超时', 'Overdue')}</span>
                    </>
                  )}
                </td>
                <td data-label={col.place}>{place(dir, v, lang)}</td>
                <td data-label={col.person}>{props.nameOf(v.assigneeId, lang)}</td>
                <td data-label={col.due}>
                  {due && !isTerminal(v.stage) ? (
                    <DeadlineDue
                      deadline={due}
                      pauses={v.pauses}
                      now={props.now}
                      lang={lang}
                      timeZone={props.tz}
                    />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** How many cases the filters match, and where this page's first one stands (from 1) when known. */
interface ResultCount {
  total: number;
  /** The total is a lower bound (the count stopped there). */
  more: boolean;
  first?: number | undefined;
}

function CountLine(props: { count: ResultCount; shown: number; lang: Lang }) {
  const { count, shown, lang } = props;
  if (count.total === 0) return null;
  const n = `${count.total.toLocaleString('en-US')}${count.more ? '+' : ''}`;
  const last = count.first !== undefined && shown > 0 ? count.first + shown - 1 : undefined;
  const noun = count.total === 1 && !count.more ? 'case' : 'cases';
  return (
    <p data-result-count>
      {inLang(
        last !== undefined
          ? {
              zh: `共 ${n} 件，第 ${count.first}–${last} 件`,
              en: `${n} ${noun}, showing ${count.first}–${last}`,
            }
          : { zh: `共 ${n} 件`, en: `${n} ${noun}` },
        lang,
      )}
    </p>
  );
}

const TITLE = { zh: '案件', en: 'Cases' };

/** The list's query fields that have no control in the filter form, as a person reads them. */
const pagingLabels: Record<string, Bilingual> = {
  limit: { zh: '每页条数（1–100）', en: 'Cases per page (1–100)' },
  page: { zh: '页码（1–1000）', en: 'Page (1–1000)' },
  cursor: { zh: '翻页位置', en: 'Page position' },
  back: { zh: '上一页位置', en: 'Previous page position' },
};

/**
 * The list service's field errors as the page says them: its reversed period names the query's
 * parameters ("早于 from"), the page the fields' labels.
 */
function pageWorded(fields: FieldErrors): FieldErrors {
  if (!fields.to) return fields;
  return {
    ...fields,
    to: {
      zh: `不能早于“${filterLabels.from.zh}”`,
      en: `must not be before “${filterLabels.from.en}”`,
    },
  };
}

/**
 * A refused list query's summary, where the keyboard lands: each problem by its field's label,
 * linked to the filter it marks; paging has no control on the page, so its problems are said
 * only here. A refusal naming no field is said as it is.
 */
function QuerySummary(props: { errors: FieldErrors; problem: Bilingual | null; lang: Lang }) {
  const entries = Object.entries(props.errors).map(([field, text]) => {
    const label = isFilterField(field) ? filterLabels[field] : pagingLabels[field];
    return {
      field,
      href: isFilterField(field) ? `#flt-${field}` : undefined,
      text: label ? { zh: `${label.zh}：${text.zh}`, en: `${label.en}: ${text.en}` } : text,
    };
  });
  if (entries.length === 0 && !props.problem) return null;
  return (
    <ErrorSummaryBox
      lang={props.lang}
      text={
        entries.length > 0 || !props.problem
          ? {
              zh: '筛选条件有误，请修改以下内容：',
              en: 'The filters were not accepted; correct the following:',
            }
          : props.problem
      }
      entries={entries}
    />
  );
}

/** The paging parameters that go with a cursor: a page position is dropped with the trail back to it. */
const PAGING = ['cursor', 'back', 'page'];

/**
 * In place of the results of a refused query: that nothing was read, which parameters were not
 * taken, and the list without them (a paging position takes the rest of the paging with it).
 */
function RefusedList(props: { query: Record<string, string>; fields: string[]; lang: Lang }) {
  const { lang } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  // A refusal naming no field came from the read itself: start the paging again.
  const named = props.fields.length > 0 ? props.fields : PAGING;
  const drop = new Set(named.some((f) => PAGING.includes(f)) ? [...named, ...PAGING] : named);
  const kept = new URLSearchParams(Object.entries(props.query).filter(([k]) => !drop.has(k)));
  const search = kept.toString();
  const href = `/app/cases${search ? `?${search}` : ''}`;
  const names = props.fields.map((f) => {
    const label = isFilterField(f) ? filterLabels[f] : pagingLabels[f];
    if (!label) return f;
    return lang === 'en' ? `${label.en} (parameter ${f})` : `${label.zh}（参数 ${f}）`;
  });
  return (
    <p class="notice" role="note" data-refused-list>
      {names.length > 0
        ? t(
            `未列出案件：${names.join('、')}无效，列表没有读取。`,
            `No cases are listed: the list was not read, as these parameters were not accepted: ${names.join(', ')}. `,
          )
        : t(
            '未列出案件：查询未被接受，列表没有读取。',
            'No cases are listed: the query was not accepted, so the list was not read. ',
          )}
      <a href={href} data-without={[...drop].filter((k) => k in props.query).join(' ')}>
        {t('去掉这些参数后的列表', 'The list without them')}
      </a>
    </p>
  );
}

export function caseListRoutes(app: Hono<WebEnv>, deps: AppDeps): void {
  const tz = deps.env.CAMPUS_TZ;

  app.get('/cases', async (c) => {
    const lang = c.get('lang');
    const t = (zh: string, en: string) => inLang({ zh, en }, lang);
    const dir = await directoryOrFail(deps);
    const parsed = parseForm(listQuerySchema, c.req.query());
    const q: ListQuery = parsed.ok ? parsed.data : listQuerySchema.parse({});
    const errors = parsed.ok ? {} : parsed.errors;
    let items: CaseView[] = [];
    let next: string | null = null;
    let previous: string | null = null;
    let capped = false;
    let count: ResultCount | null = null;
    let problem: Bilingual | null = null;
    let problemFields: FieldErrors = {};
    // The total over every page, as the tally counts it (case-tally.ts).
    const tally = () => tallyCases(deps, viewerOf(c), apiQuery(q, q.limit), lang, narrowing(q));
    if (parsed.ok) {
      try {
        if (q.sort === 'opened') {
          const [one, all] = await Promise.all([
            listCasesFor(deps, viewerOf(c), apiQuery(q, q.limit, q.cursor), lang, narrowing(q)),
            tally(),
          ]);
          items = one.items;
          ({ next, previous } = cursorLinks(q, one.nextCursor));
          // A cursor page's place is found by its first case, never by counting pages (pages may be short).
          const rank = items[0] ? all.rank(items[0].caseId) : undefined;
          count = { total: all.total, more: all.more, first: rank === undefined ? undefined : rank + 1 };
        } else {
          const all = await collect(deps, c, q, SORT_CAP);
          capped = all.capped;
          const ordered = sorted(all.items, q.sort);
          const beyond = capped ? await tally() : undefined;
          count = {
            total: beyond?.total ?? ordered.length,
            more: beyond?.more ?? false,
            first: (q.page - 1) * q.limit + 1,
          };
          items = ordered.slice((q.page - 1) * q.limit, q.page * q.limit);
          next = ordered.length > q.page * q.limit ? filterQuery(q, { page: String(q.page + 1) }) : null;
          previous = q.page > 1 ? filterQuery(q, q.page > 2 ? { page: String(q.page - 1) } : {}) : null;
        }
      } catch (err) {
        const refused = refusalOf(err);
        problem = refused.text;
        // A building outside the reader's own is refused naming no field: it is the building filter's.
        problemFields =
          refused.status === 403 && q.buildingId && Object.keys(refused.fields).length === 0
            ? { buildingId: refused.text }
            : refused.fields;
      }
    }
    const shown = { ...errors, ...pageWorded(problemFields) };
    const refused = !parsed.ok || problem !== null;
    const exportQuery = filterQuery(q);
    const nameOf = await assigneeNamer(deps, dir, items);
    return page(
      c,
      TITLE,
      <>
        <QuerySummary errors={shown} problem={problem} lang={lang} />
        {offersNewCase(c) && (
          <p>
            <a class="button" href="/app/cases/new">
              {t('新建案件', 'New case')}
            </a>
          </p>
        )}
        <Filters q={q} dir={dir} lang={lang} errors={shown} />
        <section aria-labelledby="results">
          <h2 id="results">{t('结果', 'Results')}</h2>
          {count && <CountLine count={count} shown={items.length} lang={lang} />}
          {capped && (
            <p class="muted">
              {t(
                `仅按所选方式排序了最新的 ${SORT_CAP} 个案件；请缩小筛选范围。`,
                `Only the newest ${SORT_CAP} matching cases were sorted; narrow the filters.`,
              )}
            </p>
          )}
          {refused ? (
            // A refused query read nothing: "no cases match" would say the list is empty when it was never read.
            <RefusedList query={c.req.query()} fields={Object.keys(shown)} lang={lang} />
          ) : items.length === 0 && next ? (
            // A page read by cursor can pass only cases the text filters leave out: more may follow.
            <p class="muted" data-empty-page>
              {t(
                '这一页没有符合条件的案件，后面的页可能还有，请点“下一页”。',
                'No matching case on this page; later pages may have some: use Next page.',
              )}
            </p>
          ) : (
            <CaseTable items={items} dir={dir} lang={lang} tz={tz} now={new Date()} nameOf={nameOf} />
          )}
          <nav class="actions" aria-label={t('分页', 'Pages')}>
            {(q.cursor || q.page > 1) && previous !== exportQuery && (
              <a class="button secondary" href={`/app/cases${exportQuery}`}>
                {t('回到第一页', 'First page')}
              </a>
            )}
            {previous !== null && (
              <a class="button secondary" href={`/app/cases${previous}`} rel="prev">
                {t('上一页', 'Previous page')}
              </a>
            )}
            {next && (
              <a class="button secondary" href={`/app/cases${next}`} rel="next">
                {t('下一页', 'Next page')}
              </a>
            )}
          </nav>
          <p class="actions">
            <a class="button secondary" href={`/app/cases/export.csv${exportQuery}`} download>
              {t('导出 CSV', 'Export CSV')}
            </a>
            <a class="button secondary" href={`/app/cases/export.xlsx${exportQuery}`} download>
              {t('导出 Excel', 'Export XLSX')}
            </a>
          </p>
        </section>
      </>,
      { status: parsed.ok && !problem ? 200 : 400 },
    );
  });

  const exported = async (c: WebContext) => {
    const lang = c.get('lang');
    const parsed = parseForm(exportQuerySchema, c.req.query());
    if (!parsed.ok) {
      throw new ProblemError('validation', {
        zh: `筛选条件有误：${Object.entries(parsed.errors)
          .map(([k, v]) => `${k} ${v.zh}`)
          .join('；')}`,
        en: `bad filters: ${Object.entries(parsed.errors)
          .map(([k, v]) => `${k} ${v.en}`)
          .join('; ')}`,
      });
    }
    const dir = await directoryOrFail(deps);
    const { items } = await collect(deps, c, parsed.data, EXPORT_CAP);
    const nameOf = await assigneeNamer(deps, dir, items);
    return { ...exportRows(dir, sorted(items, parsed.data.sort), lang, tz, nameOf), lang };
  };
  const fileName = (ext: string) => `cases-${new Date().toISOString().slice(0, 10)}.${ext}`;

  app.get('/cases/export.csv', async (c) => {
    const { header, rows } = await exported(c);
    // A byte-order mark so Excel opens the Chinese text as UTF-8.
    const csv = `\ufeff${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName('csv')}"`,
      'cache-control': 'no-store',
    });
  });

  app.get('/cases/export.xlsx', async (c) => {
    const { header, rows, lang } = await exported(c);
    const book = new ExcelJS.Workbook();
    book.creator = 'Rectify';
    const sheet = book.addWorksheet(lang === 'en' ? 'Cases' : '案件');
    sheet.addRow(header).font = { bold: true };
    for (const r of rows) sheet.addRow(r);
    sheet.columns.forEach((col) => {
      col.width = 18;
    });
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    const buffer = await book.xlsx.writeBuffer();
    return c.body(new Uint8Array(buffer as ArrayBuffer), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${fileName('xlsx')}"`,
      'cache-control': 'no-store',
    });
  });
}
