import { describe, expect, it } from 'vitest';
import type { CaseClock, ClockId } from '../../domain/case-clocks.ts';
import type { CaseView, TimelineEntry } from '../../domain/case-model.ts';
import { complaintHandling } from '../../domain/complaint-handling.ts';
import { computeKpis, mergeTallies, tallyCases, type KpiValue } from '../../domain/kpi.ts';
import { at, view } from '../support/views.ts';

const T0 = '2026-03-02T01:00:00.000Z';
const ms = (hours: number) => Date.parse(at(T0, hours));

const clock = (id: ClockId, dueHours: number): CaseClock => ({
  id,
  label: { zh: id, en: id },
  seed: '002',
  limit: { unit: 'hours', amount: dueHours },
  metBy: id === 'complaint_response' ? ['arrived', 'root_cause_submitted'] : ['review_passed'],
  startedAt: T0,
  due: at(T0, dueHours),
  approximate: false,
});
// A routine complaint: respond within 24 hours, written result by the fifth working day (120 h here).
const routineClocks = () => [clock('complaint_response', 24), clock('complaint_written_result', 120)];
const step = (action: TimelineEntry['action'], hours: number): TimelineEntry => ({
  at: at(T0, hours),
  actorId: 'staff-zhou',
  action,
  stage: 'reviewing',
  round: 1,
});

const complaint = (caseId: string, extra: Partial<CaseView> = {}): CaseView => ({
  ...view({ caseId, openedAt: T0, source: 'complaint', stage: 'analysing' }),
  clocks: routineClocks(),
  pauses: [],
  ...extra,
});

const answeredInTime = complaint('in-time', {
  stage: 'follow_up',
  timeline: [step('review_passed', 30)],
});
const answeredLate = complaint('late', {
  stage: 'closed',
  closedAt: at(T0, 200),
  timeline: [step('review_passed', 150)],
});
const openWithin = complaint('open-within');
const openPast = complaint('open-past', { stage: 'rectifying' });
const withdrawn = complaint('withdrawn', { stage: 'withdrawn', closedAt: at(T0, 2) });
// Answered in time, then reopened by a low follow-up score: the complainant had the answer.
const reopened = complaint('reopened', {
  stage: 'rectifying',
  timeline: [step('review_passed', 30), step('follow_up_low_score', 40)],
});

