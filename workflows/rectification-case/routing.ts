import { proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/index.ts';
import type { CasePolicy } from '../../domain/case-model.ts';
import type { EscalationStep } from '../../domain/escalation.ts';
import { workingTimeAfter } from '../../domain/deadline-plan.ts';
import type { CaseState } from './state.ts';

/** patched() id: the escalation chain is read from the directory as it stands at the breach (added after v4 histories). */
export const DIRECTORY_ROUTING_PATCH = 'directory-routing';
/** patched() id: escalation of a working-day rule waits working time (added after v4 histories). */
export const WORKING_TIME_ESCALATION_PATCH = 'working-time-escalation';

// A directory read that fails three times is not worth holding an escalation for: the
// pinned policy is the fallback.
const reads = proxyActivities<Pick<CaseActivities, 'currentRouting' | 'planWorkingTime'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});

/**
 * The escalation chain and supervisors of the case's place in the directory now: a grid
 * member or supervisor appointed after the case opened hears of it. The pinned policy
 * when the directory cannot be read or no longer has the place, and the pinned supervisors when
 * the building has none now.
 */
export async function currentRouting(
  s: CaseState,
): Promise<Pick<CasePolicy, 'escalationChain' | 'supervisorIds'>> {
  const pinned = { escalationChain: s.policy.escalationChain, supervisorIds: s.policy.supervisorIds };
  try {
    const now = await reads.currentRouting({ location: s.view.location });
    if (!now) return pinned;
    // A building left with no supervisor is still supervised by the pinned ones: a pause request
    // mailed to nobody would wait for ever. Only an activity's input changes, so cases replay.
    return now.supervisorIds.length > 0 ? now : { ...now, supervisorIds: pinned.supervisorIds };
  } catch {
    return pinned;
  }
}

/**
 * The instants of an escalation's rungs counted in working time from the breach (working
 * hours on working days, by the case's pinned calendar, else this deployment's). Rungs due at
 * the breach stay at it.
 */
export async function workingTimeInstants(
  s: CaseState,
  breachedAt: string,
  steps: readonly EscalationStep[],
): Promise<string[]> {
  const input = {
    start: breachedAt,
    offsetsMs: steps.map((st) => st.afterBreachMs),
    timeZone: s.policy.timeZone,
    hours: s.policy.workingHours,
  };
  // A case that pinned its calendar counts with it, here; the others ask the worker.
  if (s.calendar) return workingTimeAfter(input, s.calendar);
  const { instants } = await reads.planWorkingTime(input);
  return instants;
}
