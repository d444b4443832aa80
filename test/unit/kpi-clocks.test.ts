import { describe, expect, it } from 'vitest';
import type { CaseClock } from '../../domain/case-clocks.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { areaSummaryEmail } from '../../domain/digest-email.ts';
import type { AreaSummary } from '../../domain/digest.ts';
import { clockKpis, computeKpis, kpiSourceLine, mergeTallies, tallyCases } from '../../domain/kpi.ts';
import type { TimedStage } from '../../domain/sla.ts';
import { at, view } from '../support/views.ts';

const T0 = '2026-03-02T01:00:00.000Z';
const arrival = (due: number): CaseClock => ({
  id: 'on_site_arrival',
  label: { zh: '一般维修2小时内到场', en: 'General repair: on site within 2 hours' },
  seed: '000',
  limit: { unit: 'hours', amount: 2 },
  metBy: ['arrived'],
  startedAt: T0,
  due: at(T0, due),
  approximate: false,
});
const withClock = (caseId: string, extra: Partial<CaseView> = {}): CaseView => ({
  ...view({ caseId, openedAt: T0 }),
  clocks: [arrival(2)],
  pauses: [],
  ...extra,
});
const arrivedAt = (hours: number) => [
  {
    at: at(T0, hours),
    actorId: 'staff-zhou',
    action: 'arrived' as const,
    stage: 'analysing' as const,
    round: 1,
  },
];

const cases = [
  withClock('met', { timeline: arrivedAt(1) }),
  withClock('late', { timeline: arrivedAt(3) }),
  withClock('running'),
  // Paused two hours (approved, ended): its arrival at 3:30 is in time.
  withClock('paused', {
    timeline: arrivedAt(3.5),
    pauses: [
      {
        n: 1,
        reason: 'student_absent',
        note: '',
        requestedBy: 'staff-zhou',
        requestedAt: at(T0, 0.5),
        state: 'ended',
        decidedBy: 'sup-wang',
        decidedAt: at(T0, 0.5),
        endedAt: at(T0, 2.5),
        endedHow: 'resumed',
      },
    ],
  }),
  // Withdrawn before the clock ran out: counted nowhere.
  withClock('withdrawn', { stage: 'withdrawn', closedAt: at(T0, 1) }),
  // Opened before clocks existed.
  view({ caseId: 'old', openedAt: T0 }),
];

describe('case clocks in the KPIs and digests', () => {
  it('tallies each clock met, breached or running at the instant asked, pauses excluded', () => {
    expect(tallyCases([cases[0]!, cases[2]!], Date.parse(at(T0, 1.5))).clocks).toEqual({
      on_site_arrival: { met: 1, breached: 0, pending: 1 },
    });
    const later = tallyCases(cases, Date.parse(at(T0, 24)));
    expect(later.clocks).toEqual({ on_site_arrival: { met: 2, breached: 2, pending: 0 } });
    expect(clockKpis(later)).toEqual([
      {
        id: 'on_site_arrival',
        label: { zh: '维修到场', en: 'On-site arrival' },
        met: 2,
        breached: 2,
        pending: 0,
        value: 0.5,
        target: 1,
      },
    ]);
  });

  it('without an instant, an open case counts only what already happened', () => {
    expect(tallyCases(cases).clocks).toEqual({ on_site_arrival: { met: 2, breached: 1, pending: 1 } });
  });

  it('merges across tallies, and a tally from before clocks has none and changes no KPI', () => {
    const a = tallyCases(cases.slice(0, 2), Date.parse(at(T0, 24)));
    const b = tallyCases(cases.slice(2), Date.parse(at(T0, 24)));
    expect(mergeTallies([a, b]).clocks).toEqual(tallyCases(cases, Date.parse(at(T0, 24))).clocks);
    const old = tallyCases([cases[5]!]);
    expect(old.clocks).toBeUndefined();
    expect(clockKpis(old)).toEqual([]);
    expect(computeKpis(mergeTallies([old, a]), { buildings: 1 }).map((k) => k.id)).toEqual(
      computeKpis(old, { buildings: 1 }).map((k) => k.id),
    );
  });

  it('the weekly summary email lists each clock', () => {
    const tally = tallyCases(cases, Date.parse(at(T0, 24)));
    const summary = {
      kind: 'building',
      id: 'w:building:bldg-a',
      week: '2026-W10',
      counts: {
        opened: 0,
        closed: 0,
        late: 0,
        disputed: 0,
        failedReviews: 0,
        open: 0,
        withdrawn: 0,
        rated: 0,
      },
      previous: {
        opened: 0,
        closed: 0,
        late: 0,
        disputed: 0,
        failedReviews: 0,
        open: 0,
        withdrawn: 0,
        rated: 0,
      },
      change: {
        opened: 0,
        closed: 0,
        late: 0,
        disputed: 0,
        failedReviews: 0,
        open: 0,
        withdrawn: 0,
        rated: 0,
      },
      kpis: [],
      kpiChange: [],
      clocks: clockKpis(tally),
      tally,
      repeats: [],
      byStaff: [],
      daily: [],
      cases: [],
      totals: { cases: 0, staff: 0 },
    } as unknown as AreaSummary;
    const mail = areaSummaryEmail(
      summary,
      { zh: 'A 栋', en: 'Building A' },
      '王',
      'http://r.test/x',
      'zh-CN',
    );
    expect(mail.text).toContain('维修到场 On-site arrival: 按时 met 2 · 超时 breached 2 · 计时中 running 0');
  });
});

