import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import type { WeeklyReportRef } from './dashboard-data.ts';

/** Where a stored weekly report of a building (or the campus) opens as a page. */
export const weeklyReportHref = (week: string, buildingId: string | undefined) =>
  `/app/dashboard/weekly?week=${encodeURIComponent(week)}${buildingId ? `&building=${encodeURIComponent(buildingId)}` : ''}`;

/**
 * The recent weeks and their reports: a built one links its page with its counts, one not built
 * says so. The dashboard lists them, and so does a report page asked for a week that has none, so
 * nobody lands on a dead end.
 */
export function WeeklyReportList(props: {
  reports: WeeklyReportRef[];
  buildingId: string | undefined;
  lang: Lang;
}) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  return (
    <>
      <ul data-weekly-reports>
        {props.reports.map((r) => (
          <li>
            {r.stored ? (
              <a href={weeklyReportHref(r.week, props.buildingId)}>
                {t({ zh: `${r.week}（${r.from} 起）`, en: `${r.week} (from ${r.from})` })}
              </a>
            ) : (
              <span class="muted">{t({ zh: `${r.week}：尚未生成`, en: `${r.week}: not built yet` })}</span>
            )}
            {r.summary &&
              ` · ${t({
                zh: `新增 ${r.summary.counts.opened}，结案 ${r.summary.counts.closed}，超时 ${r.summary.counts.late}`,
                en: `${r.summary.counts.opened} opened, ${r.summary.counts.closed} closed, ${r.summary.counts.late} late`,
              })}`}
          </li>
        ))}
      </ul>
      <p class="hint">
        {t({
          zh: '每周一 08:00 生成上一周的周报；系统启用之前的各周没有周报。',
          en: "Each Monday at 08:00 the previous week's report is built; weeks before the system started have none.",
        })}
      </p>
    </>
  );
}
