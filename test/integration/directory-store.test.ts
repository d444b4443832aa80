import { DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../domain/directory.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { batchWrite } from '../../store/batch-write.ts';
import type { TableNames } from '../../store/clients.ts';
import {
  currentSnapshot,
  DirectoryChangedMeanwhile,
  inIdOrder,
  loadDirectory,
  loadDirectoryVersion,
  saveDirectory,
} from '../../store/directory.ts';
import { queryItems } from '../../store/paginate.ts';
import { demoDirectory, ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';

/**
 * A directory load is all or nothing. It used to write one row per person, building and
 * department in batches of 25, so a failure part way (or two loads at once) left a directory in
 * force that no file ever described: some people new, some old, a building without its floors.
 * Each test on its own tables of DynamoDB Local.
 */
let demo: Directory;
beforeAll(async () => {
  demo = await demoDirectory();
});

async function ownStore(name: string): Promise<{ ddb: DynamoDBClient; tables: TableNames }> {
  const deps = testDeps(testEnv(ownTables(uniqueId(name))));
  await ensureTables(deps.ddb, deps.tables);
  return { ddb: deps.ddb, tables: deps.tables };
}

/** The same client, failing the one write that would put a new version in force. */
function failingSwitch(ddb: DynamoDBClient): DynamoDBClient {
  return new Proxy(ddb, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
      return (cmd: { input: { Item?: { id?: { S?: string } } } }) => {
        if (cmd instanceof PutItemCommand && cmd.input.Item?.id?.S === 'current')
          return Promise.reject(new Error('connection reset'));
        return (target.send as (c: unknown) => Promise<unknown>)(cmd);
      };
    },
  });
}

const renamed = (dir: Directory, suffix: string): Directory => ({
  ...dir,
  people: dir.people.map((p) => ({
    ...p,
    name: `${p.name}${suffix}`,
  })),
});

