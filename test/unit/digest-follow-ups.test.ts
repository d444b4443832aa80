import { describe, expect, it } from 'vitest';
import { renderWeeklyReportPage } from '../../api/pages/weekly-report.tsx';
import {
  buildDailyBrief,
  buildWeeklyDigests,
  withBuildingLabels,
  withPlaceNames,
  type AreaSummary,
  type DepartmentDigest,
  type StaffDigest,
} from '../../domain/digest.ts';
import {
  areaSummaryEmail,
  countsText,
  dailyBriefEmail,
  departmentDigestEmail,
  staffDigestEmail,
} from '../../domain/digest-email.ts';
import type { Directory } from '../../domain/directory.ts';
import { studentFollowUpAsk } from '../../domain/student-follow-up.ts';
import { marksForSummary } from '../../domain/weekly-marks.ts';
import { at, view } from '../support/views.ts';

const dir: Pick<Directory, 'buildings' | 'departments'> = {
  buildings: [
    {
      id: 'bldg-a',
      name: { zh: '学生公寓A栋', en: 'Dormitory A' },
      supervisorIds: ['sup-wang'],
      gridMemberIds: [],
      floors: [
        {
          id: 'a-f1',
          name: { zh: '1层', en: 'Floor 1' },
          gridMemberIds: [],
          clusters: [{ id: 'a-f1-c1', gridMemberIds: [], rooms: ['A101', 'A102'] }],
        },
      ],
    },
  ],
  departments: [
    {
      id: 'cs',
      name: { zh: '计算机学院', en: 'School of Computer Science' },
      contactIds: ['dept-cs'],
      rooms: ['A101', 'A102'],
    },
  ],
};
// Week 2026-W10 runs 2026-03-01T16:00Z .. 2026-03-08T16:00Z.
const MON = '2026-03-02T02:00:00.000Z';
const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const TZ = 'Asia/Shanghai';

const views = [
  // The students' matters: a grid member's hygiene report, a noise complaint, a room's prohibited appliance.
  view({ caseId: 'c-clean', openedAt: MON, location: A101, source: 'grid_report', category: 'cleanliness' }),
  view({ caseId: 'c-noise', openedAt: at(MON, 1), location: A101, source: 'complaint', stage: 'analysing' }),
  view({
    caseId: 'c-power',
    openedAt: at(MON, 2),
    location: A101,
    source: 'inspection',
    category: '6t.safety.3',
    stage: 'rectifying',
  }),
  // Not theirs: a ceiling leak, a complaint about staff, a finding on the staff's own service.
  view({ caseId: 'c-leak', openedAt: at(MON, 3), location: A101, source: 'repair', category: 'repair' }),
  view({ caseId: 'c-leak2', openedAt: at(MON, 4), location: A101, source: 'repair', category: 'repair' }),
  view({ caseId: 'c-staff', openedAt: at(MON, 5), location: A101, source: 'complaint', category: 'staff' }),
  view({
    caseId: 'c-desk',
    openedAt: at(MON, 6),
    location: A101,
    source: 'inspection',
    category: '6t.service.6',
  }),
  // Withdrawn in the week: nothing to follow up.
  view({
    caseId: 'c-gone',
    openedAt: at(MON, 7),
    location: A101,
    source: 'complaint',
    stage: 'withdrawn',
    withdrawal: { at: at(MON, 8), by: 'sup-wang', reason: 'duplicate' },
  }),
];
const week = buildWeeklyDigests({ week: '2026-W10', timeZone: TZ, directory: dir, views });
const dept = week.departments[0]!;

describe('a department is asked to follow up only its students’ own matters', () => {
  it('leaves out repairs, complaints about staff, findings on the service and withdrawn cases', () => {
    expect(dept.items.map((i) => i.caseId)).toEqual(['c-clean', 'c-noise', 'c-power']);
    expect(dept.items.find((i) => i.caseId === 'c-clean')?.ask.zh).toContain('寝室卫生');
    expect(dept.items.find((i) => i.caseId === 'c-power')?.ask.en).toContain('safety hazard');
    expect(dept.withdrawn?.map((w) => w.caseId)).toEqual(['c-gone']);
  });

  it('tells the withdrawn case for information, with no link and nothing asked', () => {
    const items = dept.items.map((item, i) => ({ item, url: `https://r.test/actions/${i}` }));
    const zh = departmentDigestEmail(dept, '陈明', items, false);
    expect(zh.text).toContain('以下案件已撤销，无需跟进（仅供知悉）');
    const gone = zh.text.split('\n').filter((l) => l.includes('c-gone'));
    expect(gone).toEqual(['c-gone case c-gone (学生公寓A栋 A101)']);
    expect(zh.text).not.toContain('c-leak');
    expect((zh.html.match(/href=/g) ?? []).length).toBe(3);
  });

  it('decides by source, category and the 6T item cited', () => {
    expect(studentFollowUpAsk({ source: 'repair' })).toBeUndefined();
    expect(studentFollowUpAsk({ source: 'evaluation' })).toBeUndefined();
    expect(studentFollowUpAsk({ source: 'grid_report', category: 'repair' })).toBeUndefined();
    expect(studentFollowUpAsk({ source: 'complaint', category: 'suggestion' })).toBeUndefined();
    expect(studentFollowUpAsk({ source: 'inspection', category: '6t.management.8' })).toBeDefined();
    expect(studentFollowUpAsk({ source: 'inspection', category: '6t.management.11' })).toBeUndefined();
    expect(studentFollowUpAsk({ source: 'grid_report' })).toBeDefined();
  });
});

