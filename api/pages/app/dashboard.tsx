// Longer than most modules because the KPIs, their charts, the weekly reports and the overdue list are one page over one period query.
import { Hono } from 'hono';
import { enCount } from '../../../domain/english-count.ts';
import { raw } from 'hono/html';
import { z } from 'zod';
import { itemShortName } from '../../../domain/standards/catalogue.ts';
import { boundedDate } from '../../schemas.ts';
import { localDate } from '../../../domain/calendar.ts';
import { placeNameOf } from '../../../domain/place-name.ts';
import { isValidIsoWeek, reportedWeek } from '../../../domain/digest.ts';
import type { Directory } from '../../../domain/directory.ts';
import { clockKpis, kpiSourceNote, kpiSourceText, onTimeStages, type KpiValue } from '../../../domain/kpi.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { caseTitleIn } from '../../../domain/case-title.ts';
import { readsEverything, supervisedBuildings } from '../../middleware/access.ts';
import { directoryOrFail } from '../../reads.ts';
import type { AppDeps } from '../../deps.ts';
import { csrfProtect, requireViewer, sessionMiddleware, type WebEnv } from '../../middleware/session.ts';
import { ProblemError } from '../../middleware/problems.ts';
import { reportScopeRefusal } from '../../middleware/access.ts';
import { loadWeeklySummary } from '../../reads.ts';
import { weeklyReportHtml } from '../../routes/weekly-reports.ts';
import { missingReason, missingReportText, WeeklyReportList } from './weekly-report-list.tsx';
import { missingReportContext } from './weekly-report-context.ts';
import { ErrorSummaryBox } from '../error-summary.tsx';
import { countBarsChart, kpiRatesChart, rateTrendChart } from '../charts.ts';
import { ClockTable } from './dashboard-clocks.tsx';
import { InspectionScores } from './dashboard-inspections.tsx';
import { standardsPageRoutes } from './standards-page.tsx';
import { calendarAdminRoutes, calendarBanner } from './admin-calendar.tsx';
import { currentCalendarReader } from '../../../infra/calendar.ts';
import { cohortReads } from '../../../store/kpi-scope-tallies.ts';
import { Field, formatTime, SeverityBadge, StageBadge, STACKED_TABLE, stageLabels } from '../ui.tsx';
import { repeatedParams } from '../../repeated-params.ts';
import { adminRoutes } from './admin.tsx';
import { auditPageRoutes } from './audit.tsx';
import {
  ErrorSummary,
  kpiSampleText,
  kpiTargetText,
  kpiValueText,
  page,
  parseQuery,
  percent,
  refusedPage,
  trendHeading,
  viewerHas,
  type WebContext,
} from './dashboard-common.tsx';
import {
  breachesIn,
  dashboardPeriod,
  inspectionTrend,
  kpiFiguresOf,
  MAX_DASHBOARD_DAYS,
  overdueNow,
  weeklyReports,
  weeklyTrend,
  type KpiFigures,
} from './dashboard-data.ts';

/**
 * /app/dashboard: the KPIs against the standards' targets for a building or the
 * campus over a period, small server-drawn charts, the weekly reports, and the
 * breaches and overdue cases behind the figures. Read-only: every control is a
 * GET form, so the page works without JavaScript and any view can be bookmarked.
 */

const TITLE: Bilingual = { zh: '仪表盘', en: 'Dashboard' };

/** The overdue and breach tables' columns: their headers, and each cell's label on a phone's card. */
const overdueCols = {
  stage: { zh: '阶段', en: 'Stage' },
  place: { zh: '地点', en: 'Place' },
  person: { zh: '负责人', en: 'Assignee' },
  due: { zh: '应完成', en: 'Was due' },
} satisfies Record<string, Bilingual>;
const breachCols = {
  stage: { zh: '环节', en: 'Stage' },
  due: { zh: '期限', en: 'Due' },
  breached: { zh: '超时于', en: 'Breached at' },
  person: { zh: '负责人', en: 'Assignee' },
} satisfies Record<string, Bilingual>;
export const DASHBOARD_ROLES = ['supervisor', 'working_group', 'leadership', 'admin', 'auditor'] as const;

const DASHBOARD_RULE: Bilingual = {
  zh: '仪表盘供主管（所管楼栋）、工作小组、校领导、管理员和审计人员查看',
  en: 'the dashboard is for supervisors (their buildings), the working group, leadership, admins and auditors',
};