async function rowKinds(ddb: DynamoDBClient, tables: TableNames): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const kind of ['campus', 'person', 'building', 'department', 'data', 'snapshot'])
    for await (const _ of queryItems(ddb, {
      TableName: tables.directory,
      KeyConditionExpression: 'kind = :k',
      ExpressionAttributeValues: marshall({ ':k': kind }),
    }))
      counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('saving the directory', () => {
  it('stores it whole and reads back exactly what was saved, version by version', async () => {
    const s = await ownStore('dirstore-a');
    const first = await saveDirectory(s.ddb, s.tables, demo);
    expect(first).toMatchObject({ version: 1, removedPeople: [], chunks: 1 });
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(demo));
    const fewer = { ...demo, people: demo.people.filter((p) => p.id !== 'staff-zhou') };
    const second = await saveDirectory(s.ddb, s.tables, fewer);
    expect(second).toMatchObject({ version: 2, removedPeople: ['staff-zhou'] });
    expect(await loadDirectoryVersion(s.ddb, s.tables)).toEqual({ directory: inIdOrder(fewer), version: 2 });
    await saveDirectory(s.ddb, s.tables, demo);
    // Version 1's rows are gone once version 3 is in force; 2's are kept for a reader holding it.
    expect((await rowKinds(s.ddb, s.tables)).data).toBe(2);
  });

  it('spreads a directory larger than one DynamoDB item over several rows', async () => {
    const s = await ownStore('dirstore-big');
    // Characters outside the basic plane (two UTF-16 units each) fall on the rows' boundaries.
    const long = '𠮷😀'.repeat(200);
    const big: Directory = {
      ...demo,
      people: Array.from({ length: 1500 }, (_, i) => ({
        ...demo.people[0]!,
        id: `p-${i}`,
        email: `p${i}@campus.test`,
        name: `人员${i} Person ${i}${long}`,
      })),
    };
    const saved = await saveDirectory(s.ddb, s.tables, big);
    expect(saved.chunks).toBeGreaterThan(1);
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(big));
  });

  it('leaves the directory in force untouched when the save fails part way', async () => {
    const s = await ownStore('dirstore-fail');
    await saveDirectory(s.ddb, s.tables, demo);
    await expect(saveDirectory(failingSwitch(s.ddb), s.tables, renamed(demo, '（新）'))).rejects.toThrow(
      'connection reset',
    );
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(demo));
    expect((await currentSnapshot(s.ddb, s.tables))?.version).toBe(1);
    // The next save goes through and is whole.
    const next = renamed(demo, '（再）');
    await saveDirectory(s.ddb, s.tables, next);
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(next));
  });

  it('a directory in force that lost a row does not block the load that repairs it', async () => {
    const s = await ownStore('dirstore-lost');
    const first = await saveDirectory(s.ddb, s.tables, demo);
    await s.ddb.send(
      new DeleteItemCommand({
        TableName: s.tables.directory,
        Key: marshall({ kind: 'data', id: `${first.rows}0000` }),
      }),
    );
    await expect(loadDirectory(s.ddb, s.tables, true)).rejects.toThrow(/has 0 of its 1 rows/);
    const repaired = await saveDirectory(s.ddb, s.tables, demo);
    expect(repaired).toMatchObject({ version: 2, removedPeople: [] });
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(demo));
  });

  it('of two saves at once, the later is made again over the first: one is in force whole, never a mix', async () => {
    const s = await ownStore('dirstore-race');
    await saveDirectory(s.ddb, s.tables, demo);
    const a = renamed(demo, 'A');
    const b = renamed(demo, 'B');
    const saved = await Promise.all([saveDirectory(s.ddb, s.tables, a), saveDirectory(s.ddb, s.tables, b)]);
    expect(saved.map((x) => x.version).sort()).toEqual([2, 3]);
    const last = saved[0]!.version === 3 ? a : b;
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(last));
    expect((await currentSnapshot(s.ddb, s.tables))?.version).toBe(3);
  });

  it('saving the directory in force again changes nothing: no new version, no new rows', async () => {
    const s = await ownStore('dirstore-same');
    const first = await saveDirectory(s.ddb, s.tables, demo);
    const before = await rowKinds(s.ddb, s.tables);
    // The same entries in another order are the same directory.
    const again = await saveDirectory(s.ddb, s.tables, { ...demo, people: [...demo.people].reverse() });
    expect(again).toMatchObject({ version: first.version, rows: first.rows, removedPeople: [] });
    expect(await rowKinds(s.ddb, s.tables)).toEqual(before);
    const changed = await saveDirectory(s.ddb, s.tables, renamed(demo, '丙'));
    expect(changed.version).toBe(first.version + 1);
  });

  it('refuses a save built from a version that is no longer in force', async () => {
    const s = await ownStore('dirstore-based');
    await saveDirectory(s.ddb, s.tables, demo);
    const read = await loadDirectoryVersion(s.ddb, s.tables);
    await saveDirectory(s.ddb, s.tables, renamed(demo, '甲'));
    await expect(
      saveDirectory(s.ddb, s.tables, renamed(demo, '乙'), undefined, { basedOn: { version: read.version } }),
    ).rejects.toBeInstanceOf(DirectoryChangedMeanwhile);
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(renamed(demo, '甲')));
  });

  it('reads a directory stored one row per entry by an earlier release, and replaces it', async () => {
    const s = await ownStore('dirstore-legacy');
    // The layout before: a row per entry, and a snapshot row with the version inside its data only.
    await batchWrite(s.ddb, s.tables.directory, [
      { PutRequest: { Item: marshall({ kind: 'campus', id: 'campus', data: JSON.stringify(demo.campus) }) } },
      ...demo.people.map((p) => ({
        PutRequest: { Item: marshall({ kind: 'person', id: p.id, data: JSON.stringify(p) }) },
      })),
      ...demo.buildings.map((b) => ({
        PutRequest: { Item: marshall({ kind: 'building', id: b.id, data: JSON.stringify(b) }) },
      })),
      ...demo.departments.map((d) => ({
        PutRequest: { Item: marshall({ kind: 'department', id: d.id, data: JSON.stringify(d) }) },
      })),
    ]);
    await s.ddb.send(
      new PutItemCommand({
        TableName: s.tables.directory,
        Item: marshall({
          kind: 'snapshot',
          id: 'current',
          data: JSON.stringify({
            version: 4,
            at: '2026-11-01T00:00:00Z',
            people: demo.people.length,
            removedPeople: [],
          }),
        }),
      }),
    );
    const old = await loadDirectoryVersion(s.ddb, s.tables);
    expect(old.version).toBe(4);
    expect(new Set(old.directory?.people.map((p) => p.id))).toEqual(new Set(demo.people.map((p) => p.id)));

    const fewer = { ...demo, people: demo.people.filter((p) => p.id !== 'staff-zhou') };
    expect(await saveDirectory(s.ddb, s.tables, fewer)).toMatchObject({
      version: 5,
      removedPeople: ['staff-zhou'],
    });
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(fewer));
    // The per-entry rows stay for one load (a process of the earlier release may still read
    // them during a rolling deploy) and are gone after the next.
    expect((await rowKinds(s.ddb, s.tables)).person).toBe(demo.people.length);
    // ...for the time a rolling deploy takes, however many loads come meanwhile.
    await saveDirectory(s.ddb, s.tables, fewer);
    expect((await rowKinds(s.ddb, s.tables)).person).toBe(demo.people.length);
    await saveDirectory(s.ddb, s.tables, fewer, new Date(Date.now() + 2 * 3600_000).toISOString());
    const after = await rowKinds(s.ddb, s.tables);
    expect(after.person ?? 0).toBe(0);
    expect(after.campus ?? 0).toBe(0);
    expect(await loadDirectory(s.ddb, s.tables, true)).toEqual(inIdOrder(fewer));
  });
});
