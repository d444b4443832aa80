import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { CaseView } from '../domain/case-model.ts';
import type { Directory } from '../domain/directory.ts';
import { effectQueues } from '../domain/effect-failure.ts';
import { casePagePath } from '../domain/email-content.ts';
import { placeNameOf } from '../domain/place-name.ts';
import { REVIEW_DIGEST_WINDOW_MS, reviewDigestMail } from '../domain/review-digest-mail.ts';
import { getCaseRecord } from '../store/case-records.ts';
import { loadDirectory } from '../store/directory.ts';
import { outboxScope } from '../store/keys.ts';
import { sendOnce } from '../store/outbox.ts';
import { routeReviewMail, settleDigest, type DigestCase, type ReviewRoute } from '../store/review-digests.ts';
import type { reviewDigest } from '../workflows/review-digest/workflow.ts';
import { campusTime } from './case-mail-facts.ts';
import type { ActivityDeps } from './index.ts';
import { permanentFailure } from './permanent-failures.ts';
import {
  mailCasesInstead,
  recordDigestSent,
  type DigestFallback,
  type FallbackReason,
} from './review-digest-fallback.ts';

export interface ReviewDigestInput {
  queue: string;
  recipientId: string;
  windowId: string;
  /** When the window ends (ms, on the workflow's clock): the digest goes then. */
  endsAt: number;
  windowMinutes: number;
}

/** The window a deployment gathers review requests over; 0 mails each at once (as before). */
export const reviewWindowMs = (deps: Pick<ActivityDeps, 'reviewDigestWindowMs'>): number =>
  deps.reviewDigestWindowMs ?? REVIEW_DIGEST_WINDOW_MS;

/** The workflows' task queue, from the queue a case's mail activity runs on (effectQueues). */
function workflowQueue(taskQueue: string): string {
  const effects = effectQueues('');
  for (const suffix of [effects.mail, effects.audit])
    if (taskQueue.endsWith(suffix)) return taskQueue.slice(0, -suffix.length);
  return taskQueue;
}

/** Where gathering runs: inside an activity with a client to start the digest; else nowhere (mailed at once). */
function gathering(): { client: Client; queue: string; now: number } | undefined {
  let ctx: Context;
  let client: Client;
  try {
    ctx = Context.current();
    // A mock activity environment may have no client: its mail goes at once, as outside one.
    client = ctx.client;
  } catch {
    return undefined;
  }
  return {
    client,
    queue: workflowQueue(ctx.info.taskQueue),
    // Temporal's clock, which the digest workflow sleeps by (a test server's skipped one too).
    now: ctx.info.currentAttemptScheduledTimestampMs,
  };
}

/**
 * A review request to one supervisor: mailed at once (answered 'now': the caller sends it as
 * any case mail) when it opens their window, else gathered into the window's digest, whose
 * workflow is started here (or found started). Decided once per case mail (store/review-digests.ts):
 * a retry answers the same, and gathers nothing twice.
 */
