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
      {
        where: '(file)',
        message: `not readable JSON: ${(err as Error).message}`,
        text: {
          zh: `不是可读的 JSON：${(err as Error).message}`,
          en: `not readable JSON: ${(err as Error).message}`,
        },
      },
    ]);
  }
  const r = validateDirectory(raw);
  if (!r.ok) throw new DirectoryFileError(file, r.problems);
  return r.directory;
}

type Kind = 'person' | 'building' | 'department' | 'campus';
const LISTED: Kind[] = ['person', 'building', 'department'];

/** What one load of the directory was: its version, when, and whom it removed. */
export interface DirectorySnapshot {
  version: number;
  at: string;
  people: number;
  /** Ids of people the previous snapshot had and this one has not: their access ends with it. */
  removedPeople: string[];
}

/**
 * Writes a validated directory as the new snapshot: every row of it, then the removal of every
 * person, building and department the previous snapshot had and this one has not. Someone left
 * out of the file therefore stops existing for the API (bearer tokens, web sessions and email
 * links all look the person up), instead of keeping their roles forever.
 */
export async function saveDirectory(
  ddb: DynamoDBClient,
  tables: TableNames,
  dir: Directory,
  at = new Date().toISOString(),
): Promise<DirectorySnapshot> {
  const rows: { kind: Kind; id: string; data: unknown }[] = [
    { kind: 'campus', id: 'campus', data: dir.campus },
    ...dir.people.map((p) => ({ kind: 'person' as const, id: p.id, data: p })),
    ...dir.buildings.map((b) => ({ kind: 'building' as const, id: b.id, data: b })),
    ...dir.departments.map((d) => ({ kind: 'department' as const, id: d.id, data: d })),
  ];
  const keep = new Set(rows.map((r) => `${r.kind}\u0000${r.id}`));
  const before = await Promise.all(
    LISTED.map(async (kind) => ({ kind, ids: await idsOf(ddb, tables, kind) })),
  );
  const stale = before.flatMap(({ kind, ids }) =>
    ids.filter((id) => !keep.has(`${kind}\u0000${id}`)).map((id) => ({ kind, id })),
  );
  const previous = await currentSnapshot(ddb, tables);
  const snapshot: DirectorySnapshot = {
    version: (previous?.version ?? 0) + 1,
    at,
    people: dir.people.length,
    removedPeople: stale
      .filter((r) => r.kind === 'person')
      .map((r) => r.id)
      .sort(),
  };
  await batchWrite(ddb, tables.directory, [
    ...rows.map((r) => ({
      PutRequest: { Item: marshall({ kind: r.kind, id: r.id, data: JSON.stringify(r.data) }) },
    })),
    ...stale.map((r) => ({ DeleteRequest: { Key: marshall({ kind: r.kind, id: r.id }) } })),
    // The current snapshot, and one row per version as its record.
    { PutRequest: { Item: marshall({ kind: 'snapshot', id: 'current', data: JSON.stringify(snapshot) }) } },
    {
      PutRequest: {
        Item: marshall({
          kind: 'snapshot',
          id: `v${String(snapshot.version).padStart(8, '0')}`,
          data: JSON.stringify(snapshot),
        }),
      },
    },
  ]);
  cache.delete(tables.directory);
  return snapshot;
}

async function idsOf(ddb: DynamoDBClient, tables: TableNames, kind: Kind): Promise<string[]> {
  const out: string[] = [];
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k',
    ExpressionAttributeValues: marshall({ ':k': kind }),
    ProjectionExpression: 'id',
    ConsistentRead: true,
  }))
    out.push((unmarshall(item) as { id: string }).id);
  return out;
}

/** The snapshot the directory table holds now, or null before the first versioned load. */
export async function currentSnapshot(
  ddb: DynamoDBClient,
  tables: TableNames,
): Promise<DirectorySnapshot | null> {
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k AND id = :i',
    ExpressionAttributeValues: marshall({ ':k': 'snapshot', ':i': 'current' }),
    ConsistentRead: true,
  }))
    return JSON.parse((unmarshall(item) as { data: string }).data) as DirectorySnapshot;
  return null;
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

// Per directory table (a process may serve more than one, as the tests do), the read in flight
// shared by everyone who asks meanwhile, so a burst of requests reads the directory once.
const cache = new Map<string, { at: number; dir: Promise<Directory | null> }>();
const CACHE_MS = 5_000;

/** The stored directory (null when none was loaded), cached for a few seconds per process and table. */
export async function loadDirectory(
  ddb: DynamoDBClient,
  tables: TableNames,
  fresh = false,
): Promise<Directory | null> {
  const hit = cache.get(tables.directory);
  if (!fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.dir;
  const dir = readDirectory(ddb, tables);
  const entry = { at: Date.now(), dir };
  cache.set(tables.directory, entry);
  // A failed read is not kept: the next caller tries again.
  dir.catch(() => {
    if (cache.get(tables.directory) === entry) cache.delete(tables.directory);
  });
  return dir;
}

async function readDirectory(ddb: DynamoDBClient, tables: TableNames): Promise<Directory | null> {
  const [campus, people, buildings, departments] = await Promise.all([
    rowsOf<Campus>(ddb, tables, 'campus'),
    rowsOf<Person>(ddb, tables, 'person'),
    rowsOf<Building>(ddb, tables, 'building'),
    rowsOf<Department>(ddb, tables, 'department'),
  ]);
  return campus[0] ? { campus: campus[0], people, buildings, departments } : null;
}
