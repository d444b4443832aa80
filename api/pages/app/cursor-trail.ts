import { z } from 'zod';

/**
 * Paging back through a list read by cursor. DynamoDB pages forward only, so each next link
 * carries the trail: the cursors of the pages before it, oldest first, joined by '.', '~' standing
 * for the first page. 上一页 pops the last one. Only the last TRAIL_DEPTH are kept; the first-page
 * link reaches further back. Every link names its page by the cursor it starts at, never by a
 * position, so a case added meanwhile neither repeats nor hides one.
 */
export const TRAIL_DEPTH = 20;
const FIRST = '~';

/** The trail parameter, for cursors of at most `cursorMax` characters. */
export const trailSchema = (cursorMax: number) =>
  z
    .string()
    .max(TRAIL_DEPTH * (cursorMax + 1))
    .regex(/^[A-Za-z0-9_~-]+(\.[A-Za-z0-9_~-]+)*$/);

/** Query strings ('?…', or '' for a bare address); null where there is no such page. */
export interface TrailLinks {
  next: string | null;
  previous: string | null;
  /** The list's first page, when this is not it. */
  first: string | null;
}

/**
 * The links of a page read at `cursor` (none: the first page) that was reached by `back`.
 * `filters` is the list's query without its cursor and trail. A pasted address without a
 * trail has no previous link; its first-page link still stands.
 */
export function trailLinks(
  filters: URLSearchParams,
  at: { cursor?: string | undefined; back?: string | undefined },
  nextCursor: string | null,
): TrailLinks {
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams(filters);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    const s = params.toString();
    return s ? `?${s}` : '';
  };
  const trail = at.back ? at.back.split('.') : [];
  const next = nextCursor
    ? query({ cursor: nextCursor, back: [...trail, at.cursor ?? FIRST].slice(-TRAIL_DEPTH).join('.') })
    : null;
  if (!at.cursor) return { next, previous: null, first: null };
  const first = query({});
  const before = trail.at(-1);
  if (before === undefined) return { next, previous: null, first };
  const rest = trail.slice(0, -1);
  const previous = query({
    ...(before === FIRST ? {} : { cursor: before }),
    ...(rest.length > 0 ? { back: rest.join('.') } : {}),
  });
  return { next, previous, first };
}