export async function gatherReviewMail(
  deps: ActivityDeps,
  dir: Directory | null,
  mail: {
    caseId: string;
    title: string;
    outboxKey: string;
    buildingId?: string | undefined;
    due?: string | undefined;
  },
  recipientId: string,
): Promise<ReviewRoute | undefined> {
  const windowMs = reviewWindowMs(deps);
  const where = windowMs > 0 ? gathering() : undefined;
  if (!where) return undefined;
  const building = dir?.buildings.find((b) => b.id === mail.buildingId)?.name ?? {
    zh: mail.buildingId ?? '',
    en: mail.buildingId ?? '',
  };
  const route = await routeReviewMail(deps, {
    queue: where.queue,
    recipientId,
    caseId: mail.caseId,
    outboxKey: mail.outboxKey,
    entry: {
      caseId: mail.caseId,
      title: mail.title,
      building,
      due: mail.due,
      buildingId: mail.buildingId,
      at: where.now,
    },
    now: where.now,
    windowMs,
  });
  if (route.route === 'digest') {
    const input: ReviewDigestInput = {
      queue: where.queue,
      recipientId,
      windowId: route.windowId,
      endsAt: route.endsAt,
      windowMinutes: Math.round(windowMs / 60_000),
    };
    await where.client.workflow
      .start<typeof reviewDigest>('reviewDigest', {
        taskQueue: where.queue,
        // One per recipient, task queue and window: asked again, it is the same one.
        workflowId: `review-digest.${input.queue}.${recipientId}.${input.windowId}`,
        args: [input],
        // Once it has sent its digest, a retry of a gathered mail must not start it again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      })
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
  }
  return route;
}

/**
 * Whether a gathered case still awaits the review it was gathered for: its record (not the
 * workflow, which the digest must not wait on) is still at that stage and round. A case reviewed
 * meanwhile, by this supervisor or another, withdrawn or closed has moved on; one with no record
 * (or an entry that does not say its review) is listed, as before.
 */
function awaitsReview(record: CaseView | null, c: DigestCase): boolean {
  if (!record || c.stage === undefined || c.round === undefined) return true;
  return record.stage === c.stage && record.round === c.round;
}

/** The review's deadline as the record has it now (a pause may have moved it), else as gathered. */
function reviewDue(record: CaseView | null, c: DigestCase): string | undefined {
  const now = record?.deadlines.findLast(
    (d) => d.stage === c.stage && d.round === c.round && d.state === 'pending',
  );
  return now?.due ?? c.due;
}

/** The digest workflow's activity: one mail listing a window's gathered review requests still awaited. */
export function createReviewDigestActivities(deps: ActivityDeps) {
  async function sendReviewDigest(
    input: ReviewDigestInput,
  ): Promise<{ listed: number; handled: number; fallback?: DigestFallback }> {
    const records = new Map<string, Promise<CaseView | null>>();
    const recordOf = (caseId: string) => {
      const known = records.get(caseId);
      if (known) return known;
      const read = getCaseRecord(deps.ddb, deps.tables, caseId);
      records.set(caseId, read);
      return read;
    };
    const { cases, handled } = await settleDigest(
      deps,
      input.queue,
      input.recipientId,
      input.windowId,
      async (c) => awaitsReview(await recordOf(c.caseId), c),
    );
    // Every case of the window already handled: the decision kept says so, and nothing is mailed.
    if (cases.length === 0) return { listed: 0, handled };
    const dir = await loadDirectory(deps.ddb, deps.tables);
    const person = dir?.people.find((p) => p.id === input.recipientId);
    const instead = async (reason: FallbackReason) => ({
      listed: 0,
      handled,
      fallback: await mailCasesInstead(deps, dir, { ...input, reason }, cases, recordOf),
    });
    // Gone from the directory since: the building's supervisors now are asked instead.
    if (!person) return instead('reader_gone');
    const base = deps.publicBaseUrl.replace(/\/+$/, '');
    const listed = await Promise.all(
      cases.map(async (c) => {
        const record = await recordOf(c.caseId);
        const due = reviewDue(record, c);
        return {
          caseId: c.caseId,
          title: c.title,
          place: record && dir ? placeNameOf(dir, record.location) : c.building,
          dueAt: due,
          dueText: due ? campusTime(due, deps.timeZone) : undefined,
          reviewUrl: `${base}${casePagePath(c.caseId)}`,
        };
      }),
    );
    const mail = reviewDigestMail(person.language, {
      recipientName: person.name,
      windowMinutes: input.windowMinutes,
      cases: listed,
      alreadyHandled: handled,
    });
    let sent: Awaited<ReturnType<typeof sendOnce>>;
    try {
      sent = await sendOnce(
        deps,
        { scope: outboxScope.reviewDigest(input.queue, input.recipientId), key: input.windowId },
        () => Promise.resolve({ to: person.email, ...mail }),
      );
    } catch (err) {
      if (!permanentFailure(err)) throw err;
      console.warn(`[review digest] ${input.recipientId} ${input.windowId} refused for good`, err);
      return instead('refused');
    }
    await recordDigestSent(deps, cases, {
      recipientId: input.recipientId,
      windowId: input.windowId,
      ...sent,
    });
    return { listed: cases.length, handled };
  }
  return { sendReviewDigest };
}

export type ReviewDigestActivities = ReturnType<typeof createReviewDigestActivities>;