const date = boundedDate;
const dashboardQuery = z.object({
  building: z.string().max(100).optional(),
  from: date.optional(),
  to: date.optional(),
});
/** The dashboard form's fields by the labels the form shows them with, for its errors. */
const dashboardLabels: Record<keyof z.infer<typeof dashboardQuery>, Bilingual> = {
  building: { zh: '楼栋', en: 'Building' },
  from: { zh: '开始日期', en: 'From' },
  to: { zh: '结束日期（含）', en: 'To (inclusive)' },
};
/** The dashboard form's controls by field (ui.tsx Field ids), for its error summary's links. */
const DASHBOARD_FIELD_IDS: Record<string, string> = {
  building: 'dash-building',
  from: 'dash-from',
  to: 'dash-to',
};
const weeklyQuery = z.object({
  // Without a week, last week's report: the week GET /api/reports/weekly defaults to.
  week: z.string().refine(isValidIsoWeek, 'ISO 周，如 2026-W07 / an ISO week like 2026-W07').optional(),
  building: z.string().max(100).optional(),
  // `buildingId`, as the API (and its refusal, "add buildingId=") calls it, is taken too.
  buildingId: z.string().max(100).optional(),
});

/** The buildings this viewer may pick; `campus` when they may also see the whole campus. */
function scopeOf(c: WebContext, dir: Directory): { campus: boolean; buildings: string[] } {
  const viewer = c.get('viewer');
  if (!viewer) return { campus: false, buildings: [] };
  if (readsEverything(viewer)) return { campus: true, buildings: dir.buildings.map((b) => b.id) };
  return { campus: false, buildings: supervisedBuildings(viewer, dir) };
}

/** Where a page opens when no building is asked: the campus for campus readers, else a dormitory of theirs first. */
function defaultBuilding(
  scope: { campus: boolean; buildings: string[] },
  dir: Directory,
): string | undefined {
  if (scope.campus) return undefined;
  const dormitory = scope.buildings.find(
    (id) => dir.buildings.find((b) => b.id === id)?.kind !== 'public_area',
  );
  return dormitory ?? scope.buildings[0];
}

function Verdict(props: { met: boolean | null; lang: Lang }) {
  if (props.met === null)
    return <span class="badge cancelled">{inLang({ zh: '未判定', en: 'n/a' }, props.lang)}</span>;
  return props.met ? (
    <span class="badge met">{inLang({ zh: '达标', en: 'Met' }, props.lang)}</span>
  ) : (
    <span class="badge breached">{inLang({ zh: '未达标', en: 'Missed' }, props.lang)}</span>
  );
}

/** "检查评估 2" / "Evaluation 2": how a KPI names the 6T item its target is written in. */
function citeText(id: string, lang: Lang): string {
  return inLang(itemShortName(id), lang);
}

/** What a cited KPI's source adds to its items (a derived target, how it is counted). */
function SourceNote(props: { source: string; lang: Lang }) {
  const note = kpiSourceNote(props.source);
  return note ? <span data-kpi-source-note>{` · ${inLang(note, props.lang)}`}</span> : null;
}

/**
 * The KPI table on a phone: each KPI a card of its own (STACKED_TABLE), each figure beside its column's name, so
 * the verdict is in view (five columns took 544 px in a 324 px scroll box, the verdict off-screen).
 */
const KPI_TABLE_CSS =
  'table[data-kpis]{min-width:34rem}' +
  '@media (max-width:37.5rem){table[data-kpis]{min-width:0}' +
  'table[data-kpis]>tbody>tr>th{display:block;border:0;padding:0 0 .35rem}' +
  'table[data-kpis]>tbody>tr>td:empty{display:none}}';

