import type { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TableNames } from '../../store/clients.ts';
import { loadDirectory } from '../../store/directory.ts';

/** A stand-in DynamoDB (unit test of one module): each table holds one campus, named after it. */
function fakeDdb(opts: { failFirst?: boolean } = {}) {
  const calls: string[] = [];
  let fail = opts.failFirst ?? false;
  const ddb = {
    async send(cmd: QueryCommand) {
      const table = cmd.input.TableName ?? '';
      calls.push(table);
      await new Promise((r) => setTimeout(r, 5));
      if (fail) {
        fail = false;
        throw new Error('throttled');
      }
      const kind = Object.values(cmd.input.ExpressionAttributeValues ?? {})[0]?.S;
      const items =
        kind === 'campus'
          ? [marshall({ kind: 'campus', id: 'campus', data: JSON.stringify({ name: table }) })]
          : [];
      return { Items: items };
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
    // One query per kind of row (campus, people, buildings, departments), not ten of each.
    expect(calls).toHaveLength(4);
    await loadDirectory(ddb, tablesOf('dir-c'));
    expect(calls).toHaveLength(4);
    await loadDirectory(ddb, tablesOf('dir-c'), true);
    expect(calls).toHaveLength(8);
  });

  it('does not keep a failed read: the next caller reads again', async () => {
    const { ddb, calls } = fakeDdb({ failFirst: true });
    await expect(loadDirectory(ddb, tablesOf('dir-d'))).rejects.toThrow('throttled');
    const dir = await loadDirectory(ddb, tablesOf('dir-d'));
    expect(dir?.campus).toEqual({ name: 'dir-d' });
    expect(calls.length).toBeGreaterThan(4);
  });
});
