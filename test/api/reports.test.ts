import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackActivities } from '../../activities/feedback.ts';
import { markHandled, recordAck, saveTally } from '../../store/digests.ts';
import { surveyComment } from '../../domain/intake.ts';
import { addDays, localDate, localTimeToInstant } from '../../domain/calendar.ts';
import { tallyCases, type KpiValue } from '../../domain/kpi.ts';
import { weeklyMarksSchema } from '../../domain/weekly-marks.ts';
import { putCases } from '../support/feedback-harness.ts';
import { uniqueId } from '../support/stack.ts';
import { at, view } from '../support/views.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

// 2012-W10 (Monday 2012-03-05 to Sunday 2012-03-11, Shanghai) belongs to this file, and so do
// 2012-W12 (from Monday 2012-03-19), and 2099-W10 and 2099-W11 (from Monday 2099-03-02): weeks
// not over yet.
const WEEK = '2012-W10';
const MON = '2012-03-05T02:00:00.000Z';
const FUTURE_MON = '2099-03-02T02:00:00.000Z';
let stack: ApiStack;
const ids = {
  r1: uniqueId('R1'),
  r2: uniqueId('R2'),
  r3: uniqueId('R3'),
  r4: uniqueId('R4'),
  f1: uniqueId('F1'),
  f2: uniqueId('F2'),
  e1: uniqueId('E1'),
};

beforeAll(async () => {
  stack = await startApiStack();
  await putCases(stack.activityDeps, [
    view({
      caseId: ids.r1,
      openedAt: MON,
      deadlines: [
        ['analysing', 'met'],
        ['rectifying', 'met'],
      ],
      score: 5,
      closedAt: at(MON, 20),
    }),
    view({
      caseId: ids.r2,
      openedAt: at(MON, 1),
      severity: 'urgent',
      location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A103' },
      deadlines: [
        ['analysing', 'breached'],
        ['rectifying', 'met'],
      ],
      score: 3,
      closedAt: at(MON, 41),
    }),
    view({
      caseId: ids.r3,
      openedAt: at(MON, 2),
      source: 'complaint',
      location: { buildingId: 'bldg-b', roomId: 'B101' },
      deadlines: [['analysing', 'met']],
      score: 4,
      closedAt: at(MON, 12),
    }),
    view({
      caseId: ids.r4,
      openedAt: at(MON, 3),
      source: 'complaint',
      location: { buildingId: 'bldg-b', roomId: 'B102' },
      stage: 'rectifying',
      deadlines: [
        ['analysing', 'met'],
        ['rectifying', 'pending'],
      ],
    }),
  ]);
  await createFeedbackActivities(stack.activityDeps).buildWeeklyFeedback({
    week: WEEK,
    timeZone: 'Asia/Shanghai',
    workflowId: 'reports-api-test',
    lookbackDays: 30,
  });
});
afterAll(async () => {
  await stack?.stop();
});

const kpi = (body: { kpis: KpiValue[] }, id: string) => body.kpis.find((k) => k.id === id);

