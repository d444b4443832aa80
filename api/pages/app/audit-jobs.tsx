import { formOr400 } from '../../form-body.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import { periodBounds } from '../../../audit/export.ts';
import type { VerifyEvent } from '../../../audit/verify.ts';
import { readResultText, resultUrl, type AuditJob } from '../../../store/audit-jobs.ts';
import { enCount } from '../../../domain/english-count.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { ownAuditJob, resultStoreOf, startAuditJobFor } from '../../audit-jobs.ts';
import type { AppDeps } from '../../deps.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { ProblemError } from '../../middleware/problems.ts';
import { anchorWitness, AUDIT_READERS } from '../../routes/audit.ts';
import { directoryOrFail } from '../../reads.ts';
import { boundedDate } from '../../schemas.ts';
import { formatTime } from '../ui.tsx';
import { ErrorSummaryBox } from '../error-summary.tsx';
import { AllResultView, collectAll } from './audit-results.tsx';
import { page, refusedPage, viewerHas, type WebContext } from './dashboard-common.tsx';
import { formValues, parseForm, viewerOf } from './web-kit.tsx';

/**
 * The auditor's long reads as jobs: the audit page's "verify all" and period
 * export forms POST here, the job runs on the worker, and its page shows the
 * progress (refreshing itself) until the result can be downloaded; a finished
 * verification is also shown as the verify-all page shows it.
 */
const TITLE: Bilingual = { zh: '审计任务', en: 'Audit job' };
const RULE: Bilingual = {
  zh: '审计任务供审计人员、管理员、工作小组和校领导使用',
  en: 'audit jobs are for auditors, admins, the working group and leadership',
};
const form = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('verify') }),
    z.object({
      kind: z.literal('period_export'),
      from: boundedDate,
      to: boundedDate,
      building: z.string().max(100).optional(),
      format: z.enum(['csv', 'json']).default('csv'),
    }),
  ],
  { error: '请选择任务：校验全部审计链或按时段导出 / choose a job: verify every chain, or export a period' },
);

export const auditJobPageHref = (jobId: string) => `/app/audit/jobs/${encodeURIComponent(jobId)}`;
const kindNames: Record<string, Bilingual> = {
  verify: { zh: '校验全部审计链', en: 'Verify every audit chain' },
  period_export: { zh: '按时段导出', en: 'Export a period' },
  case_export: { zh: '导出案件', en: 'Export a case' },
};
const statusNames: Record<AuditJob['status'], Bilingual> = {
  queued: { zh: '排队中', en: 'Queued' },
  running: { zh: '进行中', en: 'Running' },
  done: { zh: '已完成', en: 'Done' },
  failed: { zh: '失败', en: 'Failed' },
};

/** A job form the audit page posted, as posted, with what to correct, keyed by field name. */
export interface PostedJobForm {
  kind: string;
  values: Record<string, string>;
  errors: Record<string, Bilingual>;
}

/** The period export form's fields by the labels the audit page gives them. */
export const exportFieldLabels = {
  from: { zh: '开始日期', en: 'Start date' },
  to: { zh: '结束日期', en: 'End date' },
  building: { zh: '楼栋', en: 'Building' },
  format: { zh: '格式', en: 'Format' },
} satisfies Record<string, Bilingual>;
export const reversedPeriodText: Bilingual = {
  zh: '开始日期须不晚于结束日期',
  en: 'The start date must be on or before the end date',
};

/**
 * `formAgain` renders the audit page with a refused form filled in as it was posted: the dates
 * typed are not lost to a page with no form (the job routes do not draw the audit page themselves).
 */
