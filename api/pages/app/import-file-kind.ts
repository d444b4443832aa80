import type { Bilingual } from '../../../domain/text.ts';

/**
 * What an uploaded file is when its first bytes say it is not a table: an admin who picks a
 * screenshot or a PDF by mistake is told what they picked, not that a CSV's encoding is unknown.
 */

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

function contains(bytes: Uint8Array, needle: readonly number[]): boolean {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const SIGNATURES: readonly { magic: number[]; kind: Bilingual }[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: { zh: 'PNG 图片', en: 'a PNG image' } },
  { magic: [0xff, 0xd8, 0xff], kind: { zh: 'JPEG 图片', en: 'a JPEG image' } },
  { magic: ascii('GIF8'), kind: { zh: 'GIF 图片', en: 'a GIF image' } },
  { magic: ascii('%PDF'), kind: { zh: 'PDF 文档', en: 'a PDF document' } },
  {
    // Excel 97-2003 (.xls) and old Word files are OLE2 compound documents.
    magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    kind: {
      zh: '旧版 Excel（.xls）或其他 Office 97-2003 文件',
      en: 'an old Excel (.xls) or other Office 97-2003 file',
    },
  },
  {
    // Excel's "Unicode text" is UTF-16 with a byte-order mark.
    magic: [0xff, 0xfe],
    kind: { zh: 'UTF-16 编码的文本（Excel 的“Unicode 文本”）', en: 'UTF-16 text (Excel’s “Unicode Text”)' },
  },
  { magic: [0xfe, 0xff], kind: { zh: 'UTF-16 编码的文本', en: 'UTF-16 text' } },
];

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ZIP_END = [0x50, 0x4b, 0x05, 0x06];
const XLSX_PART = ascii('xl/workbook');

/** Whether the bytes begin as a zip archive does (an XLSX is one). */
export const isZip = (bytes: Uint8Array): boolean => startsWith(bytes, ZIP_MAGIC);

/**
 * What the file is, if it is plainly neither a CSV nor an XLSX workbook: a known non-table
 * format by its signature, a whole zip archive with no workbook in it (a damaged, cut-off
 * workbook has no end record and is left to the XLSX reader), or binary bytes (NULs) that no
 * CSV has. Undefined for anything that may be a table.
 */
export function notATable(bytes: Uint8Array): Bilingual | undefined {
  const known = SIGNATURES.find((s) => startsWith(bytes, s.magic));
  if (known) return known.kind;
  if (isZip(bytes))
    return contains(bytes, ZIP_END) && !contains(bytes, XLSX_PART)
      ? { zh: '不含 Excel 工作簿的 ZIP 压缩包', en: 'a ZIP archive with no Excel workbook in it' }
      : undefined;
  if (bytes.includes(0)) return { zh: '二进制文件', en: 'a binary file' };
  return undefined;
}
