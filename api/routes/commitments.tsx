import { Hono } from 'hono';
import { complaintYearBounds, computeKpis, kpiSourceLine, type KpiValue } from '../../domain/kpi.ts';
import { slaCatalogue, type TimedStage } from '../../domain/sla.ts';
import { stageLabel } from '../../domain/stage-labels.ts';
import { inLang, type Bilingual, type Lang } from '../../domain/text.ts';
import type { Building } from '../../domain/directory.ts';
import { loadDirectory } from '../../store/directory.ts';
import { periodBounds, tallyForRange } from '../../store/kpi-tallies.ts';
import type { AppDeps } from '../deps.ts';
import { sessionMiddleware, type WebEnv } from '../middleware/session.ts';
import { kpiTargetText, kpiValueText } from '../pages/app/dashboard-common.tsx';
import { ErrorSummaryBox } from '../pages/error-summary.tsx';
import { Layout } from '../pages/layout.tsx';
import { severityLabels } from '../pages/ui.tsx';
import {
  durationText,
  kpiLabelFor,
  groupHeading,
  promisedStages,
  promiseStageLabel,
  sourceNotes,
  splitPromises,
} from './commitment-promises.ts';

/**
 * 服务承诺公示 (seed 003): what the residences promise and how fast, straight
 * from the SLA catalogue the cases run on, beside the last four weeks' figures
 * against the standards' targets. Public, per building, read on a phone: first
 * what a report from a wall code is promised, in the reporter's words; the
 * staff's own limits folded away below.
 */
const WINDOW_DAYS = 28;

/** The stages an internal rule lists, in the staff's words. */
const internalStages: TimedStage[] = ['analysing', 'rectifying', 'reviewing'];

const verdicts = {
  met: { zh: '达标', en: 'met' },
  breached: { zh: '未达标', en: 'not met' },
  pending: { zh: '暂无数据', en: 'no data' },
} as const satisfies Record<string, Bilingual>;

// A badge keeps its word on one line: a narrow result column broke 未达标 a character a line.
function Verdict({ k, lang }: { k: KpiValue; lang: Lang }) {
  const kind = k.met === null ? 'pending' : k.met ? 'met' : 'breached';
  return <span class={`badge ${kind}`}>{inLang(verdicts[kind], lang)}</span>;
}

const PICKER_ID = 'b';

/** The choice of a building or area; an address naming none there marks it, with what is wrong. */
function BuildingPicker(props: {
  buildings: readonly Building[];
  lang: Lang;
  selected?: string | undefined;
  error?: Bilingual | undefined;
}) {
  const { lang, error } = props;
  const errorId = `${PICKER_ID}-error`;
  return (
    <form method="get" action="/commitments" class="row">
      <label for={PICKER_ID}>{inLang({ zh: '楼栋 / 区域', en: 'Building / area' }, lang)}</label>
      <select
        id={PICKER_ID}
        name="buildingId"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId : undefined}
      >
        <option value="">{inLang({ zh: '全部', en: 'All' }, lang)}</option>
        {props.buildings.map((b) => (
          <option value={b.id} selected={b.id === props.selected}>
            {inLang(b.name, lang)}
          </option>
        ))}
      </select>
      <button type="submit">{inLang({ zh: '查看', en: 'Show' }, lang)}</button>
      {error && (
        <p class="field-error" id={errorId}>
          {inLang(error, lang)}
        </p>
      )}
    </form>
  );
}

