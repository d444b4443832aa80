import { describe, expect, it } from 'vitest';
import { renderWeeklyReportPage } from '../../api/pages/weekly-report.tsx';
import { buildWeeklyDigests, type AreaSummary } from '../../domain/digest.ts';
import type { Directory } from '../../domain/directory.ts';
import type { Lang } from '../../domain/text.ts';
import { at, view } from '../support/views.ts';

const dir: Pick<Directory, 'buildings' | 'departments'> = {
  buildings: [
    {
      id: 'bldg-a',
      name: { zh: '学生公寓A栋', en: 'Dormitory A' },
      supervisorIds: ['sup-smith'],
      gridMemberIds: [],
      floors: [],
    },
  ],
  departments: [],
};
// Week 2026-W10 runs 2026-03-01T16:00Z .. 2026-03-08T16:00Z.
const MON = '2026-03-02T02:00:00.000Z';
const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const summary = buildWeeklyDigests({
  week: '2026-W10',
  timeZone: 'Asia/Shanghai',
  directory: dir,
  views: [
    view({
      caseId: 'w1',
      openedAt: MON,
      location: A101,
      deadlines: [['analysing', 'met']],
      closedAt: at(MON, 30),
      score: 5,
    }),
    view({ caseId: 'w2', openedAt: at(MON, 1), location: A101, deadlines: [['analysing', 'breached', 26]] }),
  ],
}).buildings[0]!;

const page = (lang?: Lang) =>
  renderWeeklyReportPage(summary, {
    title: dir.buildings[0]!.name,
    people: new Map([['staff-zhou', '周强']]),
    buildings: new Map(dir.buildings.map((b) => [b.id, b.name])),
    lang,
  });
