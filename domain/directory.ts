import { languages, type Bilingual, type Lang } from './text.ts';
/**
 * The campus directory as the rest of the code sees it: people, the grid
 * (building = level 1, floor = level 2, room cluster = level 3) and
 * departments. Validation lives in directory-schema.ts; this file is types
 * and pure look-ups only, so workflows may import it.
 */
export const roles = [
  'supervisor',
  'staff',
  'grid_member',
  'auditor',
  'admin',
  'leadership',
  'working_group',
  'department_contact',
] as const;
export type Role = (typeof roles)[number];

/** Each role as a person reads it, in refusals, pick-lists and the import's messages. */
export const roleNames: Readonly<Record<Role, Bilingual>> = {
  supervisor: { zh: '主管', en: 'supervisor' },
  staff: { zh: '员工', en: 'staff' },
  grid_member: { zh: '网格员', en: 'grid member' },
  auditor: { zh: '审计人员', en: 'auditor' },
  admin: { zh: '管理员', en: 'admin' },
  leadership: { zh: '校领导', en: 'leadership' },
  working_group: { zh: '工作小组', en: 'working group' },
  department_contact: { zh: '院系联系人', en: 'department contact' },
};
export { languages };
export type Language = Lang;
export type { Bilingual };

export interface Person {
  id: string;
  name: string;
  /** The English name, where it differs from `name` (the import's name_en). */
  nameEn?: string | undefined;
  email: string;
  roles: Role[];
  language: Language;
  /** 管理员 / 值班员 / 保洁员 / 维修员 for staff. */
  staffKind?: 'manager' | 'duty' | 'cleaner' | 'repair' | undefined;
  departmentId?: string | undefined;
}

export interface Cluster {
  id: string;
  gridMemberIds: string[];
  rooms: string[];
}

export interface Floor {
  id: string;
  name: Bilingual;
  gridMemberIds: string[];
  clusters: Cluster[];
}

export interface Building {
  id: string;
  name: Bilingual;
  /** Absent means a dormitory; a public area has no floors and its supervisors own it. */
  kind?: 'dormitory' | 'public_area' | undefined;
  supervisorIds: string[];
  gridMemberIds: string[];
  floors: Floor[];
}

export interface Department {
  id: string;
  name: Bilingual;
  contactIds: string[];
  /** Rooms its students live in: cases there reach the department in the weekly feedback. */
  rooms?: string[] | undefined;
}

export interface Campus {
  name: Bilingual;
  workingGroupIds: string[];
  leadershipIds: string[];
}

export interface Directory {
  campus: Campus;
  people: Person[];
  buildings: Building[];
  departments: Department[];
}

export interface Location {
  buildingId: string;
  floorId?: string | undefined;
  roomId?: string | undefined;
}

/** One rung of the escalation ladder: level 3 → level 1 → working group → leadership. */
export interface EscalationLevel {
  level: 'grid_l3' | 'grid_l2' | 'grid_l1' | 'working_group' | 'leadership';
  personIds: string[];
}

/**
 * The escalation chain for a place, bottom up as seed 001's grid reports (room cluster,
 * floor, building, working group, leadership), skipping rungs with nobody on them.
 */
export function escalationChain(
  dir: Pick<Directory, 'buildings' | 'campus'>,
  loc: Location,
): EscalationLevel[] {
  const building = dir.buildings.find((b) => b.id === loc.buildingId);
  const chain: EscalationLevel[] = [];
  if (building) {
    const floors = loc.floorId ? building.floors.filter((f) => f.id === loc.floorId) : building.floors;
    const room = loc.roomId;
    const floor = room ? floors.find((f) => f.clusters.some((c) => c.rooms.includes(room))) : undefined;
    const cluster = room ? floor?.clusters.find((c) => c.rooms.includes(room)) : undefined;
    if (cluster) chain.push({ level: 'grid_l3', personIds: [...cluster.gridMemberIds] });
    // A place named down to its floor has that floor's members even without a room.
    const floorOf = floor ?? (loc.floorId ? floors[0] : undefined);
    if (floorOf) chain.push({ level: 'grid_l2', personIds: [...floorOf.gridMemberIds] });
    chain.push({ level: 'grid_l1', personIds: [...building.gridMemberIds] });
  }
  chain.push({ level: 'working_group', personIds: [...dir.campus.workingGroupIds] });
  chain.push({ level: 'leadership', personIds: [...dir.campus.leadershipIds] });
  return chain.filter((l) => l.personIds.length > 0);
}

