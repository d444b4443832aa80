import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { CaseFailure } from '../../workflows/rectification-case/messages.ts';
import { problemBody, toProblem, type ProblemError } from './problems.ts';

const detail = (p: ProblemError | null, lang: 'zh-CN' | 'en') =>
  p ? problemBody(p, lang).detail : undefined;
const status = (p: ProblemError | null) => (p ? problemBody(p, 'en').status : undefined);

const refused = (type: string, message: string) =>
  new WorkflowUpdateFailedError('update failed', ApplicationFailure.create({ type, message }));

describe('a step the running case refused', () => {
  it('gives the caller their half of an "English / 中文" refusal', () => {
    const p = toProblem(refused(CaseFailure.Conflict, 'the case is closed / 案件已结案'));
    expect(status(p)).toBe(409);
    expect(detail(p, 'zh-CN')).toBe('案件已结案');
    expect(detail(p, 'en')).toBe('the case is closed');
  });

  // The update handlers' own refusals of a pause step (after a race with the validator) are
  // English alone in running workflows; a Chinese caller still reads Chinese.
  it.each([
    ['no pause is waiting for a decision', '没有待审批的暂停'],
    ['no pause is running', '当前没有暂停'],
  ])('turns the handler’s English-only "%s" into both languages', (en, zh) => {
    const p = toProblem(refused(CaseFailure.Conflict, en));
    expect(status(p)).toBe(409);
    expect(detail(p, 'zh-CN')).toBe(zh);
    expect(detail(p, 'en')).toBe(en);
  });
});
