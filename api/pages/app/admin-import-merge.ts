import type { Campus, Directory } from '../../../domain/directory.ts';
import type { Bilingual } from '../../../domain/text.ts';

/**
 * A merge import's file as the directory it goes into: the file need not be a directory by itself
 * (it may list one new person, with no campus row), so what is checked, and saved, is the current
 * directory with the file's entries added or put in place of those with their ids.
 */

/** The entries a merge file lists; the campus only when the file has the campus row. */
export type DirectoryPart = Omit<Directory, 'campus'> & { campus?: Campus };

const LISTS = ['people', 'buildings', 'departments'] as const;
type ListKind = (typeof LISTS)[number];

export interface MergedFile {
  /** The directory the merge makes, not yet validated. */
  raw: unknown;
  /** Where the file's entries start in each list of `raw`: after the current ones kept. */
  from: Record<ListKind, number>;
  /** Whether the file has its own campus (else the current one is kept). */
  campus: boolean;
}

const idOf = (x: unknown): unknown =>
  typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined;

/**
 * The current directory with the file's entries merged in: the current entries the file does not
 * name by id first, then the file's, in its order (so a problem at a file entry is at its row, and
 * a duplicate within the file is reported at the later one). Without a current directory, or for
 * a file not shaped as a directory, the file itself, for the schema to judge whole.
 */
export function mergeFile(current: Directory | null, file: unknown): MergedFile {
  const none = { people: 0, buildings: 0, departments: 0 };
  const f = typeof file === 'object' && file !== null ? (file as Record<string, unknown>) : null;
  if (!current || !f || !LISTS.every((k) => Array.isArray(f[k])))
    return { raw: file, from: none, campus: true };
  const raw: Record<string, unknown> = { campus: f.campus ?? current.campus };
  const from = { ...none };
  for (const k of LISTS) {
    const next = f[k] as unknown[];
    const named = new Set(next.map(idOf));
    const kept = (current[k] as readonly { id: string }[]).filter((x) => !named.has(x.id));
    raw[k] = [...kept, ...next];
    from[k] = kept.length;
  }
  return { raw, from, campus: f.campus !== undefined && f.campus !== null };
}

/** The file's own entries, as validated within the merged directory (defaults filled in). */
export const fileEntries = (merged: Directory, m: MergedFile): DirectoryPart => ({
  ...(m.campus ? { campus: merged.campus } : {}),
  people: merged.people.slice(m.from.people),
  buildings: merged.buildings.slice(m.from.buildings),
  departments: merged.departments.slice(m.from.departments),
});

/** A file's entry paths (`people[2].email`) as paths into the merged directory. */
export const mergedPaths = (rowOf: Map<string, number>, m: MergedFile): Map<string, number> =>
  new Map(
    [...rowOf].map(([path, row]) => [
      path.replace(
        /^(people|buildings|departments)\[(\d+)\]/,
        (_, k: ListKind, i: string) => `${k}[${Number(i) + m.from[k]}]`,
      ),
      row,
    ]),
  );

const replacingById = <T extends { id: string }>(current: readonly T[], file: readonly T[]): T[] => {
  const named = new Set(file.map((x) => x.id));
  return [...current.filter((x) => !named.has(x.id)), ...file];
};

/**
 * The directory a checked merge file makes with `current`, typed (mergeFile's is the raw value
 * the schema judges): what the preview weighs the change against. Null without a campus to keep.
 */
export function mergedWith(current: Directory | null, part: DirectoryPart): Directory | null {
  const campus = part.campus ?? current?.campus;
  if (!campus) return null;
  return {
    campus,
    people: replacingById(current?.people ?? [], part.people),
    buildings: replacingById(current?.buildings ?? [], part.buildings),
    departments: replacingById(current?.departments ?? [], part.departments),
  };
}

/** A floor of the current directory a merge keeps (the file does not list it) whose rooms a new floor lists. */
export interface RenamedFloor {
  /** Path of the kept floor in the merged directory (`buildings[1].floors[0]`). */
  keptAt: string;
  /** Path of the file's floor with the new id. */
  newAt: string;
  message: Bilingual;
}

