import { describe, expect, it } from 'vitest';
import { kpiSampleText, kpiValueText } from '../../api/pages/app/dashboard-common.tsx';
import { renderWeeklyReportPage } from '../../api/pages/weekly-report.tsx';
import { buildWeeklyDigests } from '../../domain/digest.ts';
import { areaSummaryEmail } from '../../domain/digest-email.ts';
import type { Directory } from '../../domain/directory.ts';
import { computeKpis, tallyCases, type KpiValue } from '../../domain/kpi.ts';
import { complaintSampleText, kpiDurationText } from '../../domain/kpi-text.ts';
import { at, view } from '../support/views.ts';

describe('kpiDurationText', () => {
  it('reads minutes under an hour, hours with one decimal from an hour on', () => {
    expect(kpiDurationText(0.2)).toEqual({ zh: '12 分钟', en: '12 min' });
    expect(kpiDurationText(59 / 60)).toEqual({ zh: '59 分钟', en: '59 min' });
    // 59.7 minutes rounds to the hour: one hour, not "60 min".
    expect(kpiDurationText(0.995)).toEqual({ zh: '1.0 小时', en: '1.0 h' });
    expect(kpiDurationText(1)).toEqual({ zh: '1.0 小时', en: '1.0 h' });
    expect(kpiDurationText(23.3333)).toEqual({ zh: '23.3 小时', en: '23.3 h' });
    expect(kpiDurationText(198)).toEqual({ zh: '198.0 小时', en: '198.0 h' });
  });

  it('a case closed within seconds is under a minute, not none; none is 0 minutes', () => {
    expect(kpiDurationText(5 / 3600)).toEqual({ zh: '不到 1 分钟', en: '< 1 min' });
    expect(kpiDurationText(0)).toEqual({ zh: '0 分钟', en: '0 min' });
  });
});

describe('the yearly complaint limit’s sample', () => {
  it('is a count over the dormitories in scope, not a fraction, nor buildings that had complaints', () => {
    expect(complaintSampleText(2, 1)).toEqual({
      zh: '共 2 件，统计 1 栋宿舍',
      en: '2 complaints in all, over 1 dormitory',
    });
    // Both complaints may be in one of the two: the 2 counts dormitories, not where they were.
    expect(complaintSampleText(2, 2)).toEqual({
      zh: '共 2 件，统计 2 栋宿舍',
      en: '2 complaints in all, over 2 dormitories',
    });
    expect(complaintSampleText(1, 1258).en).toBe('1 complaint in all, over 1,258 dormitories');
    expect(complaintSampleText(2, 2).en).not.toMatch(/in 2 buildings/);
  });
});

// Two complaints in building A, one closed 12 minutes after it was opened, the other withdrawn.
const T0 = '2026-03-02T02:00:00.000Z';
const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const views = [
  view({ caseId: 'q1', openedAt: T0, source: 'complaint', location: A101, closedAt: at(T0, 0.2) }),
  view({ caseId: 'q2', openedAt: T0, source: 'complaint', location: A101, closedAt: at(T0, 0.1) }),
];
const kpis = computeKpis(tallyCases(views), { buildings: 1 });
const get = (ks: readonly KpiValue[], id: KpiValue['id']) => ks.find((k) => k.id === id)!;

describe('the dashboard’s and /commitments’ KPI cells', () => {
  it('show times to close in minutes under an hour', () => {
    const avg = get(kpis, 'average_time_to_close_hours');
    expect(avg.value).toBe(0.15);
    expect(kpiValueText(avg, 'en')).toBe('9 min');
    expect(kpiValueText(avg, 'zh-CN')).toBe('9 分钟');
    expect(kpiValueText(get(kpis, 'p90_time_to_close_hours'), 'en')).toBe('12 min');
    expect(kpiValueText({ ...avg, value: 30 }, 'en')).toBe('30.0 h');
    expect(avg.label).toEqual({ zh: '平均结案时长', en: 'Average time to close' });
  });

  it('show the yearly complaints as a count per building, other samples as before', () => {
    const vc = get(kpis, 'valid_complaints_per_building_year');
    expect(vc).toMatchObject({ value: 2, numerator: 2, denominator: 1 });
    expect(kpiSampleText(vc, 'zh-CN')).toBe('共 2 件，统计 1 栋宿舍');
    expect(kpiSampleText(vc, 'en')).toBe('2 complaints in all, over 1 dormitory');
    expect(kpiSampleText(get(kpis, 'complaint_handling_rate'), 'en')).toBe('2/2');
    expect(kpiSampleText(get(kpis, 'average_time_to_close_hours'), 'en')).toBe('2');
  });
});

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
const summary = buildWeeklyDigests({ week: '2026-W10', timeZone: 'Asia/Shanghai', directory: dir, views })
  .buildings[0]!;

describe('the weekly report page and mail', () => {
  const render = (lang: 'zh-CN' | 'en') =>
    renderWeeklyReportPage(summary, {
      title: dir.buildings[0]!.name,
      people: new Map(),
      buildings: new Map(dir.buildings.map((b) => [b.id, b.name])),
      lang,
    });

  it('the page shows times to close in minutes and the complaints per building', () => {
    const en = render('en');
    expect(en).toContain('9 min');
    expect(en).toContain('2 complaints in all, over 1 dormitory');
    expect(en).not.toMatch(/>0\.[0-9]</);
    const zh = render('zh-CN');
    expect(zh).toContain('12 分钟');
    expect(zh).toContain('共 2 件，统计 1 栋宿舍');
  });

  it('the mail shows times to close in minutes, the reader’s language first', () => {
    const mail = (lang: 'zh-CN' | 'en') =>
      areaSummaryEmail(summary, dir.buildings[0]!.name, 'Anna', 'http://r.test/x', lang).text;
    expect(mail('zh-CN')).toContain('平均结案时长 Average time to close: 9 分钟 9 min');
    expect(mail('en')).toContain('Average time to close 平均结案时长: 9 min 9 分钟');
    expect(mail('en')).not.toMatch(/time to close[^\n]*: 0\.15/);
  });
});