describe('complaintHandling', () => {
  it('a complaint answered in time is handled', () => {
    expect(complaintHandling(answeredInTime, ms(31))).toBe('handled');
    expect(complaintHandling(answeredInTime, ms(500))).toBe('handled');
  });

  it('a complaint answered after its deadline is still handled (its lateness is the clock’s KPI)', () => {
    expect(complaintHandling(answeredLate, ms(300))).toBe('handled');
  });

  it('an open complaint within its answer deadline is undecided, whatever its 24-hour response clock says', () => {
    expect(complaintHandling(openWithin, ms(0.1))).toBe('undecided');
    expect(complaintHandling(openWithin, ms(119))).toBe('undecided');
  });

  it('an open complaint is missed once its answer deadline has passed unanswered', () => {
    expect(complaintHandling(openPast, ms(120.01))).toBe('missed');
    expect(complaintHandling(openPast, ms(1000))).toBe('missed');
  });

  it('a withdrawn complaint was answered (found invalid), even before any deadline', () => {
    expect(complaintHandling(withdrawn, ms(3))).toBe('handled');
    expect(complaintHandling(withdrawn, ms(1000))).toBe('handled');
  });

  it('a closed complaint is handled', () => {
    expect(complaintHandling(complaint('closed', { stage: 'closed', closedAt: at(T0, 5) }), ms(6))).toBe(
      'handled',
    );
  });

  it('a complaint reopened after an answer in time stays handled', () => {
    expect(complaintHandling(reopened, ms(500))).toBe('handled');
  });

  it('a major complaint is missed once its 48-hour limit passes, before the written-result limit', () => {
    const major = complaint('major', {
      severity: 'major',
      clocks: [clock('complaint_handled', 48), clock('complaint_written_result', 120)],
    });
    expect(complaintHandling(major, ms(47))).toBe('undecided');
    expect(complaintHandling(major, ms(49))).toBe('missed');
  });

  it('a pause that held the answer clock moves its deadline on', () => {
    const paused = complaint('paused', {
      pauses: [
        {
          n: 1,
          reason: 'outside_contractor',
          note: '',
          requestedBy: 'staff-zhou',
          requestedAt: at(T0, 10),
          state: 'ended',
          decidedBy: 'sup-wang',
          decidedAt: at(T0, 10),
          endedAt: at(T0, 34),
          endedHow: 'resumed',
        },
      ],
    });
    expect(complaintHandling(paused, ms(130))).toBe('undecided');
    expect(complaintHandling(paused, ms(145))).toBe('missed');
  });

  it('a complaint opened before clocks is judged on its staff stage deadlines', () => {
    const old = (deadlines: Parameters<typeof view>[0]['deadlines']) =>
      view({ caseId: 'old', openedAt: T0, source: 'complaint', stage: 'rectifying', deadlines });
    expect(
      complaintHandling(
        old([
          ['analysing', 'met', 1],
          ['rectifying', 'pending', 10],
        ]),
        ms(5),
      ),
    ).toBe('undecided');
    // Past due before the breach is recorded, or recorded as breached.
    expect(
      complaintHandling(
        old([
          ['analysing', 'met', 1],
          ['rectifying', 'pending', 10],
        ]),
        ms(12),
      ),
    ).toBe('missed');
    expect(complaintHandling(old([['analysing', 'breached', 3]]), ms(4))).toBe('missed');
    // The follow-up is the reporter's time: its lapse is not the staff's missed answer.
    expect(
      complaintHandling(
        view({
          caseId: 'old-fu',
          openedAt: T0,
          source: 'complaint',
          stage: 'follow_up',
          deadlines: [['follow_up', 'pending', 1]],
        }),
        ms(100),
      ),
    ).toBe('handled');
  });
});

const rate = (kpis: KpiValue[]) => kpis.find((k) => k.id === 'complaint_handling_rate');

describe('the complaint handling rate', () => {
  it('two complaints opened minutes ago are not yet decided: no value, no verdict', () => {
    const fresh = [complaint('a'), complaint('b')];
    expect(rate(computeKpis(tallyCases(fresh, ms(0.2)), { buildings: 1 }))).toMatchObject({
      value: null,
      numerator: 0,
      denominator: 0,
      met: null,
    });
    // Past the answer deadline, still unanswered: both missed.
    expect(rate(computeKpis(tallyCases(fresh, ms(121)), { buildings: 1 }))).toMatchObject({
      value: 0,
      numerator: 0,
      denominator: 2,
      met: false,
    });
  });

  it('counts handled over decided complaints', () => {
    const all = [answeredInTime, answeredLate, openWithin, openPast, withdrawn, reopened];
    expect(rate(computeKpis(tallyCases(all, ms(60)), { buildings: 1 }))).toMatchObject({
      numerator: 4,
      denominator: 4,
      met: true,
    });
    // From 120 h on, the two still open are missed.
    expect(rate(computeKpis(tallyCases(all, ms(300)), { buildings: 1 }))).toMatchObject({
      numerator: 4,
      denominator: 6,
      value: 0.6667,
      met: false,
    });
  });

  it('a settled week (every case closed or withdrawn) counts every complaint, however late it is read', () => {
    const week1 = [answeredLate, withdrawn];
    const week2 = [
      complaint('c', { stage: 'closed', closedAt: at(T0, 8), timeline: [step('review_passed', 7)] }),
    ];
    const atClose = mergeTallies([tallyCases(week1), tallyCases(week2)]);
    for (const t of [atClose, tallyCases([...week1, ...week2], ms(10_000))]) {
      expect(t.open).toBe(0);
      expect(t.complaints).toEqual({ num: 3, den: 3 });
    }
  });
});