interface RawFloor {
  id?: unknown;
  name?: { zh?: unknown; en?: unknown };
  clusters?: { id?: unknown; rooms?: unknown }[];
}

const floorKeys = (f: RawFloor): Set<string> =>
  new Set(
    (Array.isArray(f.clusters) ? f.clusters : []).flatMap((c) => [
      `cluster:${String(c.id)}`,
      ...(Array.isArray(c.rooms) ? c.rooms.map((r) => `room:${String(r)}`) : []),
    ]),
  );

/**
 * A floor's id changed in a merge: the file lists the floor under a new id with rooms (or room
 * clusters) of a current floor in the same building. A merge removes nothing the file does not
 * list, so the old floor stays and each of its rooms clashes. Not taken as a rename by name or
 * level: guessing could drop the old floor's rooms the file forgot, and cases and printed codes
 * refer to them. What the admin meant is one of two things, and the message names both: keep the
 * floor's id (its name may change), or import the whole directory as a replacement, whose preview
 * lists every floor and room that goes. `rowOf` maps merged paths to the file's rows.
 */
export function renamedFloors(
  current: Directory | null,
  merged: unknown,
  rowOf: ReadonlyMap<string, number>,
): RenamedFloor[] {
  const buildings = (merged as { buildings?: unknown } | null)?.buildings;
  if (!current || !Array.isArray(buildings)) return [];
  const found: RenamedFloor[] = [];
  buildings.forEach((b: { id?: unknown; floors?: unknown }, bi) => {
    const before = current.buildings.find((x) => x.id === b.id);
    if (!before || !Array.isArray(b.floors)) return;
    const floors = (b.floors as RawFloor[]).map((f, fi) => ({ f, at: `buildings[${bi}].floors[${fi}]` }));
    const currentIds = new Set(before.floors.map((f) => f.id));
    const kept = floors.filter((x) => !rowOf.has(x.at) && currentIds.has(String(x.f.id)));
    for (const fresh of floors.filter((x) => rowOf.has(x.at) && !currentIds.has(String(x.f.id)))) {
      const keys = floorKeys(fresh.f);
      const old = kept.find((k) => [...floorKeys(k.f)].some((key) => keys.has(key)));
      if (!old) continue;
      const rooms = [...floorKeys(fresh.f)]
        .filter((k) => k.startsWith('room:') && floorKeys(old.f).has(k))
        .map((k) => k.slice(5));
      const shown = rooms.length > 3 ? `${rooms.slice(0, 3).join(', ')}…` : rooms.join(', ');
      const [oldId, newId, building] = [String(old.f.id), String(fresh.f.id), String(b.id)];
      const name = old.f.name;
      const named = typeof name?.zh === 'string' ? `（${name.zh}）` : '';
      const namedEn = typeof name?.en === 'string' ? ` (${name.en})` : '';
      found.push({
        keptAt: old.at,
        newAt: fresh.at,
        message: {
          zh: `楼层 ${newId} 列出了楼栋 ${building} 现有楼层 ${oldId}${named}的房间${shown ? `（${shown}）` : ''}。合并只按 id 新增或替换，不删除文件中没有的楼层，所以 ${oldId} 仍在，房间重复。只改楼层名称：请沿用 id ${oldId}；确要更换楼层 id：请选择“删除（以文件为完整名录）”并上传完整名录，预览会列出将移除的楼层和房间。`,
          en: `floor ${newId} lists rooms of building ${building}'s current floor ${oldId}${namedEn}${shown ? ` (${shown})` : ''}. A merge only adds or replaces by id and removes no floor the file does not list, so ${oldId} stays and the rooms clash. To rename the floor, keep its id ${oldId}; to change its id, choose "Remove them (the file is the whole directory)" and upload the whole directory: the preview lists the floors and rooms that go.`,
        },
      });
    }
  });
  return found;
}
