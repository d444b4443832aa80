import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { isTerminal, readOnlyRefusal, type Actor, type CaseView } from '../../domain/case-model.ts';
import { withSupervision, type Directory } from '../../domain/directory.ts';
import type { Bilingual, Lang } from '../../domain/text.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
  arrivedUpdate,
  decidePauseUpdate,
  endPauseUpdate,
  handOverUpdate,
  reassignUpdate,
  requestPauseUpdate,
  type StepAck,
} from '../../workflows/rectification-case/messages.ts';
import { viewAfterStep } from '../step-view.ts';
import { reporterShownTo, viewForReader } from '../reporter-privacy.ts';
import type { AuthEnv } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { callerLanguage } from '../middleware/problems.ts';
import { jsonOnly } from '../middleware/validation.ts';
import {
  afterStep,
  colleagueOf,
  finishedCase,
  readCaseFor,
  refusalProblem,
  refuseBadEvidence,
  rootCauseInput,
} from '../case-service.ts';
import {
  adjudicationSchema,
  caseIdParamSchema,
  caseViewSchema,
  commentSchema,
  rectificationSchema,
  reviewSchema,
  rootCauseSchema,
  withdrawSchema,
  arrivedSchema,
  endPauseSchema,
  pauseDecisionSchema,
  pauseRequestSchema,
  reassignSchema,
} from '../schemas.ts';
import { bi, JSON_TYPE, jsonResponse, langParameter, problems } from './declare.ts';

/**
 * POST /api/cases/{caseId}/<step>: the human steps of a case. Each is one
 * update of the running case, and its validator, under the policy pinned when
 * the case opened, is the one rule that decides whether the caller may take
 * it: a refusal comes back as 403/409/422 through the error mapper
 * (middleware/problems.ts). The API only checks that the caller may read the
 * case and that the references in the body exist.
 */
/** A human step of a case: one update of the running case, whose validator decides whether it may be taken. */
interface Step<S extends z.ZodType, I> {
  route: RouteConfig;
  schema: S;
  update: UpdateDefinition<StepAck, [I]>;
  toInput: (body: z.output<S>, actor: Actor, dir: Directory, lang: Lang) => I;
}

/** A step with its types closed over: the route, and how to send its (validated) body to the case. */
interface CaseStep {
  route: RouteConfig;
  send(handle: WorkflowHandle, body: unknown, actor: Actor, dir: Directory, lang: Lang): Promise<CaseView>;
}

/** A step's route with its body schema (the route declares it; the step parses with it). */
const stepRoute = <S extends z.ZodType>(
  path: string,
  operationId: string,
  schema: S,
  summary: Bilingual,
  description: Bilingual,
) => ({
  schema,
  route: createRoute({
    method: 'post',
    path: `/api/cases/{caseId}/${path}`,
    operationId,
    tags: ['cases'],
    summary: bi(summary),
    description: bi(description),
    parameters: [langParameter],
    middleware: [jsonOnly],
    request: {
      params: caseIdParamSchema,
      body: { required: true, content: { [JSON_TYPE]: { schema } } },
    },
    responses: {
      200: jsonResponse(caseViewSchema, {
        zh: '步骤已受理，返回案件',
        en: 'Step accepted; the case after it',
      }),
      ...problems([400, 401, 403, 404, 409, 413, 415, 422, 503]),
    },
  }),
});

const step = <S extends z.ZodType, I>(s: Step<S, I>): CaseStep => ({
  route: s.route,
  // The body already passed the route's validator; parsing again only recovers its type.
  send: (handle, body, actor, dir, lang) =>
    viewAfterStep(
      handle,
      handle.executeUpdate(s.update, { args: [s.toInput(s.schema.parse(body), actor, dir, lang)] }),
    ),
});

