import { leftName } from '../domain/departed-name.ts';
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
  aws: AppDeps['aws'],
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
