import type { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TableNames } from '../../store/clients.ts';
import { loadDirectory } from '../../store/directory.ts';

/**
 * A stand-in DynamoDB (unit test of one module): each table holds one campus, named after it, as
 * saveDirectory stores it: the `current` snapshot row and one data row of that version.
 */
function fakeDdb(opts: { failFirst?: boolean } = {}) {
  const calls: string[] = [];
  let fail = opts.failFirst ?? false;
  const ddb = {
    async send(cmd: QueryCommand | GetItemCommand) {
      const table = cmd.input.TableName ?? '';
      calls.push(table);
      await new Promise((r) => setTimeout(r, 5));
      if (fail) {
        fail = false;
        throw new Error('throttled');
      }
      if ('Key' in cmd.input) {
        const snapshot = {
          version: 1,
          at: '2026-12-01T00:00:00Z',
          people: 0,
          removedPeople: [],
          chunks: 1,
          rows: 'v00000001#a1b2c3d4#',
        };
        return {
          Item: marshall({ kind: 'snapshot', id: 'current', version: 1, data: JSON.stringify(snapshot) }),
        };
      }
      const directory = { campus: { name: table }, people: [], buildings: [], departments: [] };
      return {
        Items: [marshall({ kind: 'data', id: 'v00000001#a1b2c3d4#0000', data: JSON.stringify(directory) })],
      };
    },
  } as unknown as DynamoDBClient;
  return { ddb, calls };
}

const tablesOf = (directory: string) => ({ directory }) as TableNames;

describe('loadDirectory’s cache', () => {
  it('keeps each directory table apart', async () => {
    const { ddb } = fakeDdb();
    const a = await loadDirectory(ddb, tablesOf('dir-a-1'));
    const b = await loadDirectory(ddb, tablesOf('dir-b-1'));
    expect(a?.campus).toEqual({ name: 'dir-a-1' });
    expect(b?.campus).toEqual({ name: 'dir-b-1' });
  });

  it('reads a table once for a burst of callers, then serves them from memory', async () => {
    const { ddb, calls } = fakeDdb();
    const dirs = await Promise.all(Array.from({ length: 10 }, () => loadDirectory(ddb, tablesOf('dir-c'))));
    expect(new Set(dirs.map((d) => d?.campus.name))).toEqual(new Set(['dir-c']));
    // One read of the current snapshot and one of its rows, not ten of each.
    expect(calls).toHaveLength(2);
    await loadDirectory(ddb, tablesOf('dir-c'));
    expect(calls).toHaveLength(2);
    await loadDirectory(ddb, tablesOf('dir-c'), true);
    expect(calls).toHaveLength(4);
  });

  it('does not keep a failed read: the next caller reads again', async () => {
    const { ddb, calls } = fakeDdb({ failFirst: true });
    await expect(loadDirectory(ddb, tablesOf('dir-d'))).rejects.toThrow('throttled');
    const dir = await loadDirectory(ddb, tablesOf('dir-d'));
    expect(dir?.campus).toEqual({ name: 'dir-d' });
    expect(calls.length).toBeGreaterThan(2);
  });
});
