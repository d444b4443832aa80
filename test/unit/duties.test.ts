import { describe, expect, it } from 'vitest';
import { createCalendar, officialDays } from '../../domain/calendar.ts';
import {
  allWindowsOn,
  breakStarts,
  completionProblem,
  completionRatio,
  completionSchema,
  dueAndReminders,
  duties,
  dutyById,
  frequencies,
  isComplete,
  lastWorkingDayBefore,
  newOccurrence,
  occurrenceId,
  progressOf,
  windowsOn,
  type DutyCalendar,
  type DutyCompletion,
  type DutyDefinition,
} from '../../domain/duties.ts';
import { standardItem } from '../../domain/standards/catalogue.ts';
import { dutyCompletionKpi } from '../../domain/duty-kpi.ts';
import { schedulesFromEnv } from '../../infra/schedules.ts';

const TZ = 'Asia/Shanghai';
const terms = [
  { name: '2026秋', from: '2026-09-07', to: '2027-01-15' },
  { name: '2027春', from: '2027-02-22', to: '2027-07-02' },
  { name: '2027秋', from: '2027-08-30', to: '2028-01-14' },
];
const working = createCalendar();
const cal: DutyCalendar = {
  terms,
  holidays: [...officialDays(2026).holidays, '2027-01-01', '2027-01-02', '2027-01-03'],
  isWorkingDay: (d) => working.isWorkingDay(d),
};
const duty = (id: string): DutyDefinition => {
  const d = dutyById(id);
  if (!d) throw new Error(id);
  return d;
};
const done = (part: string, n = 1): DutyCompletion[] =>
  Array.from({ length: n }, () => ({ part, evidence: [], by: 'x', at: '2026-01-01T00:00:00Z' }));

describe('the duty catalogue', () => {
  it('covers every duty issue 16 names, each citing items the catalogue has', () => {
    expect(duties.map((d) => [d.id, d.items.join(' '), d.frequency])).toEqual([
      ['fire-drill', '6t.safety.1', 'yearly'],
      ['pre-break-safety-check', '6t.safety.3', 'before_break'],
      ['accommodation-verification', '6t.safety.6', 'term'],
      ['standing-posts', '6t.service.6 6t.management.5', 'daily'],
      ['daily-equipment-check', '6t.management.10', 'daily'],
      ['manager-round', '6t.management.7', 'daily'],
      ['cultural-activities', '6t.education.10', 'term'],
      ['student-forum', '6t.feedback.4', 'monthly'],
      ['morning-review', '6t.evaluation.5', 'daily'],
    ]);
    for (const d of duties) {
      for (const i of d.items) expect(standardItem(i), i).toBeDefined();
      expect(d.remindBefore.length).toBeGreaterThan(0);
      expect(d.dueTime).toMatch(/^\d\d:\d\d$/);
    }
    expect(new Set(duties.map((d) => d.id)).size).toBe(duties.length);
    expect(new Set(duties.map((d) => d.frequency))).toEqual(new Set(frequencies));
  });

  it('asks what the standard asks: three 30-minute posts, two postgraduate checks, three activities with plan and photos', () => {
    expect(duty('standing-posts').parts.map((p) => p.times)).toEqual([1, 1, 1]);
    expect(duty('standing-posts').minMinutes).toBe(30);
    expect(duty('accommodation-verification').parts).toMatchObject([
      { key: 'undergraduate', times: 1 },
      { key: 'postgraduate', times: 2 },
    ]);
    expect(duty('cultural-activities').parts).toMatchObject([{ times: 3 }]);
    expect(duty('cultural-activities').evidence).toEqual(['plan', 'photo']);
    expect(duty('daily-equipment-check').evidence).toEqual(['record']);
    expect(duty('morning-review').evidence).toEqual(['minutes']);
  });
});