describe('the digests name places and categories as people do', () => {
  it('a place by its building, floor and room names, in the reader’s language', () => {
    const items = dept.items.map((item) => ({ item, url: 'https://r.test/a' }));
    expect(departmentDigestEmail(dept, '陈明', items, false).text).toContain(
      'c-noise case c-noise (学生公寓A栋 A101)',
    );
    expect(departmentDigestEmail(dept, 'Ann', items, false, 'en').text).toContain(
      'c-noise case c-noise (Dormitory A, A101)',
    );
    const staff = week.staff[0]!;
    for (const m of [staffDigestEmail(staff, '周强', 'u'), staffDigestEmail(staff, 'Lee', 'u', 'en')])
      expect(m.text + m.html).not.toContain('bldg-a');
  });

  it('a repeat problem by its category’s label and the place’s name', () => {
    const a = week.buildings[0]!;
    const zh = areaSummaryEmail(a, dir.buildings[0]!.name, '王建国', 'https://r.test/r', 'zh-CN');
    expect(zh.text).toContain('报修 Repair @ 学生公寓A栋 A101: 2 次 times (c-leak, c-leak2)');
    const en = areaSummaryEmail(a, dir.buildings[0]!.name, 'Anna', 'https://r.test/r', 'en');
    expect(en.text).toContain('Repair 报修 @ Dormitory A, A101: 2 times 次');
    expect(zh.text + en.text).not.toMatch(/bldg-a|@ repair/);
  });
});

describe('the staff digest counts withdrawn cases', () => {
  it('in the counts line and on the case, in each language', () => {
    const staff = week.staff[0]!;
    expect(staff.counts.withdrawn).toBe(1);
    const zh = staffDigestEmail(staff, '周强', 'u');
    expect(zh.text).toContain('已撤销 withdrawn: 1');
    expect(zh.text).toMatch(/c-gone case c-gone \(学生公寓A栋 A101\): 新 new, 已撤销 withdrawn/);
    expect(countsText(staff.counts).en).toMatch(/^opened: 8 · closed: \d+ · withdrawn: 1/);
    expect(countsText(staff.counts).zh).not.toMatch(/[a-z]/);
    // Chinese takes a full-width colon, with no space after it.
    expect(countsText(staff.counts).zh).toMatch(/^新开案件：8 · 已结案：\d+ · 已撤销：1/);
    expect(countsText(staff.counts).zh).not.toContain(':');
    expect(countsText({ ...staff.counts, ratings: 2, scoreSum: 9 }).zh).toMatch(/ · 平均评分：4\.5$/);
    expect(countsText({ ...staff.counts, ratings: 2, scoreSum: 9 }).en).toMatch(/ · average score: 4\.5$/);
  });
});

describe('the morning brief links each case to its page', () => {
  const brief = buildDailyBrief({
    date: '2026-03-03',
    timeZone: TZ,
    buildingId: 'bldg-a',
    views,
    directory: dir,
  });

  it('in Chinese and English, every line a link on the public origin', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const m = dailyBriefEmail(brief, dir.buildings[0]!.name, 'x', lang, 'https://rectify.test/');
      const hrefs = [...m.html.matchAll(/href="([^"]+)"/g)].map((x) => x[1]);
      expect(hrefs).toContain('https://rectify.test/app/cases/c-noise');
      expect(hrefs.length).toBe(brief.opened.length + brief.closed.length + brief.breached.length);
      expect(m.text).toContain('  https://rectify.test/app/cases/c-noise');
    }
  });
});

describe('one building’s summary names its yearly complaints as that building’s', () => {
  it('also a summary stored with the campus wording', () => {
    const a = week.buildings[0]!;
    const stored = {
      ...a,
      kpis: a.kpis.map((k) =>
        k.id === 'valid_complaints_per_building_year'
          ? {
              ...k,
              label: {
                zh: '单栋楼本年有效投诉数（取最多的楼栋）',
                en: 'Most valid complaints of any building',
              },
            }
          : k,
      ),
    };
    const label = withBuildingLabels(stored).kpis.find(
      (k) => k.id === 'valid_complaints_per_building_year',
    )?.label;
    expect(label?.zh).toBe('本楼本年度有效投诉');
    expect(withBuildingLabels(week.workingGroup)).toBe(week.workingGroup);
  });
});

