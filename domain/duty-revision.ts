import type { DutyOccurrence } from './duties.ts';

/**
 * How far an occurrence has come: every change its workflow makes adds a completion, a
 * reminder sent, a decided status or the case a miss opened, so the number grows with each.
 * The store keeps the copy with the highest one: saves of one occurrence run as concurrent
 * activities and may land out of order, and an older copy must not overwrite a newer one.
 * Derived from the occurrence rather than stored in it, so runs started before it count the same.
 */
export const occurrenceRevision = (
  o: Pick<DutyOccurrence, 'completions' | 'remindersSent' | 'status' | 'caseId'>,
): number => o.completions.length + o.remindersSent + (o.status === 'open' ? 0 : 1) + (o.caseId ? 1 : 0);
