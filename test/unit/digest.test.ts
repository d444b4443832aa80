import { describe, expect, it } from 'vitest';
import {
  addWeeks,
  briefIsEmpty,
  buildDailyBrief,
  buildWeeklyDigests,
  isValidIsoWeek,
  isoWeekOf,
  isoWeekOfDate,
  parseDigestId,
  repeatProblems,
  reportedWeek,
  weekBounds,
  weekMonday,
} from '../../domain/digest.ts';
import type { Directory } from '../../domain/directory.ts';
import { at, view } from '../support/views.ts';

const TZ = 'Asia/Shanghai';

describe('ISO weeks in the campus time zone', () => {
  it.each([
    ['2026-01-01', '2026-W01'],
    ['2021-01-03', '2020-W53'],
    ['2020-12-28', '2020-W53'],
    ['2024-12-30', '2025-W01'],
    ['2026-03-02', '2026-W10'],
    ['2026-03-08', '2026-W10'],
    ['2026-03-09', '2026-W11'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeekOfDate(date)).toBe(week);
    expect(isoWeekOfDate(weekMonday(week))).toBe(week);
  });

  it('finds Mondays and refuses weeks that do not exist', () => {
    expect(weekMonday('2020-W53')).toBe('2020-12-28');
    expect(weekMonday('2026-W01')).toBe('2025-12-29');
    expect(isValidIsoWeek('2021-W53')).toBe(false);
    expect(isValidIsoWeek('2026-W00')).toBe(false);
    expect(isValidIsoWeek('2026-10')).toBe(false);
    expect(() => weekMonday('2026-W54')).toThrow(RangeError);
  });

  it('bounds a week at local midnight and reports the week before a Monday run', () => {
    expect(weekBounds('2026-W10', TZ)).toEqual({
      from: '2026-03-01T16:00:00.000Z',
      to: '2026-03-08T16:00:00.000Z',
    });
    // Monday 08:00 in Shanghai is 00:00 UTC: the run reports the week just ended.
    expect(reportedWeek('2026-03-09T00:00:00.000Z', TZ)).toBe('2026-W10');
    // Sunday 23:30 UTC is already Monday 07:30 in Shanghai.
    expect(isoWeekOf('2026-03-08T23:30:00.000Z', TZ)).toBe('2026-W11');
    expect(isoWeekOf('2026-03-08T23:30:00.000Z', 'UTC')).toBe('2026-W10');
    expect(addWeeks('2026-W01', -1)).toBe('2025-W52');
    expect(addWeeks('2020-W52', 1)).toBe('2020-W53');
  });
});

const dir: Pick<Directory, 'buildings' | 'departments'> = {
  buildings: [
    { id: 'bldg-a', name: { zh: 'A', en: 'A' }, supervisorIds: ['sup-wang'], gridMemberIds: [], floors: [] },
    { id: 'bldg-b', name: { zh: 'B', en: 'B' }, supervisorIds: ['sup-li'], gridMemberIds: [], floors: [] },
  ],
  departments: [
    { id: 'cs', name: { zh: '计算机', en: 'CS' }, contactIds: ['dept-cs'], rooms: ['A101', 'A102'] },
    { id: 'me', name: { zh: '机械', en: 'ME' }, contactIds: ['dept-me'], rooms: ['B101'] },
  ],
};