describe('GET /api/kpis', () => {
  it('gives every KPI with its target and the hand-computed value for the campus', async () => {
    const res = await call(stack.app, 'GET', '/api/kpis?from=2012-03-05&to=2012-03-11', { as: 'wg-chen' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cases: number; kpis: KpiValue[]; source: Record<string, number> };
    expect(body.cases).toBe(4);
    // 15, the etiquette satisfaction (育人 7) and the inspection pass rate of each of the six
    // dimensions, then the duty calendar's completion rate (no duties were due in 2012).
    expect(body.kpis).toHaveLength(23);
    expect(body.kpis.at(-1)).toMatchObject({
      id: 'duty_completion_rate',
      target: 1,
      value: null,
      denominator: 0,
    });
    expect(body.kpis.every((k) => 'target' in k && 'value' in k && 'met' in k)).toBe(true);
    expect(kpi(body, 'complaint_handling_rate')).toMatchObject({ value: 0.5, target: 1, met: false });
    // Every on-time rate cites the 6T items its limits come from, or says that no seed sets them.
    expect(kpi(body, 'on_time_analysing')?.cites).toEqual([
      '6t.evaluation.3',
      '6t.evaluation.1',
      '6t.evaluation.6',
      '6t.management.11',
    ]);
    expect(kpi(body, 'on_time_rectifying')?.cites).toEqual(['6t.management.11']);
    for (const id of ['on_time_awaiting_signoff', 'on_time_adjudicating', 'on_time_reviewing'])
      expect(kpi(body, id)?.source, id).toMatch(
        /^No standard sets a time limit for .*: the system's own default/,
      );
    // The guide by its title and sections, never a blanket claim for every limit.
    expect(kpi(body, 'on_time_analysing')?.source).toContain(
      'the School Logistics Management and Service Guide (standard edition), sections 3.2 and 3.4',
    );
    for (const k of body.kpis) expect(k.source, k.id).not.toMatch(/and related documents/);
    expect(kpi(body, 'repair_satisfaction')).toMatchObject({ value: 0.5, target: 0.9, met: false });
    expect(kpi(body, 'overall_satisfaction')).toMatchObject({ value: 0.6667, target: 0.85 });
    expect(kpi(body, 'general_repair_on_site_2h')).toMatchObject({ value: 1, met: true });
    expect(kpi(body, 'urgent_repair_on_site_30min')).toMatchObject({ value: 0, met: false });
    // r3 and r4, both in bldg-b: 2 valid complaints in 2012 to date, within 5 a year.
    expect(kpi(body, 'valid_complaints_per_building_year')).toMatchObject({
      numerator: 2,
      denominator: 2,
      value: 2,
      target: 5,
      met: true,
      period: { from: '2011-12-31T16:00:00.000Z', to: '2012-03-11T16:00:00.000Z' },
    });
    expect(kpi(body, 'average_time_to_close_hours')?.value).toBe(23.3333);
    expect(kpi(body, 'p90_time_to_close_hours')?.value).toBe(40);
    // r4 is still open, so the campus week is not settled: read from the index.
    expect(body.source).toEqual({ weeksFromCounters: 0, partsFromIndex: 1 });
  });

  it('takes a settled week from the stored counter, and a partial week from the index', async () => {
    const whole = await call(stack.app, 'GET', '/api/kpis?from=2012-03-05&to=2012-03-11&buildingId=bldg-a', {
      as: 'sup-wang',
    });
    const w = (await whole.json()) as { cases: number; source: Record<string, number>; kpis: KpiValue[] };
    expect(w.cases).toBe(2);
    expect(w.source).toEqual({ weeksFromCounters: 1, partsFromIndex: 0 });
    expect(kpi(w, 'valid_complaints_per_building_year')).toMatchObject({ value: 0, met: true });
    const part = await call(
      stack.app,
      'GET',
      '/api/kpis?from=2012-03-05T02:30:00Z&to=2012-03-11&buildingId=bldg-a',
      { as: 'sup-wang' },
    );
    const p = (await part.json()) as { cases: number; source: Record<string, number> };
    expect(p.cases).toBe(1);
    expect(p.source).toEqual({ weeksFromCounters: 0, partsFromIndex: 1 });
  });

  it('never takes a week not yet over as settled: cases opened later in it still count', async () => {
    const path = '/api/kpis?from=2099-03-02&to=2099-03-08&buildingId=bldg-a';
    const read = async () =>
      (await (await call(stack.app, 'GET', path, { as: 'wg-chen' })).json()) as {
        cases: number;
        source: Record<string, number>;
      };
    await putCases(stack.activityDeps, [
      view({ caseId: ids.f1, openedAt: FUTURE_MON, closedAt: at(FUTURE_MON, 2) }),
    ]);
    // Every case in it closed, but the week runs on: read from the index, nothing stored.
    expect(await read()).toMatchObject({ cases: 1, source: { weeksFromCounters: 0, partsFromIndex: 1 } });
    await putCases(stack.activityDeps, [
      view({ caseId: ids.f2, openedAt: at(FUTURE_MON, 30), closedAt: at(FUTURE_MON, 31) }),
    ]);
    expect(await read()).toMatchObject({ cases: 2, source: { weeksFromCounters: 0, partsFromIndex: 1 } });
  });

  it('counts the return-visit attitude score toward etiquette satisfaction, recounting an older stored week', async () => {
    // A plumbing repair rated on the tracking page: 服务态度 5, the work 3 (the case's score).
    const rated = view({
      caseId: ids.e1,
      openedAt: '2012-03-19T02:00:00.000Z',
      category: 'plumbing',
      followUp: {
        score: 3,
        comment: surveyComment({ attitude: 5, quality: 3, cleanup: 4 }),
        at: '2012-03-19T06:00:00.000Z',
        outcome: 'rated',
      },
      closedAt: '2012-03-19T06:00:00.000Z',
    });
    await putCases(stack.activityDeps, [rated]);
    // As the version before stored the settled week: the repair left out of the etiquette count.
    const { etiquetteFromAttitude: _, ...before } = tallyCases([rated]);
    await saveTally(
      stack.activityDeps,
      '2012-W12',
      'bldg-a',
      { ...before, etiquetteSatisfaction: { num: 0, den: 0 } },
      true,
    );
    const res = await call(stack.app, 'GET', '/api/kpis?from=2012-03-19&to=2012-03-25&buildingId=bldg-a', {
      as: 'wg-chen',
    });
    const body = (await res.json()) as { cases: number; kpis: KpiValue[]; source: Record<string, number> };
    expect(body).toMatchObject({ cases: 1, source: { weeksFromCounters: 0, partsFromIndex: 1 } });
    expect(kpi(body, 'etiquette_satisfaction')).toMatchObject({
      numerator: 1,
      denominator: 1,
      value: 1,
      met: true,
    });
    expect(kpi(body, 'repair_satisfaction')).toMatchObject({ numerator: 0, denominator: 1 });
  });

  it('ignores a tally stored as settled for a week not yet over', async () => {
    // As an earlier version stored it: three closed cases, then the week went on.
    const stale = tallyCases(
      [1, 2, 3].map((i) => view({ caseId: `stale-${i}`, openedAt: at(FUTURE_MON, 24 * 7 + i) })),
    );
    await saveTally(stack.activityDeps, '2099-W11', 'bldg-b', stale, true);
    const res = await call(stack.app, 'GET', '/api/kpis?from=2099-03-09&to=2099-03-15&buildingId=bldg-b', {
      as: 'wg-chen',
    });
    expect(await res.json()).toMatchObject({ cases: 0, source: { weeksFromCounters: 0, partsFromIndex: 1 } });
  });

  it('without from/to reads the dashboard’s period: the last 28 whole campus days up to and including today', async () => {
    const tz = stack.deps.env.CAMPUS_TZ;
    const today = localDate(new Date().toISOString(), tz);
    const res = await call(stack.app, 'GET', '/api/kpis', { as: 'wg-chen' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: string; to: string };
    // Not now − 28 × 24 h, which starts mid-morning of the day before the dashboard's first.
    expect(body.from).toBe(new Date(localTimeToInstant(addDays(today, -27), '00:00', tz)).toISOString());
    expect(body.to).toBe(new Date(localTimeToInstant(addDays(today, 1), '00:00', tz)).toISOString());
  });

  it.each([
    ['/api/kpis?from=2012-03-11&to=2012-03-05', 400, 'wg-chen'],
    ['/api/kpis?from=2010-01-01&to=2012-03-05', 400, 'wg-chen'],
    ['/api/kpis?from=yesterday', 400, 'wg-chen'],
    ['/api/kpis?from=0099-01-01&to=0099-01-02', 400, 'wg-chen'],
    ['/api/kpis?from=1999-12-31T00:00:00Z&to=2000-01-02', 400, 'wg-chen'],
    ['/api/kpis?from=2100-12-01&to=2101-01-02', 400, 'wg-chen'],
    ['/api/kpis?colour=red', 400, 'wg-chen'],
    ['/api/kpis?buildingId=bldg-z', 404, 'wg-chen'],
    ['/api/kpis', 403, 'sup-li'],
    ['/api/kpis?buildingId=bldg-a', 403, 'sup-li'],
    ['/api/kpis', 403, 'staff-zhou'],
    ['/api/kpis', 401, undefined],
  ])('%s → %i (%s)', async (path, status, as) => {
    const res = await call(stack.app, 'GET', path, { as });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { detail: string };
    expect(body.detail.length).toBeGreaterThan(10);
  });

  it('says a reversed or too long period in the caller’s language, field by field', async () => {
    const field = async (path: string) =>
      (
        (await (await call(stack.app, 'GET', path, { as: 'wg-chen' })).json()) as {
          errors: { message: string }[];
        }
      ).errors[0]?.message;
    expect(await field('/api/kpis?from=2012-03-11&to=2012-03-05')).toBe(
      '开始 from（2012-03-11）须早于结束 to（2012-03-05）',
    );
    expect(await field('/api/kpis?from=2012-03-11&to=2012-03-05&lang=en')).toBe(
      'from (2012-03-11) must be before to (2012-03-05)',
    );
    expect(await field('/api/kpis?from=2010-01-01&to=2012-03-05')).toMatch(/^所选时间范围共 \d+ 天$/);
  });

  it('names the field and the years it takes when a date is outside the calendar', async () => {
    const res = await call(stack.app, 'GET', '/api/kpis?from=0099-01-01&to=0099-01-02&lang=en', {
      as: 'wg-chen',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors).toEqual([
      { field: 'from', message: 'must fall in the years 2000 to 2100, like 2026-03-02' },
      { field: 'to', message: 'must fall in the years 2000 to 2100, like 2026-03-02' },
    ]);
  });

  it('tells a supervisor which building to ask for', async () => {
    const res = await call(stack.app, 'GET', '/api/kpis?lang=en', { as: 'sup-li' });
    expect(((await res.json()) as { detail: string }).detail).toContain(
      'buildingId= for a building you supervise (area-canteen-1, area-north-gate, bldg-b)',
    );
    expect((await call(stack.app, 'GET', '/api/kpis?buildingId=bldg-b', { as: 'sup-li' })).status).toBe(200);
  });
});

describe('GET /api/reports/weekly', () => {
  it('says what a week must look like, in Chinese by default and in English on request', async () => {
    const zh = await call(stack.app, 'GET', '/api/reports/weekly?week=2026-W99', { as: 'sup-wang' });
    expect(zh.status).toBe(400);
    const zhBody = (await zh.json()) as { errors?: { field: string; message: string }[] };
    expect(zhBody.errors?.[0]).toMatchObject({ field: 'week' });
    expect(zhBody.errors?.[0]?.message).toContain('须为 ISO 周');
    const en = (await (
      await call(stack.app, 'GET', '/api/reports/weekly?week=2026-W99&lang=en', { as: 'sup-wang' })
    ).json()) as { errors?: { message: string }[] };
    expect(en.errors?.[0]?.message).toContain('week must be an ISO week');
  });

  it('returns the stored building summary as JSON with the week’s figures', async () => {
    const res = await call(stack.app, 'GET', `/api/reports/weekly?week=${WEEK}&buildingId=bldg-a`, {
      as: 'sup-wang',
    });
    expect(res.status).toBe(200);
    const s = (await res.json()) as {
      week: string;
      counts: Record<string, number>;
      kpis: unknown[];
      cases: { caseId: string }[];
    };
    expect(s.week).toBe(WEEK);
    expect(s.counts).toMatchObject({ opened: 2, closed: 2, late: 1, ratings: 2, satisfied: 1 });
    // The catalogue's 22 and the duty completion rate from the duty calendar.
    expect(s.kpis).toHaveLength(23);
    expect(s.cases.map((c) => c.caseId).sort()).toEqual([ids.r1, ids.r2].sort());
  });

  it('renders a page with tables and charts for a browser', async () => {
    const requests: { path: string; headers: Record<string, string> }[] = [
      { path: `/api/reports/weekly?week=${WEEK}`, headers: { accept: 'text/html,application/xhtml+xml' } },
      { path: `/api/reports/weekly?week=${WEEK}&format=html`, headers: {} },
    ];
    for (const req of requests) {
      const res = await call(stack.app, 'GET', req.path, { as: 'lead-huang', headers: req.headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('<svg');
      expect(html).toMatch(/<table[ >]/);
      expect(html).toContain('全校 周报');
      expect(html).toContain('Weekly summary');
      expect(html).toContain('维修满意率');
      expect(html).toContain(ids.r4);
      expect(html).toContain('学生公寓A栋');
    }
  });

  it('shows who acknowledged their digest and which department follow-ups were handled, when, by whom and how', async () => {
    const store = { ddb: stack.activityDeps.ddb, tables: stack.activityDeps.tables };
    // r4, a complaint in B102 (ME's students) still open; r3 in B101 too, closed in the week.
    await recordAck(store, WEEK, {
      personId: 'staff-zhou',
      at: '2012-03-12T03:00:00.000Z',
      via: 'link',
      textHash: 'h',
    });
    await markHandled(store, WEEK, {
      departmentId: 'me',
      caseId: ids.r4,
      by: 'dept-me',
      at: '2012-03-13T02:30:00.000Z',
      textHash: 'h',
      note: '已约谈寝室学生',
    });
    const res = await call(stack.app, 'GET', `/api/reports/weekly?week=${WEEK}&buildingId=bldg-b`, {
      as: 'wg-chen',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { feedback?: unknown };
    const feedback = weeklyMarksSchema.parse(body.feedback);
    expect(feedback.followUps.map((f) => [f.caseId, f.handled])).toEqual([
      [ids.r3, null],
      [ids.r4, { at: '2012-03-13T02:30:00.000Z', by: 'dept-me', note: '已约谈寝室学生' }],
    ]);
    expect(feedback.followUps[0]?.place.zh).toBe('学生公寓B栋 B101');
    const campus = weeklyMarksSchema.parse(
      (
        (await (
          await call(stack.app, 'GET', `/api/reports/weekly?week=${WEEK}`, { as: 'wg-chen' })
        ).json()) as {
          feedback?: unknown;
        }
      ).feedback,
    );
    expect(campus.acknowledgements.find((a) => a.personId === 'staff-zhou')?.acknowledgedAt).toBe(
      '2012-03-12T03:00:00.000Z',
    );
    const html = await (
      await call(stack.app, 'GET', `/api/reports/weekly?week=${WEEK}&format=html`, { as: 'wg-chen' })
    ).text();
    expect(html).toContain('data-acknowledged="staff-zhou">✓ 已确认 acknowledged 2012-03-12 11:00');
    expect(html).toContain(`data-handled="${ids.r4}">✓ 2012-03-13 10:30 机械学院联络人`);
    expect(html).toContain('已约谈寝室学生');
  });

  it.each([
    [`/api/reports/weekly?week=2012-W60`, 400, 'wg-chen'],
    [`/api/reports/weekly?week=2012-10`, 400, 'wg-chen'],
    [`/api/reports/weekly?week=2011-W10`, 404, 'wg-chen'],
    [`/api/reports/weekly?week=${WEEK}&buildingId=bldg-z`, 404, 'wg-chen'],
    [`/api/reports/weekly?week=${WEEK}`, 403, 'sup-wang'],
    [`/api/reports/weekly?week=${WEEK}&buildingId=bldg-b`, 403, 'sup-wang'],
    [`/api/reports/weekly?week=${WEEK}`, 401, undefined],
  ])('%s → %i (%s)', async (path, status, as) => {
    const res = await call(stack.app, 'GET', path, { as });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
