import { raw } from 'hono/html';
import { FAVICON_HREF } from './favicon.ts';
import { enCount, enNumber } from '../../domain/english-count.ts';
import { unlistedPlaceName } from '../../domain/place-name.ts';
import type { Child } from 'hono/jsx';
import {
  linePlace,
  withBuildingLabels,
  type AreaSummary,
  type DailyPoint,
  type WeekCounts,
} from '../../domain/digest.ts';
import type { MarkedSummary, WeeklyMarks } from '../../domain/weekly-marks.ts';
import { kpiSourceLine, type KpiValue } from '../../domain/kpi.ts';
import { complaintSampleText, kpiDurationText } from '../../domain/kpi-text.ts';
import { itemShortName, standards } from '../../domain/standards/catalogue.ts';
import { inLang, pairIn, type Bilingual, type Lang } from '../../domain/text.ts';
import { caseTitleIn } from '../../domain/case-title.ts';
import { multiRateTrendChart } from './charts.ts';
import { formatTime, SCROLL_REGION_CSS, ScrollRegion } from './ui.tsx';

/**
 * The weekly summary as a page a person would rather look at than read raw:
 * tables and small inline-SVG charts, in the reader's language with the other
 * beside it (Chinese first by default). No scripts, no external assets: it
 * renders the same from an email link or a printout.
 */
export interface ReportPageNames {
  title: Bilingual;
  people: Map<string, string>;
  buildings: Map<string, Bilingual>;
  /** The reader's language goes first, the other beside it; zh-CN by default. */
  lang?: Lang | undefined;
  /** Inside the app: where the page leads back to (the email link's page stands alone). */
  back?: { href: string; label: Bilingual } | undefined;
  /** The campus clock the acknowledgement and follow-up times are read on (Asia/Shanghai by default). */
  timeZone?: string | undefined;
}

/** Inline text in the reader's language, the other beside it, marked with its language for screen readers. */
const Bi = ({ zh, en, lang }: { zh: string; en: string; lang: Lang }) =>
  lang === 'en' ? (
    <>
      {en}{' '}
      <span class="alt" lang="zh-CN">
        {zh}
      </span>
    </>
  ) : (
    <>
      {zh}{' '}
      <span class="alt" lang="en">
        {en}
      </span>
    </>
  );

const COUNT_ROWS: [keyof WeekCounts, string, string][] = [
  ['opened', '新开案件', 'Opened'],
  ['closed', '已结案', 'Closed'],
  ['withdrawn', '已撤销', 'Withdrawn'],
  ['late', '超时', 'Late (deadlines breached)'],
  ['disputed', '异议', 'Disputed'],
  ['failedReviews', '复查未通过', 'Failed reviews'],
  ['ratings', '收到评价', 'Ratings received'],
  ['satisfied', '满意评价', 'Satisfied ratings'],
];

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function fmtKpi(k: Pick<KpiValue, 'unit'>, v: number | null, lang: Lang): string {
  if (v === null) return '—';
  if (k.unit === 'ratio') return `${(v * 100).toFixed(1)}%`;
  if (k.unit === 'hours') return inLang(kpiDurationText(v), lang);
  // Counts (complaints this year) read as whole numbers.
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

const BAR_KEYS = ['opened', 'closed', 'late'] as const;
const COLOURS = { opened: '#2563eb', closed: '#16a34a', late: '#dc2626' } as const;
const LEGEND: Record<(typeof BAR_KEYS)[number], Bilingual> = {
  opened: { zh: '新开', en: 'opened' },
  closed: { zh: '结案', en: 'closed' },
  late: { zh: '超时', en: 'late' },
};

/**
 * Grouped bars per day: opened, closed, late; the legend and what a screen reader hears (the
 * chart's name, each bar's title) in the page's language first (plain text: SVG has no span).
 */
export function DailyChart({ points, lang = 'zh-CN' }: { points: DailyPoint[]; lang?: Lang }) {
  const both = pairIn(lang);
  const w = 420;
  const h = 140;
  const pad = 24;
  const max = Math.max(1, ...points.flatMap((p) => [p.opened, p.closed, p.late]));
  const slot = (w - pad * 2) / points.length;
  const bar = slot / 4;
  return (
    <svg
      role="img"
      aria-label={both('每日案件', 'daily cases')}
      width={w}
      height={h}
      // Drawn at 420 wide, shown at most that: narrower on a phone, scaled with its text.
      style={`width:100%;height:auto;max-width:${w}px`}
      viewBox={`0 0 ${w} ${h}`}
      xmlns="http://www.w3.org/2000/svg"
    >
      {BAR_KEYS.map((key, i) => (
        <>
          <rect x={pad + i * 90} y="4" width="10" height="10" fill={COLOURS[key]} />
          <text x={pad + i * 90 + 14} y="13" font-size="10">
            {both(LEGEND[key].zh, LEGEND[key].en)}
          </text>
        </>
      ))}
      <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} stroke="#999" />
      {points.map((p, i) =>
        BAR_KEYS.map((key, j) => {
          const bh = ((h - pad * 2) * p[key]) / max;
          const x = pad + i * slot + j * bar + bar / 2;
          return (
            <rect
              x={x.toFixed(1)}
              y={(h - pad - bh).toFixed(1)}
              width={bar.toFixed(1)}
              height={bh.toFixed(1)}
              fill={COLOURS[key]}
            >
              <title>{`${p.date} ${both(LEGEND[key].zh, LEGEND[key].en)}: ${p[key]}`}</title>
            </rect>
          );
        }),
      )}
      {points.map((p, i) => (
        <text x={(pad + i * slot + slot / 2).toFixed(1)} y={h - 6} font-size="10" text-anchor="middle">
          {p.date.slice(5)}
        </text>
      ))}
    </svg>
  );
}

