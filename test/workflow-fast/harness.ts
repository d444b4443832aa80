import {
  Client,
  Connection,
  WorkflowUpdateFailedError,
  ApplicationFailure,
  type WorkflowHandle,
} from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import type {
  CaseActivities,
  EmailRequest,
  EmailResult,
  PlanDeadlineInput,
  TransitionEffects,
  TransitionResult,
} from '../../activities/index.ts';
import { createCalendar, pinCalendar, type Duration } from '../../domain/calendar.ts';
import { planDeadline, workingTimeAfter } from '../../domain/deadline-plan.ts';
import type { Actor, CaseInput, CasePolicy, CaseView, Reporter } from '../../domain/case-model.ts';
import type { Role } from '../../domain/directory.ts';
import type { Severity } from '../../domain/sla.ts';
import { bundleWorkflows, effectWorkers, RectifyWorker } from '../../infra/worker.ts';
import type { AppendInput, AppendResult } from '../../store/audit-chain.ts';
import { EffectFailure } from '../../domain/effect-failure.ts';
import { applyViewDelta, type ViewDelta } from '../../domain/view-delta.ts';
import {
  openedUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { viewAfterStep } from '../../api/step-view.ts';
import { rectificationCaseV2, type rectificationCase } from '../../workflows/rectification-case/workflow.ts';

/**
 * The fast tier: the real case workflow on the Temporal CLI dev server, with its three
 * activities replaced by in-process stubs that keep what they were asked to do. Deadline
 * arithmetic is the real, pure calendar; stage limits are seconds long so reminders,
 * breaches and timeouts happen in real time within a test.
 */

export const uniqueId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** What the stubs were asked to do, per case. */
export interface Effects {
  /** Each record as written: a step that sent its change carries the view it made of the record. */
  steps: (AppendInput & { view: CaseView; whole: boolean })[];
  /** The case record as the store would hold it. */
  record?: CaseView;
  emails: EmailRequest[];
  /** The reasons a withdrawal told the case's reporters with. */
  reportersTold: string[];
}

export function stubActivities(effects: Map<string, Effects>): CaseActivities {
  const calendar = createCalendar();
  const of = (caseId: string) => {
    let e = effects.get(caseId);
    if (!e) effects.set(caseId, (e = { steps: [], emails: [], reportersTold: [] }));
    return e;
  };
  const acts: Omit<CaseActivities, 'applyTransition' | 'planDeadlines'> = {
    async planDeadline(input: PlanDeadlineInput) {
      return planDeadline(input, calendar);
    },
    async recordStep(input: AppendInput): Promise<AppendResult> {
      const e = of(input.caseId);
      const { steps } = e;
      // A retried step (same id) is appended once, as the real audit chain does.
      const seen = steps.findIndex((s) => s.stepId === input.stepId);
      if (seen >= 0) return { seq: seen + 1, hash: `h${seen + 1}`, duplicate: true };
      // As the store does: a change applies to exactly the record it was made from.
      let view = input.view;
      if (!view && input.change) {
        if (!e.record || e.record.version !== input.change.base)
          throw ApplicationFailure.nonRetryable('record not at the change base', EffectFailure.RecordBase);
        view = applyViewDelta(e.record, JSON.parse(JSON.stringify(input.change)) as ViewDelta);
      }
      if (view) e.record = view;
      // An entry without a view (one overtaken by a newer record) shows the record as it stands.
      const shown = view ?? e.record;
      if (!shown) throw new Error(`${input.caseId}: ${input.action} recorded before any whole view`);
      steps.push({ ...input, view: shown, whole: input.view !== undefined });
      return { seq: steps.length, hash: `h${steps.length}`, duplicate: false };
    },
    // No directory here: the case keeps its pinned chain and supervisors.
    async currentRouting() {
      return null;
    },
    async planWorkingTime(input) {
      return { instants: workingTimeAfter(input, calendar), calendarVersion: calendar.version };
    },
    async sendCaseEmail(req: EmailRequest): Promise<EmailResult> {
      of(req.caseId).emails.push(req);
      return {
        sent: [...(req.to.personIds ?? []), ...(req.to.reporter?.email ? [req.to.reporter.email] : [])],
        alreadySent: [],
        unknownRecipients: [],
      };
    },
    // Reporters live in the reports store, which the fast harness has none of.
    async tellReporters(input: { caseId: string; reason: string }) {
      of(input.caseId).reportersTold.push(input.reason);
    },
  };
  return {
    ...acts,
    async planDeadlines(inputs: PlanDeadlineInput[]) {
      return Promise.all(inputs.map((input) => acts.planDeadline(input)));
    },
    // As the real one: the records in order (one failing fails it), then the mail.
    async applyTransition(input: TransitionEffects): Promise<TransitionResult> {
      for (const record of input.records) await acts.recordStep(record);
      for (const mail of input.mails) await acts.sendCaseEmail(mail);
      return { deferred: [] };
    },
  };
}

export const actor = (id: string, ...roles: Role[]): Actor => ({ id, roles, via: 'api' });
export const people = {
  supervisor: actor('sup-wang', 'supervisor'),
  otherSupervisor: actor('sup-li', 'supervisor'),
  assignee: actor('staff-zhou', 'staff'),
  responsible: actor('staff-chen', 'staff'),
  auditor: actor('aud-qian', 'auditor'),
  stranger: actor('staff-wu', 'staff'),
  reporterActor: actor('reporter:xiaoming@example.edu.cn'),
};
export const reporter: Reporter = { name: '小明', email: 'xiaoming@example.edu.cn' };

/**
 * One round that passes: the assignee's root cause naming `people.responsible`, their sign-off,
 * the rectification reported by `rectifiedBy`, and the supervisor's passed review.
 */
export async function throughPassedReview(
  handle: WorkflowHandle<typeof rectificationCase>,
  rectifiedBy: Actor = people.responsible,
): Promise<void> {
  const { assignee, responsible, supervisor } = people;
  await handle.executeUpdate(submitRootCauseUpdate, {
    args: [
      { actor: assignee, causes: ['阀芯老化 worn valve'], responsibleId: responsible.id, plan: '更换阀芯' },
    ],
  });
  await handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] });
  await handle.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: rectifiedBy, summary: 'done', evidence: [] }],
  });
  await handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: true, notes: '' }] });
}

