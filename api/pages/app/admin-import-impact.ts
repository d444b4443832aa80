import { actsOnCases } from '../../../domain/case-acting-roles.ts';
import type { Directory, Role } from '../../../domain/directory.ts';
import type { AppDeps } from '../../deps.ts';
import { awaitingSupervisorAt, openCasesOf } from '../../removed-people.ts';

/** A person an import removes or takes roles from, as the preview lists them. */
export interface Leaving {
  personId: string;
  /** As the directory in force names them. */
  name: string | undefined;
  /** The roles they hold now and will not after the import (all of them for someone removed). */
  lostRoles: Role[];
  /** Open cases left without them: those they hold, and those waiting for them as a place's only supervisor. */
  openCases: number;
  /** The admin previewing the import. */
  self: boolean;
}

/**
 * Whom an import removes (`removing`) and whom it leaves in with fewer roles (`demoted`), each
 * with the open cases that would wait for someone else. A person's own cases (assignee or
 * responsible) count once they go or keep no role that acts on cases; the cases in review or
 * adjudication at a place count when they were its only supervisor and are no longer one of its
 * supervisors.
 */
export async function importImpact(
  deps: Pick<AppDeps, 'aws'>,
  current: Directory | null,
  next: Directory,
  viewerId: string,
): Promise<{ removing: Leaving[]; demoted: Leaving[] }> {
  if (!current) return { removing: [], demoted: [] };
  const after = new Map(next.people.map((p) => [p.id, p]));
  const supervisorsAfter = new Map(next.buildings.map((b) => [b.id, b.supervisorIds]));
  const changed = current.people.filter((p) => {
    const now = after.get(p.id);
    return !now || p.roles.some((r) => !now.roles.includes(r));
  });
  const weighed = await Promise.all(
    changed.map(async (person) => {
      const now = after.get(person.id);
      const cases = new Set<string>();
      if (!now || (actsOnCases(person.roles) && !actsOnCases(now.roles)))
        for (const c of await openCasesOf(deps, person.id)) cases.add(c.caseId);
      const aloneAt = current.buildings.filter(
        (b) =>
          b.supervisorIds.length === 1 &&
          b.supervisorIds[0] === person.id &&
          !(supervisorsAfter.get(b.id) ?? []).includes(person.id),
      );
      for (const b of aloneAt) for (const c of await awaitingSupervisorAt(deps, b.id)) cases.add(c.caseId);
      const leaving: Leaving = {
        personId: person.id,
        name: person.name,
        lostRoles: person.roles.filter((r) => !now?.roles.includes(r)),
        openCases: cases.size,
        self: person.id === viewerId,
      };
      return { leaving, removed: !now };
    }),
  );
  return {
    removing: weighed.filter((w) => w.removed).map((w) => w.leaving),
    demoted: weighed.filter((w) => !w.removed).map((w) => w.leaving),
  };
}

/** The floors and rooms an import takes away, with the grid members and printed codes they carry. */
export interface PlacesLost {
  /** Floor ids the directory has now and the import's has not. */
  floors: string[];
  /** Rooms (per building) the directory has now and the import's has not. */
  rooms: number;
}

/**
 * What an import removes of the places: a replacement's building left out, or one listed without
 * its floor rows, takes its floors and rooms away, and with them their grid members and the QR
 * codes printed for them. The preview says so before apply rather than leave it to a building's
 * "floors" in the changed column.
 */
export function placesLost(current: Directory | null, next: Directory): PlacesLost {
  if (!current) return { floors: [], rooms: 0 };
  const floorIds = (d: Directory) => new Set(d.buildings.flatMap((b) => b.floors.map((f) => f.id)));
  const roomKeys = (d: Directory) =>
    new Set(
      d.buildings.flatMap((b) =>
        b.floors.flatMap((f) => f.clusters.flatMap((c) => c.rooms.map((r) => `${b.id}/${r}`))),
      ),
    );
  const floorsAfter = floorIds(next);
  const roomsAfter = roomKeys(next);
  return {
    floors: [...floorIds(current)].filter((id) => !floorsAfter.has(id)),
    rooms: [...roomKeys(current)].filter((k) => !roomsAfter.has(k)).length,
  };
}
