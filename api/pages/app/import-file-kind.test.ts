import { describe, expect, it } from 'vitest';
import { readTable, tableToXlsx } from './admin-import.ts';

/** A whole zip archive of empty, stored entries: signatures, central directory and end record. */
function zipOf(names: string[]): ArrayBuffer {
  const enc = new TextEncoder();
  const parts: number[] = [];
  const central: number[] = [];
  const u16 = (a: number[], v: number) => a.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (a: number[], v: number) =>
    a.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  for (const name of names) {
    const n = [...enc.encode(name)];
    const offset = parts.length;
    u32(parts, 0x04034b50);
    for (const v of [20, 0, 0, 0, 0]) u16(parts, v);
    for (const v of [0, 0, 0]) u32(parts, v);
    u16(parts, n.length);
    u16(parts, 0);
    parts.push(...n);
    u32(central, 0x02014b50);
    for (const v of [20, 20, 0, 0, 0, 0]) u16(central, v);
    for (const v of [0, 0, 0]) u32(central, v);
    for (const v of [n.length, 0, 0, 0, 0]) u16(central, v);
    u32(central, 0);
    u32(central, offset);
    central.push(...n);
  }
  const end: number[] = [];
  u32(end, 0x06054b50);
  for (const v of [0, 0, names.length, names.length]) u16(end, v);
  u32(end, central.length);
  u32(end, parts.length);
  u16(end, 0);
  return new Uint8Array([...parts, ...central, ...end]).buffer;
}

const bytes = (...b: number[]) => new Uint8Array(b).buffer;
const PNG = bytes(
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0x00,
  0x00,
  0x00,
  0x0d,
  0x49,
  0x48,
  0x44,
  0x52,
);

async function refusal(name: string, data: ArrayBuffer) {
  const r = await readTable(name, data);
  if (r.ok) throw new Error(`${name} was read as a table`);
  return r.problem.message;
}

describe('a directory upload that is not a table', () => {
  it('a PNG is said to be no CSV or XLSX file, naming what it is and what is taken, not an encoding', async () => {
    const m = await refusal('screenshot.png', PNG);
    expect(m.zh).toBe(
      '这不是 CSV 或 XLSX 文件（看起来是PNG 图片）。目录导入只接受 CSV 文件（UTF-8 或 GBK 编码）或 Excel 工作簿（.xlsx）。',
    );
    expect(m.en).toBe(
      'this is not a CSV or XLSX file (it looks like a PNG image). The directory import takes a CSV file (UTF-8 or GBK) or an Excel workbook (.xlsx).',
    );
    // Even named as a CSV.
    expect((await refusal('directory.csv', PNG)).en).toContain('a PNG image');
  });

  it.each([
    ['photo.jpg', bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10), 'a JPEG image', 'JPEG 图片'],
    [
      'scan.pdf',
      new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3').buffer as ArrayBuffer,
      'a PDF document',
      'PDF 文档',
    ],
    [
      'old.xls',
      bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0),
      'an old Excel (.xls)',
      '旧版 Excel（.xls）',
    ],
    [
      'people.xlsx',
      zipOf(['[Content_Types].xml', 'word/document.xml']),
      'a ZIP archive with no Excel workbook',
      'ZIP',
    ],
    ['data.bin', bytes(0x61, 0x00, 0x62, 0x00, 0x01, 0x02), 'a binary file', '二进制文件'],
  ])('%s: names it', async (name, data, en, zh) => {
    const m = await refusal(name, data);
    expect(m.en).toContain('not a CSV or XLSX file');
    expect(m.en).toContain(en);
    expect(m.zh).toContain('这不是 CSV 或 XLSX 文件');
    expect(m.zh).toContain(zh);
    expect(`${m.zh} ${m.en}`).not.toMatch(/encoding\b|编码（既不是/);
  });

  it('a real workbook, a damaged one and a GBK CSV are read as before', async () => {
    const xlsx = await readTable('d.xlsx', await tableToXlsx([['kind', 'id']]));
    expect(xlsx).toMatchObject({ ok: true, rows: [['kind', 'id']] });
    const damaged = await refusal('d.xlsx', bytes(0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0));
    expect(damaged.en).toContain('damaged or incomplete');
    // 中 in GBK (not UTF-8).
    const gbk = await readTable('d.csv', bytes(0x6b, 0x69, 0x6e, 0x64, 0x0a, 0xd6, 0xd0));
    expect(gbk).toMatchObject({ ok: true, encoding: 'gb18030' });
  });
});