describe('the marks a weekly report shows', () => {
  it('each listed staff member’s acknowledgement, and the building’s follow-ups with who handled them', () => {
    const a = week.buildings[0]!;
    const marks = marksForSummary(a, week.departments, {
      acks: [{ personId: 'staff-zhou', at: '2026-03-09T03:00:00.000Z' }],
      handled: [
        {
          departmentId: 'cs',
          caseId: 'c-noise',
          by: 'dept-cs',
          at: '2026-03-10T01:00:00.000Z',
          note: '已谈话',
        },
      ],
    });
    expect(marks.acknowledgements).toEqual([
      { personId: 'staff-zhou', acknowledgedAt: '2026-03-09T03:00:00.000Z' },
    ]);
    expect(marks.followUps.map((f) => [f.caseId, f.handled?.by ?? null, f.handled?.note ?? null])).toEqual([
      ['c-clean', null, null],
      ['c-noise', 'dept-cs', '已谈话'],
      ['c-power', null, null],
    ]);
    expect(marks.followUps[0]?.place).toEqual({
      zh: '学生公寓A栋 A101',
      en: 'Dormitory A, A101',
    });
    expect(
      marksForSummary({ ...a, buildingId: 'bldg-b' }, week.departments, { acks: [], handled: [] }).followUps,
    ).toEqual([]);
  });
});

describe('the weekly report page shows who acknowledged and what the departments did', () => {
  const a = week.buildings[0]!;
  const feedback = marksForSummary(a, week.departments, {
    acks: [{ personId: 'staff-zhou', at: '2026-03-09T03:00:00.000Z' }],
    handled: [
      {
        departmentId: 'cs',
        caseId: 'c-noise',
        by: 'dept-cs',
        at: '2026-03-10T01:00:00.000Z',
        note: '已与寝室学生谈话',
      },
    ],
  });
  const render = (lang: 'zh-CN' | 'en') =>
    renderWeeklyReportPage(
      { ...a, feedback },
      {
        title: dir.buildings[0]!.name,
        people: new Map([
          ['staff-zhou', '周强'],
          ['dept-cs', '陈明'],
        ]),
        buildings: new Map([['bldg-a', dir.buildings[0]!.name]]),
        lang,
        timeZone: TZ,
      },
    );

  it('per staff member when they acknowledged, per follow-up when, by whom and what was done', () => {
    const zh = render('zh-CN');
    expect(zh).toMatch(/data-acknowledged="staff-zhou">✓ 已确认 acknowledged 2026-03-09 11:00/);
    expect(zh).toMatch(/data-handled="c-noise">✓ 2026-03-10 09:00 陈明/);
    expect(zh).toContain('已与寝室学生谈话');
    expect(zh).toContain('共 3 项，已处理 1 项，未处理 2 项。');
    expect(zh).toContain('报修 <span class="alt" lang="en">Repair</span>');
    expect(zh).toContain('学生公寓A栋 A101');
    const en = render('en');
    expect(en).toMatch(/✓ acknowledged 已确认 2026-03-09 11:00/);
    expect(en).toContain('Dormitory A, A101');
    expect(en).toContain('3 in all: 1 handled, 2 open.');
  });
});

describe('a digest stored before places were named reads with the directory’s names', () => {
  it('lines, follow-ups and repeat problems; a room without its floor too', () => {
    const staff = week.staff[0]!;
    const old: StaffDigest = { ...staff, cases: staff.cases.map(({ placeName: _, ...l }) => ({ ...l })) };
    expect(withPlaceNames(old, dir).cases[0]?.placeName).toEqual({
      zh: '学生公寓A栋 A101',
      en: 'Dormitory A, A101',
    });
    const items = dept.items.map(({ placeName: _, ...i }) => ({ ...i, place: 'bldg-a/A102' }));
    const oldDept: DepartmentDigest = { ...dept, items };
    expect(withPlaceNames(oldDept, dir).items[0]?.placeName).toEqual({
      zh: '学生公寓A栋 A102',
      en: 'Dormitory A, A102',
    });
    const a = week.buildings[0]!;
    const repeats = a.repeats.map(({ label: _, placeName: __, ...r }) => r);
    const oldSummary: AreaSummary = { ...a, repeats };
    const named = withPlaceNames(oldSummary, dir).repeats.find((r) => r.category === 'repair');
    expect(named?.label).toEqual({ zh: '报修', en: 'Repair' });
    expect(named?.placeName?.zh).toBe('学生公寓A栋 A101');
  });
});
