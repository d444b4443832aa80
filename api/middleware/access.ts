import type { CaseView } from '../../domain/case-model.ts';
import {
  gridCovers,
  type Building,
  type Directory,
  type Location,
  type Role,
} from '../../domain/directory.ts';
import { gridCellRefusal } from '../../domain/grid-refusal.ts';
import type { Bilingual } from '../../domain/text.ts';
import type { Caller } from '../auth.ts';
import { ProblemError } from './problems.ts';

/**
 * Who may open and read which cases, and read which reports. Who may take
 * which step of a case is decided by the running case alone (its update
 * validators, under the policy pinned when it opened): the API sends the
 * update and maps a refusal (middleware/problems.ts), it never pre-checks.
 */
const has = (caller: Caller, ...want: Role[]) => caller.person.roles.some((r) => want.includes(r));

/** Roles that see every case (auditors read everything; the working group coordinates everything). */
export const readsEverything = (caller: Caller) =>
  has(caller, 'auditor', 'admin', 'working_group', 'leadership');

export const supervisedBuildings = (caller: Caller, dir: Directory): string[] =>
  has(caller, 'supervisor')
    ? dir.buildings.filter((b) => b.supervisorIds.includes(caller.person.id)).map((b) => b.id)
    : [];

export type ReadableCase = Pick<CaseView, 'location' | 'assigneeId' | 'responsibleId' | 'openedBy'>;

/** Whether the caller may read a case; null when allowed, else the rule that refuses. */
export function readRefusal(caller: Caller, dir: Directory, c: ReadableCase): Bilingual | null {
  const me = caller.person.id;
  if (readsEverything(caller)) return null;
  if (c.openedBy === me) return null;
  if (supervisedBuildings(caller, dir).includes(c.location.buildingId)) return null;
  if (has(caller, 'staff') && (c.assigneeId === me || c.responsibleId === me)) return null;
  if (has(caller, 'grid_member') && gridCovers(dir, me, c.location)) return null;
  return {
    zh: '只能查看：主管所管楼栋的案件、指派给本人或由本人负责的案件、本人网格内的案件；审计、管理员、工作小组和校领导可查看全部',
    en: 'you may read cases of buildings you supervise, cases assigned to you or that you are responsible for, and cases in your own grid; auditors, admins, the working group and leadership read everything',
  };
}

export function assertCanRead(caller: Caller, dir: Directory, c: ReadableCase): void {
  const refusal = readRefusal(caller, dir, c);
  if (refusal) throw new ProblemError('forbidden', refusal);
}

/**
 * Who may open a case at a place: supervisors in the buildings they
 * supervise, grid members in their own grid, admins and the working group
 * anywhere. Staff and auditors never.
 */
export function openRefusal(caller: Caller, dir: Directory, loc: Location): Bilingual | null {
  if (has(caller, 'admin', 'working_group')) return null;
  if (supervisedBuildings(caller, dir).includes(loc.buildingId)) return null;
  if (has(caller, 'grid_member') && gridCovers(dir, caller.person.id, loc)) return null;
  if (!has(caller, 'supervisor', 'grid_member')) {
    return {
      zh: '只有主管、网格员、工作小组和管理员可以新建案件（员工和审计人员不能）',
      en: 'only supervisors, grid members, the working group and admins may open cases (staff and auditors may not)',
    };
  }
  // A grid member with a cell in this building is refused for the floor or room, not the building.
  const cellRefusal = has(caller, 'grid_member') ? gridCellRefusal(dir, caller.person.id, loc) : null;
  if (cellRefusal) return cellRefusal;
  return {
    zh: `主管只能在所管楼栋、网格员只能在本人网格内新建案件（${loc.buildingId} 不在您的范围内）`,
    en: `supervisors open cases only in buildings they supervise and grid members only in their own grid (${loc.buildingId} is outside yours)`,
  };
}

/** What a list may contain for this caller, and the narrowest index that still covers it. */
export interface ListScope {
  all: boolean;
  /** When the caller can only ever see cases at these buildings. */
  onlyBuildings?: string[] | undefined;
  /** When the caller can only ever see the cases this person is assigned to or responsible for. */
  onlyParty?: string | undefined;
}