/**
 * Whether a grid member's own grid covers a place (grid members may open and read cases there).
 * A member's scope is exactly their cell, and a place must be named at least as precisely as
 * the member's level: a floor member needs the floor (or a room on it), a cluster member a room
 * of the cluster. A place left vaguer (a building without a floor) belongs to the level above.
 */
export function gridCovers(dir: Pick<Directory, 'buildings'>, personId: string, loc: Location): boolean {
  const building = dir.buildings.find((b) => b.id === loc.buildingId);
  if (!building) return false;
  if (building.gridMemberIds.includes(personId)) return true;
  return building.floors.some((f) => {
    // A floor named elsewhere rules this floor out, whatever the room says.
    if (loc.floorId !== undefined && loc.floorId !== f.id) return false;
    const roomHere = loc.roomId !== undefined && f.clusters.some((c) => c.rooms.includes(loc.roomId ?? ''));
    if (f.gridMemberIds.includes(personId) && (loc.floorId === f.id || roomHere)) return true;
    return f.clusters.some(
      (c) => c.gridMemberIds.includes(personId) && loc.roomId !== undefined && c.rooms.includes(loc.roomId),
    );
  });
}

/** Whether a place exists in the grid as given (building, then floor, then room under it). */
export function locationExists(dir: Pick<Directory, 'buildings'>, loc: Location): boolean {
  const building = dir.buildings.find((b) => b.id === loc.buildingId);
  if (!building) return false;
  const floors = loc.floorId ? building.floors.filter((f) => f.id === loc.floorId) : building.floors;
  if (loc.floorId && floors.length === 0) return false;
  if (!loc.roomId) return true;
  return floors.some((f) => f.clusters.some((c) => c.rooms.includes(loc.roomId ?? '')));
}

/**
 * The dormitory buildings: what the student-apartment standard's per-building limits are
 * judged over (seed 000), leaving out public areas such as a canteen or a gate.
 */
export function dormitoryIds(dir: Pick<Directory, 'buildings'>): string[] {
  return dir.buildings.filter((b) => b.kind !== 'public_area').map((b) => b.id);
}

/** Only the counts of the given buildings. */
export function countsOf(
  byBuilding: Readonly<Record<string, number>>,
  ids: readonly string[],
): Record<string, number> {
  return Object.fromEntries(Object.entries(byBuilding).filter(([id]) => ids.includes(id)));
}

/** The buildings a person supervises in this directory. */
export function supervisedBy(dir: Pick<Directory, 'buildings'>, personId: string): string[] {
  return dir.buildings.filter((b) => b.supervisorIds.includes(personId)).map((b) => b.id);
}

/** An actor with the buildings they supervise now, when any: what the case's step checks accept. */
export function withSupervision<A extends { id: string; supervises?: string[] | undefined }>(
  dir: Pick<Directory, 'buildings'>,
  actor: A,
): A {
  const supervises = supervisedBy(dir, actor.id);
  return supervises.length > 0 ? { ...actor, supervises } : actor;
}

/**
 * Who a case opened by the system (a failed inspection item, a missed duty) goes to: the first
 * of `preferredIds` on the staff, else the first manager, else any staff member.
 */
export function staffAssignee(
  dir: Pick<Directory, 'people'>,
  preferredIds: readonly string[],
): Person | undefined {
  const staff = dir.people.filter((p) => p.roles.includes('staff'));
  return (
    staff.find((p) => preferredIds.includes(p.id)) ?? staff.find((p) => p.staffKind === 'manager') ?? staff[0]
  );
}
