import { addWeeks } from '../../../domain/digest.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { weeklyBuildText, type WeeklyBuild } from '../../../domain/weekly-build.ts';
import type { WeeklyReportRef } from './dashboard-data.ts';

/** Where a stored weekly report of a building (or the campus) opens as a page. */
export const weeklyReportHref = (week: string, buildingId: string | undefined) =>
  `/app/dashboard/weekly?week=${encodeURIComponent(week)}${buildingId ? `&building=${encodeURIComponent(buildingId)}` : ''}`;

/** What tells why a week has no report: the system's first report, the place, the campus's built weeks. */
export interface MissingReportContext {
  /** The first week the system built a report; null before any was built. */
  firstWeek: string | null;
  /** A public area's report is built only for weeks with cases there (domain/digest.ts). */
  publicArea: boolean;
  /** Weeks whose campus report was built (of those asked about). */
  campusWeeks: ReadonlySet<string>;
  /** The next scheduled build and the week it reports; null for a schedule the pages cannot read. */
  nextBuild?: WeeklyBuild | null;
}

export type MissingReason = 'before_first' | 'no_cases' | 'pending' | 'not_built';

/**
 * The week the system's first report is (or, before any was built, will be): before it no week
 * ever gets one. With none built yet that is the week the next build reports, since a build
 * reports only its week before: the weeks before it were not "not built yet", they never will be.
 */
const firstWeekOf = (ctx: MissingReportContext | undefined): string | null =>
  ctx?.firstWeek ?? ctx?.nextBuild?.week ?? null;

/** Why `week` has no report for the page's place. ISO weeks ("2026-W07") compare as strings. */
export function missingReason(week: string, ctx: MissingReportContext | undefined): MissingReason {
  // The week the next build reports, or one after it (the week under way): built on schedule.
  if (ctx?.nextBuild && week >= ctx.nextBuild.week) return 'pending';
  const first = firstWeekOf(ctx);
  if (first && week < first) return 'before_first';
  if (ctx?.publicArea && ctx.campusWeeks.has(week)) return 'no_cases';
  return 'not_built';
}

/** The first report's week, and when it will be built if none is yet. */
function firstText(ctx: MissingReportContext | undefined): Bilingual {
  const first = firstWeekOf(ctx) ?? '';
  if (ctx?.firstWeek || !ctx?.nextBuild) return { zh: first, en: first };
  const when = weeklyBuildText(ctx.nextBuild);
  return { zh: `${first}，将于 ${when.zh} 生成`, en: `${first}, to be built ${when.en}` };
}

/** A week the schedule has still to build: when (the next build for its week, else the one after). */
function pendingText(week: string, ctx: MissingReportContext | undefined): Bilingual {
  const next = ctx?.nextBuild;
  if (!next) return { zh: `${week}：尚未生成`, en: `${week}: not built yet` };
  const at = week === next.week ? next : weeksLater(next, week);
  const when = weeklyBuildText(at);
  return week === next.week
    ? { zh: `${week} 的周报将于 ${when.zh} 生成`, en: `${week} is built ${when.en}` }
    : {
        zh: `${week}（本周，进行中）的周报将于 ${when.zh} 生成`,
        en: `${week} (under way) is built ${when.en}`,
      };
}

/** The build of a week after the next build's: a week later for each week after. */
function weeksLater(next: WeeklyBuild, week: string): WeeklyBuild {
  let n = 0;
  while (n < 3 && addWeeks(next.week, n) !== week) n++;
  const at = new Date(Date.parse(next.at) + n * 7 * 86_400_000).toISOString();
  const date = new Date(Date.parse(`${next.date}T12:00:00Z`) + n * 7 * 86_400_000).toISOString().slice(0, 10);
  return { ...next, at, date, week };
}

/** Weeks ("2026-W49", or a run "2026-W42 – 2026-W49") before the system's first report. */
function beforeFirstText(weeks: string, ctx: MissingReportContext | undefined): Bilingual {
  return {
    zh: `${weeks}：早于系统的第一份周报（${firstText(ctx).zh}），没有周报`,
    en: `${weeks}: before the system's first report (${firstText(ctx).en}), so none`,
  };
}

/**
 * A run of listed weeks (newest first, as the list is) all before the system's first report, as
 * one line: "2026-W42 – 2026-W49：早于系统的第一份周报（…），没有周报". Eight lines saying the same
 * but for the week read as eight reports missing.
 */
export function beforeFirstRunText(
  weeks: readonly string[],
  ctx: MissingReportContext | undefined,
): Bilingual {
  const oldest = weeks[weeks.length - 1] ?? '';
  const newest = weeks[0] ?? '';
  return beforeFirstText(oldest === newest ? newest : `${oldest} – ${newest}`, ctx);
}

/** The list's rows: each report, or each week without one, but a run of weeks before the first report as one. */
type ListRow = { report: WeeklyReportRef } | { beforeFirst: string[] };

function listRows(reports: readonly WeeklyReportRef[], ctx: MissingReportContext | undefined): ListRow[] {
  const rows: ListRow[] = [];
  for (const r of reports) {
    const last = rows[rows.length - 1];
    if (r.stored || r.summary || missingReason(r.week, ctx) !== 'before_first') rows.push({ report: r });
    else if (last && 'beforeFirst' in last) last.beforeFirst.push(r.week);
    else rows.push({ beforeFirst: [r.week] });
  }
  return rows;
}