const seconds = (s: number): Duration => ({ unit: 'minutes', amount: s / 60 });
const LONG: Duration = { unit: 'hours', amount: 24 };

export interface FastCase {
  severity?: Severity;
  reporter?: Reporter;
  /** Stage limits in seconds, for the stages a test lets run out; the others last a day. */
  limits?: Partial<Record<keyof CasePolicy['stageDurations'], number>>;
  leadershipNoticeSeconds?: number;
  maxFailedReviews?: number;
  escalationChain?: CasePolicy['escalationChain'];
}

export function caseInput(c: FastCase = {}): CaseInput {
  const severity = c.severity ?? 'routine';
  const limit = (stage: keyof CasePolicy['stageDurations']) => {
    const s = c.limits?.[stage];
    return s === undefined ? LONG : seconds(s);
  };
  return {
    caseId: uniqueId('ZG-F'),
    title: '水龙头漏水 Leaking tap',
    description: 'A101 卫生间水龙头持续漏水',
    source: 'repair',
    severity,
    location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
    assigneeId: people.assignee.id,
    reporter: c.reporter,
    openedBy: people.supervisor,
    openedAt: new Date().toISOString(),
    policy: {
      slaVersion: 'test',
      slaRuleId: `repair.${severity}`,
      slaLabel: { zh: '测试', en: 'test' },
      stageDurations: {
        analysing: limit('analysing'),
        awaiting_signoff: limit('awaiting_signoff'),
        adjudicating: limit('adjudicating'),
        rectifying: limit('rectifying'),
        reviewing: limit('reviewing'),
        follow_up: limit('follow_up'),
      },
      ...(c.leadershipNoticeSeconds ? { leadershipNotice: seconds(c.leadershipNoticeSeconds) } : {}),
      reminderFractions: [0.5, 0.9],
      maxFailedReviews: c.maxFailedReviews ?? 3,
      escalationChain: c.escalationChain ?? [
        { level: 'grid_l1', personIds: ['grid-li'] },
        { level: 'working_group', personIds: ['wg-zhao'] },
        { level: 'leadership', personIds: ['lead-sun'] },
      ],
      supervisorIds: [people.supervisor.id],
      timeZone: 'Asia/Shanghai',
      // Real time at whatever hour the suite runs: quiet hours are tested in test/workflow.
      workingHours: { from: '00:00', to: '24:00' },
    },
    // Pinned as the API pins it: deadlines counted in the workflow, not by the stubs' planner.
    calendar: pinCalendar({}, new Date().getUTCFullYear()),
  };
}

