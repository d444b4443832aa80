import { describe, expect, it } from 'vitest';
import type { CaseAction } from '../../domain/case-action.ts';
import {
  clockIds,
  clockLabel,
  clockRules,
  clockStatus,
  clockStatuses,
  heldDue,
  heldFor,
  MAX_PAUSE_MS,
  openPause,
  pausedWithin,
  pauseHoldsStage,
  pauseReasons,
  pauseSpan,
  stageOnHold,
  tallyClocks,
  type CaseClock,
  type ClockFacts,
  type PauseRecord,
} from '../../domain/case-clocks.ts';
import { createCalendar, durationMs, localTimeToInstant } from '../../domain/calendar.ts';
import { severities, sources, timedStages } from '../../domain/sla.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-02T01:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const clock = (over: Partial<CaseClock> = {}): CaseClock => ({
  id: 'on_site_arrival',
  label: { zh: '到场', en: 'Arrival' },
  seed: '000',
  limit: { unit: 'hours', amount: 2 },
  metBy: ['arrived'],
  startedAt: iso(T0),
  due: iso(T0 + 2 * HOUR),
  approximate: false,
  ...over,
});
const entry = (ms: number, action: CaseAction) => ({ at: iso(ms), action });
const approved = (from: number, opts: Partial<PauseRecord> = {}): PauseRecord => ({
  n: 1,
  reason: 'waiting_for_parts',
  note: '',
  requestedBy: 'staff-zhou',
  requestedAt: iso(from - MIN),
  state: 'approved',
  decidedBy: 'sup-wang',
  decidedAt: iso(from),
  endsBy: iso(from + MAX_PAUSE_MS.waiting_for_parts),
  ...opts,
});
const facts = (over: Partial<ClockFacts> = {}): ClockFacts => ({ clocks: [clock()], timeline: [], ...over });

describe('clockRules: which clocks a case runs under (seeds 000, 002)', () => {
  it.each(sources.flatMap((source) => severities.map((severity) => [source, severity] as const)))(
    '%s / %s',
    (source, severity) => {
      const ids = clockRules({ source, severity }).map((r) => r.id);
      const expected: string[] = [];
      if (source === 'repair') expected.push('on_site_arrival', 'small_repair_done');
      if (source === 'complaint')
        expected.push(
          severity === 'routine' ? 'complaint_response' : 'complaint_handled',
          'complaint_investigation',
          'complaint_written_result',
        );
      if (source === 'evaluation') expected.push('evaluation_measures');
      if (severity === 'major') expected.push('leadership_report');
      expect(ids).toEqual(expected);
    },
  );

  it('gives the seeds’ limits', () => {
    const limit = (source: (typeof sources)[number], severity: (typeof severities)[number], id: string) =>
      clockRules({ source, severity }).find((r) => r.id === id)?.limit;
    expect(durationMs(limit('repair', 'urgent', 'on_site_arrival')!)).toBe(30 * MIN);
    expect(durationMs(limit('repair', 'major', 'on_site_arrival')!)).toBe(30 * MIN);
    expect(durationMs(limit('repair', 'routine', 'on_site_arrival')!)).toBe(2 * HOUR);
    expect(durationMs(limit('repair', 'routine', 'small_repair_done')!)).toBe(24 * HOUR);
    expect(durationMs(limit('complaint', 'routine', 'complaint_response')!)).toBe(24 * HOUR);
    expect(durationMs(limit('complaint', 'major', 'complaint_handled')!)).toBe(48 * HOUR);
    expect(limit('complaint', 'routine', 'complaint_investigation')).toEqual({
      unit: 'working_days',
      amount: 3,
    });
    expect(limit('complaint', 'major', 'complaint_written_result')).toEqual({
      unit: 'working_days',
      amount: 5,
    });
    expect(limit('evaluation', 'routine', 'evaluation_measures')).toEqual({
      unit: 'working_days',
      amount: 15,
    });
    expect(durationMs(limit('inspection', 'major', 'leadership_report')!)).toBe(48 * HOUR);
  });

  it('every rule names its seed and quotes it, and every clock id has a label', () => {
    for (const source of sources)
      for (const severity of severities)
        for (const r of clockRules({ source, severity })) {
          expect(['000', '002']).toContain(r.seed);
          expect(r.quote.length).toBeGreaterThan(10);
          expect(r.metBy.length).toBeGreaterThan(0);
        }
    for (const id of clockIds) expect(clockLabel(id).zh).not.toBe(id);
  });

  it('words each English label without a colon: the pages follow it with ": <due>"', () => {
    for (const source of sources)
      for (const severity of severities)
        for (const r of clockRules({ source, severity })) expect(r.label.en, r.id).not.toContain(':');
    for (const id of clockIds) expect(clockLabel(id).en, id).not.toContain(':');
    expect(clockRules({ source: 'repair', severity: 'routine' })[0]?.label.en).toBe(
      'General repair, on site within 2 hours',
    );
  });
});

