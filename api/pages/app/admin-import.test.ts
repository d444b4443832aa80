import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../../domain/directory-schema.ts';
import type { Directory } from '../../../domain/directory.ts';
import {
  diffDirectory,
  directoryToTable,
  importDirectory,
  parseCsv,
  readTable,
  tableToCsv,
  tableToXlsx,
} from './admin-import.ts';

const demo = async (): Promise<Directory> => {
  const raw = JSON.parse(
    await readFile(path.join(import.meta.dirname, '../../../infra/local/demo-campus.json'), 'utf8'),
  ) as unknown;
  const r = validateDirectory(raw);
  if (!r.ok) throw new Error('demo campus invalid');
  return r.directory;
};

const bytes = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

describe('directory import table', () => {
  it('reads quoted CSV fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n\nlast,')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      [''],
      ['last', ''],
    ]);
  });

  it('round-trips the demo campus through CSV and XLSX unchanged', async () => {
    const dir = await demo();
    const table = directoryToTable(dir);
    for (const [name, data] of [
      ['d.csv', bytes(tableToCsv(table))],
      ['d.xlsx', await tableToXlsx(table)],
    ] as const) {
      const read = await readTable(name, data);
      if (!read.ok) throw new Error(JSON.stringify(read.problem));
      const result = importDirectory(read.rows);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.directory).toEqual(dir);
      const diff = diffDirectory(dir, result.directory);
      expect(diff.people).toMatchObject({ added: [], changed: [], kept: [] });
      expect(diff.campus).toEqual([]);
    }
  });

  it('reports each problem by spreadsheet row and column', async () => {
    const table = directoryToTable(await demo());
    const personAt = table.findIndex((r) => r[0] === 'person' && r[1] === 'staff-zhou');
    const clusterAt = table.findIndex((r) => r[0] === 'cluster');
    const edited = table.map((r, i) => {
      if (i === personAt) return r.map((c, j) => (table[0]?.[j] === 'email' ? 'nope' : c));
      if (i === clusterAt) return r.map((c, j) => (table[0]?.[j] === 'grid_members' ? 'ghost' : c));
      return r;
    });
    const result = importDirectory(edited);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [personAt + 1, 'email'],
      [clusterAt + 1, 'grid_members'],
    ]);
  });

  it('names layout mistakes: unknown kind, a floor without its building, no campus row', () => {
    const result = importDirectory([
      ['kind', 'id', 'parent', 'name_zh'],
      ['person', 'p1', '', '甲'],
      ['room', 'r1', '', ''],
      ['floor', 'f1', 'nowhere', '1层'],
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'kind'],
      [4, 'parent'],
      [null, 'kind'],
    ]);
  });

  it('refuses a file that is neither UTF-8 CSV nor XLSX', async () => {
    const r = await readTable('x.csv', new Uint8Array([0xff, 0xfe, 0x00, 0xd8]).buffer);
    expect(r.ok).toBe(false);
    const x = await readTable('x.xlsx', bytes('kind,id'));
    expect(x.ok).toBe(false);
  });
});