describe('repairs on site within 2 h / 30 min', () => {
  const onSite = (kpis: ReturnType<typeof computeKpis>, id: string) => kpis.find((k) => k.id === id);
  const rootCauseInTime = { deadlines: [['analysing', 'met', 1]] as [TimedStage, 'met', number][] };

  it('count the on-site arrival clock, not the analysing deadline: a repair nobody went to is late', () => {
    const nobodyCame = view({ caseId: 'n', openedAt: T0, stage: 'rectifying', ...rootCauseInTime });
    const cases = [
      { ...nobodyCame, clocks: [arrival(2)], pauses: [] },
      {
        ...view({ caseId: 'm', openedAt: T0, ...rootCauseInTime }),
        clocks: [arrival(2)],
        timeline: arrivedAt(1),
      },
      // Still within its two hours: not decided, left out.
      { ...view({ caseId: 'r', openedAt: T0, stage: 'analysing' }), clocks: [arrival(2)] },
    ];
    const nowMs = Date.parse(at(T0, 1.5));
    const later = Date.parse(at(T0, 24));
    expect(
      onSite(computeKpis(tallyCases(cases, nowMs), { buildings: 1 }), 'general_repair_on_site_2h'),
    ).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
    const tally = tallyCases(cases, later);
    expect(onSite(computeKpis(tally, { buildings: 1 }), 'general_repair_on_site_2h')).toMatchObject({
      numerator: 1,
      denominator: 3,
      met: false,
    });
    // The same answer as the response's clocks.
    expect(tally.clocks?.on_site_arrival).toEqual({ met: 1, breached: 2, pending: 0 });
  });

  it('a case opened before clocks keeps its first analysing deadline, and the source says so', () => {
    const old = view({ caseId: 'o', openedAt: T0, severity: 'urgent', ...rootCauseInTime });
    const kpi = onSite(computeKpis(tallyCases([old]), { buildings: 1 }), 'urgent_repair_on_site_30min')!;
    expect(kpi).toMatchObject({ numerator: 1, denominator: 1 });
    expect(kpiSourceLine(kpi).zh).toContain('按案件的到场时钟计');
    expect(kpiSourceLine(kpi).en).toContain('on-site arrival clock');
  });

  it('the reopen rate says its target is derived, in both languages', () => {
    const reopen = onSite(computeKpis(tallyCases([]), { buildings: 1 }), 'reopen_rate')!;
    expect(kpiSourceLine(reopen)).toEqual({
      zh: '《学生公寓“6T”现场管理标准》检查评估 6（推算目标：标准未规定重开率，按维修满意率≥90%推算）',
      en: '6T standard for student apartments: Evaluation 6 (derived target: the standards set no reopen rate; derived from repair satisfaction ≥ 90%)',
    });
  });
});
