import type { CaseView, DeadlineView, FollowUpRecord } from '../../domain/case-model.ts';
import type { TimedStage } from '../../domain/sla.ts';

/** Hours after a base instant, as an ISO string. */
export const at = (base: string, hours: number) =>
  new Date(Date.parse(base) + hours * 3_600_000).toISOString();

export interface ViewSpec extends Partial<Omit<CaseView, 'deadlines'>> {
  caseId: string;
  openedAt: string;
  /** [stage, state, hours after opening when it closed or was breached] */
  deadlines?: [TimedStage, DeadlineView['state'], number?][];
  score?: number;
  followUpOutcome?: FollowUpRecord['outcome'];
  followUpAt?: string;
}

/** A case view as the case workflow would store it, with only what a test cares about spelled out. */
export function view(s: ViewSpec): CaseView {
  const { deadlines = [], score, followUpOutcome, followUpAt, ...rest } = s;
  const followUp: FollowUpRecord | undefined =
    followUpOutcome || score !== undefined
      ? { score, outcome: followUpOutcome ?? 'rated', at: followUpAt ?? s.closedAt ?? at(s.openedAt, 1) }
      : undefined;
  return {
    title: `case ${s.caseId}`,
    description: '',
    source: 'repair',
    severity: 'routine',
    location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
    assigneeId: 'staff-zhou',
    responsibleId: 'staff-zhou',
    openedBy: 'sup-wang',
    stage: 'closed',
    round: 1,
    failedReviews: 0,
    overdue: false,
    sla: { version: '2026.1', ruleId: 'repair.routine', label: { zh: '', en: '' } },
    notices: [],
    signOffs: [],
    rectifications: [],
    reviews: [],
    adjudications: [],
    comments: [],
    timeline: [],
    version: 1,
    followUp,
    ...rest,
    deadlines: deadlines.map(([stage, state, h], i) => ({
      stage,
      round: 1,
      startedAt: s.openedAt,
      due: at(s.openedAt, (h ?? 1) + 1),
      approximate: false,
      calendarVersion: 'test',
      state,
      ...(state === 'met' ? { closedAt: at(s.openedAt, h ?? i + 1) } : {}),
      ...(state === 'breached' ? { breachedAt: at(s.openedAt, h ?? i + 1) } : {}),
    })),
  };
}
