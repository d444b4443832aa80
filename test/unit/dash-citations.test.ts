import { describe, expect, it } from 'vitest';
import { caseCitation, findingRule, isItemId, withItemRule } from '../../domain/case-citation.ts';
import { missingNextYear, missingYearMail, missingYearNotice } from '../../domain/calendar-warning.ts';
import { buildPolicy } from '../../domain/case-policy.ts';
import { buildWeeklyDigests, isoWeekOfDate } from '../../domain/digest.ts';
import type { Directory } from '../../domain/directory.ts';
import {
  countByDimension,
  passRate,
  scoresByBuilding,
  weeklyDimensionTrend,
} from '../../domain/inspection-scores.ts';
import type { InspectionRound } from '../../domain/inspection.ts';
import { standardItem } from '../../domain/standards/catalogue.ts';
import { demoDirectory } from '../support/stack.ts';
import { view } from '../support/views.ts';

describe('a case citing a 6T item', () => {
  it('reads the item from the category the inspection rounds already use', () => {
    expect(caseCitation({ category: '6t.safety.1' })).toEqual({
      itemId: '6t.safety.1',
      dimension: 'safety',
      number: 1,
      dimensionName: { zh: '天天安全保障', en: 'Safety assured every day' },
      label: { zh: '安全 1 消防管理', en: 'Safety 1 Fire management' },
    });
    expect(caseCitation({ category: '6t.evaluation.9' })).toMatchObject({
      dimension: 'evaluation',
      number: 9,
    });
  });

  it('is absent for free text, no category, or an id the catalogue lacks', () => {
    expect(caseCitation({ category: 'plumbing' })).toBeUndefined();
    expect(caseCitation({})).toBeUndefined();
    expect(caseCitation({ category: '6t.safety.99' })).toBeUndefined();
    expect(isItemId('6t.safety.99')).toBe(true);
    expect(isItemId('safety')).toBe(false);
  });

  it('runs under the SLA rule the item names, as an inspection finding would', async () => {
    const dir = await demoDirectory();
    const base = buildPolicy(
      dir,
      { source: 'complaint', severity: 'routine', location: { buildingId: 'bldg-a' } },
      { timeZone: 'Asia/Shanghai' },
    );
    const item = standardItem('6t.safety.1');
    if (!item) throw new Error('catalogue lacks 6t.safety.1');
    const p = withItemRule(base, item, 'complaint');
    expect(p.slaRuleId).toBe('inspection.safety');
    expect(p.slaRuleId).not.toBe(base.slaRuleId);
    // An item without a rule leaves the policy as it was.
    const plain = standardItem('6t.service.7');
    if (!plain) throw new Error('catalogue lacks 6t.service.7');
    expect(withItemRule(base, plain, 'complaint')).toBe(base);
  });

  it('a complaint’s rule binds a complaint only: a finding on 育人 7 runs under the inspection rule', async () => {
    const dir = await demoDirectory();
    const item = standardItem('6t.education.7');
    if (!item) throw new Error('catalogue lacks 6t.education.7');
    const policyOf = (source: 'inspection' | 'complaint') =>
      withItemRule(
        buildPolicy(
          dir,
          { source, severity: 'routine', category: item.id, location: { buildingId: 'bldg-a' } },
          { timeZone: 'Asia/Shanghai' },
        ),
        item,
        source,
      );
    const finding = policyOf('inspection');
    expect(finding.slaRuleId).toBe('inspection');
    expect(finding.slaLabel.zh).not.toContain('投诉');
    expect(finding.stageDurations.analysing).toEqual({ unit: 'hours', amount: 24 });
    // A student's complaint about the staff's manners is still recorded before the day's end.
    expect(policyOf('complaint').slaRuleId).toBe('complaint.routine.staff');
    // The standards page says the rule a failed check runs under.
    expect(findingRule(item)?.id).toBe('inspection');
    expect(findingRule(standardItem('6t.safety.1')!)?.id).toBe('inspection.safety');
  });
});

const round = (
  buildingId: string,
  from: string,
  status: InspectionRound['status'],
  scores: InspectionRound['scores'],
): InspectionRound => ({
  roundId: `r-${buildingId}-${from}-${status}`,
  kind: 'daily',
  buildingId,
  period: from,
  from,
  to: from,
  due: `${from}T12:00:00.000Z`,
  assigneeIds: [],
  checklist: [],
  status,
  results: [],
  scores,
  cases: {},
});
const s = (
  dimension: InspectionRound['scores'][number]['dimension'],
  passed: number,
  failed: number,
  na = 0,
) => ({
  dimension,
  passed,
  failed,
  na,
  unchecked: 0,
  score: null,
});

