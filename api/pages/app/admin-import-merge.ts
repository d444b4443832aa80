import type { Campus, Directory } from '../../../domain/directory.ts';

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