export function listScope(caller: Caller, dir: Directory): ListScope {
  if (readsEverything(caller)) return { all: true };
  const roles = new Set(caller.person.roles);
  const buildings = supervisedBuildings(caller, dir);
  // Staff read cases assigned to them and those they are responsible for (readRefusal): both indexes.
  if (roles.size === 1 && roles.has('staff')) return { all: false, onlyParty: caller.person.id };
  if (roles.size === 1 && roles.has('supervisor')) return { all: false, onlyBuildings: buildings };
  return { all: false };
}

export const READERS_TEXT: Bilingual = {
  zh: '周报与指标供工作小组、管理员、审计、校领导查看全校，主管查看所管楼栋',
  en: 'reports and KPIs are read campus-wide by the working group, admins, auditors and leadership, and per building by its supervisors',
};

/**
 * Who may read a building's (or, without one, the campus's) figures; null when
 * allowed, else the rule that refuses. Bearer calls and signed report links
 * both ask here.
 */
export function reportScopeRefusal(
  caller: Caller,
  dir: Directory,
  building: string | undefined,
): Bilingual | null {
  if (readsEverything(caller)) return null;
  const mine = supervisedBuildings(caller, dir);
  if (building !== undefined && mine.includes(building)) return null;
  if (building === undefined && mine.length > 0) {
    return {
      zh: `请加上 buildingId 参数查看所管楼栋（${mine.join('、')}）；全校数据仅供工作小组、管理员、审计、校领导查看`,
      en: `add buildingId= for a building you supervise (${mine.join(', ')}); campus-wide figures are for the working group, admins, auditors and leadership`,
    };
  }
  return READERS_TEXT;
}

/**
 * Where a person may open a case, as the new-case form offers it: each building they may open
 * cases in, whole, or with only the floors (or rooms) their grid covers. The API's own rule,
 * asked place by place.
 */
export function openablePlaces(caller: Caller, dir: Directory): Building[] {
  const opens = (loc: Location) => openRefusal(caller, dir, loc) === null;
  return dir.buildings.flatMap((b) => {
    if (opens({ buildingId: b.id })) return [b];
    const floors = b.floors.flatMap((f) => {
      if (opens({ buildingId: b.id, floorId: f.id })) return [f];
      const clusters = f.clusters
        .map((c) => ({
          ...c,
          rooms: c.rooms.filter((roomId) => opens({ buildingId: b.id, floorId: f.id, roomId })),
        }))
        .filter((c) => c.rooms.length > 0);
      return clusters.length > 0 ? [{ ...f, clusters }] : [];
    });
    return floors.length > 0 ? [{ ...b, floors }] : [];
  });
}

/**
 * Whether a person may open a case anywhere (openablePlaces is not empty), asked on every page
 * for the menu: people of no opening role are answered at once, and the first place found ends
 * the search, rather than the rule being asked of every room of the campus.
 */
export function opensSomewhere(caller: Caller, dir: Directory): boolean {
  if (!has(caller, 'admin', 'working_group', 'supervisor', 'grid_member')) return false;
  const opens = (loc: Location) => openRefusal(caller, dir, loc) === null;
  return dir.buildings.some(
    (b) =>
      opens({ buildingId: b.id }) ||
      b.floors.some(
        (f) =>
          opens({ buildingId: b.id, floorId: f.id }) ||
          f.clusters.some((cl) =>
            cl.rooms.some((roomId) => opens({ buildingId: b.id, floorId: f.id, roomId })),
          ),
      ),
  );
}

/**
 * The buildings whose scanned reports a person triages: the working group and admins all of
 * them, supervisors theirs, and a building's level-1 grid members theirs (floor and room grid
 * members report to them, they do not triage).
 */
export function triageBuildings(caller: Caller, dir: Directory): string[] {
  if (has(caller, 'admin', 'working_group')) return dir.buildings.map((b) => b.id);
  return dir.buildings
    .filter((b) => b.supervisorIds.includes(caller.person.id) || b.gridMemberIds.includes(caller.person.id))
    .map((b) => b.id);
}
