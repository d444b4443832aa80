import { completionRatio, duties, type DutyOccurrence } from './duties.ts';
import type { KpiValue } from './kpi.ts';

/**
 * Duty completion rate: the recurring duties of the 6T standard (seed 000)
 * done over those decided (done or missed) among the occurrences due in the
 * period. The target is every one: each item states its duty as an
 * obligation (每天、每学期、每年一次以上), not a share. Kept apart from
 * kpi.ts, which counts cases; this counts the duty calendar.
 */
export const DUTY_COMPLETION_TARGET = 1;

export function dutyCompletionKpi(occurrences: readonly Pick<DutyOccurrence, 'status'>[]): KpiValue {
  const r = completionRatio(occurrences);
  const value = r.den === 0 ? null : Math.round((10_000 * r.num) / r.den) / 10_000;
  const cites = [...new Set(duties.flatMap((d) => d.items))];
  const items = cites.map((id) => id.replace(/^6t\./, ''));
  return {
    id: 'duty_completion_rate',
    label: { zh: '例行职责完成率', en: 'Duty completion rate' },
    unit: 'ratio',
    target: DUTY_COMPLETION_TARGET,
    comparator: '>=',
    source: `seed 000: the duties of items ${items.join(', ')} are each required in full`,
    cites,
    value,
    numerator: r.num,
    denominator: r.den,
    met: value === null ? null : value >= DUTY_COMPLETION_TARGET - 1e-9,
  };
}
