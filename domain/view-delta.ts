/**
 * What changed in a case's view between two versions of it, so a step's record carries its
 * change instead of the whole view (the workflow's history then grows with the steps, not
 * with their square). Both sides are JSON values (the workflow's snapshots, the stored record),
 * so elements are compared by their JSON text.
 */
export interface ViewDelta {
  /** The version of the view the change applies to: the stored record must be at exactly it. */
  base: number;
  /** Top-level fields replaced whole (or added). */
  set: Record<string, unknown>;
  /** Top-level fields that are gone. */
  unset: string[];
  /** Lists whose tail changed: the elements from `from` on are replaced by `items`. */
  tail: Record<string, { from: number; items: unknown[] }>;
}

type JsonObject = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The change that turns `prev` into `next`: `applyViewDelta(prev, viewDelta(prev, next))` equals `next`. */
export function viewDelta<T extends { version: number }>(prevView: T, nextView: T): ViewDelta {
  const prev = prevView as unknown as JsonObject;
  const next = nextView as unknown as JsonObject;
  const delta: ViewDelta = { base: prevView.version, set: {}, unset: [], tail: {} };
  for (const key of Object.keys(prev))
    if (next[key] === undefined && prev[key] !== undefined) delta.unset.push(key);
  for (const [key, b] of Object.entries(next)) {
    if (b === undefined) continue;
    const a = prev[key];
    if (same(a, b)) continue;
    if (Array.isArray(a) && Array.isArray(b)) {
      let from = 0;
      while (from < a.length && from < b.length && same(a[from], b[from])) from++;
      if (from > 0) {
        delta.tail[key] = { from, items: b.slice(from) };
        continue;
      }
    }
    delta.set[key] = b;
  }
  return delta;
}

/** A change that does not fit the view it was applied to. */
export class ViewDeltaMismatch extends Error {
  override name = 'ViewDeltaMismatch';
}

/** `prev` with `delta` applied (a new object; `prev` is left as it was). */
export function applyViewDelta<T extends { version: number }>(prevView: T, delta: ViewDelta): T {
  if (prevView.version !== delta.base)
    throw new ViewDeltaMismatch(
      `the change applies to version ${delta.base}, the view is at ${prevView.version}`,
    );
  const prev = prevView as unknown as JsonObject;
  const out: JsonObject = { ...prev };
  for (const key of delta.unset) delete out[key];
  for (const [key, value] of Object.entries(delta.set)) out[key] = value;
  for (const [key, { from, items }] of Object.entries(delta.tail)) {
    const list = prev[key];
    if (!Array.isArray(list) || from > list.length)
      throw new ViewDeltaMismatch(`${key} has no element ${from} to continue from`);
    out[key] = [...list.slice(0, from), ...items];
  }
  return out as unknown as T;
}
