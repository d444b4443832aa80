import { actsOnCases } from './case-acting-roles.ts';
import type { CaseView, Stage } from './case-model.ts';
import { stageOwners } from './case-routing.ts';
import { localDate, localTime } from './calendar.ts';
import type { Directory, Person } from './directory.ts';
import { casePagePath } from './email-content.ts';
import type { HolderState, StrandedBuilding, StrandedCase, StrandedHolder } from './stranded-cases-mail.ts';
import { timedStages, type TimedStage } from './sla.ts';
import type { Bilingual } from './text.ts';

/**
 * The decisions behind the stranded-cases mail (store/stranded-notices.ts sends it): who of a
 * directory version's removed and demoted people still strand cases, who hears of a place's
 * cases, and what the mail says of each case. Pure, so the directory save, the admin's pages and
 * the daily activity's catch-up decide alike.
 */

/** How many of a place's cases a mail lists; the rest are counted, and the directory page lists them all. */
export const STRANDED_CASES_LISTED = 50;

/** An open case that waits on people who can no longer act on it, and who they are on it. */
export interface StrandedEntry {
  view: CaseView;
  holders: StrandedHolder[];
  holderIds: Set<string>;
}

/**
 * The version's removed and demoted people who still strand their cases in the directory in
 * force: someone it has back (or back in a role that acts on cases) strands nothing any more.
 */
export function strandingPeople(
  snapshot: { removedPeople: readonly string[]; demotedPeople?: readonly string[] | undefined },
  inForce: Directory,
): [string, HolderState][] {
  const people = new Map(inForce.people.map((p) => [p.id, p]));
  return [
    ...snapshot.removedPeople
      .filter((id) => !people.has(id))
      .map((id): [string, HolderState] => [id, 'removed']),
    ...(snapshot.demotedPeople ?? [])
      .filter((id) => {
        const p = people.get(id);
        return p !== undefined && !actsOnCases(p.roles);
      })
      .map((id): [string, HolderState] => [id, 'demoted']),
  ];
}

/** What the person is on the case: a party only as reporter or commenter holds nothing. */
export const holdingAs = (view: CaseView, personId: string): StrandedHolder['as'][] => [
  ...(view.assigneeId === personId ? ['assignee' as const] : []),
  ...(view.responsibleId === personId ? ['responsible' as const] : []),
];

/** Who hears of a building's stranded cases: its supervisors in force, else the working group. */
export function readersOf(
  dir: Directory,
  buildingId: string,
  stranded: ReadonlySet<string>,
): { people: Person[]; workingGroup: boolean } {
  const can = (id: string) => {
    const p = dir.people.find((x) => x.id === id);
    return p && !stranded.has(id) && actsOnCases(p.roles) ? [p] : [];
  };
  const supervisors = (dir.buildings.find((b) => b.id === buildingId)?.supervisorIds ?? []).flatMap(can);
  if (supervisors.length > 0) return { people: supervisors, workingGroup: false };
  return { people: dir.campus.workingGroupIds.flatMap(can), workingGroup: true };
}

/** The stage's deadline still running, if the stage has one. */
const runningDeadline = (v: CaseView) => v.deadlines.find((d) => !d.closedAt);
const dueOf = (v: CaseView) => runningDeadline(v)?.due;

/** Past its deadline: breached as the workflow recorded it, or due already and not recorded yet. */
function isOverdue(v: CaseView, now: number): boolean {
  const d = runningDeadline(v);
  return d !== undefined && (d.state === 'breached' || Date.parse(d.due) <= now);
}

const isTimed = (s: Stage): s is TimedStage => (timedStages as readonly Stage[]).includes(s);

/**
 * Whether the case's stage waits on one of its stranded holders, so the stage's reminders go to
 * them (stageOwners); review and adjudication wait on the supervisors and follow-up on the reporter.
 */
const waitsOnHolder = (v: CaseView, holderIds: ReadonlySet<string>): boolean =>
  isTimed(v.stage) && stageOwners(v.stage, v, { supervisorIds: [] }).some((id) => holderIds.has(id));

/** The campus wall clock as the case pages show it ('YYYY-MM-DD HH:mm'). */
export const campusMinute = (iso: string, timeZone: string): string =>
  `${localDate(iso, timeZone)} ${localTime(iso, timeZone)}`;

/** A place's part of the mail: its cases soonest due first, at most STRANDED_CASES_LISTED of them. */
export function strandedBuildingPart(
  name: Bilingual,
  asWorkingGroup: boolean,
  entries: readonly StrandedEntry[],
  at: { now: number; timeZone: string; publicBaseUrl: string },
): StrandedBuilding {
  const cases: StrandedCase[] = [...entries]
    .sort((a, b) => (dueOf(a.view) ?? '9').localeCompare(dueOf(b.view) ?? '9'))
    .slice(0, STRANDED_CASES_LISTED)
    .map(({ view, holders, holderIds }) => {
      const due = dueOf(view);
      return {
        caseId: view.caseId,
        stage: view.stage,
        dueText: due ? campusMinute(due, at.timeZone) : undefined,
        overdue: isOverdue(view, at.now),
        waitsOnHolder: waitsOnHolder(view, holderIds),
        holders,
        reassignUrl: `${at.publicBaseUrl}${casePagePath(view.caseId)}#reassign-title`,
      };
    });
  return { name, asWorkingGroup, cases, more: entries.length - cases.length };
}