export function auditJobPages(
  deps: AppDeps,
  formAgain: (c: WebContext, posted: PostedJobForm, status: 400 | 429) => Response | Promise<Response>,
): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const tz = deps.env.CAMPUS_TZ;
  const allowed = (c: WebContext) => viewerHas(c, AUDIT_READERS);

  // The forms post here; the address itself (a reload, a bookmark) leads back to them, where the
  // viewer's own jobs are listed.
  app.get('/audit/jobs', (c) => c.redirect('/app/audit#audit-jobs-h', 303));

  app.post('/audit/jobs', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, RULE);
    const values = formValues(await formOr400(c));
    const refused = (errors: Record<string, Bilingual>, status: 400 | 429) =>
      formAgain(c, { kind: values.kind ?? '', values, errors }, status);
    // Each field by the label the person sees beside it, not its parameter name.
    const parsed = parseForm(form, values, exportFieldLabels);
    if (!parsed.ok) return refused(parsed.errors, 400);
    const f = parsed.data;
    const owner = viewerOf(c).person.id;
    try {
      let job: AuditJob;
      if (f.kind === 'verify') {
        job = await startAuditJobFor(deps, owner, {
          kind: 'verify',
          progressEvery: 50,
          witness: await anchorWitness(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE),
        });
      } else {
        const building = f.building || undefined;
        const period = periodBounds(f.from, f.to, tz);
        if (period.from >= period.to) return refused({ from: reversedPeriodText }, 400);
        if (building && !(await directoryOrFail(deps)).buildings.some((b) => b.id === building))
          return refused(
            { building: { zh: `没有楼栋 ${building}`, en: `there is no building ${building}` } },
            400,
          );
        job = await startAuditJobFor(deps, owner, {
          kind: 'period_export',
          from: period.from,
          to: period.to,
          label: `${f.from}-${f.to}`,
          buildingId: building,
          format: f.format,
        });
      }
      return c.redirect(auditJobPageHref(job.jobId), 303);
    } catch (err) {
      if (err instanceof ProblemError && err.type === 'too_many_requests' && typeof err.detail !== 'string')
        return refused({ jobs: err.detail }, 429);
      throw err;
    }
  });

  app.get('/audit/jobs/:jobId', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, RULE);
    const lang = c.get('lang');
    const t = (b: Bilingual) => inLang(b, lang);
    const job = await ownJobOrNull(c);
    if (!job) return notFound(c);
    const live = job.status === 'queued' || job.status === 'running';
    let verification = null;
    if (job.status === 'done' && job.kind === 'verify' && job.result) {
      const text = await readResultText(resultStoreOf(deps), job.result);
      if (text !== null) {
        async function* events(): AsyncGenerator<VerifyEvent> {
          for (const line of (text ?? '').split('\n')) if (line.trim()) yield JSON.parse(line) as VerifyEvent;
        }
        verification = await collectAll(events());
      }
    }
    return page(
      c,
      kindNames[job.kind] ?? TITLE,
      <>
        {/* Refreshes itself while the job runs: no script needed. */}
        {live && <meta http-equiv="refresh" content="2" />}
        <section class="card" data-job={job.jobId} data-job-status={job.status} aria-live="polite">
          <p>
            <strong>{t(statusNames[job.status])}</strong>
            {' · '}
            {t({ zh: '开始于', en: 'started' })} {formatTime(job.createdAt, tz)}
            {job.finishedAt && (
              <>
                {' · '}
                {t({ zh: '结束于', en: 'finished' })} {formatTime(job.finishedAt, tz)}
              </>
            )}
          </p>
          {/* A case export is one case: only the jobs over many count them. */}
          {job.kind === 'case_export' ? null : job.progress.total !== null ? (
            <p data-job-progress>
              <progress max={job.progress.total} value={job.progress.done} />{' '}
              {t({
                zh: `${job.progress.done} / ${job.progress.total} 件案件`,
                en: `${job.progress.done.toLocaleString('en-US')} of ${enCount(job.progress.total, 'case')}`,
              })}
            </p>
          ) : (
            live && (
              <p data-job-progress>
                {t({
                  zh: `已处理 ${job.progress.done} 件案件`,
                  en: `Processed ${enCount(job.progress.done, 'case')}`,
                })}
              </p>
            )
          )}
          {live && (
            <p class="hint" data-job-refresh>
              {t({
                zh: '任务完成前，此页每 2 秒自动刷新。',
                en: 'Until the job ends, this page reloads itself every 2 seconds.',
              })}{' '}
              <a href={auditJobPageHref(job.jobId)}>{t({ zh: '立即刷新', en: 'Reload now' })}</a>
            </p>
          )}
          {job.status === 'failed' && (
            <div class="flash error" role="alert">
              {t({ zh: '任务失败：', en: 'The job failed: ' })}
              {job.error}
            </div>
          )}
          {job.status === 'done' && job.result && (
            <p>
              <a class="button" href={`${auditJobPageHref(job.jobId)}/download`} data-download>
                {t({ zh: '下载结果', en: 'Download the result' })} ({job.result.fileName})
              </a>
            </p>
          )}
        </section>
        {verification && (
          <AllResultView
            result={verification}
            lang={lang}
            caseHref={(id) => `/app/audit/verify?caseId=${encodeURIComponent(id)}`}
            timeZone={tz}
          />
        )}
        <p>
          <a href="/app/audit">{t({ zh: '返回审计', en: 'Back to audit' })}</a>
        </p>
      </>,
    );
  });

  app.get('/audit/jobs/:jobId/download', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, RULE);
    const job = await ownJobOrNull(c);
    if (!job) return notFound(c);
    if (job.status !== 'done' || !job.result) return c.redirect(auditJobPageHref(job.jobId), 303);
    c.header('Cache-Control', 'no-store');
    return c.redirect(await resultUrl(resultStoreOf(deps), job.result), 303);
  });

  async function ownJobOrNull(c: WebContext): Promise<AuditJob | null> {
    try {
      return await ownAuditJob(deps, viewerOf(c).person.id, c.req.param('jobId') ?? '');
    } catch (err) {
      if (err instanceof ProblemError && err.type === 'not_found') return null;
      throw err;
    }
  }
  const notFound = (c: WebContext) =>
    page(
      c,
      TITLE,
      <>
        <ErrorSummaryBox
          lang={c.get('lang')}
          text={{ zh: '没有您的该审计任务', en: 'You have no such audit job' }}
          data={{ 'data-problem-status': '404' }}
        />
        <p>
          <a href="/app/audit">{inLang({ zh: '返回审计', en: 'Back to audit' }, c.get('lang'))}</a>
        </p>
      </>,
      404,
    );

  return app;
}

