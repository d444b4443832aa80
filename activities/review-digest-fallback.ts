import { ApplicationFailure } from '@temporalio/common';
import type { CaseView } from '../domain/case-model.ts';
import type { Directory } from '../domain/directory.ts';
import { EffectFailure } from '../domain/effect-failure.ts';
import { casePagePath, renderEmail } from '../domain/email-content.ts';
import { recordEmailSent } from '../store/audit-chain.ts';
import { outboxScope } from '../store/keys.ts';
import { sendOnce } from '../store/outbox.ts';
import { routeOf, type DigestCase } from '../store/review-digests.ts';
import { campusTime, caseMailFacts } from './case-mail-facts.ts';
import type { ActivityDeps } from './index.ts';
import { permanentFailure } from './permanent-failures.ts';

/**
 * What a digest's sending leaves on each case it listed, and what becomes of its cases when it
 * cannot go. The case's audit says a review request was mailed only once a mail went: the
 * digest's, at its time, or the case's own mail sent instead.
 */

export interface DigestMailed {
  recipientId: string;
  windowId: string;
  messageId?: string | undefined;
  sentAt?: string | undefined;
}

/**
 * Records the digest's mail on each case it listed, under the step id the case's own mail to
 * that reader would have had: a retried send appends nothing twice, and a case whose gathering
 * was recorded as sent before this change keeps that one entry.
 */
export async function recordDigestSent(
  deps: ActivityDeps,
  cases: DigestCase[],
  sent: DigestMailed,
): Promise<void> {
  const at = sent.sentAt ?? new Date().toISOString();
  for (const c of cases)
    await recordEmailSent(deps.ddb, deps.tables, c.caseId, at, {
      kind: 'review_request',
      to: sent.recipientId,
      outboxKey: c.outboxKey,
      digest: sent.windowId,
      messageId: sent.messageId,
    });
}

/** Why a digest's cases are mailed one by one instead. */
export type FallbackReason = 'reader_gone' | 'refused';

export interface DigestFallback {
  reason: FallbackReason;
  /** `caseId to personId` for each case mail sent (or found sent) instead of the digest. */
  mailed: string[];
  /** Cases whose building has no supervisor left in the directory to mail. */
  unreached: string[];
}

/**
 * A digest that cannot go (its reader left the directory, or the mail service refused it for
 * good) must not leave its cases unasked: each is mailed on its own, as the case would have
 * mailed it, to its building's current supervisors, under the case's own outbox key for each
 * (never the digest's), so a supervisor the case already mailed at once is not mailed again.
 * A supervisor whose own digest lists the case is left to it. The reader refused is tried
 * once more on their own: a refusal of that too fails the activity, after everyone else.
 */
export async function mailCasesInstead(
  deps: ActivityDeps,
  dir: Directory | null,
  input: { recipientId: string; windowId: string; reason: FallbackReason },
  cases: DigestCase[],
  recordOf: (caseId: string) => Promise<CaseView | null>,
): Promise<DigestFallback> {
  const out: DigestFallback = { reason: input.reason, mailed: [], unreached: [] };
  const refused: string[] = [];
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  for (const c of cases) {
    const record = await recordOf(c.caseId);
    const buildingId = c.buildingId ?? record?.location.buildingId;
    const supervisors = dir?.buildings.find((b) => b.id === buildingId)?.supervisorIds ?? [];
    const suffix = `#${input.recipientId}`;
    let reachable = false;
    for (const id of supervisors) {
      const person = dir?.people.find((p) => p.id === id);
      if (!person) continue;
      // The case mail's key for this supervisor: the same stage, round and key, their id last.
      if (id !== input.recipientId && !c.outboxKey.endsWith(suffix)) continue;
      const outboxKey =
        id === input.recipientId ? c.outboxKey : `${c.outboxKey.slice(0, -suffix.length)}#${id}`;
      reachable = true;
      if (id !== input.recipientId && (await routeOf(deps, c.caseId, outboxKey))?.route === 'digest')
        continue;
      const stage = c.stage ?? record?.stage ?? 'reviewing';
      const round = c.round ?? record?.round ?? 1;
      const facts = await caseMailFacts(deps, dir, { caseId: c.caseId, kind: 'review_request', round });
      const sent = await sendOnce(deps, { scope: outboxScope.case(c.caseId), key: outboxKey }, () =>
        Promise.resolve({
          to: person.email,
          ...renderEmail(person.language, {
            kind: 'review_request',
            caseId: c.caseId,
            title: c.title,
            stage,
            round,
            recipientName: person.name,
            dueText: c.due ? campusTime(c.due, deps.timeZone) : undefined,
            caseUrl: `${base}${casePagePath(c.caseId)}`,
            ...facts,
          }),
        }),
      ).catch((err: unknown) => {
        if (!permanentFailure(err)) throw err;
        refused.push(`${c.caseId} to ${id}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      });
      if (!sent) continue;
      out.mailed.push(`${c.caseId} to ${id}`);
      await recordEmailSent(deps.ddb, deps.tables, c.caseId, sent.sentAt, {
        kind: 'review_request',
        to: id,
        outboxKey,
        messageId: sent.messageId,
        insteadOfDigest: input.windowId,
      });
    }
    if (!reachable) out.unreached.push(c.caseId);
  }
  if (out.unreached.length > 0)
    console.warn(
      `[review digest] ${input.recipientId} ${input.windowId}: no supervisor left to mail for ${out.unreached.join(', ')}`,
    );
  if (refused.length > 0)
    throw ApplicationFailure.nonRetryable(
      `review digest ${input.windowId} to ${input.recipientId} could not go (${input.reason}), nor the cases' own mails: ${refused.join('; ')}`,
      EffectFailure.EmailRejected,
      { mailed: out.mailed, unreached: out.unreached },
    );
  return out;
}
