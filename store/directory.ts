import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { validateDirectory, type DirectoryProblem } from '../domain/directory-schema.ts';
import { lostCaseRoles } from '../domain/case-acting-roles.ts';
import type { Building, Campus, Department, Directory, Person } from '../domain/directory.ts';
import type { TableNames } from './clients.ts';
import { queryItems } from './paginate.ts';
import { batchWrite } from './batch-write.ts';
import { recordDeparted } from './directory-versions.ts';

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
const LEGACY_KINDS: Kind[] = ['campus', 'person', 'building', 'department'];

/** What one load of the directory was: its version, when, and whom it removed. */
export interface DirectorySnapshot {
  version: number;
  at: string;
  people: number;
  /** Ids of people the previous snapshot had and this one has not: their access ends with it. */
  removedPeople: string[];
  /**
   * Ids of people both snapshots have whom this one leaves no role that acts on cases (staff made
   * auditor): their open cases wait for someone else, as a removed person's do. Absent on
   * snapshots written before it was kept.
   */
  demotedPeople?: string[];
  /** Who saved this version (an admin's person id); absent for a file or the demo loaded at start. */
  savedBy?: string;
  /**
   * The supervisors of the places where this version strands open cases (its removed and demoted
   * people's) are to be told: set with the version, in the same write that puts it in force, so a
   * process that dies after the save leaves the telling to be done (api/stranded-notices.ts).
   */
  tellStranded?: true;
  /**
   * How many `data` rows hold this version's directory. Absent on snapshots written before
   * directories were stored whole: those read the directory from its per-entry rows.
   */
  chunks?: number;
  /** The id prefix of those rows: the version and a nonce of this save, apart from a rival save's. */
  rows?: string;
}

/** A directory load that lost to another one saved meanwhile: nothing of it is in force. */
export class DirectoryChangedMeanwhile extends Error {
  override name = 'DirectoryChangedMeanwhile';
  constructor(readonly expected: number | null) {
    super(`the directory changed after version ${expected ?? 'none'} was read; nothing was saved`);
  }
}

// UTF-16 units per data row: at most three UTF-8 bytes each, well under DynamoDB's 400 KB item.
const CHUNK_CHARS = 100_000;
// How long the per-entry rows of the layout before outlive the first whole-stored version: longer
// than a rolling deploy, during which a process of the previous release still reads them.
const LEGACY_GRACE_MS = 60 * 60 * 1000;

/** `text` in pieces of at most `size` UTF-16 units, never cutting a surrogate pair in two. */
export function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    let end = Math.min(i + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface SaveOptions {
  /**
   * The version the caller built this directory from (a merge): a save that finds another version
   * in force fails with DirectoryChangedMeanwhile, for the caller to merge again.
   */
  basedOn?: { version: number | null };
  /** Who saves it (an admin's person id), kept with the version. */
  savedBy?: string;
  /** Whether the places where the save strands open cases are to be told (an admin's apply). */
  tellStranded?: boolean;
}

/**
 * Saves a validated directory as the new snapshot, all or nothing: the whole directory is written
 * under the new version first, and only the switch of the `current` snapshot row puts it in force,
 * conditional on the version it replaces. A failure part way leaves the previous directory in
 * force (the new version's rows are unreachable), and of two loads at once the later switch fails
 * instead of mixing the two; that load is then made again over the winner, whole. Saving the
 * directory in force again is a no-op. Someone left out of the new directory stops existing for
 * the API (bearer tokens, web sessions and email links all look the person up).
 */
export async function saveDirectory(
  ddb: DynamoDBClient,
  tables: TableNames,
  dir: Directory,
  at = new Date().toISOString(),
  opts: SaveOptions = {},
): Promise<DirectorySnapshot> {
  if (opts.basedOn) return saveOnce(ddb, tables, dir, at, opts);
  // A whole directory (a file, the demo) replaces whatever is in force, so a rival load landing
  // first is no reason to give up: the save is made again over it, and the later one wins whole.
  for (let attempt = 1; ; attempt++) {
    try {
      return await saveOnce(ddb, tables, dir, at, opts);
    } catch (err) {
      if (!(err instanceof DirectoryChangedMeanwhile) || attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 50 * attempt));
    }
  }
}