/**
 * The viewer's own recent audit jobs on the audit page: each one's kind, state, when it started
 * (and ended) and a link to its page, so a job is found again without its URL.
 */
export function OwnAuditJobs(props: { jobs: readonly AuditJob[] | null; lang: Lang; timeZone: string }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  if (props.jobs === null)
    return (
      <p class="muted" data-own-jobs="unavailable">
        {t({
          zh: '暂时无法列出您的审计任务，请稍后刷新。任务仍在进行，其页面地址不变。',
          en: 'Your audit jobs cannot be listed just now; reload shortly. They still run, at the same addresses.',
        })}
      </p>
    );
  if (props.jobs.length === 0)
    return (
      <p class="muted" data-own-jobs="0">
        {t({ zh: '您最近没有审计任务。', en: 'You have no recent audit jobs.' })}
      </p>
    );
  return (
    <ul data-own-jobs={String(props.jobs.length)}>
      {props.jobs.map((j) => (
        <li data-own-job={j.jobId} data-job-status={j.status}>
          <a href={auditJobPageHref(j.jobId)}>{t(kindNames[j.kind] ?? TITLE)}</a>
          {' · '}
          <strong>{t(statusNames[j.status])}</strong>
          {' · '}
          {t({ zh: '开始于', en: 'started' })} {formatTime(j.createdAt, props.timeZone)}
          {j.finishedAt && (
            <>
              {' · '}
              {t({ zh: '结束于', en: 'finished' })} {formatTime(j.finishedAt, props.timeZone)}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
