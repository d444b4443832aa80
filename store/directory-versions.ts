import { GetItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import type { Building, Directory } from '../domain/directory.ts';
import type { TableNames } from './clients.ts';
import { batchWrite } from './batch-write.ts';
import { queryItems } from './paginate.ts';

/**
 * The names of people and places a directory version had and the one in force has not. A
 * save keeps the rows of the version before it only (store/directory.ts tidies older ones),
 * so the names of those who left would go with them, and an audit trail would name its
 * signers by bare ids: each save records who and what it removes, under kind `departed`,
 * with the name the newest version that had them gave them.
 */

const bilingual = z.object({ zh: z.string(), en: z.string() });
const departedRow = z.discriminatedUnion('type', [
  z.object({ type: z.literal('person'), id: z.string(), name: z.string(), version: z.number() }),
  z.object({
    type: z.literal('building'),
    id: z.string(),
    name: bilingual,
    kind: z.enum(['dormitory', 'public_area']).optional(),
    floors: z.array(z.object({ id: z.string(), name: bilingual })),
    version: z.number(),
  }),
]);
type DepartedRow = z.infer<typeof departedRow>;

/** Who and what left the directory, by the names they last had. */
export interface Departed {
  /** Person id → the name the newest version that had them gave them. */
  people: ReadonlyMap<string, string>;
  /** Building id → the building as the newest version that had it named it (floors by name only). */
  buildings: ReadonlyMap<string, Building>;
}

const rowId = (type: DepartedRow['type'], id: string) => `${type}#${id}`;
/** Marks a version whose departures are all stored as rows: its previous directory need not be read again. */
const caughtUp = (version: number) => `caught-up#v${version}`;

/** The rows a save from `before` to `after` (version `version`) writes: every person and building it drops. */
export function departedRows(before: Directory, after: Directory, version: number): DepartedRow[] {
  const people = new Set(after.people.map((p) => p.id));
  const buildings = new Set(after.buildings.map((b) => b.id));
  return [
    ...before.people
      .filter((p) => !people.has(p.id))
      .map((p): DepartedRow => ({ type: 'person', id: p.id, name: p.name, version })),
    ...before.buildings
      .filter((b) => !buildings.has(b.id))
      .map((b): DepartedRow => ({
        type: 'building',
        id: b.id,
        name: b.name,
        ...(b.kind ? { kind: b.kind } : {}),
        floors: b.floors.map((f) => ({ id: f.id, name: f.name })),
        version,
      })),
  ];
}

/**
 * Records what a save drops, before the save is put in force: a save that then loses its switch
 * leaves rows for entries still in force, which no reader asks about (only ids the directory in
 * force lacks are looked up here). One left, added back and left again keeps the later name.
 */
export async function recordDeparted(
  ddb: DynamoDBClient,
  tables: TableNames,
  before: Directory,
  after: Directory,
  version: number,
): Promise<void> {
  const requests: WriteRequest[] = departedRows(before, after, version).map((row) => ({
    PutRequest: {
      Item: marshall({ kind: 'departed', id: rowId(row.type, row.id), data: JSON.stringify(row) }),
    },
  }));
  requests.push({ PutRequest: { Item: marshall({ kind: 'departed', id: caughtUp(version) }) } });
  await batchWrite(ddb, tables.directory, requests);
}

const versionRecord = z.object({
  version: z.number(),
  people: z.number().optional(),
  chunks: z.number().optional(),
  rows: z.string().optional(),
});
type VersionRecord = z.infer<typeof versionRecord>;

/** The version in force, as its `current` snapshot row has it. */
async function versionInForce(ddb: DynamoDBClient, tables: TableNames): Promise<VersionRecord | undefined> {
  const out = await ddb.send(
    new GetItemCommand({
      TableName: tables.directory,
      Key: marshall({ kind: 'snapshot', id: 'current' }),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return undefined;
  const parsed = versionRecord.safeParse(JSON.parse((unmarshall(out.Item) as { data: string }).data));
  return parsed.success ? parsed.data : undefined;
}

/** The stored directory of the newest version before `inForce`, null when none is stored any more. */
async function directoryBefore(
  ddb: DynamoDBClient,
  tables: TableNames,
  inForce: number,
): Promise<Directory | null> {
  const versions: VersionRecord[] = [];
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k AND begins_with(id, :v)',
    ExpressionAttributeValues: marshall({ ':k': 'snapshot', ':v': 'v' }),
  })) {
    const parsed = versionRecord.safeParse(JSON.parse((unmarshall(item) as { data: string }).data));
    if (parsed.success && parsed.data.version < inForce) versions.push(parsed.data);
  }
  const before = versions.sort((a, b) => b.version - a.version)[0];
  if (before?.chunks === undefined || before.rows === undefined) return null;
  const parts: string[] = [];
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k AND begins_with(id, :v)',
    ExpressionAttributeValues: marshall({ ':k': 'data', ':v': before.rows }),
  }))
    parts.push((unmarshall(item) as { data: string }).data);
  // Tidied away (a version older than the one before): nothing left to name anyone from.
  return parts.length === before.chunks ? (JSON.parse(parts.join('')) as Directory) : null;
}

