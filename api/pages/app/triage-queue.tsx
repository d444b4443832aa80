import { z } from 'zod';
import type { Directory } from '../../../domain/directory.ts';
import { reportKindInfo, reportKinds } from '../../../domain/intake.ts';
import { enCount, enNumber } from '../../../domain/english-count.ts';
import { listPlaces, type Place } from '../../../domain/places.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import {
  isQueueCursor,
  isReportId,
  queuePositionOf,
  triageQueue,
  type DecidingReport,
  type Report,
} from '../../../store/reports.ts';
import type { AppDeps } from '../../deps.ts';
import { buildingIdSchema } from '../../schemas.ts';
import { Field, type FieldErrors } from '../ui.tsx';

/**
 * The triage queue's view: which page (a queue position and the trail back), which report was
 * just decided, and the filters (a building, a kind, words in the report's text or place). The
 * page's links, its filter form and the hidden fields of every card carry it, so a decision or
 * a refusal comes back to the same view.
 */

/** Reports per page: each card carries its three forms, so a phone scrolls through twenty, not a hundred. */
export const TRIAGE_PAGE_SIZE = 20;
/** How many earlier pages 上一页 can go back through (the trail rides in the address). */
const BACK_DEPTH = 10;
/** With a kind or words to match, a page reads at most this many waiting reports to fill itself. */
const SCAN_CAP = 500;
const SCAN_BATCH = 100;

const empty = (v: unknown) => (v === '' ? undefined : v);
const NOT_A_POSITION = '不是有效的翻页位置，请从第一页开始 / not a page position; start from the first page';
/** A page's position in the trail: a queue position, or `~` for the first page. */
const trailStep = (s: string) => s === '~' || isQueueCursor(s);

export const queueQuerySchema = z.object({
  after: z.preprocess(empty, z.string().max(64).refine(isQueueCursor, NOT_A_POSITION).optional()),
  back: z.preprocess(
    empty,
    z
      .string()
      .max(BACK_DEPTH * 65)
      .refine((s) => s.split(',').every(trailStep), NOT_A_POSITION)
      .optional(),
  ),
  decided: z.preprocess(
    empty,
    z
      .string()
      .max(16)
      .refine(isReportId, '不是报告编号（如 RP-8SEF2N10Y7）/ not a report number (such as RP-8SEF2N10Y7)')
      .optional(),
  ),
  buildingId: z.preprocess(empty, buildingIdSchema.optional()),
  kind: z.preprocess(
    empty,
    z
      .enum(reportKinds, { error: '请从列表中选择报告类别 / choose the kind of report from the list' })
      .optional(),
  ),
  q: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(200).optional(),
  ),
});
export type QueueView = z.output<typeof queueQuerySchema>;

/** The fields of the view a card's forms send back (the report just decided is not one). */
const VIEW_FIELDS = ['after', 'back', 'buildingId', 'kind', 'q'] as const;

/** The queue's address for a view (the filters, the page, the report just decided). */
export function queueHref(view: QueueView, hash?: string): string {
  const params = new URLSearchParams();
  if (view.decided) params.set('decided', view.decided);
  for (const k of ['buildingId', 'kind', 'q', 'after', 'back'] as const) {
    const v = view[k];
    if (v) params.set(k, v);
  }
  const query = params.toString();
  return `${query ? `/app/triage?${query}` : '/app/triage'}${hash ? `#${hash}` : ''}`;
}

/**
 * The view a card's form came from (its hidden fields), on the viewer's own buildings: a field
 * that does not fit is dropped (that page's filter or position is no longer offered), never an error.
 */
export function viewFromForm(form: Record<string, unknown>, buildings: readonly string[]): QueueView {
  const picked = Object.fromEntries(
    VIEW_FIELDS.map((k) => [k, typeof form[k] === 'string' ? form[k] : undefined]),
  );
  const whole = queueQuerySchema.safeParse(picked);
  const dropped = whole.success
    ? null
    : Object.fromEntries(whole.error.issues.map((i) => [String(i.path[0]), undefined]));
  const view = whole.success
    ? whole.data
    : (queueQuerySchema.safeParse({ ...picked, ...dropped }).data ?? {});
  if (view.buildingId && !buildings.includes(view.buildingId)) delete view.buildingId;
  return view;
}

/** The hidden fields that bring a card's decision back to the view it was made on. */
export function ViewFields(props: { view: QueueView }) {
  return (
    <>
      {VIEW_FIELDS.map((k) => {
        const v = props.view[k];
        return v ? <input type="hidden" name={k} value={v} /> : null;
      })}
    </>
  );
}

/** Whether the view narrows the queue by what only the reports themselves say (kind, words). */
export const filtersByContent = (view: QueueView) => view.kind !== undefined || view.q !== undefined;