export const steps: CaseStep[] = [
  step({
    ...stepRoute(
      'root-cause',
      'submitRootCause',
      rootCauseSchema,
      { zh: '提交原因分析', en: 'Submit the root-cause analysis' },
      {
        zh: '所管楼栋主管或被指派员工；案件须处于 analysing。',
        en: 'A supervisor of the building or the assignee; stage analysing.',
      },
    ),
    update: submitRootCauseUpdate,
    toInput: (b, actor, dir, lang) => rootCauseInput(b, actor, dir, lang),
  }),
  step({
    ...stepRoute(
      'rectification',
      'reportRectification',
      rectificationSchema,
      { zh: '上报整改', en: 'Report the rectification' },
      {
        zh: '责任人（或被指派员工）；案件须处于 rectifying。',
        en: 'The responsible staff member (or assignee); stage rectifying.',
      },
    ),
    update: reportRectificationUpdate,
    toInput: (b, actor) => ({ actor, summary: b.summary, evidence: b.evidence }),
  }),
  step({
    ...stepRoute(
      'review',
      'review',
      reviewSchema,
      { zh: '复查', en: 'Review the rectification' },
      {
        zh: '所管楼栋主管；不通过则进入下一轮整改。',
        en: 'A supervisor of the building; a failed review starts another round.',
      },
    ),
    update: reviewUpdate,
    toInput: (b, actor) => ({ actor, passed: b.passed, notes: b.notes }),
  }),
  step({
    ...stepRoute(
      'adjudication',
      'adjudicate',
      adjudicationSchema,
      { zh: '裁定异议', en: 'Adjudicate a dispute' },
      {
        zh: '所管楼栋主管；revise 退回原因分析，proceed 进入整改。',
        en: 'A supervisor of the building; revise goes back to analysis, proceed on to rectification.',
      },
    ),
    update: adjudicateUpdate,
    toInput: (b, actor) => ({ actor, decision: b.decision, notes: b.notes }),
  }),
  step({
    ...stepRoute(
      'withdraw',
      'withdraw',
      withdrawSchema,
      { zh: '撤销案件', en: 'Withdraw the case' },
      {
        zh: '所管楼栋主管、工作小组或管理员。',
        en: 'A supervisor of the building, the working group or an admin.',
      },
    ),
    update: withdrawUpdate,
    toInput: (b, actor) => ({ actor, reason: b.reason }),
  }),
  step({
    ...stepRoute(
      'comments',
      'addComment',
      commentSchema,
      { zh: '添加评论', en: 'Comment on the case' },
      {
        zh: '案件相关人员、网格员和校领导。',
        en: 'People involved in the case, grid members and leadership.',
      },
    ),
    update: addCommentUpdate,
    toInput: (b, actor) => ({ actor, text: b.text }),
  }),
];

