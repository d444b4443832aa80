import type { UpdateDefinition } from '@temporalio/common';
import { Hono } from 'hono';
import type { z } from 'zod';
import type { Actor, CaseView, StepName } from '../domain/case-model.ts';
import type { Directory } from '../domain/directory.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
} from '../workflows/rectification-case/messages.ts';
import { assertCanRead } from './access.ts';
import type { AuthEnv } from './auth.ts';
import { listCasesFor, openNewCase, rootCauseInput, takeStep } from './case-service.ts';
import { directoryOrFail, readCase } from './case-source.ts';
import type { AppDeps } from './deps.ts';
import { callerLanguage, ProblemError, type Lang } from './problems.ts';
import {
  adjudicationSchema,
  caseIdParamSchema,
  caseListQuerySchema,
  commentSchema,
  idempotencyKeySchema,
  langQuerySchema,
  newCaseSchema,
  rectificationSchema,
  reviewSchema,
  rootCauseSchema,
  withdrawSchema,
  type CaseSummary,
} from './schemas.ts';
import { jsonBody, paramsOf, queryOf } from './validate.ts';

/** /api/cases: open, read, list, and every human step of a case. */
export function caseRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.post('/', async (c) => {
    const caller = c.get('caller');
    const lang = callerLanguage(c);
    const idemKey = c.req.header('idempotency-key');
    if (idemKey !== undefined && !idempotencyKeySchema.safeParse(idemKey).success) {
      throw new ProblemError(
        'validation',
        {
          zh: 'Idempotency-Key 须为 1-200 个可见 ASCII 字符',
          en: 'Idempotency-Key must be 1-200 visible ASCII characters',
        },
        [{ field: 'Idempotency-Key', message: lang === 'en' ? 'invalid key' : '无效的键' }],
      );
    }
    const body = await jsonBody(c, newCaseSchema);
    const { view, replayed } = await openNewCase(deps, caller, body, idemKey, lang);
    return c.json(created(view), 201, {
      location: `/api/cases/${view.caseId}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  });

  app.get('/', async (c) => {
    const caller = c.get('caller');
    const q = queryOf(c, caseListQuerySchema);
    const page = await listCasesFor(deps, caller, q, callerLanguage(c));
    return c.json({ items: page.items.map(summary), nextCursor: page.nextCursor });
  });

  app.get('/:caseId', async (c) => {
    const { caseId } = paramsOf(c, caseIdParamSchema);
    queryOf(c, langQuerySchema);
    const dir = await directoryOrFail(deps);
    const { view, source } = await readCase(deps, caseId);
    assertCanRead(c.get('caller'), dir, view);
    return c.json(view, 200, { 'x-case-source': source });
  });

  const step = <S extends z.ZodType, I>(
    path: string,
    name: StepName,
    schema: S,
    update: UpdateDefinition<CaseView, [I]>,
    toInput: (body: z.output<S>, actor: Actor, dir: Directory, lang: Lang) => I,
  ) =>
    app.post(`/:caseId/${path}`, async (c) => {
      const { caseId } = paramsOf(c, caseIdParamSchema);
      const body = await jsonBody(c, schema);
      const lang = callerLanguage(c);
      const after = await takeStep(deps, c.get('caller'), caseId, name, update, (actor, dir) =>
        toInput(body, actor, dir, lang),
      );
      return c.json(after);
    });

  step('root-cause', 'root_cause', rootCauseSchema, submitRootCauseUpdate, rootCauseInput);
  step('rectification', 'rectification', rectificationSchema, reportRectificationUpdate, (b, actor) => ({
    actor,
    summary: b.summary,
    evidence: b.evidence,
  }));
  step('review', 'review', reviewSchema, reviewUpdate, (b, actor) => ({
    actor,
    passed: b.passed,
    notes: b.notes,
  }));
  step('adjudication', 'adjudication', adjudicationSchema, adjudicateUpdate, (b, actor) => ({
    actor,
    decision: b.decision,
    notes: b.notes,
  }));
  step('withdraw', 'withdraw', withdrawSchema, withdrawUpdate, (b, actor) => ({ actor, reason: b.reason }));
  step('comments', 'comment', commentSchema, addCommentUpdate, (b, actor) => ({ actor, text: b.text }));

  return app;
}

const created = (v: CaseView) => ({ caseId: v.caseId, stage: v.stage, deadlines: v.deadlines });

function summary(v: CaseView): CaseSummary {
  const open = v.deadlines.find((d) => !d.closedAt);
  return {
    caseId: v.caseId,
    title: v.title,
    source: v.source,
    severity: v.severity,
    category: v.category,
    location: v.location,
    assigneeId: v.assigneeId,
    responsibleId: v.responsibleId,
    openedBy: v.openedBy,
    openedAt: v.openedAt,
    stage: v.stage,
    round: v.round,
    overdue: v.overdue,
    due: open?.due,
    closedAt: v.closedAt,
    version: v.version,
  };
}