export function commitmentRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('/commitments', sessionMiddleware(deps));
  app.get('/commitments', async (c) => {
    const lang = c.get('lang');
    const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables);
    const buildingId = c.req.query('buildingId');
    const building = buildingId ? dir?.buildings.find((b) => b.id === buildingId) : undefined;
    // A person followed a stale or mistyped address: a page that says so, not the API's JSON,
    // where the keyboard lands, leading to the choice of a building that is there.
    if (buildingId && !building) {
      const said: Bilingual = {
        zh: `没有编号为「${buildingId}」的楼栋或区域。`,
        en: `There is no building or area “${buildingId}”.`,
      };
      return c.html(
        <Layout
          title={{ zh: '服务承诺公示', en: 'Our service commitments' }}
          lang={lang}
          currentUrl="/commitments"
          error
        >
          <ErrorSummaryBox
            lang={lang}
            text={{ zh: '请从列表中选择楼栋或区域：', en: 'Choose a building or area from the list:' }}
            entries={[{ href: `#${PICKER_ID}`, text: said, field: 'buildingId' }]}
          >
            <a href="/commitments">{inLang({ zh: '查看全部', en: 'See them all' }, lang)}</a>
          </ErrorSummaryBox>
          <BuildingPicker buildings={dir?.buildings ?? []} lang={lang} error={said} />
        </Layout>,
        404,
      );
    }
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
    const { groups, internal } = splitPromises(slaCatalogue);
    const sources = sourceNotes(kpis, kpiSourceLine, lang);
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
        <BuildingPicker buildings={dir?.buildings ?? []} lang={lang} selected={buildingId} />
        <h2>{inLang({ zh: '我们的承诺', en: 'What we promise' }, lang)}</h2>
        {/* A card per kind of report, a row per severity: a card per rule ran a phone's page to 6,000 px. */}
        {groups.map((g) => (
          <section class="card" data-kinds={g.kinds.join(' ')}>
            <h3>{inLang(groupHeading(g), lang)}</h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">{inLang({ zh: '紧急程度', en: 'Urgency' }, lang)}</th>
                  {promisedStages.map((s) => (
                    <th scope="col">{inLang(promiseStageLabel(g.source, s), lang)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {g.rows.map((row) => (
                  <tr data-rule={row.rule.id}>
                    <th scope="row">
                      {row.severities.map((sev) => (
                        <>
                          <span class={`badge ${sev}`}>{inLang(severityLabels[sev], lang)}</span>{' '}
                        </>
                      ))}
                    </th>
                    {promisedStages.map((s) => (
                      <td>{durationText(row.rule.stages[s], lang)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <details>
              <summary>{inLang({ zh: '标准原文', en: 'What the standards say' }, lang)}</summary>
              <ul class="muted basis">
                {[...new Set(g.rows.map((r) => r.rule))].map((rule) => (
                  <li>{inLang(rule.label, lang)}</li>
                ))}
              </ul>
            </details>
          </section>
        ))}
        <p class="muted">
          {inLang(
            {
              zh: '“紧急”“重大”由工作人员受理报告时确定。',
              en: 'Staff grade a report urgent or major when they take it up.',
            },
            lang,
          )}
        </p>
        {/* The staff's own limits (inspections, evaluations) answer no report: kept public but out of the way. */}
        <details class="card" data-section="internal">
          <summary>{inLang({ zh: '更多内部时限', en: 'Other internal time limits' }, lang)}</summary>
          {internal.map((rule) => (
            <section data-rule={rule.id}>
              <h3>{inLang(rule.label, lang)}</h3>
              <dl class="summary">
                {internalStages.map((s) => (
                  <>
                    <dt>{inLang(stageLabel(s), lang)}</dt>
                    <dd>{durationText(rule.stages[s], lang)}</dd>
                  </>
                ))}
              </dl>
            </section>
          ))}
        </details>
        <h2>
          {inLang(
            { zh: `近 ${WINDOW_DAYS} 天的兑现情况`, en: `How we did in the last ${WINDOW_DAYS} days` },
            lang,
          )}
        </h2>
        <div class="table-wrap">
          <table>
            <thead>
              {/* Headers of one or two characters over narrow columns broke a character a line. */}
              <tr style="white-space:nowrap">
                <th scope="col">{inLang({ zh: '指标', en: 'Measure' }, lang)}</th>
                <th scope="col">{inLang({ zh: '目标', en: 'Target' }, lang)}</th>
                <th scope="col">{inLang({ zh: '实际', en: 'Actual' }, lang)}</th>
                <th scope="col">{inLang({ zh: '结果', en: 'Result' }, lang)}</th>
              </tr>
            </thead>
            <tbody>
              {kpis.map((k, i) => (
                <tr data-kpi={k.id}>
                  <td>
                    {inLang(kpiLabelFor(k, building !== undefined), lang)}
                    <sup>
                      <a href={`#kpi-source-${sources.noteOf[i]}`}>{sources.noteOf[i]}</a>
                    </sup>
                  </td>
                  <td class="num">{kpiTargetText(k, lang)}</td>
                  <td class="num">{kpiValueText(k, lang)}</td>
                  <td>
                    <Verdict k={k} lang={lang} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ol
          class="muted basis"
          aria-label={inLang({ zh: '目标依据', en: 'Where the targets come from' }, lang)}
        >
          {sources.notes.map((n, i) => (
            <li id={`kpi-source-${i + 1}`}>{n}</li>
          ))}
        </ol>
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
