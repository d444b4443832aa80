import { describe, expect, it } from 'vitest';
import { openStages, type ReviewRecord } from '../../domain/case-model.ts';
import { reportStatusLabel } from '../../domain/intake.ts';
import {
  acceptedWork,
  caseProgress,
  caseProgressLabel,
  numberedStep,
  reviewOutcomeLabel,
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
      const p = caseProgress({ stage, reviews: [] }, true);
      expect(p, stage).toBeDefined();
      expect(caseProgressLabel[p!].en).not.toMatch(/triage|case|stage|rectif|follow-up|sign-off/i);
    }
    expect(caseProgress({ stage: 'closed', reviews: [] }, true)).toBeUndefined();
    expect(caseProgress({ stage: 'withdrawn', reviews: [] }, true)).toBeUndefined();
  });

  it('a failed re-inspection reads as being fixed again, not as being fixed for the first time', () => {
    expect(caseProgress({ stage: 'rectifying', reviews: [] }, false)).toBe('fixing');
    expect(caseProgress({ stage: 'rectifying', reviews: [review(1, false)] }, false)).toBe('fixing_again');
    expect(caseProgressLabel.fixing_again.zh).toBe('复查未通过，正在重新整改');
    expect(caseProgress({ stage: 'reviewing', reviews: [review(1, false)] }, false)).toBe('checking');
  });

  it('a passed case waits for the reader’s rating only when the page asks for it', () => {
    const passed = { stage: 'follow_up' as const, reviews: [review(1, false), review(2, true)] };
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

describe('a report waiting to be taken up', () => {
  it('says who looks at it, not the staff’s word for it', () => {
    expect(reportStatusLabel.received.en).not.toMatch(/triage/i);
    expect(reportStatusLabel.received.zh).not.toContain('分派');
  });
});
