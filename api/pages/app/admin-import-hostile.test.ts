import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../../domain/directory-schema.ts';
import { textFlaw } from '../../../domain/safe-text.ts';
import { COLUMNS, directoryToTable, importDirectory } from './admin-import.ts';

/**
 * Issue 11, item 1, for the directory import: every text cell a school types
 * (names in both languages, room lists) refuses a lone surrogate, control
 * characters, bidi overrides, line breaks and overlong text with a problem
 * naming its row and column; emoji and mixed scripts are taken.
 */
const table = async () => {
  const raw = JSON.parse(
    await readFile(path.join(import.meta.dirname, '../../../infra/local/demo-campus.json'), 'utf8'),
  ) as unknown;
  const r = validateDirectory(raw);
  if (!r.ok) throw new Error('demo campus invalid');
  return directoryToTable(r.directory);
};

const hostile = [
  '张\ud83d三',
  '张\u0000三',
  '张\u202E三',
  '张\r\n三',
  '张\u0085三',
  '张\u001b三',
  '长'.repeat(201),
];
const textColumns = ['name_zh', 'name_en'] as const;

describe('hostile text in the directory import', () => {
  it.each(hostile.map((h) => [JSON.stringify(h).slice(0, 20), h]))(
    '%s in a person’s name, a building’s names and a department’s: refused by row and column',
    async (_label, value) => {
      const base = await table();
      const header = base[0]!;
      const kindAt = header.indexOf('kind');
      for (const kind of ['person', 'building', 'department']) {
        for (const column of textColumns) {
          const t = base.map((r) => [...r]);
          const row = t.findIndex(
            (r, i) => i > 0 && r[kindAt] === kind && (r[header.indexOf(column)] ?? '') !== '',
          );
          if (row < 0) continue;
          t[row]![header.indexOf(column)] = value;
          const result = importDirectory(t);
          expect(result.ok, `${kind} ${column}`).toBe(false);
          if (result.ok) continue;
          expect(result.problems.map((p) => [p.row, p.column])).toContainEqual([row + 1, column]);
        }
      }
    },
  );

  it('random names: refused exactly when they carry a flaw or are too long, never thrown', async () => {
    const base = await table();
    const header = base[0]!;
    const row = base.findIndex((r, i) => i > 0 && r[header.indexOf('kind')] === 'person');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), async (value) => {
        const t = base.map((r) => [...r]);
        t[row]![header.indexOf('name_zh')] = `张${value}三`;
        const result = importDirectory(t);
        const flawed = textFlaw(`张${value}三`, { singleLine: true }) !== null;
        expect(result.ok).toBe(!flawed);
      }),
      { numRuns: 200 },
    );
  });

  it('emoji sequences and mixed scripts in names are taken', async () => {
    const t = (await table()).map((r) => [...r]);
    const header = t[0]!;
    const row = t.findIndex((r, i) => i > 0 && r[header.indexOf('kind')] === 'person');
    t[row]![header.indexOf('name_zh')] = '👩‍🔧 张三 Ωμέγα кран';
    expect(importDirectory(t).ok).toBe(true);
    expect(COLUMNS).toContain('name_zh');
  });
});
