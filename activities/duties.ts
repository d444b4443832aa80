import { itemCaseBasis } from './item-case.ts';
import { ApplicationFailure } from '@temporalio/activity';
import { SYSTEM_ACTOR, type CaseInput } from '../domain/case-model.ts';
import { placeNameOf } from '../domain/place-name.ts';
import { createCalendar, localDate, officialDays } from '../domain/calendar.ts';
import { overridesFrom, type CalendarFile } from '../domain/calendar-file.ts';
import type { Building, Directory, Person } from '../domain/directory.ts';
import { staffAssignee } from '../domain/directory.ts';
import {
  allWindowsOn,
  dutyById,
  newOccurrence,
  occurrenceId,
  type DutyCalendar,
  type DutyDefinition,
  type DutyOccurrence,
  type OwnerKind,
} from '../domain/duties.ts';
import { missedDutyCaseText } from '../domain/duty-case.ts';
import { dutyMail } from '../domain/duty-mail.ts';
import { citation, standardItem } from '../domain/standards/catalogue.ts';
import { loadDirectory } from '../store/directory.ts';
import { claimDutyCase, getOccurrence, saveOccurrence } from '../store/duties.ts';
import { sendOnce } from '../store/outbox.ts';
import type { ActivityDeps } from './index.ts';

export const DutyFailure = {
  NoDirectory: 'DutyNoDirectory',
  UnknownDuty: 'DutyUnknown',
} as const;

/** Who a duty falls to in one building (the supervisors when the directory names nobody else). */
export function ownersOf(dir: Directory, building: Building, kind: OwnerKind): string[] {
  const staffOf = (k: Person['staffKind']) =>
    dir.people.filter((p) => p.roles.includes('staff') && p.staffKind === k).map((p) => p.id);
  const ids =
    kind === 'supervisors'
      ? building.supervisorIds
      : kind === 'building_grid'
        ? building.gridMemberIds
        : kind === 'manager'
          ? staffOf('manager')
          : staffOf('duty');
  return ids.length > 0 ? [...ids] : [...building.supervisorIds];
}

/** The break and term calendar the duty rules read, from the school's calendar file and the official data. */
export function dutyCalendar(file: CalendarFile, date: string): DutyCalendar {
  const year = Number(date.slice(0, 4));
  const working = createCalendar(overridesFrom(file));
  return {
    terms: file.terms,
    holidays: [
      ...[year - 1, year, year + 1].flatMap((y) => officialDays(y).holidays),
      ...file.holidays.map((h) => h.date),
    ],
    isWorkingDay: (d) => working.isWorkingDay(d),
  };
}