export interface FastStack {
  client: Client;
  effects: Map<string, Effects>;
  /** The worker's task queue, for a test that starts another workflow type on it. */
  taskQueue: string;
  /** Starts a case and waits until it is open, as the API does before answering 201. */
  start(input: CaseInput): Promise<{ handle: WorkflowHandle<typeof rectificationCase>; view: CaseView }>;
  /** The effects recorded for a case so far. */
  of(caseId: string): Effects;
  /** Waits (real time) until `pred` holds for the case's view, or fails after `timeoutMs`. */
  until(handle: WorkflowHandle, pred: (v: CaseView) => boolean, timeoutMs?: number): Promise<CaseView>;
}

/**
 * One worker with stub activities for the whole test file, on a task queue of its own,
 * against the dev server the project's global setup started.
 */
export function useFastStack(): FastStack {
  const effects = new Map<string, Effects>();
  const taskQueue = uniqueId('fast');
  let bundle: WorkflowBundle;
  let native: NativeConnection;
  let connection: Connection;
  let worker: RectifyWorker;
  let running: Promise<void>;
  const stack = { effects, taskQueue } as FastStack;

  beforeAll(async () => {
    const address = inject('fastTemporalAddress');
    bundle = await bundleWorkflows();
    native = await NativeConnection.connect({ address });
    connection = await Connection.connect({ address });
    stack.client = new Client({ connection, namespace: 'default' });
    const opts = { connection: native, namespace: 'default', taskQueue };
    const activities = stubActivities(effects);
    worker = new RectifyWorker(
      await Worker.create({ ...opts, workflowBundle: bundle, activities }),
      await effectWorkers(opts, activities),
    );
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
  });

  stack.start = async (input) => {
    const handle = await stack.client.workflow.start(rectificationCaseV2, {
      taskQueue,
      workflowId: input.caseId,
      args: [input],
    });
    const view = await viewAfterStep(handle, handle.executeUpdate(openedUpdate, { args: [{}] }));
    return { handle, view };
  };
  stack.of = (caseId) => effects.get(caseId) ?? { steps: [], emails: [], reportersTold: [] };
  stack.until = async (handle, pred, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await handle.query<CaseView>('caseView');
      if (pred(v)) return v;
      if (Date.now() > deadline)
        throw new Error(`${handle.workflowId}: condition not met in ${timeoutMs} ms (stage ${v.stage})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return stack;
}

/**
 * Retries an assertion until it holds (or `timeoutMs` passes): a step's emails are queued
 * behind its record and reach the stubs a moment after the view shows the step.
 */
export async function eventually(check: () => void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The refusal's failure type (one of CaseFailure) of an update expected to be refused. */
export async function refusalType(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return err.cause.type ?? undefined;
    throw err;
  }
  throw new Error('the update was accepted, but a refusal was expected');
}

/** The actions of a case's timeline, in order. */
export const actions = (v: CaseView) => v.timeline.map((e) => e.action);
/** The same without the `deadline_set` entry each new stage records. */
export const steps = (v: CaseView) => actions(v).filter((a) => a !== 'deadline_set');
