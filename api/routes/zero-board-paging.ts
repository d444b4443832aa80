import { z } from 'zod';

/**
 * How much of a night's board one page holds. A campus's grid is a cell per building, per floor
 * and per cluster of rooms (hundreds of cells), and a cell's report may name dozens of students:
 * the board pages its cells and shows the first rows of each list, the rest on the cell's own view.
 */
export const BOARD_PAGE_CELLS = 50;
export const CELL_ROWS_SHOWN = 10;

// A cell id as the night stored it (`L3:a-f1-c1`): the key a page starts after or ends before.
const cellKey = z.string().trim().min(1).max(120);

/**
 * The board page's query: the page after or before a cell (`after`, `before`, never both), or one
 * cell's whole report (`cell`). Keys are cells, not positions: the night's cells are fixed when it
 * opens, and a link names the same page however it was reached.
 */
export const boardPageQuery = z
  .object({ after: cellKey.optional(), before: cellKey.optional(), cell: cellKey.optional() })
  .refine((q) => [q.after, q.before, q.cell].filter(Boolean).length <= 1, {
    path: ['after'],
    error:
      'a board address names one place: the page after a cell, the page before one, or one cell / 看板地址只能指向一处：某网格之后的一页、之前的一页或一个网格',
  });
export type BoardPageQuery = z.infer<typeof boardPageQuery>;

/** The slice of the board a page shows, where it starts, and the keys of the pages beside it. */
export interface BoardPage<T> {
  shown: T[];
  /** The first shown cell's position, from 0. */
  start: number;
  total: number;
  /** The key the next page starts after, when there is one. */
  nextAfter: string | null;
  /**
   * The page before: the first page (`'first'`: no key, so the board's plain address), the page
   * ending before a cell, or none on the first page.
   */
  previous: { before: string } | 'first' | null;
}

/**
 * The page of `cells` a query names, `size` at a time; null when its key is no cell of the night.
 * A page reached backwards ends before its key and starts `size` earlier, or at the top.
 */
export function boardPage<T extends { cellId: string }>(
  cells: readonly T[],
  at: { after?: string | undefined; before?: string | undefined },
  size = BOARD_PAGE_CELLS,
): BoardPage<T> | null {
  const indexOf = (key: string) => cells.findIndex((c) => c.cellId === key);
  let start = 0;
  if (at.after !== undefined) {
    const i = indexOf(at.after);
    if (i < 0) return null;
    start = i + 1;
  } else if (at.before !== undefined) {
    const i = indexOf(at.before);
    if (i < 0) return null;
    start = Math.max(0, i - size);
  }
  // After the last cell (a link made by hand) is no empty page: the last one.
  if (start >= cells.length && cells.length > 0) start = Math.max(0, cells.length - size);
  const shown = cells.slice(start, start + size);
  const end = start + shown.length;
  const last = shown.at(-1);
  const first = shown[0] ?? cells[start];
  return {
    shown,
    start,
    total: cells.length,
    nextAfter: end < cells.length && last ? last.cellId : null,
    previous: start === 0 ? null : start <= size || !first ? 'first' : { before: first.cellId },
  };
}

/** The board page a cell is on, counted from the top: the key it starts after, none for the first. */
export function pageHolding(
  cells: readonly { cellId: string }[],
  cellId: string,
  size = BOARD_PAGE_CELLS,
): { after?: string } {
  const i = cells.findIndex((c) => c.cellId === cellId);
  const start = i < 0 ? 0 : Math.floor(i / size) * size;
  const before = start > 0 ? cells[start - 1] : undefined;
  return before ? { after: before.cellId } : {};
}

/** The first `max` of a list as the board shows it, and how many more its cell's own view holds. */
export function firstRows<T>(xs: readonly T[], max = CELL_ROWS_SHOWN): { shown: T[]; more: number } {
  return { shown: xs.slice(0, max), more: Math.max(0, xs.length - max) };
}