/** The daily chart's legend, as drawn. */
const legend = (html: string) =>
  [...html.matchAll(/<rect x="\d+" y="4"[^>]*><\/rect><text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const verdicts = (html: string) => [
  ...new Set([...html.matchAll(/<span class="(?:ok|bad)">([^<]*)<\/span>/g)].map((m) => m[1])),
];

describe('the weekly report page’s chart legend and verdict marks follow the page’s language', () => {
  it('Chinese first on a Chinese page, as they always were', () => {
    const zh = page();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(legend(zh)).toEqual(['新开 opened', '结案 closed', '超时 late']);
    expect(verdicts(zh).sort()).toEqual(['✓ 达标 met', '✗ 未达标 missed']);
    expect(page('zh-CN')).toBe(zh);
  });

  it('English first on an English page', () => {
    const en = page('en');
    expect(en).toContain('<html lang="en">');
    expect(legend(en)).toEqual(['opened 新开', 'closed 结案', 'late 超时']);
    expect(verdicts(en).sort()).toEqual(['✓ met 达标', '✗ missed 未达标']);
    expect(en).not.toMatch(/新开 opened|达标 met|未达标 missed/);
  });
});

// Cases citing 6T items and a week of inspections: the parts of the page that name 6T dimensions.
const cited: AreaSummary = {
  ...buildWeeklyDigests({
    week: '2026-W10',
    timeZone: 'Asia/Shanghai',
    directory: dir,
    views: [
      view({
        caseId: 'w1',
        openedAt: MON,
        location: A101,
        category: '6t.safety.1',
        deadlines: [['analysing', 'met']],
        closedAt: at(MON, 30),
        score: 5,
      }),
      view({
        caseId: 'w2',
        openedAt: at(MON, 1),
        location: A101,
        category: '6t.service.2',
        stage: 'rectifying',
        deadlines: [['analysing', 'breached', 26]],
      }),
    ],
  }).buildings[0]!,
  inspection: {
    scores: [{ buildingId: 'bldg-a', dimension: 'safety', rate: 0.75, passed: 3, failed: 1, na: 0 }],
    trend: ['2026-W09', '2026-W10'].map((week, i) => ({
      week,
      rates: {
        safety: 0.5 + i / 4,
        service: 0.5,
        management: null,
        education: 1,
        evaluation: 0.8,
        feedback: 0.9,
      },
    })),
  },
};
const citedPage = (lang?: Lang) =>
  renderWeeklyReportPage(cited, {
    title: dir.buildings[0]!.name,
    people: new Map([['staff-zhou', '周强']]),
    buildings: new Map(dir.buildings.map((b) => [b.id, b.name])),
    lang,
  });
/** The last cell of each row of the cases table: what happened to the case this week. */
const caseNotes = (html: string) =>
  [...html.matchAll(/<td>周强<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m[1]);
/** The cases table's 6T item cells (third column). */
const itemCells = (html: string) =>
  [...html.matchAll(/<tr><td>w\d<\/td><td>case w\d<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1]);
const citedLine = (html: string) =>
  /<p data-cited-by-dimension="true">.*?<\/span>([^<]*)<\/p>/.exec(html)?.[1];
/** The trend chart's series names, as its legend draws them. */
const seriesNames = (html: string) =>
  [...html.matchAll(/fill="#1b1f24">([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => /[A-Z]/.test(t ?? ''));
const kpiSources = (html: string) =>
  [...html.matchAll(/<span class="alt" data-kpi-source="true">([^<]*)<\/span>/g)].map((m) => m[1]);
const dailyChart = (html: string) => ({
  label: /<svg role="img" aria-label="([^"]*)" width="420"/.exec(html)?.[1],
  firstTitles: [...html.matchAll(/<title>(2026-03-02 [^<]*)<\/title>/g)].map((m) => m[1]),
});

describe('the weekly report page’s case notes, 6T names and daily chart label follow the page’s language', () => {
  it('Chinese first on a Chinese page, as they were; the chart’s screen-reader label was English only', () => {
    const zh = citedPage();
    expect(caseNotes(zh)).toEqual(['新 new, 超时 late ×1', '新 new, 结案 closed, 评分 score 5']);
    expect(itemCells(zh)).toEqual(['人性 2 Service 2', '安全 1 Safety 1']);
    expect(citedLine(zh)).toBe(
      '安全 Safety 1 · 人性 Service 1 · 规范 Management 0 · 育人 Education 0 · 检查评估 Evaluation 0 · 反馈 Feedback 0',
    );
    expect(seriesNames(zh)).toEqual([
      '安全 Safety',
      '人性 Service',
      '规范 Management',
      '育人 Education',
      '检查评估 Evaluation',
      '反馈 Feedback',
    ]);
    expect(kpiSources(zh)).toContain(
      '《学生公寓“6T”现场管理标准》安全 1、安全 2、安全 3、安全 4、安全 5、安全 6、安全 7、安全 8、安全 9、安全 10',
    );
    expect(dailyChart(zh)).toEqual({
      label: '每日案件 daily cases',
      firstTitles: ['2026-03-02 新开 opened: 2', '2026-03-02 结案 closed: 0', '2026-03-02 超时 late: 0'],
    });
  });

  it('English first on an English page', () => {
    const en = citedPage('en');
    expect(caseNotes(en)).toEqual(['new 新, late 超时 ×1', 'new 新, closed 结案, score 评分 5']);
    expect(itemCells(en)).toEqual(['Service 2 人性 2', 'Safety 1 安全 1']);
    expect(citedLine(en)).toBe(
      'Safety 安全 1 · Service 人性 1 · Management 规范 0 · Education 育人 0 · Evaluation 检查评估 0 · Feedback 反馈 0',
    );
    expect(seriesNames(en)).toEqual([
      'Safety 安全',
      'Service 人性',
      'Management 规范',
      'Education 育人',
      'Evaluation 检查评估',
      'Feedback 反馈',
    ]);
    expect(kpiSources(en)).toContain(
      '6T standard for student apartments: Safety 1, Safety 2, Safety 3, Safety 4, Safety 5, Safety 6, Safety 7, Safety 8, Safety 9, Safety 10',
    );
    for (const source of kpiSources(en)) expect(source).not.toMatch(/[\u4e00-\u9fff]/);
    expect(dailyChart(en)).toEqual({
      label: 'daily cases 每日案件',
      firstTitles: ['2026-03-02 opened 新开: 2', '2026-03-02 closed 结案: 0', '2026-03-02 late 超时: 0'],
    });
    expect(en).not.toMatch(/新 new|结案 closed|评分 score|安全 1 Safety|安全 Safety|人性 Service/);
  });
});

describe('the weekly report page’s KPI sources', () => {
  it('say, as the dashboard does, that a target is derived, not only the items it is derived from', () => {
    const zh = kpiSources(citedPage());
    expect(zh.filter((s) => s?.includes('推算目标'))).toEqual([
      '《学生公寓“6T”现场管理标准》检查评估 6（推算目标：标准未规定重开率，按维修满意率≥90%推算）',
    ]);
    const en = kpiSources(citedPage('en'));
    expect(en.filter((s) => s?.includes('derived target'))).toEqual([
      '6T standard for student apartments: Evaluation 6 (derived target: the standards set no reopen rate; derived from repair satisfaction ≥ 90%)',
    ]);
  });
});

describe('the weekly report page’s way back', () => {
  it('stands alone from an email link, and leads back inside the app', () => {
    expect(page()).not.toContain('<nav>');
    const inApp = renderWeeklyReportPage(summary, {
      title: dir.buildings[0]!.name,
      people: new Map(),
      buildings: new Map(),
      lang: 'en',
      back: {
        href: '/app/dashboard?building=bldg-a',
        label: { zh: '返回仪表盘', en: 'Back to the dashboard' },
      },
    });
    expect(inApp).toContain('<nav><a href="/app/dashboard?building=bldg-a">← Back to the dashboard');
  });
});

describe('the weekly report page’s English counts', () => {
  it('write the cut list’s totals as every English count does: grouped, the noun agreeing', () => {
    // Over MAX_SUMMARY_ROWS the lists are cut and say of how many; "of 1258 cases" read unlike
    // every other count of the pages ("1,258 cases", domain/english-count.ts).
    const big = { ...summary, totals: { cases: 1258, staff: 1001 } };
    const en = renderWeeklyReportPage(big, {
      title: dir.buildings[0]!.name,
      people: new Map(),
      buildings: new Map(dir.buildings.map((b) => [b.id, b.name])),
      lang: 'en',
    });
    expect(en).toContain(`showing the ${summary.cases.length} most troubled of 1,258 cases`);
    expect(en).toContain(`staff with most trouble of 1,001`);
  });
});
