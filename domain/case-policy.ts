import { DEFAULT_MAX_FAILED_REVIEWS } from './case-budgets.ts';
import type { CaseInput, CasePolicy } from './case-model.ts';
import { escalationChain, type Directory, type Location } from './directory.ts';
import type { WorkingHours } from './quiet-hours.ts';
import { DEFAULT_REMINDER_FRACTIONS } from './reminders.ts';
import { resolveSla, type Severity, type Source } from './sla.ts';

export { DEFAULT_MAX_FAILED_REVIEWS };

/**
 * Everything a case needs to decide on its own for its whole life, resolved
 * once when it opens and pinned in its input: a new catalogue or a changed
 * directory never changes a running case's replay.
 */
export function buildPolicy(
  dir: Directory,
  c: { source: Source; severity: Severity; category?: string | undefined; location: Location },
  opts: {
    timeZone: string;
    maxFailedReviews?: number;
    reminderFractions?: number[];
    workingHours?: WorkingHours | undefined;
  },
): CasePolicy {
  const sla = resolveSla({
    source: c.source,
    severity: c.severity,
    ...(c.category ? { category: c.category } : {}),
  });
  const building = dir.buildings.find((b) => b.id === c.location.buildingId);
  return {
    slaVersion: sla.version,
    slaRuleId: sla.rule.id,
    slaLabel: sla.rule.label,
    stageDurations: { ...sla.rule.stages },
    leadershipNotice: sla.rule.leadershipNotice,
    reminderFractions: opts.reminderFractions ?? [...DEFAULT_REMINDER_FRACTIONS],
    maxFailedReviews: opts.maxFailedReviews ?? DEFAULT_MAX_FAILED_REVIEWS,
    escalationChain: escalationChain(dir, c.location),
    supervisorIds: building ? [...building.supervisorIds] : [],
    timeZone: opts.timeZone,
    ...(opts.workingHours ? { workingHours: { ...opts.workingHours } } : {}),
  };
}

export type { CaseInput };