describe('windows per frequency', () => {
  it('daily: the day itself', () => {
    expect(windowsOn(duty('manager-round'), '2026-12-04', cal)).toEqual([
      {
        dutyId: 'manager-round',
        period: '2026-12-04',
        periodLabel: { zh: '2026-12-04', en: '2026-12-04' },
        opens: '2026-12-04',
        dueDate: '2026-12-04',
      },
    ]);
  });

  it('monthly: first to last day, February and December included', () => {
    const f = duty('student-forum');
    expect(windowsOn(f, '2028-02-10', cal)[0]).toMatchObject({
      period: '2028-02',
      opens: '2028-02-01',
      dueDate: '2028-02-29',
    });
    expect(windowsOn(f, '2027-02-10', cal)[0]).toMatchObject({ dueDate: '2027-02-28' });
    expect(windowsOn(f, '2026-12-31', cal)[0]).toMatchObject({
      period: '2026-12',
      opens: '2026-12-01',
      dueDate: '2026-12-31',
    });
  });

  it('yearly: the calendar year', () => {
    expect(windowsOn(duty('fire-drill'), '2026-06-30', cal)[0]).toMatchObject({
      period: '2026',
      opens: '2026-01-01',
      dueDate: '2026-12-31',
    });
  });

  it('term: the term the day is in, none in a break, the next term after the boundary', () => {
    const a = duty('accommodation-verification');
    expect(windowsOn(a, '2027-01-15', cal)).toMatchObject([
      { period: 'term-2026-09-07', opens: '2026-09-07', dueDate: '2027-01-15' },
    ]);
    expect(windowsOn(a, '2027-01-16', cal)).toEqual([]);
    expect(windowsOn(a, '2027-02-21', cal)).toEqual([]);
    expect(windowsOn(a, '2027-02-22', cal)).toMatchObject([
      {
        period: 'term-2027-02-22',
        opens: '2027-02-22',
        dueDate: '2027-07-02',
        periodLabel: { zh: '2027春' },
      },
    ]);
    expect(windowsOn(a, '2026-08-01', { ...cal, terms: [] })).toEqual([]);
  });

  it('before a break: each holiday run and each term end, due the last working day before it', () => {
    const starts = breakStarts(cal);
    // National Day 2026 (10-01..10-08), New Year 2027, and the day after each term.
    expect(starts).toContain('2026-10-01');
    expect(starts).toContain('2027-01-01');
    expect(starts).toContain('2027-01-16');
    expect(starts).toContain('2027-07-03');
    expect(starts).not.toContain('2026-10-02');
    // The next term starts the day after? No break then.
    expect(
      breakStarts({ terms: [terms[0]!, { name: 'x', from: '2027-01-16', to: '2027-03-01' }], holidays: [] }),
    ).toEqual(['2027-03-02']);
    const check = duty('pre-break-safety-check');
    // 2026-10-01 is a Thursday; Wednesday 09-30 is the last working day.
    expect(windowsOn(check, '2026-09-30', cal)).toMatchObject([
      { period: 'break-2026-10-01', opens: '2026-09-24', dueDate: '2026-09-30' },
    ]);
    // Mid-Autumn (09-25) is its own break, just before.
    expect(windowsOn(check, '2026-09-24', cal)).toMatchObject([
      { period: 'break-2026-09-25' },
      { period: 'break-2026-10-01' },
    ]);
    expect(windowsOn(check, '2026-09-17', cal)).toEqual([]);
    expect(windowsOn(check, '2026-10-01', cal)).toEqual([]);
    // 2027-01-16 is a Saturday: due Friday 01-15, the last day of term.
    expect(windowsOn(check, '2027-01-15', cal)).toMatchObject([
      { period: 'break-2027-01-16', dueDate: '2027-01-15' },
    ]);
  });

  it('the last working day before a break skips weekends and holidays', () => {
    const w = (d: string) => working.isWorkingDay(d);
    expect(lastWorkingDayBefore('2026-12-07', w)).toBe('2026-12-04');
    expect(lastWorkingDayBefore('2026-12-04', w)).toBe('2026-12-03');
    expect(lastWorkingDayBefore('2026-12-10', () => false)).toBe('2026-12-09');
  });

  it('every duty has a window on a term day; term duties none in a break', () => {
    expect(new Set(allWindowsOn('2026-12-04', cal).map((w) => w.dutyId)).size).toBe(8);
    const inBreak = allWindowsOn('2027-02-01', cal).map((w) => w.dutyId);
    expect(inBreak).not.toContain('accommodation-verification');
    expect(inBreak).not.toContain('cultural-activities');
  });
});

describe('due times and reminders', () => {
  it('is due at the duty time on the due date, reminders before it and after it opens', () => {
    const r = dueAndReminders(duty('morning-review'), { opens: '2026-12-04', dueDate: '2026-12-04' }, TZ);
    expect(r).toEqual({
      opensAt: '2026-12-03T16:00:00.000Z',
      due: '2026-12-04T02:00:00.000Z',
      reminders: ['2026-12-04T01:00:00.000Z'],
    });
    // A 60-day reminder for a drill in a window that opened 30 days before is left out.
    const late = dueAndReminders(duty('fire-drill'), { opens: '2026-12-01', dueDate: '2026-12-31' }, TZ);
    expect(late.reminders).toEqual(['2026-12-17T10:00:00.000Z', '2026-12-29T10:00:00.000Z']);
    const year = dueAndReminders(duty('fire-drill'), { opens: '2026-01-01', dueDate: '2026-12-31' }, TZ);
    expect(year.reminders).toHaveLength(3);
    expect(year.reminders).toEqual([...year.reminders].sort());
  });

  it('a new occurrence carries its id, owners and empty progress', () => {
    const d = duty('standing-posts');
    const [w] = windowsOn(d, '2026-12-04', cal);
    const occ = newOccurrence(d, w!, { buildingId: 'bldg-a', ownerIds: ['s1'], supervisorIds: ['v1'] }, TZ);
    expect(occ.occurrenceId).toBe(occurrenceId('standing-posts', 'bldg-a', '2026-12-04'));
    expect(occ.occurrenceId).toBe('duty.standing-posts.bldg-a.2026-12-04');
    expect(occ.status).toBe('open');
    expect(occ.due).toBe('2026-12-04T13:00:00.000Z');
    expect(occ.progress.map((p) => `${p.key} ${p.done}/${p.times}`)).toEqual([
      'morning 0/1',
      'noon 0/1',
      'evening 0/1',
    ]);
  });
});