/** What a report is matched against: its text, its number, the reporter's name and its place in both languages. */
function matcher(dir: Directory, view: QueueView): ((r: Report) => boolean) | undefined {
  if (!filtersByContent(view)) return undefined;
  const words = view.q?.toLowerCase();
  const places = new Map<string, Place>(listPlaces(dir).map((p) => [p.code, p]));
  return (r) => {
    if (view.kind && r.kind !== view.kind) return false;
    if (!words) return true;
    const place = places.get(r.placeCode);
    const building = dir.buildings.find((b) => b.id === r.location.buildingId);
    const floor = building?.floors.find((f) => f.id === r.location.floorId);
    const said = [
      r.description,
      r.reportId,
      r.placeCode,
      r.name ?? '',
      r.location.roomId ?? '',
      place?.name.zh ?? '',
      place?.name.en ?? '',
      building?.name.zh ?? '',
      building?.name.en ?? '',
      floor?.name.zh ?? '',
      floor?.name.en ?? '',
    ]
      .join('\n')
      .toLowerCase();
    return said.includes(words);
  };
}

export interface QueuePage {
  /** The page's waiting reports: nobody is deciding them. */
  reports: Report[];
  /** Where the next page starts, or null on the last. */
  next: string | null;
  /** How many reports wait in the view's buildings altogether (filtered by building only): those the pages hold. */
  total: number;
  /**
   * The reports of the view being decided now (a decision taken, not recorded yet), with its
   * kind and words: shown apart as being decided, never as waiting nor in `total`.
   */
  deciding: DecidingReport[];
  /** The page read its limit of reports without filling itself: later pages may hold matches. */
  capped: boolean;
  /** With a kind or words: how many of the waiting reports match them (see Matching). */
  matching?: Matching | undefined;
}

/**
 * How many waiting reports match a view's kind or words, counted from the queue's start over at
 * most SCAN_CAP reports: `read` is how many were, fewer than the total only when the count stopped there.
 */
export interface Matching {
  count: number;
  read: number;
}

/** Counts the matching reports from the queue's start, reading no more than SCAN_CAP. */
async function countMatching(deps: AppDeps, ids: string[], keep: (r: Report) => boolean): Promise<Matching> {
  let after: string | undefined;
  let count = 0;
  let read = 0;
  for (;;) {
    const batch = await triageQueue(deps.aws, ids, { limit: SCAN_BATCH, after });
    read += batch.reports.length;
    count += batch.reports.filter(keep).length;
    if (!batch.next || read >= SCAN_CAP) return { count, read };
    after = batch.next;
  }
}

/**
 * The line over the queue: how many reports wait, and with a kind or words how many of them match
 * ("1 of 70 waiting reports matches"), or of the first ones read when the count stopped short.
 */
export function waitingLine(total: number, matching: Matching | undefined): Bilingual {
  if (!matching) return { zh: `共 ${total} 条待分派`, en: `${enNumber(total)} waiting` };
  const { count, read } = matching;
  const verb = count === 1 ? 'matches' : 'match';
  if (read < total)
    return {
      zh: `待分派 ${total} 条，已查看的前 ${read} 条中 ${count} 条符合筛选`,
      en: `${enNumber(count)} of the first ${enNumber(read)} of ${enCount(total, 'waiting report')} ${verb}`,
    };
  return {
    zh: `待分派 ${total} 条，其中 ${count} 条符合筛选`,
    en: `${enNumber(count)} of ${enCount(total, 'waiting report')} ${verb}`,
  };
}

/**
 * One page of the view: the waiting reports of the viewer's buildings (or the one chosen),
 * safety hazards first, then oldest first, those of the kind and with the words asked for. The
 * building is a read of that building's queue alone; a kind or words are checked on the reports
 * read, page after page of the queue, until the page is full, the queue ends, or SCAN_CAP reports
 * were read.
 */
export async function readQueue(
  deps: AppDeps,
  dir: Directory,
  buildings: readonly string[],
  view: QueueView,
  limit = TRIAGE_PAGE_SIZE,
): Promise<QueuePage> {
  const ids = view.buildingId ? buildings.filter((b) => b === view.buildingId) : [...buildings];
  const keep = matcher(dir, view);
  if (!keep) {
    const page = await triageQueue(deps.aws, ids, { limit, after: view.after });
    return { ...page, capped: false };
  }
  const page = await matchingPage(deps, ids, keep, view.after, limit);
  // The first page that reached the queue's end holds every match; any other counts them apart.
  const matching =
    !view.after && page.next === null && !page.capped
      ? { count: page.reports.length, read: page.total }
      : await countMatching(deps, ids, keep);
  return { ...page, deciding: page.deciding.filter((d) => keep(d.report)), matching };
}

