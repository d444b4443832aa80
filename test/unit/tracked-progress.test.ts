import { describe, expect, it } from 'vitest';
import type { CaseClock } from '../../domain/case-clocks.ts';
import {
  openStages,
  type DeadlineView,
  type ReviewRecord,
  type TimelineEntry,
} from '../../domain/case-model.ts';
import { reportStatusLabel } from '../../domain/intake.ts';
import {
  acceptedWork,
  caseProgress,
  caseProgressLabel,
  numberedStep,
  reviewOutcomeLabel,
  stepStanding,
  stepsInOrder,
  trackedStepLabel,
} from '../../domain/tracked-progress.ts';

const review = (round: number, passed: boolean): ReviewRecord => ({
  round,
  passed,
  notes: passed ? 'ok' : '仍漏水',
  by: 'sup-wang',
  at: `2026-12-0${round}T10:00:00Z`,
});

describe('where a running case stands for its reporter', () => {
  it('every open stage reads as something a student understands; an ended case has its own status', () => {
    for (const stage of openStages) {
      const p = caseProgress({ stage, reviews: [], timeline: [] }, true);
      expect(p, stage).toBeDefined();
      expect(caseProgressLabel[p!].en).not.toMatch(/triage|case|stage|rectif|follow-up|sign-off/i);
    }
    expect(caseProgress({ stage: 'closed', reviews: [], timeline: [] }, true)).toBeUndefined();
    expect(caseProgress({ stage: 'withdrawn', reviews: [], timeline: [] }, true)).toBeUndefined();
  });

  it('a failed re-inspection reads as being fixed again, not as being fixed for the first time', () => {
    expect(caseProgress({ stage: 'rectifying', reviews: [], timeline: [] }, false)).toBe('fixing');
    expect(caseProgress({ stage: 'rectifying', reviews: [review(1, false)], timeline: [] }, false)).toBe(
      'fixing_again',
    );
    expect(caseProgressLabel.fixing_again.zh).toBe('复查未通过，正在重新整改');
    expect(caseProgress({ stage: 'reviewing', reviews: [review(1, false)], timeline: [] }, false)).toBe(
      'checking',
    );
  });

  it('a passed case waits for the reader’s rating only when the page asks for it', () => {
    const passed = {
      stage: 'follow_up' as const,
      reviews: [review(1, false), review(2, true)],
      timeline: [],
    };
    expect(caseProgress(passed, true)).toBe('rate');
    expect(caseProgressLabel.rate).toEqual({
      zh: '已处理完毕，待您评价',
      en: 'Done; waiting for your rating',
    });
    expect(caseProgress(passed, false)).toBe('passed');
  });

  it('a re-inspection says what it found; the nth one is numbered', () => {
    expect(reviewOutcomeLabel(review(1, false))).toEqual({
      zh: '未通过，继续整改',
      en: 'not yet fixed, being fixed again',
    });
    expect(reviewOutcomeLabel(review(2, true)).zh).toBe('已通过');
    expect(numberedStep('reviewing', 1)).toEqual({ zh: '第 1 次复查', en: 'Re-inspection 1' });
  });

  it('the accepted work is the passing round’s rectification, shown once the case is past its review', () => {
    const rect = (round: number) => ({ round, summary: `r${round}`, evidence: [], by: 'x', at: '' });
    const view = {
      stage: 'follow_up' as const,
      reviews: [review(1, false), review(2, true)],
      rectifications: [rect(1), rect(2)],
    };
    expect(acceptedWork(view)?.fixed.summary).toBe('r2');
    expect(acceptedWork({ ...view, stage: 'reviewing' })).toBeUndefined();
  });
});

const onSite: CaseClock = {
  id: 'on_site_arrival',
  label: { zh: '一般维修2小时内到场', en: 'General repair, on site within 2 hours' },
  seed: '000',
  limit: { unit: 'hours', amount: 2 },
  metBy: ['arrived'],
  startedAt: '2026-12-08T00:38:00Z',
  due: '2026-12-08T02:38:00Z',
  approximate: false,
};
const entry = (action: TimelineEntry['action'], at: string): TimelineEntry => ({
  at,
  actorId: 'staff-wu',
  action,
  stage: 'analysing',
  round: 1,
});

