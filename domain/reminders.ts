// When to remind before a deadline and when to escalate after it. Pure, so a
// workflow can compute its timers from recorded instants and replay identically.
import { parseInstant } from './calendar.ts';

export const DEFAULT_REMINDER_FRACTIONS: readonly number[] = [0.5, 0.9];

/**
 * Instants at the given fractions of the way from `start` to `due`, kept only when strictly
 * between them, sorted and deduplicated. Rounded to the millisecond so the output is exact ISO.
 */
export function reminderInstants(input: {
  start: string;
  due: string;
  fractions?: readonly number[];
}): string[] {
  const startMs = parseInstant(input.start);
  const dueMs = parseInstant(input.due);
  const fractions = input.fractions ?? DEFAULT_REMINDER_FRACTIONS;
  for (const f of fractions) {
    if (!Number.isFinite(f)) throw new RangeError(`reminder fraction must be finite, got ${f}`);
  }
  const span = dueMs - startMs;
  const instants = new Set<number>();
  for (const f of fractions) {
    const at = startMs + Math.round(f * span);
    if (at > startMs && at < dueMs) instants.add(at);
  }
  return [...instants].sort((a, b) => a - b).map((ms) => new Date(ms).toISOString());
}

/**
 * `count` escalation instants: the first at `due` itself (the moment the limit passes),
 * then one every `period` milliseconds, each reaching one level further up the grid.
 */
export function escalationInstants(input: { due: string; period: number; count: number }): string[] {
  const dueMs = parseInstant(input.due);
  const { period, count } = input;
  if (!Number.isFinite(period) || period <= 0) {
    throw new RangeError(`escalation period must be a positive number of milliseconds, got ${period}`);
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`escalation count must be a non-negative integer, got ${count}`);
  }
  return Array.from({ length: count }, (_, k) => new Date(dueMs + Math.round(k * period)).toISOString());
}