/** A week without a report, as the list says it. */
export function missingWeekText(week: string, ctx: MissingReportContext | undefined): Bilingual {
  switch (missingReason(week, ctx)) {
    case 'before_first':
      return beforeFirstText(week, ctx);
    case 'pending':
      return pendingText(week, ctx);
    case 'no_cases':
      return {
        zh: `${week}：该地点本周没有案件，因此没有周报`,
        en: `${week}: no cases at this place that week, so no report`,
      };
    case 'not_built':
      return { zh: `${week}：尚未生成`, en: `${week}: not built yet` };
  }
}

/** The week asked for has no report: why, by the place's name (the report page's message). */
export function missingReportText(
  week: string,
  place: string,
  ctx: MissingReportContext | undefined,
): Bilingual {
  switch (missingReason(week, ctx)) {
    case 'before_first':
      return {
        zh: `${week} 早于系统的第一份周报（${firstText(ctx).zh}），${place}没有该周的周报。请从下列各周中选择。`,
        en: `${week} is before the system's first weekly report (${firstText(ctx).en}), so there is no report of ${place} for it. Pick one of the weeks below.`,
      };
    case 'pending': {
      const when = pendingText(week, ctx);
      return {
        zh: `${place} ${when.zh}。目前为止的数据见仪表盘。`,
        en: `The report of ${place} for ${when.en}. The figures so far are on the dashboard.`,
      };
    }
    case 'no_cases':
      return {
        zh: `${place} ${week} 没有案件，因此没有该周的周报（公共区域只在有案件的周生成周报）。请从下列各周中选择。`,
        en: `${place} had no cases in ${week}, so there is no report for that week (a public area's report is built only for weeks with cases there). Pick one of the weeks below.`,
      };
    case 'not_built':
      return {
        zh: `${place} ${week} 的周报尚未生成。请从下列各周中选择。`,
        en: `There is no weekly report of ${place} for ${week} yet. Pick one of the weeks below.`,
      };
  }
}

/**
 * The recent weeks and their reports: a built one links its page with its counts, one not built
 * says so. The dashboard lists them, and so does a report page asked for a week that has none, so
 * nobody lands on a dead end.
 */
export function WeeklyReportList(props: {
  reports: WeeklyReportRef[];
  buildingId: string | undefined;
  lang: Lang;
  /** Why a week has none; without it, every missing week reads "not built yet". */
  missing?: MissingReportContext | undefined;
  /** Listed on the dashboard itself: the week under way is said, without a link to this page. */
  onDashboard?: boolean | undefined;
}) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  // The week under way: when its report comes, and where its figures are meanwhile.
  const newest = props.reports[0]?.week;
  const current = newest ? addWeeks(newest, 1) : undefined;
  const dashboard = `/app/dashboard${props.buildingId ? `?building=${encodeURIComponent(props.buildingId)}` : ''}`;
  return (
    <>
      <ul data-weekly-reports>
        {current && props.missing?.nextBuild && (
          <li data-week-under-way={current}>
            <span class="muted">{t(pendingText(current, props.missing))}</span>
            {props.onDashboard ? (
              <span class="muted">
                {t({ zh: '；目前为止的数据见本页', en: '; the figures so far are on this page' })}
              </span>
            ) : (
              <>
                {' · '}
                <a href={dashboard}>
                  {t({ zh: '目前为止的数据见仪表盘', en: 'the figures so far are on the dashboard' })}
                </a>
              </>
            )}
          </li>
        )}
        {listRows(props.reports, props.missing).map((row) => {
          if ('beforeFirst' in row)
            return (
              <li>
                <span
                  class="muted"
                  data-missing="before_first"
                  data-weeks={`${row.beforeFirst[row.beforeFirst.length - 1]} ${row.beforeFirst[0]}`}
                >
                  {t(beforeFirstRunText(row.beforeFirst, props.missing))}
                </span>
              </li>
            );
          const r = row.report;
          return (
            <li>
              {r.stored ? (
                <a href={weeklyReportHref(r.week, props.buildingId)}>
                  {t({ zh: `${r.week}（${r.from} 起）`, en: `${r.week} (from ${r.from})` })}
                </a>
              ) : (
                <span class="muted" data-missing={missingReason(r.week, props.missing)}>
                  {t(missingWeekText(r.week, props.missing))}
                </span>
              )}
              {r.summary &&
                ` · ${t({
                  zh: `新增 ${r.summary.counts.opened}，结案 ${r.summary.counts.closed}，超时 ${r.summary.counts.late}`,
                  en: `${r.summary.counts.opened} opened, ${r.summary.counts.closed} closed, ${r.summary.counts.late} late`,
                })}`}
            </li>
          );
        })}
      </ul>
      <p class="hint">
        {t({
          zh: '每周一 08:00 生成上一周的周报；系统启用之前的各周没有周报；公共区域只在有案件的周生成周报。',
          en: "Each Monday at 08:00 the previous week's report is built; weeks before the system started have none, and a public area has one only for weeks with cases there.",
        })}
      </p>
    </>
  );
}