/** A page of the reports `keep` takes, read batch by batch from `after` (see readQueue). */
async function matchingPage(
  deps: AppDeps,
  ids: string[],
  keep: (r: Report) => boolean,
  start: string | undefined,
  limit: number,
): Promise<QueuePage> {
  const reports: Report[] = [];
  let after = start;
  let read = 0;
  let total = 0;
  let deciding: DecidingReport[] = [];
  for (;;) {
    const batch = await triageQueue(deps.aws, ids, { limit: SCAN_BATCH, after });
    total = batch.total;
    deciding = batch.deciding;
    for (const [n, r] of batch.reports.entries()) {
      read++;
      if (!keep(r)) continue;
      reports.push(r);
      if (reports.length === limit) {
        const more = n < batch.reports.length - 1 || batch.next !== null;
        return { reports, next: more ? queuePositionOf(r) : null, total, deciding, capped: false };
      }
    }
    if (!batch.next) return { reports, next: null, total, deciding, capped: false };
    after = batch.next;
    if (read >= SCAN_CAP) return { reports, next: after, total, deciding, capped: true };
  }
}

/** The next and previous pages' addresses of a view: the trail of earlier positions rides along. */
export function pageLinks(
  view: QueueView,
  next: string | null,
): { next: string | null; previous: string | null } {
  const trail = view.back ? view.back.split(',') : [];
  const { decided: _decided, ...rest } = view;
  const nextHref = next
    ? queueHref({ ...rest, after: next, back: [...trail, view.after ?? '~'].slice(-BACK_DEPTH).join(',') })
    : null;
  const before = trail.at(-1);
  if (!view.after || before === undefined) return { next: nextHref, previous: null };
  const earlier = trail.slice(0, -1);
  return {
    next: nextHref,
    previous: queueHref({
      ...rest,
      after: before === '~' ? undefined : before,
      back: earlier.length > 0 ? earlier.join(',') : undefined,
    }),
  };
}

/** The queue's query fields as a person reads them: the filter form's labels, and the paging. */
export const queueQueryLabels: Record<string, Bilingual> = {
  q: { zh: '搜索', en: 'Search' },
  buildingId: { zh: '楼栋', en: 'Building' },
  kind: { zh: '类别', en: 'Kind' },
  after: { zh: '翻页位置', en: 'Page position' },
  back: { zh: '上一页位置', en: 'Previous page position' },
  decided: { zh: '刚处理的报告', en: 'Report just decided' },
};

/**
 * The filter form's control of each query field it has (ui.tsx Field ids), for an error
 * summary's links: the building is a choice only where the viewer triages more than one.
 */
export const queueFilterIds = (buildings: readonly string[]): Record<string, string> => ({
  q: 'flt-q',
  kind: 'flt-kind',
  ...(buildings.length > 1 ? { buildingId: 'flt-buildingId' } : {}),
});

/** The filter form over the queue: a building of the viewer's, a kind, words. */
export function QueueFilters(props: {
  lang: Lang;
  dir: Directory;
  buildings: readonly string[];
  view: QueueView;
  /** A refused query's problems by field, marked on the controls. */
  errors?: FieldErrors | undefined;
}) {
  const { lang, view } = props;
  const t = (text: Bilingual) => inLang(text, lang);
  const common = { lang, idPrefix: 'flt', errors: props.errors };
  const filtered = view.buildingId || view.kind || view.q;
  return (
    <form method="get" action="/app/triage" class="card" role="search">
      <div class="grid">
        <Field
          {...common}
          name="q"
          label={{ zh: '搜索', en: 'Search' }}
          hint={{ zh: '报告内容、地点或编号', en: 'the report’s text, place or number' }}
          control={(a) => <input {...a} type="search" maxlength={200} value={view.q ?? ''} />}
        />
        {props.buildings.length > 1 && (
          <Field
            {...common}
            name="buildingId"
            label={{ zh: '楼栋', en: 'Building' }}
            control={(a) => (
              <select {...a}>
                <option value="">{t({ zh: '全部', en: 'All' })}</option>
                {props.buildings.map((id) => {
                  const b = props.dir.buildings.find((x) => x.id === id);
                  return (
                    <option value={id} selected={view.buildingId === id}>
                      {b ? t(b.name) : id}
                    </option>
                  );
                })}
              </select>
            )}
          />
        )}
        <Field
          {...common}
          name="kind"
          label={{ zh: '类别', en: 'Kind' }}
          control={(a) => (
            <select {...a}>
              <option value="">{t({ zh: '全部', en: 'All' })}</option>
              {reportKinds.map((k) => (
                <option value={k} selected={view.kind === k}>
                  {t(reportKindInfo[k].label)}
                </option>
              ))}
            </select>
          )}
        />
      </div>
      <div class="actions">
        <button type="submit">{t({ zh: '筛选', en: 'Filter' })}</button>
        {filtered && (
          <a class="button secondary" href="/app/triage">
            {t({ zh: '清除', en: 'Clear' })}
          </a>
        )}
      </div>
    </form>
  );
}