/**
 * Everyone and everything the directory in force (`current`) lacks that a save recorded as
 * departed: one read for a whole page, however many entries it names. A version saved before
 * saves recorded departures has them read once from the version before it (while still stored)
 * and stored as rows like the others.
 */
export async function loadDeparted(
  ddb: DynamoDBClient,
  tables: TableNames,
  current: Directory | null,
): Promise<Departed> {
  // A burst of pages over the same directory in force (loadDirectory's cached one) reads once.
  const hit = cache.get(tables.directory);
  if (hit && hit.current === current && Date.now() - hit.at < CACHE_MS) return hit.departed;
  const departed = readDeparted(ddb, tables, current);
  const entry = { at: Date.now(), current, departed };
  cache.set(tables.directory, entry);
  departed.catch(() => {
    if (cache.get(tables.directory) === entry) cache.delete(tables.directory);
  });
  return departed;
}

const cache = new Map<string, { at: number; current: Directory | null; departed: Promise<Departed> }>();
const CACHE_MS = 5_000;

async function readDeparted(
  ddb: DynamoDBClient,
  tables: TableNames,
  current: Directory | null,
): Promise<Departed> {
  const people = new Map<string, string>();
  const buildings = new Map<string, Building>();
  const inForcePeople = new Set((current?.people ?? []).map((p) => p.id));
  const inForceBuildings = new Set((current?.buildings ?? []).map((b) => b.id));
  const add = (row: DepartedRow) => {
    if (row.type === 'person') {
      if (!inForcePeople.has(row.id) && !people.has(row.id)) people.set(row.id, row.name);
    } else if (!inForceBuildings.has(row.id) && !buildings.has(row.id))
      buildings.set(row.id, {
        id: row.id,
        name: row.name,
        ...(row.kind ? { kind: row.kind } : {}),
        supervisorIds: [],
        gridMemberIds: [],
        floors: row.floors.map((f) => ({ ...f, gridMemberIds: [], clusters: [] })),
      });
  };
  const stored = new Set<string>();
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k',
    ExpressionAttributeValues: marshall({ ':k': 'departed' }),
  })) {
    const row = unmarshall(item) as { id: string; data?: string };
    stored.add(row.id);
    const parsed = departedRow.safeParse(JSON.parse(row.data ?? 'null'));
    if (parsed.success) add(parsed.data);
  }
  if (current) await catchUp(ddb, tables, current, stored, add);
  return { people, buildings };
}

async function catchUp(
  ddb: DynamoDBClient,
  tables: TableNames,
  current: Directory,
  stored: ReadonlySet<string>,
  add: (row: DepartedRow) => void,
): Promise<void> {
  try {
    const inForce = await versionInForce(ddb, tables);
    if (!inForce || stored.has(caughtUp(inForce.version))) return;
    const previous = await directoryBefore(ddb, tables, inForce.version);
    const missing = previous
      ? departedRows(previous, current, inForce.version).filter((r) => !stored.has(rowId(r.type, r.id)))
      : [];
    for (const row of missing) add(row);
    // A directory read from a cache just as another version went in force is not that version's.
    if (inForce.people !== undefined && inForce.people !== current.people.length) return;
    await batchWrite(ddb, tables.directory, [
      ...missing.map((row) => ({
        PutRequest: {
          Item: marshall({ kind: 'departed', id: rowId(row.type, row.id), data: JSON.stringify(row) }),
        },
      })),
      { PutRequest: { Item: marshall({ kind: 'departed', id: caughtUp(inForce.version) }) } },
    ]);
  } catch (err) {
    // The names already stored still serve; the next page tries again.
    console.warn(`[directory] could not read the departures of the version before: ${String(err)}`);
  }
}
