import { describe, expect, it } from 'vitest';
import type { DecidedStep } from '../drill/acknowledged.ts';
import { judgeStoreLoss } from '../drill/drill.ts';

const step = (n: number, action: string, acknowledged = true, stored = true): DecidedStep => ({
  stepId: `step-${n}`,
  action,
  acknowledged,
  stored,
});

const baseline = ['detected', 'assigned', 'review_passed', 'closed'];

describe('the crash drill sorts out a write the store acknowledged and lost', () => {
  it('the last step acknowledged and gone, everything else as the baseline: the store lost it', () => {
    const steps = [
      step(1, 'detected'),
      step(2, 'assigned'),
      step(3, 'review_passed'),
      step(4, 'closed', true, false),
    ];
    const judged = judgeStoreLoss(steps, baseline, ['detected', 'assigned', 'review_passed']);
    expect(judged.lost).toEqual(['closed (step-4)']);
  });

  it('a step lost in the middle is placed by its step number', () => {
    const steps = [
      step(1, 'detected'),
      step(2, 'assigned', true, false),
      step(3, 'review_passed'),
      step(4, 'closed'),
    ];
    expect(judgeStoreLoss(steps, baseline, ['detected', 'review_passed', 'closed']).lost).toEqual([
      'assigned (step-2)',
    ]);
    // The trail's order disagreeing with the history's is not a loss.
    expect(judgeStoreLoss(steps, baseline, ['detected', 'closed', 'review_passed']).lost).toBeUndefined();
  });

  it('a step whose write never completed is a failure, and says so', () => {
    const steps = [
      step(1, 'detected'),
      step(2, 'assigned'),
      step(3, 'review_passed'),
      step(4, 'closed', false, false),
    ];
    const judged = judgeStoreLoss(steps, baseline, ['detected', 'assigned', 'review_passed']);
    expect(judged.lost).toBeUndefined();
    expect(judged.seen).toContain('closed (step-4) not acknowledged: its write has not completed');
  });

  it('an unacknowledged step missing beside a lost one is still a failure', () => {
    const steps = [
      step(1, 'detected'),
      step(2, 'assigned'),
      step(3, 'review_passed', true, false),
      step(4, 'closed', false, false),
    ];
    expect(judgeStoreLoss(steps, baseline, ['detected', 'assigned']).lost).toBeUndefined();
  });

  it('a workflow that decided other steps than the baseline is a failure', () => {
    const steps = [
      step(1, 'detected'),
      step(2, 'assigned'),
      step(3, 'review_failed'),
      step(4, 'closed', true, false),
    ];
    expect(judgeStoreLoss(steps, baseline, ['detected', 'assigned', 'review_failed']).lost).toBeUndefined();
  });

  it('nothing missing is nothing lost', () => {
    const steps = baseline.map((a, i) => step(i + 1, a));
    expect(judgeStoreLoss(steps, baseline, baseline).lost).toBeUndefined();
  });
});