describe('inspection scores per building, dimension and week', () => {
  const rounds = [
    round('bldg-a', '2026-03-02', 'completed', [s('safety', 8, 2), s('service', 3, 0, 1)]),
    round('bldg-a', '2026-03-03', 'completed', [s('safety', 10, 0)]),
    round('bldg-b', '2026-03-03', 'completed', [s('safety', 1, 1)]),
    // an open round may still change, a missed one was never finished: neither counts
    round('bldg-a', '2026-03-04', 'open', [s('safety', 0, 10)]),
    round('bldg-b', '2026-03-04', 'missed', [s('safety', 0, 10)]),
    round('bldg-a', '2026-03-09', 'completed', [s('safety', 5, 5)]),
  ];

  it('sums the completed rounds per dimension', () => {
    expect(countByDimension(rounds)).toEqual({
      safety: { passed: 24, failed: 8, na: 0 },
      service: { passed: 3, failed: 0, na: 1 },
    });
    expect(passRate({ passed: 0, failed: 0 })).toBeNull();
    expect(passRate({ passed: 2, failed: 1 })).toBe(0.6667);
  });

  it('per building and dimension, buildings in order', () => {
    expect(scoresByBuilding(rounds)).toEqual([
      { buildingId: 'bldg-a', dimension: 'safety', passed: 23, failed: 7, na: 0, rate: 0.7667 },
      { buildingId: 'bldg-a', dimension: 'service', passed: 3, failed: 0, na: 1, rate: 1 },
      { buildingId: 'bldg-b', dimension: 'safety', passed: 1, failed: 1, na: 0, rate: 0.5 },
    ]);
  });

  it('per week, a round counted in the week its period starts', () => {
    const trend = weeklyDimensionTrend(rounds, ['2026-W09', '2026-W10', '2026-W11'], isoWeekOfDate);
    expect(trend.map((w) => [w.week, w.rates.safety, w.rates.service, w.rates.feedback])).toEqual([
      ['2026-W09', null, null, null],
      ['2026-W10', 0.8636, 1, null],
      ['2026-W11', 0.5, null, null],
    ]);
  });

  it('reach the weekly summaries: the week’s scores, the trend, the KPIs and each case’s citation', () => {
    const dir = {
      buildings: [
        { id: 'bldg-a', name: { zh: 'A', en: 'A' }, floors: [], supervisorIds: [] },
        { id: 'bldg-b', name: { zh: 'B', en: 'B' }, floors: [], supervisorIds: [] },
      ],
      departments: [],
    } as unknown as Directory;
    const cited = view({
      caseId: 'c1',
      openedAt: '2026-03-03T02:00:00.000Z',
      category: '6t.safety.3',
      stage: 'analysing',
    });
    const d = buildWeeklyDigests({
      week: '2026-W10',
      timeZone: 'Asia/Shanghai',
      views: [cited],
      directory: dir,
      inspections: rounds,
    });
    const campus = d.workingGroup;
    expect(campus.inspection?.scores.map((x) => [x.buildingId, x.dimension, x.rate])).toEqual([
      ['bldg-a', 'safety', 0.9],
      ['bldg-a', 'service', 1],
      ['bldg-b', 'safety', 0.5],
    ]);
    expect(campus.inspection?.trend.map((w) => w.week)).toHaveLength(8);
    expect(campus.inspection?.trend.at(-1)).toMatchObject({ week: '2026-W10', rates: { safety: 0.8636 } });
    expect(campus.kpis.find((k) => k.id === 'inspection_pass_rate_safety')).toMatchObject({
      numerator: 19,
      denominator: 22,
    });
    expect(campus.cases[0]?.cited).toEqual({ itemId: '6t.safety.3', dimension: 'safety', number: 3 });
    expect(campus.tally.citedByDimension).toEqual({ safety: 1 });
    const b = d.buildings.find((x) => x.buildingId === 'bldg-b');
    expect(b?.inspection?.scores).toEqual([
      { buildingId: 'bldg-b', dimension: 'safety', passed: 1, failed: 1, na: 0, rate: 0.5 },
    ]);
  });
});

describe('the missing-year warning', () => {
  const official = (y: number) => y <= 2026;

  it('is silent before 1 November and once next year is entered', () => {
    expect(missingNextYear('2026-10-31', official)).toBeNull();
    expect(missingNextYear('2026-01-15', official)).toBeNull();
    expect(missingNextYear('2025-11-01', official)).toBeNull();
    expect(missingNextYear('2026-11-01', (y) => y <= 2027)).toBeNull();
  });

  it('names next year from 1 November to 31 December while it has no official data', () => {
    expect(missingNextYear('2026-11-01', official)).toBe(2027);
    expect(missingNextYear('2026-12-31', official)).toBe(2027);
  });

  it('writes both languages, the reader’s first, with the page to enter it on', () => {
    const zh = missingYearMail('zh-CN', {
      year: 2027,
      date: '2026-11-01',
      name: '管理员',
      calendarUrl: 'https://r.test/app/admin/calendar',
    });
    expect(zh.subject).toMatch(/^【校历】2027 年法定节假日安排尚未录入 \/ \[Calendar\]/);
    expect(zh.text.indexOf('official 2027')).toBeLessThan(zh.text.indexOf('----'));
    expect(zh.html).toContain('<a href="https://r.test/app/admin/calendar">');
    const en = missingYearMail('en', {
      year: 2027,
      date: '2026-11-01',
      name: 'Admin',
      calendarUrl: 'https://r.test/app/admin/calendar',
    });
    expect(en.subject.startsWith('[Calendar]')).toBe(true);
    expect(missingYearNotice(2027).zh).toContain('不得自行推测');
  });
});