function KpiTable(props: { kpis: KpiValue[]; lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  const column = {
    value: t({ zh: '数值', en: 'Value' }),
    target: t({ zh: '目标', en: 'Target' }),
    verdict: t({ zh: '判定', en: 'Verdict' }),
    sample: t({ zh: '样本', en: 'Sample' }),
  };
  return (
    <div class="table-wrap" role="region" tabindex={0} aria-label={t({ zh: '指标表', en: 'KPI table' })}>
      <style dangerouslySetInnerHTML={{ __html: KPI_TABLE_CSS }} />
      <table data-kpis class={STACKED_TABLE}>
        <caption class="visually-hidden">
          {t({ zh: '指标、目标与判定', en: 'KPIs, targets and verdicts' })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t({ zh: '指标', en: 'KPI' })}</th>
            <th scope="col">{column.value}</th>
            <th scope="col">{column.target}</th>
            <th scope="col">{column.verdict}</th>
            <th scope="col">{column.sample}</th>
          </tr>
        </thead>
        <tbody>
          {props.kpis.map((k) => (
            <tr data-kpi={k.id} data-met={String(k.met)}>
              <th scope="row" style="font-weight:400">
                {t(k.label)}
              </th>
              <td data-label={column.value}>{kpiValueText(k, props.lang)}</td>
              <td data-label={column.target}>
                {kpiTargetText(k, props.lang)}
                <br />
                <small class="muted" data-kpi-source>
                  {k.cites.length > 0
                    ? k.cites.map((id, i) => (
                        <>
                          {i > 0 && ', '}
                          <a href={`/app/standards#${id}`}>{citeText(id, props.lang)}</a>
                        </>
                      ))
                    : t(kpiSourceText(k.source))}
                  {k.cites.length > 0 && <SourceNote source={k.source} lang={props.lang} />}
                </small>
              </td>
              <td data-label={column.verdict} data-verdict>
                <Verdict met={k.met} lang={props.lang} />
              </td>
              <td class="muted" data-label={column.sample}>
                {kpiSampleText(k, props.lang)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const Svg = (props: { svg: string | null; empty: Bilingual; lang: Lang }) =>
  props.svg ? (
    <figure class="chart" style="margin:0">
      {raw(props.svg)}
    </figure>
  ) : (
    <p class="muted">{inLang(props.empty, props.lang)}</p>
  );

export function dashboardRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const tz = deps.env.CAMPUS_TZ;
  const calendarNow = currentCalendarReader(deps.env, { ddb: deps.aws.ddb, tables: deps.aws.tables });

  app.get('/dashboard', async (c) => {
    const lang = c.get('lang');
    const t = (b: Bilingual) => inLang(b, lang);
    if (!viewerHas(c, DASHBOARD_ROLES)) return refusedPage(c, TITLE, DASHBOARD_RULE);
    const dir = await directoryOrFail(deps);
    const scope = scopeOf(c, dir);
    if (!scope.campus && scope.buildings.length === 0) return refusedPage(c, TITLE, DASHBOARD_RULE);
    const q = parseQuery(c, dashboardQuery, dashboardLabels);
    const asked = q.ok ? q.value : {};
    const errors: Record<string, Bilingual> = q.ok ? {} : { ...q.errors };
    // A parameter given twice is refused, not read as its first value (one building's figures
    // shown as the answer to two). `buildingId` is the building field's other name.
    for (const [name, said] of Object.entries(repeatedParams(c.req.queries())))
      errors[name === 'buildingId' ? 'building' : name] = said;
    // `buildingId`, as the case list and the API call it, is taken too.
    const buildingParam = asked.building || c.req.query('buildingId') || undefined;
    if (buildingParam && !dir.buildings.some((b) => b.id === buildingParam))
      errors.building = { zh: `没有楼栋 ${buildingParam}`, en: `there is no building ${buildingParam}` };
    // Supervisors see their own buildings: a dormitory of theirs first, unless they pick another.
    const buildingId = buildingParam ?? defaultBuilding(scope, dir);
    if (!errors.building && buildingParam) {
      const viewer = c.get('viewer');
      const refusal = viewer ? reportScopeRefusal(viewer, dir, buildingId) : DASHBOARD_RULE;
      if (refusal) return refusedPage(c, TITLE, refusal);
    }
    const now = new Date();
    const period = dashboardPeriod(
      { from: errors.from ? undefined : asked.from, to: errors.to ? undefined : asked.to },
      tz,
      now,
    );
    if (!(period.days > 0))
      // Named as the form labels the two fields, not by their parameter names.
      errors.from = {
        zh: '开始日期须早于或等于结束日期',
        en: 'The “From” date must be on or before the “To” date',
      };
    else if (period.days > MAX_DASHBOARD_DAYS)
      errors.to = {
        zh: `时间范围最长 ${MAX_DASHBOARD_DAYS} 天`,
        en: `the period may span at most ${MAX_DASHBOARD_DAYS} days`,
      };
    const invalid = Object.keys(errors).length > 0;

    const buildingName = (id: string) => inLang(placeNameOf(dir, { buildingId: id }), lang);
    const personName = (id: string) => dir.people.find((p) => p.id === id)?.name ?? id;
    const inScope = buildingId ? [buildingId] : scope.campus ? undefined : scope.buildings;

    // Each field in error is marked and carries its message; the summary links to it (`dash-<name>`).
    const fieldProps = { lang, errors, idPrefix: 'dash' };
    const form = (
      <form method="get" action="/app/dashboard" class="card" aria-labelledby="dash-filter-h">
        <h2 id="dash-filter-h" style="margin-top:0">
          {t({ zh: '范围与时段', en: 'Scope and period' })}
        </h2>
        <div class="grid">
          <Field
            {...fieldProps}
            name="building"
            label={dashboardLabels.building}
            control={(a) => (
              <select {...a}>
                {scope.campus && (
                  <option value="" selected={buildingId === undefined}>
                    {t({ zh: '全校', en: 'Whole campus' })}
                  </option>
                )}
                {scope.buildings.map((id) => (
                  <option value={id} selected={id === buildingId}>
                    {buildingName(id)}
                  </option>
                ))}
              </select>
            )}
          />
          <Field
            {...fieldProps}
            name="from"
            label={dashboardLabels.from}
            control={(a) => <input {...a} type="date" value={period.fromDate} />}
          />
          <Field
            {...fieldProps}
            name="to"
            label={dashboardLabels.to}
            control={(a) => <input {...a} type="date" value={period.toDate} />}
          />
        </div>
        <div class="actions">
          <button type="submit">{t({ zh: '查看', en: 'Show' })}</button>
        </div>
      </form>
    );
    if (invalid) {
      return page(
        c,
        TITLE,
        <>
          <ErrorSummary errors={errors} lang={lang} ids={DASHBOARD_FIELD_IDS} />
          {form}
        </>,
        400,
      );
    }

    const perBuilding = buildingId === undefined && scope.campus;
    // From 1 November admins see, every day, that next year's official calendar is missing.
    const calendarNotice = viewerHas(c, ['admin'])
      ? calendarBanner((await calendarNow()).file, localDate(now.toISOString(), tz))
      : null;
    // The campus and each building's figures, and the weekly trend, from one read of the cases.
    const cohorts = cohortReads({ ddb: deps.aws.ddb, tables: deps.aws.tables });
    const scopes = perBuilding ? [buildingId, ...dir.buildings.map((b) => b.id)] : [buildingId];
    const [[figures, ...perScope], trend, breaches, overdue, reports, inspectionWeeks] = await Promise.all([
      kpiFiguresOf(deps, dir, period, scopes, cohorts),
      weeklyTrend(deps, period.to, buildingId, cohorts),
      breachesIn(deps, period, inScope),
      overdueNow(deps, inScope),
      weeklyReports(deps, buildingId, now),
      inspectionTrend(deps, inScope ?? dir.buildings.map((b) => b.id), period.to),
    ]);
    if (!figures) throw new Error('kpiFiguresOf answers every scope asked');
    const buildingFigures: { id: string; figures: KpiFigures }[] = perBuilding
      ? perScope.map((f, i) => ({ id: dir.buildings[i]!.id, figures: f }))
      : [];
    const missing = await missingReportContext(deps, dir, buildingId, reports);
    const missed = figures.kpis.filter((k) => k.met === false);
    // It opens the sentence below, so the campus reads capitalised as a building's name does.
    const scopeText = buildingId ? buildingName(buildingId) : t({ zh: '全校', en: 'Whole campus' });

    const trendLabels = trend.map((w) => w.week.slice(5));
    const onTimeSvg = rateTrendChart(
      { zh: '各周按时完成率（按周立案批次）', en: 'On-time rate by week (cases opened that week)' },
      trend.map((w, i) => ({ label: trendLabels[i] ?? w.week, value: w.onTime })),
      1,
      lang,
    );
    const satisfactionSvg = rateTrendChart(
      { zh: '各周综合满意率', en: 'Overall satisfaction by week' },
      trend.map((w, i) => ({ label: trendLabels[i] ?? w.week, value: w.satisfaction })),
      0.85,
      lang,
    );
    const overdueByBuilding = new Map<string, number>();
    for (const v of overdue.items)
      overdueByBuilding.set(v.location.buildingId, (overdueByBuilding.get(v.location.buildingId) ?? 0) + 1);
    const breachesByBuilding = new Map<string, number>();
    for (const b of breaches.items)
      breachesByBuilding.set(
        b.view.location.buildingId,
        (breachesByBuilding.get(b.view.location.buildingId) ?? 0) + 1,
      );
    // A wide and a phone drawing, as the KPI chart: each labels every building within its own width.
    const buildingsSvgAt = (width: number) =>
      countBarsChart(
        { zh: '各楼栋案件、超时与违约', en: 'Cases, overdue and breaches per building' },
        buildingFigures.map((b) => buildingName(b.id)),
        [
          {
            name: t({ zh: '本期案件', en: 'Cases' }),
            values: buildingFigures.map((b) => b.figures.cases),
            colour: '#0b57a4',
          },
          {
            name: t({ zh: '当前超时', en: 'Overdue now' }),
            values: buildingFigures.map((b) => overdueByBuilding.get(b.id) ?? 0),
            colour: '#b45309',
          },
          {
            name: t({ zh: '违约期限', en: 'Breached deadlines' }),
            values: buildingFigures.map((b) => breachesByBuilding.get(b.id) ?? 0),
            colour: '#b91c1c',
          },
        ],
        lang,
        { width, height: 200 },
      );
    const buildingsSvg = perBuilding ? { wide: buildingsSvgAt(640), narrow: buildingsSvgAt(360) } : null;
    const onTimeOf = (f: KpiFigures) => {
      const num = onTimeStages.reduce((a, s) => a + f.tally.onTime[s].num, 0);
      const den = onTimeStages.reduce((a, s) => a + f.tally.onTime[s].den, 0);
      return den === 0 ? '—' : percent(num / den);
    };

    return page(
      c,
      TITLE,
      <>
        {calendarNotice && (
          <div class="flash error" role="alert" data-calendar-banner>
            {t(calendarNotice)}{' '}
            <a href="/app/admin/calendar">{t({ zh: '打开校历', en: 'Open the calendar' })}</a>
          </div>
        )}
        {form}
        <section class="card" aria-labelledby="dash-kpi-h">
          <h2 id="dash-kpi-h" style="margin-top:0">
            {t({ zh: '指标与目标', en: 'KPIs against targets' })}
          </h2>
          <p class="muted" data-scope={buildingId ?? 'campus'}>
            {t({
              zh: `${scopeText}，${period.fromDate} 至 ${period.toDate} 立案的 ${figures.cases} 件案件；${missed.length} 项未达标。`,
              en: `${scopeText}, ${enCount(figures.cases, 'case')} opened ${period.fromDate} to ${period.toDate}; ${enCount(missed.length, 'KPI')} missed.`,
            })}
          </p>
          {/* A wide and a narrow drawing: SVG text scales with the chart, so a phone gets its own. */}
          <style>
            {
              '.chart-narrow{display:none}@media (max-width:40rem){.chart-wide{display:none}.chart-narrow{display:block}}'
            }
          </style>
          <div class="chart-wide">
            <Svg
              svg={kpiRatesChart(figures.kpis, lang, 640)}
              empty={{
                zh: '本期尚无可计算的比率指标。',
                en: 'No rate KPI can be measured for this period yet.',
              }}
              lang={lang}
            />
          </div>
          <div class="chart-narrow" data-chart="kpi-rates">
            <Svg
              svg={kpiRatesChart(figures.kpis, lang, 360)}
              empty={{
                zh: '本期尚无可计算的比率指标。',
                en: 'No rate KPI can be measured for this period yet.',
              }}
              lang={lang}
            />
          </div>
          <KpiTable kpis={figures.kpis} lang={lang} />
        </section>
        <section class="card" aria-labelledby="dash-clocks-h">
          <h2 id="dash-clocks-h" style="margin-top:0">
            {t({ zh: '标准时限（按案件计）', en: 'Standard clocks (per case)' })}
          </h2>
          <ClockTable clocks={clockKpis(figures.tally)} lang={lang} />
        </section>
        <section class="card" aria-labelledby="dash-insp-h">
          <h2 id="dash-insp-h" style="margin-top:0">
            {t({ zh: '6T检查得分（按维度、楼栋）', en: '6T inspection scores by dimension and building' })}
          </h2>
          <InspectionScores
            lang={lang}
            scores={figures.inspections}
            trend={inspectionWeeks}
            cited={figures.tally.citedByDimension ?? {}}
            buildingName={buildingName}
            idPrefix="dash"
          />
        </section>
        <section class="card" aria-labelledby="dash-trend-h">
          <h2 id="dash-trend-h" style="margin-top:0">
            {t(trendHeading(trend.length))}
          </h2>
          <div class="grid" style="grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))">
            <div>
              <h3 style="font-size:1rem">{t({ zh: '按时完成率', en: 'On-time rate' })}</h3>
              <Svg
                svg={onTimeSvg}
                empty={{ zh: '暂无已判定的期限。', en: 'No decided deadlines yet.' }}
                lang={lang}
              />
            </div>
            <div>
              <h3 style="font-size:1rem">{t({ zh: '综合满意率', en: 'Overall satisfaction' })}</h3>
              <Svg
                svg={satisfactionSvg}
                empty={{ zh: '暂无回访评分。', en: 'No follow-up scores yet.' }}
                lang={lang}
              />
            </div>
          </div>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{t({ zh: '各周数据', en: 'Figures by week' })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t({ zh: '周', en: 'Week' })}</th>
                  <th scope="col">{t({ zh: '立案', en: 'Opened' })}</th>
                  <th scope="col">{t({ zh: '按时完成率', en: 'On time' })}</th>
                  <th scope="col">{t({ zh: '综合满意率', en: 'Satisfaction' })}</th>
                </tr>
              </thead>
              <tbody>
                {trend.map((w) => (
                  <tr>
                    <th scope="row" style="font-weight:400">
                      {w.week}
                    </th>
                    <td>{w.cases}</td>
                    <td>{w.onTime === null ? '—' : percent(w.onTime)}</td>
                    <td>{w.satisfaction === null ? '—' : percent(w.satisfaction)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        {perBuilding && (
          <section class="card" aria-labelledby="dash-bldg-h">
            <h2 id="dash-bldg-h" style="margin-top:0">
              {t({ zh: '各楼栋', en: 'By building' })}
            </h2>
            <div class="chart-wide">
              <Svg
                svg={buildingsSvg?.wide ?? null}
                empty={{ zh: '尚无楼栋。', en: 'No buildings yet.' }}
                lang={lang}
              />
            </div>
            <div class="chart-narrow">
              <Svg
                svg={buildingsSvg?.narrow ?? null}
                empty={{ zh: '尚无楼栋。', en: 'No buildings yet.' }}
                lang={lang}
              />
            </div>
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">
                  {t({ zh: '各楼栋数据', en: 'Figures by building' })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t({ zh: '楼栋', en: 'Building' })}</th>
                    <th scope="col">{t({ zh: '本期案件', en: 'Cases' })}</th>
                    <th scope="col">{t({ zh: '按时完成率', en: 'On time' })}</th>
                    <th scope="col">{t({ zh: '本年有效投诉', en: 'Valid complaints this year' })}</th>
                    <th scope="col">{t({ zh: '未达标指标', en: 'KPIs missed' })}</th>
                  </tr>
                </thead>
                <tbody>
                  {buildingFigures.map((b) => {
                    const complaints = b.figures.kpis.find(
                      (k) => k.id === 'valid_complaints_per_building_year',
                    );
                    return (
                      <tr>
                        <th scope="row" style="font-weight:400">
                          <a
                            href={`/app/dashboard?building=${encodeURIComponent(b.id)}&from=${period.fromDate}&to=${period.toDate}`}
                          >
                            {buildingName(b.id)}
                          </a>
                        </th>
                        <td>{b.figures.cases}</td>
                        <td>{onTimeOf(b.figures)}</td>
                        <td>{complaints?.value ?? 0} / 5</td>
                        <td>{b.figures.kpis.filter((k) => k.met === false).length}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        )}
        <section class="card" aria-labelledby="dash-reports-h">
          <h2 id="dash-reports-h" style="margin-top:0">
            {t({ zh: '周报', en: 'Weekly reports' })}
          </h2>
          <WeeklyReportList
            reports={reports}
            buildingId={buildingId}
            lang={lang}
            missing={missing}
            onDashboard
          />
        </section>
        <section class="card" aria-labelledby="dash-overdue-h">
          <h2 id="dash-overdue-h" style="margin-top:0">
            {t({
              zh: `当前超时案件（${overdue.items.length}${overdue.more ? '+' : ''}）`,
              en: `Overdue now (${overdue.items.length}${overdue.more ? '+' : ''})`,
            })}
          </h2>
          {overdue.items.length === 0 ? (
            <p class="muted">{t({ zh: '没有超时案件。', en: 'No case is overdue.' })}</p>
          ) : (
            <div
              class="table-wrap"
              role="region"
              tabindex={0}
              aria-label={t({ zh: '超时案件表', en: 'Overdue cases' })}
            >
              <table data-overdue class={STACKED_TABLE}>
                <thead>
                  <tr>
                    <th scope="col">{t({ zh: '案件', en: 'Case' })}</th>
                    <th scope="col">{t(overdueCols.stage)}</th>
                    <th scope="col">{t(overdueCols.place)}</th>
                    <th scope="col">{t(overdueCols.person)}</th>
                    <th scope="col">{t(overdueCols.due)}</th>
                  </tr>
                </thead>
                <tbody>
                  {overdue.items.map((v) => {
                    const due = v.deadlines
                      .filter((d) => d.state === 'pending' || d.state === 'breached')
                      .at(-1);
                    return (
                      <tr>
                        <td>
                          <a href={`/app/cases/${encodeURIComponent(v.caseId)}`}>{v.caseId}</a>{' '}
                          {caseTitleIn(v.title, lang)} <SeverityBadge severity={v.severity} lang={lang} />
                        </td>
                        <td data-label={t(overdueCols.stage)}>
                          <StageBadge stage={v.stage} lang={lang} />
                        </td>
                        <td data-label={t(overdueCols.place)}>{t(placeNameOf(dir, v.location))}</td>
                        <td data-label={t(overdueCols.person)}>{personName(v.assigneeId)}</td>
                        <td data-label={t(overdueCols.due)}>{due ? formatTime(due.due, tz) : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section class="card" aria-labelledby="dash-breach-h">
          <h2 id="dash-breach-h" style="margin-top:0">
            {t({
              zh: `本期违约期限（${breaches.total}）`,
              en: `Breached deadlines this period (${breaches.total})`,
            })}
          </h2>
          {breaches.items.length === 0 ? (
            <p class="muted">
              {t({ zh: '本期没有违约的期限。', en: 'No deadline was breached in this period.' })}
            </p>
          ) : (
            <div
              class="table-wrap"
              role="region"
              tabindex={0}
              aria-label={t({ zh: '违约期限表', en: 'Breached deadlines' })}
            >
              <table data-breaches class={STACKED_TABLE}>
                <thead>
                  <tr>
                    <th scope="col">{t({ zh: '案件', en: 'Case' })}</th>
                    <th scope="col">{t(breachCols.stage)}</th>
                    <th scope="col">{t(breachCols.due)}</th>
                    <th scope="col">{t(breachCols.breached)}</th>
                    <th scope="col">{t(breachCols.person)}</th>
                  </tr>
                </thead>
                <tbody>
                  {breaches.items.map((b) => (
                    <tr>
                      <td>
                        <a href={`/app/cases/${encodeURIComponent(b.view.caseId)}`}>{b.view.caseId}</a>{' '}
                        {caseTitleIn(b.view.title, lang)}
                      </td>
                      <td data-label={t(breachCols.stage)}>
                        {t(stageLabels[b.deadline.stage])}
                        {b.deadline.round > 1 ? ` #${b.deadline.round}` : ''}
                      </td>
                      <td data-label={t(breachCols.due)}>{formatTime(b.deadline.due, tz)}</td>
                      <td data-label={t(breachCols.breached)}>
                        {b.deadline.breachedAt ? formatTime(b.deadline.breachedAt, tz) : '—'}
                      </td>
                      <td data-label={t(breachCols.person)}>{personName(b.view.assigneeId)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </>,
    );
  });

  // A stored weekly report as its own page (the same page the report API serves for text/html).
  app.get('/dashboard/weekly', async (c) => {
    const lang = c.get('lang');
    const viewer = c.get('viewer');
    const title: Bilingual = { zh: '周报', en: 'Weekly report' };
    if (!viewer || !viewerHas(c, DASHBOARD_ROLES)) return refusedPage(c, title, DASHBOARD_RULE);
    const q = parseQuery(c, weeklyQuery, {
      week: { zh: '周', en: 'Week' },
      building: dashboardLabels.building,
      buildingId: dashboardLabels.building,
    });
    if (!q.ok) return page(c, title, <ErrorSummary errors={q.errors} lang={lang} />, 400);
    const dir = await directoryOrFail(deps);
    const asked = q.value.building || q.value.buildingId || undefined;
    // Like the dashboard: a supervisor opening the bare page sees a building of theirs, not a refusal.
    const buildingId = asked ?? defaultBuilding(scopeOf(c, dir), dir);
    if (buildingId && !dir.buildings.some((b) => b.id === buildingId))
      return page(
        c,
        title,
        <ErrorSummary
          errors={{ building: { zh: `没有楼栋 ${buildingId}`, en: `there is no building ${buildingId}` } }}
          lang={lang}
        />,
        404,
      );
    const refusal = reportScopeRefusal(viewer, dir, buildingId);
    if (refusal) return refusedPage(c, title, refusal);
    try {
      const week = q.value.week ?? reportedWeek(new Date().toISOString(), tz);
      const summary = await loadWeeklySummary(deps, { week, buildingId });
      c.header('Cache-Control', 'no-store');
      return c.html(
        weeklyReportHtml(
          dir,
          summary,
          lang,
          {
            href: `/app/dashboard${buildingId ? `?building=${encodeURIComponent(buildingId)}` : ''}`,
            label: { zh: '返回仪表盘', en: 'Back to the dashboard' },
          },
          tz,
        ),
      );
    } catch (err) {
      if (!(err instanceof ProblemError) || err.type !== 'not_found') throw err;
      // The week asked has no report: say so by the building's name, and offer the weeks that do.
      const week = q.value.week ?? reportedWeek(new Date().toISOString(), tz);
      const place = buildingId
        ? inLang(
            dir.buildings.find((b) => b.id === buildingId)?.name ?? { zh: buildingId, en: buildingId },
            lang,
          )
        : inLang({ zh: '全校', en: 'the whole campus' }, lang);
      const reports = await weeklyReports(deps, buildingId, new Date());
      const missing = await missingReportContext(deps, dir, buildingId, reports, [week]);
      // The bare page before the system's first report: not an error, the first one is on its way;
      // it says when, with the figures so far on the dashboard (it was a 404 "not built yet").
      const upcoming =
        !q.value.week && missing.nextBuild && missingReason(week, missing) === 'before_first'
          ? missing.nextBuild.week
          : undefined;
      const shown = upcoming ?? week;
      return page(
        c,
        title,
        <>
          {upcoming ? (
            <div class="flash" role="status" data-weekly-missing={shown} data-missing-reason="pending">
              {inLang(missingReportText(shown, place, missing), lang)}{' '}
              <a href={`/app/dashboard${buildingId ? `?building=${encodeURIComponent(buildingId)}` : ''}`}>
                {inLang({ zh: '打开仪表盘', en: 'Open the dashboard' }, lang)}
              </a>
            </div>
          ) : (
            <ErrorSummaryBox
              lang={lang}
              text={missingReportText(shown, place, missing)}
              data={{ 'data-weekly-missing': shown, 'data-missing-reason': missingReason(shown, missing) }}
            />
          )}
          <section class="card">
            <WeeklyReportList reports={reports} buildingId={buildingId} lang={lang} missing={missing} />
          </section>
          <p>
            <a href={`/app/dashboard${buildingId ? `?building=${encodeURIComponent(buildingId)}` : ''}`}>
              {inLang({ zh: '返回仪表盘', en: 'Back to the dashboard' }, lang)}
            </a>
          </p>
        </>,
        upcoming ? 200 : 404,
      );
    }
  });

  return app;
}

/**
 * The dashboard, auditor and admin pages as one sub-app, mounted at `/app`:
 * signed-in people only, every non-GET request with the session's CSRF token.
 */
export function moreAppRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  // Guarded here on its own paths too, so the pages never depend on the order of mounts
  // (the session middleware is safe to run twice).
  for (const path of ['/dashboard', '/dashboard/*', '/audit', '/audit/*', '/admin/*', '/standards'])
    app.use(path, sessionMiddleware(deps), requireViewer, csrfProtect);
  // The admin pages' own address leads to the first of them (it was a 404 naming an API route).
  app.get('/admin', (c) => c.redirect('/app/admin/directory', 302));
  app.route('/', dashboardRoutes(deps));
  app.route('/', auditPageRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/', standardsPageRoutes(deps));
  app.route('/', calendarAdminRoutes(deps));
  return app;
}