async function saveOnce(
  ddb: DynamoDBClient,
  tables: TableNames,
  dir: Directory,
  at: string,
  { basedOn, savedBy, tellStranded }: SaveOptions,
): Promise<DirectorySnapshot> {
  const previous = await readCurrent(ddb, tables).catch(async (err: unknown) => {
    // A directory in force that cannot be read (a row lost) must not block the load that repairs
    // it: the load goes ahead against its snapshot, without the list of people it removes.
    console.warn(`[directory] the directory in force is unreadable, loading over it: ${String(err)}`);
    return { snapshot: await currentSnapshot(ddb, tables), directory: null };
  });
  const previousVersion = previous?.snapshot?.version ?? null;
  if (basedOn && basedOn.version !== previousVersion) throw new DirectoryChangedMeanwhile(basedOn.version);
  const keep = new Set(dir.people.map((p) => p.id));
  // In id order, as DynamoDB returned the per-entry rows before: lists and refusals keep their order.
  const text = JSON.stringify(inIdOrder(dir));
  // The same directory again (every restart of a stack, every test file's demo load) changes
  // nothing: no new version, no rows to tidy under a reader that holds the one in force.
  if (
    previous?.snapshot?.chunks !== undefined &&
    previous.directory &&
    JSON.stringify(inIdOrder(previous.directory)) === text
  ) {
    // The per-entry rows of the layout before still go once their time is up.
    if (Date.parse(at) - Date.parse(previous.snapshot.at) > LEGACY_GRACE_MS) await tidy(ddb, tables, 0, true);
    return { ...previous.snapshot, removedPeople: [], demotedPeople: [] };
  }
  const chunks = chunksOf(text, CHUNK_CHARS);
  const removedPeople = (previous?.directory?.people ?? [])
    .map((p) => p.id)
    .filter((id) => !keep.has(id))
    .sort();
  const demotedPeople = lostCaseRoles(previous?.directory?.people ?? [], dir.people);
  const snapshot: DirectorySnapshot = {
    version: (previousVersion ?? 0) + 1,
    at,
    people: dir.people.length,
    removedPeople,
    demotedPeople,
    ...(savedBy ? { savedBy } : {}),
    ...(tellStranded && removedPeople.length + demotedPeople.length > 0
      ? { tellStranded: true as const }
      : {}),
    chunks: chunks.length,
    rows: `v${pad((previousVersion ?? 0) + 1, 8)}#${randomUUID().slice(0, 8)}#`,
  };
  const rows = snapshot.rows ?? '';
  // Before the switch: once in force, the names of those it drops are kept only there.
  if (previous?.directory) await recordDeparted(ddb, tables, previous.directory, dir, snapshot.version);
  await batchWrite(
    ddb,
    tables.directory,
    chunks.map((data, i) => ({
      PutRequest: {
        Item: marshall({ kind: 'data', id: `${rows}${pad(i, 4)}`, data }),
      },
    })),
  );
  try {
    await ddb.send(
      new PutItemCommand({
        TableName: tables.directory,
        Item: marshall({
          kind: 'snapshot',
          id: 'current',
          version: snapshot.version,
          data: JSON.stringify(snapshot),
        }),
        // Older snapshot rows carry their version only inside `data`: they count as the one read.
        ConditionExpression:
          previousVersion === null
            ? 'attribute_not_exists(id)'
            : 'attribute_not_exists(version) OR version = :previous',
        ...(previousVersion === null
          ? {}
          : { ExpressionAttributeValues: marshall({ ':previous': previousVersion }) }),
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      await deleteRows(ddb, tables, await dataIds(ddb, tables, rows)).catch(() => {});
      throw new DirectoryChangedMeanwhile(previousVersion);
    }
    throw err;
  }
  cache.delete(tables.directory);
  // The version's record, and what no reader needs any more: rows of versions before the one just
  // replaced (a reader may still hold that one) and, once a whole-stored version has been in force
  // for LEGACY_GRACE_MS, the per-entry rows of the layout before (a process of the previous
  // release, still running in a rolling deploy, reads those until it is replaced).
  await ddb.send(
    new PutItemCommand({
      TableName: tables.directory,
      Item: marshall({
        kind: 'snapshot',
        id: `v${pad(snapshot.version, 8)}`,
        data: JSON.stringify(snapshot),
      }),
    }),
  );
  const previousAt = previous?.snapshot?.chunks !== undefined ? Date.parse(previous.snapshot.at) : NaN;
  await tidy(ddb, tables, previousVersion ?? 0, Date.parse(at) - previousAt > LEGACY_GRACE_MS);
  return snapshot;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The directory with its people, buildings and departments sorted by id (ids are ASCII). */
export function inIdOrder(dir: Directory): Directory {
  return {
    ...dir,
    people: [...dir.people].sort(byId),
    buildings: [...dir.buildings].sort(byId),
    departments: [...dir.departments].sort(byId),
  };
}

async function removeUnread(
  ddb: DynamoDBClient,
  tables: TableNames,
  keepFrom: number,
  withLegacy: boolean,
): Promise<void> {
  const legacy = withLegacy
    ? (
        await Promise.all(
          LEGACY_KINDS.map(async (kind) => (await idsOf(ddb, tables, kind)).map((id) => ({ kind, id }))),
        )
      ).flat()
    : [];
  const old = (await idsOf(ddb, tables, 'data'))
    .filter((id) => Number(id.slice(1, 9)) < keepFrom)
    .map((id) => ({ kind: 'data', id }));
  await deleteRows(ddb, tables, [...legacy, ...old]);
}

/** Removes what no reader needs any more; rows left behind cost space only, so a failure is a warning. */
async function tidy(
  ddb: DynamoDBClient,
  tables: TableNames,
  keepFrom: number,
  withLegacy: boolean,
): Promise<void> {
  await removeUnread(ddb, tables, keepFrom, withLegacy).catch((err: unknown) => {
    console.warn(`[directory] left old rows in ${tables.directory}: ${String(err)}`);
  });
}

async function deleteRows(
  ddb: DynamoDBClient,
  tables: TableNames,
  rows: { kind: string; id: string }[],
): Promise<void> {
  await batchWrite(
    ddb,
    tables.directory,
    rows.map((r) => ({ DeleteRequest: { Key: marshall({ kind: r.kind, id: r.id }) } })),
  );
}

async function dataIds(ddb: DynamoDBClient, tables: TableNames, prefix: string) {
  return (await idsOf(ddb, tables, 'data'))
    .filter((id) => id.startsWith(prefix))
    .map((id) => ({ kind: 'data', id }));
}

async function idsOf(ddb: DynamoDBClient, tables: TableNames, kind: string): Promise<string[]> {
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
  const out = await ddb.send(
    new GetItemCommand({
      TableName: tables.directory,
      Key: marshall({ kind: 'snapshot', id: 'current' }),
      ConsistentRead: true,
    }),
  );
  return out.Item ? (JSON.parse((unmarshall(out.Item) as { data: string }).data) as DirectorySnapshot) : null;
}

/** The last `limit` directory versions saved, newest first (each save keeps its record, `v…`). */
export async function recentSnapshots(
  ddb: DynamoDBClient,
  tables: TableNames,
  limit: number,
): Promise<DirectorySnapshot[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tables.directory,
      KeyConditionExpression: 'kind = :k AND begins_with(id, :v)',
      ExpressionAttributeValues: marshall({ ':k': 'snapshot', ':v': 'v' }),
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map(
    (item) => JSON.parse((unmarshall(item) as { data: string }).data) as DirectorySnapshot,
  );
}

/** The directory in force and the snapshot that put it there (null snapshot: rows loaded before versions). */
async function readCurrent(
  ddb: DynamoDBClient,
  tables: TableNames,
): Promise<{ snapshot: DirectorySnapshot | null; directory: Directory | null } | null> {
  // Twice at most: a version read just as a newer one was put in force and the older rows tidied.
  for (let attempt = 1; ; attempt++) {
    const snapshot = await currentSnapshot(ddb, tables);
    if (snapshot?.chunks === undefined || snapshot.rows === undefined) {
      const directory = await readLegacy(ddb, tables);
      return directory || snapshot ? { snapshot, directory } : null;
    }
    const parts: string[] = [];
    for await (const item of queryItems(ddb, {
      TableName: tables.directory,
      KeyConditionExpression: 'kind = :k AND begins_with(id, :v)',
      ExpressionAttributeValues: marshall({ ':k': 'data', ':v': snapshot.rows }),
      ConsistentRead: true,
    }))
      parts.push((unmarshall(item) as { data: string }).data);
    if (parts.length === snapshot.chunks)
      return { snapshot, directory: JSON.parse(parts.join('')) as Directory };
    if (attempt >= 2)
      throw new Error(
        `directory version ${snapshot.version} has ${parts.length} of its ${snapshot.chunks} rows in ${tables.directory}`,
      );
  }
}

async function rowsOf<T>(ddb: DynamoDBClient, tables: TableNames, kind: Kind): Promise<T[]> {
  const out: T[] = [];
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k',
    ExpressionAttributeValues: marshall({ ':k': kind }),
    ConsistentRead: true,
  }))
    out.push(JSON.parse((unmarshall(item) as { data: string }).data) as T);
  return out;
}

/** A directory stored one row per entry, as loads did before snapshots were stored whole. */
async function readLegacy(ddb: DynamoDBClient, tables: TableNames): Promise<Directory | null> {
  const [campus, people, buildings, departments] = await Promise.all([
    rowsOf<Campus>(ddb, tables, 'campus'),
    rowsOf<Person>(ddb, tables, 'person'),
    rowsOf<Building>(ddb, tables, 'building'),
    rowsOf<Department>(ddb, tables, 'department'),
  ]);
  return campus[0] ? { campus: campus[0], people, buildings, departments } : null;
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
  return (await readCurrent(ddb, tables))?.directory ?? null;
}

/** The directory in force with its version (null: loaded before versions), read past the cache. */
export async function loadDirectoryVersion(
  ddb: DynamoDBClient,
  tables: TableNames,
): Promise<{ directory: Directory | null; version: number | null }> {
  const current = await readCurrent(ddb, tables);
  return { directory: current?.directory ?? null, version: current?.snapshot?.version ?? null };
}
