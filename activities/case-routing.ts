// What the case workflow reads from the present rather than from its pinned policy: the
// escalation chain and the supervisors in the directory as it stands now, and the working
// time of an escalation (the calendar of this deployment). Their results are in history.
import type { WorkingCalendar } from '../domain/calendar.ts';
import type { CasePolicy } from '../domain/case-model.ts';
import { escalationChain, type Location } from '../domain/directory.ts';
import type { WorkingHours } from '../domain/quiet-hours.ts';
import { workingTimeAfter } from '../domain/deadline-plan.ts';
import type { AwsDeps } from '../store/clients.ts';
import { loadDirectory } from '../store/directory.ts';

export interface CurrentRoutingInput {
  location: Location;
}
/** The chain and supervisors now, or null when no directory is loaded (the workflow keeps its pinned ones). */
export type CurrentRouting = Pick<CasePolicy, 'escalationChain' | 'supervisorIds'> | null;

export interface PlanWorkingTimeInput {
  start: string;
  offsetsMs: number[];
  timeZone: string;
  hours?: WorkingHours | undefined;
}

/** The routing activities, over the directory store and this deployment's calendar (the version in force). */
export function createRoutingActivities(deps: AwsDeps, calendarNow: () => Promise<WorkingCalendar>) {
  async function currentRouting(input: CurrentRoutingInput): Promise<CurrentRouting> {
    const dir = await loadDirectory(deps.ddb, deps.tables, true);
    const building = dir?.buildings.find((b) => b.id === input.location.buildingId);
    if (!dir || !building) return null;
    return {
      escalationChain: escalationChain(dir, input.location),
      supervisorIds: [...building.supervisorIds],
    };
  }

  async function planWorkingTime(
    input: PlanWorkingTimeInput,
  ): Promise<{ instants: string[]; calendarVersion: string }> {
    const calendar = await calendarNow();
    return { instants: workingTimeAfter(input, calendar), calendarVersion: calendar.version };
  }

  return { currentRouting, planWorkingTime };
}