/** The duty calendar's activities: each idempotent (rows overwritten, cases claimed once, emails once). */
export function createDutyActivities(deps: ActivityDeps) {
  const store = { ddb: deps.ddb, tables: deps.tables };
  const file: CalendarFile = deps.calendarFile ?? {
    official: [],
    holidays: [],
    workdays: [],
    closures: [],
    terms: [],
  };

  async function directory(): Promise<Directory> {
    const dir = await loadDirectory(deps.ddb, deps.tables);
    if (!dir) throw ApplicationFailure.nonRetryable('no campus directory is loaded', DutyFailure.NoDirectory);
    return dir;
  }

  function duty(id: string): DutyDefinition {
    const d = dutyById(id);
    if (!d) throw ApplicationFailure.nonRetryable(`no duty ${id}`, DutyFailure.UnknownDuty);
    return d;
  }

  /**
   * The occurrences whose window holds `date`, in every dormitory (or those
   * given), with their owners from the directory: those not yet decided. One
   * already done or missed is left out, so a workflow id the server has
   * forgotten never runs a second time.
   */
  async function planDuties(input: {
    date: string;
    timeZone: string;
    buildingIds?: string[] | undefined;
    dutyIds?: string[] | undefined;
  }): Promise<DutyOccurrence[]> {
    const dir = await directory();
    // Terms and closures as the admin page saved them last (else CALENDAR_FILE), as deadlines read them.
    const current = (await deps.currentCalendar?.())?.file ?? file;
    const windows = allWindowsOn(input.date, dutyCalendar(current, input.date)).filter(
      (w) => !input.dutyIds || input.dutyIds.includes(w.dutyId),
    );
    const out: DutyOccurrence[] = [];
    for (const b of dir.buildings) {
      if (b.kind === 'public_area') continue;
      if (input.buildingIds && !input.buildingIds.includes(b.id)) continue;
      for (const w of windows) {
        const stored = await getOccurrence(store, occurrenceId(w.dutyId, b.id, w.period));
        if (stored && stored.status !== 'open') continue;
        const d = duty(w.dutyId);
        out.push(
          newOccurrence(
            d,
            w,
            { buildingId: b.id, ownerIds: ownersOf(dir, b, d.owner), supervisorIds: b.supervisorIds },
            input.timeZone,
          ),
        );
      }
    }
    return out;
  }

  async function mailOwners(o: DutyOccurrence, key: string, tag: { zh: string; en: string }): Promise<void> {
    const dir = await directory();
    const d = duty(o.dutyId);
    const url = `${deps.publicBaseUrl}/duties/${o.occurrenceId}`;
    const name = placeNameOf(dir, { buildingId: o.buildingId });
    const dueDate = localDate(o.due, deps.timeZone);
    for (const id of o.ownerIds) {
      const p = dir.people.find((x) => x.id === id);
      if (!p) continue;
      await sendOnce(deps, { scope: o.occurrenceId, key: `${key}#${p.id}` }, async () => ({
        to: p.email,
        ...dutyMail(p, { tag, duty: d, occurrence: o, building: name, dueDate, url }),
      }));
    }
  }

  /** Stores a new occurrence; a duty longer than a day tells its owners it is open. */
  async function openDutyOccurrence(o: DutyOccurrence): Promise<void> {
    await saveOccurrence(store, o);
    if (duty(o.dutyId).frequency !== 'daily')
      await mailOwners(o, 'open', { zh: '待办职责', en: 'Duty open' });
  }

  async function saveDutyOccurrence(o: DutyOccurrence): Promise<void> {
    await saveOccurrence(store, o);
  }

  /** The n-th reminder before the occurrence is due, to its owners. */
  async function remindDuty(input: { occurrence: DutyOccurrence; n: number }): Promise<void> {
    await mailOwners(input.occurrence, `remind#${input.n}`, { zh: '职责提醒', en: 'Duty reminder' });
  }

  /**
   * The case a missed occurrence opens: it cites the duty's first item
   * (category = the item id), runs under the item's SLA rule where it has
   * one, is assigned to an owner on the staff (else the manager), and is
   * claimed once per occurrence.
   */
  async function prepareDutyCase(input: { occurrence: DutyOccurrence; at: string }): Promise<CaseInput> {
    const o = input.occurrence;
    const d = duty(o.dutyId);
    const dir = await directory();
    const item = standardItem(d.items[0] ?? '');
    if (!item)
      throw ApplicationFailure.nonRetryable(`no catalogue item for ${d.id}`, DutyFailure.UnknownDuty);
    const assignee = staffAssignee(dir, o.ownerIds);
    if (!assignee)
      throw ApplicationFailure.nonRetryable('the directory has no staff', DutyFailure.NoDirectory);
    return claimDutyCase(store, o.occurrenceId, async () => {
      const basis = await itemCaseBasis(deps, {
        dir,
        item,
        location: { buildingId: o.buildingId },
        openedAt: input.at,
        timeZone: deps.timeZone,
      });
      return {
        ...basis,
        ...missedDutyCaseText({
          duty: d,
          occurrence: o,
          // As every page names it: a building gone from the directory is marked so, not a bare id.
          building: placeNameOf(dir, { buildingId: o.buildingId }),
          citation: citation(item),
          requirement: item.requirement.zh,
          timeZone: deps.timeZone,
        }),
        assigneeId: assignee.id,
        openedBy: SYSTEM_ACTOR,
        openedAt: input.at,
      };
    });
  }

  return { planDuties, openDutyOccurrence, saveDutyOccurrence, remindDuty, prepareDutyCase };
}

export type DutyActivities = ReturnType<typeof createDutyActivities>;
