// Who hears of an overdue case, and when, by its severity. Pure: the case workflow
// acts on the plan, so it is tested here and replays identically.
import type { EscalationLevel } from './directory.ts';
import type { Severity } from './sla.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** One rung of an overdue case's escalation: who, and how long after the breach. */
export interface EscalationStep {
  level: EscalationLevel['level'];
  personIds: string[];
  afterBreachMs: number;
}

/** The grid levels at and below a building's (level 1): they hear of an urgent case together. */
const GRID_LEVELS: ReadonlySet<EscalationLevel['level']> = new Set(['grid_l3', 'grid_l2', 'grid_l1']);

/**
 * The time between rungs: the stage's own length, at least an hour, so a short stage
 * does not run up the whole grid in minutes.
 */
export const escalationPeriodMs = (stageSpanMs: number): number => Math.max(HOUR_MS, stageSpanMs);

/**
 * The escalation of a breached stage, by severity (seed 001: "分级负责，分类处理"):
 * - routine goes up one rung per period and stops at the working group, which
 *   coordinates it; school leadership never hears of a routine case this way;
 * - urgent reaches the whole grid up to level 1 at the breach and the working group
 *   half a period later (at least 30 minutes), and stops there too;
 * - major reaches every rung, school leadership included, at the breach (leadership
 *   also hears of a major case when it opens and again before 48 hours, seed 002).
 */
export function escalationPlan(input: {
  severity: Severity;
  chain: readonly EscalationLevel[];
  stageSpanMs: number;
}): EscalationStep[] {
  const period = escalationPeriodMs(input.stageSpanMs);
  const step = (l: EscalationLevel, afterBreachMs: number): EscalationStep => ({
    level: l.level,
    personIds: [...l.personIds],
    afterBreachMs,
  });
  switch (input.severity) {
    case 'major':
      return input.chain.map((l) => step(l, 0));
    case 'urgent': {
      // Without a grid rung (a campus-wide place) the working group is the first to hear, at once.
      const hasGrid = input.chain.some((l) => GRID_LEVELS.has(l.level));
      const later = hasGrid ? Math.max(30 * MINUTE_MS, period / 2) : 0;
      return input.chain
        .filter((l) => l.level !== 'leadership')
        .map((l) => step(l, GRID_LEVELS.has(l.level) ? 0 : later));
    }
    case 'routine':
      return input.chain.filter((l) => l.level !== 'leadership').map((l, i) => step(l, i * period));
  }
}
