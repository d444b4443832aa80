import { type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
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
  await batchWrite(ddb, tables.directory, requests);
}

const versionRecord = z.object({
  version: z.number(),
  chunks: z.number().optional(),
  rows: z.string().optional(),
});

/**
 * The directory of the newest version before the one in force whose rows are still stored: it
 * names those who left before saves recorded departures (at most the one version before).
 */
async function previousDirectory(ddb: DynamoDBClient, tables: TableNames): Promise<Directory | null> {
  const versions: z.infer<typeof versionRecord>[] = [];
  let inForce: number | undefined;
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k',
    ExpressionAttributeValues: marshall({ ':k': 'snapshot' }),
  })) {
    const row = unmarshall(item) as { id: string; data: string };
    const parsed = versionRecord.safeParse(JSON.parse(row.data));
    if (!parsed.success) continue;
    if (row.id === 'current') inForce = parsed.data.version;
    else versions.push(parsed.data);
  }
  if (inForce === undefined) return null;
  const older = versions.filter((v) => v.version < (inForce ?? 0)).sort((a, b) => b.version - a.version);
  for (const v of older) {
    if (v.chunks === undefined || v.rows === undefined) return null;
    const parts: string[] = [];
    for await (const item of queryItems(ddb, {
      TableName: tables.directory,
      KeyConditionExpression: 'kind = :k AND begins_with(id, :v)',
      ExpressionAttributeValues: marshall({ ':k': 'data', ':v': v.rows }),
    }))
      parts.push((unmarshall(item) as { data: string }).data);
    // Tidied away: every older version is too.
    if (parts.length !== v.chunks) return null;
    return JSON.parse(parts.join('')) as Directory;
  }
  return null;
}

/**
 * Everyone and everything the directory in force (`current`) lacks that a
 * save recorded as departed, or that the previous version still stored has: one read for a
 * whole page, however many entries it names.
 */
export async function loadDeparted(
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
  for await (const item of queryItems(ddb, {
    TableName: tables.directory,
    KeyConditionExpression: 'kind = :k',
    ExpressionAttributeValues: marshall({ ':k': 'departed' }),
  })) {
    const parsed = departedRow.safeParse(JSON.parse((unmarshall(item) as { data: string }).data));
    if (parsed.success) add(parsed.data);
  }
  // Departures from before saves recorded them: the version before still names them.
  const previous = await previousDirectory(ddb, tables).catch(() => null);
  if (previous && current) for (const row of departedRows(previous, current, 0)) add(row);
  return { people, buildings };
}
