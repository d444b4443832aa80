import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { readFile } from 'node:fs/promises';
import { validateDirectory, type DirectoryProblem } from '../domain/directory-schema.ts';
import type { Building, Campus, Department, Directory, Person } from '../domain/directory.ts';
import type { TableNames } from './clients.ts';
import { queryItems } from './paginate.ts';
import { batchWrite } from './batch-write.ts';

export class DirectoryFileError extends Error {
  override name = 'DirectoryFileError';
  constructor(
    readonly file: string,
    readonly problems: DirectoryProblem[],
  ) {
    super(
      `${file}: ${problems.length} problem(s)\n${problems.map((p) => `  ${file}: ${p.where}: ${p.message}`).join('\n')}`,
    );
  }
}

/** Reads and validates a directory file; throws with every problem (file, row, field) and stores nothing. */
export async function readDirectoryFile(file: string): Promise<Directory> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw new DirectoryFileError(file, [
      { where: '(file)', message: `not readable JSON: ${(err as Error).message}` },
    ]);
  }
  const r = validateDirectory(raw);
  if (!r.ok) throw new DirectoryFileError(file, r.problems);
  return r.directory;
}

type Kind = 'person' | 'building' | 'department' | 'campus';

/** Writes a validated directory (replacing rows with the same ids). */
export async function saveDirectory(ddb: DynamoDBClient, tables: TableNames, dir: Directory): Promise<void> {
  const rows: { kind: Kind; id: string; data: unknown }[] = [
    { kind: 'campus', id: 'campus', data: dir.campus },
    ...dir.people.map((p) => ({ kind: 'person' as const, id: p.id, data: p })),
    ...dir.buildings.map((b) => ({ kind: 'building' as const, id: b.id, data: b })),
    ...dir.departments.map((d) => ({ kind: 'department' as const, id: d.id, data: d })),
  ];
  await batchWrite(
    ddb,
    tables.directory,
    rows.map((r) => ({
      PutRequest: { Item: marshall({ kind: r.kind, id: r.id, data: JSON.stringify(r.data) }) },
    })),
  );
  cache = undefined;
}

async function rowsOf<T>(ddb: DynamoDBClient, tables: TableNames, kind: Kind): Promise<T[]> {
  const out: T[] = [];
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k',
    ExpressionAttributeValues: marshall({ ':k': kind }),
  }))
    out.push(JSON.parse((unmarshall(item) as { data: string }).data) as T);
  return out;
}

let cache: { at: number; dir: Directory | null } | undefined;
const CACHE_MS = 5_000;

/** The stored directory (null when none was loaded), cached for a few seconds per process. */
export async function loadDirectory(
  ddb: DynamoDBClient,
  tables: TableNames,
  fresh = false,
): Promise<Directory | null> {
  if (!fresh && cache && Date.now() - cache.at < CACHE_MS) return cache.dir;
  const [campus, people, buildings, departments] = await Promise.all([
    rowsOf<Campus>(ddb, tables, 'campus'),
    rowsOf<Person>(ddb, tables, 'person'),
    rowsOf<Building>(ddb, tables, 'building'),
    rowsOf<Department>(ddb, tables, 'department'),
  ]);
  const dir = campus[0] ? { campus: campus[0], people, buildings, departments } : null;
  cache = { at: Date.now(), dir };
  return dir;
}
