import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { BadCursorError, listCases } from '../store/case-lists.ts';
import { nextCaseNumber } from '../store/counters.ts';
import { claimIdempotencyKey, findClaim, type IdempotencyClaim } from '../store/idempotency.ts';
import { localDate, localTimeToInstant } from '../domain/calendar.ts';
import { checkStep, type Actor, type CaseInput, type CaseView, type StepName } from '../domain/case-model.ts';
import { buildPolicy } from '../domain/case-policy.ts';
import { locationExists, withSupervision, type Directory } from '../domain/directory.ts';
import { canonicalJson } from '../domain/hash-chain.ts';
import type { rectificationCase } from '../workflows/rectification-case/workflow.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  openedUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
} from '../workflows/rectification-case/messages.ts';
import { assertCanRead, listScope, openRefusal, readRefusal } from './access.ts';
import type { AuthEnv } from './auth.ts';
import { directoryOrFail, precheckPolicy, readCase } from './case-source.ts';
import type { AppDeps } from './deps.ts';
import { callerLanguage, ProblemError, type FieldError, type Lang } from './problems.ts';
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
  type NewCaseBody,
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
    const dir = await directoryOrFail(deps);
    const refusal = openRefusal(caller, dir, body.location);
    const mayOpenSomewhere = caller.person.roles.some((r) =>
      ['supervisor', 'grid_member', 'admin', 'working_group'].includes(r),
    );
    if (refusal && !mayOpenSomewhere) throw new ProblemError('forbidden', refusal);
    assertKnownPlaceAndAssignee(dir, body, lang);
    if (refusal) throw new ProblemError('forbidden', refusal);

    const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    if (idemKey) {
      const existing = await findClaim(deps.aws.ddb, deps.aws.tables, caller.person.id, idemKey);
      if (existing) return replay(c, existing, requestHash);
    }
    const now = new Date();
    const openedAt = now.toISOString();
    const year = Number(localDate(openedAt, deps.env.CAMPUS_TZ).slice(0, 4));
    const caseId = await nextCaseNumber(deps.aws.ddb, deps.aws.tables, year);
    const input = caseInputFor(dir, body, caseId, caller.actor, openedAt);
    if (idemKey) {
      const claim = await claimIdempotencyKey(deps.aws.ddb, deps.aws.tables, {
        scope: caller.person.id,
        key: idemKey,
        requestHash,
        resultId: caseId,
        payload: JSON.stringify(input),
        createdAt: openedAt,
      });
      if (!claim.claimed) return replay(c, claim.existing, requestHash);
    }
    // With a key, the case number is now the claim's: a concurrent retry that found the claim may
    // already have started the workflow from it, and that is the same case, not a conflict.
    const view = await openCase(input, idemKey !== undefined);
    return c.json(created(view), 201, { location: `/api/cases/${caseId}` });
  });

  app.get('/', async (c) => {
    const caller = c.get('caller');
    const q = queryOf(c, caseListQuerySchema);
    const dir = await directoryOrFail(deps);
    const scope = listScope(caller, dir);
    if (scope.onlyParty && q.assigneeId && q.assigneeId !== scope.onlyParty) {
      throw new ProblemError('forbidden', {
        zh: `员工只能查看指派给本人或由本人负责的案件；assigneeId 只能是本人（${scope.onlyParty}）或不填`,
        en: `staff may list only the cases assigned to them or that they are responsible for; leave assigneeId out or set it to yourself (${scope.onlyParty})`,
      });
    }
    if (scope.onlyBuildings && q.buildingId && !scope.onlyBuildings.includes(q.buildingId)) {
      throw new ProblemError('forbidden', {
        zh: `主管只能查看所管楼栋的案件（${q.buildingId} 不归您管）`,
        en: `supervisors may list only the buildings they supervise (${q.buildingId} is not yours)`,
      });
    }
    const tz = deps.env.CAMPUS_TZ;
    const instant = (v: string | undefined) =>
      v === undefined
        ? undefined
        : /^\d{4}-\d{2}-\d{2}$/.test(v)
          ? localTimeToInstant(v, '00:00', tz)
          : new Date(v).toISOString();
    const from = instant(q.from);
    const to = instant(q.to);
    if (from && to && from > to) {
      throw new ProblemError('validation', { zh: 'to 须晚于 from', en: 'to must not be before from' }, [
        { field: 'to', message: callerLanguage(c) === 'en' ? 'before from' : '早于 from' },
      ]);
    }
    try {
      const page = await listCases(deps.aws.ddb, deps.aws.tables, {
        filters: {
          stage: q.stage,
          buildingId: q.buildingId,
          assigneeId: q.assigneeId,
          partyId: scope.onlyParty,
          overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
          severity: q.severity,
          source: q.source,
          from,
          to,
          buildingIn: q.buildingId ? undefined : scope.onlyBuildings,
        },
        limit: q.limit,
        cursor: q.cursor,
        keep: scope.all ? undefined : (v) => readRefusal(caller, dir, v) === null,
      });
      return c.json({ items: page.items.map(summary), nextCursor: page.nextCursor });
    } catch (err) {
      if (err instanceof BadCursorError) {
        throw new ProblemError(
          'validation',
          { zh: `cursor 无效：${err.message}`, en: `bad cursor: ${err.message}` },
          [{ field: 'cursor', message: err.message }],
        );
      }
      throw err;
    }
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
      const caller = c.get('caller');
      const dir = await directoryOrFail(deps);
      const { view } = await readCase(deps, caseId);
      assertCanRead(caller, dir, view);
      // Answer at once where the outcome is already certain; the workflow decides the rest.
      const actor = withSupervision(dir, caller.actor);
      const refusal = checkStep(name, actor, view, precheckPolicy(deps, dir, view));
      if (refusal) {
        const type = refusal.kind === 'invalid' ? 'unprocessable' : refusal.kind;
        throw new ProblemError(type, refusal.message);
      }
      const input = toInput(body, actor, dir, callerLanguage(c));
      const after = await deps.temporal.workflow.getHandle(caseId).executeUpdate(update, { args: [input] });
      return c.json(after);
    });

  step('root-cause', 'root_cause', rootCauseSchema, submitRootCauseUpdate, (b, actor, dir, lang) => {
    const p = dir.people.find((x) => x.id === b.responsibleId);
    if (!p?.roles.includes('staff')) {
      throw new ProblemError(
        'unprocessable',
        {
          zh: '责任人须为名录中的员工',
          en: 'the responsible person must be a staff member of the directory',
        },
        [
          {
            field: 'responsibleId',
            message:
              lang === 'en' ? `${b.responsibleId} is not a staff member` : `${b.responsibleId} 不是员工`,
          },
        ],
      );
    }
    return { actor, causes: b.causes, responsibleId: b.responsibleId, plan: b.plan, whys: b.whys };
  });
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

  /**
   * Starts the case workflow and waits until it is open (its first deadline set). `fromClaim`: the
   * case number belongs to an idempotency claim, so a workflow already started under it is this
   * very request's case (started by a retry racing this one), never another case.
   */
  async function openCase(input: CaseInput, fromClaim: boolean): Promise<CaseView> {
    try {
      const handle = await deps.temporal.workflow.start<typeof rectificationCase>('rectificationCase', {
        taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
        workflowId: input.caseId,
        // A case number is never reused, even after its case closed.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
      return await handle.executeUpdate(openedUpdate, { args: [{}] });
    } catch (err) {
      if (!(fromClaim && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    try {
      return await deps.temporal.workflow.getHandle(input.caseId).executeUpdate(openedUpdate, { args: [{}] });
    } catch (err) {
      // The first request's case has already run its course: answer from what it became.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return (await readCase(deps, input.caseId)).view;
    }
  }

  async function replay(c: Context<AuthEnv>, claim: IdempotencyClaim, requestHash: string) {
    if (claim.requestHash !== requestHash) {
      throw new ProblemError('conflict', {
        zh: `Idempotency-Key「${claim.key}」已用于另一个不同的请求（案件 ${claim.resultId}）；新请求请换一个键`,
        en: `Idempotency-Key "${claim.key}" was already used with a different body (case ${claim.resultId}); use a new key for a new request`,
      });
    }
    const view = await openCase(JSON.parse(claim.payload) as CaseInput, true);
    return c.json(created(view), 201, {
      location: `/api/cases/${claim.resultId}`,
      'idempotent-replayed': 'true',
    });
  }

  function caseInputFor(
    dir: Directory,
    body: NewCaseBody,
    caseId: string,
    openedBy: Actor,
    openedAt: string,
  ): CaseInput {
    return {
      caseId,
      title: body.title,
      description: body.description,
      source: body.source,
      severity: body.severity,
      category: body.category,
      location: body.location,
      assigneeId: body.assigneeId,
      reporter: body.reporter,
      openedBy,
      openedAt,
      policy: buildPolicy(dir, body, { timeZone: deps.env.CAMPUS_TZ, workingHours: deps.env.WORKING_HOURS }),
    };
  }

  return app;
}

/** 422 with a field error for each reference the directory doesn't know. */
function assertKnownPlaceAndAssignee(dir: Directory, body: NewCaseBody, lang: Lang): void {
  const errors: FieldError[] = [];
  if (!locationExists(dir, body.location)) {
    errors.push({
      field: 'location',
      message:
        lang === 'en'
          ? `no such place in the campus grid: ${JSON.stringify(body.location)} (see GET /api/directory/buildings)`
          : `校园网格中没有该位置：${JSON.stringify(body.location)}（见 GET /api/directory/buildings）`,
    });
  }
  const assignee = dir.people.find((p) => p.id === body.assigneeId);
  if (!assignee?.roles.includes('staff')) {
    errors.push({
      field: 'assigneeId',
      message:
        lang === 'en'
          ? `${body.assigneeId} is not a staff member of the directory (see GET /api/directory/people?role=staff)`
          : `${body.assigneeId} 不是名录中的员工（见 GET /api/directory/people?role=staff）`,
    });
  }
  if (errors.length > 0) {
    throw new ProblemError(
      'unprocessable',
      { zh: '位置或指派人不在校园名录中', en: 'the place or the assignee is not in the campus directory' },
      errors,
    );
  }
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