describe('completions', () => {
  const parse = (x: unknown) => completionSchema.parse(x);
  it('refuses a completion without its part, evidence or minutes, and says what is missing', () => {
    expect(completionProblem(duty('standing-posts'), parse({ minutes: 30 }))?.en).toMatch(/choose the part/);
    expect(completionProblem(duty('standing-posts'), parse({ part: 'night', minutes: 30 }))?.zh).toMatch(
      /请选择环节/,
    );
    expect(completionProblem(duty('standing-posts'), parse({ part: 'noon', minutes: 29 }))?.en).toMatch(
      /at least 30 minutes/,
    );
    expect(completionProblem(duty('standing-posts'), parse({ part: 'noon', minutes: 30 }))).toBeNull();
    expect(
      completionProblem(
        duty('cultural-activities'),
        parse({ evidence: [{ kind: 'plan', ref: 'plans/a.pdf' }] }),
      )?.en,
    ).toBe('evidence missing: photos (kind: photo)');
    expect(
      completionProblem(
        duty('cultural-activities'),
        parse({
          evidence: [
            { kind: 'plan', ref: 'plans/a.pdf' },
            { kind: 'photo', ref: 'p/1.jpg' },
          ],
        }),
      ),
    ).toBeNull();
    expect(completionProblem(duty('manager-round'), parse({}))).toBeNull();
    expect(() => parse({ evidence: [{ kind: 'video', ref: 'x' }] })).toThrow();
    expect(() => parse({ minutes: 0 })).toThrow();
  });

  it('counts progress per part and is complete only when every part is', () => {
    const a = duty('accommodation-verification');
    expect(isComplete(progressOf(a, [...done('undergraduate'), ...done('postgraduate')]))).toBe(false);
    expect(isComplete(progressOf(a, [...done('undergraduate'), ...done('postgraduate', 2)]))).toBe(true);
    expect(isComplete(progressOf(duty('cultural-activities'), done('activity', 2)))).toBe(false);
    expect(isComplete(progressOf(duty('cultural-activities'), done('activity', 3)))).toBe(true);
  });

  it('the completion ratio counts decided occurrences only', () => {
    expect(completionRatio([{ status: 'completed' }, { status: 'missed' }, { status: 'open' }])).toEqual({
      num: 1,
      den: 2,
    });
    expect(completionRatio([])).toEqual({ num: 0, den: 0 });
  });
});

describe('the duty completion KPI and the schedule', () => {
  it('is done over decided, targets every duty, cites seed 000, and is undecided with nothing due', () => {
    const k = dutyCompletionKpi([
      { status: 'completed' },
      { status: 'completed' },
      { status: 'missed' },
      { status: 'open' },
    ]);
    expect(k).toMatchObject({
      id: 'duty_completion_rate',
      value: 0.6667,
      numerator: 2,
      denominator: 3,
      target: 1,
      met: false,
    });
    expect(k.source).toMatch(/^seed 000: .*safety\.1.*evaluation\.5/);
    expect(dutyCompletionKpi([{ status: 'completed' }]).met).toBe(true);
    expect(dutyCompletionKpi([{ status: 'open' }])).toMatchObject({ value: null, met: null });
  });

  it('runs with the demo: the duty calendar every morning beside the daily rounds and the nightly zero report', () => {
    const specs = schedulesFromEnv({ CAMPUS_TZ: 'Asia/Shanghai' }, {});
    expect(specs.find((s) => s.scheduleId === 'rectify-duties')).toMatchObject({
      workflowType: 'dutyCalendar',
      cron: '0 6 * * *',
      timeZone: 'Asia/Shanghai',
      args: [{ timeZone: 'Asia/Shanghai' }],
    });
    expect(specs.find((s) => s.scheduleId === 'rectify-inspection-daily')?.workflowType).toBe(
      'inspectionRounds',
    );
    expect(specs.find((s) => s.scheduleId === 'rectify-zero-report')?.workflowType).toBe('zeroReportNight');
  });
});