/** A rate against its target: a bar filled to the value with a tick at the target. */
export function KpiBar({ k }: { k: KpiValue }) {
  if (k.unit !== 'ratio' || k.value === null) return null;
  const w = 120;
  return (
    <svg width={w} height="12" viewBox={`0 0 ${w} 12`} xmlns="http://www.w3.org/2000/svg">
      <rect width={w} height="12" fill="#e5e7eb" />
      <rect width={(k.value * w).toFixed(1)} height="12" fill={k.met === false ? '#dc2626' : '#16a34a'} />
      {k.target !== null ? (
        <line
          x1={(k.target * w).toFixed(1)}
          y1="0"
          x2={(k.target * w).toFixed(1)}
          y2="12"
          stroke="#111"
          stroke-width="2"
        />
      ) : null}
    </svg>
  );
}

/** A table in its own sideways-scrolling region named `label`: on a phone it scrolls, the page doesn't. */
function Table({ head, rows, label }: { head: Child[]; rows: Child[][]; label: string }) {
  return (
    <ScrollRegion label={label}>
      {/* Columns keep a readable width on a phone (the region scrolls) instead of a word per line. */}
      <table style={`min-width:${head.length * 5}rem`}>
        <thead>
          <tr>
            {head.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              {r.map((c) => (
                <td>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:960px;color:#111;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:middle;font-size:.9rem}
th{background:#f3f4f6}.alt{color:#555;font-size:.85em}.ok{color:#15803d}.bad{color:#b91c1c}
${SCROLL_REGION_CSS}`;

const dims = standards.dimensions;

/** "安全 1 Safety 1": a 6T item by its dimension and number, both languages, the reader's first. */
function itemShort(id: string, lang: Lang): string {
  const short = itemShortName(id);
  return short.zh === short.en ? short.zh : pairIn(lang)(short.zh, short.en);
}

/** 6T inspection scores of the week per building and dimension, the cases citing each dimension, and the trend. */
function InspectionSection(props: {
  s: AreaSummary;
  names: ReportPageNames;
  lang: Lang;
  bi: (zh: string, en: string) => Child;
}) {
  const { s, names, bi, lang } = props;
  const say = (zh: string, en: string) => inLang({ zh, en }, lang);
  // Series names and the cited line are plain text (an SVG legend, one line of figures): no span.
  const both = pairIn(lang);
  const insp = s.inspection;
  const cited = s.tally.citedByDimension ?? {};
  const rate = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
  const buildings = [...new Set((insp?.scores ?? []).map((x) => x.buildingId))];
  const svg =
    insp &&
    multiRateTrendChart(
      { zh: '各维度检查合格率（按周）', en: 'Inspection pass rate per dimension by week' },
      insp.trend.map((w) => w.week.slice(5)),
      dims.map((d) => ({
        name: both(d.short.zh, d.short.en),
        values: insp.trend.map((w) => w.rates[d.key]),
      })),
      lang,
    );
  return (
    <>
      <h2>{bi('6T检查得分（按维度、楼栋）', '6T inspection scores by dimension and building')}</h2>
      {buildings.length ? (
        <Table
          label={say('6T检查得分', '6T inspection scores')}
          head={[bi('楼栋', 'Building'), ...dims.map((d) => bi(d.short.zh, d.short.en))]}
          rows={buildings.map((b) => {
            const n = names.buildings.get(b);
            return [
              n ? bi(n.zh, n.en) : b,
              ...dims.map((d) => {
                const x = insp?.scores.find((y) => y.buildingId === b && y.dimension === d.key);
                return x ? `${rate(x.rate)} (${x.passed}/${x.passed + x.failed})` : '—';
              }),
            ];
          })}
        />
      ) : (
        <p>{bi('本周没有已完成的检查。', 'No inspection round was completed this week.')}</p>
      )}
      <p data-cited-by-dimension>
        {bi('本周新开案件引用的标准维度：', 'Cases opened this week citing each dimension: ')}
        {dims.map((d) => `${both(d.short.zh, d.short.en)} ${cited[d.key] ?? 0}`).join(' · ')}
      </p>
      {insp && (
        <>
          {svg ? <figure style="margin:0;max-width:480px">{raw(svg)}</figure> : null}
          <Table
            label={say('各维度检查合格率（按周）', 'Inspection pass rate per dimension by week')}
            head={[bi('周', 'Week'), ...dims.map((d) => bi(d.short.zh, d.short.en))]}
            rows={insp.trend.map((w) => [w.week, ...dims.map((d) => rate(w.rates[d.key]))])}
          />
        </>
      )}
    </>
  );
}

/**
 * The department follow-ups of the week's cases here (seed 000 反馈 2): each handled one with when,
 * by whom and what they said they did; the others as still open.
 */
function FollowUpSection(props: {
  marks: WeeklyMarks;
  names: ReportPageNames;
  lang: Lang;
  bi: (zh: string, en: string) => Child;
}) {
  const { marks, names, lang, bi } = props;
  const say = (zh: string, en: string) => inLang({ zh, en }, lang);
  const tz = names.timeZone ?? 'Asia/Shanghai';
  const open = marks.followUps.filter((f) => !f.handled).length;
  return (
    <>
      <h2>{bi('院系跟进', 'Department follow-ups')}</h2>
      {marks.followUps.length ? (
        <>
          <p data-follow-ups-open={open}>
            {bi(
              `共 ${marks.followUps.length} 项，已处理 ${marks.followUps.length - open} 项，未处理 ${open} 项。`,
              `${marks.followUps.length} in all: ${marks.followUps.length - open} handled, ${open} open.`,
            )}
          </p>
          <Table
            label={say('院系跟进', 'Department follow-ups')}
            head={[
              bi('院系', 'Department'),
              bi('案件', 'Case'),
              bi('地点', 'Place'),
              bi('已处理', 'Handled'),
              bi('跟进情况', 'What was done'),
            ]}
            rows={marks.followUps.map((f) => [
              bi(f.department.zh, f.department.en),
              `${f.caseId} ${caseTitleIn(f.title, lang)}`,
              inLang(f.place, lang),
              f.handled ? (
                <span class="ok" data-handled={f.caseId}>
                  ✓ {formatTime(f.handled.at, tz)} {names.people.get(f.handled.by) ?? f.handled.by}
                </span>
              ) : (
                <span class="bad">{bi('未处理', 'open')}</span>
              ),
              f.handled?.note ?? '—',
            ])}
          />
        </>
      ) : (
        <p>{bi('本周没有需院系跟进的事项。', 'No department follow-ups this week.')}</p>
      )}
    </>
  );
}

function WeeklyReport({ s, names }: { s: MarkedSummary; names: ReportPageNames }) {
  const lang = names.lang ?? 'zh-CN';
  const bi = (zh: string, en: string) => <Bi zh={zh} en={en} lang={lang} />;
  const say = (zh: string, en: string) => inLang({ zh, en }, lang);
  // A verdict stays one plain mark in the reader's order (no .alt half inside its colour), as it was;
  // so do a case's marks, one line of text in its cell.
  const both = pairIn(lang);
  const tz = names.timeZone ?? 'Asia/Shanghai';
  // Summaries read before marks were kept with them have no acknowledgement column.
  const acks = s.feedback && new Map(s.feedback.acknowledgements.map((a) => [a.personId, a.acknowledgedAt]));
  const ackCell = (personId: string): Child => {
    const at = acks?.get(personId);
    return at ? (
      <span class="ok" data-acknowledged={personId}>
        ✓ {both('已确认', 'acknowledged')} {formatTime(at, tz)}
      </span>
    ) : (
      <span class="bad">{both('未确认', 'not yet')}</span>
    );
  };
  const zhTitle = `${s.week} ${names.title.zh} 周报`;
  const enTitle = `Weekly summary of ${names.title.en}`;
  const kpiRows = s.kpis.map((k) => {
    const change = s.kpiChange.find((c) => c.id === k.id);
    const verdict =
      k.met === null ? (
        '—'
      ) : k.met ? (
        <span class="ok">✓ {both('达标', 'met')}</span>
      ) : (
        <span class="bad">✗ {both('未达标', 'missed')}</span>
      );
    return [
      bi(k.label.zh, k.label.en),
      <>
        {k.target === null ? '—' : `${k.comparator ?? ''} ${fmtKpi(k, k.target, lang)}`}
        <br />
        {/* The dashboard's line: the cited items with what the source adds (a derived target). */}
        <span class="alt" data-kpi-source>
          {inLang(kpiSourceLine(k), lang)}
        </span>
      </>,
      <>
        {fmtKpi(k, k.value, lang)} <KpiBar k={k} />
      </>,
      fmtKpi(k, change?.previous ?? null, lang),
      verdict,
      k.unit === 'per_building_year' && k.numerator !== undefined && k.denominator !== undefined
        ? inLang(complaintSampleText(k.numerator, k.denominator), lang)
        : k.denominator !== undefined
          ? `${k.numerator ?? ''}${k.numerator !== undefined ? ' / ' : ''}${k.denominator}`
          : '',
    ];
  });
  const caseNote = (l: AreaSummary['cases'][number]) =>
    [
      l.opened ? both('新', 'new') : '',
      l.closed ? both('结案', 'closed') : '',
      l.withdrawn ? both('撤销', 'withdrawn') : '',
      l.late ? `${both('超时', 'late')} ×${l.late}` : '',
      l.disputed ? `${both('异议', 'disputed')} ×${l.disputed}` : '',
      l.failedReviews ? `${both('复查未通过', 'failed')} ×${l.failedReviews}` : '',
      l.score !== undefined ? `${both('评分', 'score')} ${l.score}` : '',
    ]
      .filter(Boolean)
      .join(', ');
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{lang === 'en' ? `${enTitle} · ${zhTitle}` : `${zhTitle} · ${enTitle}`}</title>
        <link rel="icon" href={FAVICON_HREF} />
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        {names.back && (
          <nav>
            <a href={names.back.href}>← {bi(names.back.label.zh, names.back.label.en)}</a>
          </nav>
        )}
        <h1>{bi(`${s.week} ${names.title.zh} 周报`, `Weekly summary · ${names.title.en} · ${s.week}`)}</h1>
        <h2>{bi('本周概况', 'The week at a glance')}</h2>
        <DailyChart points={s.daily} lang={lang} />
        <Table
          label={say('本周概况', 'The week at a glance')}
          head={[
            bi('指标', 'Figure'),
            bi('本周', 'This week'),
            bi('上周', 'Last week'),
            bi('变化', 'Change'),
          ]}
          rows={COUNT_ROWS.map(([k, zh, en]) => [
            bi(zh, en),
            String(s.counts[k]),
            String(s.previous[k]),
            signed(s.change[k]),
          ])}
        />
        <h2>{bi('关键指标（本周新开案件）', 'KPIs (cases opened this week)')}</h2>
        <Table
          label={say('关键指标', 'KPIs')}
          head={[
            bi('KPI', 'KPI'),
            bi('目标', 'Target'),
            bi('本周', 'This week'),
            bi('上周', 'Last week'),
            bi('结论', 'Verdict'),
            bi('样本', 'Basis'),
          ]}
          rows={kpiRows}
        />
        <InspectionSection s={s} names={names} bi={bi} lang={lang} />
        {s.byBuilding ? (
          <>
            <h2>{bi('各楼栋', 'By building')}</h2>
            <Table
              label={say('各楼栋', 'By building')}
              head={[bi('楼栋', 'Building'), ...COUNT_ROWS.slice(0, 6).map(([, zh, en]) => bi(zh, en))]}
              rows={s.byBuilding.map((r) => {
                const n =
                  names.buildings.get(r.buildingId) ?? unlistedPlaceName({ buildingId: r.buildingId });
                return [bi(n.zh, n.en), ...COUNT_ROWS.slice(0, 6).map(([k]) => String(r.counts[k]))];
              })}
            />
          </>
        ) : null}
        <h2>{bi('按负责人', 'By staff member')}</h2>
        {s.totals.staff > s.byStaff.length ? (
          <p>
            {bi(
              `列出问题最多的 ${s.byStaff.length} 人（共 ${s.totals.staff} 人）`,
              `showing the ${enNumber(s.byStaff.length)} staff with most trouble of ${enNumber(s.totals.staff)}`,
            )}
          </p>
        ) : null}
        <Table
          label={say('按负责人', 'By staff member')}
          head={[
            bi('负责人', 'Staff'),
            ...COUNT_ROWS.slice(0, 7).map(([, zh, en]) => bi(zh, en)),
            ...(acks ? [bi('确认反馈', 'Acknowledged')] : []),
          ]}
          rows={s.byStaff.map((r) => [
            names.people.get(r.personId) ?? r.personId,
            ...COUNT_ROWS.slice(0, 7).map(([k]) => String(r.counts[k])),
            ...(acks ? [ackCell(r.personId)] : []),
          ])}
        />
        {s.feedback ? <FollowUpSection marks={s.feedback} names={names} lang={lang} bi={bi} /> : null}
        <h2>
          {bi('重复问题（同类别同地点，近4周）', 'Repeat problems (same category and place, last 4 weeks)')}
        </h2>
        {s.repeats.length ? (
          <Table
            label={say('重复问题', 'Repeat problems')}
            head={[bi('类别', 'Category'), bi('地点', 'Place'), bi('次数', 'Times'), bi('案件', 'Cases')]}
            rows={s.repeats.map((r) => [
              r.label ? bi(r.label.zh, r.label.en) : r.category,
              linePlace(r, lang),
              String(r.count),
              r.caseIds.join(', '),
            ])}
          />
        ) : (
          <p>{bi('近4周无重复问题。', 'No repeat problems in the last 4 weeks.')}</p>
        )}
        <h2>{bi('本周案件', 'Cases this week')}</h2>
        {s.totals.cases > s.cases.length ? (
          <p>
            {bi(
              `列出问题最多的 ${s.cases.length} 件（共 ${s.totals.cases} 件）`,
              `showing the ${enNumber(s.cases.length)} most troubled of ${enCount(s.totals.cases, 'case')}`,
            )}
          </p>
        ) : null}
        <Table
          label={say('本周案件', 'Cases this week')}
          head={[
            bi('案件', 'Case'),
            bi('标题', 'Title'),
            bi('标准条目', '6T item'),
            bi('地点', 'Place'),
            bi('阶段', 'Stage'),
            bi('负责人', 'Staff'),
            bi('本周', 'This week'),
          ]}
          rows={s.cases.map((l) => [
            l.caseId,
            caseTitleIn(l.title, lang),
            l.cited ? itemShort(l.cited.itemId, lang) : '—',
            linePlace(l, lang),
            l.stage,
            names.people.get(l.responsibleId) ?? l.responsibleId,
            caseNote(l),
          ])}
        />
      </body>
    </html>
  );
}

/** The report page as an HTML document. */
export function renderWeeklyReportPage(s: MarkedSummary, names: ReportPageNames): string {
  return `<!doctype html>\n${String(<WeeklyReport s={withBuildingLabels(s)} names={names} />)}`;
}
