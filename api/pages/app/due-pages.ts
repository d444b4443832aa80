import type { CaseView } from '../../../domain/case-model.ts';
import { openDue } from './case-list.tsx';

/**
 * Pages of a list of open cases ordered by due time, cut by key rather than by position: a page's
 * address names the sort key of the case it starts after (or ends before), so cases handled or
 * opened between two requests neither hide the next page's top rows nor repeat them.
 */

/** Where a case sorts: its open deadline's due time (none last), then its case number. */
export interface DueKey {
  due: string;
  caseId: string;
}

/** After every due time: a case with no deadline open (detected, follow-up) sorts last. */
const NO_DUE = '9999';

export const dueKey = (v: CaseView): DueKey => ({ due: openDue(v) ?? NO_DUE, caseId: v.caseId });

/**
 * Code-unit order, not locale order: ISO instants and case numbers compare correctly so, and the
 * order must be the same on every request for a key to mean the same place.
 */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const compareKeys = (a: DueKey, b: DueKey) => cmp(a.due, b.due) || cmp(a.caseId, b.caseId);

/**
 * Soonest due first. Overdue cases come first by that alone: their due times have passed, and a
 * flag would move a case across a page's key the moment it became overdue.
 */
export const dueFirst = (a: CaseView, b: CaseView) => compareKeys(dueKey(a), dueKey(b));

/** A page's place: the first page, the cases after a key (下一页), or those before one (上一页). */
export type PageAt = { from: 'start' } | { from: 'after' | 'before'; key: DueKey };

const MARK = { after: 'n', before: 'p' } as const;

/** The address value of a page: `n.` or `p.` and the key, base64url JSON. */
export function encodePageAt(at: PageAt): string | null {
  if (at.from === 'start') return null;
  const body = Buffer.from(JSON.stringify([at.key.due, at.key.caseId]), 'utf8').toString('base64url');
  return `${MARK[at.from]}.${body}`;
}

const keyPart = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;

/** A page's place from its address value: the first page when absent or not one we made (an old `?waiting=2`). */
export function parsePageAt(value: string | null | undefined): PageAt {
  const m = /^([np])\.([A-Za-z0-9_-]{1,400})$/.exec(value ?? '');
  if (!m?.[1] || !m[2]) return { from: 'start' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(m[2], 'base64url').toString('utf8')) as unknown;
  } catch {
    return { from: 'start' };
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return { from: 'start' };
  const [due, caseId] = parsed as unknown[];
  if (!keyPart(due) || !keyPart(caseId)) return { from: 'start' };
  return { from: m[1] === 'n' ? 'after' : 'before', key: { due, caseId } };
}

export interface DuePage {
  shown: CaseView[];
  /** Index of the first shown case in the whole list as read now (0 on the first page). */
  start: number;
  /** Where 上一页 leads: null on the first page. */
  previous: PageAt | null;
  /** Where 下一页 leads: null when nothing follows. */
  next: PageAt | null;
}

/**
 * The page of `items` (sorted by dueFirst) at `at`. A page before a key that would hold fewer than
 * `size` cases (some above it were handled) is the first page instead, so going back always ends
 * on a full first page; a page after a key that holds none (all below it were handled) is the
 * last page, rather than an empty one.
 */
export function pageAt(items: readonly CaseView[], at: PageAt, size: number): DuePage {
  const firstAtOrAfter = (key: DueKey) => {
    const n = items.findIndex((v) => compareKeys(dueKey(v), key) >= 0);
    return n === -1 ? items.length : n;
  };
  let start = 0;
  if (at.from === 'after') {
    const n = items.findIndex((v) => compareKeys(dueKey(v), at.key) > 0);
    start = n === -1 ? Math.max(0, items.length - size) : n;
  } else if (at.from === 'before') {
    const end = firstAtOrAfter(at.key);
    start = end >= size ? end - size : 0;
  }
  const shown = items.slice(start, start + size);
  const first = shown[0];
  const last = shown.at(-1);
  const previous: PageAt | null =
    start === 0 ? null : start <= size || !first ? { from: 'start' } : { from: 'before', key: dueKey(first) };
  const next: PageAt | null =
    last && start + shown.length < items.length ? { from: 'after', key: dueKey(last) } : null;
  return { shown, start, previous, next };
}
