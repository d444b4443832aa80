import type { Context } from 'hono';
import { z } from 'zod';
import { validationHook } from '../middleware/validation.ts';

/**
 * The query as one value a key, for a route that parses it by hand: a key given more than once
 * (`?from=…&from=…`) is refused as the API's validated routes refuse it (validationHook's words),
 * never read as its first value.
 */
export function singleQuery(c: Context): Record<string, string> {
  const all = c.req.queries();
  const repeated = Object.entries(all).filter(([, v]) => v.length > 1);
  if (repeated.length > 0) {
    const data = Object.fromEntries(repeated);
    const shape = z.object(Object.fromEntries(repeated.map(([k]) => [k, z.string()])));
    const r = shape.safeParse(data);
    if (!r.success) validationHook({ target: 'query', success: false, error: r.error, data }, c);
  }
  return c.req.query();
}
