// Longer than most modules because search, verify one or all, and the exports are the auditor’s one page.
import { Hono } from 'hono';
import { z } from 'zod';
import {
  caseExport,
  exportPeriod,
  periodBounds,
  renderCaseExport,
  type ExportFormat,
} from '../../../audit/export.ts';
import { verifyAll, verifyEntries } from '../../../audit/verify.ts';
import { withEvidence } from '../../../audit/evidence-check.ts';
import { readChain } from '../../../store/audit-chain.ts';
import { BadCursorError, listCases } from '../../../store/case-lists.ts';
import { getCaseRecord } from '../../../store/case-records.ts';
import { getReport, isReportId } from '../../../store/reports.ts';
import { stages, type CaseView } from '../../../domain/case-model.ts';
import { inLang, type Bilingual } from '../../../domain/text.ts';
import { caseTitleIn } from '../../../domain/case-title.ts';
import { placeNameOf } from '../../../domain/place-name.ts';
import { directoryOrFail } from '../../reads.ts';
import type { AppDeps } from '../../deps.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { anchorRuns } from '../../../audit/anchor-runs.ts';
import { anchorWitness, AUDIT_READERS } from '../../routes/audit.ts';
import { describeEntry } from '../../audit-timeline.ts';
import { boundedDate, storedCaseIdSchema } from '../../schemas.ts';
import { Csrf, formatTime, StageBadge, stageLabels, type FlashMessage } from '../ui.tsx';
import { page as pageWithFlash } from './web-kit.tsx';
import { namesForAudit } from '../../directory-names.ts';
import { MAX_EXPORT_PERIOD_DAYS, overlongExportDays } from '../../audit-export-cap.ts';
import { recentOwnAuditJobs } from '../../audit-job-list.ts';
import {
  auditJobPages,
  exportFieldLabels,
  OwnAuditJobs,
  reversedPeriodText,
  type PostedJobForm,
} from './audit-jobs.tsx';
import { AllResultView, CaseResult, collectAll, entryAt } from './audit-results.tsx';
import { trailLinks, trailSchema } from './cursor-trail.ts';
import { caseNumberLabel, repeatedKeys, VerifyCaseForm } from './audit-verify-form.tsx';
import { streamPieces } from '../../stream.ts';
import { exportHref, verifyHref } from './audit-links.ts';
import {
  ErrorSummary,
  page,
  parseQuery,
  refusedPage,
  viewerHas,
  type WebContext,
} from './dashboard-common.tsx';

/**
 * /app/audit: the auditor's pages. Search cases, verify one case's chain or
 * every chain (the same functions as GET /api/audit/verify, with the anchor
 * witnessed by Temporal), and export a case or a period as CSV or JSON
 * streamed like the export API. Everything here reads; nothing writes.
 */

const TITLE: Bilingual = { zh: '审计', en: 'Audit' };
// The same people who may read audit trails through the API.
const AUDIT_RULE: Bilingual = {
  zh: '审计页面供审计人员、管理员、工作小组和校领导使用',
  en: 'the audit pages are for auditors, admins, the working group and leadership',
};
const PAGE_SIZE = 20;
const CURSOR_MAX = 2000;

