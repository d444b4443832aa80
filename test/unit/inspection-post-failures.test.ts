import {
  ActivityFailure,
  ApplicationFailure,
  RetryState,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { activityProblem } from '../../api/routes/inspection.tsx';
import { problemBody } from '../../api/middleware/problems.ts';

/** How a post's activity failure reaches the caller: a 409 or a 503, never the 500 it was. */
const failed = (cause: Error) =>
  new ActivityFailure(
    'activity failed',
    'saveInspectionRound',
    '7',
    RetryState.NON_RETRYABLE_FAILURE,
    'w',
    cause,
  );

describe('an inspection post whose activity failed', () => {
  it('is a 409 naming why when another execution owns the round', () => {
    const p = activityProblem(
      failed(ApplicationFailure.nonRetryable('round x already ran', 'InspectionRoundTaken')),
      'en',
    );
    const body = problemBody(p, 'en');
    expect(body.status).toBe(409);
    expect(body.detail).toContain('belongs to another run of its id');
    expect(body.errors).toEqual([
      { field: 'roundId', message: expect.stringContaining('InspectionRoundTaken') },
    ]);
    expect(problemBody(p, 'zh-CN').detail).toContain('本次提交没有改动检查记录');
  });

  it('is a 503 to try again when the save or a case outlasted its retries, with what the worker said', () => {
    for (const cause of [
      ApplicationFailure.create({ message: 'ProvisionedThroughputExceeded', type: 'Error' }),
      new TimeoutFailure('activity timed out', undefined, TimeoutType.START_TO_CLOSE),
    ]) {
      const body = problemBody(activityProblem(failed(cause), 'zh-CN'), 'zh-CN');
      expect(body.status).toBe(503);
      expect(body.detail).toContain('暂时无法保存');
      expect(body.errors).toEqual([{ field: 'results', message: cause.message }]);
    }
  });
});
