import { raw } from 'hono/html';
import type { BuildingDimensionScore, WeekDimensionPoint } from '../../../domain/inspection-scores.ts';
import type { DimensionKey } from '../../../domain/standards/catalogue.ts';
import { standards } from '../../../domain/standards/catalogue.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { multiRateTrendChart } from '../charts.ts';
import { percent } from './dashboard-common.tsx';

const dims = standards.dimensions;
const NO_WRAP = 'white-space:nowrap';

/**
 * 6T inspection scores (seed 000's dimensions, from the completed rounds of
 * seeds 002/004): the pass rate per building and dimension over the period, the
 * cases that cite each dimension, and the weekly trend per dimension. Shared by
 * the dashboard and the weekly report page.
 */
export function InspectionScores(props: {
  lang: Lang;
  scores: readonly BuildingDimensionScore[];
  trend?: readonly WeekDimensionPoint[] | undefined;
  cited?: Partial<Record<DimensionKey, number>> | undefined;
  buildingName: (id: string) => string;
  idPrefix: string;
}) {
  const { lang } = props;
  const t = (b: Bilingual) => inLang(b, lang);
  const buildings = [...new Set(props.scores.map((s) => s.buildingId))];
  const cell = (b: string, d: DimensionKey) =>
    props.scores.find((s) => s.buildingId === b && s.dimension === d);
  const svg = props.trend
    ? multiRateTrendChart(
        { zh: '各维度检查合格率（按周）', en: 'Inspection pass rate per dimension by week' },
        props.trend.map((w) => w.week.slice(5)),
        dims.map((d) => ({ name: t(d.short), values: props.trend!.map((w) => w.rates[d.key]) })),
        lang,
      )
    : null;
  return (
    <div data-inspection-scores>
      {buildings.length === 0 ? (
        <p class="muted">
          {t({ zh: '本期没有已完成的检查。', en: 'No inspection round was completed in this period.' })}
        </p>
      ) : (
        <div
          class="table-wrap"
          role="region"
          tabindex={0}
          aria-label={t({ zh: '检查得分表', en: 'Inspection scores' })}
        >
          {/* Unwrapped, as the other dashboard tables: a phone scrolls the box rather than
              breaking "100%" from its sign or a building's name over three lines. */}
          <table data-inspection-table style={NO_WRAP}>
            <caption class="visually-hidden">
              {t({
                zh: '各楼栋各维度检查合格率（合格/合格+不合格）',
                en: 'Pass rate per building and dimension (passed / passed + failed)',
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t({ zh: '楼栋', en: 'Building' })}</th>
                {dims.map((d) => (
                  <th scope="col" title={t(d.name)}>
                    {t(d.short)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {buildings.map((b) => (
                <tr data-building={b}>
                  <th scope="row" style="font-weight:400">
                    {props.buildingName(b)}
                  </th>
                  {dims.map((d) => {
                    const s = cell(b, d.key);
                    return (
                      <td data-dimension={d.key}>
                        {s?.rate == null ? '—' : percent(s.rate)}
                        {s && s.passed + s.failed > 0 && (
                          <span
                            class="muted"
                            style="display:block"
                          >{`${s.passed}/${s.passed + s.failed}`}</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.cited && (
        <p class="muted" data-cited-by-dimension>
          {t({ zh: '引用各维度条目的案件：', en: 'Cases citing each dimension: ' })}
          {dims.map((d) => `${t(d.short)} ${props.cited?.[d.key] ?? 0}`).join(' · ')}
        </p>
      )}
      {props.trend &&
        (svg ? (
          <figure class="chart" style="margin:0">
            {raw(svg)}
          </figure>
        ) : (
          <p class="muted">
            {t({ zh: '近几周没有已完成的检查。', en: 'No completed rounds in these weeks.' })}
          </p>
        ))}
      {props.trend && (
        <div
          class="table-wrap"
          role="region"
          tabindex={0}
          aria-label={t({ zh: '各周检查合格率表', en: 'Pass rates by week' })}
        >
          <table data-inspection-weeks style={NO_WRAP}>
            <caption class="visually-hidden">
              {t({ zh: '各周各维度检查合格率', en: 'Pass rate per dimension by week' })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t({ zh: '周', en: 'Week' })}</th>
                {dims.map((d) => (
                  <th scope="col">{t(d.short)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.trend.map((w) => (
                <tr data-week={w.week}>
                  <th scope="row" style="font-weight:400">
                    {w.week}
                  </th>
                  {dims.map((d) => (
                    <td>{w.rates[d.key] === null ? '—' : percent(w.rates[d.key]!)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