const date = boundedDate;
const searchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  building: z.string().max(100).optional(),
  stage: z.union([z.enum(stages), z.literal('')]).optional(),
  from: z.union([date, z.literal('')]).optional(),
  to: z.union([date, z.literal('')]).optional(),
  cursor: z.string().max(CURSOR_MAX).optional(),
  /** The cursors of the pages before this one (cursor-trail.ts), so 上一页 can go back. */
  back: z.preprocess((v) => (v === '' ? undefined : v), trailSchema(CURSOR_MAX).optional()),
});
/** The search's fields as the page labels them: what its errors name, never the query's keys. */
const searchLabels = {
  q: { zh: '案件编号或标题', en: 'Case number or title' },
  building: { zh: '楼栋', en: 'Building' },
  stage: { zh: '阶段', en: 'Stage' },
  from: { zh: '立案起（含）', en: 'Opened from' },
  to: { zh: '立案止（含）', en: 'Opened to' },
} satisfies Record<string, Bilingual>;
/** The paging fields, which have no control on the page, as a person reads them. */
const pagingLabels: Record<string, Bilingual> = {
  cursor: { zh: '翻页位置', en: 'Page position' },
  back: { zh: '上一页位置', en: 'Previous page position' },
};
const queryLabels: Record<string, Bilingual> = { ...searchLabels, ...pagingLabels };
/** Each search field's control on the page: where the error summary sends the reader. */
const searchFieldIds: Record<string, string> = {
  q: 'audit-q',
  building: 'audit-building',
  stage: 'audit-stage',
  from: 'audit-from',
  to: 'audit-to',
};

/**
 * The search's refusal as the page's focused summary (ui.tsx Flash): what to correct, each item
 * linked to its field; a paging position, which has no field, to the search form to start again;
 * a refused job form's errors without a card of their own, to the jobs.
 */
function searchRefusal(
  errors: Record<string, Bilingual>,
  jobErrors: Record<string, Bilingual> = {},
): FlashMessage | undefined {
  const links = [
    ...Object.entries(errors).map(([k, text]) => ({
      href: `#${searchFieldIds[k] ?? 'audit-search-h'}`,
      text,
    })),
    ...Object.values(jobErrors).map((text) => ({ href: '#audit-jobs-h', text })),
  ];
  if (links.length === 0) return undefined;
  return {
    kind: 'error',
    text: { zh: '请修改以下内容：', en: 'Please correct the following:' },
    links,
  };
}

const verifyQuery = z.object({ caseId: storedCaseIdSchema });
const format = z.enum(['csv', 'json']).default('csv');
const caseExportQuery = z.object({ format });
const periodExportQuery = z.object({
  from: date,
  to: date,
  building: z.string().max(100).optional(),
  format,
});

const contentTypes: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const caseHref = (id: string) => `/app/cases/${encodeURIComponent(id)}`;