describe('the steps staff take before the work, as the student sees them', () => {
  it('a repair waits for its technician, then reads that they have been, not still "being arranged"', () => {
    const analysing = { stage: 'analysing' as const, reviews: [], clocks: [onSite] };
    expect(caseProgress({ ...analysing, timeline: [entry('detected', '2026-12-08T00:40:00Z')] }, false)).toBe(
      'arranging',
    );
    const came = { ...analysing, timeline: [entry('arrived', '2026-12-08T00:42:00Z')] };
    expect(caseProgress(came, false)).toBe('visited');
    expect(caseProgressLabel.visited).toEqual({
      zh: '维修人员已到场，正在查找原因',
      en: 'The technician has been; finding the cause',
    });
  });

  it('a case promising no visit (a complaint) is being looked into; once the cause is found, what to do is decided', () => {
    expect(caseProgress({ stage: 'analysing', reviews: [], timeline: [] }, false)).toBe('finding_cause');
    for (const stage of ['awaiting_signoff', 'adjudicating'] as const)
      expect(caseProgress({ stage, reviews: [], timeline: [], clocks: [onSite] }, false)).toBe('planning');
    expect(caseProgressLabel.planning.zh).toBe('已查明原因，正在确定处理办法');
  });

  it('names the plan’s steps by what the student waits on, not who signs for the work', () => {
    for (const stage of ['awaiting_signoff', 'adjudicating'] as const) {
      expect(trackedStepLabel[stage].zh).not.toContain('负责人');
      expect(trackedStepLabel[stage].en).not.toMatch(/who does the work|sign/i);
    }
    expect(trackedStepLabel.awaiting_signoff).toEqual({
      zh: '确定处理办法',
      en: 'Deciding what will be done',
    });
  });
});

describe('a step on the progress list', () => {
  const step = (over: Partial<DeadlineView>): DeadlineView => ({
    stage: 'awaiting_signoff',
    round: 1,
    startedAt: '2026-12-08T00:43:00Z',
    due: '2026-12-09T10:00:00Z',
    approximate: false,
    calendarVersion: 'v1',
    state: 'pending',
    ...over,
  });

  it('done reads when it was done, not its deadline (a sign-off due tomorrow, done at 08:44)', () => {
    expect(stepStanding(step({ state: 'met', closedAt: '2026-12-08T00:44:00Z' }))).toEqual({
      text: { zh: '按时完成', en: 'done on time' },
      at: '2026-12-08T00:44:00Z',
      due: false,
    });
    expect(stepStanding(step({ state: 'breached', closedAt: '2026-12-10T01:00:00Z' }))).toEqual({
      text: { zh: '超时完成', en: 'done late' },
      at: '2026-12-10T01:00:00Z',
      due: false,
    });
  });

  it('running reads its deadline, marked as one, and whether it has passed', () => {
    expect(stepStanding(step({}))).toEqual({
      text: { zh: '进行中', en: 'in progress' },
      at: '2026-12-09T10:00:00Z',
      due: true,
    });
    expect(stepStanding(step({ state: 'breached' })).text.zh).toBe('已超时');
    expect(stepStanding(step({ state: 'breached' })).due).toBe(true);
  });

  it('the rating step reads rated when rated (its on-time state is nothing to the student), not rated when never answered', () => {
    const rating = { stage: 'follow_up' as const, due: '2026-12-15T00:46:00Z' };
    expect(stepStanding(step({ ...rating, state: 'met', closedAt: '2026-12-08T00:47:00Z' }))).toEqual({
      text: { zh: '已评价', en: 'rated' },
      at: '2026-12-08T00:47:00Z',
      due: false,
    });
    expect(
      stepStanding(step({ ...rating, state: 'cancelled', closedAt: '2026-12-15T00:46:00Z' })).text.en,
    ).toBe('not rated');
  });

  it('steps are listed in the order they began', () => {
    const a = step({ stage: 'analysing', startedAt: '2026-12-08T00:40:00Z' });
    const b = step({ stage: 'awaiting_signoff', startedAt: '2026-12-08T00:43:00Z' });
    const c = step({ stage: 'rectifying', startedAt: '2026-12-08T00:44:00Z' });
    expect(stepsInOrder([b, c, a]).map((d) => d.stage)).toEqual([
      'analysing',
      'awaiting_signoff',
      'rectifying',
    ]);
  });
});

describe('a report waiting to be taken up', () => {
  it('says who looks at it, not the staff’s word for it', () => {
    expect(reportStatusLabel.received.en).not.toMatch(/triage/i);
    expect(reportStatusLabel.received.zh).not.toContain('分派');
  });
});
