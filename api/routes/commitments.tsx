import { Hono } from 'hono';
import type { Duration } from '../../domain/calendar.ts';
import { complaintYearBounds, computeKpis, kpiSourceLine, type KpiValue } from '../../domain/kpi.ts';
import { slaCatalogue, type TimedStage } from '../../domain/sla.ts';
import { stageLabel } from '../../domain/stage-labels.ts';
import { inLang, type Bilingual, type Lang } from '../../domain/text.ts';
import { loadDirectory } from '../../store/directory.ts';
import { periodBounds, tallyForRange } from '../../store/kpi-tallies.ts';
import type { AppDeps } from '../deps.ts';
import { sessionMiddleware, type WebEnv } from '../middleware/session.ts';
import { kpiTargetText, kpiValueText } from '../pages/app/dashboard-common.tsx';
import { Layout } from '../pages/layout.tsx';

/**
 * 服务承诺公示 (seed 003): what the residences promise and how fast, straight
 * from the SLA catalogue the cases run on, beside the last four weeks' figures
 * against the standards' targets. Public, per building.
 */
const WINDOW_DAYS = 28;

function duration(d: Duration, lang: Lang): string {
  // The seed's "before the end of the working day" (working_days 0), not "0 working days".
  if (d.unit === 'working_days' && d.amount === 0)
    return inLang({ zh: '当日下班前', en: 'by the end of the working day' }, lang);
  const units: Record<Duration['unit'], Bilingual> = {
    minutes: { zh: '分钟', en: 'min' },
    hours: { zh: '小时', en: 'h' },
    days: { zh: '天', en: 'days' },
    working_days: { zh: '个工作日', en: 'working days' },
  };
  return `${d.amount}${lang === 'en' ? ' ' : ''}${inLang(units[d.unit], lang)}`;
}

const shown: TimedStage[] = ['analysing', 'rectifying', 'reviewing'];

function verdict(k: KpiValue, lang: Lang): string {
  if (k.met === null) return inLang({ zh: '暂无数据', en: 'no data yet' }, lang);
  return k.met ? inLang({ zh: '达标', en: 'met' }, lang) : inLang({ zh: '未达标', en: 'not met' }, lang);
}

export function commitmentRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('/commitments', sessionMiddleware(deps));
  app.get('/commitments', async (c) => {
    const lang = c.get('lang');
    const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables);
    const buildingId = c.req.query('buildingId');
    const building = buildingId ? dir?.buildings.find((b) => b.id === buildingId) : undefined;
    // A person followed a stale or mistyped address: a page that says so, not the API's JSON.
    if (buildingId && !building)
      return c.html(
        <Layout
          title={{ zh: '服务承诺公示', en: 'Our service commitments' }}
          lang={lang}
          currentUrl="/commitments"
        >
          <p class="flash error" role="alert">
            {inLang(
              {
                zh: `没有编号为「${buildingId}」的楼栋或区域。`,
                en: `There is no building or area “${buildingId}”.`,
              },
              lang,
            )}{' '}
            <a href="/commitments">{inLang({ zh: '查看全部', en: 'See them all' }, lang)}</a>
          </p>
        </Layout>,
        404,
      );
    const tz = deps.env.CAMPUS_TZ;
    const now = new Date().toISOString();
    const range = periodBounds(new Date(Date.parse(now) - WINDOW_DAYS * 86_400_000).toISOString(), now, tz);
    const year = complaintYearBounds(range.to, tz);
    const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
    const [r, y] = await Promise.all([
      tallyForRange(store, { ...range, buildingId, timeZone: tz }),
      tallyForRange(store, { ...year, buildingId, timeZone: tz }),
    ]);
    const kpis = computeKpis(r.tally, {
      periodDays: (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000,
      buildings: building ? 1 : Math.max(1, dir?.buildings.length ?? 1),
      complaintYear: { ...year, byBuilding: y.tally.validComplaintsByBuilding },
    }).filter((k) => k.target !== null);
    const title: Bilingual = building
      ? { zh: `服务承诺公示 · ${building.name.zh}`, en: `Our service commitments · ${building.name.en}` }
      : { zh: '服务承诺公示', en: 'Our service commitments' };
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(
      <Layout
        title={title}
        lang={lang}
        currentUrl={`/commitments${buildingId ? `?buildingId=${buildingId}` : ''}`}
      >
        <form method="get" action="/commitments" class="row">
          <label for="b">{inLang({ zh: '楼栋 / 区域', en: 'Building / area' }, lang)}</label>
          <select id="b" name="buildingId">
            <option value="">{inLang({ zh: '全部', en: 'All' }, lang)}</option>
            {(dir?.buildings ?? []).map((b) => (
              <option value={b.id} selected={b.id === buildingId}>
                {inLang(b.name, lang)}
              </option>
            ))}
          </select>
          <button type="submit">{inLang({ zh: '查看', en: 'Show' }, lang)}</button>
        </form>
        <h2>{inLang({ zh: '我们的承诺', en: 'What we promise' }, lang)}</h2>
        {/* One card per promise: a table of four columns did not fit a phone held upright. */}
        {slaCatalogue.rules
          .filter((rule) => rule.id !== 'fallback')
          .map((rule) => (
            <section class="card" data-rule={rule.id}>
              <h3>{inLang(rule.label, lang)}</h3>
              <dl class="summary">
                {shown.map((s) => (
                  <>
                    <dt>{inLang(stageLabel(s), lang)}</dt>
                    <dd>{duration(rule.stages[s], lang)}</dd>
                  </>
                ))}
              </dl>
            </section>
          ))}
        <h2>
          {inLang(
            { zh: `近 ${WINDOW_DAYS} 天的兑现情况`, en: `How we did in the last ${WINDOW_DAYS} days` },
            lang,
          )}
        </h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{inLang({ zh: '指标', en: 'Measure' }, lang)}</th>
                <th scope="col">{inLang({ zh: '目标', en: 'Target' }, lang)}</th>
                <th scope="col">{inLang({ zh: '实际', en: 'Actual' }, lang)}</th>
                <th scope="col">{inLang({ zh: '结果', en: 'Result' }, lang)}</th>
              </tr>
            </thead>
            <tbody>
              {kpis.map((k) => (
                <tr data-kpi={k.id}>
                  <td>
                    {inLang(k.label, lang)} <span class="muted">({inLang(kpiSourceLine(k), lang)})</span>
                  </td>
                  <td class="num">{kpiTargetText(k, lang)}</td>
                  <td class="num">{kpiValueText(k, lang)}</td>
                  <td>{verdict(k, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted">
          {inLang(
            {
              zh: '发现问题？扫描楼内张贴的二维码即可报告，无需注册。',
              en: 'Found a problem? Scan a code posted in the building to report it, no account needed.',
            },
            lang,
          )}
        </p>
      </Layout>,
    );
  });
  return app;
}
