import {
  QueryNotRegisteredError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HTTPException } from 'hono/http-exception';
import { CaseFailure } from '../workflows/rectification-case/messages.ts';
import { ProblemError, type ProblemType } from './problems.ts';

const refusalTypes: Record<string, ProblemType> = {
  [CaseFailure.Forbidden]: 'forbidden',
  [CaseFailure.Conflict]: 'conflict',
  [CaseFailure.Invalid]: 'unprocessable',
};

/**
 * The one place that turns what a handler threw into a problem: our own
 * ProblemErrors, Hono's HTTP exceptions, and Temporal's errors (a step the
 * workflow refused keeps its reason and becomes 403/409/422). Returns null
 * for anything unexpected: the caller logs it and answers a generic 500.
 */
export function toProblem(err: unknown): ProblemError | null {
  if (err instanceof ProblemError) return err;
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new ProblemError('conflict', {
      zh: `案件 ${err.workflowId} 已存在`,
      en: `case ${err.workflowId} already exists`,
    });
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ProblemError('not_found', {
      zh: `案件 ${err.workflowId} 不存在或已结束`,
      en: `case ${err.workflowId} does not exist or has finished`,
    });
  }
  // A workflow that answers no case query is not a case (an id that reached another kind of workflow).
  if (err instanceof QueryNotRegisteredError) {
    return new ProblemError('not_found', {
      zh: '没有这个案件（该编号对应的不是案件流程）',
      en: 'there is no such case (the id belongs to something other than a case)',
    });
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type ? refusalTypes[err.cause.type] : undefined;
    if (type) return new ProblemError(type, err.cause.message);
  }
  if (err instanceof HTTPException) {
    const byStatus: Partial<Record<number, ProblemType>> = {
      400: 'validation',
      401: 'unauthenticated',
      403: 'forbidden',
      404: 'not_found',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
    };
    const type = byStatus[err.status];
    if (type) return new ProblemError(type, err.message || type);
  }
  return null;
}
