import { escapeHtml } from '../../domain/text.ts';
import QRCode from 'qrcode';
import type { Place } from '../../domain/places.ts';

/**
 * Printable A4 sheets of a building's codes: 3 × 4 labels a page, each a QR
 * code of the place's report URL with the place's name in Chinese (English
 * beneath) and the code in letters for anyone whose camera will not scan.
 */
const A4 = { w: 210, h: 297 };
const COLS = 3;
const ROWS = 4;
const MARGIN = 10;
export const PLACES_PER_PAGE = COLS * ROWS;

/** The QR code of one URL as an SVG group of `size` mm at (x, y). */
async function qrGroup(url: string, x: number, y: number, size: number): Promise<string> {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / n;
  const rects: string[] = [];
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) rects.push(`M${c} ${r}h1v1h-1z`);
  return `<g transform="translate(${x} ${y}) scale(${cell})"><path d="${rects.join('')}" fill="#000"/></g>`;
}

/** One SVG per A4 page (mm units), in the order of the places given. */
export async function qrSheets(places: Place[], baseUrl: string, title: string): Promise<string[]> {
  const pages: string[] = [];
  const cellW = (A4.w - 2 * MARGIN) / COLS;
  const cellH = (A4.h - 2 * MARGIN - 8) / ROWS;
  for (let start = 0; start < places.length; start += PLACES_PER_PAGE) {
    const slice = places.slice(start, start + PLACES_PER_PAGE);
    const labels = await Promise.all(
      slice.map(async (p, i) => {
        const x = MARGIN + (i % COLS) * cellW;
        const y = MARGIN + 8 + Math.floor(i / COLS) * cellH;
        const size = Math.min(cellW, cellH) - 24;
        const qx = x + (cellW - size) / 2;
        return [
          `<rect x="${x + 1}" y="${y + 1}" width="${cellW - 2}" height="${cellH - 2}" rx="2" fill="none" stroke="#999" stroke-width="0.2" stroke-dasharray="1 1"/>`,
          await qrGroup(`${baseUrl}/r/${p.code}`, qx, y + 4, size),
          `<text x="${x + cellW / 2}" y="${y + size + 10}" text-anchor="middle" font-size="5" font-weight="700">${escapeHtml(p.name.zh)}</text>`,
          `<text x="${x + cellW / 2}" y="${y + size + 15}" text-anchor="middle" font-size="3.2">${escapeHtml(p.name.en)}</text>`,
          `<text x="${x + cellW / 2}" y="${y + size + 19.5}" text-anchor="middle" font-size="3.2" font-family="monospace">扫码报告问题 · ${p.code}</text>`,
        ].join('');
      }),
    );
    const pageNo = start / PLACES_PER_PAGE + 1;
    const pagesTotal = Math.ceil(places.length / PLACES_PER_PAGE);
    pages.push(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${A4.w}mm" height="${A4.h}mm" viewBox="0 0 ${A4.w} ${A4.h}" font-family="'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif">` +
        `<rect width="${A4.w}" height="${A4.h}" fill="#fff"/>` +
        `<text x="${MARGIN}" y="${MARGIN + 3}" font-size="4.5" font-weight="700">${escapeHtml(title)}</text>` +
        `<text x="${A4.w - MARGIN}" y="${MARGIN + 3}" font-size="3.5" text-anchor="end">${pageNo} / ${pagesTotal}</text>` +
        labels.join('') +
        `</svg>`,
    );
  }
  return pages;
}

/** All pages in one HTML document that prints one sheet per A4 page (the PDF is printed from it). */
export function sheetsHtml(pages: string[], title: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>@page{size:A4;margin:0}body{margin:0}.page{width:210mm;height:297mm;page-break-after:always;overflow:hidden}.page:last-child{page-break-after:auto}svg{display:block}</style></head><body>${pages.map((p) => `<div class="page">${p}</div>`).join('')}</body></html>`;
}