// Week 2026-W10 runs 2026-03-01T16:00Z .. 2026-03-08T16:00Z.
const MON = '2026-03-02T02:00:00.000Z'; // Monday 10:00 local
const PREV = '2026-02-23T02:00:00.000Z'; // a week earlier
const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const A201 = { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A201' };
const B101 = { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' };

const cases = [
  // zhou: opened and closed this week, rated 5
  view({
    caseId: 'w1',
    openedAt: MON,
    location: A101,
    category: 'plumbing',
    deadlines: [['analysing', 'met']],
    score: 5,
    closedAt: at(MON, 30),
    followUpAt: at(MON, 30),
  }),
  // zhou: opened this week, analysing breached on Tuesday, staff disputed
  view({
    caseId: 'w2',
    openedAt: at(MON, 1),
    location: A101,
    category: 'plumbing',
    stage: 'adjudicating',
    deadlines: [
      ['analysing', 'breached', 26],
      ['adjudicating', 'pending'],
    ],
    signOffs: [{ decision: 'dispute', reason: 'not me', by: 'staff-zhou', at: at(MON, 28), round: 1 }],
  }),
  // qian: opened last week, failed review this week, still rectifying
  view({
    caseId: 'w3',
    openedAt: PREV,
    location: A201,
    responsibleId: 'staff-qian',
    stage: 'rectifying',
    round: 2,
    deadlines: [
      ['analysing', 'met'],
      ['rectifying', 'met'],
      ['reviewing', 'met'],
      ['rectifying', 'pending'],
    ],
    reviews: [{ round: 1, passed: false, notes: 'still dirty', by: 'sup-wang', at: at(MON, 3) }],
  }),
  // wu in building B: opened last week, closed last week — nothing this week
  view({
    caseId: 'w4',
    openedAt: PREV,
    location: B101,
    responsibleId: 'staff-wu',
    score: 2,
    closedAt: at(PREV, 5),
    followUpAt: at(PREV, 5),
  }),
  // wu in building B: opened this week, rated 3 this week (below satisfied)
  view({
    caseId: 'w5',
    openedAt: at(MON, 48),
    location: B101,
    responsibleId: 'staff-wu',
    source: 'complaint',
    score: 3,
    closedAt: at(MON, 60),
    followUpAt: at(MON, 60),
  }),
  // three weeks ago, same category and place as w1/w2: part of a repeat
  view({
    caseId: 'w6',
    openedAt: at(PREV, -24 * 14),
    location: A101,
    category: 'plumbing',
    closedAt: at(PREV, -24 * 13),
  }),
  // five weeks ago: outside the 4-week repeat window
  view({
    caseId: 'w7',
    openedAt: at(PREV, -24 * 28),
    location: B101,
    responsibleId: 'staff-wu',
    closedAt: at(PREV, -24 * 27),
  }),
  view({
    caseId: 'w8',
    openedAt: at(PREV, -24 * 29),
    location: B101,
    responsibleId: 'staff-wu',
    closedAt: at(PREV, -24 * 28),
  }),
];

describe('weekly digests from known cases', () => {
  const d = buildWeeklyDigests({ week: '2026-W10', timeZone: TZ, views: cases, directory: dir });

  it('gives each staff member with cases that week their exact figures', () => {
    expect(d.staff.map((s) => s.personId)).toEqual(['staff-qian', 'staff-wu', 'staff-zhou']);
    const zhou = d.staff.find((s) => s.personId === 'staff-zhou');
    expect(zhou?.id).toBe('2026-W10:staff:staff-zhou');
    expect(zhou?.counts).toMatchObject({
      opened: 2,
      closed: 1,
      late: 1,
      disputed: 1,
      failedReviews: 0,
      ratings: 1,
      satisfied: 1,
      scoreSum: 5,
    });
    expect(zhou?.cases.map((c) => c.caseId)).toEqual(['w1', 'w2']);
    expect(zhou?.buildingIds).toEqual(['bldg-a']);
    const qian = d.staff.find((s) => s.personId === 'staff-qian');
    expect(qian?.counts).toMatchObject({ opened: 0, closed: 0, late: 0, failedReviews: 1 });
    const wu = d.staff.find((s) => s.personId === 'staff-wu');
    expect(wu?.counts).toMatchObject({ opened: 1, closed: 1, ratings: 1, satisfied: 0, scoreSum: 3 });
    expect(wu?.cases.map((c) => c.caseId)).toEqual(['w5']);
  });

  it('asks departments to follow up the week’s cases about their students, not the repairs in their rooms', () => {
    // w1 and w2 in A101 (cs) are repairs: the building's matter, not the students'.
    expect(d.departments.map((x) => [x.departmentId, x.items.map((i) => i.caseId)])).toEqual([
      ['me', ['w5']],
    ]);
    expect(d.departments[0]?.items[0]?.ask.zh).toContain('了解相关学生的情况');
  });

  it('summarises each building with week-over-week change, KPIs and repeat problems', () => {
    const a = d.buildings.find((b) => b.buildingId === 'bldg-a');
    const b = d.buildings.find((x) => x.buildingId === 'bldg-b');
    expect(a?.counts).toMatchObject({ opened: 2, closed: 1, late: 1, disputed: 1, failedReviews: 1 });
    expect(a?.previous).toMatchObject({ opened: 1, closed: 0 });
    expect(a?.change).toMatchObject({ opened: 1, closed: 1, late: 1 });
    expect(a?.repeats).toEqual([
      {
        category: 'plumbing',
        label: { zh: 'plumbing', en: 'plumbing' },
        place: 'bldg-a/a-f1/A101',
        placeName: { zh: 'A a-f1 A101（已不在名录）', en: 'A, a-f1, A101 (no longer in the directory)' },
        count: 3,
        caseIds: ['w1', 'w2', 'w6'],
      },
    ]);
    expect(b?.repeats).toEqual([]);
    expect(b?.counts).toMatchObject({ opened: 1, closed: 1, ratings: 1 });
    expect(b?.previous).toMatchObject({ opened: 1, closed: 1, ratings: 1, satisfied: 0 });
    // KPI over the week's cohort in A: w1 met, w2 breached analysing
    const onTime = a?.kpis.find((k) => k.id === 'on_time_analysing');
    expect(onTime).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    // the previous week's cohort in A is w3 alone: analysing met
    expect(a?.kpiChange.find((k) => k.id === 'on_time_analysing')).toEqual({
      id: 'on_time_analysing',
      value: 0.5,
      previous: 1,
      delta: -0.5,
    });
    expect(a?.daily.map((p) => p.opened)).toEqual([2, 0, 0, 0, 0, 0, 0]);
    expect(a?.daily.map((p) => p.late)).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(a?.tally.cases).toBe(2);
  });

  it('gives the working group the campus with a row per building', () => {
    expect(d.workingGroup.id).toBe('2026-W10:working_group:campus');
    expect(d.workingGroup.counts).toMatchObject({
      opened: 3,
      closed: 2,
      late: 1,
      disputed: 1,
      failedReviews: 1,
      ratings: 2,
    });
    expect(d.workingGroup.byBuilding?.map((r) => [r.buildingId, r.counts.opened])).toEqual([
      ['bldg-a', 2],
      ['bldg-b', 1],
    ]);
    // Most trouble first: zhou (late + disputed), qian (failed review), wu.
    expect(d.workingGroup.byStaff.map((s) => s.personId)).toEqual(['staff-zhou', 'staff-qian', 'staff-wu']);
    expect(d.workingGroup.totals).toEqual({ cases: 4, staff: 3 });
    expect(parseDigestId(d.workingGroup.id)).toEqual({
      week: '2026-W10',
      kind: 'working_group',
      subject: 'campus',
    });
  });

  it('caps the rows a summary lists, keeping the troubled ones, while its counts cover every case', () => {
    const many = Array.from({ length: 250 }, (_, i) =>
      view({
        caseId: `m${String(i).padStart(3, '0')}`,
        openedAt: MON,
        responsibleId: `staff-${i}`,
        stage: 'rectifying',
        deadlines: i === 249 ? [['analysing', 'breached', 5]] : [],
      }),
    );
    const big = buildWeeklyDigests({ week: '2026-W10', timeZone: TZ, views: many, directory: dir });
    expect(big.staff).toHaveLength(250);
    expect(big.workingGroup.counts.opened).toBe(250);
    expect(big.workingGroup.byStaff).toHaveLength(200);
    expect(big.workingGroup.cases).toHaveLength(200);
    expect(big.workingGroup.totals).toEqual({ cases: 250, staff: 250 });
    expect(big.workingGroup.byStaff[0]?.personId).toBe('staff-249');
    expect(big.workingGroup.cases[0]?.caseId).toBe('m249');
    expect(JSON.stringify(big.workingGroup).length).toBeLessThan(150_000);
  });

  it('a week with no cases gives no staff or department digests but zero summaries', () => {
    const empty = buildWeeklyDigests({ week: '2026-W20', timeZone: TZ, views: cases, directory: dir });
    expect(empty.staff).toEqual([]);
    expect(empty.departments).toEqual([]);
    expect(empty.buildings).toHaveLength(2);
    expect(empty.workingGroup.counts.opened).toBe(0);
    expect(empty.workingGroup.kpis.find((k) => k.id === 'overall_satisfaction')?.value).toBeNull();
  });

  it('judges valid complaints on the year to the week’s end, per building, and compares with last week’s', () => {
    const VC = 'valid_complaints_per_building_year';
    // Counted from 1 January (local) to the end of 2026-W10, as the activity loads them.
    const complaintYear = {
      from: '2025-12-31T16:00:00.000Z',
      to: '2026-03-08T16:00:00.000Z',
      byBuilding: { 'bldg-a': 3, 'bldg-b': 6 },
    };
    const y = buildWeeklyDigests({
      week: '2026-W10',
      timeZone: TZ,
      views: cases,
      directory: dir,
      complaintYear,
    });
    const a = y.buildings.find((b) => b.buildingId === 'bldg-a');
    const b = y.buildings.find((x) => x.buildingId === 'bldg-b');
    expect(a?.kpis.find((k) => k.id === VC)).toMatchObject({
      value: 3,
      numerator: 3,
      denominator: 1,
      met: true,
    });
    // B: 6 this year, one of them (w5) opened this week, so 5 a week ago.
    expect(b?.kpis.find((k) => k.id === VC)).toMatchObject({
      value: 6,
      met: false,
      period: { from: complaintYear.from, to: complaintYear.to },
    });
    expect(b?.kpiChange.find((k) => k.id === VC)).toEqual({ id: VC, value: 6, previous: 5, delta: 1 });
    expect(a?.kpiChange.find((k) => k.id === VC)).toEqual({ id: VC, value: 3, previous: 3, delta: 0 });
    // One building's digest names its own count; the campus's names its worst building's.
    expect(a?.kpis.find((k) => k.id === VC)?.label).toEqual({
      zh: '本楼本年度有效投诉',
      en: 'Valid complaints this year in this building',
    });
    expect(y.workingGroup.kpis.find((k) => k.id === VC)?.label.en).toBe(
      'Valid complaints per building this year (the building with most)',
    );
    // The campus: its building with the most (B), over 3 + 6 complaints in 2 buildings.
    expect(y.workingGroup.kpis.find((k) => k.id === VC)).toMatchObject({
      value: 6,
      numerator: 9,
      denominator: 2,
      met: false,
    });
    expect(y.workingGroup.kpiChange.find((k) => k.id === VC)).toEqual({
      id: VC,
      value: 6,
      previous: 5,
      delta: 1,
    });
    // Without the year: the week's own count (w5 in B), and no verdict on a yearly limit.
    const plain = d.buildings.find((x) => x.buildingId === 'bldg-b');
    expect(plain?.kpis.find((k) => k.id === VC)).toMatchObject({ value: 1, met: null });
    expect(plain?.kpiChange.find((k) => k.id === VC)).toEqual({ id: VC, value: 1, previous: 0, delta: 1 });
  });

  it.each([
    // Monday 2025-12-29 to Sunday 2026-01-04: last week ended in 2025.
    ['2026-W01', '2025-12-31T16:00:00.000Z', '2026-01-04T16:00:00.000Z'],
    // Monday 1 January 2029: last week ended at the year's first instant.
    ['2029-W01', '2028-12-31T16:00:00.000Z', '2029-01-07T16:00:00.000Z'],
  ])('in %s, the first week of a year, last week’s count belongs to another year', (week, from, to) => {
    const complaintYear = { from, to, byBuilding: { 'bldg-a': 1 } };
    const y = buildWeeklyDigests({ week, timeZone: TZ, views: [], directory: dir, complaintYear });
    const a = y.buildings.find((b) => b.buildingId === 'bldg-a');
    const VC = 'valid_complaints_per_building_year';
    expect(a?.kpis.find((k) => k.id === VC)).toMatchObject({ value: 1, met: true });
    expect(a?.kpiChange.find((k) => k.id === VC)).toEqual({ id: VC, value: 1, previous: null, delta: null });
  });

  it('repeat problems need more than one case of the same category and place in the window', () => {
    const { from, to } = weekBounds('2026-W10', TZ);
    expect(repeatProblems(cases, from, to)).toEqual([
      {
        category: 'plumbing',
        label: { zh: 'plumbing', en: 'plumbing' },
        place: 'bldg-a/a-f1/A101',
        count: 2,
        caseIds: ['w1', 'w2'],
      },
    ]);
  });
});

describe('the daily brief', () => {
  it('lists yesterday’s new, closed and breached cases and today’s deadlines for one building', () => {
    // Tuesday 2026-03-03 morning: yesterday is Monday (local).
    const brief = buildDailyBrief({ date: '2026-03-03', timeZone: TZ, buildingId: 'bldg-a', views: cases });
    expect(brief.opened.map((c) => c.caseId)).toEqual(['w1', 'w2']);
    expect(brief.closed.map((c) => c.caseId)).toEqual([]);
    expect(brief.breached.map((c) => c.caseId)).toEqual([]);
    // w2's adjudicating deadline is due 2 h after opening = Monday; nothing due Tuesday
    expect(brief.dueToday).toEqual([]);
    const wed = buildDailyBrief({ date: '2026-03-04', timeZone: TZ, buildingId: 'bldg-a', views: cases });
    expect(wed.breached.map((c) => c.caseId)).toEqual(['w2']);
    expect(wed.closed.map((c) => c.caseId)).toEqual(['w1']);
  });

  it('finds pending deadlines due today', () => {
    const due = view({
      caseId: 'd1',
      openedAt: '2026-03-03T00:30:00.000Z',
      stage: 'rectifying',
      deadlines: [['rectifying', 'pending', 5]],
    });
    const brief = buildDailyBrief({ date: '2026-03-03', timeZone: TZ, buildingId: 'bldg-a', views: [due] });
    expect(brief.dueToday).toEqual([
      {
        caseId: 'd1',
        title: 'case d1',
        stage: 'rectifying',
        due: '2026-03-03T06:30:00.000Z',
        place: 'bldg-a/a-f1/A101',
      },
    ]);
    // Held by a running pause: not due today, whatever its due says.
    const held = {
      ...due,
      pauses: [
        {
          n: 1,
          reason: 'waiting_for_parts' as const,
          note: '',
          requestedBy: 'staff-zhou',
          requestedAt: '2026-03-03T01:00:00.000Z',
          state: 'approved' as const,
          decidedBy: 'sup-wang',
          decidedAt: '2026-03-03T01:30:00.000Z',
          endsBy: '2026-03-10T01:30:00.000Z',
          holdsStage: true,
        },
      ],
    };
    expect(
      buildDailyBrief({ date: '2026-03-03', timeZone: TZ, buildingId: 'bldg-a', views: [held] }).dueToday,
    ).toEqual([]);
  });
});

describe('a public area', () => {
  const canteen = {
    id: 'area-canteen-1',
    name: { zh: '第一食堂', en: 'Canteen 1' },
    kind: 'public_area' as const,
    supervisorIds: ['sup-li'],
    gridMemberIds: [],
    floors: [],
  };
  const withArea = { ...dir, buildings: [...dir.buildings, canteen] };
  const there = view({ caseId: 'c1', openedAt: '2026-03-02T01:00:00.000Z' });
  there.location = { buildingId: canteen.id };

  it('gets a weekly summary only in a week its place had cases; a dormitory every week', () => {
    const quiet = buildWeeklyDigests({ week: '2026-W10', timeZone: TZ, views: [], directory: withArea });
    expect(quiet.buildings.map((b) => b.buildingId)).toEqual(dir.buildings.map((b) => b.id));
    const busy = buildWeeklyDigests({ week: '2026-W10', timeZone: TZ, views: [there], directory: withArea });
    expect(busy.buildings.map((b) => b.buildingId)).toContain(canteen.id);
    expect(busy.buildings.find((b) => b.buildingId === canteen.id)?.counts.opened).toBe(1);
  });

  it('has an empty morning brief when nothing happened there', () => {
    const date = '2026-03-03';
    expect(briefIsEmpty(buildDailyBrief({ date, timeZone: TZ, buildingId: canteen.id, views: [] }))).toBe(
      true,
    );
    expect(
      briefIsEmpty(buildDailyBrief({ date, timeZone: TZ, buildingId: canteen.id, views: [there] })),
    ).toBe(false);
  });
});

describe('the duty completion rate in a weekly summary', () => {
  it('counts the occurrences due in the week, decided ones only, against the week before', () => {
    const duties = [
      { buildingId: 'bldg-a', dueDate: '2026-03-03', status: 'completed' as const },
      { buildingId: 'bldg-a', dueDate: '2026-03-05', status: 'missed' as const },
      { buildingId: 'bldg-a', dueDate: '2026-03-08', status: 'open' as const },
      { buildingId: 'bldg-a', dueDate: '2026-02-25', status: 'completed' as const },
    ];
    const d = buildWeeklyDigests({ week: '2026-W10', timeZone: TZ, views: [], directory: dir, duties });
    const a = d.buildings.find((b) => b.buildingId === 'bldg-a');
    expect(a?.kpis.find((k) => k.id === 'duty_completion_rate')).toMatchObject({
      value: 0.5,
      numerator: 1,
      denominator: 2,
    });
    expect(a?.kpiChange.find((k) => k.id === 'duty_completion_rate')).toMatchObject({
      value: 0.5,
      previous: 1,
      delta: -0.5,
    });
    // Without the duty calendar a summary has no duty figure at all.
    const none = buildWeeklyDigests({ week: '2026-W10', timeZone: TZ, views: [], directory: dir });
    expect(none.workingGroup.kpis.some((k) => k.id === 'duty_completion_rate')).toBe(false);
  });
});