describe('a clock planned with an older wording', () => {
  it('reads with the rules’ wording now; a clock no rule has keeps its own', () => {
    const older = clock({
      label: { zh: '一般维修2小时内到场', en: 'General repair: on site within 2 hours' },
    });
    expect(clockStatus(older, facts({ clocks: [older] }), T0).label).toEqual({
      zh: '一般维修2小时内到场',
      en: 'General repair, on site within 2 hours',
    });
    const urgent = clock({
      label: { zh: '急修', en: 'Urgent repair: on site' },
      limit: { unit: 'minutes', amount: 30 },
    });
    expect(clockStatus(urgent, facts({ clocks: [urgent] }), T0).label.en).toBe(
      'Urgent repair, on site within 30 minutes',
    );
    const unknown = clock({ limit: { unit: 'hours', amount: 3 } });
    expect(clockStatus(unknown, facts({ clocks: [unknown] }), T0).label).toEqual({
      zh: '到场',
      en: 'Arrival',
    });
  });
});

describe('clockStatus', () => {
  it('pending before the due, breached after it, met when its action comes in time', () => {
    expect(clockStatus(clock(), facts(), T0 + HOUR).state).toBe('pending');
    expect(clockStatus(clock(), facts(), T0 + 2 * HOUR).state).toBe('pending');
    expect(clockStatus(clock(), facts(), T0 + 2 * HOUR + 1).state).toBe('breached');
    const metOnTime = facts({ timeline: [entry(T0 + 2 * HOUR, 'arrived')] });
    expect(clockStatus(clock(), metOnTime, T0 + 9 * HOUR)).toMatchObject({
      state: 'met',
      metAt: iso(T0 + 2 * HOUR),
    });
    const late = facts({ timeline: [entry(T0 + 2 * HOUR + 1, 'arrived')] });
    expect(clockStatus(clock(), late, T0 + 9 * HOUR).state).toBe('breached');
  });

  it('only the rule’s own actions meet it; the first one counts', () => {
    const other = facts({ timeline: [entry(T0 + MIN, 'commented')] });
    expect(clockStatus(clock(), other, T0 + 3 * HOUR).state).toBe('breached');
    const twoOf = clock({ metBy: ['arrived', 'root_cause_submitted'] });
    const f = facts({ timeline: [entry(T0 + MIN, 'root_cause_submitted'), entry(T0 + 3 * HOUR, 'arrived')] });
    expect(clockStatus(twoOf, f, T0 + 4 * HOUR)).toMatchObject({ state: 'met', metAt: iso(T0 + MIN) });
  });

  it('the on-site clock is met by the repair report at the latest, and a failed review does not take that back', () => {
    const reported = facts({ timeline: [entry(T0 + HOUR, 'rectification_reported')] });
    expect(clockStatus(clock(), reported, T0 + 6 * HOUR)).toMatchObject({
      state: 'met',
      metAt: iso(T0 + HOUR),
    });
    const failed = facts({ timeline: [...reported.timeline, entry(T0 + 5 * HOUR, 'review_failed')] });
    expect(clockStatus(clock(), failed, T0 + 6 * HOUR)).toMatchObject({
      state: 'met',
      metAt: iso(T0 + HOUR),
    });
    // Reported after the limit: the technician was there by then at the latest, so it is late.
    const lateReport = facts({ timeline: [entry(T0 + 3 * HOUR, 'rectification_reported')] });
    expect(clockStatus(clock(), lateReport, T0 + 6 * HOUR).state).toBe('breached');
    // An arrival recorded first is what counts.
    const both = facts({
      timeline: [entry(T0 + MIN, 'arrived'), entry(T0 + 3 * HOUR, 'rectification_reported')],
    });
    expect(clockStatus(clock(), both, T0 + 6 * HOUR)).toMatchObject({ state: 'met', metAt: iso(T0 + MIN) });
  });

  it('a repair whose review failed was not done: the clock runs on to the rectification that stands', () => {
    const repair = clock({
      id: 'small_repair_done',
      limit: { unit: 'hours', amount: 24 },
      metBy: ['rectification_reported'],
      due: iso(T0 + 24 * HOUR),
    });
    const failed = facts({
      timeline: [entry(T0 + 2 * HOUR, 'rectification_reported'), entry(T0 + 5 * HOUR, 'review_failed')],
    });
    expect(clockStatus(repair, failed, T0 + 6 * HOUR).state).toBe('pending');
    expect(clockStatus(repair, failed, T0 + 25 * HOUR).state).toBe('breached');
    const redoneInTime = facts({
      timeline: [
        ...failed.timeline,
        entry(T0 + 8 * HOUR, 'rectification_reported'),
        entry(T0 + 9 * HOUR, 'review_passed'),
      ],
    });
    expect(clockStatus(repair, redoneInTime, T0 + 30 * HOUR)).toMatchObject({
      state: 'met',
      metAt: iso(T0 + 8 * HOUR),
    });
    const redoneLate = facts({
      timeline: [...failed.timeline, entry(T0 + 26 * HOUR, 'rectification_reported')],
    });
    expect(clockStatus(repair, redoneLate, T0 + 30 * HOUR).state).toBe('breached');
    // A failed review takes back only the rectification, not another clock's step.
    const arrived = facts({ timeline: [entry(T0 + HOUR, 'arrived'), entry(T0 + 5 * HOUR, 'review_failed')] });
    expect(clockStatus(clock(), arrived, T0 + 6 * HOUR).state).toBe('met');
  });

  it('an approved pause moves the due on by its length', () => {
    const f = facts({ pauses: [approved(T0 + HOUR, { state: 'ended', endedAt: iso(T0 + 4 * HOUR) })] });
    const s = clockStatus(clock(), f, T0 + 4 * HOUR + 30 * MIN);
    expect(s).toMatchObject({
      state: 'pending',
      pausedMs: 3 * HOUR,
      due: iso(T0 + 5 * HOUR),
      plannedDue: iso(T0 + 2 * HOUR),
    });
    expect(clockStatus(clock(), f, T0 + 5 * HOUR + 1).state).toBe('breached');
    // An arrival that would have been late without the pause is in time with it.
    const arrived = { ...f, timeline: [entry(T0 + 4 * HOUR + 50 * MIN, 'arrived')] };
    expect(clockStatus(clock(), arrived, T0 + 9 * HOUR).state).toBe('met');
  });

  it('a running pause holds the clock up to now; a pause past its maximum stops counting there', () => {
    const running = facts({ pauses: [approved(T0 + HOUR)] });
    expect(clockStatus(clock(), running, T0 + 30 * HOUR)).toMatchObject({
      state: 'pending',
      pausedMs: 29 * HOUR,
    });
    const capped = facts({ pauses: [approved(T0 + HOUR, { endsBy: iso(T0 + 3 * HOUR) })] });
    expect(clockStatus(clock(), capped, T0 + 30 * HOUR)).toMatchObject({
      state: 'breached',
      pausedMs: 2 * HOUR,
    });
  });

  it('requested and rejected pauses do not count; a pause begun after the breach does not undo it', () => {
    const req = facts({ pauses: [approved(T0 + HOUR, { state: 'requested', decidedAt: undefined })] });
    expect(clockStatus(clock(), req, T0 + 3 * HOUR).state).toBe('breached');
    const rej = facts({ pauses: [approved(T0 + HOUR, { state: 'rejected' })] });
    expect(clockStatus(clock(), rej, T0 + 3 * HOUR).state).toBe('breached');
    const after = facts({ pauses: [approved(T0 + 3 * HOUR)] });
    expect(clockStatus(clock(), after, T0 + 4 * HOUR)).toMatchObject({ state: 'breached', pausedMs: 0 });
  });

  it('a pause after the clock was met changes nothing; a pause before the report counts from the report', () => {
    const f = facts({ timeline: [entry(T0 + HOUR, 'arrived')], pauses: [approved(T0 + 90 * MIN)] });
    expect(clockStatus(clock(), f, T0 + 9 * HOUR)).toMatchObject({ state: 'met', pausedMs: 0 });
    const early = facts({ pauses: [approved(T0 - HOUR, { state: 'ended', endedAt: iso(T0 + HOUR) })] });
    expect(clockStatus(clock(), early, T0 + 2 * HOUR + 30 * MIN)).toMatchObject({
      state: 'pending',
      pausedMs: HOUR,
    });
  });

  it('a case that ended stops its clocks: unmet and not yet due is cancelled, overdue is breached', () => {
    expect(clockStatus(clock(), facts({ closedAt: iso(T0 + HOUR) }), T0 + 9 * HOUR).state).toBe('cancelled');
    expect(clockStatus(clock(), facts({ closedAt: iso(T0 + 3 * HOUR) }), T0 + 9 * HOUR).state).toBe(
      'breached',
    );
    const met = facts({ closedAt: iso(T0 + HOUR), timeline: [entry(T0 + 30 * MIN, 'arrived')] });
    expect(clockStatus(clock(), met, T0 + 9 * HOUR).state).toBe('met');
  });

  it('a case without clocks (opened before them) has none', () => {
    expect(clockStatuses({ timeline: [] }, T0)).toEqual([]);
  });
});

