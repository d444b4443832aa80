import { leftName, leftNameIn } from '../domain/departed-name.ts';
import type { Lang } from '../domain/text.ts';
import type { Directory } from '../domain/directory.ts';
import { loadDeparted } from '../store/directory-versions.ts';
import type { AppDeps } from './deps.ts';
import type { Names } from './audit-timeline.ts';

/**
 * The names an audit page reads, read once for the page: the directory in force, and those
 * who and what have left it by the names the newest version that had them gave them. A place
 * that left is named as it was, marked so; the returned directory carries it for that.
 */
export async function namesForAudit(
  aws: Pick<AppDeps['aws'], 'ddb' | 'tables'>,
  dir: Directory | null,
): Promise<{ names: Names; dir: Directory | undefined }> {
  const departed = await loadDeparted(aws.ddb, aws.tables, dir);
  const people = new Map((dir?.people ?? []).map((p) => [p.id, p]));
  const names: Names = { person: (id) => people.get(id), departed: (id) => departed.people.get(id) };
  if (!dir) return { names, dir: undefined };
  const left = [...departed.buildings.values()].map((b) => ({
    ...b,
    name: { zh: leftName.zh(b.name.zh), en: leftName.en(b.name.en) },
  }));
  return { names, dir: left.length > 0 ? { ...dir, buildings: [...dir.buildings, ...left] } : dir };
}

/**
 * How a page names the people it lists by id (who saved a version): by the directory in force,
 * someone who left by their last name, marked so; the departed are read only if one is missing.
 */
export async function personNamer(
  aws: Pick<AppDeps['aws'], 'ddb' | 'tables'>,
  dir: Directory | null,
  ids: readonly string[],
): Promise<(id: string, lang: Lang) => string> {
  const people = new Map((dir?.people ?? []).map((p) => [p.id, p.name]));
  const departed = ids.some((id) => !people.has(id))
    ? (await loadDeparted(aws.ddb, aws.tables, dir)).people
    : new Map<string, string>();
  return (id, lang) => {
    const now = people.get(id);
    if (now !== undefined) return now;
    const last = departed.get(id);
    return last === undefined ? id : leftNameIn(last, lang);
  };
}

/**
 * The last names of those among `ids` the directory in force no longer has (by id; others are
 * absent), for a page that names a few people: the departed are read only if one is missing.
 */
export async function departedAmong(
  aws: Pick<AppDeps['aws'], 'ddb' | 'tables'>,
  dir: Directory | null,
  ids: readonly (string | undefined)[],
): Promise<ReadonlyMap<string, string>> {
  const inForce = new Set((dir?.people ?? []).map((p) => p.id));
  const missing = ids.filter((id): id is string => id !== undefined && !inForce.has(id));
  if (missing.length === 0) return new Map();
  const { people } = await loadDeparted(aws.ddb, aws.tables, dir);
  const found = new Map<string, string>();
  for (const id of missing) {
    const name = people.get(id);
    if (name !== undefined) found.set(id, name);
  }
  return found;
}