export function auditPageRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const aws = deps.aws;
  const tz = deps.env.CAMPUS_TZ;
  const allowed = (c: WebContext) => viewerHas(c, AUDIT_READERS);
  app.route(
    '/',
    auditJobPages(deps, (c, posted, status) => home(c, posted, status)),
  );

  /** The case a scanned report opened or was merged into, or null (undecided, rejected, unknown). */
  async function caseOfReport(reportId: string): Promise<CaseView | null> {
    const report = await getReport(aws, reportId);
    const caseId = report && (report.status === 'case' || report.status === 'merged') ? report.caseId : null;
    return caseId ? getCaseRecord(aws.ddb, aws.tables, caseId) : null;
  }

  app.get('/audit', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, AUDIT_RULE);
    return home(c);
  });

  /**
   * The audit page; with `posted`, a job form it sent that was refused, shown again as it was
   * filled in with its errors beside it (the search is not run: its query is not this request's).
   */
  async function home(c: WebContext, posted?: PostedJobForm, postedStatus?: 400 | 429) {
    const lang = c.get('lang');
    const t = (b: Bilingual) => inLang(b, lang);
    const [dir, ownJobs] = await Promise.all([
      directoryOrFail(deps),
      recentOwnAuditJobs(
        { temporal: deps.temporal, aws, taskQueue: deps.env.TEMPORAL_TASK_QUEUE },
        c.get('viewer')?.person.id ?? '',
      ),
    ]);
    const parsed = parseQuery(c, searchQuery, queryLabels);
    const q = parsed.ok ? parsed.value : {};
    // A key given twice is refused, not searched by its first value.
    const errors: Record<string, Bilingual> = {
      ...(parsed.ok ? {} : parsed.errors),
      ...repeatedKeys(c, queryLabels),
    };
    const building = q.building || undefined;
    if (building && !dir.buildings.some((b) => b.id === building))
      errors.building = { zh: `没有楼栋 ${building}`, en: `There is no building ${building}` };
    const period = q.from && q.to ? periodBounds(q.from, q.to, tz) : undefined;
    if (period && period.from >= period.to)
      errors.from = {
        zh: '立案起须不晚于立案止',
        en: '“Opened from” must be on or before “Opened to”',
      };

    const searched = !posted && Object.keys(c.req.query()).some((k) => k !== 'lang');
    let items: CaseView[] = [];
    let nextCursor: string | null = null;
    if (searched && Object.keys(errors).length === 0) {
      const text = q.q?.toLowerCase();
      // A case number finds its case directly, as does a scanned report's number the case it was
      // opened from or merged into (the report's own decision names it; no case text carries a
      // merged one); anything else searches titles and numbers in the list.
      const exact =
        text && isReportId(text.toUpperCase())
          ? await caseOfReport(text.toUpperCase())
          : text && storedCaseIdSchema.safeParse(q.q).success
            ? await getCaseRecord(aws.ddb, aws.tables, q.q ?? '')
            : null;
      if (exact) items = [exact];
      else {
        try {
          const found = await listCases(aws.ddb, aws.tables, {
            filters: {
              buildingId: building,
              stage: q.stage || undefined,
              from: q.from ? periodBounds(q.from, q.from, tz).from : undefined,
              to: q.to ? periodBounds(q.to, q.to, tz).to : undefined,
            },
            limit: PAGE_SIZE,
            cursor: q.cursor,
            keep: text
              ? (v) => v.title.toLowerCase().includes(text) || v.caseId.toLowerCase().includes(text)
              : undefined,
          });
          items = found.items;
          nextCursor = found.nextCursor;
        } catch (err) {
          if (!(err instanceof BadCursorError)) throw err;
          errors.cursor = {
            zh: '翻页参数与本次查询不符，请从第一页重新查询',
            en: 'The page position does not fit this search; start again from the first page',
          };
        }
      }
    }
    const buildingName = (id: string) => inLang(placeNameOf(dir, { buildingId: id }), lang);
    const filters = new URL(c.req.url).searchParams;
    filters.delete('cursor');
    filters.delete('back');
    // A search with every field empty still sends them: a first page of no fields would not search.
    if ([...filters.keys()].every((k) => k === 'lang')) filters.set('q', '');
    const pager = trailLinks(filters, { cursor: q.cursor || undefined, back: q.back }, nextCursor);
    const status = postedStatus ?? (Object.keys(errors).length > 0 ? 400 : 200);
    // A refused job form: its errors in its own card, what was typed kept.
    const exportPosted = posted?.kind === 'period_export' ? posted : undefined;
    const verifyPosted = posted?.kind === 'verify' ? posted : undefined;
    const otherPosted = posted && !exportPosted && !verifyPosted ? posted : undefined;
    const exportValue = (k: string) => (exportPosted ? exportPosted.values[k] : undefined);
    const exportFrom = exportPosted ? (exportValue('from') ?? '') : (q.from ?? '');
    const exportTo = exportPosted ? (exportValue('to') ?? '') : (q.to ?? '');
    const exportError = (k: string) => (exportPosted?.errors[k] ? 'true' : undefined);
    /** A search field's error marks, and its text under the field that describes it. */
    const searchError = (k: keyof typeof searchLabels) => {
      const error = errors[k];
      const id = `${searchFieldIds[k] ?? k}-error`;
      return {
        attrs: error ? { 'aria-invalid': 'true' as const, 'aria-describedby': id } : {},
        text: error ? (
          <p class="field-error" id={id}>
            {t(error)}
          </p>
        ) : null,
      };
    };
    const fieldErrors = {
      q: searchError('q'),
      building: searchError('building'),
      stage: searchError('stage'),
      from: searchError('from'),
      to: searchError('to'),
    };

    // The shared summary: titled 错误：, where the keyboard lands, each field in error linked.
    return pageWithFlash(
      c,
      TITLE,
      <>
        <section class="card" aria-labelledby="audit-jobs-h">
          {/* The summary links here (a job form's errors with no card): focus lands on it. */}
          <h2 id="audit-jobs-h" style="margin-top:0" tabindex={-1}>
            {t({ zh: '我的审计任务', en: 'My audit jobs' })}
          </h2>
          <OwnAuditJobs jobs={ownJobs} lang={lang} timeZone={tz} />
        </section>
        <section class="card" aria-labelledby="audit-verify-all-h">
          <h2 id="audit-verify-all-h" style="margin-top:0">
            {t({ zh: '校验全部审计链', en: 'Verify every audit chain' })}
          </h2>
          <p class="hint">
            {t({
              zh: '逐一校验每个案件的哈希链，并与最近一次锚定（及 Temporal 中记录的锚定）比对。',
              en: 'Checks every case’s hash chain and compares it with the latest anchor (and the anchor Temporal remembers).',
            })}
          </p>
          <form method="post" action="/app/audit/jobs">
            <ErrorSummary errors={verifyPosted?.errors ?? {}} lang={lang} />
            <Csrf token={c.get('csrfToken')} />
            <input type="hidden" name="kind" value="verify" />
            <button type="submit">{t({ zh: '校验全部', en: 'Verify all' })}</button>
          </form>
          <p>
            <a href="/app/audit/verify" data-verify-one="">
              {t({ zh: '校验一个案件', en: 'Verify one case' })}
            </a>
          </p>
        </section>
        <form method="get" action="/app/audit" class="card" role="search" aria-labelledby="audit-search-h">
          {/* The summary links here for a paging position, which has no field: focus lands on it. */}
          <h2 id="audit-search-h" style="margin-top:0" tabindex={-1}>
            {t({ zh: '查找案件', en: 'Find cases' })}
          </h2>
          <div class="grid">
            <div>
              <label for="audit-q">{t(searchLabels.q)}</label>
              <input id="audit-q" name="q" value={q.q ?? ''} {...fieldErrors.q.attrs} />
              {fieldErrors.q.text}
            </div>
            <div>
              <label for="audit-building">{t(searchLabels.building)}</label>
              <select id="audit-building" name="building" {...fieldErrors.building.attrs}>
                <option value="">{t({ zh: '全部', en: 'All' })}</option>
                {dir.buildings.map((b) => (
                  <option value={b.id} selected={b.id === building}>
                    {inLang(b.name, lang)}
                  </option>
                ))}
              </select>
              {fieldErrors.building.text}
            </div>
            <div>
              <label for="audit-stage">{t(searchLabels.stage)}</label>
              <select id="audit-stage" name="stage" {...fieldErrors.stage.attrs}>
                <option value="">{t({ zh: '全部', en: 'All' })}</option>
                {stages.map((s) => (
                  <option value={s} selected={s === q.stage}>
                    {t(stageLabels[s])}
                  </option>
                ))}
              </select>
              {fieldErrors.stage.text}
            </div>
            <div>
              <label for="audit-from">{t(searchLabels.from)}</label>
              <input
                id="audit-from"
                type="date"
                name="from"
                value={q.from ?? ''}
                {...fieldErrors.from.attrs}
              />
              {fieldErrors.from.text}
            </div>
            <div>
              <label for="audit-to">{t(searchLabels.to)}</label>
              <input id="audit-to" type="date" name="to" value={q.to ?? ''} {...fieldErrors.to.attrs} />
              {fieldErrors.to.text}
            </div>
          </div>
          <div class="actions">
            <button type="submit">{t({ zh: '查找', en: 'Search' })}</button>
          </div>
        </form>
        {searched && status === 200 && (
          <section class="card" aria-labelledby="audit-results-h">
            <h2 id="audit-results-h" style="margin-top:0">
              {t({
                zh: `查找结果（${items.length}${nextCursor ? '+' : ''}）`,
                en: `Results (${items.length}${nextCursor ? '+' : ''})`,
              })}
            </h2>
            {items.length === 0 ? (
              <p class="muted">{t({ zh: '没有符合条件的案件。', en: 'No case matches.' })}</p>
            ) : (
              <div class="table-wrap">
                <table data-audit-results>
                  <thead>
                    <tr>
                      <th scope="col">{t({ zh: '案件', en: 'Case' })}</th>
                      <th scope="col">{t({ zh: '阶段', en: 'Stage' })}</th>
                      <th scope="col">{t({ zh: '楼栋', en: 'Building' })}</th>
                      <th scope="col">{t({ zh: '立案', en: 'Opened' })}</th>
                      <th scope="col">{t({ zh: '审计', en: 'Audit' })}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((v) => (
                      <tr data-case={v.caseId}>
                        <td>
                          <a href={caseHref(v.caseId)}>{v.caseId}</a> {caseTitleIn(v.title, lang)}
                        </td>
                        <td>
                          <StageBadge stage={v.stage} lang={lang} />
                        </td>
                        <td>{buildingName(v.location.buildingId)}</td>
                        <td>{formatTime(v.openedAt, tz)}</td>
                        <td>
                          <a href={verifyHref(v.caseId)}>
                            {t({ zh: '校验', en: 'Verify' })}
                            <span class="visually-hidden"> {v.caseId}</span>
                          </a>
                          {' · '}
                          <a href={exportHref(v.caseId, 'csv')}>
                            CSV<span class="visually-hidden"> {v.caseId}</span>
                          </a>
                          {' · '}
                          <a href={exportHref(v.caseId, 'json')}>
                            JSON<span class="visually-hidden"> {v.caseId}</span>
                          </a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {(pager.first || pager.next) && (
              <nav class="actions" aria-label={t({ zh: '分页', en: 'Pages' })}>
                {pager.first !== null && pager.first !== pager.previous && (
                  <a class="button secondary" href={`/app/audit${pager.first}`}>
                    {t({ zh: '回到第一页', en: 'First page' })}
                  </a>
                )}
                {pager.previous !== null && (
                  <a class="button secondary" href={`/app/audit${pager.previous}`} rel="prev">
                    {t({ zh: '上一页', en: 'Previous page' })}
                  </a>
                )}
                {pager.next !== null && (
                  <a class="button secondary" href={`/app/audit${pager.next}`} rel="next">
                    {t({ zh: '下一页', en: 'Next page' })}
                  </a>
                )}
              </nav>
            )}
          </section>
        )}
        <form method="post" action="/app/audit/jobs" class="card" aria-labelledby="audit-export-h">
          <Csrf token={c.get('csrfToken')} />
          <input type="hidden" name="kind" value="period_export" />
          <h2 id="audit-export-h" style="margin-top:0">
            {t({ zh: '导出一段时间的审计记录', en: 'Export the audit trail of a period' })}
          </h2>
          <ErrorSummary errors={exportPosted?.errors ?? {}} lang={lang} />
          <p class="hint">
            {t({
              zh: '该时段内立案的每个案件、其全部审计记录与校验结果。导出作为后台任务进行，任务页面显示进度并提供下载。',
              en: 'Every case opened in the period, with its whole trail and its verification. The export runs as a job; its page shows the progress and the download.',
            })}
          </p>
          <div class="grid">
            <div>
              <label for="export-from">{t(exportFieldLabels.from)}</label>
              <input
                id="export-from"
                type="date"
                name="from"
                required
                value={exportFrom}
                aria-invalid={exportError('from')}
              />
            </div>
            <div>
              <label for="export-to">{t({ zh: '结束日期（含）', en: 'End date (inclusive)' })}</label>
              <input
                id="export-to"
                type="date"
                name="to"
                required
                value={exportTo}
                aria-invalid={exportError('to')}
              />
            </div>
            <div>
              <label for="export-building">{t({ zh: '楼栋', en: 'Building' })}</label>
              <select id="export-building" name="building" aria-invalid={exportError('building')}>
                <option value="">{t({ zh: '全部', en: 'All' })}</option>
                {dir.buildings.map((b) => (
                  <option value={b.id} selected={b.id === exportValue('building')}>
                    {inLang(b.name, lang)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="export-format">{t({ zh: '格式', en: 'Format' })}</label>
              <select id="export-format" name="format">
                <option value="csv">CSV</option>
                <option value="json" selected={exportValue('format') === 'json'}>
                  JSON
                </option>
              </select>
            </div>
          </div>
          <div class="actions">
            <button type="submit">{t({ zh: '导出', en: 'Export' })}</button>
          </div>
        </form>
      </>,
      { status, flash: searchRefusal(errors, otherPosted?.errors) ?? null },
    );
  }

  app.get('/audit/verify', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, AUDIT_RULE);
    const lang = c.get('lang');
    const title: Bilingual = { zh: '审计链校验', en: 'Audit chain verification' };
    const given = c.req.query('caseId');
    // Without a case, or with one it cannot verify: the page's own form, to give (another) one.
    const ask = (error: Bilingual | undefined, status: 200 | 400 | 404) =>
      page(
        c,
        title,
        <>
          <VerifyCaseForm lang={lang} value={given} error={error} />
          <p>
            <a href="/app/audit">{inLang({ zh: '返回审计', en: 'Back to audit' }, lang)}</a>
          </p>
        </>,
        status,
      );
    if (given === undefined) return ask(undefined, 200);
    const repeated = repeatedKeys(c, { caseId: caseNumberLabel }).caseId;
    if (repeated) return ask(repeated, 400);
    const parsed = parseQuery(c, verifyQuery, { caseId: caseNumberLabel });
    if (!parsed.ok) return ask(Object.values(parsed.errors)[0], 400);
    const { caseId } = parsed.value;
    const [record, entries, dir] = await Promise.all([
      getCaseRecord(aws.ddb, aws.tables, caseId),
      readChain(aws.ddb, aws.tables, caseId),
      directoryOrFail(deps),
    ]);
    if (!record && entries.length === 0)
      return ask(
        {
          zh: `没有案件 ${caseId} 的记录或审计轨迹，请核对案件编号`,
          en: `There is no record or audit trail for case ${caseId}; check the case number`,
        },
        404,
      );
    // The files the steps cite are re-hashed too, as GET /api/audit/verify does: a swapped photo fails.
    const result = await withEvidence(
      deps,
      await verifyEntries(aws, caseId, entries, { hasRecord: record !== null }),
      entries,
    );
    const broken = result.broken ? entryAt(entries, result.broken.seq) : undefined;
    // Named as the case timeline names them: someone who has left the directory by their last name.
    const named = broken ? await namesForAudit(aws, dir) : undefined;
    const entry = broken && named ? describeEntry(broken, lang, named.names, tz, named.dir) : undefined;
    const t = (b: Bilingual) => inLang(b, lang);
    return page(
      c,
      title,
      <>
        <CaseResult result={result} entry={entry} lang={lang} />
        <p class="actions">
          <a class="button secondary" href={caseHref(caseId)}>
            {t({ zh: '打开案件', en: 'Open the case' })}
          </a>
          <a class="button secondary" href={exportHref(caseId, 'csv')}>
            {t({ zh: '导出 CSV', en: 'Export CSV' })}
          </a>
          <a class="button secondary" href={exportHref(caseId, 'json')}>
            {t({ zh: '导出 JSON', en: 'Export JSON' })}
          </a>
          <a class="button secondary" href="/app/audit">
            {t({ zh: '返回审计', en: 'Back to audit' })}
          </a>
        </p>
      </>,
    );
  });

  app.get('/audit/verify-all', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, AUDIT_RULE);
    const lang = c.get('lang');
    const witness = await anchorWitness(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE);
    const result = await collectAll(
      verifyAll(aws, { witness, runs: anchorRuns(deps.temporal), evidence: deps }),
    );
    return page(
      c,
      { zh: '全部审计链校验', en: 'Verification of every audit chain' },
      <>
        <AllResultView result={result} lang={lang} caseHref={verifyHref} timeZone={tz} />
        <p>
          <a href="/app/audit">{inLang({ zh: '返回审计', en: 'Back to audit' }, lang)}</a>
        </p>
      </>,
    );
  });

  app.get('/audit/cases/:caseId/export', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, AUDIT_RULE);
    const lang = c.get('lang');
    const id = storedCaseIdSchema.safeParse(c.req.param('caseId'));
    const q = parseQuery(c, caseExportQuery);
    if (!id.success || !q.ok) {
      const errors = q.ok ? {} : q.errors;
      if (!id.success) errors.caseId = { zh: '案件编号格式不对', en: 'not a case number' };
      return page(c, TITLE, <ErrorSummary errors={errors} lang={lang} />, 400);
    }
    const exported = await caseExport(aws, id.data);
    if (!exported) {
      return page(
        c,
        TITLE,
        <div class="flash error" role="alert">
          {inLang(
            {
              zh: `没有案件 ${id.data} 的记录或审计轨迹`,
              en: `there is no record or audit trail for case ${id.data}`,
            },
            lang,
          )}
        </div>,
        404,
      );
    }
    const f = q.value.format;
    return streamPieces(c, renderCaseExport(exported, f, new Date().toISOString()), {
      'content-type': contentTypes[f],
      'content-disposition': `attachment; filename="${id.data.replace(/[^A-Za-z0-9._-]/g, '_')}-audit.${f}"`,
      'cache-control': 'no-store',
    });
  });

  app.get('/audit/export', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, AUDIT_RULE);
    const lang = c.get('lang');
    const q = parseQuery(c, periodExportQuery);
    const errors = q.ok ? {} : { ...q.errors };
    const building = q.ok ? q.value.building || undefined : undefined;
    if (building) {
      const dir = await directoryOrFail(deps);
      if (!dir.buildings.some((b) => b.id === building))
        errors.building = { zh: `没有楼栋 ${building}`, en: `there is no building ${building}` };
    }
    const period = q.ok ? periodBounds(q.value.from, q.value.to, tz) : undefined;
    if (period && period.from >= period.to) errors.from = reversedPeriodText;
    // The same cap as GET /api/audit/export: a longer period is the export job's (the form on /app/audit).
    const overlong = period ? overlongExportDays(period) : null;
    if (overlong !== null)
      errors.to = {
        zh: `一次导出最多 ${MAX_EXPORT_PERIOD_DAYS} 天，所选时段有 ${overlong} 天。请缩短时段，或在审计页面用“导出一段时间的审计记录”在后台导出`,
        en: `one export covers at most ${MAX_EXPORT_PERIOD_DAYS} days and this period spans ${overlong}. Shorten it, or use "Export the audit trail of a period" on the audit page, which exports in the background`,
      };
    if (!q.ok || !period || Object.keys(errors).length > 0)
      return page(
        c,
        TITLE,
        <>
          <ErrorSummary errors={errors} lang={lang} />
          <p>
            <a href="/app/audit#audit-export-h">
              {inLang({ zh: '返回审计页面', en: 'Back to the audit page' }, lang)}
            </a>
          </p>
        </>,
        400,
      );
    const f = q.value.format;
    const name = `audit-${q.value.from}-${q.value.to}${building ? `-${building}` : ''}.${f}`;
    return streamPieces(
      c,
      exportPeriod(aws, { ...period, buildingId: building, format: f }, new Date().toISOString()),
      {
        'content-type': contentTypes[f],
        'content-disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'cache-control': 'no-store',
      },
    );
  });

  return app;
}