describe('pauses', () => {
  it('openPause finds the one requested or approved; pauseSpan and pausedWithin measure approved time', () => {
    expect(openPause(undefined)).toBeUndefined();
    const ended = approved(T0, { state: 'ended', endedAt: iso(T0 + HOUR) });
    const running = approved(T0 + 2 * HOUR, { n: 2 });
    expect(openPause([ended, running])).toBe(running);
    expect(pauseSpan(ended, T0 + 9 * HOUR)).toEqual({ from: T0, to: T0 + HOUR });
    expect(pauseSpan(running, T0 + 3 * HOUR)).toEqual({ from: T0 + 2 * HOUR, to: T0 + 3 * HOUR });
    expect(pauseSpan(approved(T0, { state: 'rejected' }), T0 + HOUR)).toBeUndefined();
    expect(pausedWithin([ended, running], T0 + 30 * MIN, T0 + 150 * MIN)).toBe(60 * MIN);
  });

  it('heldFor: a pause moves a limit on by its part after the limit began, nothing once it ran out', () => {
    const due = T0 + 2 * HOUR;
    // Inside the limit: all of it.
    expect(heldFor({ from: T0 + HOUR, to: T0 + 3 * HOUR }, T0, due)).toBe(2 * HOUR);
    // Begun before the limit began (a stage entered during the pause): only from the start.
    expect(heldFor({ from: T0 - HOUR, to: T0 + 30 * MIN }, T0, due)).toBe(30 * MIN);
    // Begun at or after the due: a breach is not undone.
    expect(heldFor({ from: due, to: due + HOUR }, T0, due)).toBe(0);
    expect(heldFor({ from: due + MIN, to: due + HOUR }, T0, due)).toBe(0);
    // Cut at the stop (a clock met during the pause).
    expect(heldFor({ from: T0 + HOUR, to: T0 + 3 * HOUR }, T0, due, T0 + 90 * MIN)).toBe(30 * MIN);
    // Ended before it began: nothing.
    expect(heldFor({ from: T0 - 2 * HOUR, to: T0 - HOUR }, T0, due)).toBe(0);
  });

  it('heldDue: a working-day stage moves on by the working time the pause took, others by its clock length', () => {
    const tz = 'Asia/Shanghai';
    const at = (date: string, time: string) => localTimeToInstant(date, time, tz);
    const calendar = createCalendar();
    const working = { timeZone: tz, isWorkingDay: (d: string) => calendar.isWorkingDay(d) };
    // One working day from Thursday 10:00: due Friday 18:00 (working hours 08:00-20:00).
    const d = { startedAt: at('2026-11-05', '10:00'), due: at('2026-11-06', '18:00') };
    const span = (a: string, b: string) => ({ from: Date.parse(a), to: Date.parse(b) });
    // Paused Thursday 12:00-16:00: four working hours. By clock the due would land at Friday 22:00,
    // after working hours, and give nothing; in working time it is Monday 10:00.
    const day = span(at('2026-11-05', '12:00'), at('2026-11-05', '16:00'));
    expect(heldDue(d, day)).toEqual({ due: at('2026-11-06', '22:00'), movedMs: 4 * HOUR });
    expect(heldDue(d, day, working)?.due).toBe(at('2026-11-09', '10:00'));
    // Paused over the weekend only (a stage that ran on into it): no working time held, the due stays.
    const late = { startedAt: at('2026-11-06', '10:00'), due: at('2026-11-09', '18:00') };
    const weekend = span(at('2026-11-07', '09:00'), at('2026-11-08', '20:00'));
    expect(heldDue(late, weekend, working)).toBeUndefined();
    expect(heldDue(late, weekend)?.movedMs).toBe(35 * HOUR);
    // Nothing held (begun after the due): nothing either way.
    expect(heldDue(d, span(at('2026-11-06', '19:00'), at('2026-11-06', '21:00')), working)).toBeUndefined();
  });

  it('stageOnHold: only a running pause approved to hold the stage, in a stage the staff work in', () => {
    expect(timedStages.filter(pauseHoldsStage)).toEqual([
      'analysing',
      'awaiting_signoff',
      'adjudicating',
      'rectifying',
      'reviewing',
    ]);
    const holding = approved(T0, { holdsStage: true });
    const pending = { stage: 'rectifying' as const, due: iso(T0 + HOUR), state: 'pending' };
    expect(stageOnHold([holding], pending)).toBe(true);
    expect(stageOnHold([holding], { ...pending, stage: 'follow_up' })).toBe(false);
    // A deadline already missed or met is not held back.
    expect(stageOnHold([holding], { ...pending, state: 'breached' })).toBe(false);
    expect(stageOnHold([holding], { ...pending, state: 'met' })).toBe(false);
    // Approved only as the deadline ran out (the approval and the breach in one task): not held.
    expect(stageOnHold([holding], { ...pending, due: iso(T0) })).toBe(false);
    // Approved before pauses held stages: the clocks alone.
    expect(stageOnHold([approved(T0)], pending)).toBe(false);
    expect(stageOnHold([{ ...holding, state: 'ended', endedAt: iso(T0 + HOUR) }], pending)).toBe(false);
    expect(stageOnHold([{ ...holding, state: 'requested' }], pending)).toBe(false);
    expect(stageOnHold(undefined, pending)).toBe(false);
  });

  it('every reason has a maximum of days, not weeks', () => {
    for (const r of pauseReasons) {
      expect(MAX_PAUSE_MS[r]).toBeGreaterThanOrEqual(24 * HOUR);
      expect(MAX_PAUSE_MS[r]).toBeLessThanOrEqual(7 * 24 * HOUR);
    }
  });
});

describe('tallyClocks', () => {
  it('counts each clock’s states over cases, in the catalogue’s order', () => {
    const small = clock({
      id: 'small_repair_done',
      metBy: ['rectification_reported'],
      due: iso(T0 + 24 * HOUR),
    });
    const views: ClockFacts[] = [
      { clocks: [clock(), small], timeline: [entry(T0 + HOUR, 'arrived')] },
      { clocks: [small, clock()], timeline: [] },
      { timeline: [] },
    ];
    expect(tallyClocks(views, T0 + 3 * HOUR)).toEqual([
      { id: 'on_site_arrival', met: 1, breached: 1, pending: 0, cancelled: 0 },
      { id: 'small_repair_done', met: 0, breached: 0, pending: 2, cancelled: 0 },
    ]);
  });
});