// The steps beside the stages: arrival, pauses (of the clocks and the stage deadline), reassignment, hand-over.
steps.push(
  step({
    ...stepRoute(
      'arrived',
      'recordArrival',
      arrivedSchema,
      { zh: '登记到场', en: 'Record the arrival on site' },
      {
        zh: '被指派的维修人员；维修案件的到场时限（急修30分钟、一般2小时）以此为准。',
        en: 'The assigned technician; meets the on-site clock of a repair (urgent 30 minutes, general 2 hours).',
      },
    ),
    update: arrivedUpdate,
    toInput: (b, actor) => ({ actor, note: b.note }),
  }),
  step({
    ...stepRoute(
      'pause',
      'requestPause',
      pauseRequestSchema,
      { zh: '申请暂停计时', en: 'Ask to pause the clocks' },
      {
        zh: '被指派人，附原因（等待配件、学生不在、外部单位施工）；主管批准后暂停案件时限和当前环节时限（不发提醒、不计超时，结束后按暂停时长顺延），最长时限到后自动恢复。',
        en: 'The assignee, with a reason (waiting for parts, student absent, outside contractor); once a supervisor approves, the case clocks and the current stage deadline are held (no reminder, no breach; the due moves on by the pause when it ends); it ends by itself at its maximum length.',
      },
    ),
    update: requestPauseUpdate,
    toInput: (b, actor) => ({ actor, reason: b.reason, note: b.note }),
  }),
  step({
    ...stepRoute(
      'pause/decision',
      'decidePause',
      pauseDecisionSchema,
      { zh: '审批暂停', en: 'Approve or reject a pause' },
      { zh: '所管楼栋主管。', en: 'A supervisor of the building.' },
    ),
    update: decidePauseUpdate,
    toInput: (b, actor) => ({ actor, approve: b.approve, notes: b.notes }),
  }),
  step({
    ...stepRoute(
      'pause/end',
      'endPause',
      endPauseSchema,
      { zh: '结束暂停', en: 'End a pause' },
      {
        zh: '被指派人或主管；计时恢复，当前环节时限按暂停时长顺延（heldMs）。',
        en: 'The assignee or a supervisor; the clocks run again, the stage deadline moved on by the pause (heldMs).',
      },
    ),
    update: endPauseUpdate,
    toInput: (_b, actor) => ({ actor }),
  }),
  step({
    ...stepRoute(
      'reassign',
      'reassign',
      reassignSchema,
      { zh: '改派', en: 'Reassign the case' },
      { zh: '所管楼栋主管，改派给名录中的员工。', en: 'A supervisor of the building, to a staff member.' },
    ),
    update: reassignUpdate,
    toInput: (b, actor, dir, lang) => ({
      actor,
      toId: colleagueOf(dir, b.assigneeId, lang),
      reason: b.reason,
    }),
  }),
  step({
    ...stepRoute(
      'hand-over',
      'handOver',
      reassignSchema,
      { zh: '移交同事', en: 'Hand the case over to a colleague' },
      { zh: '被指派人，移交给名录中的员工。', en: 'The assignee, to a staff member.' },
    ),
    update: handOverUpdate,
    toInput: (b, actor, dir, lang) => ({
      actor,
      toId: colleagueOf(dir, b.assigneeId, lang),
      reason: b.reason,
    }),
  }),
);

export const caseStepRouteDefinitions: RouteConfig[] = steps.map((s) => s.route);

/** The step routes. */
export function caseStepRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  for (const s of steps) registerStep(s);

  /**
   * A step is sent to the running case as an update: its validator, under the
   * policy pinned when the case opened, is the one rule that decides, and a
   * refusal comes back as 403/409/422 through the error mapper. The API only
   * checks that the caller may read the case.
   */
  function registerStep(s: CaseStep) {
    app.openapi(s.route, async (c) => {
      const { caseId } = caseIdParamSchema.parse(c.req.param());
      const body: unknown = await c.req.json();
      const caller = c.get('caller');
      const { view, dir } = await readCaseFor(deps, caller, caseId);
      // Read-only whatever the step: said as that, not as the step's own rule about who may.
      const readOnly = readOnlyRefusal(caller.actor);
      if (readOnly) throw refusalProblem(readOnly);
      // A case that is over has no workflow left to ask: its record says so.
      if (isTerminal(view.stage)) throw finishedCase(view);
      // A cited file must be one confirmed for this case, as cited: the audit check would fail it later.
      await refuseBadEvidence(deps, caseId, body, callerLanguage(c));
      const handle = deps.temporal.workflow.getHandle(caseId);
      // The actor carries the buildings they supervise now, so a supervisor appointed after the case
      // opened may act on it (the workflow's rule reads it from the step).
      const actor = withSupervision(dir, caller.actor);
      const after = await afterStep(deps, await s.send(handle, body, actor, dir, callerLanguage(c)));
      // The case as GET /api/cases/{id} gives it to this reader: a step moves no reporter's contact to them.
      return c.json(viewForReader(after, reporterShownTo(caller, dir, after)), 200);
    });
  }

  return app;
}
